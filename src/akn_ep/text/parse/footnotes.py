"""Footnote attachment: each footnote body placed where the text calls it.

The items' lines are joined first (words broken at a line end are mended against the
items' own vocabulary); then each body is attached at its call. Where the route
located the calls itself (``Lines.calls``), :func:`attach` attaches each body exactly
there (and infers nothing); otherwise the calls are inferred from the text, a number glued to a word
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

#: Where a located call stood, while the item's lines are joined (never in the text:
#: NUL is replaced on decoding)
_SENTINEL = "\0"


def attach(state: State) -> None:
    """Join each item's lines into its text, then attach the footnote bodies: at the calls
    the route located (``Lines.calls``), else at the calls inferred from the text."""
    if state.src.calls:
        _attach_located(state)
        return
    _join(state)
    _attach_inferred(state)


def _join(state: State) -> None:
    blocks = state.blocks
    words = _Vocabulary(blocks)  # built only if a line ends with a hyphen
    for b in blocks:
        if len(b.parts) == 1:
            b.text = b.parts[0][1]
            continue
        b.text, arts = join_lines(b.parts, words)
        state.artefacts.extend(arts)


def _attach_inferred(state: State) -> None:
    """Each body at the first call with its marker (a number glued to a word) after the
    previous body's call."""
    blocks = state.blocks
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


def _attach_located(state: State) -> None:
    """Each body exactly at the call the route located: the call's characters
    (``line_text[start:end]``) leave the words, the reference takes their place.

    Calls and bodies are paired in order, each call with the next unused body of its
    marker (numbering may restart in a later part of a document). A call with no body
    keeps its characters; a body with no call goes to the end of the item before it;
    a call outside every item (in the head) keeps its characters and its body goes to
    the first item: each is a warning naming the line.
    """
    src = state.src
    notes = src.footnotes
    used = [False] * len(notes)
    cursor = 0
    per_line: dict[int, list[tuple[int, int, FootnoteRef]]] = {}
    for call in sorted(src.calls, key=lambda c: (c.line, c.start)):
        found = _next_body(notes, used, call.marker, cursor)
        if found is None:
            state.warn(f"footnote call {call.marker} has no footnote body; kept as printed",
                       call.line, "footnote")
            continue
        used[found] = True
        cursor = found + 1
        note = notes[found]
        per_line.setdefault(call.line, []).append(
            (call.start, call.end, FootnoteRef(note.marker, note.text)))
    texts = {ln.no: ln.text for ln in src.lines}
    refs: dict[int, list[FootnoteRef]] = {}  # block index → its references, in order
    for i, b in enumerate(state.blocks):
        for k, (no, text) in enumerate(b.parts):
            calls = per_line.pop(no, None)
            if calls is None:
                continue
            line_text = texts.get(no, text)
            offset = len(line_text) - len(text)  # the marker before an item's first line
            placed: list[FootnoteRef] = []
            for start, end, ref in sorted(calls, key=lambda c: c[0], reverse=True):
                at, to = start - offset, end - offset
                if not (0 <= at < to <= len(text)) or offset < 0:
                    state.warn(f"footnote call {ref.marker} is not within the item's text "
                               f"(columns {start}-{end}); its note is attached at the end "
                               "of the item", no, "footnote")
                    b.calls.append((-1, ref))
                    continue
                text = text[:at] + _SENTINEL + text[to:]
                placed.append(ref)
            b.parts[k] = (no, text)
            refs.setdefault(i, []).extend(reversed(placed))
    for no, calls in per_line.items():  # calls on lines no item holds (the head)
        for _, _, ref in calls:
            state.warn(f"footnote call {ref.marker} is outside the resolution's items; its "
                       "note is attached at the end of the first item", no, "footnote")
            state.blocks[0].calls.append((-1, ref))
    _join(state)
    for i, b in enumerate(state.blocks):
        late = [ref for at, ref in b.calls if at < 0]
        b.calls = []
        text = b.text
        if i in refs:
            pieces = text.split(_SENTINEL)
            text = "".join(pieces)
            if len(pieces) - 1 != len(refs[i]):  # a NUL in hand-built lines: at the end
                state.warn("footnote calls could not be placed in the item's text; its notes "
                           "are attached at its end", b.line, "footnote")
                late = refs[i] + late
            else:
                at = 0
                for piece, ref in zip(pieces, refs[i], strict=False):
                    at += len(piece)
                    b.calls.append((at, ref))
        b.text = text
        b.calls.extend((len(text), ref) for ref in late)
    for k, note in enumerate(notes):
        if not used[k]:
            target = _block_before(state.blocks, note.line)
            state.warn(f"footnote {note.marker} has no call in the text; attached at the end "
                       "of the preceding item", note.line, "footnote")
            target.calls.append((len(target.text), FootnoteRef(note.marker, note.text)))


def _next_body(notes: tuple, used: list[bool], marker: str, cursor: int) -> int | None:
    """The next unused body with ``marker`` from ``cursor`` on (then from the start)."""
    for k in (*range(cursor, len(notes)), *range(cursor)):
        if not used[k] and notes[k].marker == marker:
            return k
    return None


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
