"""FRBR IRIs as values (akn_ep.akn.iri), the identity a caller states, and IRIs that do not
move: the same resolution gets the same work IRI from every rendition of the corpus when
the caller gives its texts-adopted number, and keeps it through from_akn and to_akn.

Expected IRIs are written by hand from the OASIS Naming Convention and the corpus
manifest (../shared/corpus/manifest.json), never taken from the code's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import akn_ep
from akn_ep import FrbrUri, ParseError
from akn_ep.akn.iri import ep_work, guessed, is_ep_work, state_identity, work_of
from akn_ep.batch import Identity, load_identities
from akn_ep.batch.identities import identity_for
from akn_ep.model import Paragraph, Resolution

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "manifest.json").is_file(),
                                  reason=f"the shared corpus is not available at {CORPUS}")
RENDITIONS = ("clean", "pdf-extracted/pdfminer", "pdf-extracted/pdftotext",
              "pdf-extracted/pdftotext-layout")
BASE = "/akn/eu/statement/resolution/ep"


# -- the value class -------------------------------------------------------------------------


@pytest.mark.parametrize("text, fields", [
    # the Naming Convention's own EU examples (§4) and ours
    ("/akn/eu/act/2004-11-13/87", dict(country="eu", doctype="act", date="2004-11-13",
                                       number="87")),
    ("/akn/eu/act/DIR/2014-03-01/16/!annex_1",
     dict(country="eu", doctype="act", subtype="DIR", date="2014-03-01", number="16",
          component="annex_1")),
    ("/akn/eu/bill/DIR/CONSIL/2013/COM(2013)344/eng@final_2",
     dict(country="eu", doctype="bill", subtype="DIR", actor="CONSIL", date="2013",
          number="COM(2013)344", language="eng", version="final_2")),
    ("/akn/it-roma/act/legge/2009-12-12/17/ita@/!main~art_3__para_5.xml",
     dict(country="it", locality="roma", doctype="act", subtype="legge", date="2009-12-12",
          number="17", language="ita", version="", component="main", portion="art_3__para_5",
          format="xml")),
    (f"{BASE}/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml",
     dict(country="eu", doctype="statement", subtype="resolution", actor="ep",
          date="2012-03-15", number="TA-7-2012-0089", language="lav", version="2012-03-15",
          component="main", format="xml")),
])
def test_parse_reads_each_component_and_str_writes_it_back(text, fields):
    u = FrbrUri.parse(text)
    assert u == FrbrUri(**fields)
    assert str(u) == text


def test_the_three_levels_of_one_resolution():
    u = FrbrUri.parse(f"{BASE}/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml")
    assert u.work_uri() == f"{BASE}/2012-03-15/TA-7-2012-0089/!main"
    assert u.work_uri(component=False) == f"{BASE}/2012-03-15/TA-7-2012-0089"
    assert u.expression_uri() == f"{BASE}/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main"
    assert u.expression_uri(component=False) == f"{BASE}/2012-03-15/TA-7-2012-0089/lav@2012-03-15"
    assert u.manifestation_uri(component=False) == (
        f"{BASE}/2012-03-15/TA-7-2012-0089/lav@2012-03-15.xml")
    assert str(u.work) == f"{BASE}/2012-03-15/TA-7-2012-0089"
    assert is_ep_work(u.work) and not is_ep_work(u)


@pytest.mark.parametrize("bad", [
    "akn/eu/act/2004/1",            # not absolute
    "/eu/act/2004/1",               # no /akn prefix
    "/akn/EU/act/2004/1",           # country in capitals
    "/akn/eu/act/1",                # no date
    "/akn/eu/act/2004/1/english@",  # a language of five letters
    "/akn/eu/act/2004/1/eng@/!main.XML",  # format in capitals
    "http://data.europa.eu/eli/ep/res/2021/20",
    "",
])
def test_parse_refuses_what_is_not_an_iri(bad):
    with pytest.raises(ValueError, match="not an Akoma Ntoso FRBR IRI"):
        FrbrUri.parse(bad)


def test_a_value_cannot_hold_a_component_the_regex_would_refuse():
    with pytest.raises(ValueError, match="number"):
        FrbrUri("eu", "act", "2004", "a/b")
    with pytest.raises(ValueError, match="date"):
        ep_work("15 March 2012", "x")
    with pytest.raises(ValueError, match="expression IRI needs a language"):
        ep_work("2012-03-15", "x").expression_uri()


def test_frbr_uri_is_exported_and_hashable():
    assert akn_ep.FrbrUri is FrbrUri
    assert len({ep_work("2012-03-15", "x"), FrbrUri.parse(f"{BASE}/2012-03-15/x")}) == 1


# -- the identity a caller states -----------------------------------------------------------

# constructed: the head of an EP resolution as its web page prints it, without the TA number
HEAD_EN = (b"European Parliament resolution of 15 March 2012 on Kazakhstan (2012/2553(RSP))\n"
           b"The European Parliament,\n"
           b"1. Instructs its President to forward this resolution to the Council.\n")
# constructed: an old text in the layout of the corpus's 1995 texts, printing no date
OLD_DE = (b"B4-0232, 0235, 0289 und 0309/95\n"
          b"Entschlie\xc3\x9fung zur Ermordung des baskischen Abgeordneten\n"
          b"Das Europ\xc3\xa4ische Parlament,\n"
          b"1. beauftragt seinen Pr\xc3\xa4sidenten, diese Entschlie\xc3\x9fung dem Rat zu "
          b"\xc3\xbcbermitteln.\n")


def test_without_a_stated_identity_the_number_comes_from_the_procedure():
    r = akn_ep.parse_text(HEAD_EN)
    assert str(work_of(r)) == f"{BASE}/2012-03-15/proc-2012-2553-RSP"
    assert r.frbr_uri is None and guessed(r) == ("number",)


def test_a_stated_ta_number_gives_the_work_iri_and_is_kept_through_akn():
    r = akn_ep.parse_text(HEAD_EN, ta_number="P7_TA(2012)0089")
    assert str(r.frbr_uri) == f"{BASE}/2012-03-15/TA-7-2012-0089"
    assert r.ta_number is None  # the text does not print it
    assert guessed(r) == ()
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert (f'<FRBRuri value="{BASE}/2012-03-15/TA-7-2012-0089"/>').encode() in xml
    assert (f'<FRBRthis value="{BASE}/2012-03-15/TA-7-2012-0089/eng@2012-03-15/!main.xml"/>'
            ).encode() in xml
    back = akn_ep.from_akn(xml)
    assert back == r and back.frbr_uri == r.frbr_uri
    assert akn_ep.to_akn(back) == xml  # re-writing keeps it


def test_a_stated_ta_number_the_text_prints_changes_nothing():
    text = HEAD_EN.replace(b"The European", b"P7_TA(2012)0089\nThe European")
    assert akn_ep.parse_text(text, ta_number="P7_TA-PROV(2012)0089") == akn_ep.parse_text(text)


def test_a_stated_identity_the_text_contradicts_is_an_error():
    text = HEAD_EN.replace(b"The European", b"P7_TA(2012)0090\nThe European")
    with pytest.raises(ParseError, match=r"prints the texts-adopted number P7_TA\(2012\)0090"):
        akn_ep.parse_text(text, ta_number="P7_TA(2012)0089")
    with pytest.raises(ParseError, match="is of the year 2013, but the resolution is dated "
                                         "2012-03-15"):
        akn_ep.parse_text(HEAD_EN, ta_number="P7_TA(2013)0089")
    with pytest.raises(ParseError, match="dated 2012-03-16, but the text prints the adoption "
                                         "date 2012-03-15"):
        akn_ep.parse_text(HEAD_EN, frbr_uri=f"{BASE}/2012-03-16/TA-7-2012-0089")
    with pytest.raises(ParseError, match="not a texts-adopted number"):
        akn_ep.parse_text(HEAD_EN, ta_number="TA-7-2012-0089")
    with pytest.raises(ParseError, match="not an EP resolution's work IRI"):
        akn_ep.parse_text(HEAD_EN, frbr_uri="/akn/eu/act/2012-03-15/89")
    with pytest.raises(ParseError, match="differs from the date 2012-03-15 of the stated IRI"):
        akn_ep.parse_text(HEAD_EN, frbr_uri=f"{BASE}/2012-03-15/x", date="2012-03-16")


def test_a_stated_iri_dates_an_undated_text_and_names_it():
    r = akn_ep.parse_text(OLD_DE, frbr_uri=f"{BASE}/1995-02-16/TA-4-1995-0042")
    assert r.date.isoformat() == "1995-02-16" and r.date_source == "supplied"
    assert str(work_of(r)) == f"{BASE}/1995-02-16/TA-4-1995-0042"
    assert guessed(r) == ()
    xml = akn_ep.to_akn(r)
    assert akn_ep.validate(xml) == []
    assert b'<FRBRdate date="1995-02-16" name="adoptionSupplied"/>' in xml
    assert akn_ep.from_akn(xml) == r


def test_guessed_date_and_number_are_said():
    r = akn_ep.parse_text(OLD_DE)
    assert str(work_of(r)) == f"{BASE}/1995-01-01/ref-B4-0232-95"
    assert guessed(r) == ("date", "number")
    assert b'<FRBRdate date="1995-01-01" name="adoptionFallback"/>' in akn_ep.to_akn(r)
    dated = akn_ep.parse_text(OLD_DE, date="1995-02-16")
    assert guessed(dated) == ("number",)


def test_the_model_refuses_an_iri_that_cannot_be_its_own():
    r = Resolution(lang="en", title="T", formula="F", date="2012-03-15",
                   ta_number="P7_TA(2012)0089", body=(Paragraph("1.", "x"),))
    with pytest.raises(akn_ep.ModelError, match="numbered TA-7-2012-0090, but the text prints"):
        attrs.evolve(r, frbr_uri=ep_work("2012-03-15", "TA-7-2012-0090"))
    with pytest.raises(akn_ep.ModelError, match="dated 2012-03-16, but the resolution is dated"):
        attrs.evolve(r, frbr_uri=ep_work("2012-03-16", "TA-7-2012-0089"))
    with pytest.raises(akn_ep.ModelError, match="not an EP resolution's work IRI"):
        attrs.evolve(r, frbr_uri=FrbrUri.parse(f"{BASE}/2012-03-15/TA-7-2012-0089/eng@"))


def test_state_identity_returns_the_same_model_when_the_rules_give_that_iri():
    r = akn_ep.parse_text(HEAD_EN)
    assert state_identity(r, frbr_uri=f"{BASE}/2012-03-15/proc-2012-2553-RSP") is r


# -- the title alias and foreign IRIs ---------------------------------------------------------


def test_the_title_alias_is_the_heading_else_the_title():
    r = akn_ep.parse_text(HEAD_EN)
    assert (b'<FRBRalias name="title" value="European Parliament resolution of 15 March 2012 '
            b'on Kazakhstan (2012/2553(RSP))"/>') in akn_ep.to_akn(r)
    headed = attrs.evolve(r, heading="Kazakhstan")
    assert b'<FRBRalias name="title" value="Kazakhstan"/>' in akn_ep.to_akn(headed)
    assert akn_ep.from_akn(akn_ep.to_akn(headed)) == headed  # the alias is not read as text


def test_a_document_whose_iri_is_not_ours_gets_the_derived_one_with_a_warning():
    xml = akn_ep.to_akn(akn_ep.parse_text(HEAD_EN)).replace(
        f'<FRBRuri value="{BASE}/2012-03-15/proc-2012-2553-RSP"/>'.encode(),
        b'<FRBRuri value="/akn/eu/doc/2012-03-15/kazakhstan"/>')
    r = akn_ep.from_akn(xml)
    assert r.frbr_uri is None
    assert r.warnings == (
        "work FRBRuri '/akn/eu/doc/2012-03-15/kazakhstan' not kept (frbr_uri "
        "/akn/eu/doc/2012-03-15/kazakhstan is not an EP resolution's work IRI "
        f"({BASE}/YYYY-MM-DD/NUMBER)): the resolution is identified as "
        f"{BASE}/2012-03-15/proc-2012-2553-RSP",)


def test_a_document_numbered_by_its_publisher_keeps_that_number():
    # our output, renumbered as a publisher with its own numbers would (IRIs, FRBRnumber and
    # the generated docNumber)
    xml = akn_ep.to_akn(akn_ep.parse_text(HEAD_EN))
    xml = xml.replace(b"2012-03-15/proc-2012-2553-RSP", b"2012-03-15/kazakhstan-2012")
    xml = xml.replace(b'<FRBRnumber value="proc-2012-2553-RSP"/>',
                      b'<FRBRnumber value="kazakhstan-2012"/>')
    xml = xml.replace(b"<docNumber>proc-2012-2553-RSP</docNumber>",
                      b"<docNumber>kazakhstan-2012</docNumber>")
    assert akn_ep.validate(xml) == []
    r = akn_ep.from_akn(xml)
    assert str(r.frbr_uri) == f"{BASE}/2012-03-15/kazakhstan-2012" and not r.warnings
    assert akn_ep.to_akn(r) == xml


# -- the corpus: the same IRI from every rendition ---------------------------------------------


def _manifest() -> list[dict]:
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def _ta_entries() -> list[dict]:
    if not (CORPUS / "manifest.json").is_file():
        return []
    return [e for e in _manifest() if e.get("ta_number_from_url")]


@needs_corpus
@pytest.mark.parametrize("entry", _ta_entries(), ids=lambda e: e["file"])
def test_every_rendition_gets_the_same_iri_when_the_ta_number_is_given(entry):
    # the work IRI written by hand from the manifest: date, and the TA number of the file name
    term, year, number = entry["file"].split("/")[1].split("_")[0].split("-")[1:]
    expected = f"{BASE}/{entry['date']}/TA-{term}-{year}-{number}"
    name = entry["file"].split("/", 1)[1]
    for rendition in RENDITIONS:
        data = (CORPUS / rendition / name).read_bytes()
        r = akn_ep.parse_text(data, ta_number=entry["ta_number_from_url"])
        assert str(work_of(r)) == expected, rendition
        assert guessed(r) == ()
        xml = akn_ep.to_akn(r)
        back = akn_ep.from_akn(xml)
        assert str(work_of(back)) == expected and akn_ep.to_akn(back) == xml


@needs_corpus
@pytest.mark.parametrize("name, expected", [
    # no TA number, no date printed: numbered from the old reference, dated 1 January
    ("radicali-34150_IT.txt", f"{BASE}/1995-01-01/ref-B4-0232-95"),
    ("radicali-34154_DE.txt", f"{BASE}/1995-01-01/ref-B4-0232-95"),
])
def test_renditions_without_a_ta_number_agree_and_say_what_is_guessed(name, expected):
    for rendition in RENDITIONS:
        r = akn_ep.parse_text((CORPUS / rendition / name).read_bytes())
        assert str(work_of(r)) == expected, rendition
        assert guessed(r) == ("date", "number")


# -- the identity file of a batch ------------------------------------------------------------


def test_identity_file_csv_and_json_lines(tmp_path):
    csv_file = tmp_path / "ids.csv"
    csv_file.write_text("input,ta_number,date,frbr_uri\n"
                        "TA-6-2007-0424_EN.txt,P6_TA(2007)0424,,\n"
                        "a.zip::old.txt,,1995-02-16,\n", encoding="utf-8")
    table = load_identities(csv_file)
    assert table == {"TA-6-2007-0424_EN.txt": Identity(ta_number="P6_TA(2007)0424"),
                     "a.zip::old.txt": Identity(date="1995-02-16")}
    assert identity_for(table, "/data/clean/TA-6-2007-0424_EN.txt") == Identity(
        ta_number="P6_TA(2007)0424")
    assert identity_for(table, "a.zip::old.txt") == Identity(date="1995-02-16")
    assert identity_for(table, "b.zip::old.txt") is None  # a whole name matches only itself
    assert identity_for(table, "b.zip::p6/TA-6-2007-0424_EN.txt") == Identity(
        ta_number="P6_TA(2007)0424")  # a member, by its file name
    jsonl = tmp_path / "ids.jsonl"
    line = json.dumps({"input": "x.txt", "frbr_uri": f"{BASE}/1995-02-16/x"})
    jsonl.write_text(line + "\n\n", encoding="utf-8")
    assert load_identities(jsonl) == {"x.txt": Identity(frbr_uri=f"{BASE}/1995-02-16/x")}


@pytest.mark.parametrize("content, message", [
    ("input,ta_number\nx.txt,P6-TA-2007-0424\n", r"ids:2: ta_number 'P6-TA-2007-0424' is not"),
    ("input,date\nx.txt,16.2.1995\n", r"ids:2: date '16.2.1995' is not an ISO date"),
    ("input,frbr_uri\nx.txt,/akn/eu/act/1995/1\n", r"ids:2: frbr_uri '/akn/eu/act/1995/1' is"),
    ("input,date\nx.txt,1995-02-16\nx.txt,1995-02-17\n", r"ids:3: 'x.txt' is given twice"),
    ("name,date\nx.txt,1995-02-16\n", r"ids:1: a CSV identity file needs a header row"),
    ("input,ta\nx.txt,1\n", r"ids:2: unknown column 'ta'"),
    ('{"input": "x.txt"}\n', r"ids:1: 'x.txt' states nothing"),
    ('{"input": "x.txt", "date": 1995}\n', r"ids:1: date must be a string"),
    ('{"input": "x.txt"\n', r"ids:1: not JSON"),
])
def test_identity_file_errors_name_the_line(tmp_path, content, message):
    p = tmp_path / "ids"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_identities(p)


def test_batch_states_identities_and_lists_what_is_guessed(tmp_path, capsys, monkeypatch):
    from akn_ep import cli

    monkeypatch.chdir(tmp_path)  # input names as the report writes them: as given, "in/…"

    src = tmp_path / "in"
    src.mkdir()
    (src / "kazakhstan.txt").write_bytes(HEAD_EN)
    (src / "old.txt").write_bytes(OLD_DE)
    (src / "older.txt").write_bytes(OLD_DE.replace(b"Ermordung", b"Entf\xc3\xbchrung"))
    ids = tmp_path / "ids.csv"
    ids.write_text("input,ta_number,date\nkazakhstan.txt,P7_TA(2012)0089,\n"
                   "old.txt,,1995-02-16\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["batch", "in", "-o", str(out), "-j", "1", "--identities", str(ids),
                     "--progress-interval", "1000"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[-3:] == [
        "akn-ep: 1 document with an adoption date the text does not print (fallback): "
        "in/older.txt",
        "akn-ep: 2 documents with a work number that is no texts-adopted number: in/old.txt, "
        "in/older.txt",
        "akn-ep: state them with --date or --identities FILE (docs/batch.md)",
    ]
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.xml"))
    assert files == [
        "akn/eu/statement/resolution/ep/1995-01-01/ref-B4-0232-95/deu@1995-01-01/main.xml",
        "akn/eu/statement/resolution/ep/1995-02-16/ref-B4-0232-95/deu@1995-02-16/main.xml",
        "akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/eng@2012-03-15/main.xml",
    ]
    records = [json.loads(line) for line in (out / ".akn-ep" / "report.jsonl").open()]
    assert {r["input"]: r["guessed"] for r in records[:-1]} == {
        "in/kazakhstan.txt": [], "in/old.txt": ["number"], "in/older.txt": ["date", "number"]}
    # --date dates what prints no date and is not named in the file
    assert cli.main(["batch", "in/older.txt", "-o", str(tmp_path / "o2"), "-q",
                     "--date", "1995-03-01"]) == 0
    assert (tmp_path / "o2" / "akn/eu/statement/resolution/ep/1995-03-01").is_dir()


def test_batch_refuses_a_bad_identity_file_before_it_starts(tmp_path, capsys):
    from akn_ep import cli

    ids = tmp_path / "ids.csv"
    ids.write_text("input,date\nx.txt,1995\n", encoding="utf-8")
    assert cli.main(["batch", str(tmp_path), "-o", str(tmp_path / "out"), "-q",
                     "--identities", str(ids)]) == 2
    assert capsys.readouterr().err == (
        f"akn-ep: error: --identities: {ids}:2: date '1995' is not an ISO date (YYYY-MM-DD)\n")
    assert not (tmp_path / "out").exists()


def test_the_pdf_route_takes_the_same_stated_identity():
    pytest.importorskip("reportlab", reason="reportlab (the test extra) typesets the test PDFs")
    import pdf_fixtures as F

    # constructed: HEAD_EN typeset as an A4 PDF without the running header that prints the
    # texts-adopted number
    pdf, _ = F.typeset(HEAD_EN.decode(), header=None, footer=None)
    r = akn_ep.parse_pdf(pdf, ta_number="P7_TA(2012)0089")
    assert str(r.frbr_uri) == f"{BASE}/2012-03-15/TA-7-2012-0089"
    assert r == akn_ep.parse_text(HEAD_EN, ta_number="P7_TA(2012)0089")
    with pytest.raises(ParseError, match="dated 2012-03-16, but the text prints"):
        akn_ep.parse_pdf(pdf, frbr_uri=f"{BASE}/2012-03-16/TA-7-2012-0089")


def test_the_profile_states_the_same_shape_as_the_value_class():
    from akn_ep.akn.iri import ep_work_uri

    assert ep_work_uri("2012-03-15", "TA-7-2012-0089") == str(ep_work("2012-03-15",
                                                                      "TA-7-2012-0089"))
    assert ep_work_uri("", "x") == f"{BASE}//x"  # what a broken document should have had


def test_an_expression_of_another_version_is_said_to_be_rewritten():
    xml = akn_ep.to_akn(akn_ep.parse_text(HEAD_EN))
    work = f"{BASE}/2012-03-15/proc-2012-2553-RSP"
    xml = xml.replace(f'<FRBRuri value="{work}/eng@2012-03-15"/>'.encode(),
                      f'<FRBRuri value="{work}/eng@2012-04-02"/>'.encode())
    r = akn_ep.from_akn(xml)
    assert r.warnings == (
        f"expression FRBRuri '{work}/eng@2012-04-02' is written as {work}/eng@2012-03-15 (an "
        "EP resolution's expression is its language at the adoption date)",)
