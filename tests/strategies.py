"""Hypothesis strategies: realistic European Parliament resolutions in any of the 24 languages.

Three strategies, from strict to loose:

- :func:`text_resolutions` — models that a parse of clean text can produce, so that
  ``parse_text(to_text(r), lang=r.lang) == r`` must hold. Every item ends the way the
  parser expects an item to end, footnote calls are glued right after a word, the last
  paragraph is the closing "Instructs its President to forward …" when trailing text
  follows it, and the few layouts the text format cannot tell apart are avoided (each
  is named where it is avoided below).
- :func:`resolutions` — realistic models that must validate (recital letters and
  paragraph numbers in sequence), with everything the model allows: points without
  an introduction, empty headings, numbered headings, several annexes, footnotes
  anywhere (also side by side, first or last), XML-special characters and odd
  whitespace in the text, supplied and fallback dates.
- :func:`any_resolutions` — any consistent model, numbering included (letters and
  numbers as printed by hand), for the reader/writer round trip only.

Words come from a per-example alphabet drawn from the letters of the language's own
table (formula, openers, month names …), so Greek and Bulgarian examples are written in
Greek and Cyrillic. Everything here uses the language tables; nothing is hard-coded per
language.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from functools import cache

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from akn_ep import languages
from akn_ep.languages import EU_CODES, Language
from akn_ep.model import (
    HEAD_ROLES,
    Annex,
    Citation,
    FootnoteRef,
    Heading,
    HeadLine,
    Inline,
    Paragraph,
    Point,
    Recital,
    Resolution,
)

__all__ = [
    "LANGS",
    "alphabets",
    "expand_pattern",
    "date_text",
    "title_prefix",
    "closing_phrase",
    "text_resolutions",
    "resolutions",
    "any_resolutions",
]

LANGS = EU_CODES

# The hypothesis profiles ("ci", "thorough") are set in tests/conftest.py.

# -- language data ----------------------------------------------------------------


@cache
def letter_pool(code: str) -> tuple[str, ...]:
    """Lower-case letters of a language, read from its table (those with a one-letter capital)."""
    lang = languages.get(code)
    texts = [*lang.formula, lang.proponent, *lang.citation_openers, *lang.recital_openers,
             *lang.annex_words, *(m for forms in lang.months for m in forms),
             *lang.common_words, lang.recital_letters.lower()]
    letters = {c for t in texts for c in t.lower() if c.isalpha()}
    return tuple(sorted(c for c in letters if len(c.upper()) == 1 and c.upper() != c))


_PLACEHOLDERS = {"{day}": "\x01", "{month}": "\x02", "{year}": "\x03"}


def expand_pattern(pattern: str, fill: str = "") -> str:
    """The plainest text a language-table regex matches.

    Optional parts are left out, the first alternative of a group is taken, ``\\w*``
    is empty, and a lazy gap such as ``.{0,40}?`` becomes ``fill`` (the place where a
    title prints its date).

    Example:
        >>> expand_pattern("european parliament (?:legislative )?(?:resolution|decision)")
        'european parliament resolution'
        >>> expand_pattern(r"eiropas parlamenta .{0,40}?(?:normatīvā )?rezolūcij", "X ")
        'eiropas parlamenta X rezolūcij'
    """
    out, _ = _expand(pattern, 0, fill)
    return out


def _quantifier(p: str, i: int) -> tuple[str, int]:
    """The quantifier at ``p[i]`` ('', '?', '*', '+', '{m,n}'), lazy mark included."""
    if i < len(p) and p[i] in "?*+":
        q, i = p[i], i + 1
    elif i < len(p) and p[i] == "{":
        end = p.index("}", i)
        q, i = p[i : end + 1], end + 1
    else:
        return "", i
    if i < len(p) and p[i] == "?":
        i += 1
    return q, i


def _optional(q: str) -> bool:
    return q in ("?", "*") or bool(re.match(r"\{0(,|\})", q))


def _expand(p: str, i: int, fill: str) -> tuple[str, int]:
    alternatives: list[str] = []
    cur = ""
    while i < len(p):
        c = p[i]
        if c == ")":
            break
        if c == "|":
            alternatives.append(cur)
            cur, i = "", i + 1
            continue
        if c == "(":
            i += 3 if p.startswith("(?:", i) else 1
            inner, i = _expand(p, i, fill)
            i += 1  # the ")"
            q, i = _quantifier(p, i)
            cur += "" if _optional(q) else inner
            continue
        if c == "\\":
            esc = p[i + 1]
            i += 2
            piece = {"w": "a", "d": "1", "s": " "}.get(esc, esc)
        elif c == "[":
            end = p.index("]", i)
            piece, i = p[i + 1], end + 1
        elif c == ".":
            i += 1
            piece = "."
            q, j = _quantifier(p, i)
            if q.startswith("{0"):
                cur += fill
                i = j
                continue
        else:
            piece, i = c, i + 1
        q, i = _quantifier(p, i)
        cur += "" if _optional(q) else piece
    alternatives.append(cur)
    return alternatives[0], i


def date_text(lang: Language, date: dt.date) -> str:
    """The date as the language prints it, from its first date pattern and month names."""
    pattern = lang.date_patterns[0]
    for k, v in _PLACEHOLDERS.items():
        pattern = pattern.replace(k, v)
    text = expand_pattern(pattern)
    month = lang.months[date.month - 1][0]
    return (text.replace("\x01", str(date.day)).replace("\x02", month)
            .replace("\x03", str(date.year)))


def title_prefix(lang: Language, date: str | None) -> str:
    """The opening of a title ("European parliament resolution", with the date where the
    language prints it inside the opening) — ``date`` is placed after it otherwise."""
    pattern = lang.title_patterns[0]
    slot = "\x00"
    text = expand_pattern(pattern, slot + " ")
    if slot in text:
        text = text.replace(slot, f"{date} " if date else "")
    elif date:
        text = f"{text} {date}"
    text = _WSP.sub(" ", text).strip()
    return text[:1].upper() + text[1:]


def closing_phrase(lang: Language) -> str:
    """The opening words of the closing paragraph ("instructs its president to forward")."""
    return expand_pattern(lang.closing_patterns[0])


_WSP = re.compile(r"\s+")

# -- words -------------------------------------------------------------------------


@st.composite
def alphabets(draw, code: str) -> str:
    """A per-example alphabet: 5-14 letters of the language (non-Latin for el and bg)."""
    pool = letter_pool(code)
    letters = draw(st.lists(st.sampled_from(pool), min_size=min(5, len(pool)),
                            max_size=14, unique=True))
    return "".join(letters)


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


_SPECIALS = ("&", "<", ">", "&amp;", '"', "'", "]]>", "«", "»", "’", "–", "—", "…", "(", ")",
             "§", "€", "%", "1999", "P7_TA(2011)0588", "🇪🇺", "\u200b", ",", ";", ".", ":")
_SPACES = (" ", "  ", "\t", "\n", "\u00a0", "\u2003", " \r\n ")


class _Ctx:
    """What one example's parts share: language, vocabulary, footnote counter, mode.

    Words are drawn once per example (a small vocabulary over the alphabet) and then
    picked by index, which keeps the number of draws, and so the time per example, low.
    """

    def __init__(self, draw, lang: Language, alphabet: str, safe: bool, wild: bool = False):
        self.draw = draw
        self.lang = lang
        self.safe = safe
        self.wild = wild
        self.notes = 0
        self.vocab = draw(st.lists(st.text(alphabet, min_size=2, max_size=9), min_size=2,
                                   max_size=10, unique=True))
        self.with_notes = draw(st.booleans())
        self._index = st.integers(0, len(self.vocab) - 1)
        # running texts are phrases of the vocabulary, also drawn once
        self.phrases = draw(st.lists(st.lists(self._index, min_size=1, max_size=7),
                                     min_size=1, max_size=6))
        self._phrase = st.integers(0, len(self.phrases) - 1)
        if not safe:
            # text with XML-special characters and odd whitespace between the words
            self.noise = self.vocab + draw(st.lists(st.sampled_from(_SPECIALS + _SPACES),
                                                    min_size=2, max_size=6))
            self._noise_index = st.integers(0, len(self.noise) - 1)
            self.noise_phrases = draw(st.lists(st.lists(self._noise_index, min_size=1,
                                                        max_size=4), min_size=1, max_size=6))

    # words
    def word(self) -> str:
        return self.vocab[self.draw(self._index)]

    def words(self, n_min: int = 1, n_max: int = 6) -> list[str]:
        picks = self.draw(st.lists(self._index, min_size=n_min, max_size=n_max))
        return [self.vocab[i] for i in picks]

    def plain(self, n_min: int = 1, n_max: int = 6, cap: bool = False) -> str:
        words = self.words(n_min, n_max)
        if cap:
            words[0] = _cap(words[0])
        return " ".join(words)

    def note(self) -> FootnoteRef:
        self.notes += 1
        marker = str(self.notes)
        if self.wild and self.draw(st.booleans()):
            marker = self.draw(st.sampled_from(("*", "**", "a", "†"))) + marker
        return FootnoteRef(marker, _cap(" ".join(self.phrase())) + ".")

    def phrase(self) -> list[str]:
        return [self.vocab[i] for i in self.phrases[self.draw(self._phrase)]]

    def note_positions(self, n: int) -> set[int]:
        if not self.with_notes or not self.draw(st.integers(0, 3)) == 0:
            return set()
        return set(self.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2)))

    def noisy(self) -> str:
        """A run of text with XML-special characters and odd whitespace (loose modes)."""
        picks = self.draw(st.lists(self._noise_index, min_size=1, max_size=4))
        return "".join(self.noise[i] for i in picks)

    def inline(self, opener: str | None = None, end: str = ";", cap: bool = False) -> Inline:
        """Running text ending with ``end``, footnote calls glued after words.

        In text-safe mode a call always follows a word and is followed by a space or
        punctuation; in the loose modes calls go anywhere, side by side too.
        """
        if not self.safe:
            return self._loose_inline(opener, end)
        words = self.phrase()
        if cap:
            words[0] = _cap(words[0])
        calls = {i + bool(opener) for i in self.note_positions(len(words))}
        if opener:  # never a call right after the opener ("considérant qu'")
            words.insert(0, opener)
        parts: list = []
        for i, w in enumerate(words):
            sep = " " if i else ""
            if parts and isinstance(parts[-1], str):
                parts[-1] += sep + w
            else:
                parts.append(sep + w)
            if i in calls:
                parts.append(self.note())
        if isinstance(parts[-1], str):
            parts[-1] += end
        else:
            parts.append(end)
        return tuple(parts)

    def _loose_inline(self, opener: str | None, end: str) -> Inline:
        parts: list = [opener or ""]
        pieces = self.noise_phrases[self.draw(st.integers(0, len(self.noise_phrases) - 1))]
        calls = self.note_positions(len(pieces))
        for i, piece in enumerate(pieces):
            parts.append(self.noise[piece])
            if i in calls:
                parts.append(self.note())
                if self.draw(st.integers(0, 3)) == 0:
                    parts.append(self.note())  # two calls side by side
        if self.draw(st.booleans()):
            parts.append(end)
        text = tuple(parts)
        if not any(isinstance(p, FootnoteRef) or p.strip() for p in text):
            text = (self.word(),)
        return text


# -- parts of a resolution ---------------------------------------------------------

_PROC_TYPES = ("RSP", "INI", "COD", "CNS", "NLE", "APP", "BUD", "IMM", "DEC", "REG")
_STARS = ("*", "***", "***I", "***II", "***III")
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi")


def _numbered(kind: str, n: int) -> str:
    if kind == "alpha":
        return f"({string.ascii_lowercase[n]})"
    if kind == "roman":
        return f"({_ROMAN[n]})"
    return "–"


def _points(ctx: _Ctx, depth: int, last_end: str) -> tuple[Point, ...]:
    """Points of a paragraph: letters (a)… with sub-points (i)… or dashes, or dash indents.

    Text-safe limits: every point has text (a marker alone on its line takes the next
    line as its text), at most six letters so that "(i)" can only be a sub-point, and
    dash indents either make a whole list or sit under a letter (a dash list followed by
    "(a)" would make "(a)" a sub-point of the dash).
    """
    draw = ctx.draw
    kind = draw(st.sampled_from(("alpha", "alpha", "dash")) if depth == 1
                else st.sampled_from(("roman", "dash")))
    n = draw(st.integers(1, 6 if kind == "alpha" else 3))
    out = []
    for i in range(n):
        last = i == n - 1
        end = last_end if last else ";"
        subs: tuple[Point, ...] = ()
        if depth == 1 and kind == "alpha" and draw(st.integers(0, 3)) == 0:
            subs = _points(ctx, depth + 1, end)
        text: Inline | None = ctx.inline(end=":" if subs else end)
        if not ctx.safe and subs and draw(st.integers(0, 2)) == 0:
            text = None
        out.append(Point(_numbered(kind, i), text, subs))
    return tuple(out)


def _paragraph(ctx: _Ctx, number: int, end: str) -> Paragraph:
    draw = ctx.draw
    lang = ctx.lang
    while True:
        text = ctx.inline(cap=True, end=end)
        first = text[0].split(" ", 1)[0] if isinstance(text[0], str) else ""
        # "5. March …" continues a date: a paragraph does not open with a month name
        if not ctx.safe or lang.month(first.strip(",.;:")) is None:
            break
    points: tuple[Point, ...] = ()
    if draw(st.integers(0, 3)) == 0:
        text = ctx.inline(cap=True, end=":")
        points = _points(ctx, 1, end)
        if not ctx.safe and draw(st.integers(0, 3)) == 0:
            text = None
    return Paragraph(f"{number}.", text, points)


def _closing(ctx: _Ctx, number: int) -> Paragraph:
    phrase = _cap(closing_phrase(ctx.lang))
    return Paragraph(f"{number}.", ctx.inline(opener=phrase, end="."))


def _heading_text(ctx: _Ctx) -> str:
    lang = ctx.lang
    while True:
        text = ctx.plain(1, 5, cap=True)
        if not ctx.safe or not (lang.is_annex_heading(text) or lang.is_title(text)
                                or lang.is_formula(text) or lang.is_citation(text)):
            return text


def _body(ctx: _Ctx, closing: bool, may_open_with_heading: bool) -> tuple:
    draw = ctx.draw
    n = draw(st.integers(1, 8))
    items: list = []
    group: list | None = None
    for number in range(1, n + 1):
        # "General remarks" opens a group only where the parser looks for headings:
        # after a recital or a paragraph (not straight after a citation or the formula)
        can_head = number > 1 or may_open_with_heading or not ctx.safe
        if can_head and draw(st.integers(0, 4)) == 0:
            if group is not None:
                items.append(Heading(group[0], tuple(group[1])))
            group = [_heading_text(ctx), []]
        last = number == n
        if last and closing:
            para = _closing(ctx, number)
        else:
            para = _paragraph(ctx, number, "." if last else ";")
        (group[1] if group is not None else items).append(para)
    if group is not None:
        items.append(Heading(group[0], tuple(group[1])))
    return tuple(items)


def _loose_body(ctx: _Ctx) -> tuple:
    """Headings anywhere, numbered or empty; paragraphs and points without introductions."""
    draw = ctx.draw
    items: list = []
    number = 0
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 3)) == 0:
            paras = []
            for _ in range(draw(st.integers(0, 3))):
                number += 1
                paras.append(_paragraph(ctx, number, draw(st.sampled_from(";.:,"))))
            num = draw(st.sampled_from((None, "I.", "II", "A", "1.")))
            items.append(Heading(ctx.plain(1, 4, cap=True), tuple(paras), num))
        else:
            number += 1
            items.append(_paragraph(ctx, number, draw(st.sampled_from(";.:,"))))
    return tuple(items)


def _annex_title(ctx: _Ctx, index: int) -> str:
    word = ctx.lang.annex_words[0]
    return word if index == 0 and ctx.draw(st.booleans()) else f"{word} {'I' * (index + 1)}"


def _blocks(ctx: _Ctx, n_min: int, n_max: int) -> tuple[Inline, ...]:
    lang = ctx.lang
    out = []
    for _ in range(ctx.draw(st.integers(n_min, n_max))):
        while True:
            block = ctx.inline(cap=True, end=".")
            head = block[0] if isinstance(block[0], str) else ""
            if not ctx.safe or not lang.is_annex_heading(head):
                break
        out.append(block)
    return tuple(out)


def _dates(draw) -> dt.date:
    return draw(st.dates(dt.date(1979, 7, 17), dt.date(2030, 12, 31)))


def _procedure(draw, year: int) -> str:
    return f"{year}/{draw(st.integers(1, 2999)):04d}({draw(st.sampled_from(_PROC_TYPES))})"


def _ta_number(draw, year: int) -> str:
    term = min(10, max(1, (year - 1979) // 5 + 1))
    prov = draw(st.sampled_from(("", "", "-PROV")))
    return f"P{term}_TA{prov}({year}){draw(st.integers(1, 9999)):04d}"


def _doc_ref(draw, year: int) -> str:
    series = draw(st.sampled_from(("B", "A", "RC-B")))
    return f"{series}{draw(st.integers(1, 9))}-{draw(st.integers(1, 999)):04d}/{year}"


# -- resolutions ---------------------------------------------------------------------


@st.composite
def _resolution(draw, safe: bool, wild: bool = False, langs=LANGS) -> Resolution:
    code = draw(st.sampled_from(langs))
    lang = languages.get(code)
    alphabet = draw(alphabets(code))
    ctx = _Ctx(draw, lang, alphabet, safe, wild)

    # -- head: date, procedure, TA number, title, heading, head lines
    date = _dates(draw) if draw(st.integers(0, 5)) else None
    year = date.year if date else draw(st.integers(1979, 2030))
    has_proc = draw(st.booleans()) and (date is not None or not safe)
    procedure = _procedure(draw, year) if has_proc else None
    # a texts-adopted number gives the year of a fallback date (see has_proc)
    has_ta = draw(st.booleans()) and (date is not None or not safe)
    ta_number = _ta_number(draw, year) if has_ta else None
    printed = date_text(lang, date) if date else None
    title = f"{title_prefix(lang, printed)} {ctx.plain(1, 6)}"
    if procedure:
        title += f" ({procedure})"
    if safe:
        # the title reads as a title and prints the date the model holds
        assume(lang.is_title(title))
        found = lang.find_date(title)
        assume((found[0] if found else None) == date)
    heading = _heading_text(ctx) if draw(st.booleans()) else None

    pre: list[HeadLine] = []
    post: list[HeadLine] = []
    doc_refs: list[str] = []
    if date is not None or not safe:  # a year in the head gives a fallback date
        if draw(st.integers(0, 3)) == 0:
            pre.append(HeadLine("stars", draw(st.sampled_from(_STARS))))
        for _ in range(draw(st.integers(0, 2))):
            ref = _doc_ref(draw, year)
            pre.append(HeadLine("documentRefs", ref))
            doc_refs.append(ref)
    # lines after the title: only after a title closed by its procedure reference,
    # since a title that does not end with ")" runs on over the following lines
    if procedure is not None or not safe:
        if draw(st.integers(0, 3)) == 0:
            post.append(HeadLine("procedureKind", f"({ctx.plain(1, 3, cap=True)})"))
        if date is not None and draw(st.integers(0, 3)) == 0:
            post.append(HeadLine("sitting", f"{_cap(ctx.word())}, {printed}"))
        if draw(st.integers(0, 3)) == 0:
            post.append(HeadLine("other", _heading_text(ctx)))
    head_lines = pre + post
    if not safe:
        head_lines = draw(st.permutations(head_lines))
        if draw(st.integers(0, 4)) == 0:
            text = ctx.noisy()
            assume(text.strip())
            head_lines.append(HeadLine(draw(st.sampled_from(HEAD_ROLES)), text))
        if draw(st.booleans()):
            doc_refs.append(ctx.noisy().strip() or "x")

    # -- preamble
    citations = tuple(
        Citation(ctx.inline(opener=draw(st.sampled_from(lang.citation_openers)), end=","))
        for _ in range(draw(st.integers(0, 6)))
    )
    # up to 30 recitals (past Z), mostly fewer
    n_recitals = draw(st.one_of(st.integers(0, 4), st.integers(0, 30)))
    recitals = []
    for i in range(n_recitals):
        opener = draw(st.sampled_from(lang.recital_openers)) if lang.recital_openers else None
        if opener and opener.endswith(","):
            opener = opener[:-1]
        end = ";" if (safe or draw(st.booleans())) else ","
        recitals.append(Recital(f"{lang.recital_letter(i)}.", ctx.inline(opener=opener, end=end)))

    # -- body, trailing text, annexes
    trailing: tuple[Inline, ...] = ()
    closing = draw(st.booleans())
    if not safe:
        body = _loose_body(ctx) if draw(st.integers(0, 3)) == 0 else _body(ctx, closing, True)
    else:
        body = _body(ctx, closing, may_open_with_heading=bool(recitals))
    if closing or not safe:
        # text after the closing paragraph (a date and place, a signature …)
        trailing = _blocks(ctx, 0, 2)
    n_annexes = draw(st.integers(0, 1 if safe else 3))
    annexes = tuple(
        Annex(_annex_title(ctx, i) if safe else ctx.plain(1, 4, cap=True),
              _blocks(ctx, 0 if not safe else 1, 3))
        for i in range(n_annexes)
    )

    fields = {}
    if not safe:
        if date is not None:
            fields["date_source"] = draw(st.sampled_from(("printed", "supplied", "fallback")))
        if wild:
            recitals = _renumber_recitals(draw, recitals)
            body = _renumber_body(draw, body)
    return _number_notes(Resolution(
        lang=code,
        title=title,
        formula=lang.formula[0],
        heading=heading,
        date=date,
        procedure=procedure,
        ta_number=ta_number,
        doc_refs=tuple(doc_refs),
        head_lines=tuple(head_lines),
        citations=citations,
        recitals=tuple(recitals),
        body=body,
        annexes=annexes,
        trailing=trailing,
        **fields,
    ))


def _number_notes(r: Resolution) -> Resolution:
    """Footnote markers 1…n in the order the text prints the calls (prefixes kept)."""
    counter = iter(range(1, 10_000))

    def text(t: Inline | None) -> Inline | None:
        if t is None:
            return None
        return tuple(
            FootnoteRef(p.marker.rstrip("0123456789") + str(next(counter)), p.text)
            if isinstance(p, FootnoteRef) else p
            for p in t
        )

    def point(p: Point) -> Point:
        return Point(p.num, text(p.text), tuple(point(s) for s in p.points))

    def para(p: Paragraph) -> Paragraph:
        return Paragraph(p.num, text(p.text), tuple(point(s) for s in p.points))

    return attrs.evolve(
        r,
        citations=tuple(Citation(text(c.text)) for c in r.citations),
        recitals=tuple(Recital(c.num, text(c.text)) for c in r.recitals),
        body=tuple(Heading(i.text, tuple(para(p) for p in i.paragraphs), i.num)
                   if isinstance(i, Heading) else para(i) for i in r.body),
        trailing=tuple(text(b) for b in r.trailing),
        annexes=tuple(Annex(a.title, tuple(text(b) for b in a.blocks)) for a in r.annexes),
    )


def _renumber_recitals(draw, recitals: list[Recital]) -> list[Recital]:
    """Recital numbers as another tool may print them: "(1)", "A", "Β.", out of order."""
    style = draw(st.sampled_from(("({})", "{}", "{}.", "{})")))
    numbers = draw(st.permutations(range(1, len(recitals) + 1)))
    return [Recital(style.format(n), r.text) for n, r in zip(numbers, recitals, strict=True)]


def _renumber_body(draw, body: tuple) -> tuple:
    style = draw(st.sampled_from(("{}.", "{}", "({})", "Article {}")))
    start = draw(st.integers(0, 50))
    counter = iter(range(start, start + 1000))

    def para(p: Paragraph) -> Paragraph:
        return Paragraph(style.format(next(counter)), p.text, p.points)

    return tuple(
        Heading(it.text, tuple(para(p) for p in it.paragraphs), it.num)
        if isinstance(it, Heading) else para(it)
        for it in body
    )


def text_resolutions(langs=LANGS) -> st.SearchStrategy[Resolution]:
    """Models a parse of clean text can produce (see the module docstring)."""
    return _resolution(safe=True, langs=langs)


def resolutions(langs=LANGS) -> st.SearchStrategy[Resolution]:
    """Realistic models with everything the model allows; they validate."""
    return _resolution(safe=False, langs=langs)


def any_resolutions(langs=LANGS) -> st.SearchStrategy[Resolution]:
    """Any consistent model, hand-printed numbering included (round trip only)."""
    return _resolution(safe=False, wild=True, langs=langs)
