"""Footnotes: the foot zone of each page, the notes in it, and the calls they belong to.

The foot zone is what lies below a horizontal rule (a short separator, or Word's
full-width continuation separator) when everything below it is smaller than the body
text; without a rule, a trailing run of small rows that opens with a footnote number.
In it, a row that opens with a superscript number (or, where notes carry no
superscripts, with the next footnote number) opens a footnote; other rows continue the
open one, also across a page break (rows of the foot zone before the first number
continue the last note of the previous page).

Example:
    >>> _series_end(["1", "2", "1"])
    2
"""

from __future__ import annotations

import re

from ..lines import Call, Footnote
from ..model import Artefact
from ..warning import ParseWarning
from .interpret import A4_HEIGHT, A4_WIDTH, Page
from .rows import SMALL, Row, is_mark

__all__ = ["read_notes", "located_calls"]

# -- footnotes --------------------------------------------------------------------------------


def _foot_zone(page: Page, rows: list[Row], body: float, continued: bool) -> int | None:
    """Index of the first row of the page's foot zone (footnotes), or None.

    Decided by geometry and font, never by what the rows say:

    - a horizontal rule with only smaller text below it (the seed's layout);
    - Word's layout, where notes are set as large as the text: a *short* rule
      (at most half the page wide) that starts at the text's left margin, with
      a row opening with a raised mark (a digit or ``*``/``+``/``†``) right below it;
    - Word's continuation separator: a rule from the left margin on a page that
      follows a page with notes (``continued``), over the rest of a note;
    - no rule: a trailing run of small rows that opens with a footnote number.
    """
    content = [i for i, r in enumerate(rows) if r.kind == "content"]
    if not content:
        return None
    margin = min(rows[i].x0 for i in content)
    width = page.width or A4_WIDTH
    for x0, x1, y in sorted(page.rules, key=lambda r: -r[2]):
        if not 10 <= x1 - x0 <= 0.95 * width:
            continue
        below = [i for i in content if rows[i].y < y]
        above = [i for i in content if rows[i].y > y]
        if not below or not above or rows[below[0]].y <= y - 3 * body:
            continue
        if all(rows[i].size < SMALL * body for i in below):
            return below[0]
        if abs(x0 - margin) > 3.0:
            continue  # a rule under a centred heading, not a footnote separator
        if x1 - x0 <= 0.5 * width and _raised_mark(rows[below[0]]) is not None:
            return below[0]
        if continued and _raised_mark(rows[below[0]]) is None and y < 0.5 * (
                page.height or A4_HEIGHT):  # the foot, not a table's border mid-page
            return below[0]
    # no rule: a trailing run of small rows that opens with a footnote number
    start = None
    for i in reversed(content):
        if rows[i].size < SMALL * body:
            start = i
        else:
            break
    if start is not None and _note_marker(rows[start], strict=False) is not None:
        return start
    return None


def _raised_mark(row: Row) -> str | None:
    """The raised footnote mark a row opens with ("1", "12", "+"), or None."""
    vis = row.visible()
    if not vis or vis[0].sup != 1:
        return None
    mark = vis[0].text.strip()
    for c in vis[1:]:  # a number drawn in several runs
        if c.sup != 1 or not (mark + c.text.strip()).isdigit():
            break
        mark += c.text.strip()
    return mark if is_mark(mark) else None


def _note_marker(row: Row, strict: bool) -> str | None:
    """The footnote mark a foot-zone row opens with, if any.

    A raised mark (digits, or a symbol such as ``*``) always counts; with
    ``strict=False`` so does a plain number followed by a space or a gap.
    """
    vis = row.visible()
    if len(vis) < 2 and not (vis and not strict):
        return None
    raised = _raised_mark(row)
    if raised is not None:
        return raised
    if strict:
        return None
    m = re.match(r"^(\d{1,3})\s+\S", row.text)
    return m.group(1) if m else None


def _series_end(marks: list[str]) -> int:
    """How many notes, from the first, belong to the document's first series of notes.

    A later part of the document that numbers its notes again from 1 (the
    Parliament's position after a legislative resolution) starts where a number
    is not greater than the one before it, or a symbol mark comes again.

    Example:
        >>> _series_end(["1", "2", "3", "1", "2"]), _series_end(["1", "*", "2"])
        (3, 3)
    """
    last = 0
    seen: set[str] = set()
    for k, mark in enumerate(marks):
        if mark.isdigit():
            if int(mark) <= last:
                return k
            last = int(mark)
        elif mark in seen:
            return k
        seen.add(mark)
    return len(marks)


def _join_note(left: str, right: str) -> str:
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if re.search(r"[^\W\d_]-$", left) and right[:1].islower():
        return left + right
    return f"{left} {right}"


def read_notes(pages: list[Page], rows_by_page: list[list[Row]], body: float,
                warnings: list[str], artefacts: list[Artefact]) -> list[list]:
    """The notes of the document's first series, as ``[mark, text, line, rows]``.

    Marks the rows of each page's foot zone ``footnote``; a row opening with a
    mark opens a note, any other row continues the open one (across a page
    break too). Where the numbering starts again (:func:`_series_end`), the
    notes from there on belong to another part of the document: their rows go
    back to the text, where they were printed (nothing is lost), and a warning
    says so; they are not attached to the first part's calls.
    """
    zones: list[int | None] = []
    continued = False
    for page, rows in zip(pages, rows_by_page, strict=True):
        foot = _foot_zone(page, rows, body, continued)
        zones.append(foot)
        continued = foot is not None
    raised = any(_raised_mark(r) is not None for rows, foot in zip(rows_by_page, zones, strict=True)
                 if foot is not None for r in rows[foot:])
    plain_markers = not raised
    notes: list[list] = []
    for page, rows, foot in zip(pages, rows_by_page, zones, strict=True):
        if foot is None:
            continue
        for r in rows[foot:]:
            if r.kind != "content":
                continue
            r.kind = "footnote"
            m = _note_marker(r, strict=not plain_markers)
            if m is not None and plain_markers and notes and notes[-1][0].isdigit() and (
                    m != str(int(notes[-1][0]) + 1)):
                m = None  # "2012. gada …" continuing a note is no footnote number
            if m is not None:
                notes.append([m, r.text[len(m):].strip(), r.no, [r]])
            elif notes:
                notes[-1][1] = _join_note(notes[-1][1], r.text)
                notes[-1][3].append(r)
            else:
                warnings.append(ParseWarning(f"text in the foot zone of page {page.number} "
                                             "before any footnote number; reported, not kept",
                                             r.no, "footnote"))
                artefacts.append(Artefact(r.no, "orphan-footnote-text", r.text))
    cut = _series_end([n[0] for n in notes])
    if cut < len(notes):
        for n in notes[cut:]:
            for r in n[3]:
                r.kind = "content"
        first = notes[cut]
        warnings.append(ParseWarning(
            f"footnote numbering starts again at {first[0]} here (after "
            f"note {notes[cut - 1][0]}): a later part of the document with notes of its own; "
            f"its {len(notes) - cut} note(s) are kept as text where they are printed, not "
            "attached to the first part's calls", first[2], "footnote"))
    return notes[:cut]


def located_calls(calls: list[tuple[int, int, int, str]], notes: tuple[Footnote, ...]
                   ) -> tuple[Call, ...]:
    """The raised calls of the part of the text the notes belong to, as :class:`Call` values.

    Every raised mark before the last note's line is listed, in order: the parser
    attaches each note at the first call with its mark, and says so where a call has
    no note. Raised marks after that line belong to a later part (whose notes stay
    text, numbered again from 1) and are not listed.
    """
    if not notes:
        return ()
    end = max(n.line for n in notes)
    return tuple(Call(line, a, b, mark) for line, a, b, mark in calls if line < end)
