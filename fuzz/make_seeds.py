#!/usr/bin/env python3
# ruff: noqa: E501 - the seed texts keep their lines as a resolution prints them
"""Write the fuzzers' seed inputs to ``fuzz/corpus_seeds/`` (run again after changing them).

Every seed is constructed here, in our own words, in the layouts the parser meets (one item
per line, pdftotext with markers alone on a line, page breaks with page numbers, running
headers and page-foot footnotes, points and sub-points, headings, an annex); none is copied
from a real resolution. The XML seeds are our own output for those texts plus a few
documents in the shapes other tools write (hcontainers, lists, noteRefs, articles).

    .venv/bin/python fuzz/make_seeds.py
"""

from __future__ import annotations

from pathlib import Path

import akn_ep

HERE = Path(__file__).resolve().parent / "corpus_seeds"

TEXTS = {
    "en_full.txt": """P9_TA(2021)0101
Inland waterways of Fictivia
European Parliament resolution of 11 March 2021 on the inland waterways of Fictivia (2020/2999(RSP))
The European Parliament,
– having regard to its resolution of 24 February 20211 on river transport,
– having regard to Rule 144 of its Rules of Procedure,
A. whereas the canals of Fictivia carry a tenth of its freight;
B. whereas the locks were built in 1890 and have not been repaired since2;
C. whereas silt blocks the upper reaches for half of the year;
General remarks
1. Calls on the authorities of Fictivia:
(a) to survey every lock before the winter;
(b) to publish the survey, in particular:
(i) the state of the gates;
(ii) the cost of repairs;
(c) to consult the boatmen;
2. Regrets that the survey of 2019 was never published;
– notes the lack of funding;
Final provisions
3. Instructs its President to forward this resolution to the Council and the Commission.
ANNEX
List of locks surveyed
The first lock, at the mouth of the river.

1 Texts adopted, P9_TA(2021)0050.
2 OJ C 12, 1.1.1999, p. 3.
""",
    "en_pdftotext.txt": """European Parliament resolution of 2 May 2019 on the bridges of Fictivia
(2019/2001(RSP))

The European Parliament,

–

having regard to the report of its delegation,

A.

whereas several bridges have collapsed;

1.

Calls for an inventory of all bridges;

2.

Instructs its President to forward this resolution to the Government of Fictivia.
""",
    "en_layout_pages.txt": """      European Parliament resolution of 9 June 2016 on the ferries of Fictivia
      The European Parliament,
      – having regard to the Treaty on European Union1,
      A. whereas the ferries are old and
          unsafe;


      1  OJ C 1, 1.1.2016, p. 1.
PE123.456v01-00
                                                     1
\f      1. Calls for new ferries;
      2. Instructs its President to forward this resolution to the Council.
PE123.456v01-00
                                                     2
""",
    "fr.txt": """Résolution du Parlement européen du 15 mars 2012 sur les canaux de Fictivie (2012/2999(RSP))
Le Parlement européen,
– vu l'article 110 de son règlement,
A. considérant que les écluses sont anciennes;
1. demande une étude de toutes les écluses;
2. charge son Président de transmettre la présente résolution au Conseil et à la Commission.
""",
    "lv.txt": """Eiropas Parlamenta 2012. gada 15. marta rezolūcija par Fiktīvijas kanāliem (2012/2999(RSP))
Eiropas Parlaments,
– ņemot vērā 2011. gada
15. janvāra rezolūciju par upēm,
A. tā kā slūžas ir vecas;
1. aicina pārbaudīt visas slūžas;
2. uzdod priekšsēdētājam nosūtīt šo rezolūciju Padomei un Komisijai.
""",
    "el.txt": """Ψήφισμα του Ευρωπαϊκού Κοινοβουλίου της 15ης Μαρτίου 2012 σχετικά με τα κανάλια (2012/2999(RSP))
Το Ευρωπαϊκό Κοινοβούλιο,
– έχοντας υπόψη το άρθρο 110 του Κανονισμού του,
Α. λαμβάνοντας υπόψη ότι οι δεξαμενές είναι παλιές·
1. ζητεί έλεγχο όλων των δεξαμενών·
2. αναθέτει στον Πρόεδρό του να διαβιβάσει το παρόν ψήφισμα στο Συμβούλιο.
""",
    "el_numerals.txt": """Ψήφισμα του Ευρωπαϊκού Κοινοβουλίου της 15ης Μαρτίου 2012 σχετικά με τα κανάλια (2012/2999(RSP))
Το Ευρωπαϊκό Κοινοβούλιο,
– έχοντας υπόψη το άρθρο 110 του Κανονισμού του,
Α. λαμβάνοντας υπόψη ότι τα φράγματα είναι παλιά·
Β. λαμβάνοντας υπόψη ότι οι δεξαμενές είναι παλιές·
Γ. λαμβάνοντας υπόψη ότι οι σωλήνες είναι παλιοί·
Δ. λαμβάνοντας υπόψη ότι τα κανάλια είναι στενά·
Ε. λαμβάνοντας υπόψη ότι οι γέφυρες είναι χαμηλές·
ΣΤ. λαμβάνοντας υπόψη ότι οι δρόμοι είναι κλειστοί·
Ζ. λαμβάνοντας υπόψη ότι τα λιμάνια είναι γεμάτα·
1. ζητεί από την Επιτροπή:
α) να ελέγξει τα φράγματα·
β) να ελέγξει τις δεξαμενές·
γ) να ελέγξει τους σωλήνες·
δ) να ελέγξει τα κανάλια·
ε) να ελέγξει τις γέφυρες·
στ) να ελέγξει τους δρόμους·
2. αναθέτει στον Πρόεδρό του να διαβιβάσει το παρόν ψήφισμα στο Συμβούλιο.
""",
    "bg_points.txt": """Резолюция на Европейския парламент от 15 март 2012 г. относно каналите (2012/2999(RSP))
Европейският парламент,
– като взе предвид член 110 от своя правилник,
А. като има предвид, че каналите се нуждаят от проверка;
Б. като има предвид, че язовирите са стари;
1. призовава Комисията:
а) да провери язовирите;
б) да провери каналите;
в) да провери мостовете;
2. възлага на своя председател да предаде настоящата резолюция на Съвета.
""",
    "consent_old.txt": """European Parliament legislative resolution embodying Parliament's opinion on the agreement with Fictivia (C4-0001/95)
The European Parliament,
- having regard to the draft agreement,
1. Gives its assent;
2. Instructs its President to forward this resolution to the Council and the Commission.
""",
}

NS = 'xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"'
FOREIGN = {
    "foreign_hcontainer.xml": f"""<akomaNtoso {NS}><doc name="resolution"><preface><longTitle><p>On canals</p></longTitle></preface>
<preamble><recitals><recital><p>whereas the locks are old;</p></recital></recitals></preamble>
<mainBody><hcontainer name="chapter"><heading>General</heading>
<paragraph><num>1.</num><content><p>Calls for a survey<authorialNote marker="1"><p>OJ C 1.</p></authorialNote>;</p></content></paragraph>
<paragraph><num>2.</num><list><intro><p>Asks:</p></intro><point><num>(a)</num><content><p>x;</p></content></point></list></paragraph>
</hcontainer><crossHeading>Final</crossHeading><p>Done at Strasbourg.</p></mainBody></doc></akomaNtoso>
""",
    "foreign_noteref.xml": f"""<akomaNtoso {NS}><doc name="x"><meta><notes source="#x"><note eId="n1"><p>OJ C 2.</p></note></notes></meta>
<mainBody><article><num>Article 1</num><paragraph><num>1.</num><content><p>Text<noteRef href="#n1"/>.</p></content></paragraph></article></mainBody></doc></akomaNtoso>
""",
}


def main() -> None:
    for name, text in TEXTS.items():
        (HERE / "text" / name).write_bytes(text.encode("utf-8"))
        r = akn_ep.parse_text(text)  # every seed must be a resolution
        (HERE / "xml" / name.replace(".txt", ".xml")).write_bytes(akn_ep.to_akn(r))
    for name, xml in FOREIGN.items():
        akn_ep.from_akn(xml.encode())
        (HERE / "xml" / name).write_bytes(xml.encode("utf-8"))


if __name__ == "__main__":
    main()
