"""The conventions the parser reads, each a rule or a table entry, each in several languages.

Every input here is CONSTRUCTED for the test, in the real layout of the Parliament's
texts adopted (title, formula, dashed citations, lettered recitals, numbered
paragraphs, closing instruction); only the feature under test varies. Expected values
are written by hand.
"""

from __future__ import annotations

import pytest

import akn_ep
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
