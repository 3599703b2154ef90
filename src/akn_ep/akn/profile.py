"""The EP-resolution profile: the rules an akn-ep document keeps beyond the OASIS schema.

Recital letters without gaps in the language's own alphabet, paragraphs numbered
1…n, FRBR IRIs that agree with each other and with the texts-adopted number …
Every rule has an id (``ep-…``), listed in :data:`RULES` (read from
``schemas/ep-resolution-profile.json``) and ``akn_ep/schemas/README.md``, that
appears in :attr:`~akn_ep.akn.issues.Issue.rule`.

Example:
    >>> from akn_ep.model import Resolution, Paragraph
    >>> from akn_ep.akn.writer import to_akn
    >>> from lxml import etree
    >>> xml = to_akn(Resolution(lang="en", title="European Parliament resolution on X",
    ...                         formula="The European Parliament,", date="2012-03-15",
    ...                         body=(Paragraph("1.", "Instructs its President …"),)))
    >>> _profile_issues(etree.fromstring(xml), schema_valid=True)
    []
    >>> [i.rule for i in _profile_issues(etree.fromstring(xml.replace(b">1.<", b">2.<")), True)]
    ['ep-paragraph-sequence']
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from importlib import resources

import attrs
from lxml import etree

from .. import languages
from ..errors import LanguageError
from ..model import TA_NUMBER_RE
from . import eids
from .iri import DOC_NAMES, ep_work_uri
from .issues import Issue, _at
from .names import AKN_NS

__all__ = ["RULES", "Rule", "CHECKS"]

_A = f"{{{AKN_NS}}}"
_NS = {"akn": AKN_NS}
#: statement/@name of each kind of document (a text adopted is a resolution)
_DOC_NAMES = frozenset(DOC_NAMES.values())

#: Every rule id :func:`validate` can report, with what it checks: the EP-resolution
#: profile, declared in ``schemas/ep-resolution-profile.json`` (shipped in the package).
RULES: dict[str, str] = json.loads(
    resources.files("akn_ep").joinpath("schemas/ep-resolution-profile.json").read_text("utf-8")
)["rules"]


def _is_statement(root: etree._Element) -> bool:
    return root.tag == _A + "akomaNtoso" and _child(root, "statement") is not None


# -- the EP-resolution profile ----------------------------------------------------
#
# Plain Python over the tree. The document-level rules were first written as ISO
# Schematron (lxml.isoschematron); its XSLT walks the whole document twice and cost
# as much as the XSD validation itself (~0.75-1.1 ms vs ~0.9 ms on a 28 KB
# resolution), while these functions touch only the elements each rule is about.
#
# Each rule id is declared once, below, as a :class:`Rule` (checked against the JSON
# declaration at import); each check is a small function of the document that returns
# its issues, and :data:`CHECKS` lists them in the order they run.


@attrs.frozen
class Rule:
    """One rule of the profile: its id, and the issue it gives at an element.

    Example:
        >>> Rule("ep-docdate").summary
        'preface docDate/@date equals the Work FRBRdate'
    """

    id: str = attrs.field(validator=lambda _, __, v: _declared(v))

    @property
    def summary(self) -> str:
        """What the rule requires, as ``schemas/ep-resolution-profile.json`` says it."""
        return RULES[self.id]

    def at(self, el: etree._Element, message: str) -> Issue:
        """This rule's issue at ``el``."""
        return _at(el, self.id, message)


def _declared(rule_id: str) -> None:
    if rule_id not in RULES:
        raise ValueError(f"rule {rule_id!r} is not declared in ep-resolution-profile.json")


STATEMENT_NAME = Rule("ep-statement-name")
WORK_IRI = Rule("ep-work-iri")
WORK_COUNTRY = Rule("ep-work-country")
TA_NUMBER = Rule("ep-ta-number")
TA_YEAR = Rule("ep-ta-year")
CELEX = Rule("ep-celex")
EXPRESSION_UNDER_WORK = Rule("ep-expression-under-work")
EXPRESSION_VERSION = Rule("ep-expression-version")
MANIFESTATION_UNDER_EXPRESSION = Rule("ep-manifestation-under-expression")
DOCDATE = Rule("ep-docdate")
CITATION_EID = Rule("ep-citation-eid")
LANGUAGE = Rule("ep-language")
RECITAL_SEQUENCE = Rule("ep-recital-sequence")
RECITAL_EID = Rule("ep-recital-eid")
PARAGRAPH_SEQUENCE = Rule("ep-paragraph-sequence")
NOTE_EID = Rule("ep-note-eid")
NOTEREF_TARGET = Rule("ep-noteref-target")
EID_UNIQUE = Rule("ep-eid-unique")


class _Kids:
    """The AKN children of an element by local name, first of each, indexed in one pass.

    ``kids["FRBRuri"]`` is None when there is no such child (or no element at all):
    a missing element is the XSD's to report, and rules that need it are skipped.
    """

    __slots__ = ("el", "_by_tag")

    def __init__(self, el: etree._Element | None):
        self.el = el
        self._by_tag: dict[object, etree._Element] = {}
        if el is not None:
            for child in el:
                self._by_tag.setdefault(child.tag, child)

    def __getitem__(self, name: str) -> etree._Element | None:
        return self._by_tag.get(_A + name)

    def value(self, name: str, attr: str = "value") -> str:
        el = self[name]
        return el.get(attr, "") if el is not None else ""


class _Doc:
    """What the checks look at: the statement and its three FRBR levels, each indexed once,
    and the language table FRBRlanguage names (None when there is none)."""

    __slots__ = ("root", "statement", "work", "expr", "manif", "lang", "schema_valid")

    def __init__(self, root: etree._Element, schema_valid: bool):
        self.root = root
        self.statement = statement = _child(root, "statement")
        ident = _Kids(_Kids(_Kids(statement)["meta"])["identification"])
        self.work = _Kids(ident["FRBRWork"])
        self.expr = _Kids(ident["FRBRExpression"])
        self.manif = _Kids(ident["FRBRManifestation"])
        self.schema_valid = schema_valid
        self.lang: languages.Language | None = None
        language = self.expr["FRBRlanguage"]
        if language is not None:
            try:
                self.lang = languages.get(language.get("language", ""))
            except LanguageError:
                pass  # the ep-language check says so


def _profile_issues(root: etree._Element, schema_valid: bool) -> list[Issue]:
    """The EP-resolution rules, in document order (by line).

    ``schema_valid`` says the XSD found nothing: its ``xsd:unique`` constraints
    (``eId-statement`` covers every descendant of the statement) then already
    guarantee unique eIds, and that walk over every element is skipped.
    """
    doc = _Doc(root, schema_valid)
    issues = [issue for check in CHECKS for issue in check(doc)]
    issues.sort(key=lambda i: i.line or 0)
    return issues


def _child(parent: etree._Element | None, tag: str) -> etree._Element | None:
    """First AKN child named ``tag``; a plain loop is the fastest lookup on small elements."""
    if parent is not None:
        tag = _A + tag
        for child in parent:
            if child.tag == tag:
                return child
    return None


def _children(parents: etree._Element | list | None, tag: str) -> list[etree._Element]:
    """AKN children named ``tag`` of one element or of each element of a list, in order."""
    if parents is None:
        return []
    if not isinstance(parents, list):
        parents = [parents]
    tag = _A + tag
    return [c for p in parents for c in p if c.tag == tag]


def _either(el: etree._Element | None, fallback: etree._Element) -> etree._Element:
    # not ``el or fallback``: an element without children is false
    return el if el is not None else fallback


# -- the checks, in the order CHECKS runs them -------------------------------------


def _language(doc: _Doc) -> list[Issue]:
    """FRBRExpression/FRBRlanguage names a language with a table (639-2 or 639-1 code)."""
    el = doc.expr["FRBRlanguage"]
    if el is None or doc.lang is not None:
        return []  # the XSD reports the missing element
    return [LANGUAGE.at(el, f'FRBRlanguage "{el.get("language", "")}" is not a language with '
                        f"a table ({', '.join(languages.codes())}); recital letters are not "
                        "checked")]


def _statement_name(doc: _Doc) -> list[Issue]:
    name = doc.statement.get("name", "")
    if name in _DOC_NAMES:  # a text adopted; a motion or report read from its web page
        return []
    return [STATEMENT_NAME.at(doc.statement,
                              f'statement/@name is "{name}" where "resolution" was expected')]


def _work_iri(doc: _Doc) -> list[Issue]:
    work = doc.work
    if work.el is None:
        return []
    name = doc.statement.get("name", "")
    subtype = name if name in _DOC_NAMES else "resolution"  # the IRI's subtype is the name
    work_uri = work.value("FRBRuri")
    expected = ep_work_uri(work.value("FRBRdate", "date"), work.value("FRBRnumber"), subtype)
    if work_uri == expected:
        return []
    return [WORK_IRI.at(_either(work["FRBRuri"], work.el),
                        f'Work FRBRuri "{work_uri}" where "{expected}" '
                        f"({ep_work_uri('<FRBRdate>', '<FRBRnumber>', subtype)}) was expected")]


def _work_country(doc: _Doc) -> list[Issue]:
    country = doc.work["FRBRcountry"]
    if doc.work.el is None or country is None or country.get("value") == "eu":
        return []
    return [WORK_COUNTRY.at(country, f'Work FRBRcountry is "{country.get("value", "")}" where '
                            '"eu" was expected')]


def _alias_issues(doc: _Doc) -> list[Issue]:
    """FRBRnumber, the CELEX alias and the Work date agree with the texts-adopted number,
    if there is one.

    P7_TA(2012)0089 (or P9_TA-PROV(2021)0123) gives the work number
    TA-7-2012-0089 and the CELEX number 52012IP0089 or 52012AP0089, and belongs to a
    resolution adopted in 2012: texts adopted are numbered from 0001 each year, so a number
    of another year than the adoption date names another text (or one of the two is wrong).
    The term is not checked against the date: a date known only by its year is written as
    1 January, which may fall in the term before.
    """
    work = doc.work
    if work.el is None:
        return []
    alias_tag = _A + "FRBRalias"
    aliases = {a.get("name"): a for a in work.el if a.tag == alias_tag}
    ta_el = aliases.get("textsAdoptedNumber")
    if ta_el is None:
        return []
    ta = ta_el.get("value", "")
    m = TA_NUMBER_RE.match(ta)
    if not m:
        return [TA_NUMBER.at(ta_el, f'texts-adopted number "{ta}" is not of the form '
                             "P<term>_TA(<year>)<nnnn>")]
    term, year, nnnn = m.groups()
    issues = []
    number = work.value("FRBRnumber")
    expected = f"TA-{term}-{year}-{nnnn}"
    if number != expected:
        issues.append(TA_NUMBER.at(_either(work["FRBRnumber"], work.el),
                                   f'FRBRnumber "{number}" where "{expected}" (from the '
                                   f'texts-adopted number "{ta}") was expected'))
    work_date = work.value("FRBRdate", "date")
    if work_date[:4] != year and work_date != "0001-01-01":
        issues.append(TA_YEAR.at(ta_el, f'texts-adopted number "{ta}" is of the year {year}, '
                                 f'but the Work FRBRdate (the adoption date) is "{work_date}"'))
    celex_el = aliases.get("CELEX")
    if celex_el is not None:
        celex = celex_el.get("value", "")
        allowed = (f"5{year}IP{nnnn}", f"5{year}AP{nnnn}")
        if celex not in allowed:
            issues.append(CELEX.at(celex_el, f'CELEX alias "{celex}" where "{allowed[0]}" or '
                                   f'"{allowed[1]}" (from the texts-adopted number "{ta}") '
                                   "was expected"))
    return issues


def _expression_under_work(doc: _Doc) -> list[Issue]:
    uri_el = doc.expr["FRBRuri"]
    if uri_el is None or doc.work.el is None:
        return []
    uri, work_uri = uri_el.get("value", ""), doc.work.value("FRBRuri")
    if uri.startswith(work_uri + "/"):
        return []
    return [EXPRESSION_UNDER_WORK.at(uri_el, f'Expression FRBRuri "{uri}" is not under the '
                                     f'Work FRBRuri "{work_uri}/"')]


def _expression_version(doc: _Doc) -> list[Issue]:
    uri_el, expr = doc.expr["FRBRuri"], doc.expr
    if uri_el is None:
        return []
    uri = uri_el.get("value", "")
    suffix = f'/{expr.value("FRBRlanguage", "language")}@{expr.value("FRBRdate", "date")}'
    if uri.endswith(suffix):
        return []
    return [EXPRESSION_VERSION.at(uri_el, f'Expression FRBRuri "{uri}" does not end with '
                                  f'"{suffix}" (/<FRBRlanguage>@<FRBRdate>)')]


def _manifestation_under_expression(doc: _Doc) -> list[Issue]:
    uri_el, this = doc.expr["FRBRuri"], doc.manif["FRBRthis"]
    if uri_el is None or this is None:
        return []
    uri = uri_el.get("value", "")
    if this.get("value", "").startswith(uri + "/"):
        return []
    return [MANIFESTATION_UNDER_EXPRESSION.at(this, f'Manifestation FRBRthis '
                                              f'"{this.get("value", "")}" is not under the '
                                              f'Expression FRBRuri "{uri}/"')]


def _docdate_issues(doc: _Doc) -> list[Issue]:
    preface = _child(doc.statement, "preface")
    if preface is None or doc.work.el is None:
        return []
    work_date = doc.work.value("FRBRdate", "date")
    return [DOCDATE.at(date, f'preface docDate/@date "{date.get("date", "")}" differs from the '
                       f'Work FRBRdate "{work_date}"')
            for date in preface.iter(_A + "docDate") if date.get("date") != work_date]


def _citation_issues(doc: _Doc) -> list[Issue]:
    """Citation eIds cits_1__cit_1 … in document order."""
    issues = []
    cits = _children(_children(_child(doc.statement, "preamble"), "citations"), "citation")
    for n, cit in enumerate(cits, 1):
        want = eids.citation(n)
        if cit.get("eId") != want:
            issues.append(CITATION_EID.at(cit, f'citation eId "{cit.get("eId", "")}" where '
                                          f'"{want}" was expected'))
    return issues


def _letters(num: str) -> str:
    return num.strip().strip(".)(").strip()


def _recital_issues(doc: _Doc) -> list[Issue]:
    """Recital letters in sequence (language alphabet) and eIds by position (Latin letters).

    After a wrong letter the count resumes from that letter, so one gap gives one issue.
    Letters are not checked when the language is unknown (``ep-language`` says so).
    """
    statement, lang = doc.statement, doc.lang
    if _recitals_as_written(statement, lang):
        return []
    issues = []
    recitals = _children(_children(_child(statement, "preamble"), "recitals"), "recital")
    expected = 0
    for position, rec in enumerate(recitals):
        eid = eids.recital(position)
        if rec.get("eId") != eid:
            issues.append(RECITAL_EID.at(rec, f'recital eId "{rec.get("eId", "")}" where '
                                         f'"{eid}" was expected'))
        if lang is None:
            continue
        num = _child(rec, "num")
        letter = _letters(num.text or "") if num is not None else ""
        index = lang.recital_index(letter, expected)
        if index == expected:
            expected += 1
            continue
        shown = f'letter "{letter}"' if letter else "without a letter"
        issues.append(RECITAL_SEQUENCE.at(rec, f'recital {shown} where '
                                          f'"{lang.recital_letter(expected)}" was expected'))
        expected = index + 1 if index is not None else expected + 1
    return issues


def _paragraph_issues(doc: _Doc) -> list[Issue]:
    """Paragraph numbers 1…n in document order, across hcontainers; no gaps or repeats.

    After a wrong number the count resumes from it, so one gap gives one issue.
    """
    statement = doc.statement
    if _paragraphs_as_written(statement):
        return []
    issues = []
    expected = 1
    for body in _children(statement, "mainBody"):
        for para in _top_paragraphs(body):
            num = _child(para, "num")
            text = (num.text or "").strip().rstrip(".)").strip() if num is not None else ""
            value = int(text) if text.isdigit() else None
            if value != expected:
                shown = f'number "{text}"' if text else "without a number"
                issues.append(PARAGRAPH_SEQUENCE.at(para, f'paragraph {shown} where '
                                                    f'"{expected}" was expected'))
            expected = value + 1 if value is not None else expected + 1
    return issues


# Quick acceptance: compiled XPath returning plain strings (no element proxies) and
# the cached expected sequence of a correct document. True means the detailed walk
# below would find nothing; False only means "look closer".

_REC_COUNT = etree.XPath("count(akn:preamble/akn:recitals/akn:recital)", namespaces=_NS)
_REC_EIDS = etree.XPath(
    "akn:preamble/akn:recitals/akn:recital/@eId", namespaces=_NS, smart_strings=False
)
_REC_NUMS = etree.XPath(
    "akn:preamble/akn:recitals/akn:recital/akn:num/text()", namespaces=_NS, smart_strings=False
)
_PARA_COUNT = etree.XPath("count(akn:mainBody//akn:paragraph)", namespaces=_NS)
_PARA_NUMS = etree.XPath(
    "akn:mainBody//akn:paragraph/akn:num/text()", namespaces=_NS, smart_strings=False
)


@functools.lru_cache(maxsize=64)
def _expected_recitals(code: str, count: int) -> tuple[list[str], list[str]]:
    lang = languages.get(code)
    return ([eids.recital(i) for i in range(count)],
            [f"{lang.recital_letter(i)}." for i in range(count)])


@functools.lru_cache(maxsize=64)
def _expected_paragraphs(count: int) -> list[str]:
    return [f"{n}." for n in range(1, count + 1)]


def _recitals_as_written(statement: etree._Element, lang: languages.Language | None) -> bool:
    """Whether recitals are exactly "A." … with eIds recs_1__rec_A … (as the writer makes them)."""
    count = int(_REC_COUNT(statement))
    if not count:
        return True
    if lang is None:
        return False
    eids, nums = _expected_recitals(lang.code, count)
    return _REC_EIDS(statement) == eids and [t.strip() for t in _REC_NUMS(statement)] == nums


def _paragraphs_as_written(statement: etree._Element) -> bool:
    """Whether every paragraph is numbered "1." … "n." in order (as the writer makes them)."""
    count = int(_PARA_COUNT(statement))
    nums = _PARA_NUMS(statement)
    return len(nums) == count and [t.strip() for t in nums] == _expected_paragraphs(count)


def _top_paragraphs(body: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs under ``body`` that are not inside another paragraph, in document order."""
    tag = _A + "paragraph"
    for para in body.iter(tag):
        up = para.getparent()
        while up is not body and up.tag != tag:
            up = up.getparent()
        if up is body:
            yield para


def _note_issues(doc: _Doc) -> list[Issue]:
    """authorialNote eIds authorialNote_1 … in document order; noteRef hrefs resolve."""
    root = doc.root
    note_tag = _A + "authorialNote"
    notes, refs = [], []
    for el in root.iter(note_tag, _A + "noteRef"):
        (notes if el.tag == note_tag else refs).append(el)
    issues = []
    want = _expected_notes(len(notes))
    if [note.get("eId") for note in notes] != want:
        for note, eid in zip(notes, want, strict=True):
            if note.get("eId") != eid:
                issues.append(NOTE_EID.at(note, f'authorialNote eId "{note.get("eId", "")}" '
                                          f'where "{eid}" was expected'))
    if refs:
        eids = set(_ALL_EIDS(root))
        for ref in refs:
            href = ref.get("href", "")
            if (href[1:] if href.startswith("#") else href) not in eids:
                issues.append(NOTEREF_TARGET.at(ref, f'noteRef href "{href}" names no eId in '
                                                "the document"))
    return issues


@functools.lru_cache(maxsize=64)
def _expected_notes(count: int) -> list[str]:
    return [eids.note(n) for n in range(1, count + 1)]


_ALL_EIDS = etree.XPath("//@eId", smart_strings=False)


def _unique_eid_issues(doc: _Doc) -> list[Issue]:
    """Each eId used once in the whole document (attachments included).

    Skipped when the XSD found nothing: its ``xsd:unique`` constraints (``eId-statement``
    covers every descendant of the statement) then already guarantee it.
    """
    if doc.schema_valid:
        return []
    root = doc.root
    eids = _ALL_EIDS(root)
    if len(set(eids)) == len(eids):
        return []
    issues = []
    first: dict[str, etree._Element] = {}
    for el in root.iter():
        eid = el.get("eId") if isinstance(el.tag, str) else None
        if eid is None:
            continue
        if eid not in first:
            first[eid] = el
            continue
        line = first[eid].sourceline
        where = f" (first on line {line})" if line else ""
        issues.append(EID_UNIQUE.at(el, f'eId "{eid}" is used twice{where}'))
    return issues


#: The profile's checks in the order they run (issues are then sorted by line). A new
#: rule is a :class:`Rule` declared above and a function here; nothing else calls them.
CHECKS: tuple[Callable[[_Doc], list[Issue]], ...] = (
    _language,
    _statement_name,
    _work_iri,
    _work_country,
    _alias_issues,
    _expression_under_work,
    _expression_version,
    _manifestation_under_expression,
    _docdate_issues,
    _citation_issues,
    _recital_issues,
    _paragraph_issues,
    _note_issues,
    _unique_eid_issues,
)
