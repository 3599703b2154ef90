"""Language tables and language detection.

The short resolution heads of ``tests/heads.py`` are CONSTRUCTED for these tests: written
from each language's published formulae (formula, citation/recital openers, closing
instruction, title head and date format; see the ``notes`` of each table for what was
confirmed in published texts). They are not quotations of real resolutions. The
expected dates and languages were worked out by hand from the texts, not by running
the code.

The corpus tests read the real texts in ``../shared/corpus`` (one directory above the
project); they are skipped when that directory is absent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from akn_ep.errors import LanguageError
from akn_ep.languages import EU_CODES, codes, fold, get
from akn_ep.languages.detect import detect, scores
from heads import HEADS, LANGS
from shared_corpus import CORPUS, needs_corpus

# -- the tables -------------------------------------------------------------------


def test_every_eu_language_has_a_table():
    assert set(codes()) == set(EU_CODES)
    assert set(HEADS) == set(EU_CODES)


# ISO 639-2/T (emitted) and /B codes, as in the ISO 639-2 list.
ISO3 = {
    "bg": ("bul", "bul"), "cs": ("ces", "cze"), "da": ("dan", "dan"), "de": ("deu", "ger"),
    "el": ("ell", "gre"), "en": ("eng", "eng"), "es": ("spa", "spa"), "et": ("est", "est"),
    "fi": ("fin", "fin"), "fr": ("fra", "fre"), "ga": ("gle", "gle"), "hr": ("hrv", "hrv"),
    "hu": ("hun", "hun"), "it": ("ita", "ita"), "lt": ("lit", "lit"), "lv": ("lav", "lav"),
    "mt": ("mlt", "mlt"), "nl": ("nld", "dut"), "pl": ("pol", "pol"), "pt": ("por", "por"),
    "ro": ("ron", "rum"), "sk": ("slk", "slo"), "sl": ("slv", "slv"), "sv": ("swe", "swe"),
}  # fmt: skip


@pytest.mark.parametrize("code", LANGS)
def test_table_shape(code):
    lang = get(code)
    assert lang.code == code
    assert (lang.iso639_2t, lang.iso639_2b) == ISO3[code]
    assert get(lang.iso639_2t) is lang and get(lang.iso639_2b) is lang
    assert len(lang.months) == 12 and all(lang.months)
    letters = lang.recital_letters
    assert len(set(letters)) == len(letters) >= 24
    assert lang.recital_letter(0) == letters[0] and lang.recital_index(letters[1]) == 1
    assert 10 <= len(lang.common_words) <= 16
    assert lang.formula and lang.citation_openers and lang.closing_patterns
    assert lang.is_formula(lang.formula[0])
    assert lang.is_annex_heading(lang.annex_words[0])


def test_non_latin_recital_letters():
    assert get("el").recital_letters.startswith("ΑΒΓΔ")
    assert get("bg").recital_letters.startswith("АБВГД")
    # letters are printed in Cyrillic/Greek capitals, not the Latin look-alikes …
    assert get("bg").recital_letter(1) == "Б" != "B" and get("el").recital_letter(1) == "Β"
    assert get("bg").recital_index("Б") == 1 and get("el").recital_index("Β") == 1
    # … but Latin capitals, which some texts print, count in the Latin alphabet
    assert get("bg").recital_index("B") == 1 and get("el").recital_index("B") == 1
    assert get("el").recital_index("Y") == 24  # Latin Y; the Greek alphabet has 24 letters
    assert get("el").recital_index("ΑΒ") == 25
    # not letters at all
    assert get("el").recital_index("b") is None and get("el").recital_index("") is None


@pytest.mark.parametrize("index,letters", [
    (0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ"),
    (702, "AAA"), (703, "AAB"), (728, "ABA"), (18277, "ZZZ"), (18278, "AAAA"),
])
def test_recital_letters_beyond_zz(index, letters):
    # counted by hand: 26 single letters, 26 * 26 = 676 pairs (26 … 701), then triples
    en = get("en")
    assert en.recital_letter(index) == letters
    assert en.recital_index(letters) == index


def test_recital_letters_are_a_bijection():
    from akn_ep.languages import latin_letters

    for code in ("en", "el", "bg"):
        lang = get(code)
        seen = [lang.recital_letter(i) for i in range(30_000)]
        assert len(set(seen)) == len(seen)  # never a repeat ("ZA" is not "AAA")
        # read back at its position (as the parser, writer, profile and align ask)
        assert all(lang.recital_index(t, i) == i for i, t in enumerate(seen))
    assert all(get("en").recital_index(get("en").recital_letter(i)) == i for i in range(800))
    assert latin_letters(702) == "AAA" and latin_letters(676) == "ZA"
    assert get("en").recital_index("A1") is None and get("en").recital_index("") is None
    assert get("el").recital_index("ΑΑΑ") == 24 + 24 * 24


def test_greek_recitals_count_in_letters_or_in_numerals():
    # Α … Ε, then the alphabet's Ζ or the numeral ΣΤ (6), Ζ (7) … Ι (10), ΙΑ (11), ΙΣΤ (16)
    el = get("el")
    numerals = ["Α", "Β", "Γ", "Δ", "Ε", "ΣΤ", "Ζ", "Η", "Θ", "Ι", "ΙΑ", "ΙΒ", "ΙΓ", "ΙΔ",
                "ΙΕ", "ΙΣΤ", "ΙΖ", "ΙΗ", "ΙΘ", "Κ", "ΚΑ"]
    assert [el.recital_index(t, i) for i, t in enumerate(numerals)] == list(range(21))
    letters = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"
    assert [el.recital_index(t, i) for i, t in enumerate(letters)] == list(range(24))
    # without a position, the earlier reading: Ζ is the 6th letter, ΣΤ only a numeral (6th)
    assert el.recital_index("Ζ") == 5 and el.recital_index("ΣΤ") == 5
    # other languages have no numerals
    assert get("en").recital_index("ΣΤ") is None


def test_point_letters_of_non_latin_languages():
    el, bg, en = get("el"), get("bg"), get("en")
    greek = ["α", "β", "γ", "δ", "ε", "στ", "ζ", "η", "θ", "ι", "ια", "ιβ"]
    assert [el.point_index(x) for x in greek] == list(range(12))
    assert [el.point_key(x) for x in greek] == list("abcdefghijkl")
    assert [bg.point_index(x) for x in "абвгд"] == list(range(5))
    assert [bg.point_key(x) for x in "абвгд"] == list("abcde")
    # Latin letters count everywhere; another script's letters do not
    assert el.point_index("c") == en.point_index("c") == 2 and en.point_index("в") is None
    assert en.point_index("bb") == 27 and en.point_index("ab") is None
    assert en.point_key("iv") == "iv" and el.point_key("x") == "x"


def test_month_forms_map_to_the_same_month():
    assert get("el").month("Μαρτίου") == get("el").month("Μάρτιος") == 3
    assert get("cs").month("března") == get("cs").month("březen") == 3
    assert get("cs").month("června") == 6 and get("cs").month("července") == 7
    assert get("pl").month("marca") == get("pl").month("marzec") == 3
    assert get("pt").month("Março") == get("pt").month("março") == 3
    assert get("lt").month("kovo") == 3
    assert get("fi").month("maaliskuuta") == 3
    assert get("hr").month("ožujka") == 3
    assert get("ga").month("Márta") == 3 and get("ga").month("Meán Fómhair") == 9
    assert get("mt").month("Marzu") == 3


# -- the parts of a resolution ---------------------------------------------------------


@pytest.mark.parametrize("code", LANGS)
def test_parts_are_recognised(code):
    lang, head = get(code), HEADS[code]
    assert lang.is_title(head.title)
    assert lang.is_formula(head.formula)
    assert not lang.is_formula(head.title)
    for citation in head.citations:
        assert lang.is_citation(citation), citation
        assert not lang.is_recital_text(citation), citation
    if lang.recital_openers:
        for recital in head.recitals:
            assert lang.is_recital_text(recital), recital
    else:
        assert code == "sv"
    assert lang.is_closing(head.closing)
    assert lang.is_closing(f"2. {head.closing}")
    assert not lang.is_closing(head.paragraph)
    assert not lang.is_title(head.formula)


@pytest.mark.parametrize("code", LANGS)
def test_find_date_in_title(code):
    head = HEADS[code]
    found = get(code).find_date(head.title)
    assert found is not None, head.title
    assert found[0] == head.date


def test_closing_matches_both_genders():
    assert get("fr").is_closing("charge son Président de transmettre la présente résolution")
    assert get("fr").is_closing("charge sa Présidente de transmettre la présente résolution")
    assert get("de").is_closing("beauftragt seine Präsidentin, diese Entschließung zu übermitteln")
    assert get("it").is_closing("incarica la sua Presidente di trasmettere la presente risoluzione")
    assert get("es").is_closing("Encarga a su presidenta que transmita la presente Resolución")
    assert get("pt").is_closing("Encarrega a sua Presidente de transmitir a presente resolução")
    assert get("pl").is_closing("zobowiązuje swoją Przewodniczącą do przekazania niniejszej")
    assert get("cs").is_closing("pověřuje svou předsedkyni, aby toto usnesení předala Radě")
    assert get("sl").is_closing("naroči svoji predsednici, naj to resolucijo posreduje Svetu")
    assert get("el").is_closing("αναθέτει στην Πρόεδρό του να διαβιβάσει το παρόν ψήφισμα")
    assert get("ro").is_closing("încredințează Președintei sarcina de a transmite prezenta")


def test_german_title_without_sharp_s():
    # a real 1995 copy lost every "ß": "Entschlie ung zur Ermordung …"
    de = get("de")
    assert de.is_title("Entschlie ung zur Ermordung des baskischen Politikers")
    assert de.is_title("Entschliessung des Europäischen Parlaments vom 15. März 2012")
    assert de.is_title("Legislative Entschließung des Europäischen Parlaments vom 5. Februar 2014")


def test_old_and_other_title_heads():
    assert get("it").is_title("Risoluzione sull'assassinio del deputato basco")
    assert get("it").is_title("Risoluzione legislativa del Parlamento europeo dell'1 dicembre 2011")
    assert get("da").is_title("Europa-Parlamentets afgørelse af 27. april 2017 om decharge")
    assert get("ga").is_title("Cinneadh ó Pharlaimint na hEorpa an 24 Samhain 2020 maidir le")
    assert get("sl").is_title("Zakonodajna resolucija Evropskega parlamenta z dne 18. aprila 2018")
    assert get("sk").is_title("Legislatívne uznesenie Európskeho parlamentu zo 17. decembra 2019")
    assert get("fi").is_formula("Euroopan parlamentti, joka")


def test_date_forms():
    assert get("it").find_date("dell'1 dicembre 2011")[0] == dt.date(2011, 12, 1)
    assert get("it").find_date("del 1° marzo 2012")[0] == dt.date(2012, 3, 1)
    assert get("el").find_date("της 14ης Σεπτεμβρίου 2016")[0] == dt.date(2016, 9, 14)
    assert get("el").find_date("της 6ης Μαΐου 1999")[0] == dt.date(1999, 5, 6)
    assert get("bg").find_date("от 12 февруари 2020 г. относно")[0] == dt.date(2020, 2, 12)
    assert get("hu").find_date("2017. április 5-i állásfoglalása")[0] == dt.date(2017, 4, 5)
    assert get("lt").find_date("2008 m. vasario 20 d. Europos")[0] == dt.date(2008, 2, 20)
    assert get("et").find_date("15. märtsi 2012. aasta resolutsioon")[0] == dt.date(2012, 3, 15)
    assert get("ga").find_date("an 9 Deireadh Fómhair 2020")[0] == dt.date(2020, 10, 9)
    assert get("mt").find_date("tat-12 ta' Marzu 2015 dwar")[0] == dt.date(2015, 3, 12)
    assert get("pl").find_date("z 17 grudnia 2020 r.")[0] == dt.date(2020, 12, 17)
    assert get("sk").find_date("zo 6. júla 2016")[0] == dt.date(2016, 7, 6)
    assert get("hr").find_date("od 28. travnja 2016. o")[0] == dt.date(2016, 4, 28)
    assert get("fr").find_date("du 31 février 2014, puis du 5 mars 2014")[0] == dt.date(2014, 3, 5)


# -- detection -------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGS)
def test_detect_constructed_head(code):
    letters = get(code).recital_letters
    assert detect(HEADS[code].text(letters)) == code


@pytest.mark.parametrize("code", LANGS)
def test_detect_formula_and_two_citations(code):
    assert detect(HEADS[code].short()) == code


@pytest.mark.parametrize("code", LANGS)
def test_detect_title_alone(code):
    # one dated title line is enough to tell the language
    assert detect(HEADS[code].title) == code


def test_detect_pdf_style_markers_glued_to_text():
    text = "Il Parlamento europeo,\nA.considerando che il gruppo ha agito,\nB.prendendo atto che"
    assert detect(text) == "it"


def test_a_few_greek_letters_do_not_make_a_text_greek():
    # EUR-Lex SV prints the procedure type with Greek capitals: (2015/2329(ΙΝΙ))
    text = (
        HEADS["sv"]
        .text(get("sv").recital_letters)
        .replace("om situationen i Libyen", "om situationen i Libyen (2015/2329(ΙΝΙ))")
    )
    assert detect(text) == "sv"


def test_detect_candidates():
    text = HEADS["fr"].text(get("fr").recital_letters)
    assert detect(text, candidates=("fr", "it")) == "fr"
    assert detect(text, candidates=("fra",)) == "fr"
    with pytest.raises(LanguageError):
        detect(text, candidates=("el",))
    with pytest.raises(LanguageError):
        detect(text, candidates=("xx",))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  \n",
        "12345 678/2011 – 9.10.2012",
        "xqzv plorf gnark\nwubba lubba dub dub\nfrobnicate the quux",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    ],
)
def test_undecidable_text_raises(text):
    with pytest.raises(LanguageError):
        detect(text)


def test_tie_raises_and_names_the_candidates():
    # "considerando que" opens recitals in Spanish and Portuguese alike
    with pytest.raises(LanguageError) as err:
        detect("Considerando que")
    message = str(err.value)
    assert "best candidates" in message
    assert re.search(r"\bes=\d", message) and re.search(r"\bpt=\d", message)


def test_scores_are_reported_per_candidate():
    table = scores(HEADS["sk"].short(), candidates=("sk", "cs", "sl"))
    assert set(table) == {"sk", "cs", "sl"}
    assert table["sk"] > table["cs"] and table["sk"] > table["sl"]


# -- the real corpus -------------------------------------------------------------------


def _manifest() -> dict[str, dict]:
    entries = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return {Path(e["file"]).name: e for e in entries}


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = sorted(CORPUS.glob("clean/*.txt")) + sorted(CORPUS.glob("pdf-extracted/*/*.txt"))
    return files + sorted(CORPUS.glob("seed/*.txt"))


def _rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@needs_corpus
@pytest.mark.parametrize("path", _corpus_files(), ids=_rel)
def test_detect_real_texts(path):
    expected = "lv" if path.parent.name == "seed" else _manifest()[path.name]["lang"]
    assert detect(path.read_text(encoding="utf-8")) == expected


@needs_corpus
def test_corpus_has_the_expected_files():
    files = _corpus_files()
    assert len([p for p in files if p.parent.name == "clean"]) == len(_manifest())
    assert any(p.parent.name == "seed" for p in files)


@needs_corpus
def test_find_date_on_real_titles():
    dated = [e for e in _manifest().values() if e["date"]]
    assert dated
    for entry in dated:
        found = get(entry["lang"]).find_date(entry["title"])
        assert found is not None, entry["file"]
        assert found[0].isoformat() == entry["date"], entry["file"]


@needs_corpus
def test_real_titles_are_titles():
    for entry in _manifest().values():
        assert get(entry["lang"]).is_title(entry["title"]), entry["file"]


@needs_corpus
def test_real_parts_in_clean_texts():
    """Formula, citations, recitals and closing lines of the clean texts are recognised."""
    marker = re.compile(r"^(?:[–-]\s*|[A-Z]\.\s*|\d+\.?\s*)")
    for name, entry in _manifest().items():
        lang = get(entry["lang"])
        lines = [ln.strip() for ln in (CORPUS / entry["file"]).read_text("utf-8").splitlines()]
        lines = [ln for ln in lines if ln]
        assert sum(lang.is_formula(ln) for ln in lines) == 1, name
        citations = [ln for ln in lines if ln[:1] in "–-" and lang.is_citation(marker.sub("", ln))]
        assert len(citations) == entry["n_citations"], name
        recitals = [
            ln
            for ln in lines
            if re.match(r"[A-Z]\.", ln) and lang.is_recital_text(marker.sub("", ln))
        ]
        if lang.recital_openers:
            assert len(recitals) == entry["n_recitals"], name
        closing = [ln for ln in lines if re.match(r"\d+\s?\.?", ln) and lang.is_closing(ln)]
        assert len(closing) == 1, name


@needs_corpus
def test_seed_title_date():
    seed = next(CORPUS.glob("seed/*.txt"))
    title = next(ln for ln in seed.read_text("utf-8").splitlines() if "rezolūcija" in ln)
    assert get("lv").is_title(title)
    assert get("lv").find_date(title)[0] == dt.date(2012, 3, 15)


def test_fold_is_idempotent_on_heads():
    # detect() folds a line once and reuses it for every table
    for head in HEADS.values():
        for part in (head.title, head.formula, *head.citations, *head.recitals, head.closing):
            assert fold(fold(part)) == fold(part)


def test_the_formula_on_a_line_of_its_own_names_the_language():
    from akn_ep.languages import detect as detection

    # each table's formula, alone on a line after a title in no particular language,
    # decides at once (the weighing of evidence is not needed)
    for code in LANGS:
        formula = get(code).formula[0]
        text = f"P7_TA(2012)0089\n(2012/2553(RSP))\n\n  {formula.upper()}  \n– 1 –\n"
        assert detection._formula_language(text) == code, (code, formula)
        assert detection.detect(text) == code
    # no two tables share a formula (the fast path would otherwise pick one of them)
    formulas, _ = detection._plain_formulas()
    assert len(set(formulas.values())) == len(LANGS)
    # inside a sentence the formula decides nothing by itself …
    assert detection._formula_language("Il Parlamento europeo, visto l'articolo 1,") is None
    # … nor past the opening lines
    assert detection._formula_language("x\n" * 40 + "Il Parlamento europeo,\n") is None
    # candidates still limit the choice: an Italian formula among fr/de is weighed
    with pytest.raises(LanguageError):
        detection.detect("Il Parlamento europeo,\n", candidates=("fr", "de"))
