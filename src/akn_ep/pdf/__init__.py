"""The PDF route: a Parliament PDF → Resolution, read from the page layout.

:func:`reader.read_layout` turns the PDF into the same
:class:`~akn_ep.lines.Lines` the text route builds (content lines with
footnote calls glued to their word, footnote bodies, removed page furniture),
and :func:`parse_pdf` hands them to the same parser. So one resolution read
from its PDF and from its clean text gives equal models. See ``docs/pdf.md``.

Example:
    >>> import akn_ep
    >>> akn_ep.parse_pdf(b"%PDF-1.4\\n%%EOF")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    akn_ep.errors.ParseError: the PDF is damaged and cannot be read ...
"""

from __future__ import annotations

import datetime as _dt

import attrs

from ..akn.iri import FrbrUri, state_identity, stated_date
from ..errors import LanguageError, ParseError
from ..languages.detect import detect
from ..model import Resolution
from ..text import refuse_text_node_over_limit
from ..text.parse import parse
from ..warning import ParseWarning
from .reader import (
    Layout,
    PdfSource,
    extract_text,
    is_pdf,
    page_of,
    read_layout,
    read_lines,
)

__all__ = ["parse_pdf", "read_layout", "read_lines", "extract_text", "is_pdf", "Layout",
           "PdfSource", "page_of"]


def _where(layout: Layout, line: int | None) -> str:
    if line is None:
        return ""
    page, on_page = page_of(layout, line)
    return f"page {page}, line {on_page}"


def _locate(layout: Layout, warning: str) -> str:
    """Place a warning's line on its page: "line N (page P, line L): …"."""
    if isinstance(warning, ParseWarning) and warning.line is not None:
        return warning.located(_where(layout, warning.line))
    return warning


def parse_pdf(
    source: PdfSource,
    *,
    lang: str | None = None,
    date: _dt.date | str | None = None,
    strict: bool = True,
    ta_number: str | None = None,
    frbr_uri: FrbrUri | str | None = None,
    title: str | None = None,
) -> Resolution:
    """Read an EP resolution from its PDF, using the layout (sizes, positions, rules).

    ``source`` is the PDF's bytes, a path, or a binary file object. ``lang``
    (ISO 639-1) overrides language detection; ``date`` supplies an adoption
    date and ``title`` a title the text does not print; ``strict=False`` accepts
    numbering slips with warnings, and ``ta_number``/``frbr_uri`` state the identity,
    as :func:`akn_ep.parse_text` does.

    Raises :class:`akn_ep.errors.ParseError` for a file that is not a PDF, is
    encrypted with a password, damaged, has no text layer (a scan), or does not
    read as a resolution. Line numbers in errors, warnings and
    ``report.artefacts`` count the rows of the PDF's text layer in reading order
    (:func:`extract_text` prints them); messages also name the page.

    Example:
        >>> parse_pdf(b"%PDF-1.4 truncated")
        Traceback (most recent call last):
        ...
        akn_ep.errors.ParseError: the PDF is damaged: it is truncated (its end-of-file marker \
'%%EOF' is missing) (expected: a complete PDF file)
    """
    layout = read_layout(source)
    lines = layout.lines
    date = stated_date(frbr_uri, date)
    if not lines.lines:
        raise ParseError("the PDF's text layer holds only page furniture and footnotes, no "
                         "resolution text", expected="a resolution")
    try:
        if lang is None:
            lang = detect("\n".join(line.text for line in lines.lines))
        r = parse(lines, lang=lang, date=date, strict=strict, title=title)
    except LanguageError as exc:
        raise LanguageError(f"PDF text: {exc.message}", line=exc.line,
                            expected=exc.expected) from None
    except ParseError as exc:
        where = _where(layout, exc.line)
        message = f"{exc.message} (PDF {where})" if where else exc.message
        raise ParseError(message, line=exc.line, expected=exc.expected) from None
    refuse_text_node_over_limit(r)
    warnings = tuple(_locate(layout, w) for w in layout.warnings + r.report.warnings)
    r = attrs.evolve(r, report=attrs.evolve(r.report, warnings=warnings))
    return state_identity(r, ta_number=ta_number, frbr_uri=frbr_uri)
