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
_INLINE_FORMAT = frozenset({"sup", "b", "strong", "i", "em"})
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
    joined: str | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def text(self) -> str:
        """The block's words, whitespace collapsed (worked out once: a block's runs do not
        change after the walk)."""
        if self.joined is None:
            self.joined = " ".join("".join(r.text for r in self.runs).split())
        return self.joined

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


_BOLD = frozenset({"bold", "bolder", "600", "700", "800", "900"})


class _Effect(NamedTuple):
    """What a ``style`` attribute does to text: None where it says nothing."""

    hidden: bool = False
    sup: bool = False
    bold: bool | None = None
    italic: bool | None = None
    symbol: bool | None = None
    centered: bool = False


_NO_EFFECT = _Effect()


@functools.lru_cache(maxsize=2048)
def _effect(style: str) -> _Effect:
    """A ``style`` attribute's effect, worked out once per distinct string (Word's pages
    repeat a few dozen styles thousands of times).

    >>> _effect("font-family:Symbol; vertical-align:super; font-weight:bold")
    _Effect(hidden=False, sup=True, bold=True, italic=None, symbol=True, centered=False)
    """
    d = {m.group(1).lower(): m.group(2).strip().lower() for m in _STYLE.finditer(style)}
    weight, slant, family = d.get("font-weight"), d.get("font-style"), d.get("font-family")
    return _Effect(
        hidden=d.get("display") == "none" or d.get("visibility") == "hidden",
        sup=d.get("vertical-align") in ("super", "top"),
        bold=True if weight in _BOLD else False if weight in ("normal", "400") else None,
        italic=(True if slant in ("italic", "oblique") else False if slant == "normal"
                else None),
        symbol=None if family is None else "symbol" in family,
        centered=d.get("text-align") == "center",
    )


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
        raw = "".join(r.text for r in cur.runs)
        if raw and not raw.isspace():
            self.no += 1
            cur.no = self.no
            cur.joined = " ".join(raw.split())
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
                # the HTML parser gives tag names in lower case
                self.element(child, tag if "}" not in tag else tag.rpartition("}")[2].lower(),
                             into, fmt, targets)
            if child.tail:
                self.text(child.tail, into, el, fmt, targets)
        self.depth -= 1

    def text(self, text: str, into: list[Block], el: etree._Element, fmt: tuple,
             targets: tuple[str, ...], anchors: tuple[str, ...] = ()) -> None:
        if self.cur is None and not anchors and text.isspace():
            return  # layout white space between blocks: it opens no block
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
        sup, bold, italic, href, symbol = fmt
        attrib = el.attrib
        if attrib:
            style = attrib.get("style")
            effect = _effect(style) if style else _NO_EFFECT
            if effect.hidden or "hidden" in attrib or attrib.get("aria-hidden") == "true":
                self.chrome(el, "hidden")
                return
            ident = attrib.get("id") or attrib.get("name")
            if effect.sup:
                sup = True
            if effect.bold is not None:
                bold = effect.bold
            if effect.italic is not None:
                italic = effect.italic
            if effect.symbol is not None:
                symbol = effect.symbol
            if tag == "a" and attrib.get("href"):
                href = attrib.get("href")
        else:  # the common span or p without attributes: nothing to look up
            effect, ident = _NO_EFFECT, None
        if tag in _INLINE_FORMAT:
            if tag == "sup":
                sup = True
            elif tag in ("b", "strong"):
                bold = True
            else:
                italic = True
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
            centered = effect.centered or tag == "center" or bool(attrib) and (
                attrib.get("align") == "center"
                or "center" in (attrib.get("class") or "").split("-"))
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
