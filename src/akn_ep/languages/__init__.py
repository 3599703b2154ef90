"""Language knowledge as data: one JSON table per official EU language.

Code never branches on a language code; it asks a :class:`Language` ("is this a
citation opener?", "which date does this phrase print?"). Tables are loaded
once, lazily, from the JSON files beside this module (shipped in the wheel, no
network).

Example:
    >>> lv = get("lv")
    >>> lv.iso639_2t, lv.find_date("Eiropas Parlamenta 2012. gada 15. marta rezolūcija")[0]
    ('lav', datetime.date(2012, 3, 15))
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import attrs

from ..errors import LanguageError

__all__ = ["Language", "get", "codes", "all_languages", "fold"]

#: The 24 official languages of the European Union (ISO 639-1).
EU_CODES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
    "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
)  # fmt: skip

_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case- and look-alike-insensitive form used for matching phrases.

    Lower-cases, maps Romanian cedilla letters to comma letters, and unifies
    apostrophes, so "Rezoluţia" and "Rezoluția" match.

    Example:
        >>> fold("Rezoluţia  L’Union")
        "rezoluția l'union"
    """
    if text.isascii():
        if "`" in text:
            text = text.replace("`", "'")
        text = text.lower()  # casefold() of ASCII
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text  # no whitespace to collapse
        return " ".join(text.split())
    text = unicodedata.normalize("NFC", text)
    return " ".join(_fold_chars(text).casefold().split())


#: Look-alikes unified by :func:`fold` (str.translate with a table is slow; these are few).
_FOLD_PAIRS = (("ţ", "ț"), ("Ţ", "Ț"), ("ş", "ș"), ("Ş", "Ș"), ("’", "'"), ("‘", "'"),
               ("\u00a0", " "))


def _fold_chars(text: str) -> str:
    """Replace the look-alikes of :data:`_FOLD_PAIRS` (and "`") in ``text``."""
    if "`" in text:
        text = text.replace("`", "'")
    if not text.isascii():
        for a, b in _FOLD_PAIRS:
            if a in text:
                text = text.replace(a, b)
    return text


@attrs.frozen
class Language:
    """The phrases and forms of one language, as loaded from its table.

    Example:
        >>> get("en").is_citation("– having regard to Rule 132,")
        False
        >>> get("en").is_citation("having regard to Rule 132,")
        True
    """

    code: str
    iso639_2t: str
    iso639_2b: str
    name: str
    formula: tuple[str, ...]
    proponent: str
    title_patterns: tuple[str, ...]
    citation_openers: tuple[str, ...]
    recital_openers: tuple[str, ...]
    closing_patterns: tuple[str, ...]
    annex_words: tuple[str, ...]
    months: tuple[tuple[str, ...], ...]
    date_patterns: tuple[str, ...]
    recital_letters: str
    common_words: tuple[str, ...]
    #: recital labels counted another way, in order, accepted beside ``recital_letters``
    #: (Greek numerals: Α … Ε, ΣΤ, Ζ … Θ, Ι, ΙΑ …)
    recital_numerals: tuple[str, ...]
    #: point labels in order where they are not Latin (Greek α, β … στ …; Cyrillic а, б …);
    #: Latin a … z, aa, bb … count in every language
    point_letters: tuple[str, ...]
    # compiled forms
    _title_re: re.Pattern[str] = attrs.field(repr=False, eq=False, alias="title_re")
    _date_re: _MultiPattern = attrs.field(repr=False, eq=False, alias="date_re")
    _month_of: dict[str, int] = attrs.field(repr=False, eq=False, alias="month_of")
    _citation_re: re.Pattern[str] = attrs.field(repr=False, eq=False, alias="citation_re")
    _recital_re: re.Pattern[str] | None = attrs.field(repr=False, eq=False, alias="recital_re")
    _closing_re: re.Pattern[str] = attrs.field(repr=False, eq=False, alias="closing_re")
    _annex_re: re.Pattern[str] = attrs.field(repr=False, eq=False, alias="annex_re")
    _formula_set: frozenset[str] = attrs.field(repr=False, eq=False, alias="formula_set")

    # -- questions code asks -------------------------------------------------
    def is_formula(self, line: str) -> bool:
        """Is this line the formula ("The European Parliament,")?"""
        return fold(line).rstrip(" ,:") in self._formula_set

    def is_title(self, line: str) -> bool:
        """Does this line open the resolution's full title?"""
        return self._title_re.match(fold(line)) is not None

    def is_citation(self, text: str) -> bool:
        """Does this text open with a citation opener ("having regard to")?"""
        return self._citation_re.match(fold(text)) is not None

    def is_recital_text(self, text: str) -> bool:
        """Does this text open with a recital opener ("whereas")?"""
        return self._recital_re is not None and self._recital_re.match(fold(text)) is not None

    def is_closing(self, text: str) -> bool:
        """Is this the closing paragraph ("Instructs its President to forward …")?"""
        return self._closing_re.search(fold(text)) is not None

    def is_annex_heading(self, line: str) -> bool:
        """Is this line the heading of an annex ("ANNEX", "PIELIKUMS")?"""
        return self._annex_re.match(fold(line)) is not None

    def month(self, word: str) -> int | None:
        """The month number of a month name in any of its forms, or None."""
        return self._month_of.get(fold(word))

    def find_date(self, text: str) -> tuple[_dt.date, tuple[int, int]] | None:
        """The first valid date printed in ``text`` and its span in the folded text.

        Example:
            >>> get("en").find_date("resolution of 1 December 2011 on …")[0]
            datetime.date(2011, 12, 1)
        """
        folded = fold(text)
        # the earliest match of any pattern is nearly always a valid date: look for it
        # first, and through every match in order only if it is not. A pattern that
        # opens with the day or year cannot match before the first digit: searched from
        # there (what the regex engine, with no literal to look for, does slowly)
        digit = _DIGIT.search(folded)
        first = None
        for p, digit_first in self._date_re.searches:
            if digit_first:
                if digit is None:
                    continue
                m = p.search(folded, digit.start())
            else:
                m = p.search(folded)
            if m is not None and (first is None or m.start() < first.start()):
                first = m
        if first is None:
            return None
        month = self._month_of.get(first.group("month"))
        if month is not None:
            try:
                return (_dt.date(int(first.group("year")), month, int(first.group("day"))),
                        first.span())
            except (TypeError, ValueError):
                pass
        for m in self._date_re.finditer(folded):
            month = self._month_of.get(m.group("month"))
            if month is None:
                continue
            try:
                return _dt.date(int(m.group("year")), month, int(m.group("day"))), m.span()
            except (TypeError, ValueError):
                continue
        return None

    def recital_letter(self, index: int) -> str:
        """The printed letter(s) of the recital at ``index`` (0-based): A…Z, AA, AB …

        Example:
            >>> get("en").recital_letter(27)
            'AB'
        """
        return _nth_letters(index, self.recital_letters)

    def recital_index(self, letters: str, expected: int | None = None) -> int | None:
        """The 0-based position of printed recital letters, or None if they are not letters.

        Letters of this language's alphabet count in it; where the language also counts
        recitals in numerals (Greek: Α … Ε, ΣΤ, Ζ …), those count too, and where the two
        readings differ ("Ζ" is the 6th letter and the numeral 7) the one equal to
        ``expected`` (the position the caller is at) is taken, else the earlier one. Plain
        Latin capitals count in the Latin alphabet in every language, since texts in Greek
        and Cyrillic script sometimes print them (a Latin "B" after a Greek "Α" looks the
        same on the page). The parser, the writer's eIds, the profile and ``align`` all ask
        this one question.

        Example:
            >>> get("el").recital_index("Γ"), get("el").recital_index("C")
            (2, 2)
            >>> get("el").recital_index("ΣΤ"), get("el").recital_index("Ζ", expected=6)
            (5, 6)
            >>> get("en").recital_index("AB"), get("en").recital_index("a") is None
            (27, True)
        """
        index = _letters_index(letters, self.recital_letters)
        if self.recital_numerals and index != expected and letters in self.recital_numerals:
            numeral = self.recital_numerals.index(letters)
            if index is None or numeral == expected or numeral < index:
                index = numeral
        if index is None and letters.isascii() and self.recital_letters != _LATIN:
            index = _letters_index(letters, _LATIN)
        return index

    def point_index(self, label: str) -> int | None:
        """The 0-based position of a point's lower-case letter label ("b" in "(b)"): a … z,
        then aa, bb … in every language, and this language's own point letters (Greek
        α, β … ε, στ, ζ …); None for anything else (Roman and Arabic numbers are counted
        by the parser).

        Example:
            >>> get("en").point_index("c"), get("en").point_index("bb")
            (2, 27)
            >>> get("el").point_index("στ"), get("bg").point_index("в"), get("en").point_index("β")
            (5, 2, None)
        """
        if label.isascii():
            if not label.isalpha() or not label.islower():
                return None
            if len(label) == 1:
                return ord(label) - 97
            if len(label) == 2 and label[0] == label[1]:  # (aa), (bb) after (z)
                return 26 + ord(label[0]) - 97
            return None
        try:
            return self.point_letters.index(label)
        except ValueError:
            return None

    def point_key(self, label: str) -> str:
        """A point's label as every language's eIds and :func:`akn_ep.align` write it: this
        language's own point letters become the Latin letters at the same position ("στ",
        the 6th Greek point, is "f"), so parallel versions share their eIds; any other
        label stays as it is.

        Example:
            >>> get("el").point_key("στ"), get("bg").point_key("б"), get("en").point_key("iv")
            ('f', 'b', 'iv')
        """
        if label.isascii() or label not in self.point_letters:
            return label
        index = self.point_letters.index(label)
        return chr(97 + index % 26) * (index // 26 + 1)


def _nth_letters(index: int, alphabet: str) -> str:
    """Letters for a 0-based position, as a bijective count in ``alphabet``:
    A … Z, AA … AZ, BA … ZZ, AAA … (never a repeat).

    Example:
        >>> [_nth_letters(i, "AB") for i in range(7)]
        ['A', 'B', 'AA', 'AB', 'BA', 'BB', 'AAA']
    """
    if index < 0:
        raise ValueError(f"recital position must be >= 0, got {index}")
    n = len(alphabet)
    out = []
    index += 1
    while index:
        index, r = divmod(index - 1, n)
        out.append(alphabet[r])
    return "".join(reversed(out))


def _letters_index(letters: str, alphabet: str) -> int | None:
    """The 0-based position of ``letters`` (inverse of :func:`_nth_letters`), or None."""
    n = len(alphabet)
    if not letters:
        return None
    total = 0
    for c in letters:
        k = alphabet.find(c)
        if k < 0:
            return None
        total = total * n + k + 1
    return total - 1


def latin_letters(index: int) -> str:
    """Latin letters for a 0-based recital position, used in eIds of every language.

    Example:
        >>> latin_letters(0), latin_letters(26)
        ('A', 'AA')
    """
    return _nth_letters(index, _LATIN)


def _alternation(words: Iterable[str]) -> str:
    # longest first: "having regard to its resolution" wins over "having regard to"
    return "|".join(re.escape(fold(w)) for w in sorted(set(words), key=len, reverse=True))


def _compile(data: dict[str, Any]) -> Language:
    months = tuple(tuple(forms) for forms in data["months"])
    if len(months) != 12:
        raise LanguageError(f"language table {data['code']}: needs 12 months, has {len(months)}")
    month_of = {fold(form): i + 1 for i, forms in enumerate(months) for form in forms}
    month_alt = "|".join(re.escape(k) for k in sorted(month_of, key=len, reverse=True))
    date_alts = []
    for pat in data["date_patterns"]:
        pat = fold(pat)
        date_alts.append(
            "(?:"
            + pat.replace("{day}", r"(?P<day>\d{1,2})")
            .replace("{month}", f"(?P<month>{month_alt})")
            .replace("{year}", r"(?P<year>\d{4})")
            + ")"
        )
    # named groups may repeat only once per pattern: compile each alternative separately
    date_re = _MultiPattern([re.compile(a) for a in date_alts])
    title_re = re.compile("|".join(f"(?:{fold(p)})" for p in data["title_patterns"]))
    recital = data.get("recital_openers") or []
    recital_re = re.compile(rf"(?:{_alternation(recital)})(?!\w)") if recital else None
    closing_re = re.compile("|".join(f"(?:{fold(p)})" for p in data["closing_patterns"]))
    annex_re = re.compile(rf"(?:{_alternation(data['annex_words'])})(?!\w)")
    return Language(
        code=data["code"],
        iso639_2t=data["iso639_2t"],
        iso639_2b=data["iso639_2b"],
        name=data["name"],
        formula=tuple(data["formula"]),
        proponent=data["proponent"],
        title_patterns=tuple(data["title_patterns"]),
        citation_openers=tuple(data["citation_openers"]),
        recital_openers=tuple(recital),
        closing_patterns=tuple(data["closing_patterns"]),
        annex_words=tuple(data["annex_words"]),
        months=months,
        date_patterns=tuple(data["date_patterns"]),
        recital_letters=data.get("recital_letters", _LATIN),
        common_words=tuple(data.get("common_words", ())),
        recital_numerals=tuple(data.get("recital_numerals", ())),
        point_letters=tuple(data.get("point_letters", ())),
        title_re=title_re,
        date_re=date_re,
        month_of=month_of,
        citation_re=re.compile(rf"(?:{_alternation(data['citation_openers'])})(?!\w)"),
        recital_re=recital_re,
        closing_re=closing_re,
        annex_re=annex_re,
        formula_set=frozenset(fold(f).rstrip(" ,:") for f in data["formula"]),
    )


_DIGIT = re.compile(r"\d")
#: How a date pattern compiled by _compile starts when it opens with the day or year.
_DIGIT_FIRST = (r"(?:(?P<day>\d{", r"(?:(?P<year>\d{")


def _match_start(m: re.Match[str]) -> int:
    return m.start()


class _MultiPattern:
    """Several compiled patterns searched as one, earliest match first."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        self.patterns = patterns
        #: each pattern, and whether its every match starts with a digit (the day or year)
        self.searches = [(p, p.pattern.startswith(_DIGIT_FIRST)) for p in patterns]

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Matches of all the patterns by where they start (ties: in pattern order)."""
        matches = [m for p in self.patterns for m in p.finditer(text)]
        matches.sort(key=_match_start)
        return iter(matches)


@cache
def get(code: str) -> Language:
    """The table of one language by ISO 639-1 (``lv``) or 639-2 (``lav``, ``ger``) code.

    Example:
        >>> get("deu").code
        'de'
    """
    key = (code or "").strip().lower()
    if len(key) == 3:
        for c in codes():
            lang = get(c)
            if key in (lang.iso639_2t, lang.iso639_2b):
                return lang
    if key not in codes():
        raise LanguageError(
            f"unknown language {code!r}; known: {', '.join(codes())}",
            expected="an EU language code",
        )
    raw = resources.files(__name__).joinpath(f"{key}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    data.setdefault("code", key)
    return _compile(data)


@cache
def codes() -> tuple[str, ...]:
    """ISO 639-1 codes of the languages that have a table, sorted.

    Example:
        >>> "lv" in codes()
        True
    """
    found = []
    for entry in resources.files(__name__).iterdir():
        name = entry.name
        if name.endswith(".json") and len(name) == 7:
            found.append(name[:2])
    return tuple(sorted(found))


def all_languages() -> tuple[Language, ...]:
    """Every language table.

    Example:
        >>> len(all_languages()) >= 2
        True
    """
    return tuple(get(c) for c in codes())
