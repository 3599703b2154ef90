"""Lines → Resolution: the one hand-off every route (text, PDF, HTML) uses.

The parser is a set of ordered rule tables (markdown-it-py's block parser is the
model): the head is read into a frozen :class:`~.head.Head`; after the formula each
line is offered to the rules of the section it is in (:mod:`.rules`), which open an
item or let the line continue the open one; numbering and look-ahead live in
:mod:`.numbering`, footnote attachment in :mod:`.footnotes`, and the model is built
in one place (:mod:`.build`). Every phrase comes from the language table.

Example:
    >>> from akn_ep.text.lines import normalise
    >>> r = parse(normalise("European Parliament resolution of 1 June 2012 on X\\n"
    ...     "The European Parliament,\\n– having regard to Rule 110,\\n"
    ...     "1. Instructs its President to forward this resolution.\\n"), lang="en")
    >>> r.date.isoformat(), len(r.citations), r.body[0].number
    ('2012-06-01', 1, '1')
"""

from __future__ import annotations

import datetime as _dt

from ... import languages
from ...errors import ParseError
from ...lines import Lines
from ...model import Resolution
from .build import build
from .footnotes import attach
from .head import Head, find_formula, read_head
from .rules import TABLES, Rule, read_items
from .state import Kind, Section, State

__all__ = ["parse", "Head", "Kind", "Section", "Rule", "TABLES"]

_WHERE = {Section.START: "after the formula", Section.CITATIONS: "in the citations",
          Section.RECITALS: "in the recitals"}


def parse(lines: Lines, *, lang: str, date: _dt.date | None = None, strict: bool = True,
          title: str | None = None) -> Resolution:
    """Read normalised lines of one language into a :class:`Resolution`.

    Raises :class:`akn_ep.errors.ParseError` (with a line number) for text that is not
    a resolution; with ``strict=False`` numbering slips become warnings
    (:class:`akn_ep.warning.ParseWarning` values in ``report.warnings``). ``date`` and
    ``title`` are used where the text prints none (a copy that starts at the formula):
    without them the documented fallbacks apply, each with a warning.

    Example:
        >>> from akn_ep.text.lines import normalise
        >>> parse(normalise("Resolution on X\\nThe European Parliament,\\nA. whereas y;\\n"
        ...     "1. Instructs its President to forward it.\\n"), lang="en").recitals[0].num
        'A.'
    """
    state = State(lines, languages.get(lang), date, strict, title)
    source = lines.lines
    if not source:
        raise ParseError("the text is empty", line=1, expected="a resolution title")
    f = find_formula(state.lang, source)
    head = read_head(state, source[:f], source[f])
    read_items(state, source[f + 1 :])
    if not any(b.kind is Kind.PARAGRAPH for b in state.blocks):
        message = f"the text ends {_WHERE.get(state.section, '')} without any numbered paragraph"
        raise ParseError(message.replace("  ", " "), line=source[-1].no,
                         expected=f"paragraph {state.next_para}")
    attach(state)
    return build(state, head, source[f].text)
