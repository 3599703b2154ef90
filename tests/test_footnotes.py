"""Footnotes in every form they arrive in (issue #13), and the real EP PDF's layout.

- The real text adopted ``../shared/corpus/real/TA-9-2024-0138_EN.pdf`` (the AI Act
  legislative resolution, then the Parliament's 450-page position, whose own notes are
  numbered again from 1): its resolution is read with 10 citations, 3 paragraphs and its 3
  footnotes each attached at its call, from the PDF itself and from the renditions people
  make of it (``pdftotext``, ``pdftotext -layout``, pdfminer's ``extract_text``), generated
  here from the PDF; the whole document converts, validates and keeps every word.
- Each convention, on CONSTRUCTED inputs (fictional wording in the EP's style, laid out
  as each tool prints a page, in several languages), checked at the level of
  :class:`akn_ep.lines.Lines` with outputs written by hand: ``pdftotext``'s numbers-then-
  bodies order, ``-layout``'s side-by-side notes, pdfminer's glued numbers and marker
  columns, a numbering that starts again, web-copied ``(1)``/``[1]``/``¹``/``*`` notes, page
  furniture words per language.
- The Parliament's Word layout typeset with reportlab (``tests/word_pdf.py``, CONSTRUCTED
  texts): raised calls, notes as large as the text under a short rule, a note continued over
  a page under the continuation rule, a citation split by a page break with the page's notes
  between its halves; in English, French and Latvian.
"""

from __future__ import annotations

import functools
import re
import subprocess

import pytest

import akn_ep
from akn_ep.lines import Footnote
from akn_ep.model import FootnoteRef, iter_footnotes
from akn_ep.pdf import extract_text, read_layout
from akn_ep.text.lines import normalise
from every_word import assert_every_word
from shared_corpus import SHARED, ai_act_pdfminer, ai_act_pdftotext, pdftotext_exe

REAL = SHARED / "corpus" / "real" / "TA-9-2024-0138_EN.pdf"
needs_real = pytest.mark.skipif(
    not REAL.is_file(), reason=f"the real EP PDF is not at {REAL} (../shared beside the repo)")

# -- the real PDF ---------------------------------------------------------------------------------

#: The resolution's three notes, read by hand from the PDF (page 1 foot: 1, 2; page 2 foot: 3).
NOTES = [
    ("1", "OJ C 115, 11.3.2022, p. 5."),
    ("2", "OJ C 517, 22.12.2021, p. 56."),
    ("3", "This position replaces the amendments adopted on 14 June 2023 (Texts adopted, "
          "P9_TA(2023)0236)."),
]
#: The ninth citation, split by the page break with notes 1 and 2 between its halves.
CITATION_9 = (
    "having regard to the opinion of the Committee on Industry, Research and Energy, the "
    "Committee on Culture and Education, the Committee on Legal Affairs, the Committee on the "
    "Environment, Public Health and Food Safety and the Committee on Transport and Tourism,")


@functools.cache
def _real_pdf() -> akn_ep.Resolution:
    return akn_ep.parse_pdf(REAL)


def _rendition(name: str) -> str:
    if name == "pdftotext":
        return ai_act_pdftotext()
    if name == "pdftotext-layout":
        return ai_act_pdftotext("-layout")
    return ai_act_pdfminer()


def _check_resolution(r: akn_ep.Resolution) -> None:
    assert (r.title.split(" of ")[0], r.date.isoformat(), r.procedure) == (
        "European Parliament legislative resolution", "2024-03-13", "2021/0106(COD)")
    assert (len(r.citations), len(r.recitals), [p.num for p in r.paragraphs()]) == (
        10, 0, ["1.", "2.", "3."])
    assert r.citations[3].text == (
        "having regard to the opinion of the European Central Bank of 29 December 2021",
        FootnoteRef(*NOTES[0]), ",")
    assert r.citations[4].text == (
        "having regard to the opinion of the European Economic and Social Committee of 22 "
        "September 2021", FootnoteRef(*NOTES[1]), ",")
    assert r.citations[8].text == (CITATION_9,)
    assert r.body[0].text == (
        "Adopts its position at first reading hereinafter set out", FootnoteRef(*NOTES[2]), ";")
    # the position's 58 notes (and its "+" notes) are numbered again: none is attached
    assert [(n.marker, n.text) for n in iter_footnotes(r)] == NOTES
    assert any("footnote numbering starts again at 1" in w for w in r.report.warnings)


@needs_real
def test_real_pdf_resolution_from_the_pdf():
    _check_resolution(_real_pdf())


@needs_real
@pytest.mark.parametrize("name", ["pdftotext", "pdftotext-layout", "pdfminer"])
def test_real_pdf_resolution_from_each_rendition(name):
    text = _rendition(name)
    r = akn_ep.parse_text(text)
    _check_resolution(r)
    assert_every_word(text, r)


@needs_real
def test_real_pdf_layout_locates_the_calls_and_the_notes():
    layout = read_layout(REAL)
    lines = layout.lines
    # only pages 1-2 hold notes of the resolution; the centred rules under the 13 annex
    # headings are no foot zone (nothing reported as orphan note text), and the position's
    # notes went back to the text where they are printed
    assert {page for _, page, kind, _ in layout.rows if kind == "footnote"} == {1, 2}
    assert {a.kind for a in lines.artefacts} == {"page-break"}
    assert len(layout.warnings) == 1 and "starts again at 1" in layout.warnings[0]
    by_no = {line.no: line.text for line in lines.lines}
    # rows counted by hand on the pages: 1-30 page 1's text, 31-32 its notes; 33-42 page 2's
    # text, 43-44 note 3 (two rows)
    assert lines.footnotes[:3] == tuple(Footnote(m, t, n) for (m, t), n in zip(NOTES, (31, 32, 43),
                                                                             strict=True))
    assert len(lines.footnotes) == 3
    assert [c.line for c in lines.calls] == [18, 20, 38]
    assert [(by_no[c.line][:c.start].endswith(word), by_no[c.line][c.start:c.end],
             by_no[c.line][c.end:]) for c, word in zip(
                 lines.calls, ("29 December 2021", "September 2021", "hereinafter set out"),
                 strict=True)] == [(True, "1", ","), (True, "2", ","), (True, "3", ";")]
    # the split citation: its second half opens page 2, after the page's notes
    assert by_no[33] == ("on the Environment, Public Health and Food Safety and the Committee on "
                         "Transport")


@needs_real
def test_real_pdf_whole_document_converts_and_validates():
    r = _real_pdf()
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert akn_ep.from_akn(xml) == r
    assert_every_word(extract_text(REAL), r)


@needs_real
def test_real_pdf_whole_pdftotext_document_validates():
    for text in (ai_act_pdftotext(), ai_act_pdftotext("-layout")):
        r = akn_ep.parse_text(text)
        assert akn_ep.validate(akn_ep.to_akn(r)) == []


# -- text as the extraction tools print it: CONSTRUCTED inputs, Lines pinned by hand -----------


def _texts(ls) -> list[str]:
    return [line.text for line in ls.lines]


def _notes(ls) -> list[tuple[str, str, int]]:
    return [(f.marker, f.text, f.line) for f in ls.footnotes]


def test_pdftotext_order_numbers_then_bodies_english():
    # CONSTRUCTED, as pdftotext (default mode) prints a Word page foot: the numbers alone,
    # a blank line, the bodies; a citation split by the page break around them
    text = ("The European Parliament,\n"                                        # 1
            "– having regard to its resolution of 15 January 20201,\n"          # 2
            "– having regard to the opinion of the Committee of the Regions2,\n"  # 3
            "– having regard to the opinions of the Committee\n"                # 4
            "\n"
            "1\n"                                                               # 6
            "2\n"                                                               # 7
            "\n"
            "Texts adopted, P9_TA(2020)0005.\n"                                 # 9
            "OJ C 97, 28.2.2022, p. 60.\n"                                      # 10
            "\fon Transport and Tourism,\n"                                     # 11
            "1. Calls on the Commission to act3;\n"                             # 12
            "\n"
            "3\n"                                                               # 14
            "\n"
            "Regulation (EU) 2019/1020 of the European Parliament and of the Council of 20 June\n"
            "2019 on market surveillance (OJ L 169, 25.6.2019, p. 1).\n")
    ls = normalise(text)
    assert _texts(ls) == [
        "The European Parliament,",
        "– having regard to its resolution of 15 January 20201,",
        "– having regard to the opinion of the Committee of the Regions2,",
        "– having regard to the opinions of the Committee",
        "on Transport and Tourism,",
        "1. Calls on the Commission to act3;",
    ]
    assert _notes(ls) == [
        ("1", "Texts adopted, P9_TA(2020)0005.", 6),
        ("2", "OJ C 97, 28.2.2022, p. 60.", 7),
        ("3", "Regulation (EU) 2019/1020 of the European Parliament and of the Council of 20 "
              "June 2019 on market surveillance (OJ L 169, 25.6.2019, p. 1).", 14),
    ]
    assert ls.calls == () and ls.warnings == ()  # glued calls: the parser infers them


def test_pdftotext_order_latvian_bodies_split_where_sentences_end():
    # CONSTRUCTED Latvian page foot, pdftotext's order: two numbers, three body lines; the
    # second note's wrapped line opens with "2019. gada", which is no place to split
    text = ("Eiropas Parlaments,\n"
            "– ņemot vērā savu 2020. gada 15. janvāra rezolūciju1,\n"
            "– ņemot vērā Eiropas Parlamenta un Padomes regulu2,\n"
            "\n"
            "1\n"
            "\n"
            "2\n"
            "\n"
            "Pieņemtie teksti, P9_TA(2020)0005.\n"
            "Eiropas Parlamenta un Padomes Regula (ES) 2019/1020 (pieņemta\n"
            "2019. gada 20. jūnijā).\n"
            "\fA. tā kā ūdensceļi ir svarīgi;\n")
    ls = normalise(text)
    assert _notes(ls) == [
        ("1", "Pieņemtie teksti, P9_TA(2020)0005.", 5),
        ("2", "Eiropas Parlamenta un Padomes Regula (ES) 2019/1020 (pieņemta 2019. gada 20. "
              "jūnijā).", 7),
    ]
    assert _texts(ls)[-1] == "A. tā kā ūdensceļi ir svarīgi;"
    assert ls.warnings == ()


def test_pdftotext_order_ambiguous_split_is_chosen_and_said():
    # CONSTRUCTED German page foot: two numbers, three body lines that all end a sentence
    text = ("Das Europäische Parlament,\n"
            "– unter Hinweis auf seine Entschließung vom 15. Januar 20201,\n"
            "– gestützt auf die Verordnung2,\n"
            "\n"
            "1\n"
            "2\n"
            "\n"
            "ABl. C 1 vom 1.1.2020, S. 1.\n"
            "Verordnung (EU) 2019/1020 über die Marktüberwachung.\n"
            "Siehe auch Richtlinie 2014/90/EU.\n"
            "\fA. in der Erwägung, dass …;\n")
    ls = normalise(text)
    # the shortest line that ends a sentence ends the first note
    assert _notes(ls) == [
        ("1", "ABl. C 1 vom 1.1.2020, S. 1.", 5),
        ("2", "Verordnung (EU) 2019/1020 über die Marktüberwachung. Siehe auch Richtlinie "
              "2014/90/EU.", 6),
    ]
    assert ls.warnings == ("line 8: the bodies of footnotes 1–2 follow their numbers (3 lines "
                           "for 2 notes); where one ends was decided by where a line ends a "
                           "sentence",)


def test_pdftotext_layout_notes_beside_their_numbers_french():
    # CONSTRUCTED, as pdftotext -layout prints a page: markers and hanging indents, the notes
    # with their numbers beside them at the foot; an indented line that starts with a number
    # ("2 États membres") and the numbered paragraphs are text, not notes
    text = ("Le Parlement européen,\n"
            "\n"
            "–    vu sa résolution du 15 janvier 20201,\n"
            "\n"
            "A.   considérant que les voies navigables transportent un dixième du fret, et que\n"
            "     2 États membres n'en ont aucune2;\n"
            "\n"
            "1.   demande à la Commission d'agir;\n"
            "\n"
            "\n"
            "\n"
            "1      Textes adoptés, P9_TA(2020)0005.\n"
            "2      JO C 97 du 28.2.2022, p. 60, et JO C 98 du\n"
            "       1.3.2022, p. 1.\n"
            "\f2.   charge sa Présidente de transmettre la présente résolution.\n")
    ls = normalise(text)
    assert _texts(ls) == [
        "Le Parlement européen,",
        "–    vu sa résolution du 15 janvier 20201,",
        "A.   considérant que les voies navigables transportent un dixième du fret, et que",
        "2 États membres n'en ont aucune2;",
        "1.   demande à la Commission d'agir;",
        "2.   charge sa Présidente de transmettre la présente résolution.",
    ]
    assert _notes(ls) == [
        ("1", "Textes adoptés, P9_TA(2020)0005.", 12),
        ("2", "JO C 97 du 28.2.2022, p. 60, et JO C 98 du 1.3.2022, p. 1.", 13),
    ]


@pytest.mark.parametrize("layout", ["default", "layout"])
def test_numbering_that_starts_again_is_not_attached(layout):
    # CONSTRUCTED: a legislative resolution with notes 1-2, then (as the Parliament's PDF
    # prints its position) a later part whose own notes are numbered again from 1
    if layout == "default":
        foot1 = "\n1\n2\n\nOJ C 115, 11.3.2022, p. 5.\nOJ C 517, 22.12.2021, p. 56.\n"
        foot2 = "\n1\n\nOJ C 97, 28.2.2022, p. 60.\n"
    else:
        foot1 = "\n\n1      OJ C 115, 11.3.2022, p. 5.\n2      OJ C 517, 22.12.2021, p. 56.\n"
        foot2 = "\n\n1      OJ C 97, 28.2.2022, p. 60.\n"
    text = ("The European Parliament,\n"
            "– having regard to the opinion of the European Central Bank of 29 December 20211,\n"
            "1. Adopts its position at first reading hereinafter set out2;\n"
            + foot1 +
            "\fPOSITION OF THE EUROPEAN PARLIAMENT\n"
            "Having regard to the opinion of the Committee of the Regions1,\n"
            + foot2)
    ls = normalise(text)
    assert [(m, t) for m, t, _ in _notes(ls)] == [
        ("1", "OJ C 115, 11.3.2022, p. 5."), ("2", "OJ C 517, 22.12.2021, p. 56.")]
    # the later part's note stays text, where it was printed
    later = ["1", "OJ C 97, 28.2.2022, p. 60."] if layout == "default" else [
        "1      OJ C 97, 28.2.2022, p. 60."]
    assert _texts(ls)[-1 - len(later):] == [
        "Having regard to the opinion of the Committee of the Regions1,", *later]
    assert len(ls.warnings) == 1
    assert "footnote numbering starts again at 1 here (after note 2)" in ls.warnings[0]


@pytest.mark.parametrize("gap", ["", "\n\n"], ids=["glued", "line-before"])
@pytest.mark.parametrize("body", ["OJ L 183, 1.7.2020, p. 1.", "JO L 183 du 1.7.2020, p. 1."])
def test_pdfminer_note_number_glued_or_on_the_line_before(body, gap):
    # CONSTRUCTED, as pdfminer prints a raised note number: glued to the body ("1OJ L 183"),
    # or as a block of its own before the body's block
    text = ("The European Parliament,\n\n– having regard to its resolution on rivers1,\n\n"
            f"A. whereas rivers matter;\n\n\n1{gap}{body}\n\fB. whereas lakes matter;\n")
    ls = normalise(text)
    assert _notes(ls) == [("1", body, 8)]
    assert _texts(ls)[-1] == "B. whereas lakes matter;"


@pytest.mark.parametrize("lang", ["en", "it"])
def test_pdfminer_markers_printed_as_a_column(lang):
    # CONSTRUCTED, as pdfminer's layout analysis prints a Word page with hanging indents:
    # the markers (and the page's note numbers) as a column, then the texts, then the notes
    formula, opener, para, note = {
        "en": ("The European Parliament,", "having regard to", "Calls on the Commission",
               "OJ C 1, 1.1.2020, p. 1."),
        "it": ("Il Parlamento europeo,", "visto", "invita la Commissione",
               "GU C 1 dell'1.1.2020, pag. 1."),
    }[lang]
    text = (f"{formula}\n\n–\n\n–\n\n1.\n\n1\n\n"
            f"{opener} rivers1,\n\n{opener} lakes,\nand seas,\n\n{para} to act;\n\n{note}\n")
    ls = normalise(text)
    assert _texts(ls) == [formula, f"– {opener} rivers1,", f"– {opener} lakes,", "and seas,",
                          f"1. {para} to act;"]
    assert _notes(ls) == [("1", note, 18)]
    assert ls.warnings == ("line 11: 3 item markers were printed apart from their text, as a "
                           "column (lines 3–7, as pdfminer prints a hanging indent); each was "
                           "joined to the text beside it, in order",)


def test_pdftotext_empty_items_are_no_column():
    # CONSTRUCTED: pdftotext prints each marker alone, its text after a blank line; two
    # markers in a row are an empty item, not a column (another marker stands alone)
    text = "The European Parliament,\n–\n\nhaving regard to X,\n\n–\n\n–\n\nhaving regard to Y,\n"
    ls = normalise(text)
    assert _texts(ls) == ["The European Parliament,", "–", "having regard to X,", "–", "–",
                          "having regard to Y,"]
    assert ls.warnings == ()


# -- notes after the text, as copied from the Parliament's web pages (CONSTRUCTED) ----------


def _called(ls) -> list[tuple[str, str, str]]:
    """Each call: (the text before it, its characters, the text after it) in its line."""
    by_no = {line.no: line.text for line in ls.lines}
    return [(by_no[c.line][:c.start], by_no[c.line][c.start:c.end], by_no[c.line][c.end:])
            for c in ls.calls]


def test_web_notes_in_round_brackets_english():
    text = ("European Parliament resolution of 10 March 2021 on rivers (2021/2600(RSP))\n"
            "The European Parliament,\n"
            "– having regard to its resolution of 20 December 2021(1),\n"
            "– having regard to Article 5(1) of the Treaty and to the report of its Committee(2),\n"
            "1. Calls on the Commission to act (3);\n"
            "2. Instructs its President to forward this resolution.\n"
            "(1) Texts adopted, P9_TA(2021)0588.\n"
            "(2) OJ C 115, 11.3.2022,\n"
            "p. 5.\n"
            "(3) OJ C 1.\n")
    ls = normalise(text)
    assert _notes(ls) == [("1", "Texts adopted, P9_TA(2021)0588.", 7),
                          ("2", "OJ C 115, 11.3.2022, p. 5.", 8), ("3", "OJ C 1.", 10)]
    assert _called(ls) == [
        ("– having regard to its resolution of 20 December 2021", "1", ","),
        ("– having regard to Article 5(1) of the Treaty and to the report of its Committee", "2",
         ","),
        ("1. Calls on the Commission to act", "3", ";"),
    ]
    r = akn_ep.parse_text(text)
    assert [p.num for p in r.paragraphs()] == ["1.", "2."] and r.body[1].points == ()
    assert r.citations[1].text[-2:] == (FootnoteRef("2", "OJ C 115, 11.3.2022, p. 5."), ",")
    assert r.report.warnings == ()


def test_web_notes_in_square_brackets_french_and_superscripts_german():
    fr = ("Le Parlement européen,\n"
          "– vu sa résolution du 15 janvier 2020 [1],\n"
          "1. demande à la Commission d'agir[2];\n"
          "[1] Textes adoptés, P9_TA(2020)0005.\n"
          "[2] JO C 97 du 28.2.2022, p. 60.\n")
    ls = normalise(fr)
    assert _notes(ls) == [("1", "Textes adoptés, P9_TA(2020)0005.", 4),
                          ("2", "JO C 97 du 28.2.2022, p. 60.", 5)]
    assert _called(ls) == [("– vu sa résolution du 15 janvier 2020", "1", ","),
                           ("1. demande à la Commission d'agir", "2", ";")]
    de = ("Das Europäische Parlament,\n"
          "– unter Hinweis auf seine Entschließung vom 15. Januar 2020¹,\n"
          "1. fordert die Kommission auf, zu handeln²;\n"
          "¹ Angenommene Texte, P9_TA(2020)0005.\n"
          "² ABl. C 97 vom 28.2.2022, S. 60.\n")
    ls = normalise(de)
    assert [(m, t) for m, t, _ in _notes(ls)] == [("1", "Angenommene Texte, P9_TA(2020)0005."),
                                                  ("2", "ABl. C 97 vom 28.2.2022, S. 60.")]
    assert _called(ls) == [("– unter Hinweis auf seine Entschließung vom 15. Januar 2020", "1",
                            ","), ("1. fordert die Kommission auf, zu handeln", "2", ";")]


def test_web_star_note_italian():
    text = ("Il Parlamento europeo,\n"
            "– visto il regolamento*,\n"
            "1. invita la Commissione ad agire;\n"
            "* GU L 1 dell'1.1.2020, pag. 1.\n")
    ls = normalise(text)
    assert _notes(ls) == [("*", "GU L 1 dell'1.1.2020, pag. 1.", 4)]
    assert _called(ls) == [("– visto il regolamento", "*", ",")]


def test_web_notes_partly_called_are_notes_with_a_warning():
    text = ("The European Parliament,\n"
            "– having regard to its resolution(1),\n"
            "1. Calls on the Commission to act;\n"
            "(1) Texts adopted, P9_TA(2021)0588.\n"
            "(2) OJ C 1.\n")
    ls = normalise(text)
    assert [f.marker for f in ls.footnotes] == ["1", "2"]
    assert [c.marker for c in ls.calls] == ["1"]
    assert ls.warnings == ("line 5: note(s) 2 after the last item have no call in the text; the "
                           "block (lines 4–5) is read as notes because the others are called",)


def test_numbered_lines_never_called_stay_text_with_a_warning():
    text = ("The European Parliament,\n"
            "1. Calls on the Member States:\n"
            "(1) to act;\n"
            "(2) to report.\n")
    ls = normalise(text)
    assert ls.footnotes == () and ls.calls == ()
    assert _texts(ls)[-2:] == ["(1) to act;", "(2) to report."]
    assert ls.warnings == ("line 3: lines 3–4 read as notes 1–2 after the last item, but the "
                           "text calls none of them: kept as text",)


# -- page furniture words, one home: the language tables ---------------------------------------


@pytest.mark.parametrize("furniture", ["Page 2 of 3", "Seite 2 von 3", "str. 2 z 3",
                                       "σελ. 2 από 3", "2. lpp.", "Página 2 de 3"])
def test_page_furniture_words_of_each_language(furniture):
    # CONSTRUCTED two-page text with a page number printed in words at each page's foot
    text = (f"The European Parliament,\n– having regard to X,\n\n{furniture}\n"
            "\fA. whereas Y;\n\n" + furniture.replace("2", "3") + "\n")
    ls = normalise(text)
    assert _texts(ls) == ["The European Parliament,", "– having regard to X,", "A. whereas Y;"]
    assert [(a.kind, a.text) for a in ls.artefacts if a.kind == "page-number"] == [
        ("page-number", furniture), ("page-number", furniture.replace("2", "3"))]


# -- the Parliament's Word layout, typeset: CONSTRUCTED texts (tests/word_pdf.py) ----------------

from word_pdf import Note, Page, Row, word_pdf  # noqa: E402

#: A constructed resolution in three languages, laid out on three pages as Word sets it: the
#: third citation is split by the first page break with notes 1-2 between its halves; note 4
#: begins at page 2's foot and goes on at page 3's, under the continuation rule.
WORD = {
    "en": dict(
        title=("European Parliament resolution of 10 March 2021 on inland waterways",
               "(2021/2600(RSP))"),
        formula="The European Parliament,",
        citations=("having regard to its resolution of 15 January 2020[^1],",
                   "having regard to the opinion of the Committee of the Regions[^2],",
                   ("having regard to the opinions of the Committee on Transport and",
                    "Tourism and of the Committee on Regional Development,")),
        recital=("A.", "whereas inland waterways carry a tenth of the Union's freight[^3];"),
        paragraphs=(("1.", "Calls on the Commission to present a plan for the waterways[^4];"),
                    ("2.", "Instructs its President to forward this resolution to the Council",
                     "and the Commission.")),
        notes=("Texts adopted, P9_TA(2020)0005.", "OJ C 97, 28.2.2022, p. 60.",
               "Regulation (EU) 2019/1020 of the European Parliament and of the Council.",
               ("Commission communication of 3 May 2021 on the future of the waterways",
                "(COM(2021)0250), point 4.")),
    ),
    "fr": dict(
        title=("Résolution du Parlement européen du 10 mars 2021 sur les voies navigables",
               "(2021/2600(RSP))"),
        formula="Le Parlement européen,",
        citations=("vu sa résolution du 15 janvier 2020[^1],",
                   "vu l'avis du Comité des régions[^2],",
                   ("vu les avis de la commission des transports et du tourisme et de la",
                    "commission du développement régional,")),
        recital=("A.", "considérant que les voies navigables transportent un dixième du fret[^3];"),
        paragraphs=(("1.", "demande à la Commission de présenter un plan pour les voies[^4];"),
                    ("2.", "charge sa Présidente de transmettre la présente résolution au Conseil",
                     "et à la Commission.")),
        notes=("Textes adoptés, P9_TA(2020)0005.", "JO C 97 du 28.2.2022, p. 60.",
               "Règlement (UE) 2019/1020 du Parlement européen et du Conseil.",
               ("Communication de la Commission du 3 mai 2021 sur l'avenir des voies",
                "navigables (COM(2021)0250), point 4.")),
    ),
    "lv": dict(
        title=("Eiropas Parlamenta 2021. gada 10. marta rezolūcija par iekšzemes ūdensceļiem",
               "(2021/2600(RSP))"),
        formula="Eiropas Parlaments,",
        citations=("ņemot vērā 2020. gada 15. janvāra rezolūciju[^1],",
                   "ņemot vērā Reģionu komitejas atzinumu[^2],",
                   ("ņemot vērā Transporta un tūrisma komitejas un Reģionālās attīstības",
                    "komitejas atzinumus,")),
        recital=("A.", "tā kā iekšzemes ūdensceļi pārvadā desmito daļu Savienības kravu[^3];"),
        paragraphs=(("1.", "aicina Komisiju iesniegt ūdensceļu plānu[^4];"),
                    ("2.", "uzdod priekšsēdētājam nosūtīt šo rezolūciju Padomei un",
                     "Komisijai.")),
        notes=("Pieņemtie teksti, P9_TA(2020)0005.", "OV C 97, 28.2.2022., 60. lpp.",
               "Eiropas Parlamenta un Padomes Regula (ES) 2019/1020.",
               ("Komisijas 2021. gada 3. maija paziņojums par ūdensceļu nākotni",
                "(COM(2021)0250), 4. punkts.")),
    ),
}


def _word_pages(d: dict) -> list[Page]:
    (c1, c2, (c3a, c3b)) = d["citations"]
    (p1, p2) = d["paragraphs"]
    n1, n2, n3, (n4a, n4b) = d["notes"]
    page1 = Page([Row(d["title"][0]), Row(d["title"][1]), Row(d["formula"], gap=True),
                  Row(c1, "–", gap=True), Row(c2, "–", gap=True), Row(c3a, "–", gap=True)],
                 [Note(n1, "1"), Note(n2, "2")])
    page2 = Page([Row(c3b, hang=True), Row(d["recital"][1], d["recital"][0], gap=True),
                  Row(p1[1], p1[0], gap=True)],
                 [Note(n3, "3"), Note(n4a, "4")])
    page3 = Page([Row(p2[1], p2[0], gap=True), Row(p2[2], hang=True)], [Note(n4b)],
                 continued=True)
    return [page1, page2, page3]


def _word_clean_text(d: dict) -> str:
    """The same resolution as clean text (one item a line, notes after), written out."""
    (c1, c2, (c3a, c3b)) = d["citations"]
    (p1, p2) = d["paragraphs"]
    n1, n2, n3, (n4a, n4b) = d["notes"]

    def calls(text: str) -> str:  # "X[^1]," → "X1,": a call glued, as extracted text prints it
        return re.sub(r"\[\^([^\]]+)\]", r"\1", text)

    return "\n".join([
        " ".join(d["title"]), d["formula"], "– " + calls(c1), "– " + calls(c2),
        f"– {c3a} {c3b}", f"{d['recital'][0]} {calls(d['recital'][1])}",
        f"{p1[0]} {calls(p1[1])}", f"{p2[0]} {p2[1]} {p2[2]}", "",
        f"1  {n1}", f"2  {n2}", f"3  {n3}", f"4  {n4a} {n4b}", ""])


def _font(lang: str) -> str:
    if lang != "lv":
        return "Helvetica"
    from pdf_fixtures import DEJAVU_DIR, dejavu

    fonts = dejavu()
    if fonts is None:
        pytest.skip(f"DejaVu Sans not installed in {DEJAVU_DIR} (Debian: fonts-dejavu-core); "
                    "reportlab's standard fonts lack Latvian letters")
    return fonts[0]


@pytest.mark.parametrize("note_size", [12.0, 10.0])
@pytest.mark.parametrize("lang", ["en", "fr", "lv"])
def test_word_layout_pdf(lang, note_size):
    d = WORD[lang]
    data = word_pdf(_word_pages(d), font=_font(lang), note_size=note_size)
    lines = read_layout(data).lines
    n1, n2, n3, (n4a, n4b) = d["notes"]
    # rows by hand: page 1: title 1-2, formula 3, citations 4-6, notes 7-8; page 2: 9-11,
    # notes 12-13; page 3: 14-15, the rest of note 4 16
    assert lines.footnotes == (Footnote("1", n1, 7), Footnote("2", n2, 8),
                               Footnote("3", n3, 12), Footnote("4", f"{n4a} {n4b}", 13))
    assert [(c.line, c.marker) for c in lines.calls] == [(4, "1"), (5, "2"), (10, "3"),
                                                         (11, "4")]
    by_no = {line.no: line.text for line in lines.lines}
    assert all(by_no[c.line][c.start:c.end] == c.marker and by_no[c.line][c.end] in ",;"
               for c in lines.calls)
    assert sorted(by_no) == [1, 2, 3, 4, 5, 6, 9, 10, 11, 14, 15]
    assert by_no[9] == d["citations"][2][1]
    r = akn_ep.parse_pdf(data)
    assert r == akn_ep.parse_text(_word_clean_text(d))
    assert [n.text for n in iter_footnotes(r)] == [n1, n2, n3, f"{n4a} {n4b}"]
    assert r.report.warnings == ()


@pytest.mark.parametrize("motto", ["EN United in diversity EN", "DE In Vielfalt geeint DE",
                                   "LV Vienoti daudzveidībā LV", "EL Ενωμένη στην πολυμορφία EL"])
def test_page_footer_motto_of_each_language(motto):
    # CONSTRUCTED two-page text with the Parliament's footer motto at each page's foot
    text = (f"The European Parliament,\n– having regard to X,\n\n{motto}\n"
            f"\fA. whereas Y;\n\n{motto}\n")
    ls = normalise(text)
    assert _texts(ls) == ["The European Parliament,", "– having regard to X,", "A. whereas Y;"]
    assert [(a.kind, a.text) for a in ls.artefacts if a.kind != "page-break"] == [
        ("running-header", motto), ("running-header", motto)]


@pytest.mark.parametrize("tool", ["pdftotext", "pdftotext-layout", "pdfminer"])
@pytest.mark.parametrize("lang", ["en", "fr", "lv"])
def test_word_layout_pdf_through_each_extraction_tool(lang, tool, tmp_path):
    # the CONSTRUCTED Word-layout PDF above, extracted as people extract the Parliament's
    # PDFs: each tool's text gives the model the PDF gives (the continued note 4 included)
    d = WORD[lang]
    path = tmp_path / f"word-{lang}.pdf"
    path.write_bytes(word_pdf(_word_pages(d), font=_font(lang)))
    if tool == "pdfminer":
        from pdfminer.high_level import extract_text as pdfminer_extract

        text = pdfminer_extract(str(path))
    else:
        exe = pdftotext_exe()  # skips (or fails under CI) saying why
        options = ["-layout"] if tool == "pdftotext-layout" else []
        text = subprocess.run([exe, *options, "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, timeout=60).stdout.decode("utf-8")
    r = akn_ep.parse_text(text)
    assert r == akn_ep.parse_pdf(path) == akn_ep.parse_text(_word_clean_text(d))
    assert_every_word(text, r)
    assert any("read as the rest of footnote 4, continued from the page before" in w
               for w in r.report.warnings)


def test_note_continued_on_the_next_page_french():
    # CONSTRUCTED, pdftotext's default order: note 1 stops mid-sentence at page 1's end and
    # goes on in the last block of page 2; an item's text after its lone marker never does
    page1 = ("Le Parlement européen,\n–\n\nvu sa résolution du 15 janvier 20201,\n\n1\n\n"
             "Communication de la Commission sur l'avenir des voies\n")
    ls = normalise(page1 + "\fA.\n\nconsidérant que …;\n\n(COM(2021)0250), point 4.\n")
    assert _notes(ls) == [
        ("1", "Communication de la Commission sur l'avenir des voies (COM(2021)0250), point 4.",
         6)]
    assert _texts(ls) == ["Le Parlement européen,", "–", "vu sa résolution du 15 janvier 20201,",
                          "A.", "considérant que …;"]
    assert ls.warnings == ("line 13: read as the rest of footnote 1, continued from the page "
                           "before (where it stopped mid-sentence at the page's end)",)
    ls = normalise(page1 + "\fA.\n\nconsidérant que …;\n\n1.\n\ndemande à la Commission;\n")
    assert _texts(ls)[-2:] == ["1.", "demande à la Commission;"]
    assert ls.warnings == ()
