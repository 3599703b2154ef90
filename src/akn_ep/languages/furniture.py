"""Page furniture words of every language table, for the routes that remove page numbers.

A page number is printed alone ("3", "- 3 -", "3/12") or with words: "Page 3 of 12",
"S. 3 von 12", "str. 3 z 12", "σελ. 3 από 12". The words live in each language's
table (``page_words``: ``page`` and ``of``); a route removes page furniture before it
knows the text's language, so :func:`page_number_re` accepts the words of every table.

Example:
    >>> bool(page_number_re().match("Seite 3 von 12")), bool(page_number_re().match("3. lpp."))
    (True, True)
    >>> bool(page_number_re().match("Article 3"))
    False
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from . import codes

__all__ = ["page_words", "page_number_re", "mottos", "motto_re"]


@cache
def _tables() -> tuple[dict[str, Any], ...]:  # "page", "of": lists; "motto": a str
    """The ``page_words`` entry of every language table."""
    out = []
    for code in codes():
        raw = resources.files(__package__).joinpath(f"{code}.json").read_text(encoding="utf-8")
        out.append(json.loads(raw).get("page_words") or {})
    return tuple(out)


def _longest_first(words: set[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@cache
def page_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``page`` and ``of`` words of every language table, longest first.

    Example:
        >>> "lpp." in page_words()[0], "von" in page_words()[1]
        (True, True)
    """
    page = {w.casefold() for t in _tables() for w in t.get("page", ())}
    of = {w.casefold() for t in _tables() for w in t.get("of", ())}
    return _longest_first(page), _longest_first(of)


@cache
def mottos() -> tuple[str, ...]:
    """The Union's motto in every language, as the Parliament's page footers print it
    ("EN United in diversity EN", "DE In Vielfalt geeint DE").

    Example:
        >>> "In Vielfalt geeint" in mottos()
        True
    """
    return _longest_first({t["motto"] for t in _tables() if t.get("motto")})


@cache
def motto_re() -> re.Pattern[str]:
    """A footer cell that is the motto, alone or between language codes.

    Example:
        >>> [bool(motto_re().match(t)) for t in ("LV Vienoti daudzveidībā LV",
        ...                                     "United in diversity", "United we stand")]
        [True, True, False]
    """
    return re.compile(rf"^(?:[A-Z]{{2}}\s+)?(?:{_alt(mottos())})(?:\s+[A-Z]{{2}})?$",
                      re.IGNORECASE)


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


@cache
def page_number_re() -> re.Pattern[str]:
    """A line that is only a page number: bare ("3", "- 3 -", "3/12") or with the page
    words of any table before or after it ("Page 3 of 12", "3. lpp.", "12. oldal").

    Example:
        >>> [bool(page_number_re().match(t)) for t in ("- 4 -", "p. 4", "σελ. 4 από 9", "4 Member")]
        [True, True, True, False]
    """
    page, of = page_words()
    number = r"\d{1,4}"
    count = rf"(?:\s*(?:{_alt(of)})\s*{number})?"
    return re.compile(
        rf"^(?:[-–—]\s*)?{number}(?:\s*[-–—])?$"
        rf"|^{number}\s*/\s*{number}$"
        rf"|^(?:{_alt(page)})\s*{number}{count}$"
        rf"|^{number}\.?\s*(?:{_alt(page)}){count}$",
        re.IGNORECASE,
    )
