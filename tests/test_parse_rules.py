"""The parser through its hand-off, rule by rule, with hand-built :class:`akn_ep.lines.Lines`.

Every input here is constructed (written for the test, in the layout the Parliament's
texts use); expected values are written by hand.
"""

from __future__ import annotations

import pytest

from akn_ep.errors import ParseError
from akn_ep.lines import Call, Footnote, Line, Lines
from akn_ep.model import FootnoteRef
from akn_ep.text.parse import TABLES, Section, parse
from akn_ep.warning import ParseWarning

TITLE = "European Parliament resolution of 15 March 2012 on water (2012/2553(RSP))"
FORMULA = "The European Parliament,"
CLOSING = "Instructs its President to forward this resolution to the Council."
OJ1 = "OJ C 115, 11.3.2022, p. 5."
OJ2 = "Texts adopted, P9_TA(2021)0001."


def lines(*texts: str, footnotes=(), calls=()) -> Lines:
    """Numbered lines 1, 2, … (a constructed text), with the given notes and calls."""
    return Lines(lines=tuple(Line(i, t) for i, t in enumerate(texts, 1)),
                 footnotes=tuple(footnotes), calls=tuple(calls), source_lines=len(texts) + 3)


def call(ls_texts: tuple[str, ...], line: int, printed: str, marker: str) -> Call:
    """The Call for ``printed`` (e.g. " (1)") on ``line`` of the constructed text."""
    start = ls_texts[line - 1].index(printed)
    return Call(line=line, start=start, end=start + len(printed), marker=marker)


# -- the tables ------------------------------------------------------------------------
def test_every_section_has_its_ordered_table():
    assert [r.name for r in TABLES[Section.CITATIONS]] == [
        "citation-dash", "recital", "paragraph", "citation", "first-heading"]
    assert [r.name for r in TABLES[Section.BODY]] == [
        "first-point", "point-dash", "paragraph", "closing-notes", "point", "heading", "closing"]
    assert all(TABLES[s] for s in Section)


def test_silent_probe_changes_nothing():
    from akn_ep import languages
    from akn_ep.text.parse.rules import paragraph, recital
    from akn_ep.text.parse.state import State

    st = State(lines(TITLE), languages.get("en"), None, True)
    st.lines = (Line(3, "A. whereas X;"),)
    assert recital(st, st.lines[0], True) is True
    assert st.blocks == [] and st.next_recital == 0
    assert paragraph(st, Line(4, "1. Calls"), True) is True
    assert st.blocks == [] and st.next_para == 1


# -- footnote calls the route located (Lines.calls) ------------------------------------
def test_located_calls_attach_each_body_exactly_there():
    texts = (TITLE, FORMULA,
             "– having regard to its resolution of 24 February 2011 (1),",
             "A. whereas the rivers of Asia1 are drying [2];",
             "1. " + CLOSING)
    ls = lines(*texts, footnotes=[Footnote("1", OJ1, 7), Footnote("2", OJ2, 8)],
               calls=[call(texts, 3, " (1)", "1"), call(texts, 4, " [2]", "2")])
    r = parse(ls, lang="en")
    assert r.citations[0].text == (
        "having regard to its resolution of 24 February 2011", FootnoteRef("1", OJ1), ",")
    # "Asia1" is not inferred as a call: the route said where the calls are
    assert r.recitals[0].text == (
        "whereas the rivers of Asia1 are drying", FootnoteRef("2", OJ2), ";")
    assert r.warnings == ()


def test_located_call_in_a_paragraphs_first_line_and_a_wrapped_line():
    texts = (TITLE, FORMULA, "– having regard to Rule 132(2),",
             "1. Calls on the Commission*",
             "to act on water scarcity2 and drought3;",
             "2. " + CLOSING)
    ls = lines(*texts,
               footnotes=[Footnote("*", "Corrigendum.", 9), Footnote("2", OJ1, 10),
                          Footnote("3", OJ2, 11)],
               calls=[call(texts, 4, "*", "*"), call(texts, 5, "2 ", "2"),
                      call(texts, 5, "3", "3")])
    r = parse(ls, lang="en")
    assert r.body[0].text == ("Calls on the Commission", FootnoteRef("*", "Corrigendum."),
                              " to act on water scarcity", FootnoteRef("2", OJ1),
                              "and drought", FootnoteRef("3", OJ2), ";")


def test_located_calls_with_numbering_that_restarts():
    texts = (TITLE, FORMULA, "– having regard to A(1) and B(2),",
             "– having regard to C(1),", "1. " + CLOSING)
    notes = [Footnote("1", "first one.", 7), Footnote("2", "second.", 8),
             Footnote("1", "first again.", 9)]
    ls = lines(*texts, footnotes=notes,
               calls=[call(texts, 3, "(1)", "1"), call(texts, 3, "(2)", "2"),
                      call(texts, 4, "(1)", "1")])
    # each call takes the next unused body of its marker: the third call the third body
    from akn_ep.text.parse.footnotes import _next_body
    used = [True, True, False]
    assert _next_body(tuple(notes), used, "1", 2) == 2
    assert _next_body(tuple(notes), [True, False, False], "1", 1) == 2
    # the model holds one footnote per marker today (model.py): a restart is refused,
    # typed and clear, rather than attached wrong
    with pytest.raises(ParseError, match="footnote '1' is attached twice"):
        parse(ls, lang="en")


def test_a_located_call_without_a_body_is_kept_and_said():
    texts = (TITLE, FORMULA, "– having regard to A(1),", "1. " + CLOSING)
    r = parse(lines(*texts, calls=[call(texts, 3, "(1)", "1")]), lang="en")
    assert r.citations[0].text == ("having regard to A(1),",)
    assert r.warnings == ("line 3: footnote call 1 has no footnote body; kept as printed",)
    assert isinstance(r.warnings[0], ParseWarning) and r.warnings[0].line == 3


def test_a_body_without_a_located_call_is_attached_before_it_and_said():
    texts = (TITLE, FORMULA, "– having regard to A(1),", "– having regard to B,",
             "1. " + CLOSING)
    ls = lines(*texts, footnotes=[Footnote("1", OJ1, 7), Footnote("2", OJ2, 8)],
               calls=[call(texts, 3, "(1)", "1")])
    r = parse(ls, lang="en")
    assert r.body[0].text == (CLOSING, FootnoteRef("2", OJ2))
    assert r.warnings == ("line 8: footnote 2 has no call in the text; attached at the end "
                          "of the preceding item",)


def test_without_located_calls_glued_digits_are_still_inferred():
    texts = (TITLE, FORMULA, "– having regard to Asia1,", "1. " + CLOSING)
    r = parse(lines(*texts, footnotes=[Footnote("1", OJ1, 7)]), lang="en")
    assert r.citations[0].text == ("having regard to Asia", FootnoteRef("1", OJ1), ",")


# -- warnings are values -------------------------------------------------------------------
def test_warnings_are_values_with_their_line_and_rule():
    texts = (TITLE, FORMULA, "– having regard to A,", "1. Calls for B;", "3. " + CLOSING)
    r = parse(lines(*texts), lang="en", strict=False)
    w = r.warnings[0]
    assert (w.message, w.line, w.rule) == ("paragraph 3 where 2 was expected", 5,
                                           "paragraph-sequence")
    assert str(w) == "line 5: paragraph 3 where 2 was expected"
    with pytest.raises(ParseError):
        parse(lines(*texts), lang="en")


def test_what_decoding_repaired_reaches_the_report_first():
    import akn_ep

    # constructed: a control character (U+0007) in a citation, and a text in cp1252
    text = f"{TITLE}\n{FORMULA}\n– having regard to Rule\x07 110,\n1. {CLOSING}\n"
    r = akn_ep.parse_text(text.encode("utf-8"), lang="en")
    assert r.warnings[0].rule == "decode" and r.warnings[0].line is None
    assert r.warnings[0].startswith("decoding: replaced 1 control character(s)")
    r = akn_ep.parse_text(text.replace("\x07", "").replace("Rule", "Règle").encode("cp1252"),
                          lang="en")
    assert r.warnings == ("decoding: not UTF-8: detected legacy code page cp1252",)
    # NFC is a normalisation, not a repair: no warning
    r = akn_ep.parse_text(text.replace("\x07", "").replace("Rule", "Re\u0300gle"), lang="en")
    assert r.warnings == () and "Règle" in r.citations[0].text[0]


def test_a_number_alone_inside_an_item_is_kept_and_said():
    # pdftotext's default order can leave note numbers on lines of their own ("1", "2")
    texts = (TITLE, FORMULA, "– having regard to its resolution of 24 February 2011,",
             "1. Calls for action on", "2", "water;", "2. " + CLOSING)
    r = parse(lines(*texts), lang="en")
    assert r.body[0].text == ("Calls for action on 2 water;",)
    assert [p.num for p in r.paragraphs()] == ["1.", "2."]
    assert r.warnings == ("line 5: a number alone on its line ('2') is kept as text of the "
                          "paragraph before it (a footnote or page number?)",)


def test_a_warning_is_its_text_for_json_pickle_and_printing():
    import json
    import pickle

    w = ParseWarning("paragraph 3 where 2 was expected", line=5, rule="paragraph-sequence")
    assert json.dumps([w]) == '["line 5: paragraph 3 where 2 was expected"]'
    back = pickle.loads(pickle.dumps(w))
    assert (back, back.line, back.rule) == (w, 5, "paragraph-sequence")
    assert f"{w}" == "line 5: paragraph 3 where 2 was expected"
    with pytest.raises(AttributeError):
        w.line = 6  # type: ignore[misc]
    assert str(w.located("page 2, line 3")) == (
        "line 5 (page 2, line 3): paragraph 3 where 2 was expected")


# -- each rule, through the hand-off -------------------------------------------------------
def outline(r) -> list[str]:
    """The structure of a model as short hand-written lines: 'C', 'R A.', 'P 1.', …"""
    out = [f"C {c.text[0]}" for c in r.citations]
    out += [f"R {x.num} {x.text[0]}" for x in r.recitals]

    def points(ps, depth):
        for p in ps:
            out.append(f"{'  ' * depth}pt {p.num} {p.text[0] if p.text else ''}".rstrip())
            points(p.points, depth + 1)

    for item in r.body:
        if hasattr(item, "paragraphs"):
            out.append(f"H {item.num or ''} {item.text}".replace("  ", " "))
            paras = item.paragraphs
        else:
            paras = (item,)
        for p in paras:
            out.append(f"P {p.num} {p.text[0] if p.text else ''}".rstrip())
            points(p.points, 1)
    out += [f"X {a.title}" for a in r.annexes]
    out += [f"T {t[0]}" for t in r.trailing]
    return out


RULE_CASES = {
    "citation-dash": (["– having regard to A,"], ["C having regard to A,"]),
    "citation": (["having regard to A,"], ["C having regard to A,"]),
    "recital": (["– having regard to A,", "A. whereas B;", "B. whereas C;"],
                ["C having regard to A,", "R A. whereas B;", "R B. whereas C;"]),
    "paragraph": (["1. Calls for X;"], ["P 1. Calls for X;"]),
    "point": (["1. Calls for:", "(a) X;", "(b) Y;"],
              ["P 1. Calls for:", "  pt (a) X;", "  pt (b) Y;"]),
    "point-sub": (["1. Calls for:", "(a) X:", "(i) Y;", "(ii) Z;", "(b) W;"],
                  ["P 1. Calls for:", "  pt (a) X:", "    pt (i) Y;", "    pt (ii) Z;",
                   "  pt (b) W;"]),
    "point-dash": (["1. Calls for:", "– X,", "– Y;"],
                   ["P 1. Calls for:", "  pt – X,", "  pt – Y;"]),
    "first-point": (["1.", "(a) X;", "(b) Y;"], ["P 1.", "  pt (a) X;", "  pt (b) Y;"]),
    "heading": (["1. Calls for X;", "II. Water quality", "2. Asks for Y;"],
                ["P 1. Calls for X;", "H II. Water quality", "P 2. Asks for Y;"]),
    "first-heading": (["– having regard to A,", "Water quality", "1. Calls for X;"],
                      ["C having regard to A,", "H Water quality", "P 1. Calls for X;"]),
}


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_each_rule_through_the_hand_off(rule):
    body, expected = RULE_CASES[rule]  # constructed; the closing paragraph comes last
    r = parse(lines(TITLE, FORMULA, *body, f"{_next_number(body)}. {CLOSING}"), lang="en")
    assert outline(r)[:-1] == expected
    assert r.warnings == ()


def _next_number(body: list[str]) -> int:
    return 1 + sum(1 for t in body if t[:1].isdigit())


def test_closing_annex_and_trailing_rules():
    r = parse(lines(TITLE, FORMULA, "– having regard to A,", "1. " + CLOSING,
                    "Done at Strasbourg.", "ANNEX", "Text of the annex."), lang="en")
    assert outline(r) == ["C having regard to A,", f"P 1. {CLOSING}", "X ANNEX",
                          "T Done at Strasbourg."]
    assert r.annexes[0].blocks == (("Text of the annex.",),)


def test_the_pdf_route_places_warnings_on_their_page_from_the_value():
    from akn_ep.pdf import _locate
    from akn_ep.pdf.reader import Layout

    layout = Layout(Lines(()), (1, 40), ())  # constructed: page 2 starts at row 40
    w = _locate(layout, ParseWarning("paragraph 3 where 2 was expected", 45, "numbering"))
    assert w == "line 45 (page 2, line 6): paragraph 3 where 2 was expected"
    assert (w.line, w.rule, w.where) == (45, "numbering", "page 2, line 6")
    # a warning about the whole text has no page; a plain string is left as it is
    assert _locate(layout, ParseWarning("no date", None, "date")) == "no date"
    assert _locate(layout, "line 3: as printed") == "line 3: as printed"
