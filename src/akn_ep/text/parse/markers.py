"""Item markers and the end marks of items: the patterns every rule reads.

Example:
    >>> recital_letter("B. whereas …"), recital_letter("(B) whereas …"), end_mark('… 110",')
    (('B', 'whereas …'), ('B', 'whereas …'), ',')
"""

from __future__ import annotations

import re

from ...vocabulary import DASH_CLASS, ITEM_DASHES

__all__ = ["DASH", "DASH_CHARS", "LETTER", "recital_letter", "NUMBER_PAREN", "NUMBER_MARKED",
           "NUMBER_DOT", "NUMBER_BARE", "NUMBER_INSERTED",
           "POINT", "NOTE_LINE",
           "HEAD_NUM", "ENDS", "STRONG_ENDS", "SENTENCE_ENDS", "end_mark", "roman"]

#: The characters that mark an indent or a citation (their home: akn_ep.vocabulary)
DASH_CHARS = ITEM_DASHES
DASH = re.compile(rf"^({DASH_CLASS})(?:\s*(.*))?$")
#: A recital's letter: "A.", "A)" or "(A)" (bracketed forms need a space after them)
LETTER = re.compile(r"^(?:([^\W\d_]{1,3})\.(?:\s*(.*))?"
                    r"|([^\W\d_]{1,3})\)(?:\s+(.*))?|\(([^\W\d_]{1,3})\)(?:\s+(.*))?)$")
#: A paragraph number has no digit limit of its own: six digits are more paragraphs than
#: the line limit (akn_ep.limits.MAX_LINES) lets a text have
NUMBER_DOT = re.compile(r"^(\d{1,6})\.(?:\s*(.*))?$")
#: … printed "1)" in the texts whose paragraphs are numbered so
NUMBER_PAREN = re.compile(r"^(\d{1,6})\)(?:\s+(.*))?$")
NUMBER_BARE = re.compile(r"^(\d{1,6})\s+([^\W\d_].*)$")
NUMBER_INSERTED = re.compile(r"^(\d{1,6}[a-z])[.)]\s+\S")  # "2a. Calls …": not numbered by us
#: The paragraph number of each printed form, by the mark after the digits
NUMBER_MARKED = {".": NUMBER_DOT, ")": NUMBER_PAREN}
#: A point's label: a number, letters of any script ("b", "bb", "στ", "в"; the language
#: says which count, Language.point_index) or a Roman number
POINT = re.compile(r"^\((\d{1,2}|[^\W\d_]{1,3}|[ivxlc]{1,6})\)(?:\s*(.*))?$"
                   r"|^([^\W\d_]{1,3}|[ivx]{1,5})\)\s+(.*)$")
#: A footnote body as web copies print it after the text: "(1) OJ C …", "[1] OJ C …"
NOTE_LINE = re.compile(r"^(\(\d{1,3}\)|\[\d{1,3}\])\s+\S")
#: A numbered heading: a Roman numeral or one capital letter, a dot, the heading text
HEAD_NUM = re.compile(r"^([IVXLC]{1,6}|[^\W\d_])\.\s+(\S.*)$")

#: How an item can end ("·" is the Greek ano teleia, U+0387, U+00B7 after NFC: Greek
#: items end with it as others end with ";"); more than a comma; a sentence
ENDS = frozenset(".;:,!?·")
STRONG_ENDS = frozenset(".;:!?·")
SENTENCE_ENDS = frozenset(".;!?·")
_CLOSERS = "\"”»’')]"
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def recital_letter(text: str) -> tuple[str, str | None] | None:
    """The letter(s) and the rest of a line opening with a recital marker, else None."""
    m = LETTER.match(text)
    if m is None:
        return None
    if m.group(1) is not None:
        return m.group(1), m.group(2)
    if m.group(3) is not None:
        return m.group(3), m.group(4)
    return m.group(5), m.group(6)


def end_mark(text: str) -> str:
    """The last character of ``text`` before any closing quotes and brackets ("" if none).

    >>> end_mark('… of "Rule 110",)'), end_mark("whereas X;")
    (',', ';')
    """
    if text and text[-1] in _CLOSERS:
        text = text.rstrip(_CLOSERS)
    return text[-1:]


def roman(s: str) -> int | None:
    """The value of a lower-case Roman number, None if ``s`` is not one.

    >>> roman("xiv"), roman("ab")
    (14, None)
    """
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def looks_like_heading(text: str) -> bool:
    """A line that can be a heading: short, not ended like a sentence, not lower case.

    >>> looks_like_heading("Water quality"), looks_like_heading("whereas X;")
    (True, False)
    """
    return len(text) <= 200 and end_mark(text) not in ENDS and not text[:1].islower()
