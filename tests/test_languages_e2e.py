"""End to end in every language: text → model → AKN → valid → back → equal, and alignment.

The inputs are the constructed heads of ``tests/heads.py`` (texts written for
this project from each language's published formulae, not EP texts); the expectations
(two citations, two recitals, paragraphs 1 and 2, the date) come from how those heads
are built, not from the parser's output.
"""

from __future__ import annotations

import pytest

import akn_ep
from akn_ep.languages import get
from heads import HEADS, LANGS
from shared_corpus import CORPUS, needs_corpus


@pytest.mark.parametrize("code", LANGS)
def test_every_language_end_to_end(code):
    head = HEADS[code]
    text = head.text(get(code).recital_letters)
    r = akn_ep.parse_text(text)  # language detected, not given
    assert r.lang == code
    assert r.date == head.date
    assert len(r.citations) == 2 and len(r.recitals) == 2
    assert [p.number for p in r.paragraphs()] == ["1", "2"]
    xml = akn_ep.to_akn(r)
    assert f'<FRBRlanguage language="{get(code).iso639_2t}"/>'.encode() in xml
    assert akn_ep.validate(xml) == []
    assert akn_ep.from_akn(xml) == r


def test_parallel_versions_share_the_work_iri_and_eids():
    """Every language version of one constructed head aligns with the English one."""
    versions = {c: akn_ep.parse_text(HEADS[c].text(get(c).recital_letters)) for c in LANGS}
    # the constructed heads have different dates and titles; give them one identity
    from attrs import evolve

    one = {c: evolve(r, date=versions["en"].date, procedure="2012/2553(RSP)")
           for c, r in versions.items()}
    works = {akn_ep.to_akn(r).split(b'<FRBRuri value="')[1].split(b'"')[0] for r in one.values()}
    assert len(works) == 1
    for code, r in one.items():
        report = akn_ep.align(one["en"], r)
        assert report.parallel, (code, report.differences)
        assert b'eId="recs_1__rec_B"' in akn_ep.to_akn(r)


def test_align_reports_differences():
    en = akn_ep.parse_text(HEADS["en"].text("ABC"))
    fewer = akn_ep.parse_text(HEADS["en"].text("ABC").replace("B. ", "").replace(
        HEADS["en"].recitals[1], ""), strict=False)
    report = akn_ep.align(en, fewer)
    assert not report.parallel
    assert any(d.startswith("recitals: 1 in en but 2 in en") for d in report.differences)


@needs_corpus
def test_real_parallel_versions_align():
    """The 1995 Italian and German versions of one resolution (radicali-34150/34154)."""
    it = akn_ep.parse_text((CORPUS / "clean" / "radicali-34150_IT.txt").read_bytes())
    de = akn_ep.parse_text((CORPUS / "clean" / "radicali-34154_DE.txt").read_bytes())
    report = akn_ep.align(it, de)
    assert report.parallel, report.differences
    work = [akn_ep.to_akn(r).split(b'<FRBRuri value="')[1].split(b'"')[0] for r in (it, de)]
    assert work[0] == work[1] == b"/akn/eu/statement/resolution/ep/1995-01-01/ref-B4-0232-95"


# -- Greek and Bulgarian numbering ---------------------------------------------------------
#
# Constructed texts (fictional wording from each language's published formulae): Greek
# counts recitals Α … Ε, ΣΤ, Ζ … Ι, ΙΑ, ΙΒ (numerals) and points α) β) … ε) στ) ζ);
# Bulgarian points а) б) в). Parallel English versions are built beside them with the
# same numbers of items, so the expectations come from how the texts are built.

_GREEK_RECITALS = ["Α", "Β", "Γ", "Δ", "Ε", "ΣΤ", "Ζ", "Η", "Θ", "Ι", "ΙΑ", "ΙΒ"]
_GREEK_POINTS = ["α", "β", "γ", "δ", "ε", "στ", "ζ"]
_BULGARIAN_POINTS = ["а", "б", "в", "г"]


def _greek(recitals: list[str], points: list[str]) -> str:
    lines = ["Ψήφισμα του Ευρωπαϊκού Κοινοβουλίου της 15ης Μαρτίου 2012 σχετικά με τα "
             "κανάλια (2012/2553(RSP))", "Το Ευρωπαϊκό Κοινοβούλιο,",
             "– έχοντας υπόψη το άρθρο 110 του Κανονισμού του,"]
    lines += [f"{r}. λαμβάνοντας υπόψη ότι το κανάλι {i} χρειάζεται έλεγχο·"
              for i, r in enumerate(recitals, 1)]
    lines += ["1. ζητεί από την Επιτροπή:"]
    lines += [f"{p}) να ελέγξει το φράγμα {i}·" for i, p in enumerate(points, 1)]
    lines += ["2. αναθέτει στον Πρόεδρό του να διαβιβάσει το παρόν ψήφισμα στο Συμβούλιο."]
    return "\n".join(lines) + "\n"


def _english(recitals: int, points: int) -> str:
    from akn_ep.languages import latin_letters

    lines = ["European Parliament resolution of 15 March 2012 on canals (2012/2553(RSP))",
             "The European Parliament,", "– having regard to Rule 110 of its Rules of Procedure,"]
    lines += [f"{latin_letters(i)}. whereas canal {i + 1} needs checking;"
              for i in range(recitals)]
    lines += ["1. Calls on the Commission:"]
    lines += [f"({chr(97 + i)}) to check dam {i + 1};" for i in range(points)]
    lines += ["2. Instructs its President to forward this resolution to the Council."]
    return "\n".join(lines) + "\n"


def _eids(xml: bytes) -> list[bytes]:
    import re

    return re.findall(rb'eId="([^"]+)"', xml.split(b"</meta>")[1])


@pytest.mark.parametrize("recitals", [_GREEK_RECITALS, list("ΑΒΓΔΕΖΗΘΙΚΛΜ")],
                         ids=["numerals", "alphabet"])
def test_greek_recital_numerals_and_points_end_to_end(recitals):
    text = _greek(recitals, _GREEK_POINTS)
    r = akn_ep.parse_text(text)  # strict: a numbering slip would raise
    assert r.lang == "el"
    assert [rec.letter for rec in r.recitals] == recitals
    [first, _] = r.paragraphs()
    assert [p.num for p in first.points] == [f"{p})" for p in _GREEK_POINTS]
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert akn_ep.from_akn(xml) == r
    assert akn_ep.to_text(r).count("στ) να ελέγξει") == 1
    # the English version of the same resolution: parallel, with the same eIds
    en = akn_ep.parse_text(_english(len(recitals), len(_GREEK_POINTS)))
    assert akn_ep.align(r, en).parallel, akn_ep.align(r, en).differences
    assert _eids(xml) == _eids(akn_ep.to_akn(en))
    assert b"recs_1__rec_F" in xml and b"para_1__list_1__point_f" in xml


def test_bulgarian_points_end_to_end():
    text = ("Резолюция на Европейския парламент от 15 март 2012 г. относно каналите "
            "(2012/2553(RSP))\nЕвропейският парламент,\n"
            "– като взе предвид член 110 от своя правилник,\n"
            "А. като има предвид, че каналите се нуждаят от проверка;\n"
            "1. призовава Комисията:\n"
            + "".join(f"{p}) да провери язовир {i};\n"
                      for i, p in enumerate(_BULGARIAN_POINTS, 1))
            + "2. възлага на своя председател да предаде настоящата резолюция на Съвета.\n")
    r = akn_ep.parse_text(text)
    assert r.lang == "bg"
    [first, _] = r.paragraphs()
    assert [p.num for p in first.points] == [f"{p})" for p in _BULGARIAN_POINTS]
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == [] and akn_ep.from_akn(xml) == r
    en = akn_ep.parse_text(_english(1, len(_BULGARIAN_POINTS)))
    assert akn_ep.align(r, en).parallel, akn_ep.align(r, en).differences
    assert _eids(xml) == _eids(akn_ep.to_akn(en))


def test_greek_numeral_out_of_turn_is_a_slip():
    # ΣΤ where Ε is expected is read as the slip it is, not as some other count
    with pytest.raises(akn_ep.ParseError, match="recital 'ΣΤ' where 'Ε' was expected"):
        akn_ep.parse_text(_greek(["Α", "Β", "Γ", "Δ", "ΣΤ"], ["α"]))
