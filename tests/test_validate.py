"""Tests of akn_ep.akn.validate (schema + EP profile) and akn_ep.akn.safexml."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from lxml import etree

from akn_ep.akn import safexml
from akn_ep.akn import schema as xsd_schema
from akn_ep.akn.safexml import MalformedXmlError, UnsafeXmlError, parse_xml
from akn_ep.akn.validate import RULES, Issue, assert_valid, is_valid, validate
from akn_ep.akn.writer import AKN_NS, to_akn
from akn_ep.errors import AknReadError, InvalidDocumentError
from akn_ep.model import (
    Annex,
    Citation,
    FootnoteRef,
    Heading,
    HeadLine,
    Paragraph,
    Point,
    Recital,
    Resolution,
)

NS = {"a": AKN_NS}
A = f"{{{AKN_NS}}}"


def resolution(**changes) -> Resolution:
    """A resolution that uses every part of the model (as /tmp/t1.py does)."""
    fields = dict(
        lang="lv",
        title="Eiropas Parlamenta 2012. gada 15. marta rezolūcija par Kazahstānu (2012/2553(RSP))",
        formula="Eiropas Parlaments,",
        heading="Kazahstāna",
        date="2012-03-15",
        procedure="2012/2553(RSP)",
        ta_number="P7_TA(2012)0089",
        doc_refs=("B7-0001/2012",),
        head_lines=(HeadLine("stars", "***"),),
        citations=(
            Citation(("ņemot vērā rezolūciju", FootnoteRef("1", "Pieņemtie teksti."), ",")),
            Citation("ņemot vērā Reglamenta 110. panta 4. punktu,"),
        ),
        recitals=(Recital("A.", "tā kā x;"), Recital("B.", "tā kā y;"), Recital("C.", "tā kā z;")),
        body=(
            Heading("Vispārīgi", (
                Paragraph("1.", "uzsver;"),
                Paragraph("2.", "aicina:", (
                    Point("(a)", "x;"),
                    Point("(b)", None, (Point("(i)", "y"),)),
                    Point("–", "z"),
                )),
            )),
            Paragraph("3.", "uzdod priekšsēdētājam nosūtīt."),
        ),
        annexes=(Annex("PIELIKUMS", ("a", ("b", FootnoteRef("2", "piezīme")))),),
        trailing=("Nobeiguma teksts",),
    )
    fields.update(changes)
    return Resolution(**fields)


@pytest.fixture(scope="module")
def xml() -> bytes:
    return to_akn(resolution())


def mutate(xml: bytes, change: Callable[[etree._Element], None]) -> bytes:
    root = etree.fromstring(xml)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def one(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert len(found) >= 1, path
    return found[0]


def line_of(xml: bytes, path: str, index: int = 0) -> int:
    """Line of an element of a serialised document, independent of the validator."""
    return etree.fromstring(xml).xpath(path, namespaces=NS)[index].sourceline


def rules(issues: list[Issue]) -> list[str]:
    return [i.rule for i in issues]


def only(issues: list[Issue], rule: str) -> list[Issue]:
    return [i for i in issues if i.rule == rule]


# -- valid documents ---------------------------------------------------------------


def test_written_document_is_valid_in_every_input_form(xml, tmp_path):
    path = tmp_path / "r.xml"
    path.write_bytes(xml)
    assert validate(xml) == []
    assert validate(xml.decode("utf-8")) == []
    assert validate(path) == []
    assert validate(str(path)) == []
    assert validate(etree.fromstring(xml)) == []
    assert validate(etree.ElementTree(etree.fromstring(xml))) == []
    assert is_valid(xml)
    assert_valid(xml)


@pytest.mark.parametrize("lang, letters", [
    ("el", ("Α.", "Β.", "Γ.")),
    ("bg", ("А.", "Б.", "В.")),
    ("en", ("A.", "B.", "C.")),
])
def test_recitals_in_the_languages_own_alphabet_are_valid(lang, letters):
    r = resolution(lang=lang, recitals=tuple(Recital(n, "x;") for n in letters))
    assert validate(to_akn(r)) == []


def test_many_recitals_run_on_to_double_letters():
    from akn_ep.languages import get

    lv = get("lv")
    r = resolution(recitals=tuple(Recital(f"{lv.recital_letter(i)}.", "x;") for i in range(30)))
    xml = to_akn(r)
    assert b'<recital eId="recs_1__rec_AD">' in xml
    assert validate(xml) == []


def test_minimal_resolution_is_valid():
    r = Resolution(lang="en", title="European Parliament resolution on X",
                   formula="The European Parliament,", body=(Paragraph("1.", "Instructs."),))
    assert validate(to_akn(r)) == []


def test_other_printed_forms_of_numbers_are_accepted(xml):
    # "(A)" and "1" are not what the writer prints, but the sequence is right
    def change(root):
        for rec in root.iterfind(".//a:recital/a:num", NS):
            rec.text = f"({rec.text.strip('.')})"
        one(root, "//a:paragraph[@eId='para_1']/a:num").text = "1"

    assert validate(mutate(xml, change)) == []


# -- schema errors -------------------------------------------------------------------


def test_missing_required_element_is_a_schema_error_with_line(xml):
    bad = mutate(xml, lambda r: r.find(f"{A}statement/{A}mainBody").getparent().remove(
        r.find(f"{A}statement/{A}mainBody")))
    issues = only(validate(bad), "akn-schema")
    assert issues, validate(bad)
    assert any("mainBody" in i.message for i in issues)
    assert all(i.line is not None and i.line > 0 for i in issues)
    assert issues[0].path.startswith("/akomaNtoso/statement")


def test_schema_error_points_to_the_element_line(xml):
    bad = mutate(xml, lambda r: one(r, "//a:paragraph[@eId='para_3']").set("bogus", "1"))
    [issue] = validate(bad)
    assert issue.rule == "akn-schema"
    assert issue.line == line_of(bad, "//a:paragraph[@eId='para_3']")
    assert issue.path == "/akomaNtoso/statement/mainBody/paragraph"
    assert "bogus" in issue.message
    assert "{" + AKN_NS not in issue.message  # namespace noise removed


def test_wrong_namespace_is_a_schema_error_and_skips_the_profile(xml):
    bad = xml.replace(AKN_NS.encode(), b"http://example.org/not-akn")
    issues = validate(bad)
    assert rules(issues) == ["akn-schema"]
    assert issues[0].line == 2
    assert "No matching global declaration" in issues[0].message


def test_profile_false_reports_only_the_schema(xml):
    bad = mutate(xml, lambda r: r.find(f"{A}statement").set("name", "decision"))
    assert rules(validate(bad)) == ["ep-statement-name"]
    assert validate(bad, profile=False) == []


def test_detailed_gives_a_readable_reason(xml):
    def drop_country(root):
        country = one(root, "//a:FRBRWork/a:FRBRcountry")
        country.getparent().remove(country)

    bad = mutate(xml, drop_country)
    plain = only(validate(bad), "akn-schema")
    detailed = only(validate(bad, detailed=True), "akn-schema")
    assert len(detailed) == len(plain) == 1  # merged, not duplicated
    assert "Tag 'FRBRcountry' expected" in detailed[0].message
    assert "Tag 'FRBRcountry' expected" not in plain[0].message
    assert detailed[0].path == "/akomaNtoso/statement/meta/identification/FRBRWork/FRBRsubtype"
    assert detailed[0].line == plain[0].line == line_of(bad, "//a:FRBRWork/a:FRBRsubtype")


# -- profile rules ---------------------------------------------------------------------


def test_duplicate_eid(xml):
    bad = mutate(xml, lambda r: one(r, "//a:paragraph[@eId='para_3']").set("eId", "para_1"))
    issues = validate(bad)
    [dup] = only(issues, "ep-eid-unique")
    assert dup.line == line_of(bad, "//a:paragraph[@eId='para_1']", index=1)
    first = line_of(bad, "//a:paragraph[@eId='para_1']")
    assert f"first on line {first}" in dup.message
    assert "akn-schema" in rules(issues)  # the XSD's xsd:unique says so too


def test_recital_letter_gap(xml):
    def gap(root):
        one(root, "//a:recital[2]/a:num").text = "C."
        one(root, "//a:recital[3]/a:num").text = "D."

    bad = mutate(xml, gap)
    [issue] = validate(bad)  # counting resumes after the gap: one gap, one issue
    assert issue.rule == "ep-recital-sequence"
    assert issue.message == 'recital letter "C" where "B" was expected'
    assert issue.line == line_of(bad, "//a:recital[2]")
    assert issue.path == "/akomaNtoso/statement/preamble/recitals/recital[2]"
    assert str(issue) == (f"line {issue.line}: /akomaNtoso/statement/preamble/recitals/"
                          'recital[2]: [ep-recital-sequence] recital letter "C" where "B" '
                          "was expected")


def test_greek_recital_gap_names_the_greek_letter():
    r = resolution(lang="el", recitals=(Recital("Α.", "x;"), Recital("Γ.", "y;")))
    issues = validate(to_akn(r))
    [issue] = only(issues, "ep-recital-sequence")
    assert issue.message == 'recital letter "Γ" where "Β" was expected'
    # the writer keys the eId by the letter (rec_C); the profile wants the position (rec_B)
    assert rules(issues) == ["ep-recital-eid", "ep-recital-sequence"]


def test_latin_look_alikes_in_a_greek_document_count_by_position():
    # Greek typists mix Latin A, B with Greek Α, Β (they look the same on the page); the
    # parser keeps the letters as printed, so the profile counts them by position, as the
    # parser does (one definition: Language.recital_index)
    mixed = resolution(lang="el", recitals=(Recital("Α.", "x·"), Recital("B.", "y·"),
                                            Recital("Γ.", "z·")))
    assert validate(to_akn(mixed)) == []
    # a gap is still a gap, whatever the script: Greek Α then Latin C
    gap = resolution(lang="el", recitals=(Recital("Α.", "x·"), Recital("C.", "y·")))
    issues = validate(to_akn(gap))
    assert rules(issues) == ["ep-recital-eid", "ep-recital-sequence"]
    assert issues[1].message == 'recital letter "C" where "Β" was expected'


def test_recital_eid_follows_the_position(xml):
    bad = mutate(xml, lambda r: one(r, "//a:recital[2]").set("eId", "recs_1__rec_X"))
    [issue] = validate(bad)
    assert issue.rule == "ep-recital-eid"
    assert '"recs_1__rec_B"' in issue.message
    assert issue.line == line_of(bad, "//a:recital[2]")


def test_paragraph_number_gap_across_hcontainers(xml):
    bad = mutate(xml, lambda r: setattr(one(r, "//a:paragraph[@eId='para_2']/a:num"),
                                        "text", "3."))
    issues = validate(bad)
    assert rules(issues) == ["ep-paragraph-sequence", "ep-paragraph-sequence"]
    assert issues[0].message == 'paragraph number "3" where "2" was expected'
    assert issues[0].line == line_of(bad, "//a:paragraph[@eId='para_2']")
    # para_3 (outside the hcontainer) repeats 3: counting ran on through the heading
    assert issues[1].message == 'paragraph number "3" where "4" was expected'
    assert issues[1].path == "/akomaNtoso/statement/mainBody/paragraph"


def test_paragraphs_one_three():
    r = resolution(body=(Paragraph("1.", "a;"), Paragraph("3.", "b.")))
    [issue] = validate(to_akn(r))
    assert issue.rule == "ep-paragraph-sequence"
    assert issue.message == 'paragraph number "3" where "2" was expected'


def test_paragraph_without_a_number(xml):
    bad = mutate(xml, lambda r: setattr(one(r, "//a:paragraph[@eId='para_1']/a:num"),
                                        "text", "x"))
    [issue] = validate(bad)
    assert issue.message == 'paragraph number "x" where "1" was expected'

    def drop(root):
        num = one(root, "//a:paragraph[@eId='para_2']/a:num")
        num.getparent().remove(num)

    [issue] = validate(mutate(xml, drop))
    assert issue.message == 'paragraph without a number where "2" was expected'


def test_recital_without_a_letter(xml):
    def drop(root):
        num = one(root, "//a:recital[2]/a:num")
        num.getparent().remove(num)

    [issue] = validate(mutate(xml, drop))
    assert issue.rule == "ep-recital-sequence"
    assert issue.message == 'recital without a letter where "B" was expected'


def test_expression_iri_not_under_work_iri(xml):
    def change(root):
        uri = one(root, "//a:statement/a:meta//a:FRBRExpression/a:FRBRuri")
        uri.set("value", uri.get("value").replace("TA-7-2012-0089", "TA-7-2012-0090"))

    bad = mutate(xml, change)
    issues = validate(bad)
    assert "ep-expression-under-work" in rules(issues)
    [issue] = only(issues, "ep-expression-under-work")
    assert issue.line == line_of(bad, "//a:statement/a:meta//a:FRBRExpression/a:FRBRuri")
    # the manifestation is no longer under the expression either
    assert "ep-manifestation-under-expression" in rules(issues)


def test_expression_iri_must_end_with_language_and_date(xml):
    bad = mutate(xml, lambda r: one(r, "//a:statement/a:meta//a:FRBRlanguage").set(
        "language", "eng"))
    [issue] = validate(bad)
    assert issue.rule == "ep-expression-version"
    assert '"/eng@2012-03-15"' in issue.message


def test_wrong_celex(xml):
    bad = mutate(xml, lambda r: one(r, "//a:FRBRalias[@name='CELEX']").set("value",
                                                                          "52012IP0090"))
    [issue] = validate(bad)
    assert issue.rule == "ep-celex"
    assert '"52012IP0089"' in issue.message
    assert issue.line == line_of(bad, "//a:FRBRalias[@name='CELEX']")


def test_legislative_celex_is_accepted(xml):
    ok = mutate(xml, lambda r: one(r, "//a:FRBRalias[@name='CELEX']").set("value",
                                                                         "52012AP0089"))
    assert validate(ok) == []


def test_work_number_must_match_texts_adopted_number(xml):
    def change(root):
        one(root, "//a:statement/a:meta//a:FRBRWork/a:FRBRnumber").set("value", "TA-7-2012-0090")

    issues = validate(mutate(xml, change))
    assert {"ep-ta-number", "ep-work-iri"} <= set(rules(issues))


def test_texts_adopted_number_of_another_year_than_the_adoption_date(xml):
    # the fixture is adopted on 2012-03-15 with P7_TA(2012)0089; all three numbers agree
    # with a TA number of 2013, but the resolution cannot be adopted in 2012 and be the
    # 89th text adopted in 2013
    def change(root):
        one(root, "//a:FRBRalias[@name='textsAdoptedNumber']").set("value", "P7_TA(2013)0089")
        one(root, "//a:statement/a:meta//a:FRBRWork/a:FRBRnumber").set("value", "TA-7-2013-0089")
        one(root, "//a:FRBRalias[@name='CELEX']").set("value", "52013IP0089")
        for el in root.iter(f"{A}FRBRuri", f"{A}FRBRthis"):
            el.set("value", el.get("value").replace("TA-7-2012-0089", "TA-7-2013-0089"))

    bad = mutate(xml, change)
    [issue] = validate(bad)
    assert issue.rule == "ep-ta-year"
    assert '"P7_TA(2013)0089"' in issue.message and '"2012-03-15"' in issue.message
    assert issue.line == line_of(bad, "//a:FRBRalias[@name='textsAdoptedNumber']")


def test_malformed_texts_adopted_number(xml):
    bad = mutate(xml, lambda r: one(r, "//a:FRBRalias[@name='textsAdoptedNumber']").set(
        "value", "P7-TA-2012-0089"))
    assert rules(validate(bad)) == ["ep-ta-number"]


def test_work_iri_and_country(xml):
    def change(root):
        work = one(root, "//a:statement/a:meta//a:FRBRWork")
        work.find(f"{A}FRBRcountry").set("value", "lv")
        work.find(f"{A}FRBRdate").set("date", "2012-03-16")

    issues = validate(mutate(xml, change))
    assert "ep-work-country" in rules(issues)
    assert "ep-work-iri" in rules(issues)
    assert "ep-docdate" in rules(issues)  # the preface date no longer agrees


def test_docdate_differs(xml):
    bad = mutate(xml, lambda r: one(r, "//a:preface//a:docDate").set("date", "2012-03-16"))
    [issue] = validate(bad)
    assert issue.rule == "ep-docdate"
    assert issue.line == line_of(bad, "//a:preface//a:docDate")


def test_bad_statement_name(xml):
    bad = mutate(xml, lambda r: r.find(f"{A}statement").set("name", "decision"))
    [issue] = validate(bad)
    assert issue.rule == "ep-statement-name"
    assert issue.line == line_of(bad, "/a:akomaNtoso/a:statement") == 3
    assert issue.path == "/akomaNtoso/statement"


def test_motions_and_reports_have_their_own_names_and_iris():
    """statement/@name of a motion or report read from its web page (html route) is its
    own, and its work IRI's subtype is that name (ported from validate.py into profile.py)."""
    for kind, name in (("motion", "motionForResolution"),
                       ("jointMotion", "jointMotionForResolution"), ("report", "report")):
        doc = to_akn(resolution(kind=kind, doc_number="B7-0001/2012", ta_number=None))
        assert validate(doc) == [], kind
        statement = etree.fromstring(doc).find(f"{A}statement")
        assert statement.get("name") == name
        # the same document named a resolution: its IRI is a motion's, not a resolution's
        renamed = mutate(doc, lambda r: r.find(f"{A}statement").set("name", "resolution"))
        assert rules(validate(renamed)) == ["ep-work-iri"], kind


def test_citation_eids_in_order(xml):
    bad = mutate(xml, lambda r: one(r, "//a:citation[2]").set("eId", "cits_1__cit_7"))
    [issue] = validate(bad)
    assert issue.rule == "ep-citation-eid"
    assert '"cits_1__cit_2"' in issue.message


def test_authorial_note_eids_count_in_document_order(xml):
    # the second note is in the annex: numbering runs through the attachments
    bad = mutate(xml, lambda r: one(r, "(//a:authorialNote)[2]").set("eId",
                                                                    "authorialNote_9"))
    [issue] = validate(bad)
    assert issue.rule == "ep-note-eid"
    assert '"authorialNote_2"' in issue.message
    assert issue.path.startswith("/akomaNtoso/statement/attachments/")


def test_note_ref_must_resolve(xml):
    def add_refs(root):
        p = one(root, "//a:paragraph[@eId='para_3']/a:content/a:p")
        etree.SubElement(p, f"{A}noteRef", href="#authorialNote_1")
        etree.SubElement(p, f"{A}noteRef", href="#authorialNote_7")

    issues = validate(mutate(xml, add_refs))
    assert rules(issues) == ["ep-noteref-target"]
    assert "#authorialNote_7" in issues[0].message


def test_unknown_language(xml):
    bad = mutate(xml, lambda r: one(r, "//a:statement/a:meta//a:FRBRlanguage").set(
        "language", "xxx"))
    assert "ep-language" in rules(validate(bad))


# -- API -------------------------------------------------------------------------------


def test_issue_str_without_line_or_path():
    assert str(Issue("", "xml-unsafe", "refused")) == "[xml-unsafe] refused"
    assert str(Issue("/a", "r", "m")) == "/a: [r] m"


def test_assert_valid_raises_with_the_issues(xml):
    bad = mutate(xml, lambda r: r.find(f"{A}statement").set("name", "decision"))
    with pytest.raises(InvalidDocumentError) as info:
        assert_valid(bad)
    assert rules(info.value.issues) == ["ep-statement-name"]
    assert not is_valid(bad)


def test_every_reported_rule_is_documented(xml):
    assert set(RULES) >= {
        "xml-unsafe", "xml-wellformed", "akn-schema", "ep-statement-name", "ep-work-iri",
        "ep-work-country", "ep-ta-number", "ep-celex", "ep-expression-under-work",
        "ep-expression-version", "ep-manifestation-under-expression", "ep-docdate",
        "ep-citation-eid", "ep-language", "ep-recital-sequence", "ep-recital-eid",
        "ep-paragraph-sequence", "ep-note-eid", "ep-noteref-target", "ep-eid-unique",
    }
    from importlib import resources

    readme = (resources.files("akn_ep") / "schemas" / "README.md").read_text("utf-8")
    for rule in RULES:
        assert f"`{rule}`" in readme, rule


def test_every_profile_rule_is_declared_once_and_an_undeclared_one_is_refused():
    from akn_ep.akn import profile

    declared = [v.id for v in vars(profile).values() if isinstance(v, profile.Rule)]
    assert len(declared) == len(set(declared))
    assert set(declared) == {r for r in RULES if r.startswith("ep-")}
    with pytest.raises(ValueError, match="ep-made-up"):
        profile.Rule("ep-made-up")


# -- schema loading is offline ---------------------------------------------------------------


def test_schema_imports_are_local_files():
    xsd = etree.parse(str(xsd_schema._xsd_dir() / "akomantoso30.xsd"))
    locations = xsd.xpath("//xs:import/@schemaLocation | //xs:include/@schemaLocation",
                          namespaces={"xs": "http://www.w3.org/2001/XMLSchema"})
    assert locations == ["./xml.xsd"]
    assert (xsd_schema._xsd_dir() / "xml.xsd").is_file()


def test_schema_resolver_refuses_anything_outside_the_schema_directory(tmp_path, monkeypatch):
    seen, refused = [], []
    resolve = xsd_schema._LocalSchemaResolver.resolve

    def spy(self, url, pubid, context):
        seen.append(url)
        try:
            return resolve(self, url, pubid, context)
        except Exception as exc:
            refused.append(str(exc))
            raise

    monkeypatch.setattr(xsd_schema._LocalSchemaResolver, "resolve", spy)
    schema = tmp_path / "s.xsd"
    schema.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:x" schemaLocation="http://example.org/x.xsd"/></xs:schema>'
    )
    with pytest.raises(etree.XMLSchemaParseError, match="example.org"):
        etree.XMLSchema(etree.parse(str(schema), xsd_schema._schema_parser(tmp_path.resolve())))
    assert "http://example.org/x.xsd" in seen
    assert any("only local files" in r for r in refused)


# -- unsafe and malformed input ------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">&lol9;</akomaNtoso>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE akomaNtoso [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">&x;</akomaNtoso>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_unsafe_input_is_refused_fast(data):
    start = time.perf_counter()
    issues = validate(data)
    assert time.perf_counter() - start < 0.5
    assert rules(issues) == ["xml-unsafe"]
    assert "root:" not in issues[0].message  # nothing of /etc/passwd
    assert validate(data.decode("utf-8")) == issues
    with pytest.raises(AknReadError, match="DTD"):
        parse_xml(data)


@pytest.mark.parametrize("data", [
    b"<!-- a <comment> first --><!DOCTYPE a><a/>",
    b"\xef\xbb\xbf<?xml version='1.0'?>\n<!DOCTYPE a SYSTEM 'http://example.org/a.dtd'><a/>",
    "<!DOCTYPE a><a/>".encode("utf-16"),
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16-le"),
    b"<!ENTITY x 'y'><a/>",
], ids=["after-comment", "bom-external-dtd", "utf16-bom", "utf16-no-bom", "bare-entity"])
def test_declarations_are_refused_in_any_prolog(data):
    with pytest.raises(UnsafeXmlError):
        parse_xml(data)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_prolog_scan_reads_wide_encodings(codec):
    # the scan alone (before any parsing) finds the declaration in every encoding
    data = "<?xml version='1.0'?><!-- c --><!DOCTYPE a><a/>".encode(codec)
    assert safexml._prolog_declaration(data) == "DOCTYPE"
    assert safexml._prolog_declaration("<a><!DOCTYPE a></a>".encode(codec)) is None


def test_dtd_is_refused_even_if_the_prolog_scan_missed_it(monkeypatch):
    monkeypatch.setattr(safexml, "_prolog_declaration", lambda data: None)
    with pytest.raises(UnsafeXmlError):
        parse_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')


def test_oversized_input_is_refused(monkeypatch):
    monkeypatch.setattr(safexml, "MAX_INPUT_BYTES", 100)
    with pytest.raises(UnsafeXmlError, match="exceeds the limit"):
        parse_xml(b"<a>" + b"x" * 200 + b"</a>")
    assert rules(validate(b"<a>" + b"x" * 200 + b"</a>")) == ["xml-unsafe"]


def test_oversized_file_is_not_read_whole(monkeypatch, tmp_path):
    monkeypatch.setattr(safexml, "MAX_INPUT_BYTES", 100)
    path = tmp_path / "big.xml"
    path.write_bytes(b"<a>" + b"x" * 10_000 + b"</a>")
    assert len(safexml.source_bytes(path)) == 101
    assert rules(validate(path)) == ["xml-unsafe"]


@pytest.mark.parametrize("data, line", [
    (b"<akomaNtoso>\n  <statement>\n</akomaNtoso>", 3),
    (b"", 1),
    (b"<a>&undeclared;</a>", 1),
])
def test_malformed_input(data, line):
    [issue] = validate(data)
    assert issue.rule == "xml-wellformed"
    assert issue.line == line
    with pytest.raises(MalformedXmlError):
        parse_xml(data)


def test_text_with_an_encoding_declaration_is_read_as_text(xml):
    text = xml.decode("utf-8").replace("encoding='UTF-8'", "encoding='ISO-8859-1'")
    assert "ņemot" in text
    assert validate(text) == []
    root = parse_xml(safexml.source_bytes(text))
    assert "ņemot" in "".join(root.itertext())  # not mis-decoded as ISO-8859-1
