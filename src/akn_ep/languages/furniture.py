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

from . import codes

__all__ = ["page_words", "page_number_re"]


@cache
def page_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``page`` and ``of`` words of every language table, longest first.

    Example:
        >>> "lpp." in page_words()[0], "von" in page_words()[1]
        (True, True)
    """
    page: set[str] = set()
    of: set[str] = set()
    for code in codes():
        raw = resources.files(__package__).joinpath(f"{code}.json").read_text(encoding="utf-8")
        words = json.loads(raw).get("page_words") or {}
        page.update(w.casefold() for w in words.get("page", ()))
        of.update(w.casefold() for w in words.get("of", ()))
    return (tuple(sorted(page, key=lambda w: (-len(w), w))),
            tuple(sorted(of, key=lambda w: (-len(w), w))))


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
