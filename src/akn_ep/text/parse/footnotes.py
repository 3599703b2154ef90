"""Footnote attachment: each footnote body placed where the text calls it.

The items' lines are joined first (words broken at a line end are mended against the
items' own vocabulary); then each body is attached at its call. Where the route
located the calls itself (``Lines.calls``), :func:`attach` attaches each body exactly
there; otherwise the calls are inferred from the text, a number glued to a word
("Asia1,"), searched from the previous call on.

Example:
    >>> from akn_ep.lines import Footnote, Line, Lines
    >>> from akn_ep import languages
    >>> from akn_ep.text.parse.state import Block, Kind, State
    >>> st = State(Lines(lines=(Line(3, "x"),), footnotes=(Footnote("1", "OJ C 1.", 9),)),
    ...            languages.get("en"), None, True)
    >>> st.blocks = [Block(Kind.CITATION, None, [(3, "having regard to Asia1,")], 3)]
    >>> attach(st)
    >>> st.blocks[0].calls
    [(21, FootnoteRef(marker='1', text='OJ C 1.'))]
"""

from __future__ import annotations

from ...model import FootnoteRef
from ..lines import iter_calls, join_lines, vocabulary
from .state import Block, State

__all__ = ["attach", "inline"]


def attach(state: State) -> None:
    """Join each item's lines into its text, then attach the footnote bodies."""
    blocks = state.blocks
    words = _Vocabulary(blocks)  # built only if a line ends with a hyphen
    for b in blocks:
        if len(b.parts) == 1:
            b.text = b.parts[0][1]
            continue
        b.text, arts = join_lines(b.parts, words)
        state.artefacts.extend(arts)
    notes = state.src.footnotes
    if not notes:
        return
    bi, pos = 0, 0
    for note in notes:
        placed = False
        j, start = bi, pos
        while j < len(blocks) and blocks[j].line < note.line:
            b = blocks[j]
            for at, end, marker, _ in iter_calls(b.text, start, lazy=True):
                if marker == note.marker:
                    b.calls.append((at, FootnoteRef(note.marker, note.text)))
                    b.text = b.text[:at] + "\0" * (end - at) + b.text[end:]
                    bi, pos, placed = j, end, True
                    break
            if placed:
                break
            j, start = j + 1, 0
        if not placed:
            target = _block_before(blocks, note.line)
            state.warn(f"footnote {note.marker} has no call in the text before it; "
                       "attached at the end of the preceding item", note.line, "footnote")
            target.calls.append((len(target.text), FootnoteRef(note.marker, note.text)))


def inline(b: Block) -> tuple:
    """The item's text with its footnote references in place: ``("… Asia", ref, ",")``."""
    if not b.calls:
        return (b.text,)
    out: list = []
    last = 0
    text = b.text
    for at, ref in sorted(b.calls, key=lambda c: c[0]):
        out.append(text[last:at])
        out.append(ref)
        last = at
        while last < len(text) and text[last] == "\0":
            last += 1
    out.append(text[last:])
    return tuple(out)


def _block_before(blocks: list[Block], line: int) -> Block:
    best = blocks[0]
    for b in blocks:
        if b.line < line:
            best = b
    return best


class _Vocabulary:
    """The words of the items, case-folded (where a word broken at a line end is looked
    up), built on the first question: most texts have no such word and never ask."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.words: set[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self.words is None:
            self.words = vocabulary(t for b in self.blocks for _, t in b.parts)
        return word in self.words
