"""The PDF route: constructed resolutions typeset as PDFs read back into the same model.

Every text here is constructed for these tests (fictional wording in the EP's
style, see ``tests/pdf_fixtures.py``), typeset with reportlab in the layout of
the Parliament's PDFs: A4, 11 pt body, hanging indents, raised footnote calls,
8 pt footnotes under a rule at the page foot, a running header, a footer and a
page number on every page. The PDF route must give the model the text route
gives for the same resolution's clean text.
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("reportlab", reason="reportlab (the test extra) typesets the test PDFs")

from reportlab.lib import pdfencrypt  # noqa: E402

import akn_ep  # noqa: E402
import pdf_fixtures as F  # noqa: E402
from akn_ep.model import FootnoteRef, Heading, iter_footnotes, iter_texts  # noqa: E402
from akn_ep.pdf import (  # noqa: E402
    extract_text,
    interpret,
    is_pdf,
    read_layout,
    read_lines,
    tokenizer,
)
from akn_ep.text.lines import Lines  # noqa: E402

HEADER, FOOTER = "P9_TA(2023)0612", "PE123.456v01-00"


@functools.cache
def english(justify: bool | str = "tw", note_marker: str = "sup", marker_dy: float = 0.0):
    """The English resolution as PDF bytes and its typesetting log (note 1 split over pages)."""
    return F.typeset(F.EN, split_notes={"1": 2}, justify=justify, note_marker=note_marker,
                     marker_dy=marker_dy)


@functools.cache
def from_text(source: str) -> akn_ep.Resolution:
    return akn_ep.parse_text(F.clean_text(source))


def all_strings(r: akn_ep.Resolution) -> list[str]:
    """Every piece of text in the model: head, items, footnote bodies."""
    out = [r.title, r.formula, r.heading or ""] + [h.text for h in r.head_lines]
    for text in iter_texts(r):
        out.extend(p if isinstance(p, str) else p.text for p in text)
    for annex in r.annexes:
        out.append(annex.title)
    return out


# -- the same model as the text route ----------------------------------------------------


@pytest.mark.parametrize("justify", ["tw", "words", False],
                         ids=["word-spacing", "words-placed", "left-aligned"])
@pytest.mark.parametrize("note_marker", ["sup", "plain"])
def test_english_pdf_equals_clean_text(justify, note_marker):
    data, _ = english(justify, note_marker)
    r = akn_ep.parse_pdf(data)
    assert r == from_text(F.EN)
    assert r.report.warnings == ()


def test_the_layout_exercises_what_it_should():
    """The typesetter put things where the tests below assume (guards against silent drift)."""
    _, log = english()
    assert log.pages >= 2
    assert log.call_page["1"] == 1 and log.note_pages["1"] == {1, 2}  # body continues on p. 2
    assert log.call_page["4"] == 2 and log.note_pages["4"] == {2}  # call and body on p. 2
    spanning = [log.item_text[i] for i, pages in log.item_pages.items() if len(pages) > 1]
    assert any(t.startswith("E. ") or t.startswith("whereas water utilities") for t in spanning)


def test_footnotes_attached_at_their_calls():
    data, _ = english()
    r = akn_ep.parse_pdf(data)
    notes = list(iter_footnotes(r))
    assert [n.marker for n in notes] == ["1", "2", "3", "4"]
    defs = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", F.EN, re.M))
    # the word each call is glued to in the source markup
    before = {m: w for w, m in re.findall(r"(\S+?)\[\^(\d+)\]", F.EN)}
    for text in iter_texts(r):
        for i, part in enumerate(text):
            if isinstance(part, FootnoteRef):
                assert part.text == defs[part.marker]
                assert isinstance(text[i - 1], str)
                assert text[i - 1].endswith(before[part.marker]), (part.marker, text[i - 1][-40:])
    # note 1, whose body runs over the page break, is whole
    assert notes[0].text.endswith("compared across the Union and over time.")


def test_no_page_furniture_left_in_any_text():
    data, log = english()
    r = akn_ep.parse_pdf(data)
    for s in all_strings(r):
        assert FOOTER not in s
        assert HEADER not in s
        assert not re.fullmatch(r"\d{1,3}", s.strip())
    assert r.ta_number == HEADER  # the head's own TA number is text, the running header is not
    arts = r.report.artefacts
    assert [a.text for a in arts if a.kind == "page-number"] == [str(p) for p in
                                                                  range(1, log.pages + 1)]
    assert sum(a.kind == "running-header" and a.text == HEADER for a in arts) == log.pages
    assert sum(a.kind == "running-footer" and a.text == FOOTER for a in arts) == log.pages


def test_structure_points_headings_annex():
    data, _ = english()
    r = akn_ep.parse_pdf(data)
    assert len(r.citations) == 5 and [x.letter for x in r.recitals] == list("ABCDEF")
    headings = [b for b in r.body if isinstance(b, Heading)]
    assert [h.text for h in headings] == ["General considerations", "Cooperation and funding"]
    assert [p.number for p in headings[0].paragraphs] == ["1", "2", "3"]
    p2 = headings[0].paragraphs[1]
    assert [p.num for p in p2.points] == ["(a)", "(b)", "(c)"]
    assert [p.num for p in p2.points[1].points] == ["(i)", "(ii)"]
    p4 = headings[1].paragraphs[0]
    assert [p.num for p in p4.points] == ["–", "–"]
    assert [a.title for a in r.annexes] == ["ANNEX"] and len(r.annexes[0].blocks) == 3


def test_recital_across_a_page_break_is_one_item():
    data, _ = english()
    r = akn_ep.parse_pdf(data)
    source = next(line for line in F.EN.splitlines() if line.startswith("E. "))
    assert r.recitals[4].text == (source[3:],)


def test_marker_off_its_texts_baseline_stays_with_it():
    data, _ = english(marker_dy=2.0)
    assert akn_ep.parse_pdf(data) == from_text(F.EN)


@pytest.mark.parametrize("name", ["LV", "EL"])
def test_non_latin_languages(name):
    fonts = F.dejavu()
    if fonts is None:
        pytest.skip(f"DejaVu Sans not installed in {F.DEJAVU_DIR} (Debian: fonts-dejavu-core); "
                    "reportlab's standard fonts lack Latvian and Greek letters")
    source = getattr(F, name)
    for justify in ("tw", "words"):
        data, _ = F.typeset(source, font=fonts[0], bold=fonts[1], justify=justify)
        r = akn_ep.parse_pdf(data)
        assert r.lang == name.lower()
        assert r == from_text(source)
        assert len(list(iter_footnotes(r))) == 2
        assert all(FOOTER not in s for s in all_strings(r))


def test_long_resolution_ten_pages():
    source = F.long_resolution(10)
    data, log = F.typeset(source)
    assert log.pages >= 9
    r = akn_ep.parse_pdf(data)
    assert r == akn_ep.parse_text(F.clean_text(source))
    assert len(list(iter_footnotes(r))) == len(re.findall(r"^\[\^\d+\]:", source, re.M))


# -- the reader's own API ---------------------------------------------------------------------


def test_sources_bytes_path_file(tmp_path):
    data, _ = english()
    path = tmp_path / "resolution.pdf"
    path.write_bytes(data)
    expected = from_text(F.EN)
    assert akn_ep.parse_pdf(path) == expected
    assert akn_ep.parse_pdf(str(path)) == expected
    assert akn_ep.parse_pdf(io.BytesIO(data)) == expected
    assert akn_ep.parse_pdf(bytearray(data)) == expected


def test_read_lines_gives_the_text_routes_type():
    data, _ = english()
    lines = read_lines(data)
    assert isinstance(lines, Lines)
    assert [f.marker for f in lines.footnotes] == ["1", "2", "3", "4"]
    call_line = next(ln for ln in lines.lines if "regions1," in ln.text)
    assert call_line.text.endswith("in agricultural regions1,")
    assert all(f.line > call_line.no for f in lines.footnotes)
    assert any(ln.page_break for ln in lines.lines)


def test_line_numbers_are_those_of_extract_text():
    data, _ = english()
    text_lines = extract_text(data).split("\n")
    layout = read_layout(data)
    for a in layout.lines.artefacts:
        if a.kind in ("page-number", "running-header", "running-footer"):
            assert a.text in text_lines[a.line - 1]
    for ln in layout.lines.lines:
        assert text_lines[ln.no - 1].lstrip("\f") == ln.text
    assert extract_text(data).count("\f") == layout.pages - 1


def test_fast_tokenizer_reads_what_pdfminer_reads(monkeypatch):
    docs = [english()[0], english("words")[0], english(False)[0], F.image_only_pdf(1)]

    def glyphs(data):
        return [(p.number, [(round(c.x0, 3), round(c.x1, 3), round(c.y, 3), c.size, c.text)
                            for c in p.chars], p.rules, p.images)
                for p in interpret.interpret_pages(data)]

    fast = [glyphs(d) for d in docs]
    monkeypatch.setattr(interpret, "FAST_TOKENIZER", False)
    assert [glyphs(d) for d in docs] == fast


def test_content_tokens():
    from pdfminer.psparser import KWD, LIT

    objs = list(tokenizer.content_objects(
        b"BT /F1 11 Tf 1 0 0 1 70.5 -.5 Tm [(A\\(b\\)\\101) -250 <48 49>] TJ "
        b"/Span <</ActualText (x) /K [1 2]>> BDC true null % comment\n ET"))
    assert objs == [KWD(b"BT"), LIT("F1"), 11, KWD(b"Tf"), 1, 0, 0, 1, 70.5, -0.5, KWD(b"Tm"),
                    [b"A(b)A", -250, b"HI"], KWD(b"TJ"), LIT("Span"),
                    {"ActualText": b"x", "K": [1, 2]}, KWD(b"BDC"), True, None, KWD(b"ET")]


def test_is_pdf_by_content():
    assert is_pdf(english()[0])
    assert is_pdf(b"\n\n%PDF-1.7")
    assert not is_pdf(F.clean_text(F.EN).encode())


# -- what is not a readable resolution PDF ---------------------------------------------------


def test_encrypted_with_a_password():
    data, _ = F.typeset(F.EN, encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    with pytest.raises(akn_ep.ParseError, match="encrypted and needs a password"):
        akn_ep.parse_pdf(data)


def test_encrypted_without_a_user_password_reads():
    """Permissions only (an owner password): the file opens, as in any viewer."""
    enc = pdfencrypt.StandardEncryption("", "owner", canCopy=0, canModify=0)
    data, _ = F.typeset(F.EN, split_notes={"1": 2}, encrypt=enc)
    assert akn_ep.parse_pdf(data) == from_text(F.EN)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated(keep):
    data, _ = english()
    with pytest.raises(akn_ep.ParseError, match="damaged.*truncated"):
        akn_ep.parse_pdf(data[: int(len(data) * keep)])


def test_damaged_inside():
    data, _ = english()
    xref = data.rindex(b"startxref")
    broken = (data[:200] + b"\x00garbage)(<<" * 40 + data[200 + 480: xref]
              + b"startxref\n99999999\n%%EOF\n")
    with pytest.raises(akn_ep.ParseError, match="damaged and cannot be read"):
        akn_ep.parse_pdf(broken)


def test_corrupt_page_content():
    data, _ = english()
    at = data.index(b"stream\n") + 60  # inside the first compressed content stream
    broken = data[:at] + bytes(200) + data[at + 200:]
    with pytest.raises(akn_ep.ParseError, match=r"damaged: the content of page\(s\) 1 is corrupt"):
        akn_ep.parse_pdf(broken)


def test_not_a_pdf():
    with pytest.raises(akn_ep.ParseError, match="not a PDF"):
        akn_ep.parse_pdf(b"European Parliament resolution of ...")


def test_image_only_pdf_has_no_text_layer():
    with pytest.raises(akn_ep.ParseError, match="no text layer") as err:
        akn_ep.parse_pdf(F.image_only_pdf())
    assert "OCR" in str(err.value) and "2 page(s)" in str(err.value)


def test_a_letter_is_not_a_resolution():
    with pytest.raises(akn_ep.ParseError) as err:
        akn_ep.parse_pdf(F.letter_pdf())
    message = str(err.value)
    assert "does not read as a European Parliament resolution" in message
    assert "PDF page 1" in message


def test_numbering_slip_strict_and_lenient():
    source = F.EN.replace("\n3. Stresses that the cost", "\n5. Stresses that the cost")
    data, _ = F.typeset(source, split_notes={"1": 2})
    with pytest.raises(akn_ep.ParseError, match=r"paragraph 5 where 3 was expected \(PDF page"):
        akn_ep.parse_pdf(data)
    r = akn_ep.parse_pdf(data, strict=False)
    assert any("page" in w and "paragraph 5" in w for w in r.warnings)


def test_lang_and_date_are_passed_on():
    data, _ = english()
    assert akn_ep.parse_pdf(data, lang="en").lang == "en"
    with pytest.raises(akn_ep.ParseError):
        akn_ep.parse_pdf(data, lang="lv")  # no Latvian formula in an English text


# -- command line --------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "akn_ep.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_converts_a_pdf_recognised_by_content(tmp_path: Path):
    data, _ = english()
    src = tmp_path / "resolution.txt"  # misnamed on purpose: the content decides
    src.write_bytes(data)
    out = tmp_path / "out.xml"
    done = _cli("convert", str(src), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert akn_ep.validate(out.read_bytes()) == []
    assert akn_ep.from_akn(out.read_bytes()) == from_text(F.EN)


def test_cli_scanned_pdf_fails_clearly(tmp_path: Path):
    src = tmp_path / "scan.pdf"
    src.write_bytes(F.image_only_pdf(1))
    done = _cli("convert", str(src), "-o", str(tmp_path / "out.xml"))
    assert done.returncode == 1
    assert "no text layer" in done.stderr
    assert not (tmp_path / "out.xml").exists()


