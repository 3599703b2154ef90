"""The parser's state: where it is (:class:`Section`), the items read (:class:`Block`).

Every field is declared here, up front; the rules (:mod:`.rules`) read and change
them, nothing else keeps state.

Example:
    >>> b = Block(Kind.CITATION, None, [(3, "having regard to Rule 110,")], 3)
    >>> b.end, b.opening()
    (',', 'having regard to Rule 110,')
"""

from __future__ import annotations

import datetime as _dt
import enum
import re

from ...errors import ParseError
from ...languages import Language
from ...lines import Line, Lines
from ...model import Artefact, FootnoteRef
from ...warning import ParseWarning
from .markers import NUMBER_DOT, end_mark

__all__ = ["Section", "Kind", "Block", "State", "OPENING_LINES"]

OPENING_LINES = 4  # lines of a paragraph searched for the closing instruction


class Section(enum.Enum):
    """Where the reader is: each section has its own ordered table of rules."""

    # hashed by identity, in C (Enum's own __hash__ is Python code): sections and kinds
    # are looked up in tables and sets for every line
    __hash__ = object.__hash__

    START = "start"  # just after the formula
    CITATIONS = "citations"
    RECITALS = "recitals"
    BODY = "body"
    ANNEX = "annex"
    TRAILING = "trailing"


class Kind(enum.Enum):
    """What an item is."""

    __hash__ = object.__hash__

    CITATION = "citation"
    RECITAL = "recital"
    PARAGRAPH = "paragraph"
    POINT = "point"
    HEADING = "heading"
    ANNEX = "annex"
    ANNEX_BLOCK = "annex_block"
    TRAILING = "trailing"


#: Items that are one line long: over as soon as their line is
ONE_LINE = (Kind.HEADING, Kind.ANNEX)


class Block:
    """An item being read: its kind, marker, source lines, and level (for points).

    ``end`` is the punctuation its last line ends with (after closing quotes and
    brackets), kept as the reader adds lines, so that "has it ended?" costs nothing.
    """

    __slots__ = ("kind", "num", "parts", "line", "level", "seq", "text", "calls", "end")

    def __init__(self, kind: Kind, num: str | None, parts: list[tuple[int, str]], line: int,
                 level: int = 0, seq: str = ""):
        self.kind = kind
        self.num = num
        self.parts = parts
        self.line = line
        self.level = level
        self.seq = seq  # point sequence kind: alpha, roman, digit, dash
        self.text = ""
        self.calls: list[tuple[int, FootnoteRef]] = []
        self.end = end_mark(parts[-1][1]) if parts else ""

    def opening(self) -> str:
        """The first few lines: where a paragraph says what it does (bounded cost)."""
        return " ".join(t for _, t in self.parts[:OPENING_LINES])

    def empty(self) -> bool:
        return not self.parts


class State:
    """Everything the rules read and change while the items after the formula are read.

    ``numbers`` (built by :func:`.numbering.index_numbers`) says where each number
    stands at a line start; ``idx`` is the index of the line being read in ``lines``;
    ``cur``, ``ended`` and ``sentence_ended`` describe the open item for the line
    being read (set by the reader before the rules run).
    """

    __slots__ = ("src", "lang", "supplied_date", "supplied_title", "strict", "warnings",
                 "artefacts", "blocks",
                 "section", "next_recital", "next_para", "points", "paragraph_nums",
                 "recital_letters", "lines", "numbers", "number_mark", "number_marked", "idx",
                 "cur", "ended", "sentence_ended")

    def __init__(self, src: Lines, lang: Language, date: _dt.date | None, strict: bool,
                 title: str | None = None):
        self.src = src
        self.lang = lang
        self.supplied_date = date
        self.supplied_title = title
        self.strict = strict
        self.warnings: list[ParseWarning] = []
        self.artefacts: list[Artefact] = list(src.artefacts)
        self.blocks: list[Block] = []
        self.section = Section.START
        self.next_recital = 0
        self.next_para = 1
        self.points: list[tuple[str, int]] = []  # stack of (sequence kind, last index)
        self.paragraph_nums: set[str] = set()  # the paragraph numbers opened so far
        self.recital_letters: set[str] = set()  # … and recital letters
        self.lines: tuple[Line, ...] = ()  # the lines after the formula
        self.numbers: dict[bool, dict[int, list[int]]] = {True: {}, False: {}}
        self.number_mark = "."  # how paragraph numbers are printed: "1." or "1)"
        self.number_marked: re.Pattern[str] = NUMBER_DOT
        self.idx = 0
        self.cur: Block | None = None
        self.ended = True
        self.sentence_ended = True

    def warn(self, message: str, line: int | None, rule: str) -> None:
        """Record a warning naming ``line``."""
        self.warnings.append(ParseWarning(message, line, rule))

    def fail(self, message: str, line: int | None, expected: str | None = None,
             rule: str = "structure") -> None:
        """Raise in strict mode; record a warning in lenient mode."""
        if self.strict:
            raise ParseError(message, line=line, expected=expected)
        self.warn(message, line or None, rule)

    def open(self, kind: Kind, num: str | None, line: Line, rest: str | None,
             level: int = 0, seq: str = "") -> None:
        """Open a new item at ``line`` with ``rest`` as the text of its first line."""
        parts = [(line.no, rest)] if rest else []
        self.blocks.append(Block(kind, num, parts, line.no, level, seq))
