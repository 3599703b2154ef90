"""The item rules: one small function per way a line can open an item, in ordered tables.

Each rule is ``(state, line, silent) -> bool``: True if ``line`` opens an item in the
context ``state`` describes (the open item ``state.cur``, whether it has ended, the
section, the numbering so far). With ``silent`` the rule only answers (a probe for
look-ahead) and changes nothing. :func:`read_items` runs, for every line, the table
of the section it is in, in order; the first rule that says True has opened an item;
if none does, the line continues the open item.

A :class:`Rule` says besides its function:

- ``lower_case``: whether it may open at a line going on in lower case (only points
  "a) …" and citations without their dash can: no dash, number, recital letter,
  heading, annex or trailing text starts in lower case);
- ``after_bare``: the kinds of open item *printed as a marker alone on its line* that
  it may interrupt (pdftotext prints "1." and its text on separate lines: what follows
  such a marker is its text, unless it is a marker the rule knows starts a sequence);
- ``starts``: which first characters it can open at (a filter applied before the call).

Example:
    >>> [r.name for r in TABLES[Section.RECITALS]]
    ['recital', 'paragraph', 'first-heading']
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from ...errors import ParseError
from ...languages import Language
from ...lines import Line
from ...model import Artefact
from .markers import (
    DASH,
    DASH_CHARS,
    ENDS,
    HEAD_NUM,
    NOTE_LINE,
    NUMBER_BARE,
    NUMBER_INSERTED,
    NUMBER_MARKED,
    POINT,
    SENTENCE_ENDS,
    STRONG_ENDS,
    end_mark,
    looks_like_heading,
    recital_letter,
    roman,
)
from .numbering import (
    index_numbers,
    is_paragraph_start,
    later_opens,
    mixed_marks,
    opens_later,
    paragraph_mark,
    place_point,
)
from .state import ONE_LINE, OPENING_LINES, Block, Kind, Section, State

__all__ = ["Rule", "TABLES", "read_items"]


# the members as module constants: looking a member up on its Enum class costs a
# descriptor call (~0.1 µs), and the rules read them for every line
_CITATION = Kind.CITATION
_RECITAL = Kind.RECITAL
_PARAGRAPH = Kind.PARAGRAPH
_POINT = Kind.POINT
_HEADING = Kind.HEADING
_ANNEX_BLOCK = Kind.ANNEX_BLOCK
_ANNEX = Kind.ANNEX
_TRAILING = Kind.TRAILING
_IN_START = Section.START
_IN_CITATIONS = Section.CITATIONS
_IN_RECITALS = Section.RECITALS
_IN_BODY = Section.BODY
_IN_ANNEX = Section.ANNEX
_IN_TRAILING = Section.TRAILING

#: How warnings name each kind of item
_KIND_NAMES = {_CITATION: "citation", _RECITAL: "recital", _PARAGRAPH: "paragraph",
               _POINT: "point", _HEADING: "heading", _ANNEX: "annex title",
               _ANNEX_BLOCK: "annex text", _TRAILING: "trailing text"}
_SUBTITLE_MAX = 60  # characters: longer unpunctuated lines are wrapped text, not a title
_ANNEX_NUMBER = re.compile(r"^(?:[IVXLC]{1,6}|\d{1,3}|[A-Z])[.:]?$")

RuleFn = Callable[[State, Line, bool], bool]


@attrs.frozen
class Rule:
    """A table entry: the rule's ``name``, its function, and what it may interrupt."""

    name: str
    fn: RuleFn
    lower_case: bool = False
    after_bare: frozenset[Kind] = frozenset()
    #: the classes of first character the rule can open at (None: any): "dash",
    #: "digit", "open" ("(" or "["), "lower", "other" -- a filter the reader applies
    #: before calling, for speed; each rule still checks its line itself
    starts: frozenset[str] | None = None
    #: whether the rule applies only after a bare marker (never offered another line)
    only_bare: bool = False


# -- the rules -----------------------------------------------------------------------
def annex_title(state: State, line: Line, silent: bool) -> bool:
    """"ANNEX", "Annex II" after a sentence, or in capitals: opens an annex."""
    text, lang, cur = line.text, state.lang, state.cur
    if _is_annex_title(lang, text) and (
            state.section is _IN_TRAILING or cur.kind is not _ANNEX) and (
            state.sentence_ended or text.isupper() or _bare_annex_title(lang, text)):
        if not silent:
            _open_annex(state, line)
        return True
    return False


def annex_block(state: State, line: Line, silent: bool) -> bool:
    """In an annex or after the closing instruction: a new block after a sentence, after
    the annex title, or after a one-line subtitle."""
    cur = state.cur
    if state.sentence_ended or cur.kind is _ANNEX or _subtitle(cur, line.text):
        if not silent:
            kind = _ANNEX_BLOCK if state.section is _IN_ANNEX else _TRAILING
            state.open(kind, None, line, line.text)
        return True
    return False


def _dash_opening(state: State, line: Line) -> re.Match[str] | None:
    """A dash-led line after an ended item ("– having regard to …"): the :data:`DASH`
    match (its group 2 the text after the dash), or None."""
    text = line.text
    if not (state.ended and text[0] in DASH_CHARS):
        return None
    return DASH.match(text)


def citation_dash(state: State, line: Line, silent: bool) -> bool:
    """"– having regard to …": a citation."""
    m = _dash_opening(state, line)
    if not m:
        return False
    if not silent:
        state.section = _IN_CITATIONS
        state.open(_CITATION, None, line, m.group(2))
    return True


def citation_plain(state: State, line: Line, silent: bool) -> bool:
    """"having regard to …" without its dash: a citation (the language's openers)."""
    if not (state.ended and state.lang.is_citation(line.text)):
        return False
    if not silent:
        state.section = _IN_CITATIONS
        state.open(_CITATION, None, line, line.text)
    return True


def recital(state: State, line: Line, silent: bool) -> bool:
    """"B. whereas …": the recital letter expected next (or, read leniently, a slip)."""
    text = line.text
    if not (state.ended and ("." in text[1:4] or ")" in text[1:5])):
        return False
    found = recital_letter(text)
    if found is None:
        return False
    letter, rest = found
    lang = state.lang
    index = lang.recital_index(letter, state.next_recital)
    if index is not None and index == state.next_recital:
        if not silent:
            _open_recital(state, letter, index, line, rest)
        return True
    if (index is not None and state.section is _IN_RECITALS and rest
            and lang.is_recital_text(rest)):
        if not silent:
            want = lang.recital_letter(state.next_recital)
            state.fail(f"recital {letter!r} where {want!r} was expected", line.no,
                       f"recital {want}", rule="recital-sequence")
            _open_recital(state, letter, index, line, rest)
        return True
    return False


def paragraph(state: State, line: Line, silent: bool) -> bool:
    """A line starting with a number: the paragraph expected next, or a slip.

    A number opens paragraph *n* only if *n* is the paragraph expected next, the open
    item has ended (``,`` ``;`` ``:`` ``.``) and the word after it is not a month name
    ("15. janvāra …" continues a citation); after a mere comma it must also be the
    last line starting with *n* before one starting with *n + 1* ("… 5. panta 1., 2.,"
    / "3. un 4. punktu …" continues paragraph 2 when a later line opens paragraph 3),
    and a number printed without its dot ("4 Member States …") opens only the first
    paragraph or follows a full stop or semicolon.
    """
    text = line.text
    if not (state.ended and text[0].isdigit()):
        return False
    cur, section = state.cur, state.section
    m = state.number_marked.match(text) or NUMBER_BARE.match(text)
    if not m:
        inserted = NUMBER_INSERTED.match(text)
        if inserted and section is _IN_BODY and cur is not None and _strongly_ended(cur) \
                and not silent:
            # kept, as text of the open item: said, since it reads as a paragraph
            state.warn(f"{inserted.group(1)}{state.number_mark} reads as an inserted paragraph "
                       "number, which is not supported: its text is kept in the item before it",
                       line.no, "inserted-number")
        return False
    digits = m.group(1)
    n, rest = int(digits), m.group(2) or ""
    bare = text[len(digits) : len(digits) + 1] != state.number_mark
    strong = _strongly_ended(cur)
    expected = n == state.next_para
    in_body = section is _IN_BODY
    if not expected and (bare or not strong or not in_body
                         or not 0 < n <= state.next_para + 3):
        return False  # neither the paragraph expected nor a slip (below)
    # "15. janvāra …": a date going on, not a paragraph
    first_word = rest.split(" ", 1)[0].strip(",.;:") if rest else ""
    is_date = bool(first_word) and state.lang.month(first_word) is not None
    if expected and not is_date and not (bare and not rest):
        # after a comma, the number may be a wrapped "…, 2.,\n3. un 4. punktu": it opens
        # the paragraph only if no later line does so first, and a number without its dot
        # needs a capital to open the first paragraph; in the body, a last paragraph after
        # a comma ("…,\n21. pantu …") must read as the closing instruction
        ok = strong or (not later_opens(state, n, dotted=not bare) and (
            not bare or (not in_body and rest[:1].isupper()))
            and (not in_body or opens_later(state, n + 1) or _closing_follows(state, rest)))
        if ok:
            if not silent:
                if bare:
                    state.warn(f"paragraph {n} printed without its dot", line.no, "number-dot")
                _open_paragraph(state, f"{n}.", line, rest)
            return True
    elif (not bare and not is_date and strong and in_body
            and (rest[:1].isalpha() or not rest) and 0 < n <= state.next_para + 3
            and not later_opens(state, state.next_para, dotted=True)):
        if not silent:
            state.fail(f"paragraph {n} where {state.next_para} was expected", line.no,
                       f"paragraph {state.next_para}", rule="paragraph-sequence")
            state.next_para = n
            _open_paragraph(state, f"{n}.", line, rest)
        return True
    return False


def point_dash(state: State, line: Line, silent: bool) -> bool:
    """"– …" in the body: an indent, a point of the dash sequence."""
    m = _dash_opening(state, line)
    if not m:
        return False
    return _open_point(state, "–", "dash", line, m.group(2), silent=silent)


def point(state: State, line: Line, silent: bool) -> bool:
    """"(a) …", "a) …", "(ii) …": a point, if it fits a sequence of the open paragraph."""
    text = line.text
    if not state.ended:
        return False
    if text[0].islower():
        if ")" not in text[1:7]:
            return False
    elif text[0] != "(":
        return False
    m = POINT.match(text)
    if not m:
        return False
    label = m.group(1) or m.group(3)
    rest = m.group(2) if m.group(1) else m.group(4)
    num = f"({label})" if m.group(1) else f"{label})"
    return _open_point(state, num, label, line, rest, probe=True, silent=silent)


def first_point(state: State, line: Line, silent: bool) -> bool:
    """After a paragraph or point printed without an introduction (its marker alone on
    its line), a point marker that starts a sequence opens its first point."""
    cur = state.cur
    if cur is None or cur.parts:
        return False
    text = line.text
    m = DASH.match(text)
    if m:
        return _open_point(state, "–", "dash", line, m.group(2), probe=True, below=True,
                           silent=silent)
    m = POINT.match(text)
    if m:
        label = m.group(1) or m.group(3)
        rest = m.group(2) if m.group(1) else m.group(4)
        num = f"({label})" if m.group(1) else f"{label})"
        return _open_point(state, num, label, line, rest, probe=True, below=True,
                           silent=silent)
    return False


def heading(state: State, line: Line, silent: bool) -> bool:
    """In the body, after a sentence: an annex title, or a heading over the next paragraph."""
    text = line.text
    if not (state.sentence_ended and looks_like_heading(text)):
        return False
    if _is_annex_title(state.lang, text):
        if not silent:
            _open_annex(state, line)
        return True
    return _open_heading(state, line, silent)


def first_heading(state: State, line: Line, silent: bool) -> bool:
    """A heading over the first paragraph, after the formula, citations or recitals."""
    text = line.text
    return (state.ended and state.next_para == 1 and looks_like_heading(text)
            and not state.lang.is_citation(text) and _open_heading(state, line, silent))


def closing(state: State, line: Line, silent: bool) -> bool:
    """After the closing instruction ("Instructs its President to forward …"): trailing
    text, or an annex."""
    if not _after_closing(state):
        return False
    if not silent:
        state.section = _IN_TRAILING
        if state.lang.is_annex_heading(line.text):
            _open_annex(state, line)
        else:
            state.open(_TRAILING, None, line, line.text)
    return True


def closing_notes(state: State, line: Line, silent: bool) -> bool:
    """"(1) OJ C 115 …" or "[1] …" after the closing instruction, where the text calls
    "(1)" or "[1]": a footnote body a web copy prints after the text (its route did not
    tell it apart), not a point of the closing paragraph. Kept as trailing text, said.
    Without such a call in the text the line stays what it reads as."""
    m = NOTE_LINE.match(line.text)
    if m is None or not _after_closing(state) or state.cur.kind is not _PARAGRAPH:
        return False
    printed = m.group(1)
    called = _called_at(state, printed)
    if called is None:
        return False
    if not silent:
        state.section = _IN_TRAILING
        state.open(_TRAILING, None, line, line.text)
        state.warn(f"'{printed} …' and the lines after it, after the closing instruction, read "
                   f"as footnotes ('{printed}' is called at line {called}): kept as trailing "
                   "text, not as points", line.no, "notes-after-text")
    return True


_BARE_ITEMS = frozenset({_PARAGRAPH, _POINT})
_STARTS_DASH = frozenset({"dash"})
_STARTS_DIGIT = frozenset({"digit"})
_STARTS_LETTER = frozenset({"other", "open"})
_HEAD_RULES = (
    Rule("citation-dash", citation_dash, after_bare=frozenset({_CITATION}), starts=_STARTS_DASH),
    Rule("recital", recital, starts=_STARTS_LETTER),
    Rule("paragraph", paragraph, starts=_STARTS_DIGIT),
    Rule("citation", citation_plain, lower_case=True),
    Rule("first-heading", first_heading),
)
_ANNEX_RULES = (
    Rule("annex-title", annex_title),
    Rule("annex-block", annex_block),
)
#: The rules of each section, in the order they are tried
TABLES: dict[Section, tuple[Rule, ...]] = {
    _IN_START: _HEAD_RULES,
    _IN_CITATIONS: _HEAD_RULES,
    _IN_RECITALS: (
        Rule("recital", recital, starts=_STARTS_LETTER),
        Rule("paragraph", paragraph, starts=_STARTS_DIGIT),
        Rule("first-heading", first_heading),
    ),
    _IN_BODY: (
        Rule("first-point", first_point, lower_case=True, after_bare=_BARE_ITEMS,
             only_bare=True),
        Rule("point-dash", point_dash, starts=_STARTS_DASH),
        Rule("paragraph", paragraph, starts=_STARTS_DIGIT),
        Rule("closing-notes", closing_notes, starts=frozenset({"open"})),
        Rule("point", point, lower_case=True, starts=frozenset({"open", "lower"})),
        Rule("heading", heading),
        Rule("closing", closing),
    ),
    _IN_ANNEX: _ANNEX_RULES,
    _IN_TRAILING: _ANNEX_RULES,
}


_CLASSES = ("dash", "digit", "open", "lower", "other")
#: The functions :func:`_step` runs, by (section, class of the line's first character,
#: kind of the bare marker open or None): the tables with their filters applied once
_RUN: dict[tuple[Section, str, Kind | None], tuple[RuleFn, ...]] = {
    (section, first, bare): tuple(
        r.fn for r in rules if (r.lower_case or first != "lower")
        and (r.starts is None or first in r.starts)
        and (bare in r.after_bare if bare is not None else not r.only_bare))
    for section, rules in TABLES.items() for first in _CLASSES
    for bare in (None, *Kind)
}


# -- the reader ------------------------------------------------------------------------
def read_items(state: State, lines: tuple[Line, ...]) -> None:
    """Read the lines after the formula into ``state.blocks``, rule table by rule table."""
    state.number_mark = paragraph_mark(lines)
    state.number_marked = NUMBER_MARKED[state.number_mark]
    mixed = mixed_marks(lines, state.number_mark)
    if mixed:
        state.warn(f"paragraph numbers are printed '1)', '2)' …; {mixed[0]} line(s) opening "
                   "with a number and a dot ('3.') are read as text, not as paragraphs",
                   mixed[1], "paragraph-marks")
    state.numbers = index_numbers(lines, state.number_marked)
    state.lines = lines
    blocks = state.blocks
    for idx, line in enumerate(lines):
        state.idx = idx
        text = line.text
        if text and _step(state, line, text):
            continue
        cur = blocks[-1] if blocks else None
        if cur is None:
            state.fail("text after the formula that is not a citation, recital or "
                       "paragraph", line.no, "a citation ('–'), recital or paragraph",
                       rule="unread")
            state.open(_CITATION, None, line, text)
        elif text:
            if text[0].isdigit() and len(text) <= 3 and text.isdigit():
                # "2" alone inside an item: a note or page number the source left in the
                # text, or a word of it; kept, and said, since it reads two ways
                state.warn(f"a number alone on its line ({text!r}) is kept as text of the "
                           f"{_KIND_NAMES[cur.kind]} before it (a footnote or page number?)",
                           line.no, "lone-number")
            cur.parts.append((line.no, text))  # cur.add, inlined
            cur.end = end_mark(text)
    _drop_empty(state)


def _step(state: State, line: Line, text: str) -> bool:
    """Run the section's rules on ``line``: True if one opened an item."""
    blocks = state.blocks
    cur = blocks[-1] if blocks else None
    state.cur = cur
    c = text[0]
    if c.islower():
        first = "lower"
    elif c in DASH_CHARS:
        first = "dash"
    elif c.isdigit():
        first = "digit"
    elif c == "(" or c == "[":
        first = "open"
    else:
        first = "other"
    if cur is None:
        state.ended = state.sentence_ended = True
        fns = _RUN[state.section, first, None]
    elif not cur.parts:  # a marker alone on its line: only what may interrupt it
        state.ended = state.sentence_ended = True
        fns = _RUN[state.section, first, cur.kind]
    else:
        if cur.kind in ONE_LINE:
            state.ended = state.sentence_ended = True
        else:
            end = cur.end
            state.ended = end in ENDS
            state.sentence_ended = end in SENTENCE_ENDS
        fns = _RUN[state.section, first, None]
    for fn in fns:
        if fn(state, line, False):
            return True
    return False


# -- opening items -------------------------------------------------------------------
def _open_recital(state: State, letter: str, index: int, line: Line, rest: str | None) -> None:
    if letter in state.recital_letters:
        # a slip read leniently can bring a letter round again: a resolution cannot hold
        # it twice
        raise ParseError(f"recital {letter!r} printed twice", line=line.no,
                         expected=f"recital {state.lang.recital_letter(state.next_recital)}")
    state.recital_letters.add(letter)
    state.section = _IN_RECITALS
    state.next_recital = index + 1
    state.open(_RECITAL, f"{letter}.", line, rest)


def _open_paragraph(state: State, num: str, line: Line, rest: str) -> None:
    if num in state.paragraph_nums:
        # after a slip read leniently ("4." where 2 was expected, then "3."), a number can
        # come round again: a resolution cannot hold it twice
        raise ParseError(f"paragraph {num[:-1]} printed twice", line=line.no,
                         expected=f"paragraph {state.next_para}")
    state.paragraph_nums.add(num)
    state.section = _IN_BODY
    state.next_para += 1
    state.points = []
    state.open(_PARAGRAPH, num, line, rest)


def _open_annex(state: State, line: Line) -> None:
    state.section = _IN_ANNEX
    state.open(_ANNEX, None, line, line.text)


def _open_point(state: State, num: str, label: str, line: Line, rest: str | None,
                probe: bool = False, below: bool = False, silent: bool = False) -> bool:
    placed = place_point(state, label, probe=probe, below=below, silent=silent)
    if placed is None:
        return False
    if not silent:
        level, seq = placed
        state.open(_POINT, num, line, rest, level=level, seq=seq)
    return True


def _open_heading(state: State, line: Line, silent: bool) -> bool:
    """Open a heading if the next line opens the paragraph expected next.

    "II. Water quality" (a Roman numeral or a capital letter, then a text that does not
    end like a sentence) is a numbered heading; a letter that is the recital expected
    next never gets here (the recital rule comes first).
    """
    nxt = state.idx + 1
    if nxt >= len(state.lines) or not is_paragraph_start(state, state.lines[nxt].text):
        return False
    if silent:
        return True
    text, num = line.text, None
    m = HEAD_NUM.match(text)
    if m and (m.group(1).isupper()) and looks_like_heading(m.group(2)) and (
            len(m.group(1)) == 1 or roman(m.group(1).lower()) is not None):
        num, text = f"{m.group(1)}.", m.group(2)
    state.section = _IN_BODY
    state.open(_HEADING, num, line, text)
    return True


def _drop_empty(state: State) -> None:
    """Drop items with no text (a stray marker), each reported; a paragraph or point
    without introduction whose points follow is kept."""
    blocks = state.blocks
    for b in blocks:
        if not b.parts:
            break
    else:  # no empty item (the common case): nothing to drop
        return
    kept = []
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.empty() and not (
                b.kind in (_PARAGRAPH, _POINT) and nxt is not None
                and nxt.kind is _POINT
                and (b.kind is _PARAGRAPH or nxt.level > b.level)):
            state.artefacts.append(Artefact(b.line, "empty-item", b.num or "–"))
            state.warn(f"empty {b.kind.value} {b.num or '–'} dropped", b.line, "empty-item")
            continue
        kept.append(b)
    state.blocks = kept


# -- helpers ---------------------------------------------------------------------------
def _last_paragraph(state: State) -> Block | None:
    for b in reversed(state.blocks):
        if b.kind is _PARAGRAPH:
            return b
    return None


def _after_closing(state: State) -> bool:
    """Has the open item, in the closing instruction's paragraph, ended a sentence?"""
    cur = state.cur
    if cur is None or cur.kind not in (_PARAGRAPH, _POINT) or (
            cur.end not in SENTENCE_ENDS):
        return False
    last = _last_paragraph(state)
    return last is not None and state.lang.is_closing(last.opening())


def _called_at(state: State, printed: str) -> int | None:
    """The first line of the items that prints ``printed`` ("(1)", "[1]") after a word
    or a closing punctuation mark, as a footnote call; None if none does."""
    for b in state.blocks:
        for no, text in b.parts:
            at = text.find(printed)
            while at >= 0:
                if at > 0 and not text[at - 1].isdigit():
                    return no
                at = text.find(printed, at + 1)
    return None


def _closing_follows(state: State, rest: str) -> bool:
    """Does the item that ``rest`` opens read as the closing instruction?"""
    parts = [rest]
    for ln in state.lines[state.idx + 1 : state.idx + OPENING_LINES]:
        parts.append(ln.text)
    return state.lang.is_closing(" ".join(parts))


def _strongly_ended(cur: Block | None) -> bool:
    """Has the open item ended with more than a comma (";", ".", ":", "!", "?")?"""
    if cur is None or not cur.parts or cur.kind in ONE_LINE:
        return True
    return cur.end in STRONG_ENDS


def _is_annex_title(lang: Language, text: str) -> bool:
    """"ANNEX", "ANNEX II", "Annex to the resolution" -- not a sentence naming an annex."""
    return lang.is_annex_heading(text) and (text.isupper() or len(text) < 40) and (
        looks_like_heading(text))


def _bare_annex_title(lang: Language, text: str) -> bool:
    """"Annex II", "Annex 2", "Annex B": the annex word and at most a number."""
    words = text.split()
    return 1 <= len(words) <= 4 and lang.is_annex_heading(text) and (
        len(words) == 1 or bool(_ANNEX_NUMBER.match(words[-1])))


def _subtitle(cur: Block | None, text: str) -> bool:
    """Is the open annex block one short heading line, so ``text`` (capitalised) starts
    the next block ("Wetlands of priority interest" / "The restoration of …")?"""
    if cur is None or cur.kind is not _ANNEX_BLOCK or len(cur.parts) != 1:
        return False
    first = cur.parts[0][1]
    return len(first) < _SUBTITLE_MAX and looks_like_heading(first) and text[:1].isupper()
