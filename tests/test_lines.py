"""Unit tests of the normaliser (:mod:`akn_ep.text.lines`): page furniture, footnote blocks,
hyphens.  The snippets are CONSTRUCTED (fictional wording in the style of EP resolutions);
every expectation is read off the snippet itself.
"""

from __future__ import annotations

import pytest

from akn_ep.model import Artefact
from akn_ep.text.lines import CALL_RE, YEAR_CALL_RE, Line, iter_calls, join_lines, normalise


def texts(ls) -> list[str]:
    return [ln.text for ln in ls.lines]


def arts(ls, kind: str) -> list[tuple[int, str]]:
    return [(a.line, a.text) for a in ls.artefacts if a.kind == kind]


# -- page numbers and running headers ---------------------------------------------------

PAGES = (
    "A. whereas rivers flow;\n"             # 1
    "B. whereas wetlands store water;\n"    # 2
    "3\n"                                   # 3  mid-page: text, not a page number
    "C. whereas floods happen;\n"           # 4
    "D. whereas droughts happen;\n"         # 5
    "\n"                                    # 6
    "                 1\n"                  # 7  page number at the foot
    "\fE. whereas ports matter;\n"          # 8
    "F. whereas data are lacking;\n"        # 9
    "G. whereas jobs depend on rivers;\n"   # 10
    "H. whereas bogs store carbon;\n"       # 11
    "- 2 -\n"                               # 12 page number in dashes
    "\fI. whereas money is short;\n"        # 13
    "J. whereas time is short;\n"           # 14
    "K. whereas help is needed;\n"          # 15
    "3/3\n"                                 # 16 page number "3/3" at the end of the text
)


def test_page_numbers_near_page_breaks_are_removed_and_reported():
    ls = normalise(PAGES)
    assert arts(ls, "page-number") == [(7, "1"), (12, "- 2 -"), (16, "3/3")]
    assert arts(ls, "page-break") == [(8, "\f"), (13, "\f")]
    assert "1" not in texts(ls) and "- 2 -" not in texts(ls) and "3/3" not in texts(ls)


def test_a_bare_number_mid_page_is_text():
    ls = normalise(PAGES)
    assert "3" in texts(ls)
    assert [ln.no for ln in ls.lines if ln.text == "3"] == [3]


def test_page_break_flag_and_line_numbers():
    ls = normalise(PAGES)
    first_of_page = [ln.no for ln in ls.lines if ln.page_break]
    assert first_of_page == [8, 13]
    assert ls.source_lines == 17


def test_single_page_number_mid_text_without_form_feed_is_kept():
    text = "A. whereas one;\n\n2\n\nB. whereas two;\n"
    assert texts(normalise(text)) == ["A. whereas one;", "2", "B. whereas two;"]


def test_pe_reference_is_a_running_header_anywhere():
    text = "A. whereas one;\nPE123.456v01-00\nB. whereas two;\n"
    ls = normalise(text)
    assert texts(ls) == ["A. whereas one;", "B. whereas two;"]
    assert arts(ls, "running-header") == [(2, "PE123.456v01-00")]


def test_repeated_edge_lines_are_running_headers():
    footer = "Texts adopted - Thursday, 11 March 2021"
    pages = [
        f"A. whereas one;\nB. whereas two;\nC. whereas three;\n{footer}\n",
        f"D. whereas four;\nE. whereas five;\nF. whereas six;\n{footer}\n",
        f"G. whereas seven;\nH. whereas eight;\nI. whereas nine;\n{footer}\n",
    ]
    ls = normalise("\f".join(pages))
    assert footer not in texts(ls)
    assert arts(ls, "running-header") == [(4, footer), (8, footer), (12, footer)]
    assert len(ls.lines) == 9


def test_a_line_repeated_mid_page_is_not_a_header():
    line = "– having regard to Rule 132(2) of its Rules of Procedure,"
    pages = [f"Title\nX\n{line}\nY\nZ\n", f"P\nQ\n{line}\nR\nS\n"]
    ls = normalise("\f".join(pages))
    assert texts(ls).count(line) == 2
    assert arts(ls, "running-header") == []


def test_blank_lines_and_indents_are_counted():
    ls = normalise("a\n\n\n   b\n\tc\n")
    assert ls.lines == (
        Line(1, "a", 0, 0, False),
        Line(4, "b", 3, 2, False),
        Line(5, "c", 1, 0, False),
    )


# -- footnote blocks ----------------------------------------------------------------------


def test_footnote_block_needs_a_matching_glued_call():
    note = "1  Texts adopted, P7_TA(2011)0588.\n"
    with_call = "– having regard to its resolution on rivers1,\n\n" + note
    ls = normalise(with_call)
    assert [(f.marker, f.text, f.line) for f in ls.footnotes] == [
        ("1", "Texts adopted, P7_TA(2011)0588.", 3)
    ]
    assert texts(ls) == ["– having regard to its resolution on rivers1,"]

    without = "– having regard to its resolution on rivers,\n\n" + note
    ls = normalise(without)
    assert ls.footnotes == ()
    assert texts(ls)[-1] == "1  Texts adopted, P7_TA(2011)0588."


def test_footnote_numbers_must_follow_in_order():
    text = "– on rivers1,\n– on lakes2,\n\n2 COM(2020)0652.\n1 Texts adopted.\n"
    ls = normalise(text)
    assert [f.marker for f in ls.footnotes] == []  # "2" first: it is not a footnote start
    text = "– on rivers1,\n– on lakes2,\n\n1 Texts adopted.\n2 COM(2020)0652.\n"
    ls = normalise(text)
    assert [f.marker for f in ls.footnotes] == ["1", "2"]


def test_numbers_in_footnote_bodies_are_not_calls():
    # "P7_TA(2011)0588" in the body of note 1 does not make a later "58 …" line a note
    text = ("– on rivers1,\n\n1  Texts adopted, P7_TA(2011)0588.\n\f"
            "A. whereas 58 ports\n\n58 ports were closed;\n")
    ls = normalise(text)
    assert [f.marker for f in ls.footnotes] == ["1"]
    assert texts(ls)[-1] == "58 ports were closed;"


def test_wrapped_footnote_body():
    text = ("D. whereas the Directive3 applies;\n\n"
            "3    Directive 2000/60/EC of the European Parliament and of the Council of 23\n"
            "     October 2000 establishing a framework for Community action in the field of\n"
            "     water policy (OJ L 327, 22.12.2000, p. 1).\n"
            "\fE. whereas more;\n")
    ls = normalise(text)
    assert len(ls.footnotes) == 1
    assert ls.footnotes[0].text == (
        "Directive 2000/60/EC of the European Parliament and of the Council of 23 October "
        "2000 establishing a framework for Community action in the field of water policy "
        "(OJ L 327, 22.12.2000, p. 1)."
    )
    assert texts(ls) == ["D. whereas the Directive3 applies;", "E. whereas more;"]


def test_a_wrapped_line_starting_with_the_expected_number_stays_text_when_double_spaced():
    # pdfminer layout: one blank line between all lines; a call 4 was printed, but the
    # line "4 Member States …" continues the sentence, it is no footnote block
    text = ("2. Notes the floods; \n\n"
            "3. Recalls the report of the Agency4 and that, in total, \n\n"
            "4 Member States declared a state of emergency; \n\n"
            "4. Calls for action; \n\n"
            " \n"
            "4  European Environment Agency, report, 2020. \n\n\n\n"
            "5. Regrets the delay; \n\n")
    ls = normalise(text)
    assert "4 Member States declared a state of emergency;" in texts(ls)
    assert [(f.marker, f.line) for f in ls.footnotes] == [("4", 10)]


def test_a_wrapped_line_starting_with_the_expected_number_stays_text_in_layout():
    # pdftotext -layout: the wrapped line has no blank line before it
    text = ("3.   Recalls the report of the Agency4 and that, in total,\n"
            "     4 Member States declared a state of emergency;\n"
            "4.   Calls for action;\n"
            "\n"
            "4    European Environment Agency, report, 2020.\n"
            "\f5.   Regrets the delay;\n")
    ls = normalise(text)
    assert "4 Member States declared a state of emergency;" in texts(ls)
    assert [(f.marker, f.line) for f in ls.footnotes] == [("4", 5)]


def test_layout_footnote_without_blank_line_needs_a_column_gap_and_the_page_end():
    base = ("–    having regard to its resolution on lakes1,\n"
            "A.   whereas rivers matter and\n"
            "{note}\n"
            "{after}     flow;\n"
            "B.   whereas lakes matter;\n")
    ls = normalise(base.format(note="1    Texts adopted, P9_TA(2020)0001.", after="\f"))
    assert [(f.marker, f.line) for f in ls.footnotes] == [("1", 3)]
    # no column gap: a wrapped line; no page end: text goes on
    for note, after in (("1 Texts adopted, P9_TA(2020)0001.", "\f"),
                        ("1    Texts adopted, P9_TA(2020)0001.", "")):
        ls = normalise(base.format(note=note, after=after))
        assert ls.footnotes == () and note in texts(ls)


def test_footnote_block_in_the_middle_of_a_recital_without_form_feed():
    # the seed's shape: a separator line of spaces, the notes, then three blank lines
    text = ("A. whereas the Union and the region could both gain from \n\n"
            "– the strategy for the region1, \n\n"
            "                      \n"
            "1  Texts adopted, P7_TA(2011)0588. \n\n\n\n"
            "closer cooperation; \n\n")
    ls = normalise(text)
    assert [(f.marker, f.text) for f in ls.footnotes] == [
        ("1", "Texts adopted, P7_TA(2011)0588.")
    ]
    after = [ln for ln in ls.lines if ln.text == "closer cooperation;"][0]
    assert after.page_break and after.blank_before == 3


def test_footnote_body_ending_with_a_colon():
    text = "– having regard to its resolution on rivers1,\n\n1  See the following:\n"
    ls = normalise(text)
    assert [(f.marker, f.text) for f in ls.footnotes] == [("1", "See the following:")]
    assert texts(ls) == ["– having regard to its resolution on rivers1,"]


def test_broken_words_in_footnote_bodies_are_joined_like_items():
    text = ("– having regard to the Directive establishing a framework1,\n"
            "A. whereas the socio-economic cost is high;\n"
            "\n"
            "1    Directive 2000/60/EC of the European Parliament and of the Council estab-\n"
            "     lishing a framework for socio-\n"
            "     economic action in the field of water policy (OJ L 327, 22.12.2000, p. 1).\n"
            "\fB. whereas more;\n")
    ls = normalise(text)
    assert [f.text for f in ls.footnotes] == [
        "Directive 2000/60/EC of the European Parliament and of the Council establishing a "
        "framework for socio-economic action in the field of water policy (OJ L 327, "
        "22.12.2000, p. 1)."
    ]
    # the broken word is reported on the line that printed the hyphen; "socio-" is a real one
    assert arts(ls, "hyphenation") == [(4, "-")]


def test_a_hyphen_in_a_footnote_stays_when_the_word_is_not_used_elsewhere():
    text = ("– having regard to its resolution1,\n\n"
            "1    Texts adopted on cross-\n     border rivers.\n")
    ls = normalise(text)
    assert [f.text for f in ls.footnotes] == ["Texts adopted on cross-border rivers."]
    assert arts(ls, "hyphenation") == []


@pytest.mark.parametrize("page_end", ["\f", "\n\n               1\n\f", ""])
def test_footnote_number_alone_on_its_line(page_end):
    # pdftotext may print a page foot's footnote number on its own line, the body below
    text = ("– having regard to its resolution on rivers1,\n"
            "– having regard to its resolution on lakes2,\n"
            "A. whereas rivers matter;\n"
            "\n"
            "1\n"
            "Texts adopted, P7_TA(2011)0588.\n"
            "2\n"
            "Texts adopted, P7_TA(2012)0001.\n"
            f"{page_end}B. whereas lakes matter;\n")
    ls = normalise(text)
    assert [(f.marker, f.text, f.line) for f in ls.footnotes] == [
        ("1", "Texts adopted, P7_TA(2011)0588.", 5),
        ("2", "Texts adopted, P7_TA(2012)0001.", 7),
    ]
    assert texts(ls) == [
        "– having regard to its resolution on rivers1,",
        "– having regard to its resolution on lakes2,",
        "A. whereas rivers matter;",
        "B. whereas lakes matter;",
    ]
    assert arts(ls, "page-number") == ([(11, "1")] if "1\n\f" in page_end else [])


def test_number_alone_without_a_call_is_no_footnote():
    text = ("– having regard to its resolution on rivers,\n"
            "A. whereas rivers matter;\n"
            "\n"
            "1\n"
            "Texts adopted, P7_TA(2011)0588.\n"
            "\fB. whereas lakes matter;\n")
    ls = normalise(text)
    assert ls.footnotes == ()
    # at a page's foot a bare number without a call is a page number, as before
    assert arts(ls, "page-number") == [(4, "1")]
    assert "Texts adopted, P7_TA(2011)0588." in texts(ls)


# -- calls --------------------------------------------------------------------------------


@pytest.mark.parametrize("text,calls", [
    ("the strategy for Central Asia1,", ["1"]),
    ("the Council2 and", ["2"]),
    ("(ECHR)3;", ["3"]),
    ("the ‘Union’4.", ["4"]),
    ("d'5 aa", ["5"]),
    ("of 24 February 20211,", ["1"]),
    ("of 18 March 202112.", ["12"]),
    ("Rule 110(4) of its Rules", []),
    ("Texts adopted, P7_TA(2011)0588.", []),
    ("1999. gadā", []),
    ("C9-0401/2020, 22.12.2000, 12345 km", []),
    ("COVID-19 and 2021", []),
    ("by 25 %2, and", ["2"]),
    ("by 25%3.", ["3"]),
    ("the Member States'4 plans", ["4"]),
    ("την ξηρασία5·", ["5"]),
    ("of 24 February 20216·", ["6"]),
])
def test_calls(text, calls):
    assert [c[2] for c in iter_calls(text)] == calls


def test_iter_calls_agrees_with_the_documented_patterns():
    from pathlib import Path

    from akn_ep.text.lines import _plausible_call

    samples = [ln for p in sorted((Path(__file__).parent / "data").glob("*.txt"))
               for ln in p.read_text(encoding="utf-8", errors="replace").splitlines()]
    samples += ["x1 y22, z333; w4444 (a)5 ‘q’6 G7 H5N1 d'8 20219 202110 2021100 /20211",
                "1a a1a é1 Ω2) 19991. 1999 20001 x20001", "25 %2, 3 % 4%5· %%6 x7·y"]
    for line in samples:
        want = sorted(
            [(m.start(1), m.end(1), m.group(1), False) for m in CALL_RE.finditer(line)
             if _plausible_call(line, m.start(1))]
            + [(m.start(1), m.end(1), m.group(1), True) for m in YEAR_CALL_RE.finditer(line)]
        )
        assert iter_calls(line) == want, line


def test_no_call_inside_a_reference_or_a_bare_year():
    # what production runs (iter_calls), not the documenting patterns themselves
    assert iter_calls("P7_TA(2011)0588") == []
    assert iter_calls("2021") == []
    assert iter_calls("2021/2745(RSP)") == []


# -- hyphens ------------------------------------------------------------------------------


def test_line_end_hyphen_joined_only_for_a_known_word():
    vocab = {"protection", "wetlands"}
    assert join_lines([(1, "the pro-"), (2, "tection of")], vocab) == (
        "the protection of", [Artefact(1, "hyphenation", "-")])
    assert join_lines([(1, "require cross-"), (2, "border cooperation")], vocab) == (
        "require cross-border cooperation", [])
    # a dash standing alone at the end is no hyphen
    assert join_lines([(1, "rivers -"), (2, "and lakes")], vocab)[0] == "rivers - and lakes"
    # a capital after the hyphen: a compound with a name
    assert join_lines([(1, "non-"), (2, "EU countries")], {"noneu"})[0] == "non-EU countries"


def test_hyphenation_is_reported_on_the_line_that_printed_it():
    # double-spaced source: the parts are lines 10 and 12
    assert join_lines([(10, "the pro-"), (12, "tection")], {"protection"})[1] == [
        Artefact(10, "hyphenation", "-")
    ]


def test_soft_hyphen_at_a_line_end_is_always_removed():
    text, found = join_lines([(3, "eco\u00ad"), (4, "nomic growth")])
    assert text == "economic growth"
    assert found == [Artefact(3, "hyphenation", "\u00ad")]


def test_soft_hyphen_inside_a_line_is_removed_and_reported():
    ls = normalise("A. whereas eco\u00adnomic growth matters;\n")
    assert texts(ls) == ["A. whereas economic growth matters;"]
    assert arts(ls, "hyphenation") == [(1, "\u00ad")]


def test_reference_broken_at_its_hyphen_is_joined_without_space():
    assert join_lines([(1, "(C6-"), (2, "0275/2008),")])[0] == "(C6-0275/2008),"


def test_lost_hyphen_in_a_reference_is_restored():
    ls = normalise("– having regard to the Council's request (C60275/2008),\n")
    assert texts(ls) == ["– having regard to the Council's request (C6-0275/2008),"]
    assert arts(ls, "lost-hyphen-restored") == [
        (1, "– having regard to the Council's request (C60275/2008),")
    ]


def test_references_that_are_fine_are_left_alone():
    line = "– having regard to (C6-0275/2008) and 12418/2012 and A70060/14,"
    ls = normalise(line + "\n")
    assert texts(ls) == [line]
    assert ls.artefacts == ()
