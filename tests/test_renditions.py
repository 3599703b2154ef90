"""Issue #13's "Done when": every real document converts with its hand counts in every rendition.

The hand counts are read at test time from the corpus manifests (``../shared/corpus/
manifest.json``, ``real/manifest.json``, ``html/manifest.json``), never from our output.
What the other modules already check, and where (the audit of issue #13):

- ``clean/`` texts, their ``pdf-extracted/{pdfminer,pdftotext,pdftotext-layout}`` renditions and
  the seed: counts, title, date, procedure, TA number in ``tests/test_corpus.py``; here only the
  warnings they carry (clean inputs none that are spurious, pinned by rule).
- the real AI Act PDF: ``tests/test_footnotes.py`` pins its notes and calls; here every rendition
  (the PDF by :func:`akn_ep.parse_pdf`, and ``pdftotext``, ``pdftotext -layout``, pdfminer's
  ``extract_text`` made from it in the test) is held to the manifest's title, date, procedure,
  TA number, short title and the RESOLUTION's counts (its position, issue #14, is not counted
  here), and to the warnings where the reader had to choose.
- the two web pages: by :func:`akn_ep.parse_html` (``tests/test_html.py`` checks the counts of
  items; here also notes, amendments, TA number, warnings by rule), and AS A PERSON COPIES THEM
  from a browser (:func:`browser_copy`), through :func:`akn_ep.parse_text`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path

import pytest
from lxml import html as lhtml

import akn_ep
from akn_ep.model import iter_footnotes
from akn_ep.warning import ParseWarning
from every_word import assert_every_word
from shared_corpus import CORPUS, ai_act_pdfminer, ai_act_pdftotext

REAL = CORPUS / "real"
HTML = CORPUS / "html"
AI_ACT = REAL / "TA-9-2024-0138_EN.pdf"
needs_real = pytest.mark.skipif(not (REAL / "manifest.json").is_file(),
                                reason=f"the real EP PDF and its manifest are not at {REAL}")
needs_html = pytest.mark.skipif(not (HTML / "manifest.json").is_file(),
                                reason=f"the real web pages and their manifest are not at {HTML}")
needs_corpus = pytest.mark.skipif(not (CORPUS / "manifest.json").is_file(),
                                  reason=f"the shared corpus is not at {CORPUS}")


def _manifest(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    return {Path(e["file"]).name: e for e in json.loads(path.read_text("utf-8"))}


def _ws(s: str) -> str:
    return " ".join(s.split())


def _rules(r: akn_ep.Resolution, before: int | None = None) -> set[str]:
    """The rules of ``r``'s warnings (those on lines before ``before`` when given)."""
    return {w.rule for w in r.report.warnings
            if before is None or (w.line is not None and w.line < before)}


def _every_warning_is_a_value(r: akn_ep.Resolution) -> None:
    for w in r.report.warnings:
        assert isinstance(w, ParseWarning) and w.rule, repr(w)


# -- the real AI Act, in every rendition -------------------------------------------------------


@functools.cache
def _ai_act(rendition: str) -> tuple[akn_ep.Resolution, str | None]:
    if rendition == "pdf":
        return akn_ep.parse_pdf(AI_ACT), None
    text = {"pdftotext": ai_act_pdftotext,
            "pdftotext-layout": lambda: ai_act_pdftotext("-layout"),
            "pdfminer": ai_act_pdfminer}[rendition]()
    return akn_ep.parse_text(text), text


AI_RENDITIONS = ["pdf", "pdftotext", "pdftotext-layout", "pdfminer"]
#: The warnings on the resolution's part in each rendition, by rule, by hand: pdfminer prints
#: the citations' dashes as a column apart from their text ("marker-column"), joined by order,
#: a choice; pdftotext's notes ("1", "2", then two bodies of one line each) leave none to make.
AI_RULES = {"pdf": set(), "pdftotext": set(), "pdftotext-layout": set(),
            "pdfminer": {"marker-column"}}


@needs_real
@pytest.mark.parametrize("rendition", AI_RENDITIONS)
def test_ai_act_resolution_has_its_hand_counts(rendition):
    m = _manifest(REAL / "manifest.json")[AI_ACT.name]
    r, _ = _ai_act(rendition)
    assert r.lang == m["language"]
    assert _ws(r.title) == _ws(m["title"])
    assert r.date == dt.date.fromisoformat(m["date"]) and r.date_source == "printed"
    assert (r.procedure, r.ta_number) == (m["procedure"], m["ta_number"])
    assert r.heading == m["short_title_line"]
    assert (len(r.citations), len(r.recitals), len(list(r.paragraphs())),
            len(list(iter_footnotes(r)))) == (m["n_citations"], m["n_recitals"],
                                              m["n_paragraphs"], m["n_footnotes"])
    assert [p.num for p in r.paragraphs()] == [f"{i + 1}." for i in range(m["n_paragraphs"])]


@needs_real
@pytest.mark.parametrize("rendition", AI_RENDITIONS)
def test_ai_act_warnings_where_the_reader_chose(rendition):
    r, text = _ai_act(rendition)
    _every_warning_is_a_value(r)
    # the resolution's part ends where the position's notes start again at 1 (what is said
    # about the position, issue #14, from that line on is not pinned here)
    [restart] = [w for w in r.report.warnings if "numbering starts again" in w]
    assert restart.rule == "footnote"
    assert _rules(r, before=restart.line) == AI_RULES[rendition]
    if text is not None:
        assert_every_word(text, r)


@needs_real
@pytest.mark.parametrize("rendition", ["pdftotext", "pdftotext-layout"])
def test_ai_act_whole_text_rendition_converts_and_validates(rendition):
    r, _ = _ai_act(rendition)
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert akn_ep.from_akn(xml) == r


# -- the corpus texts: clean inputs carry no spurious warning ----------------------------------


def _corpus_cases() -> list[tuple[str, dict]]:
    cases = [("seed/000_844d43a262bbbfb9.txt", {"date": "2012-03-15"})]
    for name, e in _manifest(CORPUS / "manifest.json").items():
        cases.append((e["file"], e))
        cases += [(f"pdf-extracted/{tool}/{name}", e)
                  for tool in ("pdftotext", "pdftotext-layout", "pdfminer")]
    return cases


#: Read off the files by hand: the seed's title lacks its closing parenthesis; tibetjustice
#: prints "1 Deplores" and "4 Instructs" without their dots (manifest notes).
_EXPECTED_RULES = {"000_844d43a262bbbfb9.txt": {"procedure"},
                   "tibetjustice-ep12_EN.txt": {"date", "number-dot"}}


@needs_corpus
@pytest.mark.parametrize("rel,entry", _corpus_cases(), ids=lambda x: x if isinstance(x, str)
                         else "")
def test_corpus_warnings_are_only_what_the_source_says(rel, entry):
    r = akn_ep.parse_text((CORPUS / rel).read_bytes())
    _every_warning_is_a_value(r)
    name = Path(rel).name
    # a text that prints no date gets the documented fallback, said ("date"); nothing else
    # but what the manifest notes (the same in every rendition of one text)
    want = _EXPECTED_RULES.get(name, {"date"} if entry.get("date") is None else set())
    assert _rules(r) == want


# -- the two web pages, by parse_html ------------------------------------------------------------

PAGES = ["RC-10-2025-0249_EN.html", "A-9-2024-0163_EN.html"]


@functools.cache
def _page(name: str) -> akn_ep.Resolution:
    return akn_ep.parse_html(HTML / name)


def _notes_called(r: akn_ep.Resolution) -> int:
    """Footnote calls the page prints: notes attached, and raised calls the page gives no note
    for (said in a "footnote" warning, the call kept as text)."""
    unbodied = [w for w in r.report.warnings if w.rule == "footnote" and "no note" in w]
    return len(list(iter_footnotes(r))) + len(unbodied)


@needs_html
@pytest.mark.parametrize("name", PAGES)
def test_page_has_its_hand_counts(name):
    m = _manifest(HTML / "manifest.json")[name]
    r = _page(name)
    assert r.lang == m["language"]
    assert _ws(r.title).casefold() == _ws(m["title"]).casefold()  # the h2 is in capitals
    assert (r.procedure, r.date) == (m["procedure"], dt.date.fromisoformat(m["date"]))
    assert (len(r.citations), len(r.recitals), len(list(r.paragraphs()))) == (
        m["n_citations"], m["n_recitals"], m["n_paragraphs"])
    assert _notes_called(r) == m["n_footnotes"]
    assert len(r.amendments) == m.get("n_amendments", 0)
    # the manifest's TA number is the text adopted later (the page's "Texts adopted :" box): a
    # motion or report is not that text, so it is not the model's number; it is kept, reported
    assert r.ta_number is None
    assert m["ta_number"] in [a.text for a in r.report.artefacts if a.kind == "page-head"]


#: Warnings by rule, by hand: the report's "13" is raised in the present text with no note on
#: the page (manifest notes); the joint motion has nothing to guess.
PAGE_RULES = {"RC-10-2025-0249_EN.html": set(), "A-9-2024-0163_EN.html": {"footnote"}}


@needs_html
@pytest.mark.parametrize("name", PAGES)
def test_page_warnings_are_values_with_their_rules(name):
    r = _page(name)
    _every_warning_is_a_value(r)
    assert _rules(r) == PAGE_RULES[name]


# -- the two web pages as a person copies them from a browser -----------------------------------

#: Not rendered, so never copied.
_UNSEEN = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "img",
                     "button", "select", "option", "input", "textarea", "iframe", "object"})
#: Elements a browser lays out as blocks: each starts a new line of the copy.
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
                     "dd", "blockquote", "section", "article", "main", "aside", "header",
                     "footer", "nav", "table", "tr", "caption", "hr", "pre", "figure",
                     "figcaption", "address", "center", "form"})
_ASCII_SPACE = re.compile(r"[ \t\r\n\f]+")
_TAB = "\x00"  # the tab between cells, kept apart from the white space that collapses


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or el.get("hidden") is not None


def browser_copy(page: bytes) -> str:
    """The text a person gets from the page by selecting the document part and copying it in
    Chrome or Firefox (an APPROXIMATION, built here with lxml, not by a browser).

    The document part is the page's ``<main>`` (the site's menus and header are outside it).
    Visible text only: no scripts or styles, nothing hidden by ``display:none``,
    ``visibility:hidden`` or ``hidden``. One line per block (a paragraph, heading, list item,
    ``<br>``); within a line, runs of ASCII white space become one space as the browser lays
    them out, while no-break spaces (the separators after "A." and "1.") and non-breaking
    hyphens stay as printed. A table row is one line, its cells separated by a tab as both
    browsers copy them, a cell's paragraphs joined by a space (browsers differ there). The
    item markers ("–", "A.", "1.") are text in these pages; neither page has an ``<ol>`` in
    its document part, whose numbers a browser would add.
    """
    root = lhtml.fromstring(page, parser=lhtml.HTMLParser(encoding="utf-8"))
    part = root.find(".//main")
    assert part is not None, "the page has no <main>: say which part a person copies"
    assert part.find(".//ol") is None
    lines: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = _ASCII_SPACE.sub(" ", "".join(run)).strip(" ")
        text = re.sub(f" ?{_TAB} ?", "\t", text)
        if text.strip():
            lines.append(text)
        run.clear()

    def walk(el, in_cell: bool) -> None:
        if not isinstance(el.tag, str) or el.tag in _UNSEEN or _hidden(el):
            return
        cell = el.tag in ("td", "th")
        block = el.tag in _BLOCKS and (not in_cell or el.tag in ("table", "tr"))
        if block or el.tag == "br" and not in_cell:
            flush()
        elif in_cell and (el.tag in _BLOCKS or el.tag == "br"):
            run.append(" ")
        if cell and any(isinstance(x.tag, str) and x.tag in ("td", "th")
                        for x in el.itersiblings(preceding=True)):
            run.append(_TAB)  # between cells, an empty one (or a no-break space) included
        run.append(el.text or "")
        for child in el:
            walk(child, (in_cell or cell) and child.tag not in ("table", "tr"))
            run.append(child.tail or "")
        if block:
            flush()

    walk(part, False)
    flush()
    return "\n".join(lines) + "\n"


def test_browser_copy_of_a_constructed_page():
    """A CONSTRUCTED page: what the copy keeps, and what it leaves out, by hand."""
    page = ("<html><body><nav>Menu</nav><main><h1>REPORT  on\n water</h1>"
            "<p style='display:none'>&lt;Date&gt;</p><p><span>A.</span><span>\u00a0</span>"
            "whereas B10\u20110249/2025<sup>1</sup>;</p><table><tr><td><p>old</p></td><td>"
            "<p>new</p></td></tr><tr><td>\u00a0</td><td>(a)</td></tr></table><p>x<br/>y</p>"
            "<script>var a;</script></main>"
            "<footer>Legal notice</footer></body></html>").encode()
    assert browser_copy(page) == ("REPORT on water\nA.\u00a0whereas B10\u20110249/20251;\n"
                                  "old\tnew\n\u00a0\t(a)\nx\ny\n")


@functools.cache
def _copied(name: str) -> tuple[akn_ep.Resolution, str]:
    text = browser_copy((HTML / name).read_bytes())
    return akn_ep.parse_text(text), text


@needs_html
@pytest.mark.parametrize("name", PAGES)
def test_web_copy_has_the_items_hand_counts(name):
    m = _manifest(HTML / "manifest.json")[name]
    r, text = _copied(name)
    assert r.lang == m["language"]
    assert _ws(r.title).casefold() == _ws(m["title"]).casefold()
    assert r.procedure == m["procedure"]
    assert (len(r.citations), len(r.recitals), len(list(r.paragraphs()))) == (
        m["n_citations"], m["n_recitals"], m["n_paragraphs"])
    _every_warning_is_a_value(r)
    assert_every_word(text, r)


@needs_html
@pytest.mark.parametrize("name", PAGES)
def test_web_copy_has_the_page_date_and_no_borrowed_number(name):
    m = _manifest(HTML / "manifest.json")[name]
    r, _ = _copied(name)
    # the copy prints the page's date line ("7.5.2025 - (2025/2691(RSP))") before the title
    assert r.date == dt.date.fromisoformat(m["date"])
    # the TA number in the copied procedure box ("Texts adopted :") is not this document's
    assert r.ta_number is None
    assert m["ta_number"] in [h.text for h in r.head_lines]


@needs_html
@pytest.mark.xfail(strict=True, reason="known gap: the text route reads no amendments table "
                   "('Present text<TAB>Amendment' rows, notes under a rule in a cell); the page "
                   "itself reads them (parse_html): copied, they are kept as trailing text")
def test_web_copy_of_the_report_has_its_notes_and_amendments():
    m = _manifest(HTML / "manifest.json")["A-9-2024-0163_EN.html"]
    r, _ = _copied("A-9-2024-0163_EN.html")
    assert _notes_called(r) == m["n_footnotes"]
    assert len(r.amendments) == m["n_amendments"]


@needs_html
@pytest.mark.parametrize("name", PAGES)
def test_web_copy_warnings_by_rule(name):
    # by hand: the title prints no date; the page's date line gives it, said ("date")
    r, _ = _copied(name)
    assert _rules(r) == {"date"}


# -- the head of a copied page: CONSTRUCTED heads in the doceo layout, in three languages ------

_COPIED_HEADS = {
    "en": ("JOINT MOTION FOR A RESOLUTION on water", "Procedure : 2025/2691(RSP)",
           "Texts adopted :", "European Parliament resolution on water", "The European Parliament,",
           "1.\u00a0Instructs its President to forward this resolution to the Council."),
    "fr": ("PROPOSITION DE RÉSOLUTION COMMUNE sur l'eau", "Procédure : 2025/2691(RSP)",
           "Textes adoptés :", "Résolution du Parlement européen sur l'eau",
           "Le Parlement européen,",
           "1.\u00a0charge sa présidente de transmettre la présente résolution au Conseil."),
    "de": ("GEMEINSAMER ENTSCHLIESSUNGSANTRAG zum Wasser", "Verfahren : 2025/2691(RSP)",
           "Angenommene Texte :", "Entschließung des Europäischen Parlaments zum Wasser",
           "Das Europäische Parlament,",
           "1.\u00a0beauftragt seine Präsidentin, diese Entschließung dem Rat zu übermitteln."),
}


@pytest.mark.parametrize("lang", sorted(_COPIED_HEADS))
def test_copied_page_head_constructed(lang):
    """CONSTRUCTED: a motion's page copied from a browser, in the doceo layout (the page's
    title line, its date line, the motions it replaces with U+2011 hyphens, the procedure
    box's labels and values, then the text)."""
    h1, proc, adopted, title, formula, para = _COPIED_HEADS[lang]
    text = "\n".join([h1, "7.5.2025 - (2025/2691(RSP))", "B10\u20110249/2025 (Verts/ALE)",
                      "Jane Doe", proc, "Texts tabled :" if lang == "en" else "…:",
                      "RC-B10-0249/2025", adopted, "P10_TA(2025)0096",
                      f"{title} (2025/2691(RSP))", formula, para]) + "\n"
    r = akn_ep.parse_text(text)
    assert r.lang == lang and r.title == f"{title} (2025/2691(RSP))"
    # the date line dates it, said; the procedure box's TA number is another document's
    assert (r.date, r.date_source) == (dt.date(2025, 5, 7), "printed")
    assert [(w.rule, w.line) for w in r.report.warnings] == [("date", 2)]
    assert r.ta_number is None
    # no heading: the run before the title is a page's head, every line of it kept
    assert r.heading is None
    assert r.doc_refs == ("B10\u20110249/2025 (Verts/ALE)", "RC-B10-0249/2025")
    assert sorted(h.text for h in r.head_lines) == sorted(
        text.splitlines()[:9][i] for i in (0, 1, 2, 3, 4, 5, 6, 7, 8))


@pytest.mark.parametrize(("lang", "masthead", "short", "title", "formula"), [
    ("en", "TEXTS ADOPTED", "Artificial Intelligence Act",
     "European Parliament legislative resolution of 13 March 2024 on AI (2021/0106(COD))",
     "The European Parliament,"),
    ("fr", "TEXTES ADOPTÉS", "Législation sur l'intelligence artificielle",
     "Résolution législative du Parlement européen du 13 mars 2024 sur l'IA (2021/0106(COD))",
     "Le Parlement européen,"),
    ("lv", "PIEŅEMTIE TEKSTI", "Mākslīgā intelekta akts",
     "Eiropas Parlamenta 2024. gada 13. marta normatīvā rezolūcija par MI (2021/0106(COD))",
     "Eiropas Parlaments,"),
])
def test_masthead_after_the_short_title_constructed(lang, masthead, short, title, formula):
    """CONSTRUCTED page 1 of a text adopted as pdfminer orders it: the masthead's "TEXTS
    ADOPTED" after the short title. It is a head line; the short title is the heading."""
    text = (f"European Parliament\n2019-2024\n\nP9_TA(2024)0138\n\n{short}\n\n{masthead}\n\n"
            f"{title}\n\n{formula}\n\n1. x.\n")
    r = akn_ep.parse_text(text, lang=lang)
    assert r.heading == short
    assert [h.text for h in r.head_lines] == ["European Parliament", "2019-2024", masthead]
    assert r.ta_number == "P9_TA(2024)0138"
