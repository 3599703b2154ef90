"""Step 6 of the HTML route: what follows the text → amendments, tables, sections.

- An **amendment** is a two-column table whose first non-empty row heads the columns
  ("Present text" | "Amendment"), printed under one to four centred lines: its number
  ("Amendment 1"), the act it amends ("Parliament's Rules of Procedure") and the place
  ("Rule 10 – paragraph 6 – subparagraph 2"). Each further row is an
  :class:`~akn_ep.model.AmendmentRow`; text in bold italics is a
  :class:`~akn_ep.model.Change`. Under a rule ("_____") in a column, a paragraph opening
  with a raised marker is a footnote body ("12a See Annex II."): it is attached at the
  raised call with that marker in the amendment. A raised marker with no body anywhere
  stays text, with a warning.
- Any other table is a :class:`~akn_ep.model.Table` (rows of cells, none dropped).
- A heading (``h1``–``h6``, or a short line in capitals) opens a **section**, kept as an
  :class:`~akn_ep.model.Annex` titled by the heading; paragraphs and tables after it are
  its blocks. Paragraphs before any section are ``trailing`` text.

Example:
    >>> from akn_ep.html.blocks import Block, Run
    >>> cell = lambda *runs: [Block(0, "text", list(runs))]
    >>> table = Block(3, "table", rows=[[cell(Run("Present text")), cell(Run("Amendment"))],
    ...     [cell(Run("Members may")), cell(Run("Members may "), Run("not", bold=True,
    ...                                                             italic=True))]])
    >>> heads = [Block(1, "text", [Run("Amendment 1")], centered=True),
    ...          Block(2, "text", [Run("Rule 10")], centered=True)]
    >>> out = read_rest(heads + [table], {})
    >>> out.amendments[0].num, out.amendments[0].target, out.amendments[0].rows[0].amended
    ('Amendment 1', 'Rule 10', ('Members may ', Change(text='not')))
"""

from __future__ import annotations

import attrs

from ..model import Amendment, AmendmentRow, Artefact, Change, FootnoteRef, Table, _to_inline
from ..warning import ParseWarning
from .blocks import Block, Run
from .document import Note, is_marker, is_rule, marker_of

__all__ = ["Rest", "read_rest"]

_MAX_HEADS = 4  # centred lines over an amendment table


@attrs.define
class Rest:
    """What :func:`read_rest` made of the blocks after the text."""

    amendments: list[Amendment] = attrs.Factory(list)
    #: sections: [title, blocks]; the first may continue the parsed text's last annex
    sections: list[list] = attrs.Factory(list)
    trailing: list[tuple] = attrs.Factory(list)
    warnings: list[ParseWarning] = attrs.Factory(list)
    artefacts: list[Artefact] = attrs.Factory(list)
    used_notes: set[str] = attrs.Factory(set)  # page notes (by link target) attached here
    used_local: set[str] = attrs.Factory(set)  # notes under a rule (by marker) attached here
    #: footnote markers the document uses already: one marker is one note document-wide
    taken: set[str] = attrs.Factory(set)


def _is_heading(b: Block) -> bool:
    text = b.text
    if b.kind == "heading":
        return True
    letters = [c for c in text if c.isalpha()]
    return (len(text) <= 120 and len(letters) >= 4 and all(c.isupper() for c in letters)
            and text[-1:] not in ".;,")


def _header_row(rows: list[list[list[Block]]]) -> int | None:
    """Index of the row that heads an amendment table's two columns, or None."""
    for i, row in enumerate(rows):
        texts = [" ".join(b.text for b in cell).strip() for cell in row]
        if not any(texts):
            continue
        if len(row) == 2 and all(texts) and all(len(t) <= 60 for t in texts):
            return i
        return None
    return None


def _is_amendment(b: Block) -> bool:
    return (b.kind == "table" and all(len(row) <= 2 for row in b.rows)
            and _header_row(b.rows) is not None)


def read_rest(blocks: list[Block], notes: dict[str, Note],
              open_section: list | None = None, taken: set[str] | None = None) -> Rest:
    """Amendments, tables and sections from the blocks after the text (see the module
    docstring). ``open_section`` ([title, blocks]) is an annex the text ended in: blocks
    before any heading continue it."""
    out = Rest(taken=set(taken or ()))
    if open_section is not None:
        out.sections.append(open_section)
    pending: list[Block] = []

    def flush() -> None:
        for b in pending:
            if is_rule(b.text):
                out.artefacts.append(Artefact(b.no, "footnote-rule", b.text))
                continue
            text = _inline(b.runs, notes, out, b.no)
            if not text:
                continue
            if out.sections:
                out.sections[-1][1].append(text)
            else:
                out.trailing.append(text)
        pending.clear()

    for b in blocks:
        if b.kind == "table":
            heads: list[Block] = []
            if _is_amendment(b):
                while pending and pending[-1].centered and len(heads) < _MAX_HEADS:
                    heads.insert(0, pending.pop())
            flush()
            if heads:
                out.amendments.append(_amendment(heads, b, notes, out))
            else:
                table = _table(b, notes, out)
                if table is None:
                    continue
                if not out.sections:
                    out.warnings.append(ParseWarning(
                        "a table under no heading: kept as an annex titled '(table)'", b.no,
                        "table"))
                    out.sections.append(["(table)", []])
                out.sections[-1][1].append(table)
        elif _is_heading(b):
            flush()
            out.sections.append([b.text, []])
        else:
            pending.append(b)
    flush()
    return out


def _amendment(heads: list[Block], b: Block, notes: dict[str, Note], out: Rest) -> Amendment:
    texts = [h.text for h in heads]
    num = texts[0]
    document = texts[1] if len(texts) >= 3 else None
    target = " ".join(texts[2:]) if len(texts) >= 3 else (texts[1] if len(texts) == 2 else None)
    if len(texts) > 3:
        out.warnings.append(ParseWarning(
            f"amendment {num!r} has {len(texts)} heading lines; lines after the third are "
            "joined to its place", heads[0].no, "amendment"))
    rows = [row for row in b.rows if any(blk.text for cell in row for blk in cell)]
    h = _header_row(rows) or 0
    columns = tuple(" ".join(blk.text for blk in cell) for cell in rows[h])
    body = rows[h + 1:]
    # footnote bodies under a rule, per column: "12a See Annex II."
    local: dict[str, str] = {}
    kept: list[list[list[Block]]] = []
    ruled = [False, False]
    for row in body:
        cells = (row + [[], []])[:2]
        for col, cell in enumerate(cells):
            if cell and all(is_rule(blk.text) for blk in cell if blk.text):
                ruled[col] = True
                out.artefacts.append(Artefact(cell[0].no, "footnote-rule", cell[0].text))
                cells[col] = []
            elif ruled[col] and cell and _note_in(cell):
                for blk in cell:
                    marker, text = _note_in([blk]) or ("", "")
                    if marker:
                        local[marker] = text
                cells[col] = []
        if any(cells):
            kept.append(cells)
    rows_out = []
    for present, amended in kept:
        p = _cell(present, notes, local, out)
        a = _cell(amended, notes, local, out)
        if p or a:
            rows_out.append(AmendmentRow(p, a))
    unused = set(local) - out.used_local
    for marker in sorted(unused):
        out.warnings.append(ParseWarning(
            f"note {marker} under the rule of amendment {num!r} is called nowhere in it: kept "
            "as a row", b.no, "footnote"))
        rows_out.append(AmendmentRow((), (f"{marker} {local[marker]}",)))
    if not rows_out:
        rows_out.append(AmendmentRow((), ("(no text)",)))
        out.warnings.append(ParseWarning(f"amendment {num!r} has no rows of text", b.no,
                                         "amendment"))
    return Amendment(num, document, target, (columns + ("", ""))[:2] if len(columns) < 2
                     else columns[:2], rows_out)


def _note_in(cell: list[Block]) -> tuple[str, str] | None:
    """(marker, text) when the cell's first paragraph opens with a raised marker."""
    runs = [r for r in cell[0].runs if r.text.strip()]
    if runs and runs[0].sup and is_marker(runs[0].text):
        rest = " ".join("".join(r.text for r in runs[1:]).split())
        return marker_of(runs[0].text), rest
    return None


def _cell(cell: list[Block], notes: dict[str, Note], local: dict[str, str], out: Rest) -> tuple:
    parts: list = []
    for i, blk in enumerate(cell):
        if i:
            parts.append(" ")
        parts.extend(_parts(blk.runs, notes, local, out, blk.no, changes=True))
    return tuple(parts)


def _parts(runs: list[Run], notes: dict[str, Note], local: dict[str, str], out: Rest,
           no: int, changes: bool) -> list:
    parts: list = []
    for r in runs:
        text = r.text
        target = r.href[1:] if r.href and r.href.startswith("#") else None
        stripped = text.strip()
        if stripped and is_marker(text) and (r.sup or target in notes):
            marker = marker_of(text)
            body = notes[target].text if target in notes else local.get(marker)
            if body:
                if target in notes:
                    out.used_notes.add(target)
                else:
                    out.used_local.add(marker)
                if parts and isinstance(parts[-1], str):
                    parts[-1] = parts[-1].rstrip()
                unique, k = marker, 2
                while unique in out.taken:
                    unique, k = f"{marker}-{k}", k + 1
                if unique != marker:
                    out.warnings.append(ParseWarning(
                        f"footnote marker {marker!r} is used twice in the document: this one "
                        f"is read as {unique!r}", no, "footnote"))
                out.taken.add(unique)
                parts.append(FootnoteRef(unique, body))
                continue
            out.warnings.append(ParseWarning(
                f"raised {stripped!r} reads as a footnote call, but no note is linked to it or "
                "printed for it: kept as text", no, "footnote"))
        if changes and r.bold and r.italic and stripped:
            lead = text[: len(text) - len(text.lstrip())]
            tail = text[len(text.rstrip()):]
            if lead:
                parts.append(lead)
            if parts and isinstance(parts[-1], Change):  # one change printed in pieces
                parts[-1] = Change(parts[-1].text + stripped)
            else:
                parts.append(Change(stripped))
            if tail:
                parts.append(tail)
        else:
            parts.append(text)
    return parts


def _inline(runs: list[Run], notes: dict[str, Note], out: Rest, no: int) -> tuple:
    return _to_inline(tuple(_parts(runs, notes, {}, out, no, changes=False)))


def _table(b: Block, notes: dict[str, Note], out: Rest) -> Table | None:
    rows = []
    for row in b.rows:
        cells = []
        for cell in row:
            parts: list = []
            for i, blk in enumerate(cell):
                if i:
                    parts.append(" ")
                parts.extend(_parts(blk.runs, notes, {}, out, blk.no, changes=False))
            cells.append(tuple(parts))
        if any(_to_inline(c) for c in cells):
            rows.append(cells)
    return Table(rows) if rows else None
