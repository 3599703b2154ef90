"""End to end in every language: text → model → AKN → valid → back → equal, and alignment.

The inputs are the constructed heads of ``tests/test_languages.py`` (texts written for
this project from each language's published formulae, not EP texts); the expectations
(two citations, two recitals, paragraphs 1 and 2, the date) come from how those heads
are built, not from the parser's output.
"""

from __future__ import annotations

import pytest
from tests.test_languages import CORPUS, HEADS, LANGS, needs_corpus

import akn_ep
from akn_ep.languages import get


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
