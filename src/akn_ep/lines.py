"""The hand-off between every source route and the parser: :class:`Lines`.

The text route (:func:`akn_ep.text.lines.normalise`), the PDF route
(:func:`akn_ep.pdf.read_layout`) and any later route (HTML) each turn their source
into one :class:`Lines` value; the one parser of resolutions reads it. So these
types live here, apart from any route, and every route imports them from here.

A route that *knows* where a footnote is called (a raised digit in a PDF, a
``(1)`` or ``[1]`` link in a web page) says so with a :class:`Call`; a route that
does not (plain extracted text, where the call is a digit glued to a word) leaves
``Lines.calls`` empty and the parser infers calls from the text.

Example:
    >>> ls = Lines(lines=(Line(1, "– having regard to Asia1,"),),
    ...            footnotes=(Footnote("1", "OJ C 1.", 3),),
    ...            calls=(Call(line=1, start=23, end=24, marker="1"),))
    >>> ls.lines[0].text[ls.calls[0].start:ls.calls[0].end]
    '1'
"""

from __future__ import annotations

from typing import NamedTuple

import attrs

from .model import Artefact

__all__ = ["Line", "Footnote", "Call", "Lines"]


class Line(NamedTuple):
    """One non-blank source line (an immutable named tuple: there are many of them).

    ``no`` is the 1-based line number in the decoded text; ``indent`` the count
    of leading spaces; ``blank_before`` how many blank lines precede it;
    ``page_break`` whether a page break (form feed or footnote block) precedes it.
    """

    no: int
    text: str
    indent: int = 0
    blank_before: int = 0
    page_break: bool = False


class Footnote(NamedTuple):
    """A footnote body found at a page's foot (or after the text), with its printed marker."""

    marker: str
    text: str
    line: int


class Call(NamedTuple):
    """A footnote call whose place the route knows from the source's own evidence.

    ``line`` is the :attr:`Line.no` of the line holding it; ``line_text[start:end]``
    are the characters that print the call (``"1"`` raised in a PDF, ``"(1)"``,
    ``"[1]"``, ``"*"``), which the parser removes from the words when it attaches the
    footnote whose marker is ``marker`` there.
    """

    line: int
    start: int
    end: int
    marker: str


@attrs.frozen
class Lines:
    """The normalised source: content lines, footnote bodies, removed artefacts.

    ``calls`` lists the footnote calls the route located itself (in line order);
    empty means "infer calls from the text" (digits glued to words, as extracted
    text prints them). ``warnings`` are what the route had to decide on split
    evidence ("line N: …"), for the resolution's report.
    """

    lines: tuple[Line, ...]
    footnotes: tuple[Footnote, ...] = ()
    artefacts: tuple[Artefact, ...] = ()
    source_lines: int = 0
    calls: tuple[Call, ...] = ()
    warnings: tuple[str, ...] = ()
