"""Tell which EU language a resolution is written in, using only the language tables.

Every language table is scored against the head of the text (at most the first
200 lines / 20,000 characters):

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
from collections.abc import Iterable
from functools import cache

from ..errors import LanguageError
from . import Language, codes, fold, get

__all__ = ["detect", "scores", "MIN_SCORE", "MIN_RATIO"]

#: How much of the text is looked at (non-blank lines, characters) …
MAX_LINES = 200
MAX_CHARS = 20_000
#: … and in the quick first look, which decides most texts.
QUICK_LINES = 30
QUICK_CHARS = 4_000

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
    # Most texts are decided by their first lines (title, formula, first citations):
    # look at those first and read further only when they do not decide.
    ranked = _ranked(scores(text, candidates, max_lines=QUICK_LINES, max_chars=QUICK_CHARS))
    if _decided(ranked):
        return ranked[0][0]
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
    if text is None or not text.strip():
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
    if script == "latin":
        pool = tuple(c for c in pool if c not in _SCRIPT_LANG.values())
    else:
        pool = tuple(c for c in pool if c == _SCRIPT_LANG[script])
    if not pool:
        return {}

    result = dict.fromkeys(pool, 0.0)
    if script != "latin":
        result[_SCRIPT_LANG[script]] += W_SCRIPT

    probes = [_probe(c) for c in pool]
    for raw in lines:
        line = fold(raw)
        if not line:
            continue
        body = _MARKER.sub("", line, count=1)[:_HEAD]
        start = line[:_HEAD]
        for probe in probes:
            result[probe.code] += probe.score(line, start, body)

    weights = _word_weights()
    for word in _WORD.findall(fold(head)):
        for code, weight in weights.get(word, ()):
            if code in result:
                result[code] += weight
    return result


class _Probe:
    """The line questions of one language, asked of already folded text.

    Uses the table's compiled patterns directly (``fold`` is idempotent, so asking the
    public ``is_*`` methods would give the same answers, only folding every line 24
    times over); falls back to those methods if the compiled forms are not there.
    """

    def __init__(self, lang: Language):
        self.code = lang.code
        self.lang = lang
        self.formulas = getattr(lang, "_formula_set", None)
        self.title = getattr(lang, "_title_re", None)
        self.citation = getattr(lang, "_citation_re", None)
        self.recital = getattr(lang, "_recital_re", None)
        self.closing = getattr(lang, "_closing_re", None)
        self.fast = None not in (self.formulas, self.title, self.citation, self.closing)

    def score(self, line: str, start: str, body: str) -> float:
        if self.fast:
            formula = line.rstrip(" ,:") in self.formulas
            title = self.title.match(start) is not None
            citation = self.citation.match(body) is not None
            recital = self.recital is not None and self.recital.match(body) is not None
            closing = self.closing.search(line) is not None
        else:
            lang = self.lang
            formula = lang.is_formula(line)
            title = lang.is_title(start)
            citation = lang.is_citation(body)
            recital = lang.is_recital_text(body)
            closing = lang.is_closing(line)
        score = 0.0
        if formula:
            score += W_FORMULA
        elif title:
            score += W_TITLE
        elif citation:
            score += W_CITATION
        elif recital:
            score += W_RECITAL
        if closing:
            score += W_CLOSING
        return score


@cache
def _probe(code: str) -> _Probe:
    return _Probe(get(code))


_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LETTER = re.compile(r"[^\W\d_]")


def _script_of(text: str) -> str | None:
    """'greek', 'cyrillic' or 'latin' by the share of letters; None if no letters."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return None
    greek = len(_GREEK.findall(text))
    cyrillic = len(_CYRILLIC.findall(text))
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
