"""The "every word" invariant: no word of a source is lost on its way into the model.

:func:`assert_every_word` compares the words of a source text with those of the model
built from it plus the furniture the reader removed and reported; used on the real
corpus (``test_corpus.py``) and the constructed inputs (``test_parser.py``).
"""

from __future__ import annotations

import re
from collections import Counter

from akn_ep.model import FootnoteRef, Heading, Paragraph, Point, Resolution, iter_footnotes

_WORD = re.compile(r"\w+")
_LINE_END_HYPHEN = re.compile(r"(\w+)-$")
_LOST_REF = re.compile(r"^[ABC]\d{5,6}$")
#: artefact kinds whose text is words removed from the running text
_REMOVED_KINDS = {"page-number", "running-header", "page-break", "empty-item"}
#: artefact kinds that record a repair, not removed words (handled below)
_REPAIR_KINDS = {"hyphenation", "lost-hyphen-restored"}


def _inline_words(text) -> str:
    """Running text as printed: footnote markers glued where they are called."""
    out = []
    for part in text or ():
        out.append(part.marker if isinstance(part, FootnoteRef) else part)
    return "".join(out)


def _point_texts(points: tuple[Point, ...]):
    for p in points:
        yield p.num
        yield _inline_words(p.text)
        yield from _point_texts(p.points)


def _paragraph_texts(p: Paragraph):
    yield p.num
    yield _inline_words(p.text)
    yield from _point_texts(p.points)


def model_texts(r: Resolution) -> list[str]:
    """Every piece of text the model holds, once each (derived fields such as
    ``date``, ``procedure`` and ``doc_refs`` repeat printed text and are left out)."""
    out = [r.title, r.heading or "", r.ta_number or "", r.formula]
    out += [h.text for h in r.head_lines]
    out += [_inline_words(c.text) for c in r.citations]
    for rec in r.recitals:
        out += [rec.num, _inline_words(rec.text)]
    for item in r.body:
        if isinstance(item, Heading):
            out += [item.num or "", item.text]
            for p in item.paragraphs:
                out += list(_paragraph_texts(p))
        else:
            out += list(_paragraph_texts(item))
    for annex in r.annexes:
        out.append(annex.title)
        out += [_inline_words(b) for b in annex.blocks]
    out += [_inline_words(b) for b in r.trailing]
    # a footnote prints its number twice: glued to the calling word, and before its body
    out += [f"{n.marker} {n.text}" for n in iter_footnotes(r)]
    return out


def source_words(source: str, r: Resolution) -> Counter:
    """Word tokens of the source, with line-break hyphens resolved the way the model shows.

    A word split at a line end ("eco-" / "nomic") counts as one word where the model
    holds the joined word more often than the source does elsewhere, otherwise as two;
    a soft hyphen is invisible (always joined); an EP reference whose hyphen the
    extraction lost ("C60275/2008") counts as restored where the report says so.
    """
    source = re.sub("\u00ad[ \t]*\n\\s*", "", source).replace("\u00ad", "")
    lines = source.splitlines()
    words = Counter(w for line in lines for w in _WORD.findall(line))
    model = Counter(w for t in model_texts(r) for w in _WORD.findall(t))
    for i, line in enumerate(lines):
        m = _LINE_END_HYPHEN.search(line.rstrip())
        if not m or not m.group(1)[-1].isalpha():
            continue
        nxt = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
        w = _WORD.match(nxt.strip())
        if not w:
            continue
        a, b = _WORD.findall(m.group(1))[-1], w.group(0)
        if model[a + b] > words[a + b]:
            words[a] -= 1
            words[b] -= 1
            words[a + b] += 1
    for art in r.report.artefacts:
        if art.kind == "lost-hyphen-restored":
            for tok in _WORD.findall(art.text):
                if _LOST_REF.match(tok):
                    words[tok] -= 1
                    words[tok[:-4]] += 1
                    words[tok[-4:]] += 1
    return +words


def assert_every_word(source: str, r: Resolution) -> None:
    """The multiset of words of ``source`` equals that of the model plus the artefacts."""
    got = Counter(w for t in model_texts(r) for w in _WORD.findall(t))
    for art in r.report.artefacts:
        assert art.kind in _REMOVED_KINDS | _REPAIR_KINDS, f"unknown artefact kind {art}"
        if art.kind in _REMOVED_KINDS:
            got.update(_WORD.findall(art.text))
    want = source_words(source, r)
    lost, added = want - got, got - want
    assert not lost and not added, f"words lost: {dict(lost)}; words added: {dict(added)}"
