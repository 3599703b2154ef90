"""Tell which EU language a resolution is written in, using only the language tables.

A formula on a line of its own among the first thirty lines ("Le Parlement européen,",
exactly as a table prints it, case and spacing aside) names the language at once: no two
tables share one, and it is what nearly every resolution prints. Otherwise every language
table is scored against the head of the text: the first few lines first, then the first
thirty, then at most the first 200 lines / 20,000 characters, reading further only while
the evidence does not decide:

* the formula on a line of its own ("Le Parlement européen,") and a title head
  ("Résolution du Parlement européen …") are strong evidence;
* the closing instruction ("charge son Président de transmettre …") is strong too;
* citation and recital openers at the start of a line (after any "–", "A." or "1."
  marker) are good evidence;
* month names and frequent function words, counted as whole words, add a little
  each; a word that several languages share is split between them;
* the script decides outright: a text mostly in Greek letters can only be Greek,
  one mostly in Cyrillic only Bulgarian, and a Latin-script text is neither.

The best language must score at least :data:`MIN_SCORE` and clearly more than the
runner-up (:data:`MIN_RATIO` times as much); otherwise :class:`LanguageError` is
raised, naming the best candidates and their scores.

Example:
    >>> detect("Il Parlamento europeo,\\n– visto l'articolo 1,\\n– vista la relazione,")
    'it'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from ..errors import LanguageError
from . import Language, _fold_chars, codes, fold, get

__all__ = ["detect", "scores", "MIN_SCORE", "MIN_RATIO"]

#: How much of the text is looked at (non-blank lines, characters) …
MAX_LINES = 200
MAX_CHARS = 20_000
#: … and in the quick first looks, which decide most texts: the first dozen lines
#: (title, formula, a citation or two), then the first thirty.
QUICK_LINES = 30
QUICK_CHARS = 4_000
QUICKEST_LINES = 4
QUICKEST_CHARS = 600

#: Weights of the evidence.
W_FORMULA = 10.0
W_TITLE = 8.0
W_CLOSING = 6.0
W_CITATION = 3.0
W_RECITAL = 3.0
W_MONTH = 1.0
W_WORD = 1.0
#: Given to the one language a non-Latin script points to.
W_SCRIPT = 10.0

#: The winner needs this score …
MIN_SCORE = 5.0
#: … and this many times the runner-up's.
MIN_RATIO = 1.5

#: Share of letters from one script that makes a text "in" that script.
_SCRIPT_SHARE = 0.3
_SCRIPT_LANG = {"greek": "el", "cyrillic": "bg"}

# A leading item marker: dashes/bullets, then optionally "A.", "1.", "(a)", "ΣΤ." ...
_MARKER = re.compile(r"^[\s\-\u2010-\u2015\u2212•·*]*(?:\(?\w{1,3}[.)](?!\d))?\s*")
_WORD = re.compile(r"\w+")
# Only the start of a line can hold an opener or a title head.
_HEAD = 160


def detect(text: str, candidates: tuple[str, ...] | None = None) -> str:
    """The ISO 639-1 code of the EU language ``text`` is written in.

    ``candidates`` limits the choice (ISO 639-1 or 639-2 codes); by default every
    language that has a table competes. Raises :class:`LanguageError` when no
    language wins clearly: an empty or unreadable text, text in no EU language,
    or a tie.

    Example:
        >>> detect("Das Europäische Parlament,\\n– gestützt auf Artikel 1,\\n"
        ...        "– unter Hinweis auf seine Entschließung vom 5. Mai 2011,")
        'de'
        >>> detect("")
        Traceback (most recent call last):
        ...
        akn_ep.errors.LanguageError: cannot tell the language of an empty text \
(expected: a text in an EU language)
    """
    # The formula on a line of its own among the opening lines ("Il Parlamento europeo,")
    # names the language outright: no two tables share one, and no resolution prints
    # another language's formula as a line of its own.
    if text:
        code = _formula_language(text)
        if code is not None and (candidates is None or code in _codes_of(tuple(candidates))):
            return code
    # Most texts are decided by their first lines (title, formula, first citations):
    # look at those first and read further only when they do not decide. A look that
    # decides is one whose winner is as clear as the full reading requires.
    for max_lines, max_chars in ((QUICKEST_LINES, QUICKEST_CHARS), (QUICK_LINES, QUICK_CHARS)):
        winner = _clear_winner(scores(text, candidates, max_lines=max_lines,
                                      max_chars=max_chars))
        if winner is not None:
            return winner
    ranked = _ranked(scores(text, candidates))
    if not ranked:
        raise LanguageError("no candidate languages", expected="an EU language code")
    best_code, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if best >= MIN_SCORE and best >= MIN_RATIO * second:
        return best_code
    shown = ", ".join(f"{c}={s:.1f}" for c, s in ranked[:4])
    why = "too little evidence" if best < MIN_SCORE else "no clear winner"
    raise LanguageError(
        f"cannot tell the language ({why}); best candidates: {shown}",
        expected="a text in an EU language",
    )


def _formula_language(text: str) -> str | None:
    """The language whose formula, exactly as its table prints it (case and spacing aside),
    stands on a line of its own among the first :data:`QUICK_LINES` lines; None if none
    does (a formula with mangled letters is left to the weighing of evidence)."""
    formulas, longest = _plain_formulas()
    seen = 0
    for line in text[:QUICK_CHARS].splitlines():
        line = line.strip()
        if not line:
            continue
        if len(line) <= 2 * longest:  # room for a comma and doubled spaces
            key = line.rstrip(" ,:").casefold()
            code = formulas.get(key)
            if code is None and ("  " in key or "\t" in key or "\xa0" in key):
                code = formulas.get(" ".join(key.split()))
            if code is not None:
                return code
        seen += 1
        if seen == QUICK_LINES:
            break
    return None


@cache
def _plain_formulas() -> tuple[dict[str, str], int]:
    """Each table's formulas, case-folded without the final comma -> language; and the
    length of the longest."""
    out: dict[str, str] = {}
    for code in codes():
        for formula in get(code).formula:
            key = " ".join(formula.rstrip(" ,:").casefold().split())
            if out.setdefault(key, code) != code:
                raise LanguageError(f"two language tables share the formula {formula!r}")
    return out, max(map(len, out))


@lru_cache(maxsize=64)
def _codes_of(candidates: tuple[str, ...]) -> frozenset[str]:
    return frozenset(get(c).code for c in candidates)


def _clear_winner(table: dict[str, float]) -> str | None:
    """The language :func:`_decided` would pick from ``table``, or None; without sorting
    (a clear winner is never tied, so the top two scores are all it takes)."""
    best_code, best, second = None, 0.0, 0.0
    for code, score in table.items():
        if best_code is None or score > best:
            best_code, best, second = code, score, (best if best_code is not None else 0.0)
        elif score > second:
            second = score
    if best_code is not None and best >= MIN_SCORE and best >= MIN_RATIO * second:
        return best_code
    return None


def _ranked(table: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))


def _decided(ranked: list[tuple[str, float]]) -> bool:
    if not ranked:
        return False
    best = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return best >= MIN_SCORE and best >= MIN_RATIO * second


def scores(
    text: str,
    candidates: Iterable[str] | None = None,
    *,
    max_lines: int = 200,
    max_chars: int = 20_000,
) -> dict[str, float]:
    """The evidence score of each candidate language for ``text`` (higher is likelier).

    Raises :class:`LanguageError` for an empty text, an unknown candidate code, or a
    text with no letters.

    Example:
        >>> s = scores("O Parlamento Europeu,\\n– Tendo em conta o artigo 1,")
        >>> max(s, key=s.get)
        'pt'
    """
    if text is None or not text or text.isspace():
        raise LanguageError(
            "cannot tell the language of an empty text", expected="a text in an EU language"
        )
    if candidates is None:
        pool = codes()
    else:
        pool = tuple(dict.fromkeys(get(c).code for c in candidates))
    head = text[: min(max_chars, MAX_CHARS)]
    lines = [ln for ln in head.splitlines() if ln.strip()][: min(max_lines, MAX_LINES)]
    head = "\n".join(lines)

    script = _script_of(head)
    if script is None:
        raise LanguageError(
            "cannot tell the language of a text without letters",
            expected="a text in an EU language",
        )
    pool = _pool_of(pool, script)
    if not pool:
        return {}

    result = dict.fromkeys(pool, 0.0)
    if script != "latin":
        result[_SCRIPT_LANG[script]] += W_SCRIPT

    # every line is folded at once (fold works character by character, so folding the
    # joined head and splitting it again gives each line's fold)
    folded = _fold_keep_lines(head)
    index = _index()
    for raw in folded.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        marker = _MARKER.match(line)  # always matches, maybe empty
        body = line[marker.end() if marker else 0:][:_HEAD]
        index.score(line, line[:_HEAD], body, result)

    # words in text order, so that the sums are those of adding word by word
    for found in filter(None, map(_pool_weights(tuple(result)).get, _WORD.findall(folded))):
        for code, weight in found:
            result[code] += weight
    return result


@lru_cache(maxsize=64)
def _pool_weights(pool: tuple[str, ...]) -> dict[str, tuple[tuple[str, float], ...]]:
    """:func:`_word_weights` restricted to the languages in ``pool``."""
    keep = set(pool)
    out = {}
    for word, by in _word_weights().items():
        mine = tuple((c, w) for c, w in by if c in keep)
        if mine:
            out[word] = mine
    return out


@lru_cache(maxsize=64)
def _pool_of(pool: tuple[str, ...], script: str) -> tuple[str, ...]:
    """The candidates a script allows: Greek and Bulgarian only in their scripts."""
    if script == "latin":
        return tuple(c for c in pool if c not in _SCRIPT_LANG.values())
    return tuple(c for c in pool if c == _SCRIPT_LANG[script])


def _fold_keep_lines(text: str) -> str:
    """:func:`fold` without collapsing whitespace, so that lines stay lines."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _fold_chars(text).casefold()


class _Index:
    """Every language's line questions, asked of a folded line all at once.

    Asking each language in turn means two dozen regex calls a line; here the formulas
    are one dictionary, the citation and recital openers (plain phrases) are looked up
    by their first two characters, and the title and closing patterns of all languages
    are first tried as one alternation, each language's own pattern only where that
    one matches. The answers are those of the tables' own patterns.
    """

    def __init__(self, langs: tuple[Language, ...]):
        self.formulas: dict[str, list[str]] = {}
        for lang in langs:
            for f in sorted(lang._formula_set):
                self.formulas.setdefault(f, []).append(lang.code)
        self.titles = [(lang.code, lang._title_re) for lang in langs]
        self.any_title = re.compile("|".join(f"(?:{p.pattern})" for _, p in self.titles))
        self._titles_from: dict[int, re.Pattern[str]] = {}
        # a closing pattern can only match where its leading words are ("instructs its
        # president to …"): looking for them first spares most of the patterns
        self.closings = [
            (lang.code, lang._closing_re,
             tuple(_literal_prefix(fold(p)) for p in lang.closing_patterns))
            for lang in langs
        ]
        self.any_closing = re.compile("|".join(f"(?:{p.pattern})" for _, p, _ in self.closings))
        # … and the leading words of them all: a line holding none of them cannot match
        # any_closing (a few substring tests cost less than the alternation's search)
        prefixes = {p for _, _, ps in self.closings for p in ps}
        self.closing_prefixes = None if "" in prefixes else tuple(sorted(prefixes))

        # phrase -> (languages opening citations with it, … recitals with it)
        phrases: dict[str, tuple[list[str], list[str]]] = {}
        for lang in langs:
            for w in lang.citation_openers:
                phrases.setdefault(fold(w), ([], []))[0].append(lang.code)
            for w in lang.recital_openers:
                phrases.setdefault(fold(w), ([], []))[1].append(lang.code)
        self.key = min(len(p) for p in phrases)
        self.openers: dict[str, list[tuple[str, list[str], list[str]]]] = {}
        for phrase, (cit, rec) in phrases.items():
            self.openers.setdefault(phrase[: self.key], []).append((phrase, cit, rec))

    def openers_of(self, body: str) -> tuple[set[str], set[str]]:
        """Languages whose citation / recital openers open ``body`` (a whole word)."""
        cit: set[str] = set()
        rec: set[str] = set()
        for phrase, c, r in self.openers.get(body[: self.key], ()):
            if body.startswith(phrase) and not _WORD_CHAR.match(body, len(phrase)):
                cit.update(c)
                rec.update(r)
        return cit, rec

    def titles_of(self, start: str) -> list[str]:
        """Languages whose title pattern matches at the start of ``start``.

        One alternation of every language's pattern (each a named group) says the first
        language in order that matches; those before it do not (match() tries each
        alternative at the same place), so the search goes on after it only.
        """
        found = []
        k = 0
        count = len(self.titles)
        while k < count:
            pattern = self._titles_from.get(k)
            if pattern is None:
                pattern = self._titles_from[k] = re.compile("|".join(
                    f"(?P<t{i}>{p.pattern})" for i, (_, p) in enumerate(self.titles) if i >= k))
            m = pattern.match(start)
            if m is None:
                break
            i = int((m.lastgroup or "t0")[1:])  # every alternative is a group t<i>
            found.append(self.titles[i][0])
            k = i + 1
        return found

    def score(self, line: str, start: str, body: str, result: dict[str, float]) -> None:
        """Add this line's evidence to ``result`` (languages outside it are skipped).

        Per language: the formula, else a title head, else a citation opener, else a
        recital opener; and the closing instruction on top.
        """
        done: set[str] = set()
        for code in self.formulas.get(line.rstrip(" ,:"), ()):
            if code in result:
                result[code] += W_FORMULA
                done.add(code)
        if self.any_title.match(start):
            for code in self.titles_of(start):
                if code in result and code not in done:
                    result[code] += W_TITLE
                    done.add(code)
        if body[: self.key] in self.openers:
            cit, rec = self.openers_of(body)
            for code in cit:
                if code in result and code not in done:
                    result[code] += W_CITATION
                    done.add(code)
            for code in rec:
                if code in result and code not in done:
                    result[code] += W_RECITAL
        if self.closing_prefixes is not None:
            for prefix in self.closing_prefixes:
                if prefix in line:
                    break
            else:
                return
        if self.any_closing.search(line):
            for code, pattern, prefixes in self.closings:
                if code not in result:
                    continue
                if ("" in prefixes or any(p in line for p in prefixes)) and pattern.search(line):
                    result[code] += W_CLOSING


def _literal_prefix(pattern: str) -> str:
    """The plain text every match of ``pattern`` starts with ("" if it cannot tell).

    Example:
        >>> _literal_prefix(r"charge (?:son|sa) président\\w* de"), _literal_prefix("ab?c|d")
        ('charge ', '')
    """
    depth = 0
    for c in pattern:  # an alternative at the top level could start with anything
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return ""
    out: list[str] = []
    for c in pattern:
        if c in "\\[](){}|.*+?^$":
            if c in "*?{" and out:  # the character before is optional
                out.pop()
            break
        out.append(c)
    return "".join(out)


@cache
def _index() -> _Index:
    return _Index(tuple(get(c) for c in codes()))


_WORD_CHAR = re.compile(r"\w")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_GREEK_OR_CYRILLIC = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f]")
_LETTER = re.compile(r"[^\W\d_]")


def _script_of(text: str) -> str | None:
    """'greek', 'cyrillic' or 'latin' by the share of letters; None if no letters."""
    if text.isascii() or not _GREEK_OR_CYRILLIC.search(text):
        return "latin" if _LETTER.search(text) else None
    greek = len(_GREEK.findall(text))
    cyrillic = len(_CYRILLIC.findall(text))
    if not greek and not cyrillic:  # the common case: no need to count every letter
        return "latin" if _LETTER.search(text) else None
    letters = len(_LETTER.findall(text))
    if greek >= cyrillic and greek >= _SCRIPT_SHARE * letters:
        return "greek"
    if cyrillic >= _SCRIPT_SHARE * letters:
        return "cyrillic"
    return "latin"


@cache
def _word_weights() -> dict[str, tuple[tuple[str, float], ...]]:
    """Folded word -> ((language, weight), ...); shared words are split between languages.

    Built once from every table's common words and one-word month forms.
    """
    owners: dict[str, dict[str, float]] = {}
    for code in codes():
        lang = get(code)
        words = {fold(w) for w in lang.common_words}
        months = {fold(f) for forms in lang.months for f in forms if " " not in f.strip()}
        for w in words:
            owners.setdefault(w, {})[code] = W_WORD
        for m in months - words:
            owners.setdefault(m, {})[code] = W_MONTH
    return {
        word: tuple((code, weight / len(by)) for code, weight in sorted(by.items()))
        for word, by in owners.items()
    }
