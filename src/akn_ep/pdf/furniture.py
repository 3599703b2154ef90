"""Page furniture: the running headers, footers and page numbers at a page's edges.

Rows in the top or bottom band of a page (:data:`_BAND` of its height) that repeat
(digits aside) at the same height on several pages, or that are smaller than the body
text and read as a page number, a ``PE…`` or ``P9_TA(…)`` reference or "United in
diversity", or a page number standing alone, are marked ``header`` or ``footer``;
:mod:`akn_ep.pdf.reader` reports them as artefacts.

Example:
    >>> _norm_key("PE 758.912v01-00 14/459")
    'PE #.#v#-# #/#'
"""

from __future__ import annotations

import re

from ..languages.furniture import motto_re, page_number_re
from ..vocabulary import TA_NUMBER
from .interpret import A4_HEIGHT, Page
from .rows import SMALL, Row, segments

__all__ = ["mark_furniture"]

# -- thresholds (points are PDF units, 1/72 inch; "em" is the font size) -------------
_BAND = 0.12  # header/footer band: this fraction of the page height at top and bottom
_SAME_Y = 3.0  # a running header repeats within this many points of height

_FURNITURE = re.compile(
    r"^(?:PE\s?\d{3}[.\s]?\d{3}(?:v\d+-\d+)?(?:/\s?\d{1,4})?"
    rf"|{TA_NUMBER}"
    r"|(?:RR|AM|AD|DT|PR|CM)\\?\d{6,7}[A-Z]{2}\.(?:docx?|rtf)"
    r"|\\?\d{6,7}[A-Z]{2}\.(?:docx?|rtf))$",
    re.IGNORECASE,
)


def _norm_key(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def mark_furniture(pages: list[Page], rows_by_page: list[list[Row]], body: float) -> None:
    """Mark the rows at the top and bottom of pages that are running headers and footers."""
    n_pages = len(pages)
    candidates: list[tuple[Row, str]] = []
    for page, rows in zip(pages, rows_by_page, strict=True):
        h = page.height or A4_HEIGHT
        top = _margin_block(rows, lambda r, h=h: r.y >= h * (1 - _BAND))
        bottom = _margin_block(rows[::-1], lambda r, h=h: r.y <= h * _BAND)
        candidates.extend((r, "top") for r in top)
        candidates.extend((r, "bottom") for r in bottom if not any(r is t for t in top))
    seen: dict[tuple[str, str], list[Row]] = {}
    for r, where in candidates:
        seen.setdefault((where, _norm_key(r.text)), []).append(r)
    for r, where in candidates:
        same = [o for o in seen[(where, _norm_key(r.text))] if abs(o.y - r.y) <= _SAME_Y]
        repeated = n_pages >= 2 and len({o.page for o in same}) >= max(2, 0.4 * n_pages)
        cells = segments(r)
        page_number = page_number_re().match
        patterned = bool(cells) and all(
            page_number(c) or _FURNITURE.match(c) or motto_re().match(c) for c in cells)
        small = r.size < SMALL * body
        lone_number = bool(cells) and all(page_number(c) for c in cells) and _isolated(
            r, rows_by_page[r.page - 1], body)
        if repeated or (patterned and small) or lone_number:
            r.kind = "header" if where == "top" else "footer"


def _margin_block(rows: list[Row], in_band) -> list[Row]:
    """The rows at one edge of the page set apart from the rest by a clear gap.

    ``rows`` run from the edge inwards; at most three rows, all in the band,
    and the gap after the last of them wider than 1.5 lines of either side, so
    tightly set footnotes at a page's foot are never taken for a footer.
    """
    for k in range(min(3, len(rows))):
        if not in_band(rows[k]):
            return []
        if k + 1 == len(rows):
            return rows[: k + 1]
        gap = abs(rows[k].y - rows[k + 1].y)
        if gap >= 1.5 * max(rows[k].size, rows[k + 1].size):
            return rows[: k + 1]
    return []


def _isolated(row: Row, rows: list[Row], body: float) -> bool:
    """Whether no other row comes within two body lines of ``row``."""
    return all(o is row or abs(o.y - row.y) > 2.4 * body for o in rows)
