"""Constructed resolution heads, one per EU language, for the language and end-to-end tests.

Written for these tests from each language's published formulae (formula, citation/recital
openers, closing instruction, title head and date format; see the ``notes`` of each table
for what was confirmed in published texts): they are not quotations of real resolutions.
The dates were worked out by hand from the texts, not by running the code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Head:
    """A constructed resolution head: title, formula, 2 citations, 2 recitals, 2 paragraphs."""

    title: str
    date: dt.date
    formula: str
    citations: tuple[str, str]
    recitals: tuple[str, str]
    paragraph: str
    closing: str

    def text(self, letters: str) -> str:
        """The head as a plain-text resolution, items marked as EP texts print them."""
        lines = [self.title, self.formula]
        lines += [f"– {c}" for c in self.citations]
        lines += [f"{letters[i]}. {r}" for i, r in enumerate(self.recitals)]
        lines += [f"1. {self.paragraph}", f"2. {self.closing}"]
        return "\n".join(lines)

    def short(self) -> str:
        """Formula and two citations only: the least a detector must cope with."""
        return "\n".join([self.formula, *(f"– {c}" for c in self.citations)])


# Constructed texts (see module docstring). Dates chosen to exercise genitive and
# ordinal forms: CS "července" (not "června"), EL "2ας", FR "1er", HU "1-jei",
# IT "dell'8", GA two-word month, HR "studenoga" and the year's full stop, PT
# pre-reform capital "Outubro", RO cedilla letters, MT typographic apostrophe.
HEADS: dict[str, Head] = {
    "bg": Head(
        "Резолюция на Европейския парламент от 19 февруари 2009 г. относно положението в Шри Ланка",
        dt.date(2009, 2, 19),
        "Европейският парламент,",
        (
            "като взе предвид своите предишни резолюции относно Шри Ланка,",
            "като взе предвид член 110, параграф 4 от своя правилник,",
        ),
        (
            "като има предвид, че хиляди цивилни граждани са блокирани в зоната на конфликта;",
            "като има предвид, че хуманитарната помощ не достига до населението;",
        ),
        "призовава за незабавно прекратяване на огъня;",
        "възлага на своя председател да предаде настоящата резолюция на Съвета и на Комисията.",
    ),
    "cs": Head(
        "Usnesení Evropského parlamentu ze dne 5. července 2012 o situaci v Sýrii",
        dt.date(2012, 7, 5),
        "Evropský parlament,",
        (
            "s ohledem na svá předchozí usnesení o Sýrii,",
            "s ohledem na čl. 110 odst. 4 jednacího řádu,",
        ),
        (
            "vzhledem k tomu, že násilí v zemi stále narůstá;",
            "vzhledem k tomu, že humanitární situace se dále zhoršuje;",
        ),
        "vyzývá k okamžitému ukončení násilí;",
        "pověřuje svého předsedu, aby toto usnesení předal Radě a Komisi.",
    ),
    "da": Head(
        "Europa-Parlamentets beslutning af 3. marts 2016 om situationen i Libyen",
        dt.date(2016, 3, 3),
        "Europa-Parlamentet,",
        (
            "der henviser til sine tidligere beslutninger om Libyen,",
            "der henviser til forretningsordenens artikel 123, stk. 2,",
        ),
        (
            "der henviser til, at den humanitære situation i landet er forværret;",
            "der henviser til, at tusindvis af mennesker er fordrevet;",
        ),
        "opfordrer alle parter til at indstille kampene;",
        "pålægger sin formand at sende denne beslutning til Rådet og Kommissionen.",
    ),
    "de": Head(
        "Entschließung des Europäischen Parlaments vom 15. März 2012 zu Kasachstan",
        dt.date(2012, 3, 15),
        "Das Europäische Parlament,",
        (
            "unter Hinweis auf seine früheren Entschließungen zu Kasachstan,",
            "gestützt auf Artikel 122 Absatz 5 seiner Geschäftsordnung,",
        ),
        (
            "in der Erwägung, dass die Zusammenarbeit mit Kasachstan ausgebaut werden soll;",
            "in der Erwägung, dass die Lage der Menschenrechte Anlass zur Sorge gibt;",
        ),
        "fordert die Behörden auf, die Versammlungsfreiheit zu achten;",
        "beauftragt seinen Präsidenten, diese Entschließung dem Rat und der Kommission "
        "zu übermitteln.",
    ),
    "el": Head(
        "Ψήφισμα του Ευρωπαϊκού Κοινοβουλίου της 2ας Φεβρουαρίου 2017 σχετικά με την "
        "κατάσταση στη Λιβύη",
        dt.date(2017, 2, 2),
        "Το Ευρωπαϊκό Κοινοβούλιο,",
        (
            "έχοντας υπόψη τα προηγούμενα ψηφίσματά του για τη Λιβύη,",
            "έχοντας υπόψη το άρθρο 123 παράγραφος 2 του Κανονισμού του,",
        ),
        (
            "λαμβάνοντας υπόψη ότι η ανθρωπιστική κατάσταση στη χώρα επιδεινώνεται·",
            "λαμβάνοντας υπόψη ότι χιλιάδες άνθρωποι έχουν εκτοπιστεί·",
        ),
        "καλεί όλα τα μέρη να σταματήσουν τις εχθροπραξίες·",
        "αναθέτει στον Πρόεδρό του να διαβιβάσει το παρόν ψήφισμα στο Συμβούλιο και στην Επιτροπή.",
    ),
    "en": Head(
        "European Parliament resolution of 2 October 2014 on the situation in Libya",
        dt.date(2014, 10, 2),
        "The European Parliament,",
        (
            "having regard to its previous resolutions on Libya,",
            "having regard to Rule 123(2) of its Rules of Procedure,",
        ),
        (
            "whereas the humanitarian situation in the country has deteriorated;",
            "whereas thousands of people have been displaced;",
        ),
        "Calls on all parties to cease hostilities;",
        "Instructs its President to forward this resolution to the Council and the Commission.",
    ),
    "es": Head(
        "Resolución del Parlamento Europeo, de 1 de junio de 2017, sobre la situación en Venezuela",
        dt.date(2017, 6, 1),
        "El Parlamento Europeo,",
        (
            "Vistas sus anteriores resoluciones sobre Venezuela,",
            "Visto el artículo 123, apartados 2 y 4, de su Reglamento interno,",
        ),
        (
            "Considerando que la situación humanitaria se ha deteriorado gravemente;",
            "Considerando que miles de personas han abandonado el país;",
        ),
        "Pide a todas las partes que entablen un diálogo;",
        "Encarga a su presidente que transmita la presente Resolución al Consejo y a la Comisión.",
    ),
    "et": Head(
        "Euroopa Parlamendi 29. jaanuari 2015. aasta resolutsioon olukorra kohta Liibüas",
        dt.date(2015, 1, 29),
        "Euroopa Parlament,",
        (
            "võttes arvesse oma varasemaid resolutsioone Liibüa kohta,",
            "võttes arvesse kodukorra artikli 123 lõiget 2,",
        ),
        (
            "arvestades, et humanitaarolukord riigis on halvenenud;",
            "arvestades, et tuhanded inimesed on pidanud oma kodudest lahkuma;",
        ),
        "kutsub kõiki osapooli üles lõpetama vaenutegevust;",
        "teeb presidendile ülesandeks edastada käesolev resolutsioon nõukogule ja komisjonile.",
    ),
    "fi": Head(
        "Euroopan parlamentin päätöslauselma 6. heinäkuuta 2016 Libyan tilanteesta",
        dt.date(2016, 7, 6),
        "Euroopan parlamentti, joka",
        (
            "ottaa huomioon aiemmat päätöslauselmansa Libyasta,",
            "ottaa huomioon työjärjestyksen 123 artiklan 2 kohdan,",
        ),
        (
            "ottaa huomioon, että maan humanitaarinen tilanne on heikentynyt;",
            "katsoo, että tuhannet ihmiset ovat joutuneet jättämään kotinsa;",
        ),
        "kehottaa kaikkia osapuolia lopettamaan vihamielisyydet;",
        "kehottaa puhemiestä välittämään tämän päätöslauselman neuvostolle ja komissiolle.",
    ),
    "fr": Head(
        "Résolution du Parlement européen du 1er décembre 2022 sur la situation en Syrie",
        dt.date(2022, 12, 1),
        "Le Parlement européen,",
        (
            "vu ses résolutions antérieures sur la Syrie,",
            "vu l'article 144 de son règlement intérieur,",
        ),
        (
            "considérant que la répression violente se poursuit dans tout le pays;",
            "considérant qu'un grand nombre de civils ont été tués;",
        ),
        "condamne fermement le recours à la violence contre les manifestants;",
        "charge sa Présidente de transmettre la présente résolution au Conseil et à la Commission.",
    ),
    "ga": Head(
        "Rún ó Pharlaimint na hEorpa an 17 Meán Fómhair 2019 maidir leis an staid sa Libia",
        dt.date(2019, 9, 17),
        "Tá Parlaimint na hEorpa,",
        (
            "ag féachaint dá rúin roimhe seo maidir leis an Libia,",
            "ag féachaint do Riail 132(2) dá Rialacha Nós Imeachta,",
        ),
        (
            "de bhrí go bhfuil an staid dhaonnúil sa tír ag dul in olcas;",
            "de bhrí nach bhfuil rochtain ag an bpobal ar chúnamh;",
        ),
        "á iarraidh ar na páirtithe uile deireadh a chur leis an bhforéigean;",
        # closing wording unconfirmed in published texts (see ga.json notes)
        "Tugann sí treoir dá hUachtarán an rún seo a chur ar aghaidh chuig an gComhairle "
        "agus chuig an gCoimisiún.",
    ),
    "hr": Head(
        "Rezolucija Europskog parlamenta od 14. studenoga 2019. o situaciji u Libiji",
        dt.date(2019, 11, 14),
        "Europski parlament,",
        (
            "uzimajući u obzir svoje prethodne rezolucije o Libiji,",
            "uzimajući u obzir članak 132. stavak 2. Poslovnika,",
        ),
        (
            "budući da se humanitarna situacija u zemlji pogoršala;",
            "budući da su tisuće ljudi raseljene;",
        ),
        "poziva sve strane da prekinu neprijateljstva;",
        "nalaže svojem predsjedniku da ovu Rezoluciju proslijedi Vijeću i Komisiji.",
    ),
    "hu": Head(
        "Az Európai Parlament 2016. december 1-jei állásfoglalása a líbiai helyzetről",
        dt.date(2016, 12, 1),
        "Az Európai Parlament,",
        (
            "tekintettel a Líbiáról szóló korábbi állásfoglalásaira,",
            "tekintettel eljárási szabályzata 123. cikkének (2) bekezdésére,",
        ),
        (
            "mivel az országban romlik a humanitárius helyzet;",
            "mivel emberek ezrei kényszerültek elhagyni otthonukat;",
        ),
        "felszólít minden felet az ellenségeskedések beszüntetésére;",
        "utasítja elnökét, hogy továbbítsa ezt az állásfoglalást a Tanácsnak és a Bizottságnak.",
    ),
    "it": Head(
        "Risoluzione del Parlamento europeo dell’8 luglio 2015 sulla situazione in Libia",
        dt.date(2015, 7, 8),
        "Il Parlamento europeo,",
        (
            "viste le sue precedenti risoluzioni sulla Libia,",
            "visto l'articolo 123, paragrafo 2, del suo regolamento,",
        ),
        (
            "considerando che la situazione umanitaria nel paese è peggiorata;",
            "considerando che migliaia di persone sono state sfollate;",
        ),
        "invita tutte le parti a cessare le ostilità;",
        "incarica il suo Presidente di trasmettere la presente risoluzione al Consiglio e alla "
        "Commissione.",
    ),
    "lt": Head(
        "2013 m. rugsėjo 12 d. Europos Parlamento rezoliucija dėl padėties Libijoje",
        dt.date(2013, 9, 12),
        "Europos Parlamentas,",
        (
            "atsižvelgdamas į savo ankstesnes rezoliucijas dėl Libijos,",
            "atsižvelgdamas į Darbo tvarkos taisyklių 123 straipsnio 2 dalį,",
        ),
        (
            "kadangi humanitarinė padėtis šalyje pablogėjo;",
            "kadangi tūkstančiai žmonių buvo priversti palikti savo namus;",
        ),
        "ragina visas šalis nutraukti karo veiksmus;",
        "paveda Pirmininkui perduoti šią rezoliuciją Tarybai ir Komisijai.",
    ),
    "lv": Head(
        "Eiropas Parlamenta 2017. gada 5. aprīļa rezolūcija par stāvokli Lībijā",
        dt.date(2017, 4, 5),
        "Eiropas Parlaments,",
        (
            "ņemot vērā iepriekšējās rezolūcijas par Lībiju,",
            "ņemot vērā Reglamenta 123. panta 2. punktu,",
        ),
        (
            "tā kā humanitārā situācija valstī ir pasliktinājusies;",
            "tā kā tūkstošiem cilvēku ir bijuši spiesti pamest savas mājas;",
        ),
        "aicina visas puses pārtraukt karadarbību;",
        "uzdod priekšsēdētājam nosūtīt šo rezolūciju Padomei un Komisijai.",
    ),
    "mt": Head(
        "Riżoluzzjoni tal-Parlament Ewropew tas-6 ta’ Lulju 2016 dwar is-sitwazzjoni fil-Libja",
        dt.date(2016, 7, 6),
        "Il-Parlament Ewropew,",
        (
            "wara li kkunsidra r-riżoluzzjonijiet preċedenti tiegħu dwar il-Libja,",
            "wara li kkunsidra l-Artikolu 123(2) tar-Regoli ta' Proċedura tiegħu,",
        ),
        (
            "billi s-sitwazzjoni umanitarja fil-pajjiż marret għall-agħar;",
            "billi eluf ta' persuni ġew spostati;",
        ),
        "Jistieden lill-partijiet kollha jwaqqfu l-ostilitajiet;",
        "Jagħti istruzzjonijiet lill-President tiegħu biex jgħaddi din ir-riżoluzzjoni "
        "lill-Kunsill u lill-Kummissjoni.",
    ),
    "nl": Head(
        "Resolutie van het Europees Parlement van 16 maart 2017 over de situatie in Libië",
        dt.date(2017, 3, 16),
        "Het Europees Parlement,",
        (
            "gezien zijn eerdere resoluties over Libië,",
            "gezien artikel 123, lid 2, van zijn Reglement,",
        ),
        (
            "overwegende dat de humanitaire situatie in het land is verslechterd;",
            "overwegende dat duizenden mensen op de vlucht zijn geslagen;",
        ),
        "verzoekt alle partijen de vijandelijkheden te staken;",
        "verzoekt zijn Voorzitter deze resolutie te doen toekomen aan de Raad en de Commissie.",
    ),
    "pl": Head(
        "Rezolucja Parlamentu Europejskiego z dnia 15 października 2015 r. w sprawie sytuacji "
        "w Libii",
        dt.date(2015, 10, 15),
        "Parlament Europejski,",
        (
            "uwzględniając swoje wcześniejsze rezolucje w sprawie Libii,",
            "uwzględniając art. 123 ust. 2 Regulaminu,",
        ),
        (
            "mając na uwadze, że sytuacja humanitarna w kraju się pogorszyła;",
            "mając na uwadze, że tysiące ludzi musiały opuścić swoje domy;",
        ),
        "wzywa wszystkie strony do zaprzestania działań wojennych;",
        "zobowiązuje swojego Przewodniczącego do przekazania niniejszej rezolucji Radzie i "
        "Komisji.",
    ),
    "pt": Head(
        "Resolução do Parlamento Europeu, de 25 de Outubro de 2007, sobre a situação na Líbia",
        dt.date(2007, 10, 25),
        "O Parlamento Europeu,",
        (
            "Tendo em conta as suas anteriores resoluções sobre a Líbia,",
            "Tendo em conta o n.º 5 do artigo 115.º do seu Regimento,",
        ),
        (
            "Considerando que a situação humanitária no país se agravou;",
            "Considerando que milhares de pessoas foram deslocadas;",
        ),
        "Insta todas as partes a cessarem as hostilidades;",
        "Encarrega o seu Presidente de transmitir a presente resolução ao Conselho e à Comissão.",
    ),
    "ro": Head(
        "Rezoluţia Parlamentului European din 26 noiembrie 2009 referitoare la situaţia din Libia",
        dt.date(2009, 11, 26),
        "Parlamentul European,",
        (
            "având în vedere rezoluțiile sale anterioare referitoare la Libia,",
            "având în vedere articolul 123 alineatul (2) din Regulamentul său de procedură,",
        ),
        (
            "întrucât situația umanitară din țară s-a deteriorat;",
            "întrucât mii de persoane au fost strămutate;",
        ),
        "invită toate părțile să înceteze ostilitățile;",
        "încredinţează Preşedintelui sarcina de a transmite prezenta rezoluţie Consiliului şi "
        "Comisiei.",
    ),
    "sk": Head(
        "Uznesenie Európskeho parlamentu zo 16. februára 2023 o situácii v Líbyi",
        dt.date(2023, 2, 16),
        "Európsky parlament,",
        (
            "so zreteľom na svoje predchádzajúce uznesenia o Líbyi,",
            "so zreteľom na článok 144 rokovacieho poriadku,",
        ),
        (
            "keďže humanitárna situácia v krajine sa zhoršila;",
            "keďže tisíce ľudí boli vysídlené;",
        ),
        "vyzýva všetky strany, aby ukončili nepriateľstvo;",
        "poveruje svoju predsedníčku, aby toto uznesenie postúpila Rade a Komisii.",
    ),
    "sl": Head(
        "Resolucija Evropskega parlamenta z dne 3. julija 2014 o razmerah v Libiji",
        dt.date(2014, 7, 3),
        "Evropski parlament,",
        (
            "ob upoštevanju svojih prejšnjih resolucij o Libiji,",
            "ob upoštevanju člena 123(2) Poslovnika,",
        ),
        (
            "ker so se humanitarne razmere v državi poslabšale;",
            "ker je bilo na tisoče ljudi razseljenih;",
        ),
        "poziva vse strani, naj prenehajo sovražnosti;",
        "naroči svojemu predsedniku, naj to resolucijo posreduje Svetu in Komisiji.",
    ),
    "sv": Head(
        "Europaparlamentets resolution av den 15 september 2016 om situationen i Libyen",
        dt.date(2016, 9, 15),
        "Europaparlamentet utfärdar denna resolution",
        (
            "med beaktande av sina tidigare resolutioner om Libyen,",
            "med beaktande av artikel 123.2 i arbetsordningen,",
        ),
        # Swedish recitals have no fixed opener
        (
            "Den humanitära situationen i landet har försämrats.",
            "Tusentals människor har tvingats lämna sina hem.",
        ),
        "Europaparlamentet uppmanar alla parter att upphöra med stridigheterna.",
        "Europaparlamentet uppdrar åt talmannen att översända denna resolution till rådet och "
        "kommissionen.",
    ),
}

LANGS = sorted(HEADS)
