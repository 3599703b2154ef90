"""Step 2 of the HTML route: the page's tree → :class:`Block` values, by what the markup means.

A block is one paragraph of text as a reader sees it: a ``p``, a heading, a list item, a
table cell's paragraph, a line ended by ``<br>``. Its text is a list of :class:`Run`
values that keep what the markup says about each piece: raised (``<sup>`` or
``vertical-align:super``), bold, italic, a link and where it points, a symbol font.
A data table becomes one block of kind ``"table"`` holding its rows of cells (each a list of
blocks); a table that holds tables (the older template lays the whole page out in tables)
is read through, as layout.

Nothing here depends on one template's class names. What is not text of the page is left
out and listed (:attr:`Walk.chrome`): scripts, styles, navigation, headers and footers,
buttons, forms, images, and text hidden from readers (``display:none``, ``hidden``,
``aria-hidden``) -- the older template's header tags (``<Date>``, ``<NoDocSe>``, ``{06/07/2020}``)
are such hidden text.

Example:
    >>> from akn_ep.html.page import load
    >>> w = walk(load(b"<html><body><nav>Menu</nav><p>A.<span> </span>whereas "
    ...               b"<sup>1</sup>;</p></body></html>"))
    >>> [(r.text, r.sup) for r in w.blocks[0].runs]
    [('A.', False), (' ', False), ('whereas ', False), ('1', True), (';', False)]
    >>> w.chrome[0].text
    'Menu'
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import attrs
from lxml import etree

from ..limits import MAX_HTML_DEPTH
from .page import too_deep

__all__ = ["Run", "Block", "Hidden", "Walk", "walk"]

#: Elements whose content is not text of the document.
_SKIP = frozenset({
    "script", "style", "noscript", "nav", "header", "footer", "button", "svg", "select",
    "form", "iframe", "template", "head", "img", "input", "textarea", "object", "embed",
    "canvas", "audio", "video", "map", "option", "title", "meta", "link",
})
#: Elements that end one block of text and start another.
_BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote",
    "section", "article", "main", "aside", "body", "dl", "dt", "dd", "pre", "center",
    "address", "figure", "figcaption", "hr", "caption", "tbody", "thead", "tfoot",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_STYLE = re.compile(r"\s*([-\w]+)\s*:\s*([^;]*)")
#: Symbol-font private-use characters and what they print: Word writes a Symbol-font
#: dash as U+F02D, a bullet as U+F0B7.
SYMBOL_PUA = {"\uf02d": "–", "\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢"}


class Run(NamedTuple):
    """A piece of a block's text and what the markup says about it."""

    text: str
    sup: bool = False
    bold: bool = False
    italic: bool = False
    href: str | None = None
    #: ids and anchor names of elements opened with this run (link targets)
    anchors: tuple[str, ...] = ()


@attrs.define
class Block:
    """A paragraph of the page (``kind`` "text" or "heading"), or a data table ("table")."""

    no: int
    kind: str
    runs: list[Run] = attrs.Factory(list)
    el: etree._Element | None = None
    centered: bool = False
    #: ids/names of the element and its ancestors up to the nearest one with an id
    #: (where a footnote link lands)
    targets: tuple[str, ...] = ()
    rows: list[list[list[Block]]] = attrs.Factory(list)

    @property
    def text(self) -> str:
        """The block's words, whitespace collapsed."""
        return " ".join("".join(r.text for r in self.runs).split())

    def cells_text(self) -> list[list[str]]:
        """A table's cells as text (one string per cell)."""
        return [[" ".join(b.text for b in cell if b.text) for cell in row] for row in self.rows]


class Hidden(NamedTuple):
    """Text left out of the document: ``kind`` says why (chrome, hidden)."""

    no: int
    kind: str
    text: str


@attrs.define
class Walk:
    """What a walk over the page found: blocks in reading order and what was left out."""

    blocks: list[Block] = attrs.Factory(list)
    chrome: list[Hidden] = attrs.Factory(list)
    symbols: int = 0  # Symbol-font characters read as what they print


_NO_STYLE: dict[str, str] = {}


def _style(el: etree._Element) -> dict[str, str]:
    style = el.get("style")
    if not style:
        return _NO_STYLE
    return _parse_style(style)


@functools.lru_cache(maxsize=2048)
def _parse_style(style: str) -> dict[str, str]:
    """A ``style`` attribute's declarations (read-only: shared between elements; Word's
    pages repeat a few dozen styles thousands of times)."""
    return {m.group(1).lower(): m.group(2).strip().lower() for m in _STYLE.finditer(style)}


def _is_hidden(el: etree._Element, style: dict[str, str]) -> bool:
    return (style.get("display") == "none" or style.get("visibility") == "hidden"
            or el.get("hidden") is not None or el.get("aria-hidden") == "true")


def _collapse(text: str) -> str:
    return " ".join(text.split())


class _Walker:
    def __init__(self) -> None:
        self.out = Walk()
        self.cur: Block | None = None
        self.no = 0
        self.depth = 0

    # -- blocks -------------------------------------------------------------------
    def start(self, el: etree._Element, kind: str, centered: bool, targets: tuple[str, ...],
              into: list[Block]) -> None:
        self.flush(into)
        self.cur = Block(0, kind, [], el, centered, targets)

    def flush(self, into: list[Block]) -> None:
        cur = self.cur
        if cur is None:
            return
        if cur is not None and "".join(r.text for r in cur.runs).strip():
            self.no += 1
            cur.no = self.no
            into.append(cur)
        elif cur is not None:  # an empty paragraph is layout; its anchors still count
            anchors = [a for r in cur.runs for a in r.anchors]
            if anchors and into:
                last = into[-1]
                last.targets = last.targets + tuple(anchors)
        self.cur = None

    def add(self, run: Run, into: list[Block], el: etree._Element, targets: tuple[str, ...]
            ) -> None:
        if self.cur is None:
            self.cur = Block(0, "text", [], el, False, targets)
        self.cur.runs.append(run)

    def chrome(self, el: etree._Element, kind: str) -> None:
        text = _collapse(" ".join(el.itertext()))
        if text:
            self.out.chrome.append(Hidden(self.no + 1, kind, text))

    # -- the walk -------------------------------------------------------------------
    def walk(self, el: etree._Element, into: list[Block], fmt: tuple, targets: tuple[str, ...]
             ) -> None:
        """Walk ``el``'s content (its text, children and their tails) into ``into``."""
        if el.text:
            self.text(el.text, into, el, fmt, targets)
        self.depth += 1
        if self.depth > MAX_HTML_DEPTH:
            raise too_deep()
        for child in el:
            tag = child.tag
            if type(tag) is str:
                self.element(child, tag.lower() if "}" not in tag else
                             tag.lower().rpartition("}")[2], into, fmt, targets)
            if child.tail:
                self.text(child.tail, into, el, fmt, targets)
        self.depth -= 1

    def text(self, text: str, into: list[Block], el: etree._Element, fmt: tuple,
             targets: tuple[str, ...], anchors: tuple[str, ...] = ()) -> None:
        sup, bold, italic, href, symbol = fmt
        if symbol and any(c in SYMBOL_PUA for c in text):
            self.out.symbols += 1
            text = "".join(SYMBOL_PUA.get(c, c) for c in text)
        self.add(Run(text, sup, bold, italic, href, anchors), into, el, targets)

    def element(self, el: etree._Element, tag: str, into: list[Block], fmt: tuple,
                targets: tuple[str, ...]) -> None:
        if tag in _SKIP:
            if tag not in ("img", "meta", "link", "head", "title", "script", "style", "svg"):
                self.flush(into)
                self.chrome(el, "page-chrome")
            return
        if el.attrib:
            style = _style(el)
            if _is_hidden(el, style):
                self.chrome(el, "hidden")
                return
            ident = el.get("id") or el.get("name")
        else:  # the common span or p without attributes: nothing to look up
            style, ident = _NO_STYLE, None
        sup, bold, italic, href, symbol = fmt
        if tag == "sup" or style.get("vertical-align") in ("super", "top"):
            sup = True
        if tag in ("b", "strong") or style.get("font-weight") in ("bold", "bolder", "600",
                                                                   "700", "800", "900"):
            bold = True
        elif style.get("font-weight") in ("normal", "400"):
            bold = False
        if tag in ("i", "em") or style.get("font-style") in ("italic", "oblique"):
            italic = True
        elif style.get("font-style") == "normal":
            italic = False
        if tag == "a" and el.get("href"):
            href = el.get("href")
        family = style.get("font-family")
        if family is not None:
            symbol = "symbol" in family
        inner = (sup, bold, italic, href, symbol)
        if tag == "br":
            self.flush(into)
            return
        if tag == "table":
            self.table(el, into, inner, targets)
            return
        if tag in ("tr", "td", "th"):  # a row or cell outside a data table: layout
            self.flush(into)
            self.walk(el, into, inner, targets + ((ident,) if ident else ()))
            self.flush(into)
            return
        if tag in _BLOCK:
            if ident:
                targets = (ident,)
            centered = (style.get("text-align") == "center" or el.get("align") == "center"
                        or "center" in (el.get("class") or "").split("-")
                        or tag == "center")
            kind = "heading" if tag in _HEADINGS else "text"
            self.start(el, kind, centered, targets, into)
            self.walk(el, into, inner, targets)
            self.flush(into)
            return
        # inline: its text joins the open block; an id or name here is an anchor
        if ident and not el.text and len(el) == 0:
            # an empty anchor (<a name="_ftnref1">): a zero-length run that marks the place
            self.add(Run("", sup, bold, italic, href, (ident,)), into, el, targets)
        elif ident:
            self.text("", into, el, inner, targets, (ident,))
        self.walk(el, into, inner, targets)

    def table(self, el: etree._Element, into: list[Block], fmt: tuple,
              targets: tuple[str, ...]) -> None:
        self.flush(into)
        rows = [tr for tr in el.iter("tr") if _nearest_table(tr) is el]
        nested = any(t is not el for t in el.iter("table"))
        if nested or not rows or all(len(_cells(tr)) <= 1 for tr in rows):
            self.walk(el, into, fmt, targets)  # layout: read through
            self.flush(into)
            return
        self.no += 1
        block = Block(self.no, "table", [], el, False, targets)
        for tr in rows:
            row: list[list[Block]] = []
            for td in _cells(tr):
                cell: list[Block] = []
                saved = self.cur
                self.cur = None
                self.walk(td, cell, fmt, targets)
                self.flush(cell)
                self.cur = saved
                row.append(cell)
            block.rows.append(row)
        if any(b.text for row in block.rows for cell in row for b in cell):
            into.append(block)


def _nearest_table(el: etree._Element) -> etree._Element | None:
    for a in el.iterancestors():
        if a.tag == "table":
            return a
    return None


def _cells(tr: etree._Element) -> list[etree._Element]:
    return [c for c in tr if c.tag in ("td", "th")]


def walk(root: etree._Element) -> Walk:
    """The page's blocks in reading order, and what was left out (see the module docstring)."""
    w = _Walker()
    body = root.find("body")
    if body is None:
        body = root
    w.walk(body, w.out.blocks, (False, False, False, None, False), ())
    w.flush(w.out.blocks)
    return w.out
