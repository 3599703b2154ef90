"""The text route: source text (str or bytes) → Resolution.

Stages, each its own module with one entry point: :func:`decode.decode`
(bytes → str), :func:`lines.normalise` (str → Lines), :func:`parse.parse`
(Lines → Resolution). :func:`parse_text` runs them in order.

Example:
    >>> r = parse_text("European Parliament resolution of 15 March 2012 on X (2012/2553(RSP))\\n"
    ...                "The European Parliament,\\n– having regard to Rule 110(4),\\n"
    ...                "A. whereas Y;\\n1. Instructs its President to forward this resolution.\\n")
    >>> r.lang, r.procedure, r.recitals[0].letter
    ('en', '2012/2553(RSP)', 'A')
"""

from __future__ import annotations

import datetime as _dt

import attrs

from ..akn.iri import FrbrUri, state_identity, stated_date
from ..errors import ParseError
from ..languages.detect import detect
from ..limits import MAX_LINES, MAX_TEXT_BYTES, MAX_XML_TEXT, text_node_over_limit
from ..model import Resolution
from ..warning import ParseWarning
from . import decode as _decode  # the module: the name "decode" stays the submodule's
from .lines import normalise
from .parse import parse as _parse_lines  # the name "parse" stays the subpackage's

__all__ = ["parse_text"]


def parse_text(
    text: str | bytes,
    *,
    lang: str | None = None,
    date: _dt.date | str | None = None,
    strict: bool = True,
    ta_number: str | None = None,
    frbr_uri: FrbrUri | str | None = None,
    title: str | None = None,
) -> Resolution:
    """Read an EP resolution from plain text as extracted from its PDF (or published clean).

    ``lang`` (ISO 639-1) overrides language detection; ``date`` supplies the
    adoption date and ``title`` the title where the text prints none; ``ta_number``
    (``P7_TA(2012)0089``) or a whole work IRI ``frbr_uri`` states the document's identity (see
    :func:`akn_ep.akn.iri.state_identity`: what the text prints must agree). Raises
    :class:`akn_ep.errors.ParseError` with a line number for input that is not a
    resolution; ``strict=False`` returns the best model with warnings instead
    where it can. What was removed as page furniture and every warning are in
    ``result.report`` (not part of equality), what decoding repaired or guessed
    (``decode.Decoded.notes``) first among the warnings.

    Example:
        >>> parse_text(b"Resolution on X\\nThe European Parliament,\\n"
        ...            b"1. Instructs its President to forward it.\\n", lang="en").body[0].num
        '1.'
    """
    if isinstance(text, (str, bytes, bytearray, memoryview)) and len(text) > MAX_TEXT_BYTES:
        unit = "characters" if isinstance(text, str) else "bytes"
        raise ParseError(f"the input is too large: {len(text)} {unit}, over the limit of "
                         f"{MAX_TEXT_BYTES} (akn_ep.limits.MAX_TEXT_BYTES)", line=None,
                         expected="a resolution's text (well under 1 MiB)")
    decoded = _decode.decode(text)
    body = decoded.text
    breaks = body.count("\n") + body.count("\f")  # each line and each page costs an object
    if breaks >= MAX_LINES:
        raise ParseError(f"the input has too many lines: {breaks + 1} lines and pages, over the "
                         f"limit of {MAX_LINES} (akn_ep.limits.MAX_LINES)", line=None,
                         expected="a resolution's text (a few thousand lines)")
    date = stated_date(frbr_uri, date)
    if not body or body.isspace():  # before detection, which cannot say where the text failed
        raise ParseError("the text is empty", line=1, expected="a resolution title")
    if lang is None:
        lang = detect(body)
    lines = normalise(body)
    r = _parse_lines(lines, lang=lang, date=date, strict=strict, title=title)
    # what decoding repaired or guessed, then what normalise decided on split evidence,
    # reach the report before the parser's warnings (NFC is no repair)
    notes = tuple(ParseWarning(f"decoding: {note}", None, "decode")
                  for note in decoded.notes if note != _decode.NFC_NOTE) + lines.warnings
    if notes:
        r = attrs.evolve(r, report=attrs.evolve(r.report, warnings=notes + r.report.warnings))
    if len(body) * 4 > MAX_XML_TEXT:  # else no run of its text can be that long in UTF-8
        refuse_text_node_over_limit(r)
    return state_identity(r, ta_number=ta_number, frbr_uri=frbr_uri)


def refuse_text_node_over_limit(r: Resolution) -> None:
    """ParseError when ``r`` holds a run of text its Akoma Ntoso cannot (see
    :func:`akn_ep.limits.text_node_over_limit`): refused here, not at validation."""
    over = text_node_over_limit(r)
    if over is not None:
        raise ParseError(f"the text holds {over}, which Akoma Ntoso would hold as one text "
                         f"node, over the limit of {MAX_XML_TEXT} bytes "
                         "(akn_ep.limits.MAX_XML_TEXT)", line=None,
                         expected="a resolution's text (paragraphs of a few kilobytes)")
