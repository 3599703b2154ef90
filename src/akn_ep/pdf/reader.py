"""PDF → :class:`~akn_ep.lines.Lines`, read from the layout rather than from text.

The text route guesses what a PDF extraction left behind; here the page says it.
:func:`read_layout` runs one step per module:

1. **Interpreting** (:mod:`.interpret`, :mod:`.tokenizer`): pdfminer.six interprets
   each page's content stream and hands every run of glyphs over with its font size
   and position (recorded by a device of our own, without pdfminer's layout analysis,
   which is most of its cost), with the page's horizontal rules and images.
2. **Rows** (:mod:`.rows`): runs are grouped into rows by baseline, superscripts and
   subscripts merged into their row, so a footnote call ("Asia¹,") becomes digits glued
   to the word they follow ("Asia1,"), exactly as in extracted text; an item marker
   shares its text's row; each row's text and its calls.
3. **Page furniture** (:mod:`.furniture`): running headers, footers and page numbers
   are removed and reported as :class:`~akn_ep.model.Artefact` values
   (``running-header``, ``running-footer``, ``page-number``).
4. **Footnotes** (:mod:`.notes`): the foot zone of each page, the notes in it (also
   across a page break), and the raised calls of the text the notes belong to.
5. **Lines** (here): content rows are numbered in reading order, page after page, so
   a recital or paragraph that runs over a page break is simply continued by the
   parser, and every footnote body comes after the line that calls it; each line's
   ``indent`` is its left edge in half-em steps from the page's text margin.

Line numbers (``Line.no``, ``Footnote.line``, ``Artefact.line``) count every
row of the text layer in reading order, furniture and foot zone included; they
are the line numbers of :func:`extract_text`'s output.

Example:
    >>> from akn_ep.pdf.reader import read_lines
    >>> read_lines(b"not a pdf")
    Traceback (most recent call last):
    ...
    akn_ep.errors.ParseError: this is not a PDF: it does not start with '%PDF-' \
(expected: a PDF file)
"""

from __future__ import annotations

import attrs

from ..languages.furniture import page_number_re
from ..lines import Footnote, Line, Lines
from ..model import Artefact
from ..warning import ParseWarning
from .furniture import mark_furniture
from .interpret import PdfSource, is_pdf, read_pages
from .notes import located_calls, read_notes
from .rows import RowKind, body_size, page_rows, row_text, segments, take_calls

__all__ = ["PdfSource", "Layout", "read_layout", "read_lines", "extract_text", "is_pdf",
           "page_of"]


# -- assembling Lines ---------------------------------------------------------------------------


@attrs.frozen
class Layout:
    """What the PDF reader found: the :class:`Lines` for the parser, plus page geometry.

    ``page_starts[i]`` is the first line number of page ``i + 1``; ``rows`` holds
    every row of the text layer as ``(line number, page, kind, text)``, its kind a
    :data:`~akn_ep.pdf.rows.RowKind`; ``warnings`` says what the reader found odd.
    """

    lines: Lines
    page_starts: tuple[int, ...]
    rows: tuple[tuple[int, int, RowKind, str], ...]
    warnings: tuple[str, ...] = ()
    body_size: float = 0.0

    @property
    def pages(self) -> int:
        """Number of pages."""
        return len(self.page_starts)


def page_of(layout: Layout, line: int) -> tuple[int, int]:
    """(page, line on that page) of a line number of the PDF route.

    Example:
        >>> from akn_ep.text.lines import Lines
        >>> page_of(Layout(Lines(()), (1, 40), ()), 45)
        (2, 6)
    """
    page = 1
    for i, start in enumerate(layout.page_starts, 1):
        if start <= line:
            page = i
    return page, line - layout.page_starts[page - 1] + 1


def read_layout(source: PdfSource) -> Layout:
    """Read a PDF into a :class:`Layout` (its :class:`Lines` and where each row was).

    Raises :class:`akn_ep.errors.ParseError` for a file that is not a PDF, is
    encrypted with a password, damaged, or has no text layer.

    Example:
        >>> read_layout(b"%PDF-1.4\\n1 0 obj")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        akn_ep.errors.ParseError: the PDF is damaged: it is truncated ...
    """
    pages = read_pages(source)
    rows_by_page = [page_rows(p) for p in pages]
    for rows in rows_by_page:
        for r in rows:
            r.text, r.calls = take_calls(row_text(r, mark_calls=True))
    rows_by_page = [[r for r in rows if r.text] for rows in rows_by_page]
    body = body_size(r for rows in rows_by_page for r in rows)
    mark_furniture(pages, rows_by_page, body)

    # number every row in reading order
    no = 0
    page_starts: list[int] = []
    for rows in rows_by_page:
        page_starts.append(no + 1)
        for r in rows:
            no += 1
            r.no = no
    if not page_starts:
        page_starts = [1]

    artefacts: list[Artefact] = []
    warnings: list[ParseWarning] = []
    for page, rows in zip(pages, rows_by_page, strict=True):
        if page.number > 1:
            artefacts.append(Artefact(page_starts[page.number - 1], "page-break", "\f"))
        if page.undefined:
            warnings.append(ParseWarning(f"{page.undefined} glyph(s) on page {page.number} have "
                                         "no Unicode mapping in their font and are missing "
                                         "from the text", page_starts[page.number - 1], "glyphs"))
        if page.rotated:
            artefacts.append(Artefact(page_starts[page.number - 1], "rotated-text",
                                      "".join(page.rotated).strip() or "?"))
        for r in rows:
            if r.kind in ("header", "footer"):
                for cell in segments(r):
                    kind = "page-number" if page_number_re().match(cell) else (
                        "running-header" if r.kind == "header" else "running-footer")
                    artefacts.append(Artefact(r.no, kind, cell))
    notes = read_notes(pages, rows_by_page, body, warnings, artefacts)

    lines: list[Line] = []
    left = min((r.x0 for rows in rows_by_page for r in rows if r.kind == "content"), default=0.0)
    calls: list[tuple[int, int, int, str]] = []  # line, start, end, mark
    for page, rows in zip(pages, rows_by_page, strict=True):
        first = True
        prev_y: float | None = None
        for r in rows:
            if r.kind != "content":
                continue
            blank = 1 if prev_y is not None and prev_y - r.y > 1.9 * r.size else 0
            indent = max(0, round((r.x0 - left) / (0.5 * body)))
            lines.append(Line(no=r.no, text=r.text, indent=indent, blank_before=blank,
                              page_break=first and page.number > 1))
            calls.extend((r.no, a, b, mark) for a, b, mark in r.calls)
            first = False
            prev_y = r.y
    footnotes = tuple(Footnote(marker=m, text=t, line=n) for m, t, n, _ in notes if t)
    for m, t, n, _ in notes:
        if not t:
            warnings.append(ParseWarning(f"footnote {m} has no text", n, "footnote"))
    located = located_calls(calls, footnotes)
    return Layout(
        lines=Lines(lines=tuple(lines), footnotes=footnotes,
                    artefacts=tuple(sorted(artefacts, key=lambda a: a.line)), source_lines=no,
                    calls=located),
        page_starts=tuple(page_starts),
        rows=tuple((r.no, r.page, r.kind, r.text) for rows in rows_by_page for r in rows),
        warnings=tuple(warnings),
        body_size=body,
    )


def read_lines(source: PdfSource) -> Lines:
    """Read a PDF into the same :class:`~akn_ep.lines.Lines` the text route builds.

    Content lines carry footnote calls as digits glued to the word they follow
    ("resources1,"); footnote bodies and removed page furniture are separate.

    Example:
        >>> read_lines(b"%PDF-1.4\\n%%EOF")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        akn_ep.errors.ParseError: the PDF is damaged and cannot be read ...
    """
    return read_layout(source).lines


def extract_text(source: PdfSource) -> str:
    """The PDF's text layer as the reader sees it: one row a line, pages split by form feeds.

    Superscript calls are glued to their word; headers, footers and footnotes
    are included, so line *n* of the result is line *n* of error messages,
    warnings and artefacts.

    Example:
        >>> extract_text(b"%PDF-1.4\\n%%EOF")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        akn_ep.errors.ParseError: the PDF is damaged and cannot be read ...
    """
    layout = read_layout(source)
    out: list[str] = []
    page = 1
    for _no, pg, _kind, text in layout.rows:
        if pg != page:
            text = "\f" * (pg - page) + text
            page = pg
        out.append(text)
    return "\n".join(out) + "\n"
