"""The text route (normalise + parse) on CONSTRUCTED inputs in the real extraction layouts.

Every input in ``tests/data/`` was written for these tests: fictional wording in the style
of European Parliament resolutions, laid out as ``pdftotext -layout``, ``pdftotext`` (default
mode) and pdfminer.six print the Parliament's PDFs (each file says so in its header comment,
which :func:`load` blanks so that line numbers stay those of the file).  The corpus has no
long non-legislative text, no headings, points, recitals past Z or annex, so those shapes are
exercised here.  Every expected value below is taken from what the input says, written out
by hand; none is copied from the parser's output.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import akn_ep
from akn_ep import (
    Citation,
    FootnoteRef,
    Heading,
    HeadLine,
    Paragraph,
    ParseError,
    Point,
    Recital,
)
from akn_ep.languages.furniture import page_number_re
from akn_ep.model import inline_text, iter_footnotes
from akn_ep.text import lines as lines_mod
from akn_ep.text import parser as parser_mod
from akn_ep.text.parse import head as head_mod
from akn_ep.text.parse import markers as markers_mod
from every_word import assert_every_word

DATA = Path(__file__).resolve().parent / "data"
LONG_EN = ("long_en.layout.txt", "long_en.pdftotext.txt", "long_en.pdfminer.txt")
ALL_INPUTS = (
    *LONG_EN,
    "agency_en_legislative.layout.txt",
    "consent_en_missing_paren.txt",
    "fictiva_en_old.txt",
    "water_lv.pdfminer.txt",
    "waterways_de.pdftotext.txt",
    "rivers_fr.layout.txt",
    "rivers_el.layout.txt",
)


def load(name: str) -> str:
    """A constructed input with its header comment lines blanked (line numbers kept)."""
    text = (DATA / name).read_text(encoding="utf-8")
    return "\n".join("" if ln.startswith("#") else ln for ln in text.split("\n"))


@pytest.fixture(scope="module")
def parsed() -> Callable[[str], akn_ep.Resolution]:
    """``parsed(name)``: a constructed input's model, parsed once for this module (models
    are immutable, so tests can share them)."""
    return functools.cache(lambda name: akn_ep.parse_text(load(name)))


def line_of(name: str, needle: str) -> int:
    """1-based number of the first line of ``name`` containing ``needle``."""
    for no, ln in enumerate(load(name).split("\n"), 1):
        if needle in ln:
            return no
    raise AssertionError(f"{needle!r} not in {name}")


def words(text) -> str:
    return " ".join(inline_text(text).split())


# -- every constructed input: every word kept, round trip, no surprises -----------------


def test_inputs_present():
    for name in ALL_INPUTS:
        assert load(name).split("\n")[0] == "", f"{name} lacks its header comment"


@pytest.mark.parametrize("name", ALL_INPUTS)
def test_every_word_kept(name, parsed):
    assert_every_word(load(name), parsed(name))


@pytest.mark.parametrize("name", ALL_INPUTS)
def test_round_trip(name, parsed):
    r = parsed(name)
    again = akn_ep.parse_text(akn_ep.to_text(r))
    assert again == r
    assert again.report.artefacts == ()  # clean text carries no page furniture


@pytest.mark.parametrize("name", ALL_INPUTS)
def test_round_trip_through_akn(name, parsed):
    r = parsed(name)
    assert akn_ep.validate(akn_ep.to_akn(r)) == []
    assert akn_ep.from_akn(akn_ep.to_akn(r)) == r


# -- the long non-legislative resolution, in three layouts ---------------------------


LONG_TITLE = (
    "European Parliament resolution of 11 March 2021 on the protection of inland waterways "
    "and wetlands in the Union (2021/2745(RSP))"
)


@pytest.mark.parametrize("name", LONG_EN)
def test_long_head(name, parsed):
    r = parsed(name)
    assert r.lang == "en"
    assert r.title == LONG_TITLE
    assert r.heading == "Inland waterways and wetlands"
    assert r.ta_number == "P9_TA-PROV(2021)0123"
    assert (r.date, r.date_source) == (dt.date(2021, 3, 11), "printed")
    assert r.procedure == "2021/2745(RSP)"
    assert r.formula == "The European Parliament,"
    # the PDF's masthead is kept, line by line
    assert r.head_lines == tuple(
        HeadLine("other", t)
        for t in ("European Parliament", "2019-2024", "TEXTS ADOPTED", "Provisional edition")
    )


@pytest.mark.parametrize("name", LONG_EN)
def test_long_citations_and_footnotes(name, parsed):
    r = parsed(name)
    assert len(r.citations) == 7
    assert r.citations[0] == Citation(
        "having regard to Articles 191 and 192 of the Treaty on the Functioning of the "
        "European Union,"
    )
    assert r.citations[2].text == (
        "having regard to its resolution of 15 December 2011 on the state of Union waterways",
        FootnoteRef("1", "Texts adopted, P7_TA(2011)0588."),
        ",",
    )
    assert r.citations[3].text[1] == FootnoteRef("2", "COM(2020)0652.")
    # Rule 132(2): a number in brackets is not a footnote call
    assert r.citations[5] == Citation("having regard to Rule 132(2) of its Rules of Procedure,")
    assert [n.marker for n in iter_footnotes(r)] == ["1", "2", "3", "4", "5"]
    notes = {n.marker: n.text for n in iter_footnotes(r)}
    assert notes["3"] == (
        "Directive 2000/60/EC of the European Parliament and of the Council of 23 October 2000 "
        "establishing a framework for Community action in the field of water policy "
        "(OJ L 327, 22.12.2000, p. 1)."
    )
    assert notes["5"] == (
        "Such as the LIFE programme and the European Agricultural Fund for Rural Development."
    )


@pytest.mark.parametrize("name", LONG_EN)
def test_long_recitals(name, parsed):
    r = parsed(name)
    letters = [rec.num for rec in r.recitals]
    assert letters == [f"{c}." for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + ["AA.", "AB."]
    by = {rec.letter: rec for rec in r.recitals}
    # the call glued to "Directive" is attached exactly there, mid-sentence
    d = by["D"].text
    assert d[0] == "whereas the Water Framework Directive"
    assert d[1].marker == "3"
    assert d[2] == (
        " requires Member States to achieve good status for all bodies of water, an objective "
        "which most of them will not meet by 2027;"
    )
    # recital E runs across the page break, past the footnotes, page number and PE line
    assert by["E"] == Recital(
        "E.",
        "whereas droughts in 2018, 2019 and 2020 lowered the water level of several major "
        "rivers below the level needed for navigation for weeks at a time, and the cost of "
        "inland transport rose accordingly;",
    )
    # a real compound keeps its hyphen; a word broken at the line end is joined
    assert words(by["G"].text).startswith(
        "whereas rivers shared by neighbouring Member States require cross-border cooperation"
    )
    assert words(by["H"].text).startswith("whereas the protection of wetlands depends")
    hyph = [a for a in r.report.artefacts if a.kind == "hyphenation"]
    assert [a.line for a in hyph] == [line_of(name, "whereas the pro-")]
    assert words(by["X"].text) == (
        "whereas the European Environment Agency reports a continuing decline in the status "
        "of freshwater habitats;"
    )
    assert by["X"].text[1].marker == "4"
    assert by["AB"] == Recital(
        "AB.", "whereas the protection of wetlands requires long-term funding;")
    # "2 %", "6 %", "25 000 km" and years inside recitals are text
    assert "about 2 % of the Union's territory" in words(by["A"].text)
    assert words(by["R"].text).endswith("at least 25 000 km of free-flowing rivers by 2030;")


@pytest.mark.parametrize("name", LONG_EN)
def test_long_body_headings_points_indents(name, parsed):
    r = parsed(name)
    assert [type(b) for b in r.body] == [Heading, Heading, Heading]
    assert [h.text for h in r.body] == ["General remarks", "Water quality", "Funding"]
    assert [[p.number for p in h.paragraphs] for h in r.body] == [
        ["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9", "10", "11", "12"],
    ]
    paras = {p.number: p for p in r.paragraphs()}
    # a wrapped line beginning "4 Member States" after a comma is not paragraph 4
    assert words(paras["3"].text) == (
        "Recalls that the floods of July 2021 killed more than 200 people and that, in total, "
        "4 Member States declared a state of emergency;"
    )
    p4 = paras["4"]
    assert words(p4.text) == "Calls on the Member States:"
    assert [p.num for p in p4.points] == [f"({c})" for c in "abcdefghij"]
    assert all(not p.points for p in p4.points)  # "(i)" after "(h)" is the letter i
    assert p4.points[8] == Point("(i)", "to report every two years on the state of their wetlands;")
    p5 = paras["5"]
    assert words(p5.text) == "Calls on the Commission:"
    assert [p.num for p in p5.points] == ["(a)", "(b)", "(c)"]
    assert p5.points[1] == Point(
        "(b)",
        "to support restoration, in particular:",
        (Point("(i)", "of floodplains along navigable rivers;"),
         Point("(ii)", "of drained peat bogs;")),
    )
    assert p5.points[2] == Point("(c)", "to monitor the use of Union funds for drainage;")
    p6 = paras["6"]
    assert words(p6.text) == (
        "Stresses the need for cooperation with third countries on shared river basins, "
        "including through:"
    )
    assert p6.points == (
        Point("–", "joint early-warning systems for floods and droughts,"),
        Point("–", "exchanges of good practice;"),
    )
    assert paras["7"].text[1] == FootnoteRef(
        "5", "Such as the LIFE programme and the European Agricultural Fund for Rural Development."
    )
    assert paras["9"] == Paragraph(
        "9.",
        "Recalls that, under Rule 110(4) of its former Rules of Procedure, it has repeatedly "
        "called for such a change;",
    )
    assert words(paras["10"].text).endswith("by the end of 2022;")
    assert words(paras["12"].text).startswith("Instructs its President to forward this resolution")


@pytest.mark.parametrize("name", LONG_EN)
def test_long_annex_and_artefacts(name, parsed):
    r = parsed(name)
    assert len(r.annexes) == 1
    annex = r.annexes[0]
    assert annex.title == "ANNEX"
    assert [words(b) for b in annex.blocks] == [
        "Wetlands of priority interest",
        "The restoration of the following kinds of wetland should be given priority.",
        "Floodplains of navigable rivers, where they still exist.",
        "Peat bogs drained in the past for agriculture or forestry.",
    ]
    assert r.trailing == ()
    kinds = [(a.kind, a.text) for a in r.report.artefacts if a.kind != "hyphenation"]
    assert sorted(kinds) == sorted(
        [("page-number", str(i)) for i in range(1, 5)]
        + [("running-header", "PE123.456v01-00")] * 4
        + [("page-break", "\f")] * 4
    )
    assert r.warnings == ()


def test_long_layouts_give_equal_models(parsed):
    a, b, c = (parsed(n) for n in LONG_EN)
    assert a == b == c


# -- legislative resolution: stars, procedure kind, document-reference chain -------------


def test_legislative_head(parsed):
    name = "agency_en_legislative.layout.txt"
    r = parsed(name)
    assert r.heading == "Union Agency for Inland Navigation"
    assert r.ta_number == "P9_TA(2021)0456"
    assert r.title == (
        "European Parliament legislative resolution of 7 October 2021 on the proposal for a "
        "regulation of the European Parliament and of the Council establishing a Union Agency "
        "for Inland Navigation (COM(2020)0789 – C9-0401/2020 – 2020/0357(COD))"
    )
    assert (r.date, r.procedure) == (dt.date(2021, 10, 7), "2020/0357(COD)")
    assert r.doc_refs == ("COM(2020)0789", "C9-0401/2020")
    roles = [(h.role, h.text) for h in r.head_lines]
    assert ("stars", "***I") in roles
    assert ("procedureKind", "(Ordinary legislative procedure: first reading)") in roles
    assert [t for role, t in roles if role == "other"] == [
        "European Parliament", "2019-2024", "TEXTS ADOPTED",
    ]
    assert akn_ep.to_text(r).splitlines()[0] == "Union Agency for Inland Navigation ***I"


def test_legislative_calls_glued_to_years(parsed):
    r = parsed("agency_en_legislative.layout.txt")
    assert len(r.citations) == 7 and r.recitals == ()
    assert r.citations[3].text == (
        "having regard to the opinion of the European Economic and Social Committee of "
        "24 February 2021",
        FootnoteRef("1", "OJ C 123, 9.4.2021, p. 45."),
        ",",
    )
    assert r.citations[4].text == (
        "having regard to the opinion of the Committee of the Regions of 18 March 2021",
        FootnoteRef("2", "OJ C 210, 3.6.2021, p. 12."),
        ",",
    )
    assert [p.number for p in r.paragraphs()] == ["1", "2", "3"]
    assert r.trailing == () and r.warnings == ()


def test_an_inserted_paragraph_number_is_kept_as_text_and_said():
    """EP resolutions number paragraphs 1, 2, 3; a "2a." (as amended texts print an inserted
    paragraph) is not numbered by the model: its words stay, in the paragraph before it,
    and a warning names the line."""
    text = ("European Parliament resolution of 3 December 2026 on inserted numbers\n"
            "The European Parliament,\n"
            "– having regard to Rule 132 of its Rules of Procedure,\n"
            "A. whereas paragraphs are numbered in sequence;\n"
            "1. Notes the numbering;\n"
            "2. Calls for sequential numbers;\n"
            "2a. Calls also for an inserted paragraph;\n"
            "3. Instructs its President to forward this resolution to the Commission.\n")
    r = akn_ep.parse_text(text, lang="en")
    assert [p.num for p in r.paragraphs()] == ["1.", "2.", "3."]
    assert list(r.paragraphs())[1].text == (
        "Calls for sequential numbers; 2a. Calls also for an inserted paragraph;",)
    assert r.warnings == ("line 7: 2a. reads as an inserted paragraph number, which is not "
                          "supported: its text is kept in the item before it",)
    # a point's letter after a number is no such line
    text2 = text.replace("2a. Calls also", "(a) calls also")
    assert akn_ep.parse_text(text2, lang="en").warnings == ()


def test_missing_closing_parenthesis(parsed):
    r = parsed("consent_en_missing_paren.txt")
    assert r.title.endswith("(10437/2020 – C9-0108/2020 – 2020/0414(NLE)")
    assert r.procedure == "2020/0414(NLE)"
    assert r.doc_refs == ("10437/2020", "C9-0108/2020")
    # the procedure kind on the next line is not swallowed by the unclosed title
    assert r.head_lines == (HeadLine("procedureKind", "(Consent)"),)
    assert len(r.citations) == 2 and len(list(r.paragraphs())) == 2
    assert any("parenthes" in w for w in r.warnings)


def test_old_text_without_dashes_and_slips(parsed):
    r = parsed("fictiva_en_old.txt")
    assert r.head_lines == (HeadLine("documentRefs", "B4-0101, 0102 and 0107/96"),)
    assert r.title == "Resolution on the pollution of the river Fictiva"
    assert (r.date, r.date_source) == (dt.date(1996, 1, 1), "fallback")
    assert any("fallback" in w for w in r.warnings)
    assert [words(c.text) for c in r.citations] == [
        "having regard to its earlier resolutions on river pollution ,",  # kept as printed
        "having regard to the Convention on the Protection of the Fictiva,",
        "having regard to the statement of the Commission,",
        "having regard to the report of the river commission,",
    ]
    assert r.recitals == (
        Recital("A.", "whereas a chemical spill has polluted the river Fictiva over 300 km,"),
        Recital("B.", "whereas drinking water supplies for 2 million people were interrupted,"),
    )
    assert [p.num for p in r.paragraphs()] == ["1.", "2.", "3."]
    assert words(r.body[0].text) == "Condemns the negligence that caused the spill ;"


def test_fallback_year_is_the_texts_adopted_numbers():
    # no date printed; the subject heading names another year than the sitting's
    text = (
        "Situation in Fictivia since 2011\n\nP7_TA(2012)0089\n\n"
        "European Parliament resolution on the situation in Fictivia\n\n"
        "The European Parliament,\n\n– having regard to its earlier resolutions,\n\n"
        "A. whereas the situation has worsened;\n\n"
        "1. Instructs its President to forward this resolution to the Council.\n"
    )
    r = akn_ep.parse_text(text)
    assert (r.ta_number, r.date, r.date_source) == ("P7_TA(2012)0089", dt.date(2012, 1, 1),
                                                      "fallback")
    assert akn_ep.validate(akn_ep.to_akn(r)) == []  # the profile's ep-ta-year holds


def test_supplied_date():
    r = akn_ep.parse_text(load("fictiva_en_old.txt"), date="1996-05-23")
    assert (r.date, r.date_source) == (dt.date(1996, 5, 23), "supplied")
    assert not any("fallback" in w for w in r.warnings)


# -- dates at the start of wrapped lines, in three languages ------------------------------


def test_latvian_dates_and_footnotes(parsed):
    name = "water_lv.pdfminer.txt"
    r = parsed(name)
    assert r.lang == "lv"
    assert r.heading == "Ūdens resursi Vidusāzijā"
    assert r.ta_number == "P7_TA(2013)0101"
    assert r.title == (
        "Eiropas Parlamenta 2013. gada 14. marta rezolūcija par ūdens resursiem Vidusāzijā "
        "(2013/2580(RSP))"
    )
    assert (r.date, r.procedure) == (dt.date(2013, 3, 14), "2013/2580(RSP)")
    assert r.head_lines == ()
    texts = [words(c.text) for c in r.citations]
    assert texts == [
        "ņemot vērā ES stratēģiju Vidusāzijai,",
        "ņemot vērā Padomes 2012. gada 10. maija, 21. jūnija un 3. septembra, kā arī 2012. gada "
        "1. oktobra secinājumus par Vidusāziju,",
        "ņemot vērā partnerattiecību nolīgumu, kas tika parakstīts 1996. gadā un stājās spēkā "
        "1999. gadā,",
        "ņemot vērā EDSO biroja 2013. gada 15. janvāra paziņojumu par ūdens resursu "
        "pārvaldību un 2013. gada 20. februāra paziņojumu par Amudarjas baseinu,",
        "ņemot vērā 2012. gada 13. decembra rezolūciju par Apvienoto Nāciju Organizācijas "
        "Ūdens padomi,",
        "ņemot vērā Reglamenta 110. panta 4. punktu,",
    ]
    assert r.citations[0].text == (
        "ņemot vērā ES stratēģiju Vidusāzijai",
        FootnoteRef("1", "Pieņemtie teksti, P7_TA(2011)0588."),
        ",",
    )
    assert r.citations[4].text[1:] == (FootnoteRef("2", "Pieņemtie teksti, P7_TA(2012)0058."), ",")
    assert [rec.num for rec in r.recitals] == ["A.", "B.", "C.", "D."]
    assert words(r.recitals[1].text) == (
        "tā kā ūdens trūkums reģionā pēdējos gados ir pieaudzis un var apdraudēt "
        "lauksaimniecību, enerģētiku un iedzīvotāju veselību;"
    )
    assert words(r.recitals[2].text) == (  # its letter stands alone on its line
        "tā kā Arāla jūras platība kopš 1960. gada ir samazinājusies vairāk nekā par pusi;"
    )
    assert [p.number for p in r.paragraphs()] == ["1", "2", "3", "4"]
    # "3. un 4. punktu" after "1., 2.," is the rest of paragraph 2, not paragraph 3
    assert words(r.body[1].text) == (
        "aicina reģiona valstis ievērot nolīguma 5. panta 1., 2., 3. un 4. punktu un regulāri "
        "apmainīties ar informāciju par ūdens līmeni;"
    )
    assert r.warnings == ()


def test_german_dates_and_stray_item(parsed):
    name = "waterways_de.pdftotext.txt"
    r = parsed(name)
    assert r.lang == "de"
    assert (r.date, r.procedure) == (dt.date(2021, 3, 10), "2021/2600(RSP)")
    assert [words(c.text) for c in r.citations] == [
        "unter Hinweis auf seine Entschließungen vom 15. Januar 2020, 1. Februar 2021 und "
        "3. März 2021 zur Binnenschifffahrt,",
        "gestützt auf Artikel 132 Absatz 2 seiner Geschäftsordnung,",
    ]
    assert [rec.num for rec in r.recitals] == ["A.", "B."]
    assert [p.number for p in r.paragraphs()] == ["1", "2", "3"]
    assert words(r.body[0].text) == (
        "fordert die Kommission auf, die Berichte der Flusskommissionen vom 15. Januar, "
        "2. Februar und 3. März 2021 zu berücksichtigen;"
    )
    dashes = [no for no, ln in enumerate(load(name).split("\n"), 1) if ln == "–"]
    stray = dashes[1]  # the second of three dashes stands for nothing
    assert [(a.line, a.kind) for a in r.report.artefacts if a.kind == "empty-item"] == [
        (stray, "empty-item")
    ]
    assert any(f"line {stray}" in w and "empty" in w for w in r.warnings)


def test_french_dates(parsed):
    r = parsed("rivers_fr.layout.txt")
    assert r.lang == "fr"
    assert (r.date, r.procedure) == (dt.date(2021, 3, 1), "2021/2550(RSP)")  # "1er mars"
    assert words(r.citations[0].text) == (
        "vu sa résolution du 12 décembre 2019 sur l'état des cours d'eau et sa résolution du "
        "1er mars 2020 sur la sécheresse,"
    )
    assert words(r.recitals[1].text) == (
        "considérant que les commissions fluviales se sont réunies les 12 et 13 décembre 2020;"
    )
    assert [p.number for p in r.paragraphs()] == ["1", "2", "3"]
    assert words(r.body[1].text) == "rappelle les réunions des 1er février, 3 mars et 4 avril 2021;"


# -- Greek: items end with the ano teleia ------------------------------------------------


def test_greek_ano_teleia_ends_items(parsed):
    name = "rivers_el.layout.txt"
    r = parsed(name)
    assert r.lang == "el"
    assert (r.date, r.procedure) == (dt.date(2012, 3, 15), "2012/2600(RSP)")
    assert r.heading == "Προστασία των ποταμών"
    assert len(r.citations) == 2
    # U+0387 in the source is U+00B7 after NFC; either way it ends the item
    assert [rec.num for rec in r.recitals] == ["Α.", "Β.", "Γ."]
    assert words(r.recitals[0].text) == (
        "λαμβάνοντας υπόψη ότι οι ποταμοί της Ένωσης υποφέρουν από τη ρύπανση και την "
        "ξηρασία\u00b7"
    )
    # the call after "%" and before "·" is a call
    assert r.recitals[2].text == (
        "λαμβάνοντας υπόψη ότι η ξηρασία του 2011 μείωσε τη στάθμη των ποταμών κατά 25 %",
        FootnoteRef("2", "Ευρωπαϊκός Οργανισμός Περιβάλλοντος, έκθεση αριθ. 5/2012."),
        "\u00b7",
    )
    # a heading after a recital ended by "·", then the paragraphs
    assert [type(b) for b in r.body] == [Heading]
    assert r.body[0].text == "Γενικές παρατηρήσεις"
    paras = list(r.paragraphs())
    assert [p.num for p in paras] == ["1.", "2.", "3."]
    assert words(paras[0].text).endswith("της Ένωσης\u00b7")
    assert words(paras[2].text).startswith("αναθέτει στον Πρόεδρό του")
    assert r.warnings == ()


# -- constructed minimal inputs for the shapes the files above do not have ------------------

HEAD = "European Parliament resolution of 15 March 2012 on x\nThe European Parliament,\n"
CLOSE = "Instructs its President to forward this resolution."


def _round_trips(r: akn_ep.Resolution) -> None:
    assert akn_ep.parse_text(akn_ep.to_text(r)) == r
    assert akn_ep.validate(akn_ep.to_akn(r)) == []
    assert akn_ep.from_akn(akn_ep.to_akn(r)) == r


@pytest.mark.parametrize("before", [
    "",  # straight after the formula
    "– having regard to y,\n",  # after a citation ending with a comma
    "– having regard to y,\nA. whereas b,\n",  # after an old-style recital ending with a comma
    "– having regard to y,\nA. whereas b;\n",
])
def test_heading_over_the_first_paragraph(before):
    r = akn_ep.parse_text(HEAD + before + f"General remarks\n1. Notes z;\n2. {CLOSE}\n")
    assert r.body == (
        Heading("General remarks", (Paragraph("1.", "Notes z;"), Paragraph("2.", CLOSE))),
    )
    assert len(r.citations) == ("having regard" in before)
    assert len(r.recitals) == ("whereas" in before)
    _round_trips(r)


def test_a_heading_needs_the_expected_paragraph_after_it():
    # "General remarks" before "3." (paragraph 1 expected) is no heading: strict mode fails
    with pytest.raises(ParseError):
        akn_ep.parse_text(HEAD + f"– having regard to y,\nGeneral remarks\n3. {CLOSE}\n")


def test_numbered_headings():
    text = HEAD + (
        "– having regard to y,\n"
        "A. whereas b;\n"
        "I. General observations\n"
        "1. Notes z;\n"
        "II. Final remarks\n"
        f"2. {CLOSE}\n"
    )
    r = akn_ep.parse_text(text)
    assert r.recitals == (Recital("A.", "whereas b;"),)
    assert r.body == (
        Heading("General observations", (Paragraph("1.", "Notes z;"),), "I."),
        Heading("Final remarks", (Paragraph("2.", CLOSE),), "II."),
    )
    _round_trips(r)
    # a capital letter numbers a heading too, also straight after the citations
    r = akn_ep.parse_text(HEAD + f"– having regard to y,\nB. Scope\n1. {CLOSE}\n")
    assert r.recitals == () and r.body == (Heading("Scope", (Paragraph("1.", CLOSE),), "B."),)


def test_a_letter_that_is_the_expected_recital_stays_a_recital():
    letters = "ABCDEFGH"
    recitals = "".join(f"{c}. whereas {c.lower()};\n" for c in letters)
    r = akn_ep.parse_text(HEAD + recitals + f"I. whereas the last one;\n1. {CLOSE}\n")
    assert [rec.num for rec in r.recitals] == [f"{c}." for c in letters + "I"]
    assert r.body == (Paragraph("1.", CLOSE),)


@pytest.mark.parametrize("end", [".", ""])
def test_second_annex(end):
    text = HEAD + f"1. {CLOSE}\nANNEX I\nFirst text{end}\nANNEX II\nSecond text{end}\n"
    r = akn_ep.parse_text(text)
    assert [(a.title, [words(b) for b in a.blocks]) for a in r.annexes] == [
        ("ANNEX I", [f"First text{end}"]),
        ("ANNEX II", [f"Second text{end}"]),
    ]
    assert r.trailing == ()
    _round_trips(r)


def test_title_case_second_annex():
    r = akn_ep.parse_text(HEAD + f"1. {CLOSE}\nAnnex I\nFirst part\nAnnex II\nSecond part\n")
    assert [a.title for a in r.annexes] == ["Annex I", "Annex II"]


@pytest.mark.parametrize("after", [
    ["(Urgency resolution)"],
    ["Thursday, 23 May 1996 - Strasbourg"],
    ["(Urgency resolution)", "Thursday, 23 May 1996 - Strasbourg"],
    ["B4-0601 and 0602/96"],
    ["***"],
    ["P4_TA(1996)0231"],
])
def test_old_title_stops_at_head_lines(after):
    text = ("Resolution on human rights in Tibet\n" + "\n".join(after)
            + f"\nThe European Parliament,\n– having regard to y,\n1. {CLOSE}\n")
    r = akn_ep.parse_text(text)
    assert r.title == "Resolution on human rights in Tibet"
    got = [h.text for h in r.head_lines] + ([r.ta_number] if r.ta_number else [])
    assert sorted(got) == sorted(after)
    roles = {h.text: h.role for h in r.head_lines}
    assert roles.get("(Urgency resolution)", "procedureKind") == "procedureKind"
    assert roles.get("Thursday, 23 May 1996 - Strasbourg", "sitting") == "sitting"


def test_wrapped_old_title_and_reference_chain_stay_in_the_title():
    text = ("Resolution on the proposal for a regulation on\n"
            "inland waterways\n"
            f"The European Parliament,\n1. {CLOSE}\n")
    assert akn_ep.parse_text(text).title == (
        "Resolution on the proposal for a regulation on inland waterways")
    text = ("European Parliament legislative resolution of 7 October 2021 on the proposal\n"
            "(COM(2020)0789 – C9-0401/2020 – 2020/0357(COD))\n"
            "(Ordinary legislative procedure: first reading)\n"
            f"The European Parliament,\n1. {CLOSE}\n")
    r = akn_ep.parse_text(text)
    assert r.title.endswith("on the proposal (COM(2020)0789 – C9-0401/2020 – 2020/0357(COD))")
    assert r.head_lines == (
        HeadLine("procedureKind", "(Ordinary legislative procedure: first reading)"),)
    # a wrapped title line that begins with a date is no sitting line
    text = ("European Parliament resolution\nof 15 March 2012 on Kazakhstan\n"
            f"The European Parliament,\n1. {CLOSE}\n")
    r = akn_ep.parse_text(text)
    assert r.title == "European Parliament resolution of 15 March 2012 on Kazakhstan"
    assert r.date == dt.date(2012, 3, 15)


def test_paragraphs_and_points_without_introduction_round_trip():
    r = akn_ep.Resolution(
        lang="en",
        title="European Parliament resolution of 15 March 2012 on x",
        formula="The European Parliament,",
        date="2012-03-15",
        citations=(Citation("having regard to y,"),),
        body=(
            Paragraph("1.", "Notes z;"),
            Paragraph("2.", None, (Point("(a)", "first;"), Point("(b)", "second;"))),
            Paragraph("3.", None, (
                Point("(a)", None, (Point("(i)", "one;"), Point("(ii)", "two;"))),
                Point("(b)", "third;"),
            )),
            Paragraph("4.", None, (Point("–", "a dash,"), Point("–", "another;"))),
            Paragraph("5.", CLOSE),
        ),
    )
    text = akn_ep.to_text(r)
    assert "\n2.\n(a) first;\n" in text and "\n3.\n(a)\n(i) one;\n" in text
    assert akn_ep.parse_text(text) == r
    assert akn_ep.parse_text(text).warnings == ()


def test_a_stray_empty_point_is_still_dropped():
    # "(b)" after an empty "(a)" continues the sequence: no sub-point, "(a)" is dropped
    text = HEAD + f"1. Calls for:\n(a)\n(b) action;\n2. {CLOSE}\n"
    r = akn_ep.parse_text(text)
    para = r.body[0]
    assert [p.num for p in para.points] == ["(a)"]
    assert words(para.points[0].text) == "(b) action;"


def _latvian(n: int, last: str) -> str:
    lines = ["Eiropas Parlamenta 2013. gada 14. marta rezolūcija par ūdens resursiem "
             "(2013/2580(RSP))", "Eiropas Parlaments,",
             "– ņemot vērā Reglamenta 110. panta 4. punktu,"]
    lines += [f"{i}. aicina dalībvalstis sadarboties {i}. jomā;" for i in range(1, n)]
    return "\n".join(lines) + "\n" + last


def test_wrapped_number_in_the_last_paragraph_is_text():
    # "21. pantu" ("Article 21") after a comma in the closing paragraph 20 is its text
    last = ("20. uzdod priekšsēdētājam nosūtīt šo rezolūciju iestādēm, kas minētas Līguma 19.,\n"
            "20. un\n21. pantu.\n")
    r = akn_ep.parse_text(_latvian(20, last), lang="lv")
    paras = list(r.paragraphs())
    assert [p.number for p in paras] == [str(i) for i in range(1, 21)]
    assert words(paras[-1].text).endswith("Līguma 19., 20. un 21. pantu.")
    assert r.warnings == ()


def test_last_paragraph_after_a_comma_opens_when_it_is_the_closing_one():
    last = ("2. uzsver, ka ūdens resursi ir kopīgi,\n"
            "3. uzdod priekšsēdētājam nosūtīt šo rezolūciju Padomei un Komisijai.\n")
    r = akn_ep.parse_text(_latvian(2, last), lang="lv")
    assert [p.number for p in r.paragraphs()] == ["1", "2", "3"]


# -- errors ---------------------------------------------------------------------------------


SHORT = """European Parliament resolution of 1 June 2021 on rivers (2021/2700(RSP))
The European Parliament,
– having regard to Rule 132(2) of its Rules of Procedure,
A. whereas rivers matter;
1. Notes the state of rivers;
2. Calls for action;
4. Regrets the delay;
5. Instructs its President to forward this resolution to the Council.
"""


@pytest.mark.parametrize("text", ["", "   \n\t\n  \n"])
def test_empty_input(text):
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(text)
    assert e.value.line == 1
    assert e.value.expected


def test_debate_transcript_is_refused():
    text = (
        "Verbatim report of proceedings\n"
        "Thursday, 10 June 2021 - Strasbourg\n"
        "1. Situation of inland waterways (debate)\n"
        "President. - The next item is the debate on the situation of inland waterways.\n"
        "Jane Doe, on behalf of the Fictional Group. - Madam President, rivers are in danger.\n"
        "John Roe (Fictional Group). - Madam President, I agree with the previous speaker.\n"
        "President. - The debate is closed. The vote will take place tomorrow.\n"
    )
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(text)
    assert e.value.line == 1
    assert "resolution" in e.value.expected.lower() or "title" in e.value.expected.lower()


def test_random_text_is_refused():
    text = "qwz vbn plok\nzzt mmrk 42 yy\nfoo bar baz quux\n" * 5
    with pytest.raises(ParseError):
        akn_ep.parse_text(text)
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(text, lang="en")
    assert e.value.line == 1 and e.value.expected


def test_title_without_formula():
    text = "European Parliament resolution of 1 June 2021 on rivers (2021/2700(RSP))\n" + (
        "Some text that is not the formula.\n" * 3
    )
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(text, lang="en")
    assert e.value.line == 2
    assert "The European Parliament" in e.value.expected


def test_cut_off_in_the_recitals():
    name = "long_en.layout.txt"
    src = load(name).split("\n")
    cut = line_of(name, "M.   whereas")
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text("\n".join(src[:cut]))
    assert e.value.line == cut
    assert "recital" in str(e.value)
    assert e.value.expected == "paragraph 1"
    # lenient mode cannot invent paragraphs either
    with pytest.raises(ParseError):
        akn_ep.parse_text("\n".join(src[:cut]), strict=False)


def test_out_of_sequence_paragraph_strict():
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(SHORT)
    assert e.value.line == 7
    assert "4" in e.value.message and "3" in e.value.message
    assert e.value.expected == "paragraph 3"


def test_out_of_sequence_paragraph_lenient():
    r = akn_ep.parse_text(SHORT, strict=False)
    assert [p.number for p in r.paragraphs()] == ["1", "2", "4", "5"]
    assert words(r.body[2].text) == "Regrets the delay;"
    assert any("line 7" in w and "4" in w and "3" in w for w in r.warnings)


@pytest.mark.parametrize("strict", [True, False])
def test_a_number_or_letter_printed_twice_is_refused_with_its_line(strict):
    # the model cannot hold a paragraph number or a recital letter twice: even a lenient
    # reading refuses it, naming the line of the second one
    twice = SHORT.replace("4. Regrets the delay;", "2. Regrets the delay;")
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(twice, strict=strict)
    assert e.value.line == 7
    # a slip read leniently ("4." for 2), then "3.", then "4 …" without its dot comes round
    # to 4 again
    slips = (HEAD + "– having regard to y,\n1 Deplores the state of the locks;\n"
             "4. Calls for repairs;\n3. Urges the authorities to act;\n"
             f"4 {CLOSE}\n")
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(slips, strict=strict)
    assert e.value.line == (5 if strict else 7)
    letters = SHORT.replace("A. whereas rivers matter;", "A. whereas rivers matter;\n"
                            "A. whereas lakes matter;")
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(letters, strict=strict)
    assert e.value.line == 5
    # A, D (a slip for B), B (a slip back), C, then D again
    letters = HEAD + "".join(f"{c}. whereas {c.lower()};\n" for c in "ADBCD") + f"1. {CLOSE}\n"
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(letters, strict=strict)
    assert e.value.line == (4 if strict else 7)


def test_parse_error_is_picklable_and_says_where():
    with pytest.raises(ParseError) as e:
        akn_ep.parse_text(SHORT)
    assert str(e.value).startswith("line 7: ")


# -- cost: linear, no catastrophic backtracking --------------------------------------------

MB = 1_000_000


@pytest.mark.parametrize("line", [
    "(" + "i" * MB,
    "A" * MB + " .",
    "1" * MB + " x",
    "a1 " * (MB // 3),
    "European Parliament resolution of " * (MB // 34),
    "–" + " " * MB + "x",
    "P9_TA(2021/2745(" * (MB // 16),
], ids=["point", "letter", "number", "calls", "title", "spaces", "references"])
def test_patterns_on_a_one_megabyte_line(line):
    en = akn_ep.languages.get("en")
    patterns = [
        markers_mod.POINT, markers_mod.LETTER, markers_mod.NUMBER_DOT, markers_mod.NUMBER_BARE,
        markers_mod.DASH, head_mod._TA, head_mod._PROC, head_mod._PROC_END,
        lines_mod._FOOTNOTE_LINE, page_number_re(), lines_mod._MARKER_START, lines_mod._GLUED_NOTE,
    ]
    # linear patterns take well under a second a megabyte each; one that backtracks
    # badly takes minutes, so the bound is loose enough for a busy machine
    start = time.perf_counter()
    for p in patterns:
        p.search(line)
    lines_mod.iter_calls(line)
    en.is_title(line)
    en.is_citation(line)
    en.is_closing(line)
    en.find_date(line)
    assert time.perf_counter() - start < 8.0


def _synthetic(n: int) -> str:
    """A constructed resolution with ``n`` paragraphs (and as many recitals, up to 500),
    pdfminer-spaced."""
    out = ["European Parliament resolution of 1 June 2021 on rivers (2021/2700(RSP))",
           "The European Parliament,",
           "– having regard to its resolution of 15 December 2011 on rivers1,"]
    letters = akn_ep.languages.get("en")
    for i in range(min(n, 500)):
        out.append(f"{letters.recital_letter(i)}. whereas river number {i} flows through "
                   "several Member States and")
        out.append("needs care;")
    for i in range(1, n + 1):
        out.append(f"{i}. Calls for the protection of river number {i} and of the wetlands")
        out.append(f"along it, which {i + 7} regions share;")
    out.append(f"{n + 1}. Instructs its President to forward this resolution to the Council.")
    out += ["", "1 Texts adopted, P7_TA(2011)0588."]
    return "\n\n".join(out) + "\n"


def test_cost_is_linear():
    small, big = _synthetic(100), _synthetic(800)  # 8 times the size
    t0 = time.perf_counter()
    r_small = akn_ep.parse_text(small, lang="en")
    t1 = time.perf_counter()
    r_big = akn_ep.parse_text(big, lang="en")
    t2 = time.perf_counter()
    assert len(r_small.recitals) == 100 and len(r_big.recitals) == 500
    assert len(list(r_big.paragraphs())) == 801
    assert list(iter_footnotes(r_big))[0].marker == "1"
    assert r_big.warnings == ()
    # linear: about 8 times as long; quadratic would be 64 times
    assert (t2 - t1) < 24 * max(t1 - t0, 0.01), (t1 - t0, t2 - t1)


def test_one_megabyte_paragraph():
    text = SHORT.replace("2. Calls for action;", "2. Calls for " + "action and " * 90_000 + "more;")
    text = text.replace("4. Regrets", "3. Regrets").replace("5. Instructs", "4. Instructs")
    start = time.perf_counter()
    r = akn_ep.parse_text(text, lang="en")
    assert time.perf_counter() - start < 10
    assert len(list(r.paragraphs())) == 4


def test_no_language_branching_in_the_text_route():
    files = [Path(lines_mod.__file__), Path(parser_mod.__file__)]
    files += sorted(Path(head_mod.__file__).parent.glob("*.py"))  # the text.parse package
    for path in files:
        src = path.read_text(encoding="utf-8")
        assert not re.search(r"""lang(?:\.code)?\s*(?:==|!=|in)\s*[\(\["']""", src), path.name


@pytest.mark.parametrize("strict", [True, False])
def test_texts_adopted_number_of_another_year_than_the_printed_date(strict: bool) -> None:
    # the 89th text adopted in 2013 cannot be a resolution of 15 March 2012: one is a typo,
    # and which one the text does not say, so it is refused at the number's line
    text = (
        "P7_TA(2013)0089\n\n"
        "European Parliament resolution of 15 March 2012 on the situation in Fictivia\n\n"
        "The European Parliament,\n\n– having regard to its earlier resolutions,\n\n"
        "1. Instructs its President to forward this resolution to the Council.\n"
    )
    with pytest.raises(ParseError, match="P7_TA.2013.0089 is of the year 2013, but the "
                                         "resolution is dated 2012-03-15") as info:
        akn_ep.parse_text(text, strict=strict)
    assert info.value.line == 1
    assert akn_ep.parse_text(text.replace("2013", "2012"), strict=strict).ta_number
