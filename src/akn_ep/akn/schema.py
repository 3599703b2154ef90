"""The official OASIS Akoma Ntoso 3.0 schema: loaded offline, checked with lxml, and
explained in detail with ``xmlschema`` on demand.

The XSD files are those the ``cobalt`` package ships (the 2018 OASIS Standard
``akomantoso30.xsd`` and its ``xml.xsd``); a resolver refuses anything outside
that directory, so loading never touches the network. The schema is compiled
once, lazily, and shared; a lock is held around each validation, since lxml
validators keep their error log on the object.

Example:
    >>> from lxml import etree
    >>> root = etree.fromstring(b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"/>')
    >>> [issue.rule for issue, _ in _schema_issues(root)]
    ['akn-schema']
"""  # noqa: E501

from __future__ import annotations

import functools
import pathlib
import re
import threading
import urllib.parse
from typing import TYPE_CHECKING

import attrs
from lxml import etree

from ..errors import AknEpError
from .issues import Issue, _at, _kids, _line, _readable_path
from .names import AKN_NS

if TYPE_CHECKING:
    import xmlschema

__all__: list[str] = []

_A = f"{{{AKN_NS}}}"


def _short(message: str) -> str:
    """A validator message without the AKN namespace in every element name."""
    return message.replace(_A, "").strip()


# -- the OASIS schema -------------------------------------------------------------

_LOCK = threading.Lock()


def _xsd_dir() -> pathlib.Path:
    from .schema_files import schema_dir  # cobalt's xsd folder, its files' SHA-256 checked

    return schema_dir()


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

