"""Numbering: where each number stands, what comes next, and the sequences of points.

Whether a marker at a line start really opens an item is decided in context, never
from the line alone; the look-ahead the rules need lives here:

- :func:`index_numbers` records, once, the lines that start with each number;
  :func:`later_opens` and :func:`opens_later` ask it about the lines still to come;
- :func:`place_point` fits a point label into the stack of open sequences
  ((a) → (b), (i) → (ii)); a sub-sequence starts where the parent sequence cannot
  continue ("(i)" after "(h)" is a letter, after "(b)" a sub-point).

Example:
    >>> from akn_ep.lines import Line
    >>> index_numbers((Line(1, "1. Calls"), Line(2, "2 States"), Line(3, "2. Asks")))
    {True: {1: [0], 2: [2]}, False: {1: [0], 2: [1, 2]}}
"""

from __future__ import annotations

import bisect
import re

from ...languages import Language
from ...lines import Line
from .markers import NUMBER_BARE, NUMBER_DOT, roman
from .state import State

__all__ = ["index_numbers", "later_opens", "opens_later", "is_paragraph_start",
           "point_kinds", "place_point"]


def paragraph_mark(lines: tuple[Line, ...]) -> str:
    """How the text prints its paragraph numbers: "." ("1. Calls …", the Parliament's
    form) or ")" ("1) Calls …", some older texts and copies), by evidence: ")" only where
    lines open with "1)" and a later "2)", and no line opens with "1." (a resolution of
    one paragraph "1." may hold a list "1)", "2)").
    (:func:`mixed_marks` says when numbers of the other form are printed too.)

    >>> paragraph_mark((Line(5, "1) Calls for X;"), Line(6, "2) Instructs …")))
    ')'
    """
    first: dict[str, int] = {}
    for idx, line in enumerate(lines):
        text = line.text
        if text[:1] == "1" and text[1:2] in (".", ")") and text[2:3] in ("", " ", "\t",
                                                                        "\u00a0", "\u202f"):
            first.setdefault(text[1], idx)
    paren = first.get(")")
    if paren is None or "." in first:
        return "."
    return ")" if _followed(lines, paren, ")") else "."


def mixed_marks(lines: tuple[Line, ...], mark: str) -> tuple[int, int] | None:
    """In a text read with paragraph numbers printed "1)", the lines that open with a
    number and a dot too ("5. Calls …"): (their count, the first one's line), or None.

    >>> mixed_marks((Line(5, "1) Calls;"), Line(6, "2) Asks;"), Line(7, "3. Notes")), ")")
    (1, 7)
    """
    if mark != ")":
        return None
    found = [ln.no for ln in lines if NUMBER_DOT.match(ln.text) and ln.text[:1].isdigit()
             and _WORD_AFTER.match(ln.text)]
    return (len(found), found[0]) if found else None


_WORD_AFTER = re.compile(r"^\d+\.\s+[^\W\d_]{3}")


def _followed(lines: tuple[Line, ...], idx: int, mark: str) -> bool:
    """Does a line after ``idx`` open with "2" and ``mark``?"""
    return any(ln.text.startswith("2" + mark) for ln in lines[idx + 1 :])


def index_numbers(lines: tuple[Line, ...], marked: re.Pattern[str] = NUMBER_DOT
                  ) -> dict[bool, dict[int, list[int]]]:
    """For each number, the indexes of the lines starting with it: ``True`` printed with
    its mark ("3." or, in a text numbered so, "3)"), ``False`` in any form ("3." or
    "3 ")."""
    dotted: dict[int, list[int]] = {}
    any_form: dict[int, list[int]] = {}
    for idx, line in enumerate(lines):
        text = line.text
        if not text[:1].isdigit():
            continue
        m = marked.match(text)
        if m:
            dotted.setdefault(int(m.group(1)), []).append(idx)
        m = m or NUMBER_BARE.match(text)
        if m:
            any_form.setdefault(int(m.group(1)), []).append(idx)
    return {True: dotted, False: any_form}


def later_opens(state: State, n: int, dotted: bool) -> bool:
    """Does a later line start with number ``n`` before any line starts with ``n + 1``?

    With ``dotted``, only numbers printed with their dot count ("3." not "3 ")."""
    here = state.idx
    table = state.numbers[dotted]
    later = table.get(n, ())
    k = bisect.bisect_right(later, here)
    if k == len(later):
        return False
    after = table.get(n + 1, ())
    k1 = bisect.bisect_right(after, here)
    return k1 == len(after) or later[k] < after[k1]


def opens_later(state: State, n: int) -> bool:
    """Does a later line start with number ``n`` and its dot?"""
    later = state.numbers[True].get(n, ())
    return bool(later) and later[-1] > state.idx


def is_paragraph_start(state: State, text: str) -> bool:
    """Does ``text`` start with the number of the paragraph expected next?"""
    m = state.number_marked.match(text) or NUMBER_BARE.match(text)
    return bool(m and int(m.group(1)) == state.next_para)


def point_kinds(lang: Language, label: str) -> list[tuple[str, int]]:
    """The sequences a point label can belong to, with its index in each.

    >>> from akn_ep import languages
    >>> point_kinds(languages.get("en"), "i")
    [('alpha', 8), ('roman', 0)]
    """
    if label == "dash":
        return [("dash", 0)]
    kinds = []
    a = lang.point_index(label)
    if a is not None:
        kinds.append(("alpha", a))
    r = roman(label)
    if r is not None:
        kinds.append(("roman", r - 1))
    if label.isdigit():
        kinds.append(("digit", int(label) - 1))
    return kinds


def place_point(state: State, label: str, probe: bool = False, below: bool = False,
                silent: bool = False) -> tuple[int, str] | None:
    """Place a point in the sequence stack: its (level, sequence kind), None if it fits
    nowhere (only with ``probe``; otherwise a new sequence is started). With ``below``,
    only as the first point of a new sequence below the open item. ``silent`` leaves
    the stack as it was."""
    kinds = point_kinds(state.lang, label)
    points = state.points
    # continue an open sequence (innermost first), else start a new one below
    if not below:
        for depth in range(len(points) - 1, -1, -1):
            seq, last = points[depth]
            for kind, idx in kinds:
                if kind == seq and (idx == last + 1 or kind == "dash"):
                    if not silent:
                        del points[depth + 1 :]
                        points[depth] = (seq, idx)
                    return depth + 1, seq
    for kind, idx in kinds:
        if idx == 0 and not any(s == kind for s, _ in points):
            if not silent:
                points.append((kind, 0))
            return len(points) + (1 if silent else 0), kind
    if not probe:
        if not silent:
            points.append((kinds[0][0], kinds[0][1]))
        return len(points) + (1 if silent else 0), kinds[0][0]
    return None
