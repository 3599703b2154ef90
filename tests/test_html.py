# ruff: noqa: E501 -- pages in the real markup keep their lines as the site writes them
"""The HTML route (issue #15): the Parliament's doceo pages → the same model as the other routes.

Real pages: ``../shared/corpus/html/`` (read in place, never copied), checked against the
hand counts of its manifest and facts read off the pages by hand. Every other page here
is CONSTRUCTED (tests/html_pages.py builds pages of the older and the 2023+ template from
a model, or the test writes a small page itself) and says so.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import akn_ep
from akn_ep import languages
from akn_ep.akn.ids import frbr_iris
from akn_ep.batch.convert import convert_one
from akn_ep.html.blocks import walk
from akn_ep.html.document import split
from akn_ep.html.lines import to_lines
from akn_ep.html.page import load
from akn_ep.lines import Call, Footnote, Line
from akn_ep.model import (
    Amendment,
    AmendmentRow,
    Annex,
    Change,
    Citation,
    FootnoteRef,
    Paragraph,
    Resolution,
    Table,
    _to_cell,
    iter_footnotes,
)
from html_pages import new_template, old_template
from shared_corpus import CORPUS

HTML = CORPUS / "html"
needs_corpus = pytest.mark.skipif(not (HTML / "manifest.json").is_file(),
                                  reason=f"the shared corpus is not available at {HTML}")


def _manifest() -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((HTML / "manifest.json").read_text("utf-8"))}


def _lines(page: str | bytes, lang: str):
    data = page.encode("utf-8") if isinstance(page, str) else page
    parts = split(walk(load(data)).blocks, languages.get(lang))
    return to_lines(parts.text, parts.notes)


# -- the two real pages (2023+ template) ---------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("name", ["RC-10-2025-0249_EN.html", "A-9-2024-0163_EN.html"])
def test_real_page_hand_counts_valid_and_read_back(name: str) -> None:
    m = _manifest()[name]
    r = akn_ep.parse_html(HTML / name)
    assert (len(r.citations), len(r.recitals), sum(1 for _ in r.paragraphs())) == (
        m["n_citations"], m["n_recitals"], m["n_paragraphs"])
    assert r.lang == m["language"]
    assert r.procedure == m["procedure"]
    assert r.date.isoformat() == m["date"] and r.date_source == "printed"
    assert r.doc_number == m["document_number"]
    assert r.title.casefold() == m["title"].casefold()  # the page prints the h2 in capitals
    assert r.ta_number is None  # a motion or report is not the text adopted
    assert len(r.amendments) == m.get("n_amendments", 0)
    assert bool(r.annexes) == m["has_annex"]
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert akn_ep.from_akn(xml) == r


@needs_corpus
def test_joint_motion_is_its_own_document_not_the_text_adopted() -> None:
    r = akn_ep.parse_html(HTML / "RC-10-2025-0249_EN.html")
    assert r.kind == "jointMotion"
    iris = frbr_iris(r)
    assert str(iris.work) == ("/akn/eu/statement/jointMotionForResolution/ep/2025-05-07/"
                         "RC-10-2025-0249")
    xml = akn_ep.to_akn(r).decode()
    assert '<statement name="jointMotionForResolution">' in xml
    assert '<FRBRalias name="documentNumber" value="RC-B10-0249/2025"/>' in xml
    assert "P10_TA(2025)0096" not in xml  # the procedure box is page chrome, reported
    heads = [a.text for a in r.report.artefacts if a.kind == "page-head"]
    assert "P10_TA(2025)0096" in heads and "001-002 (PDF - 102 KB)" in heads
    # the motion's own head is kept: its title line, the motions it replaces, its authors
    assert r.heading == ("JOINT MOTION FOR A RESOLUTION on the return of Ukrainian children "
                         "forcibly transferred and deported by Russia")
    lines = [h.text for h in r.head_lines]
    assert lines[:4] == ["7.5.2025 - (2025/2691(RSP))", "pursuant to Rules 150(5) and 136(4) "
                         "of the Rules of Procedure", "replacing the following motions:",
                         "B10\u20110249/2025 (Verts/ALE)"]
    assert lines[-3:] == ["Villy Søvndal", "on behalf of the Verts/ALE Group",
                          "Hanna Gedin, Jonas Sjöstedt, Merja Kyllönen"]
    assert len(lines) == 19 and {h.role for h in r.head_lines} == {"other"}
    feet = [a.text for a in r.report.artefacts if a.kind == "page-footer"]
    assert feet[0] == "Last updated: 7 May 2025"
    chrome = " ".join(a.text for a in r.report.artefacts if a.kind == "page-chrome")
    assert "Access to page content" in chrome
    assert r.warnings == ()


@needs_corpus
def test_joint_motion_lines_exactly() -> None:
    ls, warnings = _lines((HTML / "RC-10-2025-0249_EN.html").read_bytes(), "en")
    assert warnings == [] and ls.calls == () and ls.footnotes == ()
    # blocks 1-36 are the page head (h1, authors, procedure box); the text opens at 37
    assert ls.lines[:4] == (
        Line(37, "European Parliament resolution on the return of Ukrainian children forcibly "
                 "transferred and deported by Russia"),
        Line(38, "(2025/2691(RSP))"),
        Line(39, "The European Parliament,"),
        Line(40, "– having regard to its previous resolutions on Russia’s war of aggression "
                 "against Ukraine,"),
    )
    assert ls.lines[6].text.startswith("A. whereas since February 2022 around 20")
    assert ls.lines[-1].no == 54 and ls.lines[-1].text.startswith("9. Instructs its President")


@needs_corpus
def test_report_amendments_tables_and_footnotes() -> None:
    r = akn_ep.parse_html(HTML / "A-9-2024-0163_EN.html")
    assert r.kind == "report"
    assert r.heading.startswith("REPORT on amendments to Parliament’s Rules of Procedure")
    assert [h.text for h in r.head_lines] == ["4.4.2024 - (2024/2006(REG))",
                                              "Committee on Constitutional Affairs",
                                              "Rapporteur: Gabriele Bischoff"]
    assert str(frbr_iris(r).work) == "/akn/eu/statement/report/ep/2024-04-04/A-9-2024-0163"
    a1, a2, a3 = r.amendments[:3]
    assert (a1.num, a1.document, a1.target, a1.columns) == (
        "Amendment 1", "Parliament's Rules of Procedure",
        "Rule 10 – paragraph 6 – subparagraph 2", ("Present text", "Amendment"))
    assert [a.target for a in r.amendments[3:]] == [
        "Rule 176 – paragraph 1 – subparagraph 3", "Annex II – point 5"]
    # read off the page by hand: "… signed the declaration <b><i>relating to</i></b> that Code."
    assert a1.rows[0].present[1:] == (Change("relating to"), " that Code.")
    assert a1.rows[1].present == () and a1.rows[1].amended[0] == Change("(a)")
    assert len(a1.rows) == 3 and len(a2.rows) == 4
    # footnote 12a: its body is printed under a rule in the same cell, its call raised
    # after "… in exercising their duties"
    row = a2.rows[2].amended
    at = row.index(FootnoteRef("12a", "See Annex II."))
    assert row[at - 1] == Change("Code of appropriate behaviour for Members of the European "
                                 "Parliament in exercising their duties")
    assert [n.marker for n in iter_footnotes(r)] == ["12a"]
    # "13" is raised in the present text and has no body on the page: a warning, kept as text
    assert any("'13'" in w and "no note" in w for w in r.warnings)
    assert a3.rows[0].present[1] == Change("breaches the provisions of the Code of Conduct for "
                                           "Members of the European Parliament regarding "
                                           "integrity and transparency13")
    assert [a.kind for a in r.report.artefacts].count("footnote-rule") == 1
    # the report's further sections, kept as annexes with their tables
    assert [x.title for x in r.annexes] == [
        "ANNEX: ENTITIES OR PERSONS FROM WHOM THE RAPPORTEUR HAS RECEIVED INPUT",
        "INFORMATION ON ADOPTION IN COMMITTEE RESPONSIBLE",
        "FINAL VOTE BY ROLL CALL IN COMMITTEE RESPONSIBLE"]
    info = r.annexes[1].blocks[0]
    assert isinstance(info, Table) and info.rows[0][:2] == (("Date adopted",), ("3.4.2024",))
    votes = r.annexes[2].blocks
    assert [type(b).__name__ for b in votes] == ["Table"] * 3 + ["tuple"] * 4
    assert votes[0].rows[0] == (("14",), ("+",))
    assert votes[3] == ("Key to symbols:",)
    xml = akn_ep.to_akn(r).decode()
    assert xml.count('<hcontainer name="amendment"') == 5
    assert "<del>relating to</del>" in xml and "<ins>(a)</ins>" in xml
    text = akn_ep.to_text(r)
    assert "Amendment 1\nParliament's Rules of Procedure\nRule 10 – paragraph 6 – " \
           "subparagraph 2\nPresent text | Amendment\n" in text


#: words and numbers apart: a raised call without a note stays glued to its word
#: ("transparency13"), as the text and PDF routes keep it
_WORDS = re.compile(r"\d+|[^\W\d]+")


@needs_corpus
@pytest.mark.parametrize("name", ["RC-10-2025-0249_EN.html", "A-9-2024-0163_EN.html"])
def test_every_word_of_the_page_is_kept_or_reported(name: str) -> None:
    """Every word the page shows is in the model's text or in a reported artefact."""
    from lxml import html as lhtml
    page = lhtml.fromstring((HTML / name).read_bytes())
    for bad in page.xpath("//script|//style|//svg|//head"):
        bad.drop_tree()
    shown = _WORDS.findall(" ".join(page.itertext()))
    r = akn_ep.parse_html(HTML / name)
    kept = set(_WORDS.findall(akn_ep.to_text(r)))
    kept |= set(_WORDS.findall(" ".join(a.text for a in r.report.artefacts)))
    assert sorted(set(shown) - kept) == []


# -- constructed pages of both templates, in three languages: equal to the text route -----

_TEXTS = [  # (corpus text, page date as the page would print it)
    ("seed/000_844d43a262bbbfb9.txt", (15, 3, 2012)),  # lv, 2 footnotes
    ("clean/TA-7-2014-0078_FR.txt", (5, 2, 2014)),  # fr
    ("clean/radicali-34154_DE.txt", (18, 5, 1995)),  # de, prints no date
]


@needs_corpus
@pytest.mark.parametrize("template", [old_template, new_template])
@pytest.mark.parametrize(("path", "dmy"), _TEXTS)
def test_constructed_page_reads_as_the_text_does(template, path: str, dmy) -> None:
    """CONSTRUCTED pages (tests/html_pages.py) of a real text: the HTML route gives the
    model the text route gives, footnotes at their calls included."""
    r = akn_ep.parse_text((CORPUS / path).read_bytes())
    page = template(r, doc_id="TA-4-1995-0001", page_title="TEXTS ADOPTED", number="P4_TA",
                    dmy=dmy)
    h = akn_ep.parse_html(page)
    assert h.kind == "textAdopted" and h.doc_number is None
    if r.date_source == "printed":
        assert h == r
    else:  # the text prints no date; the page does, in its head
        assert (h.date.day, h.date.month, h.date.year) == dmy and h.date_source == "printed"
        assert attrs.evolve(h, date=r.date, date_source=r.date_source) == r
    assert list(iter_footnotes(h)) == list(iter_footnotes(r))
    xml = akn_ep.to_akn(h)
    assert akn_ep.validate(xml) == [] and akn_ep.from_akn(xml) == h
    hidden = [a.text for a in h.report.artefacts if a.kind == "hidden"]
    if template is old_template:
        assert "<Date>" in hidden and "<NoDocSe>" in hidden  # header tags, left out
        if len(r.citations) > 1:  # dashes in the Symbol font, but the last: all read
            assert any("Symbol-font" in w for w in h.warnings)


_OLD_MOTION = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"><head>
<title>MOTION FOR A RESOLUTION on water</title>
<link rel="canonical" href="https://www.europarl.europa.eu/doceo/document/B-9-2020-0999_EN.html" />
</head><body><table width="100%"><tr><td><ul class="language_select"><li><a href="#">de - Deutsch</a></li></ul></td></tr>
<tr><td><table width="100%"><tr><td><span style="display:none">&lt;Date&gt;</span><span style="display:none">{06/07/2020}</span><span>6.7.2020</span><span style="display:none">&lt;/Date&gt;</span></td></tr></table>
<p><span style="display:none">&lt;TitreType&gt;</span><span>MOTION FOR A RESOLUTION</span></p></td></tr>
<tr><td><div>
<p style="margin-top:0pt"><span style="font-family:'Times New Roman'; font-weight:bold">B9\u20110999/2020</span></p>
<p style="margin-top:0pt"><span style="font-family:'Times New Roman'; font-weight:bold">European Parliament resolution on water</span></p>
<p style="margin-top:24pt"><span style="font-style:italic">The European Parliament</span><span>,</span></p>
<p><span style="font-family:Symbol">\uf02d</span><span style="width:21.76pt; display:inline-block">\u00a0</span><span>having regard to its resolution on rivers</span><a href="#_ftnref1_content" name="_ftnref1"></a><a href="#_ftn1"><span style="vertical-align:super">[1]</span></a><span>,</span></p>
<p><span>\u2013</span><span style="width:22.35pt; display:inline-block">\u00a0</span><span>having regard to Rule 132(2) of its Rules of Procedure,</span></p>
<p><span>A.</span><span style="width:16.68pt; display:inline-block">\u00a0</span><span>whereas water is scarce</span><span style="vertical-align:super">2</span><span>;</span></p>
<p><span>1.</span><span style="width:19.35pt; display:inline-block">\u00a0</span><span>Instructs its President to forward this resolution to the Commission.</span></p>
</div><img src="hr.gif" /><div id="_ftn1"><p><a href="#_ftnref1" name="_ftnref1_content"><span style="vertical-align:super">[1]</span></a><span> </span><span>Texts adopted, P9_TA(2020)0054.</span></p></div>
<div id="_ftn9"><p><a href="#_ftnref9"><span style="vertical-align:super">[9]</span></a><span> OJ C 9.</span></p></div>
</td></tr></table><table><tr><td>Last updated: 7 July 2020</td><td><a href="/privacy-policy/en">Legal notice - Privacy policy</a></td></tr></table></body></html>
"""


def test_old_template_motion_lines_exactly() -> None:
    """A CONSTRUCTED page of the older template (the markup of the site until about 2022:
    hidden header tags, a Symbol-font dash, inline-block separators, a [1] link to a note
    after the text), read to Lines by hand."""
    ls, warnings = _lines(_OLD_MOTION, "en")
    texts = [ln.text for ln in ls.lines]
    assert texts == [
        "B9\u20110999/2020",
        "European Parliament resolution on water",
        "The European Parliament,",
        "– having regard to its resolution on rivers1,",
        "– having regard to Rule 132(2) of its Rules of Procedure,",
        "A. whereas water is scarce2;",
        "1. Instructs its President to forward this resolution to the Commission.",
    ]
    call_line = ls.lines[3]
    assert ls.calls == (Call(call_line.no, 43, 44, "1"),)
    assert call_line.text[43:44] == "1"
    assert ls.footnotes[0] == Footnote("1", "Texts adopted, P9_TA(2020)0054.",
                                       ls.footnotes[0].line)
    assert ls.footnotes[0].line > ls.lines[-1].no
    assert [f.marker for f in ls.footnotes] == ["1", "9"]
    assert any("raised '2'" in w and "no note" in w for w in warnings)
    assert any("footnote 9 is printed but no call" in w for w in warnings)


def test_old_template_motion_model() -> None:
    """The CONSTRUCTED older-template motion as a model: a motion, its own number."""
    r = akn_ep.parse_html(_OLD_MOTION)
    assert (r.kind, r.doc_number, r.lang) == ("motion", "B9-0999/2020", "en")
    assert r.date.isoformat() == "2020-07-06" and r.date_source == "printed"
    assert r.citations[0] == Citation(("having regard to its resolution on rivers",
                                       FootnoteRef("1", "Texts adopted, P9_TA(2020)0054."),
                                       ","))
    assert r.recitals[0].text == ("whereas water is scarce2;",)
    assert str(frbr_iris(r).work) == "/akn/eu/statement/motionForResolution/ep/2020-07-06/B-9-2020-0999"
    hidden = [a.text for a in r.report.artefacts if a.kind == "hidden"]
    assert hidden == ["<Date>", "{06/07/2020}", "</Date>", "<TitreType>"]
    # the number printed over the title (with U+2011 hyphens) is a document reference, as
    # "B9-0999/2020" is in the text route; the page's title line (<TitreType>) is the heading
    assert r.heading == "MOTION FOR A RESOLUTION"
    assert [(h.role, h.text) for h in r.head_lines] == [("documentRefs", "B9\u20110999/2020")]
    assert r.doc_refs == ("B9\u20110999/2020",)
    assert akn_ep.validate(akn_ep.to_akn(r)) == []


_DE_NEW = """<!DOCTYPE html><html lang="de"><head><title>ENTSCHLIESSUNGSANTRAG | B9-0998/2021</title>
</head><body><header><nav><a href="/">Startseite</a></nav></header><main>
<h1>ENTSCHLIESSUNGSANTRAG zur Lage in X</h1><p><span class="text-muted">3.2.2021</span></p>
<div><p class="doceo-font-size-base">Entschließung des Europäischen Parlaments zur Lage in X</p>
<p class="doceo-font-size-base"><span>Das Europäische Parlament</span><span>,</span></p>
<p class="doceo-font-size-base"><span>–</span><span style="display:inline-block">\u00a0</span><span>gestützt auf Artikel 144 seiner Geschäftsordnung,</span></p>
<p class="doceo-font-size-base"><span>A.</span><span style="display:inline-block">\u00a0</span><span>in der Erwägung, dass die Lage ernst ist;</span></p>
<p class="doceo-font-size-base"><span>1.</span><span style="display:inline-block">\u00a0</span><span>beauftragt seine Präsidentin, diese Entschließung dem Rat und der Kommission zu übermitteln.</span></p>
</div><div><span class="text-muted">Letzte Aktualisierung: 3. Februar 2021</span><a href="/legal-notice/de">Rechtlicher Hinweis</a></div></main></body></html>"""


def test_constructed_new_template_motion_in_german() -> None:
    """A CONSTRUCTED 2023+ page in German without an address: kind and number from its
    title line; the footer in German is left out."""
    r = akn_ep.parse_html(_DE_NEW.encode("utf-8"))
    assert (r.lang, r.kind, r.doc_number) == ("de", "motion", "B9-0998/2021")
    assert (len(r.citations), len(r.recitals), len(r.body)) == (1, 1, 1)
    assert r.date.isoformat() == "2021-02-03"
    feet = [a.text for a in r.report.artefacts if a.kind == "page-footer"]
    assert feet == ["Letzte Aktualisierung: 3. Februar 2021Rechtlicher Hinweis"]


# -- the model values of amendments and tables -------------------------------------------

def test_amendment_and_table_values_write_read_and_render() -> None:
    """A CONSTRUCTED report in the model: written, valid, read back equal, rendered."""
    r = Resolution(
        lang="en", title="Proposal for a European Parliament decision on X (2024/2006(REG))",
        formula="The European Parliament,", date="2024-04-04", kind="report",
        procedure="2024/2006(REG)",
        doc_number="A9-0001/2024",
        body=(Paragraph("1.", "Instructs its President to forward this decision."),),
        amendments=(Amendment("Amendment 1", "Rules of Procedure", "Rule 1 – paragraph 2",
                              ("Present text", "Amendment"),
                              (AmendmentRow(("Members ", Change("may"), " act."),
                                            ("Members ", Change("shall"), " act",
                                             FootnoteRef("1a", "See Annex."), ".")),
                               AmendmentRow((), (Change("(a) new point;"),)))),),
        annexes=(Annex("FINAL VOTE", (Table([["14", "+"], ["Renew", ""]]), "Key")),),
    )
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert akn_ep.from_akn(xml) == r
    text = akn_ep.to_text(r).splitlines()
    assert text[3:9] == ["Amendment 1", "Rules of Procedure", "Rule 1 – paragraph 2",
                         "Present text | Amendment", "Members may act. | Members shall act1a.",
                         "| (a) new point;"]
    assert text[9:13] == ["FINAL VOTE", "14 | +", "Renew | ", "Key"]


# -- bad and hostile input -------------------------------------------------------------------

def test_not_html_is_a_typed_error() -> None:
    with pytest.raises(akn_ep.ParseError, match="not an HTML page"):
        akn_ep.parse_html(b"European Parliament resolution on X\nThe European Parliament,\n")


def test_a_file_name_given_as_text_is_told_apart() -> None:
    with pytest.raises(akn_ep.ParseError, match="pathlib.Path"):
        akn_ep.parse_html("RC-10-2025-0249_EN.html")


def test_html_page_that_is_not_an_ep_document() -> None:
    page = b"<!DOCTYPE html><html lang='en'><body><h1>My blog</h1><p>Hello.</p></body></html>"
    with pytest.raises(akn_ep.ParseError, match="not a European Parliament document") as e:
        akn_ep.parse_html(page)
    assert "canonical" in str(e.value) and "formula" in str(e.value)


def test_page_of_another_type_is_refused_by_name() -> None:
    page = (b"<!DOCTYPE html><html lang='en'><head><link rel='canonical' href='https://www."
            b"europarl.europa.eu/doceo/document/PV-9-2020-07-08_EN.html'/></head><body><p>"
            b"Minutes</p></body></html>")
    with pytest.raises(akn_ep.ParseError, match=r"PV-9-2020-07-08.*minutes.*not read here"):
        akn_ep.parse_html(page)


@needs_corpus
def test_truncated_page_is_refused() -> None:
    data = (HTML / "RC-10-2025-0249_EN.html").read_bytes()
    with pytest.raises(akn_ep.ParseError, match="truncated"):
        akn_ep.parse_html(data[: len(data) // 2])


def test_page_over_the_size_limit(monkeypatch) -> None:
    import akn_ep.html.page as page
    monkeypatch.setattr(page, "MAX_HTML_BYTES", 1000)
    with pytest.raises(akn_ep.ParseError, match="too large"):
        akn_ep.parse_html(b"<html><body>" + b"<p>x</p>" * 200 + b"</body></html>")


def test_deep_nesting_is_refused(within) -> None:
    page = b"<html><body>" + b"<div>" * 5000 + b"x" + b"</div>" * 5000 + b"</body></html>"
    with within(10), pytest.raises(akn_ep.ParseError):
        akn_ep.parse_html(page)


def test_entities_are_not_expanded(within) -> None:
    """A billion-laughs DOCTYPE in a page: HTML parsing defines no entities from it."""
    lol = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in
                  range(1, 30))
    page = (f'<!DOCTYPE html [<!ENTITY l0 "lol">{lol}]><html lang="en"><body><p>European '
            "Parliament resolution on X</p><p>The European Parliament,</p><p>1. Instructs its "
            "President to forward this resolution &l29;.</p></body></html>")
    with within(10):
        r = akn_ep.parse_html(page)
    assert "lol" not in akn_ep.to_text(r)


# -- the command line and the batch take pages, by content -------------------------------

@needs_corpus
def test_cli_converts_a_page_whatever_its_name(tmp_path) -> None:
    src = tmp_path / "page.txt"  # not called .html: recognised by its content
    src.write_bytes((HTML / "RC-10-2025-0249_EN.html").read_bytes())
    out = tmp_path / "out.xml"
    done = subprocess.run([sys.executable, "-m", "akn_ep.cli", "convert", str(src), "-o",
                           str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert b'<statement name="jointMotionForResolution">' in out.read_bytes()


def test_cli_lang_overrides_the_page(tmp_path) -> None:
    """A CONSTRUCTED page that declares English but holds German text: --lang de reads it."""
    src = tmp_path / "x.bin"
    src.write_bytes(_DE_NEW.replace('lang="de"', 'lang="en"').encode("utf-8"))
    bad = subprocess.run([sys.executable, "-m", "akn_ep.cli", "convert", str(src)],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "formula" in bad.stderr
    good = subprocess.run([sys.executable, "-m", "akn_ep.cli", "convert", str(src), "--lang",
                           "de"], capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert "deu@2021-02-03" in good.stdout


@needs_corpus
def test_batch_convert_one_takes_a_page() -> None:
    record, xml = convert_one("doc.bin", (HTML / "A-9-2024-0163_EN.html").read_bytes())
    assert record["status"] == "converted", record["error"]
    assert record["iri"].startswith("/akn/eu/statement/report/ep/2024-04-04/A-9-2024-0163/")
    assert record["counts"] == {"citations": 2, "recitals": 0, "paragraphs": 3, "footnotes": 1}
    assert xml is not None


_FR_OLD_REPORT = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<link rel="canonical" href="https://www.europarl.europa.eu/doceo/document/A-9-2021-0999_FR.html" /></head>
<body><table width="100%"><tr><td><ul class="language_select"><li><a href="#">en - English</a></li></ul></td></tr>
<tr><td><span style="display:none">&lt;Date&gt;</span><span>1.4.2021</span><span style="display:none">&lt;/Date&gt;</span></td></tr>
<tr><td><div>
<p style="margin-top:12pt"><span style="font-weight:bold">PROPOSITION DE DÉCISION DU PARLEMENT EUROPÉEN</span></p>
<p><span style="font-weight:bold">sur la modification du règlement intérieur du Parlement</span></p>
<p><span style="font-weight:bold">(2021/2999(REG))</span></p>
<p style="margin-top:24pt"><span style="font-style:italic">Le Parlement européen</span><span>,</span></p>
<p><span style="font-family:Symbol">\uf02d</span><span style="width:21.76pt; display:inline-block">\u00a0</span><span>vu les articles 236 et 237 de son règlement intérieur,</span></p>
<p><span>1.</span><span style="width:19.35pt; display:inline-block">\u00a0</span><span>décide d’apporter à son règlement intérieur les modifications ci-après;</span></p>
<p><span>2.</span><span style="width:19.35pt; display:inline-block">\u00a0</span><span>charge son Président de transmettre la présente décision au Conseil et à la Commission, pour information.</span></p>
<p style="text-align:center"><span style="font-weight:bold">Amendement</span><span>\u00a0\u00a0</span><span style="font-weight:bold">1</span></p>
<p style="text-align:center"><span style="font-weight:bold">Règlement intérieur du Parlement européen</span></p>
<p style="text-align:center"><span style="font-weight:bold">Article 10 – paragraphe 6</span></p>
<table width="100%" border="0" cellpadding="0"><tr><td colspan="2"><p>\u00a0</p></td></tr>
<tr><td><p style="text-align:center"><span style="font-style:italic">Texte en vigueur</span></p></td><td><p style="text-align:center"><span style="font-style:italic">Amendement</span></p></td></tr>
<tr><td><p><span>Les députés </span><span style="font-weight:bold; font-style:italic">peuvent</span><span> agir.</span></p></td>
<td><p><span>Les députés </span><b><i>doivent</i></b><span> agir</span><span style="vertical-align:super; font-weight:bold; font-style:italic">1 bis</span><span>.</span></p></td></tr>
</table>
<h2>EXPOSÉ DES MOTIFS</h2><p>1. Le rapporteur propose une modification.</p>
</div></td></tr></table><table><tr><td>Dernière mise à jour: 7 avril 2021</td></tr></table></body></html>
"""


def test_constructed_old_template_report_in_french() -> None:
    """A CONSTRUCTED report page of the older template in French: the proposal, one
    amendment (bold italics as <b><i> and as inline styles), a section after it."""
    r = akn_ep.parse_html(_FR_OLD_REPORT.encode("utf-8"))
    assert (r.lang, r.kind, r.doc_number, r.procedure) == ("fr", "report", "A9-0999/2021",
                                                           "2021/2999(REG)")
    assert (len(r.citations), len(r.recitals), len(r.body)) == (1, 0, 2)
    [a] = r.amendments
    assert (a.num, a.document, a.target, a.columns) == (
        "Amendement 1", "Règlement intérieur du Parlement européen", "Article 10 – paragraphe 6",
        ("Texte en vigueur", "Amendement"))
    # "1 bis" is not a footnote marker: raised, but kept as changed text
    assert a.rows == (AmendmentRow(("Les députés ", Change("peuvent"), " agir."),
                                   ("Les députés ", Change("doivent"), " agir",
                                    Change("1 bis"), ".")),)
    assert [x.title for x in r.annexes] == ["EXPOSÉ DES MOTIFS"]
    assert r.annexes[0].blocks == (("1. Le rapporteur propose une modification.",),)
    assert akn_ep.validate(akn_ep.to_akn(r)) == []
    assert akn_ep.from_akn(akn_ep.to_akn(r)) == r


def test_constructed_report_ends_its_text_at_the_next_section() -> None:
    """A CONSTRUCTED 2023+ report page: the motion for a resolution under its h2, then the
    explanatory statement under the next h2, whose numbered paragraphs are not the motion's."""
    page = ("<!DOCTYPE html><html lang='en'><head><link rel='canonical' href='https://www."
            "europarl.europa.eu/doceo/document/A-9-2022-0998_EN.html'/></head><body><main>"
            "<h1>REPORT on X</h1><div><h2>MOTION FOR A EUROPEAN PARLIAMENT RESOLUTION</h2>"
            "<p>on X (2022/2001(INI))</p><p>The European Parliament,</p>"
            "<p>1.\u00a0Instructs its President to forward this resolution.</p>"
            "<h2>EXPLANATORY STATEMENT</h2><p>1.\u00a0Background</p><p>The rapporteur notes.</p>"
            "</div></main></body></html>")
    r = akn_ep.parse_html(page)
    assert r.title == "MOTION FOR A EUROPEAN PARLIAMENT RESOLUTION on X (2022/2001(INI))"
    assert [p.num for p in r.paragraphs()] == ["1."]
    assert r.annexes == (Annex("EXPLANATORY STATEMENT", ("1. Background", "The rapporteur notes.")),)
    assert r.trailing == ()


def test_a_footnote_marker_used_twice_is_told_apart() -> None:
    """A CONSTRUCTED report page: footnote 1 in the proposal and another 1 in an amendment's
    table; one marker is one note document-wide, so the second is read as 1-2, said so."""
    cell = "<td><p>{}</p></td>"
    page = ("<!DOCTYPE html><html lang='en'><head><link rel='canonical' href='https://www."
            "europarl.europa.eu/doceo/document/A-9-2022-0997_EN.html'/></head><body><div>"
            "<p>Proposal for a European Parliament decision on X (2022/2002(REG))</p>"
            "<p>The European Parliament,</p><p>\u2013 having regard to Rule 1<sup><a href="
            "'#n1'>1</a></sup>,</p><p>1. Instructs its President to forward this decision."
            "</p><p align='center'>Amendment 1</p><p align='center'>Rule 2</p><table><tr>"
            + cell.format("Present text") + cell.format("Amendment") + "</tr><tr>"
            + cell.format("old") + cell.format("new<sup>1</sup>") + "</tr><tr><td></td>"
            + cell.format("_______") + "</tr><tr><td></td>" + cell.format("<sup>1</sup> OJ X.")
            + "</tr></table><div id='n1'><p><sup>1</sup> OJ C 1.</p></div></div></body></html>")
    r = akn_ep.parse_html(page)
    assert [n.marker for n in iter_footnotes(r)] == ["1", "1-2"]
    assert r.amendments[0].rows == (AmendmentRow(("old",), ("new", FootnoteRef("1-2", "OJ X."))),)
    assert any("'1' is used twice" in w for w in r.warnings)
    assert akn_ep.from_akn(akn_ep.to_akn(r)) == r


# -- properties -------------------------------------------------------------------------------

_word = st.text(alphabet="abcdeéß,.;() ", min_size=1, max_size=12)
_part = st.one_of(_word, _word.filter(str.strip).map(Change),
                  st.tuples(st.sampled_from(["1", "2a", "*"]), _word.filter(str.strip)))


def _cell_of(parts) -> tuple:
    out, seen = [], set()
    for p in parts:
        if isinstance(p, tuple):
            if p[0] in seen:
                continue
            seen.add(p[0])
            p = FootnoteRef(*p)
        out.append(p)
    return tuple(out)


@given(st.lists(st.tuples(st.lists(_part, max_size=5), st.lists(_part, max_size=5)),
                min_size=1, max_size=4))
def test_amendments_write_and_read_back(rows) -> None:
    """Any amendment rows (text, changes, footnotes in any order) are written valid and read
    back equal."""
    built, markers = [], set()
    for present, amended in rows:
        p, a = _cell_of(present), _cell_of(amended)
        refs = {x.marker for x in p + a if isinstance(x, FootnoteRef)}
        if refs & markers or (not _to_cell(p) and not _to_cell(a)):
            continue
        if len([x for x in p + a if isinstance(x, FootnoteRef)]) != len(refs):
            continue
        markers |= refs
        built.append(AmendmentRow(p, a))
    if not built:
        return
    r = Resolution(lang="en", title="T", formula="F", kind="report", doc_number="A9-0001/2024",
                   body=(Paragraph("1.", "x"),),
                   amendments=(Amendment("Amendment 1", None, "Rule 1", ("P", "A"), built),))
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert akn_ep.from_akn(xml) == r


@needs_corpus
def test_damaged_pages_give_typed_errors_or_a_model() -> None:
    """Pages cut and spliced at random (seeded): a model, or an error of ours -- never
    anything else."""
    import random
    data = (HTML / "RC-10-2025-0249_EN.html").read_bytes()
    rng = random.Random(15)
    for _ in range(60):
        a, b = sorted(rng.randrange(len(data)) for _ in range(2))
        damaged = data[:a] + data[b:] if rng.random() < 0.7 else data[:a] + data[b:a:-1]
        try:
            akn_ep.parse_html(damaged)
        except akn_ep.AknEpError:
            pass


@needs_corpus
def test_stated_identity_as_for_the_text_route() -> None:
    """A CONSTRUCTED page of a text that prints no number: a stated texts-adopted number
    names its work, as parse_text(ta_number=…) does."""
    text = (CORPUS / "clean/radicali-34154_DE.txt").read_bytes()
    r = akn_ep.parse_text(text, date="1995-05-18", ta_number="P4_TA(1995)0123")
    page = new_template(akn_ep.parse_text(text), doc_id="TA-4-1995-0123",
                        page_title="TEXTS ADOPTED", number="P4_TA", dmy=(18, 5, 1995))
    h = akn_ep.parse_html(page, ta_number="P4_TA(1995)0123")
    assert h.frbr_uri == r.frbr_uri and h.frbr_uri.number == "TA-4-1995-0123"
    assert h.date_source == "printed"  # the page prints its date; the text did not
    assert attrs.evolve(h, date_source="supplied") == r


def test_text_adopted_without_address_is_not_taken_for_its_motion() -> None:
    """A CONSTRUCTED older-template page of a text adopted with no address: its procedure
    box names the motion tabled (B9-0996/2020), its text prints the TA number."""
    page = ("<html lang='en'><body><table><tr><td><div><p>Texts tabled :</p><p>"
            "B9-0996/2020</p><p>Texts adopted :</p><p>P9_TA(2020)0190</p>"
            "</div></td></tr><tr><td><div><p>P9_TA(2020)0190</p><p>European "
            "Parliament resolution of 10 July 2020 on water (2020/2691(RSP))</p><p>The "
            "European Parliament,</p><p>1. Instructs its President to forward this "
            "resolution.</p></div></td></tr></table></body></html>")
    r = akn_ep.parse_html(page)
    assert (r.kind, r.doc_number, r.ta_number) == ("textAdopted", None, "P9_TA(2020)0190")
    assert any("read as a text adopted" in w for w in r.warnings)
