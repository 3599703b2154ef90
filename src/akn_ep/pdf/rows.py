"""The rows of a page: glyph runs grouped by baseline, superscripts merged, as text.

A row of glyphs smaller than the row just below it (:data:`_SUP_RATIO`) and raised
above that row's baseline by less than :data:`_SUP_RISE` of its size is a row of
*superscripts* and is merged into it: a footnote call ("Asia¹,") becomes digits glued
to the word they follow, with no space, exactly as in extracted text ("Asia1,").
Lowered small glyphs (subscripts, :data:`_SUB_DROP`) are merged the same way. Words
are separated where the document has a space glyph or a gap wider than
:data:`~akn_ep.pdf.interpret.SPACE_GAP`, so justified text drawn word by word reads the
same as text drawn with spaces. An item marker ("–", "A.", "1.", "(a)") and its text
share a baseline, so they share a row whatever the gap between the columns; a marker
printed alone slightly off its text's baseline is joined to the row it stands beside.

Example:
    >>> take_calls("Asia\ue0f11\ue0f2, and")
    ('Asia1, and', ((4, 5, '1'),))
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from ..vocabulary import DASH_CLASS
from .interpret import SPACE_GAP, Page, Run

__all__ = ["Row", "RowKind", "SMALL", "page_rows", "row_text", "take_calls",
           "is_mark", "segments", "body_size"]

# -- thresholds (points are PDF units, 1/72 inch; "em" is the font size) -------------
_SUP_RATIO = 0.85  # a superscript is at most this fraction of its line's size
_SUP_RISE = 0.7  # ... raised above its line's baseline by less than this many ems
_SUB_DROP = 0.4  # a subscript is lowered by less than this many ems
SMALL = 0.9  # small text (foot zone, furniture) is below this fraction of the body size

_MARKER_ONLY = re.compile(
    rf"^(?:{DASH_CLASS}|\(?[a-zA-Z]{{1,4}}\)|[A-Z]{{1,2}}\.|\d{{1,3}}\.|\([ivxlc]{{1,6}}\))$")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_SPACES = {" ", "\xa0", "\u2002", "\u2003", "\u2009", "\u202f", "\t"}


#: What a row is, decided by the steps after this one: text of the document
#: (``content``), a footnote (:mod:`.notes`), page furniture (:mod:`.furniture`).
RowKind = Literal["content", "footnote", "header", "footer"]


# -- rows ---------------------------------------------------------------------------------


class Row:
    """Runs on one baseline (with the superscripts merged into it), left to right."""

    __slots__ = ("page", "y", "size", "chars", "x0", "x1", "text", "no", "kind", "calls")

    def __init__(self, page: int, chars: list[Run]) -> None:
        self.page = page
        self.chars = chars
        self.y = chars[0].y
        self.kind: RowKind = "content"
        self.no = 0
        self.text = ""
        self.calls: tuple[tuple[int, int, str], ...] = ()
        self.measure()

    def measure(self) -> None:
        """Dominant font size (by glyph count, superscripts aside) and horizontal extent."""
        sizes: dict[float, int] = {}
        for c in self.chars:
            if not c.sup:
                n = len(c.text.strip())
                if n:
                    sizes[c.size] = sizes.get(c.size, 0) + n
        if not sizes:
            sizes = {c.size: 1 for c in self.chars}
        self.size = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))[0]
        self.x0 = min(c.x0 for c in self.chars)
        self.x1 = max(c.x1 for c in self.chars)

    def visible(self) -> list[Run]:
        return [c for c in self.chars if c.text.strip()]


def page_rows(page: Page) -> list[Row]:
    """Group a page's glyphs into rows by baseline, top to bottom, superscripts merged."""
    chars = sorted(page.chars, key=lambda c: (-c.y, c.x0))
    groups: list[list[Run]] = []
    for ch in chars:
        if groups:
            g = groups[-1]
            if g[0].y - ch.y <= max(0.5, 0.12 * max(g[0].size, ch.size)):
                g.append(ch)
                continue
        groups.append([ch])
    rows = [Row(page.number, sorted(g, key=lambda c: c.x0)) for g in groups]
    rows = _join_marker_rows([r for r in rows if r.visible()] or rows)
    out: list[Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        below = rows[i + 1] if i + 1 < len(rows) else None
        above = out[-1] if out else None
        if below is not None and _is_raised(row, below):
            for c in row.chars:
                c.sup = 1
            below.chars = sorted(below.chars + row.chars, key=lambda c: c.x0)
            below.measure()
            i += 1
            continue
        if above is not None and _is_lowered(row, above):
            for c in row.chars:
                c.sup = -1
            above.chars = sorted(above.chars + row.chars, key=lambda c: c.x0)
            above.measure()
            i += 1
            continue
        out.append(row)
        i += 1
    return out


def _small_row(row: Row, other: Row) -> bool:
    vis = row.visible()
    return bool(vis) and max(c.size for c in vis) <= _SUP_RATIO * other.size


def _within(row: Row, other: Row) -> bool:
    # a call ends a line; a note's number stands left of its text, a tab away (Word sets
    # the note text 35.5 pt from its number: 3.5 em of a 10 pt note)
    slack = 3 * other.size
    return row.x0 >= other.x0 - 2 * slack and row.x1 <= other.x1 + slack


def _is_raised(row: Row, below: Row) -> bool:
    rise = row.y - below.y
    return (0 < rise <= _SUP_RISE * below.size and _small_row(row, below)
            and _within(row, below))


def _is_lowered(row: Row, above: Row) -> bool:
    drop = above.y - row.y
    return (0 < drop <= _SUB_DROP * above.size and _small_row(row, above)
            and _within(row, above))


def _join_marker_rows(rows: list[Row]) -> list[Row]:
    """Join an item marker printed alone, off its text's baseline, to the row beside it."""
    gone: set[int] = set()
    for i, row in enumerate(rows):
        text = "".join(c.text for c in row.visible()).strip()
        if not _MARKER_ONLY.match(text):
            continue
        for j in (i + 1, i - 1, i + 2, i - 2):
            if not 0 <= j < len(rows) or j in gone or j == i:
                continue
            other = rows[j]
            if (abs(row.y - other.y) <= 0.5 * max(row.size, other.size)
                    and other.x0 > row.x1 and abs(row.size - other.size) < 1.5):
                for c in row.chars:
                    c.y = other.y
                other.chars = row.chars + other.chars
                other.measure()
                gone.add(i)
                break
    return [r for i, r in enumerate(rows) if i not in gone]


#: Brackets put around a raised footnote call while a row's text is assembled
#: (private-use characters no font maps to); :func:`take_calls` removes them and
#: keeps where the call stood.
_CALL_OPEN, _CALL_CLOSE = "\ue0f1", "\ue0f2"
#: Raised symbols that are footnote marks, as digits are ("+ OJ: Please insert …").
_NOTE_SYMBOLS = frozenset("*+†‡§")


def is_mark(text: str) -> bool:
    """Does a raised run print a footnote mark: 1–3 digits or one of :data:`_NOTE_SYMBOLS`?"""
    return (text.isdigit() and len(text) <= 3) or (len(text) == 1 and text in _NOTE_SYMBOLS)


_MARKED_CALL = re.compile(f"{_CALL_OPEN}([^{_CALL_OPEN}{_CALL_CLOSE}]*){_CALL_CLOSE}")


def take_calls(text: str) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """``text`` without the call brackets, and each call's (start, end, mark) in it.

    Only a bracketed mark is a call: the same characters printed by the PDF itself (a
    font may map a glyph to any code point) are left as they are.

    Example:
        >>> take_calls("of 29 December 2021\ue0f11\ue0f2, and set out\ue0f13\ue0f2;")
        ('of 29 December 20211, and set out3;', ((19, 20, '1'), (33, 34, '3')))
    """
    if _CALL_OPEN not in text:
        return text, ()
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    at = last = 0  # length of the text kept so far; where the unread text starts
    for m in _MARKED_CALL.finditer(text):
        out.append(text[last:m.start()])
        at += m.start() - last
        mark = m.group(1)
        out.append(mark)
        if is_mark(mark):  # not "1234", a number too long to be a call
            spans.append((at, at + len(mark), mark))
        at += len(mark)
        last = m.end()
    out.append(text[last:])
    return "".join(out), tuple(spans)


def row_text(row: Row, mark_calls: bool = False) -> str:
    """The row's text: word spaces from space glyphs or gaps, calls glued to their word.

    With ``mark_calls``, each raised footnote call is bracketed by
    :data:`_CALL_OPEN`/:data:`_CALL_CLOSE` (see :func:`take_calls`).
    """
    out: list[str] = []
    prev: Run | None = None
    for ch in row.chars:
        t = ch.text
        core = t.strip()
        if not core:
            if prev is not None and out and out[-1] != " ":
                out.append(" ")
            continue
        if prev is not None and core == prev.text.strip() and abs(ch.x0 - prev.x0) < 0.3:
            continue  # the same text drawn twice (fake bold, shadow)
        if prev is not None:
            if ch.sup == 1 and is_mark(core) and prev.sup != 1:
                while out and out[-1] == " ":  # a footnote call is glued to its word
                    out.pop()
                if out:
                    out[-1] = out[-1].rstrip()
                if mark_calls:
                    out.append(_CALL_OPEN + core + _CALL_CLOSE + (" " if t[-1] in _SPACES else ""))
                    prev = ch
                    continue
            elif (mark_calls and ch.sup == 1 and core.isdigit() and out
                  and out[-1].endswith(_CALL_CLOSE)):
                out[-1] = out[-1][:-1] + core + _CALL_CLOSE  # a call drawn in two runs: "1", "2"
                prev = ch
                continue
            elif (t[0] in _SPACES or ch.x0 - prev.x1 > SPACE_GAP * max(
                    ch.size if ch.sup != 1 else 0.0, prev.size if prev.sup != 1 else 0.0, 1.0)):
                if out and out[-1] != " ":
                    out.append(" ")
        out.append(core if t[-1] not in _SPACES else core + " ")
        prev = ch
    text = " ".join("".join(out).split())
    if any(lig in text for lig in _LIGATURES):
        for lig, repl in _LIGATURES.items():
            text = text.replace(lig, repl)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def segments(row: Row) -> list[str]:
    """The row cut where runs are more than 2 em apart or split by wide spacing (cells)."""
    cells: list[list[Run]] = [[]]
    prev: Run | None = None
    for ch in row.chars:
        if not ch.text.strip():
            continue
        if prev is not None and ch.x0 - prev.x1 > 2 * max(row.size, 1.0):
            cells.append([])
        cells[-1].append(ch)
        prev = ch
    out: list[str] = []
    for cell in cells:
        if not cell:
            continue
        raw = "".join(c.text for c in cell)
        if re.search(r"\s{3,}|\t", raw):  # cells set apart by spaces in one string
            out.extend(" ".join(p.split()) for p in re.split(r"\s{3,}|\t", raw) if p.strip())
        else:
            out.append(row_text(Row(row.page, cell)))
    return [c for c in out if c]


def body_size(rows: Iterable[Row]) -> float:
    """The font size most of the text is set in."""
    count: dict[float, int] = {}
    for r in rows:
        for c in r.chars:
            if not c.sup:
                size = round(c.size, 1)
                count[size] = count.get(size, 0) + len(c.text)
    return max(count.items(), key=lambda kv: kv[1])[0] if count else 10.0
