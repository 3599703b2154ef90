"""Step 5 of the HTML route: the document's text blocks → :class:`akn_ep.lines.Lines`.

One block is one line (its number is the block's number on the page). Whitespace runs
(no-break spaces of the inline-block separators included) become one space. A footnote
call the page marks (a ``[1]`` link to a note, a raised ``1``) is written into the line
as the note's number glued to the word before it (``"… consequences1,"``) and located
exactly with a :class:`~akn_ep.lines.Call`; its note goes to ``Lines.footnotes``. A raised
marker without a note, and a note no call links to, are warnings.

Example:
    >>> from akn_ep.html.blocks import Block, Run
    >>> from akn_ep.html.document import Note
    >>> b = Block(7, "text", [Run("– having regard to Asia "), Run("[1]", href="#_ftn1"),
    ...                       Run(",")])
    >>> ls, warnings = to_lines([b], {"_ftn1": Note("1", "OJ C 1.", 20)})
    >>> ls.lines[0].text, ls.calls[0], ls.footnotes[0]
    ('– having regard to Asia1,', Call(line=7, start=23, end=24, marker='1'), \
Footnote(marker='1', text='OJ C 1.', line=20))
"""

from __future__ import annotations

from ..lines import Call, Footnote, Line, Lines
from ..model import Artefact
from ..warning import ParseWarning
from .blocks import Block
from .document import Note, is_marker, is_rule, marker_of

__all__ = ["to_lines", "SENTINEL_OPEN", "SENTINEL_CLOSE"]

SENTINEL_OPEN, SENTINEL_CLOSE = "\ue000", "\ue001"  # private use: never in a page's text


def to_lines(blocks: list[Block], notes: dict[str, Note],
             artefacts: tuple[Artefact, ...] = ()) -> tuple[Lines, list[ParseWarning]]:
    """The text blocks as Lines, plus warnings (calls without notes, notes without calls)."""
    lines: list[Line] = []
    calls: list[Call] = []
    footnotes: list[Footnote] = []
    warnings: list[ParseWarning] = []
    used: set[str] = set()
    arts = list(artefacts)
    for b in blocks:
        if b.kind == "table":
            continue
        if is_rule(b.text):
            arts.append(Artefact(b.no, "footnote-rule", b.text))
            continue
        raw: list[str] = []
        for r in b.runs:
            text = r.text
            target = r.href[1:] if r.href and r.href.startswith("#") else None
            if target in notes and text.strip() and is_marker(text):
                note = notes[target]
                raw.append(f"{SENTINEL_OPEN}{note.marker}{SENTINEL_CLOSE}")
                if target not in used:
                    used.add(target)
                    footnotes.append(Footnote(note.marker, note.text, note.no))
            elif r.sup and text.strip() and is_marker(text):
                warnings.append(ParseWarning(
                    f"raised {text.strip()!r} reads as a footnote call, but no note is linked "
                    "to it or printed for it: kept as text", b.no, "footnote"))
                raw.append(text)
            else:
                raw.append(text)
        text, found = _place_calls(" ".join("".join(raw).split()), b.no)
        if text:
            lines.append(Line(b.no, text))
            calls.extend(found)
    for target, note in notes.items():
        if target not in used:
            warnings.append(ParseWarning(
                f"footnote {note.marker} is printed but no call in the text links to it: "
                "attached at the end of the item before it", note.no, "footnote"))
            footnotes.append(Footnote(note.marker, note.text, note.no))
    footnotes.sort(key=lambda f: f.line)
    lines_out = Lines(lines=tuple(lines), footnotes=tuple(footnotes),
                      artefacts=tuple(sorted(arts, key=lambda a: a.line)),
                      source_lines=max((b.no for b in blocks), default=0), calls=tuple(calls))
    return lines_out, warnings


def _place_calls(text: str, no: int) -> tuple[str, list[Call]]:
    """Glue each call's marker to the word before it and say where it stands."""
    if SENTINEL_OPEN not in text:
        return text, []
    out: list[str] = []
    calls: list[Call] = []
    pos = 0
    length = 0
    while True:
        at = text.find(SENTINEL_OPEN, pos)
        if at < 0:
            out.append(text[pos:])
            break
        before = text[pos:at]
        close = text.index(SENTINEL_CLOSE, at)
        marker = text[at + 1:close]
        before = before.rstrip()  # the call is glued to the word before it
        out.append(before)
        length += len(before)
        calls.append(Call(no, length, length + len(marker), marker_of(marker)))
        out.append(marker)
        length += len(marker)
        pos = close + 1
    return "".join(out).strip(), calls
