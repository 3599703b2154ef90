"""Issues: what validation reports, and where in the document each one is.

An :class:`Issue` names a readable element path, a rule id and a message; the
path is built the same way for schema errors (:mod:`akn_ep.akn.schema`) and
for the EP profile's rules (:mod:`akn_ep.akn.profile`).

Example:
    >>> from lxml import etree
    >>> root = etree.fromstring("<a><b/><b/></a>")
    >>> print(_at(root[1], "ep-x", "example"))
    line 1: /a/b[2]: [ep-x] example
"""

from __future__ import annotations

import functools

import attrs
from lxml import etree

from .names import AKN_NS

__all__ = ["Issue"]

_A = f"{{{AKN_NS}}}"

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

