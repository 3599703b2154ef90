"""The model: consistency rules (ModelError), normalisation, equality, repr, derived labels."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings

from akn_ep import model
from akn_ep.akn.writer import to_akn
from akn_ep.errors import ModelError
from akn_ep.model import (
    Annex,
    Citation,
    FootnoteRef,
    Heading,
    HeadLine,
    Paragraph,
    ParseReport,
    Point,
    Recital,
    Resolution,
    inline_text,
    iter_footnotes,
)
from strategies import resolutions

BASE = {"lang": "en", "title": "European Parliament resolution on X",
        "formula": "The European Parliament,"}


def res(**kw) -> Resolution:
    return Resolution(**{**BASE, **kw})


# -- inconsistent models are refused with a clear message ------------------------------


def test_two_recitals_with_the_same_letter() -> None:
    with pytest.raises(ModelError, match=r"recital 'B' appears twice \(items 2 and 3\)"):
        res(recitals=(Recital("A.", "whereas a;"), Recital("B.", "whereas b;"),
                      Recital("B.", "whereas c;")))


def test_same_letter_printed_differently_is_still_the_same_recital() -> None:
    with pytest.raises(ModelError, match="recital 'C' appears twice"):
        res(recitals=(Recital("C.", "whereas a;"), Recital("(C)", "whereas b;")))


def test_footnote_reference_without_footnote_text() -> None:
    with pytest.raises(ModelError, match="footnote '1' is referenced but has no footnote text"):
        FootnoteRef("1", "  ")
    with pytest.raises(ModelError, match="footnote '2' is referenced but has no footnote text"):
        Citation(("having regard to X", FootnoteRef("2", ""), ","))


def test_footnote_marker_must_be_one_token() -> None:
    with pytest.raises(ModelError, match="footnote marker must be a non-empty token"):
        FootnoteRef("", "OJ C 1.")
    with pytest.raises(ModelError, match="non-empty token"):
        FootnoteRef("1 2", "OJ C 1.")


def test_the_same_footnote_attached_twice() -> None:
    note = FootnoteRef("1", "OJ C 1.")
    with pytest.raises(ModelError, match="footnote '1' is attached twice"):
        res(citations=(Citation(("a", note)), Citation(("b", note))))


def test_one_footnote_marker_per_note_across_tables_and_amendments() -> None:
    """The footnote rule covers an annex's tables and a report's amendment columns."""
    note = FootnoteRef("1", "OJ C 1.")
    table = model.Table([["Vote", ("12", note)]])
    amendment = model.Amendment("Amendment 1", None, "Rule 10", ("Present text", "Amendment"),
                                [model.AmendmentRow("old", ("new", note))])
    cited = (Citation(("a", note)),)
    assert [n.marker for n in iter_footnotes(res(annexes=(Annex("ANNEX", (table,)),)))] == ["1"]
    assert [n.marker for n in iter_footnotes(res(amendments=(amendment,)))] == ["1"]
    with pytest.raises(ModelError, match="footnote '1' is attached twice"):
        res(citations=cited, annexes=(Annex("ANNEX", (table,)),))
    with pytest.raises(ModelError, match="footnote '1' is attached twice"):
        res(citations=cited, amendments=(amendment,))
    with pytest.raises(ModelError, match="kind must be one of"):
        res(kind="decision")
    with pytest.raises(ModelError, match="amendments must hold Amendment values"):
        res(amendments=("Amendment 1",))


def test_duplicate_paragraph_numbers_also_across_headings() -> None:
    with pytest.raises(ModelError, match="paragraph '1' appears twice"):
        res(body=(Paragraph("1.", "Notes x;"), Paragraph("1.", "Notes y;")))
    with pytest.raises(ModelError, match="paragraph '2' appears twice"):
        res(body=(Heading("A", (Paragraph("1.", "x;"), Paragraph("2.", "y;"))),
                  Heading("B", (Paragraph("2)", "z."),))))


def test_duplicate_point_labels() -> None:
    with pytest.raises(ModelError, match=r"paragraph 3\.: point 'a\)' appears twice"):
        Paragraph("3.", "Calls:", (Point("(a)", "x;"), Point("a)", "y;")))
    # dash indents are not numbered: any number of them
    assert len(Paragraph("3.", "Calls:", (Point("–", "x;"), Point("–", "y;"))).points) == 2


@pytest.mark.parametrize("bad", ["P7-TA(2012)0089", "P7_TA(12)0089", "P7_TA(2012)89",
                                 "TA-7-2012-0089", "p7_ta(2012)0089", "P7_TA (2012) 0089"])
def test_bad_texts_adopted_number(bad: str) -> None:
    with pytest.raises(ModelError, match=r"texts-adopted number must look like P7_TA\(2012\)0089"):
        res(ta_number=bad)


@pytest.mark.parametrize("good", ["P7_TA(2012)0089", "P9_TA-PROV(2021)0123", "P10_TA(2024)0001"])
def test_good_texts_adopted_numbers(good: str) -> None:
    assert res(ta_number=good).ta_number == good


@pytest.mark.parametrize("bad", ["2012/2553", "2012-2553(RSP)", "2012/2553(rsp)", "2553(RSP)"])
def test_bad_procedure_reference(bad: str) -> None:
    with pytest.raises(ModelError, match=r"procedure reference must look like 2012/2553\(RSP\)"):
        res(procedure=bad)


def test_dates() -> None:
    assert res(date="2012-03-15").date == dt.date(2012, 3, 15)
    with pytest.raises(ModelError, match="date must be ISO YYYY-MM-DD, got '15.3.2012'"):
        res(date="15.3.2012")
    with pytest.raises(ModelError, match="must be one of"):
        res(date="2012-03-15", date_source="guessed")
    with pytest.raises(ModelError, match="a fallback date_source needs a date"):
        res(date_source="fallback")
    with pytest.raises(ModelError, match="a supplied date_source needs a date"):
        res(date_source="supplied")


@pytest.mark.parametrize("lang", ["xx", "EN", "eng", "", "english"])
def test_language_without_a_table(lang: str) -> None:
    with pytest.raises(ModelError, match="lang must be the ISO 639-1 code of a language"):
        Resolution(lang=lang, title="T", formula="F")


def test_empty_parts() -> None:
    with pytest.raises(ModelError, match="paragraph '4.' has neither text nor points"):
        Paragraph("4.", "   ")
    with pytest.raises(ModelError, match=r"point '\(b\)' has neither text nor sub-points"):
        Point("(b)")
    with pytest.raises(ModelError, match="citation: text must not be empty"):
        Citation(" \n ")
    with pytest.raises(ModelError, match="recital: num must not be empty"):
        Recital("", "whereas x;")
    with pytest.raises(ModelError, match="resolution: title must not be empty"):
        res(title="  ")
    with pytest.raises(ModelError, match="head line role must be one of"):
        HeadLine("subtitle", "x")


def test_wrong_types_in_containers() -> None:
    with pytest.raises(ModelError, match="citations must hold Citation values"):
        res(citations=("having regard to X,",))
    with pytest.raises(ModelError, match="body must hold Paragraph or Heading values"):
        res(body=(Point("(a)", "x"),))
    with pytest.raises(ModelError, match="text part must be str or FootnoteRef"):
        Citation(("x", 3))


def test_characters_xml_cannot_carry() -> None:
    with pytest.raises(ModelError, match=r"U\+0001"):
        Citation("having regard to \x01 X,")
    with pytest.raises(ModelError, match=r"U\+FFFF"):
        res(title="T\uffff")


# -- normalisation and equality ---------------------------------------------------------


def test_whitespace_is_layout() -> None:
    assert Citation(" having  regard\n to\tX, ") == Citation("having regard to X,")
    assert Citation(("having ", "regard to X,")) == Citation("having regard to X,")
    assert Recital(" A. ", "x").num == "A."
    # inside a run, the space before a footnote call is text and is kept
    assert Citation(("Asia ", FootnoteRef("1", "OJ"), ",")).text[0] == "Asia "


def test_empty_blocks_are_dropped() -> None:
    assert Annex("ANNEX", ("", "First.", " ")).blocks == (("First.",),)
    assert res(trailing=("", "Done at Strasbourg.")).trailing == (("Done at Strasbourg.",),)


def test_equality_ignores_the_report() -> None:
    a = res(body=(Paragraph("1.", "x"),))
    b = attrs.evolve(a, report=ParseReport(warnings=("page number removed",), source_lines=9))
    assert a == b and hash(a) == hash(b)
    assert b.warnings == ("page number removed",)
    assert a != attrs.evolve(a, title="Another title")


def test_models_are_immutable() -> None:
    r = res()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.title = "x"  # type: ignore[misc]


def test_repr_shows_the_text_and_not_the_report() -> None:
    r = res(date="2012-03-15", report=ParseReport(warnings=("secret",)),
            citations=(Citation(("Asia", FootnoteRef("1", "OJ C 1."), ",")),))
    text = repr(r)
    assert text.startswith("Resolution(lang='en', title='European Parliament resolution on X'")
    assert "FootnoteRef(marker='1', text='OJ C 1.')" in text
    assert "report" not in text and "secret" not in text
    assert repr(Point("(a)", "x")) == "Point(num='(a)', text=('x',), points=())"


@settings(max_examples=25)
@given(resolutions())
def test_repr_evaluates_back_to_an_equal_model(r: Resolution) -> None:
    namespace = {name: getattr(model, name) for name in model.__all__}
    namespace.update(HeadLine=HeadLine, datetime=dt)
    assert eval(repr(r), namespace) == r  # noqa: S307 - our own repr


# -- labels that eIds are made of ------------------------------------------------------


@pytest.mark.parametrize(("num", "letter"), [("A.", "A"), ("AB.", "AB"), ("(C)", "C"),
                                             ("Β.", "Β"), ("Щ.", "Щ"), (" D ", "D")])
def test_recital_letter(num: str, letter: str) -> None:
    assert Recital(num, "x").letter == letter


@pytest.mark.parametrize(("num", "label"), [("(a)", "a"), ("(ii)", "ii"), ("iv)", "iv"),
                                            ("1.", "1"), ("–", "–"), ("-", "-"), ("•", "•")])
def test_point_label(num: str, label: str) -> None:
    assert Point(num, "x").label == label


@pytest.mark.parametrize(("num", "number"), [("1.", "1"), ("12.", "12"), ("3)", "3"),
                                             ("7", "7")])
def test_paragraph_number(num: str, number: str) -> None:
    assert Paragraph(num, "x").number == number


def test_labels_make_the_eids() -> None:
    r = Resolution(
        lang="el", title="Ψήφισμα", formula="Το Ευρωπαϊκό Κοινοβούλιο,",
        recitals=(Recital("Α.", "x;"), Recital("Β.", "y;")),
        body=(Paragraph("1.", "Καλεί:", (
            Point("(a)", "x;", (Point("(i)", "y;"),)), Point("–", "z;"), Point("–", "w.")),),),
    )
    xml = to_akn(r).decode()
    # Greek letters, Latin letters of the position in the eId
    assert 'eId="recs_1__rec_A"' in xml and 'eId="recs_1__rec_B"' in xml
    assert 'eId="para_1__list_1__point_a__list_1__point_i"' in xml
    # dash indents are AKN <indent> elements, counted
    assert '<indent eId="para_1__list_1__indent_2">' in xml


def test_inline_text_and_footnotes_in_document_order() -> None:
    n1, n2, n3 = (FootnoteRef(str(i), f"OJ C {i}.") for i in (1, 2, 3))
    r = res(citations=(Citation(("Asia", n1, ",")),),
            body=(Paragraph("1.", "Calls:", (Point("(a)", ("x", n2, ";")),)),),
            annexes=(Annex("ANNEX", (("y", n3, "."),)),))
    assert [n.marker for n in iter_footnotes(r)] == ["1", "2", "3"]
    assert inline_text(r.citations[0].text) == "Asia,"


def test_texts_adopted_number_of_another_year_than_the_date() -> None:
    # texts adopted are numbered from 0001 each year: P7_TA(2013)0089 cannot be adopted in 2012
    with pytest.raises(ModelError, match=r"P7_TA\(2013\)0089 is of the year 2013, but the "
                                         r"resolution is dated 2012-03-15"):
        res(date=dt.date(2012, 3, 15), ta_number="P7_TA(2013)0089")
    assert res(date=dt.date(2012, 3, 15), ta_number="P7_TA-PROV(2012)0089").ta_number
    assert res(ta_number="P7_TA(2013)0089").date is None  # no date: nothing to disagree with


def test_a_rule_added_to_the_list_fires_on_every_resolution(monkeypatch) -> None:
    # one list of rules, one pass: nothing gates a rule behind another check
    def no_title_x(r: Resolution) -> None:
        if r.title == "X":
            raise ModelError("constructed rule: title X")

    monkeypatch.setattr(model, "RESOLUTION_RULES", (*model.RESOLUTION_RULES, no_title_x))
    with pytest.raises(ModelError, match="constructed rule: title X"):
        res(title="X")
    assert res().title == BASE["title"]


def test_first_broken_rule_in_order_is_the_error() -> None:
    # both a bad date_source and a twice-used recital letter: the date rule comes first
    with pytest.raises(ModelError, match="a supplied date_source needs a date"):
        res(date_source="supplied", recitals=(Recital("A.", "whereas a;"),
                                              Recital("A.", "whereas b;")))
