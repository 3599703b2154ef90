"""The conventions the parser reads, each a rule or a table entry, each in several languages.

Every input here is CONSTRUCTED for the test, in the real layout of the Parliament's
texts adopted (title, formula, dashed citations, lettered recitals, numbered
paragraphs, closing instruction); only the feature under test varies. Expected values
are written by hand.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import akn_ep
from akn_ep.model import FootnoteRef, iter_footnotes
from akn_ep.vocabulary import ITEM_DASHES

#: One constructed resolution per language, with slots for the markers under test:
#: {d} a citation/indent dash, {s} the space after a marker, {A} a recital marker,
#: {n1}/{n2} paragraph markers
TEXTS = {
    "en": (
        "European Parliament resolution of 15 March 2012 on water scarcity (2012/2553(RSP))\n"
        "The European Parliament,\n"
        "{d}{s}having regard to Rule 110(4) of its Rules of Procedure,\n"
        "{d}{s}having regard to its resolution of 9 October 2008,\n"
        "{A}{s}whereas water is scarce;\n"
        "{n1}{s}Calls on the Commission to act:\n"
        "{d}{s}in the Mediterranean,\n"
        "{d}{s}in central Europe;\n"
        "{n2}{s}Instructs its President to forward this resolution to the Council.\n"
    ),
    "fr": (
        "Résolution du Parlement européen du 15 mars 2012 sur la pénurie d'eau "
        "(2012/2553(RSP))\n"
        "Le Parlement européen,\n"
        "{d}{s}vu l'article 110, paragraphe 4, de son règlement,\n"
        "{d}{s}vu sa résolution du 9 octobre 2008,\n"
        "{A}{s}considérant que l'eau est rare;\n"
        "{n1}{s}invite la Commission à agir:\n"
        "{d}{s}en Méditerranée,\n"
        "{d}{s}en Europe centrale;\n"
        "{n2}{s}charge son Président de transmettre la présente résolution au Conseil.\n"
    ),
    "de": (
        "Entschließung des Europäischen Parlaments vom 15. März 2012 zur Wasserknappheit "
        "(2012/2553(RSP))\n"
        "Das Europäische Parlament,\n"
        "{d}{s}gestützt auf Artikel 110 Absatz 4 seiner Geschäftsordnung,\n"
        "{d}{s}unter Hinweis auf seine Entschließung vom 9. Oktober 2008,\n"
        "{A}{s}in der Erwägung, dass Wasser knapp ist;\n"
        "{n1}{s}fordert die Kommission auf, zu handeln:\n"
        "{d}{s}im Mittelmeerraum,\n"
        "{d}{s}in Mitteleuropa;\n"
        "{n2}{s}beauftragt seinen Präsidenten, diese Entschließung dem Rat zu übermitteln.\n"
    ),
    "lv": (
        "Eiropas Parlamenta 2012. gada 15. marta rezolūcija par ūdens trūkumu "
        "(2012/2553(RSP))\n"
        "Eiropas Parlaments,\n"
        "{d}{s}ņemot vērā Reglamenta 110. panta 4. punktu,\n"
        "{d}{s}ņemot vērā 2008. gada 9. oktobra rezolūciju,\n"
        "{A}{s}tā kā ūdens ir maz;\n"
        "{n1}{s}aicina Komisiju rīkoties:\n"
        "{d}{s}Vidusjūras reģionā,\n"
        "{d}{s}Centrāleiropā;\n"
        "{n2}{s}uzdod priekšsēdētājam nosūtīt šo rezolūciju Padomei.\n"
    ),
}
#: The texts the items must hold, by language (hand-written from TEXTS)
EXPECTED = {
    "en": (["having regard to Rule 110(4) of its Rules of Procedure,",
            "having regard to its resolution of 9 October 2008,"],
           "whereas water is scarce;", "Calls on the Commission to act:",
           ["in the Mediterranean,", "in central Europe;"]),
    "fr": (["vu l'article 110, paragraphe 4, de son règlement,",
            "vu sa résolution du 9 octobre 2008,"],
           "considérant que l'eau est rare;", "invite la Commission à agir:",
           ["en Méditerranée,", "en Europe centrale;"]),
    "de": (["gestützt auf Artikel 110 Absatz 4 seiner Geschäftsordnung,",
            "unter Hinweis auf seine Entschließung vom 9. Oktober 2008,"],
           "in der Erwägung, dass Wasser knapp ist;", "fordert die Kommission auf, zu handeln:",
           ["im Mittelmeerraum,", "in Mitteleuropa;"]),
    "lv": (["ņemot vērā Reglamenta 110. panta 4. punktu,",
            "ņemot vērā 2008. gada 9. oktobra rezolūciju,"],
           "tā kā ūdens ir maz;", "aicina Komisiju rīkoties:",
           ["Vidusjūras reģionā,", "Centrāleiropā;"]),
}
LANGS = sorted(TEXTS)


def read(lang: str, d: str = "–", s: str = " ", A: str = "A.", n1: str = "1.",
         n2: str = "2.") -> akn_ep.Resolution:
    text = TEXTS[lang].format(d=d, s=s, A=A, n1=n1, n2=n2)
    return akn_ep.parse_text(text, lang=lang)


def check(r: akn_ep.Resolution, lang: str) -> None:
    citations, recital, para, points = EXPECTED[lang]
    assert [c.text for c in r.citations] == [(t,) for t in citations]
    assert [(x.num, x.text) for x in r.recitals] == [("A.", (recital,))]
    assert [p.num for p in r.paragraphs()] == ["1.", "2."]
    first = r.body[0]
    assert first.text == (para,)
    assert [(p.num, p.text) for p in first.points] == [("–", (t,)) for t in points]


# -- item markers ------------------------------------------------------------------------
def test_the_dash_set_holds_every_dash_the_sources_use():
    # U+2013 en dash, U+2014 em dash, U+2012 figure dash, hyphen-minus, U+2212 minus, bullet;
    # the Symbol font's private-use glyphs: minus (0x2D), bullet (0xB7), the horizontal
    # rule arrowhorizex (0xBE) and dotmath (0xD7), at U+F000 + their Symbol code
    assert ITEM_DASHES == {"\u2013", "\u2014", "\u2012", "-", "\u2212", "\u2022",
                           "\uf02d", "\uf0b7", "\uf0be", "\uf0d7"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("dash", sorted(ITEM_DASHES), ids=lambda d: f"U+{ord(d):04X}")
def test_every_dash_marks_citations_and_indents(lang, dash):
    r = read(lang, d=dash)
    check(r, lang)
    assert r.warnings == ()


def test_symbol_dashes_mixed_with_en_dashes_as_old_web_pages_print_them():
    # the older web pages print most dashes as U+F02D and only some as "–"
    text = TEXTS["en"].format(d="\uf02d", s=" ", A="A.", n1="1.", n2="2.")
    text = text.replace("\uf02d having regard to its", "– having regard to its")
    r = akn_ep.parse_text(text, lang="en")
    check(r, "en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\t", "   "],
                         ids=["space", "nbsp", "narrow-nbsp", "tab", "spaces"])
def test_a_marker_separated_by_a_no_break_space_a_tab_or_several_spaces(lang, space):
    check(read(lang, s=space), lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("marker", ["A.", "A)", "(A)"])
def test_recital_markers(lang, marker):
    r = read(lang, A=marker)
    check(r, lang)
    assert r.warnings == ()


@pytest.mark.parametrize("lang", LANGS)
def test_paragraphs_numbered_with_a_bracket(lang):
    r = read(lang, A="A)", n1="1)", n2="2)")
    check(r, lang)
    assert r.warnings == ()


def test_bracket_numbers_among_dotted_paragraphs_stay_text():
    # a "." text: "1)" inside a paragraph is no paragraph number
    text = TEXTS["en"].format(d="–", s=" ", A="A.", n1="1.", n2="2.").replace(
        "Calls on the Commission to act:\n",
        "Calls on the Commission to act in two steps:\n1) first, now;\n2) then;\n")
    r = akn_ep.parse_text(text, lang="en")
    assert [p.num for p in r.paragraphs()] == ["1.", "2."]
    assert r.body[0].text == ("Calls on the Commission to act in two steps: 1) first, now; "
                              "2) then;",)


def test_mixed_paragraph_marks_are_said():
    text = ("Resolution on water\nThe European Parliament,\n– having regard to Rule 110,\n"
            "1) Calls for action;\n2) Asks for more;\n3. Regrets the delay;\n"
            "3) Instructs its President to forward this resolution.\n")
    r = akn_ep.parse_text(text, lang="en", date="2012-03-15")
    assert [p.num for p in r.paragraphs()] == ["1.", "2.", "3."]
    assert list(r.paragraphs())[1].text == ("Asks for more; 3. Regrets the delay;",)
    assert ("line 6: paragraph numbers are printed '1)', '2)' …; 1 line(s) opening with a "
            "number and a dot ('3.') are read as text, not as paragraphs") in r.warnings


# -- paragraph numbers have no three-digit limit (issue 19) -----------------------------
def _many(n: int) -> str:
    out = ["European Parliament resolution of 1 June 2021 on rivers (2021/2700(RSP))",
           "The European Parliament,", "– having regard to Rule 132(2),"]
    out += [f"{i}. Calls for the protection of river number {i};" for i in range(1, n)]
    out.append(f"{n}. Instructs its President to forward this resolution to the Council.")
    return "\n".join(out) + "\n"


def test_paragraph_1000_and_later_are_read():
    r = akn_ep.parse_text(_many(1203), lang="en")
    paras = list(r.paragraphs())
    assert len(paras) == 1203
    assert paras[998].num == "999." and paras[999].num == "1000." and paras[-1].num == "1203."
    assert paras[999].text == ("Calls for the protection of river number 1000;",)
    assert paras[998].text == ("Calls for the protection of river number 999;",)
    assert r.warnings == ()


# -- the head ---------------------------------------------------------------------------
def _from_formula(lang: str) -> str:
    """The constructed text of TEXTS[lang] as a third-party copy gives it: from the
    formula on, no title."""
    text = TEXTS[lang].format(d="–", s=" ", A="A.", n1="1.", n2="2.")
    return text.split("\n", 1)[1]


PROPONENT = {"en": "European Parliament", "fr": "Parlement européen",
             "de": "Europäisches Parlament", "lv": "Eiropas Parlaments"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_copy_without_title_converts_with_the_documented_fallback(lang):
    r = akn_ep.parse_text(_from_formula(lang), lang=lang)
    check(r, lang)
    assert r.title == PROPONENT[lang]
    assert r.date is None
    assert [(w.line, w.rule) for w in r.warnings] == [(1, "title"), (None, "date")]
    assert "pass title= / --title" in r.warnings[0]


@pytest.mark.parametrize("lang", LANGS)
def test_a_copy_without_title_takes_the_supplied_title_and_date(lang):
    title = TEXTS[lang].split("\n", 1)[0]
    r = akn_ep.parse_text(_from_formula(lang), lang=lang, title=title)
    check(r, lang)
    assert (r.title, r.date.isoformat(), r.procedure) == (title, "2012-03-15", "2012/2553(RSP)")
    assert r.warnings == ("line 1: no title printed before the formula: the supplied title is "
                          "used",)
    r = akn_ep.parse_text(_from_formula(lang), lang=lang, title="Water", date="2012-03-15")
    assert (r.title, r.date.isoformat(), r.date_source) == ("Water", "2012-03-15", "supplied")


def test_a_printed_title_wins_over_a_supplied_one_and_says_so():
    r = akn_ep.parse_text(TEXTS["en"].format(d="–", s=" ", A="A.", n1="1.", n2="2."),
                          lang="en", title="Another title")
    assert r.title.startswith("European Parliament resolution of 15 March 2012")
    assert r.warnings == ("line 1: the text prints its title; the supplied title 'Another "
                          "title' was not used",)


@pytest.mark.parametrize("lang", LANGS)
def test_the_formula_without_its_comma(lang):
    # old texts (1980s-1990s) print "The European Parliament" with no comma
    text = TEXTS[lang].format(d="–", s=" ", A="A.", n1="1.", n2="2.")
    text = text.replace(",\n", "\n", 1)
    r = akn_ep.parse_text(text, lang=lang)
    check(r, lang)
    assert not r.formula.endswith(",")


#: Old recitals open with a participle, not "whereas": by language, hand-written
PARTICIPLES = {
    "en": ["Gravely concerned by the drought,", "Recalling its earlier resolutions,",
           "Noting the Commission's report,", "Having regard to the fact that water is scarce,"],
    "fr": ["Vivement préoccupé par la sécheresse,", "Rappelant ses résolutions antérieures,",
           "Prenant acte du rapport de la Commission,", "Considérant la pénurie d'eau,"],
    "de": ["Zutiefst besorgt über die Dürre,", "unter Hinweis auf seine Entschließungen,",
           "in Kenntnis des Berichts der Kommission,", "in der Erwägung der Wasserknappheit,"],
}


@pytest.mark.parametrize("lang", sorted(PARTICIPLES))
def test_participial_recitals_are_read_by_their_letters_and_place(lang):
    lines = TEXTS[lang].format(d="–", s=" ", A="A.", n1="1.", n2="2.").split("\n")
    recital_at = next(i for i, ln in enumerate(lines) if ln.startswith("A."))
    lines[recital_at : recital_at + 1] = [f"{letter}. {text}" for letter, text in
                                          zip("ABCD", PARTICIPLES[lang], strict=True)]
    r = akn_ep.parse_text("\n".join(lines), lang=lang)
    assert [(x.num, x.text) for x in r.recitals] == [
        (f"{letter}.", (text,)) for letter, text in zip("ABCD", PARTICIPLES[lang], strict=True)]
    assert len(r.citations) == 2 and r.warnings == ()


@pytest.mark.parametrize("lang", LANGS)
def test_the_procedure_line_in_brackets_on_its_own_line(lang):
    title, rest = TEXTS[lang].format(d="–", s=" ", A="A.", n1="1.", n2="2.").split("\n", 1)
    printed = title.replace(" (2012/2553(RSP))", "\n(2012/2553(RSP))")
    r = akn_ep.parse_text(printed + "\n" + rest, lang=lang)
    assert r.title == title and r.procedure == "2012/2553(RSP)"
    check(r, lang)


WEB_HEAD = ("<Date>{{06/07/2020}}6.7.2020</Date>\n"
            "<NoDocSe>B9-0220/2020</NoDocSe>\n"
            "<TitreType>{title_type}</TitreType>\n"
            "<Titre>{titre}</Titre>\n"
            "<DocRef>(2020/2700(RSP))</DocRef>\n"
            "<RepeatBlock-By><Depute>Jane Doe</Depute>\n")


@pytest.mark.parametrize("lang,title_type,titre", [
    ("en", "MOTION FOR A RESOLUTION", "on water scarcity"),
    ("fr", "PROPOSITION DE RÉSOLUTION", "sur la pénurie d'eau"),
    ("de", "ENTSCHLIESSUNGSANTRAG", "zur Wasserknappheit"),
])
def test_web_page_tags_in_the_head_are_kept_never_the_title(lang, title_type, titre):
    head = WEB_HEAD.format(title_type=title_type, titre=titre)
    r = akn_ep.parse_text(head + _from_formula(lang), lang=lang)
    check(r, lang)
    assert r.title == PROPONENT[lang]
    assert [(h.role, h.text) for h in r.head_lines] == [
        ("documentRefs", "<NoDocSe>B9-0220/2020</NoDocSe>"),
        ("documentRefs", "<DocRef>(2020/2700(RSP))</DocRef>"),
        ("sitting", "<Date>{06/07/2020}6.7.2020</Date>"),
        ("other", f"<TitreType>{title_type}</TitreType>"),
        ("other", f"<Titre>{titre}</Titre>"),
        ("other", "<RepeatBlock-By><Depute>Jane Doe</Depute>"),
    ]
    # the date the <Date> tag carries is the model's date when the text prints no other
    assert (r.date.isoformat(), r.date_source) == ("2020-07-06", "printed")
    assert [(w.line, w.rule) for w in r.warnings] == [(7, "title"), (1, "date")]


def test_web_page_tags_before_a_printed_title():
    head = WEB_HEAD.format(title_type="MOTION FOR A RESOLUTION", titre="on water scarcity")
    r = akn_ep.parse_text(head + TEXTS["en"].format(d="–", s=" ", A="A.", n1="1.", n2="2."),
                          lang="en")
    assert r.title.startswith("European Parliament resolution of 15 March 2012 on water")
    assert r.date.isoformat() == "2012-03-15" and r.warnings == ()
    assert len(r.head_lines) == 6


def test_cli_convert_takes_a_title(tmp_path):
    from akn_ep.cli import main

    src = tmp_path / "copy.txt"
    src.write_text(_from_formula("en"), encoding="utf-8")
    out = tmp_path / "copy.xml"
    assert main(["convert", str(src), "-o", str(out), "--title", "Water scarcity",
                 "--date", "2012-03-15", "-q"]) == 0
    r = akn_ep.from_akn(out.read_bytes())
    assert (r.title, r.date.isoformat()) == ("Water scarcity", "2012-03-15")


# -- titles and dates in each language's own form -----------------------------------------
PHRASES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "ep-phrases.json"


@pytest.mark.skipif(not PHRASES.exists(), reason=f"the shared reference is not at {PHRASES}")
@pytest.mark.parametrize("lang", akn_ep.languages.EU_CODES)
def test_the_published_title_of_each_language_is_read_with_its_date(lang):
    # the title examples of ../shared/reference/ep-phrases.json, each seen in the
    # Parliament's published texts (its "sources": doceo pages), every month substituted
    # in the example's own form; the dates are written into the test by hand below
    entry = json.loads(PHRASES.read_text(encoding="utf-8"))[lang]
    assert entry["confirmed"]
    title = entry["title_pattern_example"]
    table = akn_ep.languages.get(lang)
    assert table.is_title(title)
    assert table.find_date(title)[0] == PUBLISHED_DATES[lang]
    printed = next(m for m in entry["months"] if m in title)
    for number, month in enumerate(entry["months"], 1):
        found = table.find_date(title.replace(printed, month))
        assert found is not None and found[0].month == number, month


#: The date each example title prints (read by hand from ep-phrases.json)
PUBLISHED_DATES = {
    "bg": date(2009, 2, 19), "cs": date(2007, 12, 12), "da": date(2008, 10, 22),
    "de": date(2012, 3, 15), "el": date(2017, 12, 12), "en": date(2012, 3, 15),
    "es": date(2017, 12, 12), "et": date(2012, 3, 15), "fi": date(2017, 5, 17),
    "fr": date(2008, 2, 19), "ga": date(2024, 1, 17), "hr": date(2016, 4, 28),
    "hu": date(2017, 4, 5), "it": date(2017, 2, 16), "lt": date(2008, 2, 20),
    "lv": date(2017, 4, 5), "mt": date(2015, 3, 12), "nl": date(2017, 4, 5),
    "pl": date(2014, 3, 12), "pt": date(2016, 7, 6), "ro": date(2017, 12, 12),
    "sk": date(2016, 4, 28), "sl": date(2017, 10, 24), "sv": date(2019, 2, 13),
}


@pytest.mark.parametrize("lang,title,when", [
    # constructed, in the forms ep-phrases.json records from published titles
    ("mt", "Riżoluzzjoni tal-Parlament Ewropew tat-13 ta' Settembru 2011 dwar l-ilma",
     date(2011, 9, 13)),
    ("mt", "Riżoluzzjoni tal-Parlament Ewropew tas-6 ta' Lulju 2011 dwar l-ilma",
     date(2011, 7, 6)),
    ("mt", "Riżoluzzjoni tal-Parlament Ewropew tad-9 ta' Marzu 2011 dwar l-ilma",
     date(2011, 3, 9)),
    ("lv", "Eiropas Parlamenta 2012. gada 15. marta rezolūcija par ūdeni", date(2012, 3, 15)),
    ("hu", "Az Európai Parlament 2012. március 15-i állásfoglalása a vízről", date(2012, 3, 15)),
    ("hu", "Az Európai Parlament 2012. március 1-jei állásfoglalása a vízről", date(2012, 3, 1)),
    ("el", "Ψήφισμα του Ευρωπαϊκού Κοινοβουλίου της 1ης Μαρτίου 2012 σχετικά με το νερό",
     date(2012, 3, 1)),
    ("bg", "Резолюция на Европейския парламент от 15 март 2012 г. относно водата",
     date(2012, 3, 15)),
    ("ga", "Rún ó Pharlaimint na hEorpa an 17 Eanáir 2024 maidir le huisce", date(2024, 1, 17)),
    ("fr", "Résolution du Parlement européen du 1er mars 2012 sur l'eau", date(2012, 3, 1)),
    ("it", "Risoluzione del Parlamento europeo dell'8 marzo 2012 sull'acqua", date(2012, 3, 8)),
    ("sk", "Uznesenie Európskeho parlamentu zo 6. júla 2016 o vode", date(2016, 7, 6)),
    ("lt", "2012 m. kovo 1 d. Europos Parlamento rezoliucija dėl vandens", date(2012, 3, 1)),
    ("pt", "Resolução do Parlamento Europeu, de 15 de Março de 2012, sobre a água",
     date(2012, 3, 15)),
])
def test_titles_in_each_languages_word_order_and_date_form(lang, title, when):
    table = akn_ep.languages.get(lang)
    text = f"{title}\n{table.formula[0]}\n– {table.citation_openers[0]} X,\n1. Y.\n"
    r = akn_ep.parse_text(text, lang=lang)
    assert (r.title, r.date, r.date_source) == (title, when, "printed")


# -- never silently wrong: lines that read two ways -------------------------------------
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("form", ["({n})", "[{n}]"])
def test_notes_after_the_closing_instruction_are_not_points(lang, form):
    # a web copy: calls "(1)" after the words, the notes "(1) …" after the last paragraph
    one, two = form.format(n=1), form.format(n=2)
    lines = TEXTS[lang].format(d="–", s=" ", A="A.", n1="1.", n2="2.").rstrip("\n").split("\n")
    lines[2] = lines[2][:-1] + f" {one},"
    lines.append(f"{one} OJ C 115, 11.3.2022, p. 5.")
    lines.append(f"{two} OJ C 517, 22.12.2021, p. 1.")
    r = akn_ep.parse_text("\n".join(lines) + "\n", lang=lang)
    assert [p.num for p in r.paragraphs()] == ["1.", "2."]
    assert list(r.paragraphs())[-1].points == ()
    # the called note is attached at its call (the call and the space before it go);
    # the uncalled one is kept, attached at the end of the last item, and both facts are said
    cited = r.citations[0].text
    assert cited[1:] == (FootnoteRef("1", "OJ C 115, 11.3.2022, p. 5."), ",")
    assert not cited[0].endswith(" ")
    assert r.trailing == ()
    assert [f.text for f in iter_footnotes(r)] == ["OJ C 115, 11.3.2022, p. 5.",
                                                   "OJ C 517, 22.12.2021, p. 1."]
    assert [w.split(":")[0] for w in r.warnings] == ["line 11", "line 11"]
    assert "no call in the text" in r.warnings[0] and "no call in the text" in r.warnings[1]


def test_a_one_paragraph_resolution_with_a_bracketed_list_stays_dotted():
    text = ("Resolution on water\nThe European Parliament,\n– having regard to Rule 110,\n"
            "1. Calls for two things:\n1) clean rivers;\n2) clean lakes; and instructs its "
            "President to forward this resolution.\n")
    r = akn_ep.parse_text(text, lang="en", date="2012-03-15")
    assert [p.num for p in r.paragraphs()] == ["1."]
    assert r.body[0].text == ("Calls for two things: 1) clean rivers; 2) clean lakes; and "
                              "instructs its President to forward this resolution.",)
