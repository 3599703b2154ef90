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
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import akn_ep
from akn_ep.lines import Call, Footnote, Line
from akn_ep.model import FootnoteRef, iter_footnotes
from akn_ep.pdf import extract_text, read_layout
from akn_ep.text.lines import normalise

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_corpus import SHARED, assert_every_word  # noqa: E402

REAL = SHARED / "corpus" / "real" / "TA-9-2024-0138_EN.pdf"
needs_real = pytest.mark.skipif(
    not REAL.is_file(), reason=f"the real EP PDF is not at {REAL} (../shared beside the repository)")

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


def _pdftotext(*options: str) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        message = ("pdftotext is not installed (Debian: poppler-utils): the pdftotext renditions "
                   "of the real PDF cannot be made")
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must install poppler-utils (see the README's test "
                        "command)", pytrace=False)
        pytest.skip(message)
    return _run_pdftotext(exe, options)


@functools.cache
def _run_pdftotext(exe: str, options: tuple[str, ...]) -> str:
    done = subprocess.run([exe, *options, "-enc", "UTF-8", str(REAL), "-"], check=True,
                          capture_output=True, timeout=120)
    return done.stdout.decode("utf-8")


@functools.cache
def _pdfminer_text() -> str:
    # pdfminer's own layout analysis takes ~10 s a 100 pages: the resolution (pages 1-2) and
    # the start of the position (pages 3-4, its notes numbered again from 1) are enough here
    from pdfminer.high_level import extract_text as pdfminer_extract

    return pdfminer_extract(str(REAL), page_numbers=range(4))


@functools.cache
def _real_pdf() -> akn_ep.Resolution:
    return akn_ep.parse_pdf(REAL)


def _rendition(name: str) -> str:
    if name == "pdftotext":
        return _pdftotext()
    if name == "pdftotext-layout":
        return _pdftotext("-layout")
    return _pdfminer_text()


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
    lines = read_layout(REAL).lines
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
    assert by_no[33] == "on the Environment, Public Health and Food Safety and the Committee on Transport"


@needs_real
def test_real_pdf_whole_document_converts_and_validates():
    r = _real_pdf()
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert akn_ep.from_akn(xml) == r
    assert_every_word(extract_text(REAL), r)


@needs_real
def test_real_pdf_whole_pdftotext_document_validates():
    for text in (_pdftotext(), _pdftotext("-layout")):
        r = akn_ep.parse_text(text)
        assert akn_ep.validate(akn_ep.to_akn(r)) == []
