"""The text route on the real corpus in ../shared/corpus (read-only, never copied here).

For every file (the Latvian seed, the 10 clean texts and their 30 PDF extractions) the
language is detected, and the counts, date, procedure, texts-adopted number and title are
checked against the hand-counted ground truth of ``manifest.json``.  A few item texts are
checked against the source itself, by line numbers read off the file by hand: the expected
text is cut from the file at those lines (so no resolution text is copied into this
repository) and compared modulo whitespace.  Every layout of one resolution must give an
equal model, every file must survive ``to_text`` → ``parse_text``, and no word of a source
may be lost (:func:`every_word.assert_every_word`, also used by ``test_parser.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import akn_ep
from akn_ep import languages
from akn_ep.model import (
    FootnoteRef,
    Paragraph,
    Resolution,
    inline_text,
    iter_footnotes,
)
from akn_ep.text.decode import decode
from every_word import assert_every_word
from shared_corpus import CORPUS, needs_corpus

SEED = CORPUS / "seed" / "000_844d43a262bbbfb9.txt"
LAYOUTS = ("pdftotext", "pdftotext-layout", "pdfminer")

pytestmark = needs_corpus

# -- corpus ------------------------------------------------------------------------------


def _manifest() -> list[dict]:
    if not (CORPUS / "manifest.json").is_file():
        return []
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


MANIFEST = _manifest()
BY_NAME = {Path(e["file"]).name: e for e in MANIFEST}

SEED_ENTRY = {
    "file": "seed/000_844d43a262bbbfb9.txt",
    "lang": "lv",
    "date": "2012-03-15",
    "procedure": "2012/2553(RSP)",
    "ta_number": None,
    "n_citations": 12,
    "n_recitals": 18,
    "n_paragraphs": 20,
    "n_footnotes": 2,
}


def _cases() -> list[tuple[str, dict]]:
    cases = [("seed/" + SEED.name, SEED_ENTRY)]
    for e in MANIFEST:
        name = Path(e["file"]).name
        cases.append((e["file"], e))
        cases += [(f"pdf-extracted/{lay}/{name}", e) for lay in LAYOUTS]
    return cases


CASES = _cases()
IDS = [c[0] for c in CASES]


def _read(rel: str) -> str:
    return decode((CORPUS / rel).read_bytes()).text


@pytest.fixture(scope="module")
def parsed() -> Callable[[str], Resolution]:
    """``parsed(rel)``: a corpus file's model, parsed once for this module (models are
    immutable, so tests can share them)."""
    return functools.cache(lambda rel: akn_ep.parse_text((CORPUS / rel).read_bytes()))


def _ws(s: str) -> str:
    return " ".join(s.split())


def test_corpus_is_complete():
    assert len(MANIFEST) == 10
    assert len(CASES) == 41
    for rel, _ in CASES:
        assert (CORPUS / rel).is_file(), rel


@pytest.mark.parametrize("rel,entry", CASES, ids=IDS)
def test_counts(rel, entry, parsed):
    r = parsed(rel)
    assert r.lang == entry["lang"]
    assert len(r.citations) == entry["n_citations"]
    assert len(r.recitals) == entry["n_recitals"]
    assert len(list(r.paragraphs())) == entry["n_paragraphs"]
    if entry["n_footnotes"] is not None:
        assert len(list(iter_footnotes(r))) == entry["n_footnotes"]
    # recitals lettered A, B, C … and paragraphs numbered 1, 2, 3 … in order
    assert [rec.letter for rec in r.recitals] == [
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i] for i in range(entry["n_recitals"])
    ]
    assert [p.number for p in r.paragraphs()] == [
        str(i + 1) for i in range(entry["n_paragraphs"])
    ]


@pytest.mark.parametrize("rel,entry", CASES, ids=IDS)
def test_head_facts(rel, entry, parsed):
    r = parsed(rel)
    assert r.procedure == entry["procedure"]
    assert r.ta_number == entry["ta_number"]
    if entry["date"] is not None:
        assert r.date == dt.date.fromisoformat(entry["date"])
        assert r.date_source == "printed"
    else:
        # documented fallback: 1 January of the year printed in the head, with a warning
        assert r.date == dt.date(entry["year"], 1, 1)
        assert r.date_source == "fallback"
        assert any("fallback" in w and str(entry["year"]) in w for w in r.warnings)


@pytest.mark.parametrize("rel,entry", CASES[1:], ids=IDS[1:])
def test_title(rel, entry, parsed):
    r = parsed(rel)
    assert _ws(r.title) == _ws(entry["title"])
    if entry.get("page_heading_line"):
        heading = entry["page_heading_line"]
        assert heading.endswith(" ***")
        assert _ws(r.heading) == _ws(heading[: -len(" ***")])
        assert [h.text for h in r.head_lines if h.role == "stars"] == ["***"]
    if entry.get("document_refs"):
        assert [h.text for h in r.head_lines if h.role == "documentRefs"] == [
            entry["document_refs"]
        ]


@pytest.mark.parametrize("rel,entry", CASES, ids=IDS)
def test_every_word_kept(rel, entry, parsed):
    assert_every_word(_read(rel), parsed(rel))


def test_every_word_helper_can_fail(parsed):
    r = parsed(SEED_REL)
    src = _read(SEED_REL)
    with pytest.raises(AssertionError, match="words lost"):
        assert_every_word(src, attrs.evolve(r, citations=r.citations[1:]))
    with pytest.raises(AssertionError, match="words added"):
        assert_every_word(src, attrs.evolve(r, title=r.title + " Atlantīda"))
    with pytest.raises(AssertionError, match="words lost"):  # artefacts must be reported
        assert_every_word(src + "\nPE123.456v01-00\n", r)


@pytest.mark.parametrize("rel,entry", CASES, ids=IDS)
def test_round_trip(rel, entry, parsed):
    r = parsed(rel)
    assert akn_ep.parse_text(akn_ep.to_text(r)) == r


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_layouts_give_equal_models(name, parsed):
    clean = parsed(f"clean/{name}")
    for lay in LAYOUTS:
        assert parsed(f"pdf-extracted/{lay}/{name}") == clean, lay


def test_parallel_language_versions_have_the_same_shape(parsed):
    it, de = parsed("clean/radicali-34150_IT.txt"), parsed("clean/radicali-34154_DE.txt")
    assert (it.lang, de.lang) == ("it", "de")
    assert [r.num for r in it.recitals] == [r.num for r in de.recitals]
    assert [p.num for p in it.paragraphs()] == [p.num for p in de.paragraphs()]
    assert it.date == de.date == dt.date(1995, 1, 1)


# -- item texts checked against the source, by line numbers read off the files ----------


def _src(rel: str, *spans: tuple[int, int]) -> str:
    """The non-blank source lines in the given 1-based inclusive spans, joined."""
    lines = _read(rel).split("\n")
    picked = [lines[i - 1] for a, b in spans for i in range(a, b + 1)]
    return _ws(" ".join(ln for ln in picked if ln.strip()))


def _drop_marker(text: str, marker: str) -> str:
    assert text.startswith(marker), (text[:20], marker)
    return text[len(marker) :].strip()


SEED_REL = "seed/" + SEED.name


def test_seed_head(parsed):
    r = parsed(SEED_REL)
    assert r.heading == _src(SEED_REL, (1, 1))
    # the source lacks the closing parenthesis: the title is kept as printed, the
    # procedure is read all the same, and a warning says so
    assert r.title == _src(SEED_REL, (3, 3))
    assert r.title.endswith("(2012/2553(RSP)")
    assert r.procedure == "2012/2553(RSP)"
    assert any("parenthes" in w for w in r.warnings)
    assert r.formula == _src(SEED_REL, (7, 7))
    assert r.ta_number is None


def test_seed_citations_wrapped_at_dates(parsed):
    r = parsed(SEED_REL)
    texts = [_ws(inline_text(c.text)) for c in r.citations]
    # lines 37–41: wraps after "2012. gada", the next line begins "15. janvāra"
    assert texts[6] == _drop_marker(_src(SEED_REL, (37, 41)), "–")
    # lines 47–49: the next line begins "1. februāra"
    assert texts[8] == _drop_marker(_src(SEED_REL, (47, 49)), "–")
    # lines 19–23: a wrapped line begins "2007. gada"
    assert texts[3] == _drop_marker(_src(SEED_REL, (19, 23)), "–")
    # lines 27–35: five lines, two of them beginning with dates
    assert texts[5] == _drop_marker(_src(SEED_REL, (27, 35)), "–")
    # line 17: "1999. gadā" is text, not a footnote call
    assert "1999. gadā" in texts[2]


def test_seed_footnotes_attached_where_called(parsed):
    r = parsed(SEED_REL)
    c10, c11 = r.citations[9].text, r.citations[10].text
    body1 = _drop_marker(_src(SEED_REL, (62, 62)), "1")
    body2 = _drop_marker(_src(SEED_REL, (63, 63)), "2")
    assert len(c10) == 3 and isinstance(c10[1], FootnoteRef)
    assert c10[0].endswith(" Vidusāzijai") and c10[2] == ","
    assert c10[1] == FootnoteRef("1", body1)
    assert len(c11) == 3 and isinstance(c11[1], FootnoteRef)
    assert c11[0].endswith(" padomi") and c11[2] == ","
    assert c11[1] == FootnoteRef("2", body2)
    # the footnote bodies' own numbers are not calls
    assert "P7_TA(2011)0588" in body1
    assert [n.marker for n in iter_footnotes(r)] == ["1", "2"]


def test_seed_recital_a_continues_after_the_footnote_block(parsed):
    r = parsed(SEED_REL)
    a = r.recitals[0]
    assert a.num == "A."
    assert a.text == (_drop_marker(_src(SEED_REL, (59, 59), (67, 73)), "A."),)
    assert r.recitals[-1].num == "R."


def test_seed_paragraphs(parsed):
    r = parsed(SEED_REL)
    paras = list(r.paragraphs())
    assert all(isinstance(p, Paragraph) and not p.points for p in paras)
    assert r.body == tuple(paras)  # no headings
    # the closing paragraph is the last one, and nothing trails it
    assert languages.get("lv").is_closing(inline_text(paras[-1].text))
    assert r.trailing == () and r.annexes == ()


def test_tibet_missing_dots_and_compiler_heading(parsed):
    rel = "clean/tibetjustice-ep12_EN.txt"
    r = parsed(rel)
    assert r.heading == _src(rel, (1, 1))
    assert [p.num for p in r.paragraphs()] == ["1.", "2.", "3.", "4.", "5."]
    assert sum("without its dot" in w for w in r.warnings) == 2
    assert _ws(inline_text(r.citations[0].text)) == _drop_marker(_src(rel, (9, 9)), "-")


def test_slovenian_unlabelled_note_is_kept_as_trailing_text(parsed):
    rel = "clean/TA-8-2018-0107_SL.txt"
    r = parsed(rel)
    assert [inline_text(b) for b in r.trailing] == [_src(rel, (15, 15))]
    assert [h.text for h in r.head_lines] == [_src(rel, (2, 2))]
    assert r.doc_refs == ("07162/2018", "C8-0128/2018")


@pytest.mark.parametrize("name,refs", [
    ("TA-6-2007-0424_EN.txt", ("11507/2007", "COM(2007)0154", "C6-0239/2007")),
    ("TA-6-2009-0001_PT.txt", ("10972/2007", "COM(2007)0325", "C6-0275/2008")),
    ("TA-8-2014-0076_DA.txt", ("10437/2014", "C8-0108/2014")),
    ("TA-9-2019-0092_SK.txt", ("COM(2019)0359", "C9-0118/2019")),
])
def test_legislative_procedure_kind_and_chain(name, refs, parsed):
    rel = f"clean/{name}"
    r = parsed(rel)
    # the procedure-kind line follows the title, one line lower where a page heading
    # comes first (parenthesised: "assert X == a if c else b" would assert nothing)
    line = 3 if BY_NAME[name].get("page_heading_line") else 2
    assert [h.text for h in r.head_lines if h.role == "procedureKind"] == [
        _src(rel, (line, line))]
    assert r.doc_refs == refs
    for lay in LAYOUTS:
        assert parsed(f"pdf-extracted/{lay}/{name}").doc_refs == refs
