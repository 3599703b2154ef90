"""Bytes to text: the first stage of the text route (``bytes/str ──decode──▶ text``).

European Parliament resolutions reach us as text extracted from PDFs, saved by whatever tool
the user had: UTF-8 (with or without a byte-order mark), UTF-16 from Windows tools (sometimes
without a BOM), or a legacy Windows code page of the language concerned.  Guessing wrong does
not fail loudly, it silently turns "ņemot vērā" into "òemot vçrâ", and every later stage (the
language's citation openers, recital letters, footnote markers) then misreads the document.
So this module decides, records what it decided (``Decoded.encoding``, ``Decoded.notes``) and
refuses input that is not text at all, with a message that says what it is.

How the encoding is decided, in order:

1. ``str`` input is already text (``encoding="str"``); it only gets the normalisation below.
2. Files that are clearly not text are refused with :class:`~akn_ep.errors.ParseError`
   (``line=None``): a PDF (``%PDF-``), a ZIP/DOCX (``PK\\x03\\x04``), an OLE2 ``.doc``.
3. A byte-order mark decides: UTF-32 LE/BE (checked before UTF-16, whose LE mark is a prefix
   of UTF-32 LE's), UTF-8, UTF-16 LE/BE.
4. UTF-16 (or UTF-32) without a BOM is recognised from where the NUL bytes fall in a sample:
   text in UTF-16 has a high byte that is NUL for ASCII, 0x01/0x02 for Latin letters with
   diacritics, 0x03 for Greek, 0x04 for Cyrillic and 0x20 for typographic punctuation, in
   every other byte, while the low bytes are almost never NUL.  Either NULs in the high bytes
   or a dominance of 0x03/0x04 (Greek or Cyrillic text with no ASCII at all) is required; no
   single-byte encoding of text produces that pattern.
5. Strict UTF-8.  Legacy text essentially never forms valid multi-byte UTF-8 sequences, so
   valid UTF-8 is taken as UTF-8.  Input that is mostly UTF-8 with a few invalid bytes (a
   fragment pasted from a legacy file) stays UTF-8; the words holding the invalid bytes are
   scored as in 6 and, if one code page reads them plausibly, those bytes are read with it,
   otherwise they become U+FFFD.  A note says which.
6. Otherwise a legacy code page is *detected*, not assumed.  A bounded sample (the first
   32 KB plus 32 KB around the first non-UTF-8 byte) is read with each candidate --
   cp1252 (Western), cp1250 (Central European), cp1257 (Baltic), cp1251 (Cyrillic:
   Bulgarian), cp1253 (Greek) -- and each reading is scored on the words that contain
   non-ASCII bytes, the only ones where the readings differ:

   * coverage: the share of non-ASCII characters that are letters of the alphabet of one EU
     language using that code page (best language; rare or loan-word letters count half),
     plus half the share for the union of those alphabets.  Some letters only count where
     the language puts them (``_CONTEXT``): French "è â î" before a consonant, "ë ï" after
     a vowel, Italian grave vowels at the end of a word, Portuguese "õ" before "e", "ç"
     before a/o/u, Spanish "ñ" before a vowel, Romanian "î" at the start of a word -- so
     Slovenian "naroči", Czech "článek", Hungarian "szerződés" or Latvian "vērā", "tā kā"
     read as cp1252 ("naroèi", "èlánek", "szerzõdés", "vçrâ", "tâ kâ") are not covered.
     Punctuation and symbols standing apart from letters (dashes, quotes, "n.º") count as
     covered;
   * penalties for what real text does not contain: undefined bytes and C1 controls; words
     mixing scripts (Latin text read as cp1251/cp1253); symbols glued to letters ("wi¹zania"
     is Polish "wiązania" read as cp1252); an upper-case letter after a lower-case one (Greek
     "ά έ ή ί" read as cp1251 become "Ь Э Ю Я" mid-word); words or runs of three letters
     made only of accented Latin letters (Greek or Cyrillic read as a Latin code page); a
     Greek final sigma inside a word (Bulgarian "т" read as cp1253); a lower-case one-letter
     word that no language of the code page has (Czech "č" where Italian "è" was meant), and
     a small bonus for one it has (Italian "è", French "à", Lithuanian "į", Bulgarian "и");
   * for Greek and Cyrillic readings, the share of vowels (far too low when the other
     script's letters go through the wrong table) and the share of those letters among all
     letters (a Greek or Bulgarian text is not a few Greek letters among Latin words).

   The best score wins; ties go to the first of cp1252, cp1250, cp1257, cp1251, cp1253.  A
   tie means the readings of the sample are identical (German "äöüß", Finnish "äö" and an
   English en dash have the same bytes in cp1250, cp1252 and cp1257), and then the text is
   the same whichever is named.  The whole input is then decoded once with that code page.

   Known limits: the evidence is the non-ASCII letters, so a short input with one or two of
   them may not decide.  A line whose only non-ASCII letter is Estonian "õ" is byte for byte
   a Hungarian line with "ő" (0xF5 in cp1257 and cp1250) and is read as cp1250; a Latvian
   line whose only such letters are "ā ī ū" inside words reads as plausible French "â î û"
   in cp1252.  Whole files carry enough of them: an Estonian text also has "ä", which
   Hungarian lacks, a Latvian one has "ņ ē š ļ".  Maltese "ċ ġ ħ" exist in none of these
   code pages.

   ``charset-normalizer`` was tried on the same constructed resolutions and
   is not used: it garbled 6 of 23 (Lithuanian and Spanish and Dutch as cp1250, Estonian as
   cp775, Finnish as mac_iceland, English as cp852), because it weighs every code page it
   knows and has no idea which languages a resolution can be in.
7. Input whose decoded sample is mostly control characters or undecodable is refused as
   binary data, and so is non-UTF-8 input with many high bytes that no candidate reads as
   plausible words.

Normalisation, applied to every route (``str`` too):

* a leading BOM is dropped (``had_bom``); a U+FEFF inside the text is removed, with a note;
* CR LF, CR, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) become
  ``"\\n"``; a form feed is kept as is (later stages read it as a page break) and no form feed
  is ever produced from anything else;
* NUL, the other C0 controls except tab, LF, CR and form feed, DEL and the C1 controls
  become a space, with a note giving their number and the first line where one occurs;
* Unicode NFC, so that "é" is one code point whatever the source tool produced.

Everything is linear in the input: detection looks at bounded samples only and the whole
input is decoded and normalised with C-level ``bytes.decode``, ``str.replace`` and regular
expressions.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from collections import Counter
from functools import cache

import attrs

from ..errors import ParseError

__all__ = ["Decoded", "decode", "LEGACY_ENCODINGS"]


@attrs.frozen
class Decoded:
    """The decoded, normalised text and how it was obtained.

    ``encoding`` is a Python codec name ("utf-8", "utf-16-le", "cp1257", ...) or "str" when
    the input already was text; ``had_bom`` tells whether a byte-order mark was present;
    ``notes`` lists every repair made (control characters replaced, stray BOMs removed ...).
    """

    text: str
    encoding: str
    had_bom: bool = False
    notes: tuple[str, ...] = ()


#: The note saying the text was brought to Unicode NFC: a normalisation (the same
#: characters, composed), not a repair, so the text route does not warn about it
NFC_NOTE = "normalised to Unicode NFC"

#: Candidate legacy code pages, in the order that breaks ties.
LEGACY_ENCODINGS: tuple[str, ...] = ("cp1252", "cp1250", "cp1257", "cp1251", "cp1253")

_SAMPLE = 65536

# --- language data ------------------------------------------------------------------------

#: EU languages written with each code page.  Maltese needs ċ ġ ħ, which none of them has.
_LANGS_OF: dict[str, tuple[str, ...]] = {
    "cp1252": ("fr", "de", "it", "es", "pt", "nl", "da", "sv", "fi", "ga"),
    "cp1250": ("cs", "sk", "sl", "hr", "pl", "hu", "ro"),
    "cp1257": ("lv", "lt", "et"),
    "cp1251": ("bg",),
    "cp1253": ("el",),
}

_GREEK_LETTERS = "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ"

#: Lower-case letters outside ASCII of each language's alphabet: common ones, then (after
#: "|") rare or loan-word ones, which count half.  Romanian has both the comma-below letters
#: and the cedilla ones that legacy files carry.
_ALPHABET: dict[str, str] = {
    "fr": "àâçéèêîôùû|æëïœÿü",
    "de": "äöüß|",
    "it": "àèéìòù|íîóú",
    "es": "áéíñóú|ü",
    "pt": "áâãàçéêíóôõú|",
    "nl": "éëï|èáóöüíú",
    "da": "æøå|é",
    "sv": "åäö|é",
    "fi": "äö|å",
    "ga": "áéíóú|",
    "cs": "áčďéěíňóřšťúůýž|",
    "sk": "áäčďéíĺľňóôŕšťúýž|",
    "sl": "čšž|ćđ",
    "hr": "čćđšž|",
    "pl": "ąćęłńóśźż|",
    "hu": "áéíóöőúüű|",
    "ro": "ăâîșțşţ|",
    "lv": "āčēģīķļņšūž|",
    "lt": "ąčęėįšųūž|",
    "et": "äöõü|šž",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюя|",
    "el": _GREEK_LETTERS + "|",
}

_START, _END = "^", "$"  # the start and the end of a word, in _CONTEXT
_VOWEL_CHARS = "aeiouyàâäéèêëîïôöùûüáíóú"
_CONSONANTS = "bcdfghjklmnpqrstvwxzßç"

#: Where some letters may stand in a language: (letters that may precede them, letters that
#: may follow them), None for "anything".  A letter outside its context does not count for
#: that language.  French "â î" come before a consonant (âge, île) and "ë ï" after a vowel
#: (Noël, naïf); Italian grave vowels end the word (è, città, più); Portuguese "õ" comes
#: before "e" (ões); Spanish "ñ" before a vowel; Romanian "â" before a consonant and "î"
#: starts a word (în, între; neîncredere) -- so Latvian "tā kā" read as cp1252 or cp1250
#: ("tâ kâ"), Slovenian "naroči" ("naroèi"), Czech "článek" ("èlánek") or Hungarian
#: "szerződés" ("szerzõdés") are not covered by French, Italian, Portuguese or Romanian.
_CONTEXT: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "fr": {"è": (None, _CONSONANTS), "à": (None, _END), "ù": (None, _END),
           "ç": (None, "aouâôû"), "â": (None, _CONSONANTS), "î": (None, _CONSONANTS),
           "û": (None, _CONSONANTS + _END), "ë": (_VOWEL_CHARS, None),
           "ï": (_VOWEL_CHARS, None)},
    "it": {"à": (None, _END), "è": (None, _END), "ì": (None, _END), "ò": (None, _END),
           "ù": (None, _END)},
    "pt": {"à": (None, _END + "s"), "õ": (None, "e"), "ã": (None, _END + "oes"),
           "ç": (None, "aoõã"), "â": (None, _CONSONANTS), "ê": (None, _CONSONANTS + _END),
           "ô": (None, _CONSONANTS + _END)},
    "es": {"ñ": (None, _VOWEL_CHARS)},
    "nl": {"è": (None, _CONSONANTS), "ë": (_VOWEL_CHARS, None), "ï": (_VOWEL_CHARS, None)},
    "ro": {"â": (None, _CONSONANTS), "î": (_START + "e", None)},
}

#: Non-ASCII one-letter lower-case words that are common in some language.
_ONE_LETTER_WORDS: dict[str, str] = {
    "fr": "à", "it": "è", "pt": "àé", "hu": "ő", "ga": "áéó", "da": "åø", "sv": "åö",
    "lt": "į", "bg": "иваскея", "el": "οηήω",
}

_VOWELS = set("aeiouyаеиоуъюяыэαεηιουωάέήίόύώϊϋΐΰ")

#: Punctuation that legitimately touches a word (quotes, dashes, NBSP, signs ...).
_WORD_EDGE_PUNCT = set("„“”‘’‚«»‹›–—…\u00a0·°§×€™©®†‡•‰\u2010\u2011-'")

_NOT_LETTERS = set("ºªµ")  # ordinal indicators and micro sign are symbols, not letters


@attrs.frozen
class _Char:
    # "a" ASCII letter, "L" other letter, "p" punctuation or space, "s" symbol,
    # "d" spacing accent, "x" undefined byte or control
    kind: str
    script: str  # "Latin", "Greek", "Cyrillic", "" (non-letters) or "Other"
    upper: bool
    lower: str


def _classify(ch: str) -> _Char:
    if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ord(ch) >= 0x7F):
        return _Char("x", "", False, ch)
    if ch.isalpha() and ch not in _NOT_LETTERS and unicodedata.category(ch) != "Lm":
        name = unicodedata.name(ch, "")
        first = name.split(" ", 1)[0]
        script = {"LATIN": "Latin", "GREEK": "Greek", "CYRILLIC": "Cyrillic"}.get(first, "Other")
        kind = "a" if ord(ch) < 128 else "L"
        return _Char(kind, script, ch.isupper(), ch.lower())
    if ch.isspace() or ch in _WORD_EDGE_PUNCT or ord(ch) < 128:
        return _Char("p", "", False, ch)
    if unicodedata.category(ch) in ("Sk", "Lm"):  # a spacing accent: "¨ ´ ¸ ˘ ˛ ˝ ˇ"
        return _Char("d", "", False, ch)
    return _Char("s", "", False, ch)


@cache
def _table(encoding: str) -> tuple[_Char, ...]:
    """How each byte value reads in a single-byte code page (undefined bytes are "x")."""
    chars = bytes(range(256)).decode(encoding, "replace")
    return tuple(_classify(c) for c in chars)


@attrs.frozen
class _Lang:
    weight: dict[str, float]  # letter -> 1 (common) or 0.5 (rare)
    context: dict[str, tuple[str | None, str | None]]  # see _CONTEXT


@cache
def _langs(encoding: str) -> tuple[tuple[_Lang, ...], frozenset[str], str]:
    """The languages of a code page, the union of their alphabets, their one-letter words."""
    langs = []
    for code in _LANGS_OF[encoding]:
        common, _, rare = _ALPHABET[code].partition("|")
        weight = {c: 0.5 for c in rare}
        weight.update({c: 1.0 for c in common})
        langs.append(_Lang(weight, _CONTEXT.get(code, {})))
    union = frozenset(c for lang in langs for c in lang.weight)
    one = "".join(_ONE_LETTER_WORDS.get(code, "") for code in _LANGS_OF[encoding])
    return tuple(langs), union, one


# --- scoring a legacy reading ---------------------------------------------------------------

_TOKEN = re.compile(rb"[A-Za-z\x80-\xff]*[\x80-\xff][A-Za-z\x80-\xff]*")
_MAX_TOKENS = 20000
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def _score(tokens: Counter[bytes], encoding: str, ascii_letters: int = 0) -> float:
    """How plausible the words in ``tokens`` are when read as ``encoding`` (higher = better).

    Only tokens containing a byte >= 0x80 are scored: ASCII reads the same in every candidate.
    ``ascii_letters`` is the number of ASCII letters in the whole sample.  The result is
    about 1.5 for a perfect reading: coverage terms in [0, 1.5] minus penalties per non-ASCII
    character.
    """
    table = _table(encoding)
    langs, union, one_letter = _langs(encoding)
    n_high = 0  # non-ASCII bytes (the same for every candidate)
    neutral = 0  # non-ASCII punctuation and symbols not glued to letters
    covered = [0.0] * len(langs)
    in_union = 0
    penalty = 0.0
    bonus = 0.0
    script_letters: Counter[str] = Counter()
    script_vowels: Counter[str] = Counter()

    for tok, n in tokens.items():
        chars = [table[b] for b in tok]
        size = len(chars)
        n_high += n * sum(1 for b in tok if b >= 0x80)
        i = 0
        while i < size:
            c = chars[i]
            if c.kind == "x":
                penalty += 8 * n
                i += 1
                continue
            if c.kind in "sd":
                before = i > 0 and chars[i - 1].kind in "aL"
                after = i + 1 < size and chars[i + 1].kind in "aL"
                if before and after:
                    penalty += 3 * n
                elif before or (after and c.lower not in "¿¡") or c.kind == "d":
                    penalty += 1 * n
                else:
                    neutral += n
                i += 1
                continue
            if c.kind == "p":
                neutral += n if tok[i] >= 0x80 else 0
                i += 1
                continue
            # a word: a maximal run of letters
            j = i
            while j < size and chars[j].kind in "aL":
                j += 1
            word = chars[i:j]
            penalty += n * _word_penalty(word, one_letter)
            if len(word) == 1 and word[0].kind == "L" and not word[0].upper \
                    and word[0].lower in one_letter:
                bonus += n
            for k, w in enumerate(word):
                if w.script in ("Greek", "Cyrillic"):
                    script_letters[w.script] += n
                    if w.lower in _VOWELS:
                        script_vowels[w.script] += n
                if w.kind != "L":
                    continue
                low = w.lower
                if low not in union:
                    continue
                in_union += n
                prev = word[k - 1].lower if k else _START
                nxt = word[k + 1].lower if k + 1 < len(word) else _END
                for m, lang in enumerate(langs):
                    weight = lang.weight.get(low)
                    if not weight:
                        continue
                    left, right = lang.context.get(low, (None, None))
                    if (left is None or prev in left) and (right is None or nxt in right):
                        covered[m] += n * weight
            i = j

    if n_high == 0:
        return 0.0
    # Coverage is over the non-ASCII characters: letters of the language's alphabet, and
    # punctuation or symbols standing where they belong (dashes, quotes, "n.º"), count.
    score = (bonus - penalty) / n_high
    score += (max(covered, default=0.0) + neutral) / n_high + 0.5 * (in_union + neutral) / n_high
    for script, count in script_letters.items():
        if count >= 20:
            ratio = script_vowels[script] / count
            if ratio < 0.33:
                score -= 3 * (0.33 - ratio) / 0.33
        # Greek or Cyrillic text is mostly Greek or Cyrillic letters, not a few among Latin
        if count < 0.5 * ascii_letters:
            score -= 2 * (1 - count / (0.5 * ascii_letters))
    return score


def _word_penalty(word: list[_Char], one_letter: str) -> float:
    scripts = {c.script for c in word}
    n_high = sum(1 for c in word if c.kind == "L")
    if len(scripts) > 1:
        return 4.0 * n_high
    p = 0.0
    if len(word) == 1:
        c = word[0]
        if c.kind == "L" and not c.upper and c.lower not in one_letter:
            p += 2
        return p
    prev_lower = False
    run = 0
    for k, c in enumerate(word):
        if c.upper and prev_lower and (c.kind == "L" or word[k - 1].kind == "L"):
            p += 3
        prev_lower = not c.upper
        if c.script == "Latin":
            if c.kind == "L":
                run += 1
                if run >= 3:
                    p += 1.5
            else:
                run = 0
        elif c.script == "Greek":
            if c.lower == "ς" and k + 1 < len(word):
                p += 4
            elif c.lower == "σ" and k + 1 == len(word):
                p += 1
    if scripts == {"Latin"} and n_high == len(word):
        p += 2.0 * n_high
    return p


def _legacy_sample(data: bytes, bad_at: int) -> bytes:
    half = _SAMPLE // 2
    if bad_at < half or len(data) <= _SAMPLE:
        return data[:_SAMPLE]
    return data[:half] + b"\n" + data[max(half, bad_at - half // 2): bad_at + half // 2]


#: A reading scoring below this is not plausible text (a perfect reading scores 1.5).
_PLAUSIBLE = 0.9


def _detect_legacy(sample: bytes) -> tuple[str, float]:
    """The best-scoring legacy code page for ``sample``, and its score."""
    ascii_letters = len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    return _detect_legacy_tokens(Counter(_TOKEN.findall(sample)), ascii_letters)


def _detect_legacy_tokens(tokens: Counter[bytes], ascii_letters: int = 0) -> tuple[str, float]:
    """The best-scoring legacy code page for these words (see the module docstring)."""
    if len(tokens) > _MAX_TOKENS:
        tokens = Counter(dict(tokens.most_common(_MAX_TOKENS)))
    best, best_score = LEGACY_ENCODINGS[0], float("-inf")
    for enc in LEGACY_ENCODINGS:
        s = _score(tokens, enc, ascii_letters)
        if s > best_score + 1e-9:
            best, best_score = enc, s
    return best, best_score


# --- UTF-16 / UTF-32 without BOM ----------------------------------------------------------

# High bytes of UTF-16 code units in text: ASCII/Latin-1, Latin Extended-A/B, Greek,
# Cyrillic, General Punctuation (– “ ” „ …), letterlike symbols, U+FEFF/U+FFFD.
_UTF16_HIGH = bytes([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x1E, 0x20, 0x21, 0x22, 0x25,
                     0xFE, 0xFF])


def _utf16_side(high: bytes, low: bytes) -> bool:
    n = len(high)
    if n < 2:
        return False
    other = len(high.translate(None, _UTF16_HIGH))
    if other > 0.05 * n:
        return False
    nul_high = high.count(0)
    greek_cyr = high.count(3) + high.count(4)
    if low.count(0) > 0.05 * n:
        return False
    return nul_high >= 0.1 * n or greek_cyr >= 0.5 * n


def _sniff_wide(sample: bytes) -> str | None:
    """UTF-32/UTF-16 without BOM, from where the NULs fall; None if it is not that."""
    if len(sample) >= 8 and b"\x00\x00" in sample:
        s = sample[: len(sample) // 4 * 4]
        n = len(s) // 4
        b0, b1, b2, b3 = s[0::4], s[1::4], s[2::4], s[3::4]
        if b2.count(0) >= 0.95 * n and b3.count(0) >= 0.95 * n and b0.count(0) <= 0.05 * n:
            return "utf-32-le"
        if b0.count(0) >= 0.95 * n and b1.count(0) >= 0.95 * n and b3.count(0) <= 0.05 * n:
            return "utf-32-be"
    s = sample[: len(sample) // 2 * 2]
    even, odd = s[0::2], s[1::2]
    le = _utf16_side(odd, even)
    be = _utf16_side(even, odd)
    if le and not be:
        return "utf-16-le"
    if be and not le:
        return "utf-16-be"
    return None


# --- normalisation ------------------------------------------------------------------------

_NEWLINES = re.compile("\r\n?|[\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BAD = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ufffd]")
#: Code points XML cannot carry that a decoder can still produce: lone surrogates (from a
#: ``str``) and the non-characters U+FFFE/U+FFFF (valid UTF-8: EF BF BE / EF BF BF).
_NOT_XML_CHARS = re.compile("[\ud800-\udfff\ufffe\uffff]")


#: Bytes of valid UTF-8 that are neither a control character nor a carriage return:
#: ``data.translate(None, _NOT_CONTROL_BYTES)`` keeps only those that :func:`_normalise`
#: would replace (C0 controls but tab, LF and form feed; CR; DEL).
_NOT_CONTROL_BYTES = bytes(b for b in range(256)
                           if not (b <= 0x08 or b == 0x0B or 0x0D <= b <= 0x1F or b == 0x7F))
#: C1 controls (U+0080–U+009F, NEL included) encoded in UTF-8.
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
#: LINE SEPARATOR and PARAGRAPH SEPARATOR encoded in UTF-8.
_SEPARATORS_UTF8 = re.compile(rb"\xe2\x80[\xa8\xa9]")


def _clean_utf8(data: bytes) -> bool:
    """Is valid UTF-8 ``data`` free of everything :func:`_normalise` repairs and
    :func:`_is_binary` counts, so that only NFC remains to check?

    Looked for in the bytes, many times faster than in the text: control characters and
    CR (C0, DEL, C1 and NEL), U+2028/U+2029, U+FEFF, and U+FFFD/U+FFFE/U+FFFF (all of
    them ``EF BB BF`` or ``EF BF BD``–``EF BF BF``); strict UTF-8 has no lone surrogates.

    Example:
        >>> _clean_utf8("– ņemot vērā\\n".encode()), _clean_utf8(b"a\\r\\n")
        (True, False)
    """
    if data.translate(None, _NOT_CONTROL_BYTES) or _C1_UTF8.search(data):
        return False
    if b"\xef" in data and (b"\xef\xbb\xbf" in data or b"\xef\xbf\xbd" in data
                            or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):
        return False
    return not (b"\xe2\x80" in data and _SEPARATORS_UTF8.search(data))


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _normalise(text: str, notes: list[str]) -> str:
    if "\r" in text or _NEWLINES.search(text):
        text = _NEWLINES.sub("\n", text)
    first = _CONTROLS.search(text)
    if first:
        line = _line_of(text, first.start())
        text, count = _CONTROLS.subn(" ", text)
        notes.append(f"replaced {count} control character(s) (NUL, C0/C1 controls) with spaces, "
                     f"first on line {line}")
    first = _NOT_XML_CHARS.search(text)
    if first:
        line = _line_of(text, first.start())
        text, count = _NOT_XML_CHARS.subn("\ufffd", text)
        notes.append(f"replaced {count} lone surrogate(s) or non-character(s) (U+FFFE, U+FFFF), "
                     f"which XML cannot carry, with U+FFFD, first on line {line}")
    pos = text.find("\ufeff")
    if pos >= 0:
        line = _line_of(text, pos)
        count = text.count("\ufeff")
        text = text.replace("\ufeff", "")
        notes.append(f"removed {count} byte-order mark(s) (U+FEFF) inside the text, "
                     f"first on line {line}")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        notes.append(NFC_NOTE)
    return text


def _note_replacements(text: str, encoding: str, notes: list[str]) -> None:
    pos = text.find("\ufffd")
    if pos >= 0:
        notes.append(f"{text.count(chr(0xFFFD))} byte sequence(s) not valid in {encoding} "
                     f"replaced by U+FFFD, first on line {_line_of(text, pos)}")


def _is_binary(text: str) -> bool:
    """Mostly control characters or undecodable: not text in any encoding we know."""
    sample = text[:_SAMPLE]
    if not sample:
        return False
    bad = len(_BAD.findall(sample))
    return bad > 3 and bad > 0.05 * len(sample)


# --- entry point --------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _refuse_non_text(data: bytes) -> None:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if head.startswith(b"%PDF-"):
        version = head[5:8].decode("ascii", "replace")
        raise ParseError(f"this is a PDF file, not text: %PDF-{version} header; read it with "
                         "the PDF reader (parse_pdf), or extract its text first", line=None)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        what = ("a DOCX file (word/document.xml inside)" if b"word/" in data[:65536]
                else "a ZIP archive")
        raise ParseError(f"this looks like a DOCX/ZIP file, not text: {what}; save the document "
                         "as plain text (UTF-8) or extract it first", line=None)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ParseError("this looks like a legacy Word .doc (OLE2) file, not text; save it "
                         "as plain text (UTF-8)", line=None)


def _binary_error(encoding: str) -> ParseError:
    return ParseError(f"binary data, not text: read as {encoding} it is mostly control "
                      "characters or undecodable bytes", line=None)


def _legacy_fallback(exc: UnicodeError, encoding: str) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode(encoding, "replace"), exc.end


for _enc in LEGACY_ENCODINGS:
    codecs.register_error(f"akn_ep.{_enc}", functools.partial(_legacy_fallback, encoding=_enc))


def _mostly_utf8(data: bytes, broken: Counter[bytes], notes: list[str]) -> Decoded:
    """UTF-8 with some invalid bytes: read those with the code page their words fit best.

    Text pasted from a legacy file into a UTF-8 one keeps its old bytes; the words that hold
    them (``broken``) are scored like a whole legacy file.  When no code page gives plausible
    words the bytes become U+FFFD.
    """
    encoding, score = _detect_legacy_tokens(broken)
    handler = f"akn_ep.{encoding}" if score >= _PLAUSIBLE else "replace"
    text = data.decode("utf-8", handler)
    if _is_binary(text):
        raise _binary_error("utf-8")
    if handler == "replace":
        _note_replacements(text, "utf-8", notes)
    else:
        before = data.decode("utf-8", "replace")
        pos = before.find("\ufffd")
        notes.append(f"mostly UTF-8, but {before.count(chr(0xFFFD))} invalid byte sequence(s) "
                     f"read as {encoding}, first on line {_line_of(before, pos)}")
        _note_replacements(text, encoding, notes)
    return Decoded(_normalise(text, notes), "utf-8", False, tuple(notes))


def _valid_utf8(token: bytes) -> bool:
    try:
        token.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes | str) -> Decoded:
    """Decode a resolution's source to normalised text, detecting the encoding.

    ``data`` is the raw content of a text file (or an already decoded ``str``).  Returns the
    text with newlines as ``"\\n"``, form feeds kept, control characters replaced by spaces
    and NFC applied, plus the encoding that was used and notes on every repair.  Raises
    :class:`~akn_ep.errors.ParseError` (``line=None``) for input that is not text: a PDF,
    a DOCX/ZIP, binary data.  Empty input gives empty text.

    Example:
        >>> d = decode("Eiropas Parlaments,\\r\\n– ņemot vērā …".encode("cp1257"))
        >>> d.text, d.encoding
        ('Eiropas Parlaments,\\n– ņemot vērā …', 'cp1257')
        >>> decode(b"\\xef\\xbb\\xbfThe European Parliament,\\r").text
        'The European Parliament,\\n'
    """
    notes: list[str] = []
    if isinstance(data, str):
        had_bom = data.startswith("\ufeff")
        text = _normalise(data[1:] if had_bom else data, notes)
        return Decoded(text, "str", had_bom, tuple(notes))
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode() wants bytes or str, not {type(data).__name__}")
    data = bytes(data)
    _refuse_non_text(data)

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            text = body.decode(encoding, "replace")
            if _is_binary(text):
                raise _binary_error(encoding)
            _note_replacements(text, encoding, notes)
            return Decoded(_normalise(text, notes), encoding, True, tuple(notes))

    sample = data[:_SAMPLE]
    if b"\x00" in sample or b"\x03" in sample or b"\x04" in sample:
        wide = _sniff_wide(sample)
        if wide is not None:
            text = data.decode(wide, "replace")
            if not _is_binary(text):
                notes.append(f"no byte-order mark: detected {wide} from the NUL-byte pattern")
                _note_replacements(text, wide, notes)
                return Decoded(_normalise(text, notes), wide, False, tuple(notes))

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        err = exc
        bad_at = exc.start
    else:
        if _clean_utf8(data):  # the common case: nothing to repair, only NFC to check
            if not text.isascii() and not unicodedata.is_normalized("NFC", text):
                return Decoded(unicodedata.normalize("NFC", text), "utf-8", False,
                               ("normalised to Unicode NFC",))
            return Decoded(text, "utf-8", False, ())
        if _is_binary(text):
            raise _binary_error("utf-8")
        return Decoded(_normalise(text, notes), "utf-8", False, tuple(notes))

    if (err.reason == "unexpected end of data" and len(data) - bad_at < 4
            and not data[:bad_at].isascii()):  # earlier UTF-8 characters, then a cut one
        try:
            text = data[:bad_at].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:  # a file cut in the middle of its last character
            if _is_binary(text):
                raise _binary_error("utf-8")
            text += "\ufffd"
            notes.append("the input ends in the middle of a UTF-8 character (a truncated "
                         "file?); it was replaced by U+FFFD")
            return Decoded(_normalise(text, notes), "utf-8", False, tuple(notes))

    # UTF-8 with some invalid bytes (a fragment pasted from a legacy file)?  Then the words
    # that are valid UTF-8 with non-ASCII characters make no sense read as a legacy code page
    # ("vÄ“rÄ", "Ã©", "â€“"), while in a legacy file such words are rare and read fine.
    window = _legacy_sample(data, bad_at)
    tokens = Counter(_TOKEN.findall(window))
    valid = Counter({t: n for t, n in tokens.items() if _valid_utf8(t)})
    if valid and _detect_legacy_tokens(valid)[1] < _PLAUSIBLE:
        broken = Counter({t: n for t, n in tokens.items() if t not in valid})
        return _mostly_utf8(data, broken, notes)

    encoding, score = _detect_legacy(window)
    high = sum(1 for b in window if b >= 0x80)
    if score < -1.0 and high > 0.2 * len(window):
        raise ParseError("binary data, not text: not valid UTF-8 and no legacy code page "
                         f"({', '.join(LEGACY_ENCODINGS)}) gives plausible words", line=None)
    text = data.decode(encoding, "replace")
    if _is_binary(text):
        raise _binary_error(encoding)
    notes.append(f"not UTF-8: detected legacy code page {encoding}")
    _note_replacements(text, encoding, notes)
    return Decoded(_normalise(text, notes), encoding, False, tuple(notes))
