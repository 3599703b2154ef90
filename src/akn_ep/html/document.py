"""Step 4 of the HTML route: the page's blocks → the document's parts.

- **page head**: every block before the document (menus already left out by the walk;
  the page's title line, the authors, the procedure box, download links …). It says
  what the document is (:mod:`akn_ep.html.head`); a motion's or report's own head lines
  in it are kept (:func:`akn_ep.html.parse_html`), the rest is reported.
- **text**: from the first block of the container that holds the document's title (the
  title line, or a number or heading printed just before it in the same container) to
  the first amendment or data table, or to the next heading of the title's level when the
  title is a heading (a report's next section). This is what the one parser of
  resolutions reads.
- **rest**: amendments, tables and the report's further sections, read by
  :mod:`akn_ep.html.tables`.
- **notes**: the blocks a footnote link lands on (``href="#_ftn1"`` → the element whose
  id or anchor name is ``_ftn1``), each with its marker; the calls themselves stay where
  they are, in the blocks.
- **foot**: the page's own footer from the first block after the formula that reads as
  one ("Last updated: 7 May 2025", links to the legal notice or privacy policy).

Example:
    >>> from akn_ep.html.page import load
    >>> from akn_ep.html.blocks import walk
    >>> from akn_ep import languages
    >>> w = walk(load(b"<html><body><p>Menu</p><div><p>European Parliament resolution on X"
    ...               b"</p><p>The European Parliament,</p><p>1. Instructs its President to "
    ...               b"forward this resolution.</p></div><p>Last updated: 7 May 2025</p>"
    ...               b"</body></html>"))
    >>> parts = split(w.blocks, languages.get("en"))
    >>> [b.text for b in parts.head], len(parts.text), [b.text for b in parts.foot]
    (['Menu'], 3, ['Last updated: 7 May 2025'])
"""

from __future__ import annotations

import re
from typing import NamedTuple

import attrs
from lxml import etree

from ..errors import ParseError
from ..languages import Language
from ..warning import ParseWarning
from .blocks import Block, Run

__all__ = ["Parts", "Note", "split", "is_marker", "marker_of", "is_rule"]

#: A footnote call as printed: "1", "[1]", "(1)", "12a", "*".
_MARKER = re.compile(r"^\s*[\[(]?\s*(\d{1,3}[a-z]?|\*{1,3})\s*[\])]?\s*$")
#: A page footer's date line: a short label, a colon, a date ("Last updated: 7 May 2025",
#: "Dernière mise à jour: 7 mai 2025", "Letzte Aktualisierung: 7. Mai 2025").
_UPDATED = re.compile(r"^[^\W\d][^:]{2,40}:\s*\d{1,2}\.?\s+[^\W\d]+\.?\s+\d{4}$")
_FOOT_LINKS = ("privacy-policy", "legal-notice", "legal_notice", "mentions-legales")
#: A footnote separator: a line of underscores ("___________________").
_RULE = re.compile(r"^[_\u2014\u2015-]{5,}$")


def is_marker(text: str) -> bool:
    """Does ``text`` print a footnote call or a note's number ("1", "[1]", "12a")?"""
    return _MARKER.match(text) is not None


def marker_of(text: str) -> str:
    """The note's number in a printed call: "[1]" → "1"."""
    m = _MARKER.match(text)
    return m.group(1) if m else text.strip()


def is_rule(text: str) -> bool:
    """Is this block a footnote separator rule ("_____")?"""
    return _RULE.match(text.strip()) is not None


class Note(NamedTuple):
    """A footnote body found where a link lands (or under a rule), with its marker."""

    marker: str
    text: str
    no: int


@attrs.define
class Parts:
    """The document's parts (see the module docstring)."""

    head: list[Block]
    text: list[Block]
    rest: list[Block]
    foot: list[Block]
    #: footnote bodies by link target (``"_ftn1"``)
    notes: dict[str, Note] = attrs.Factory(dict)
    #: the blocks that are note bodies (left out of text and rest)
    note_blocks: set[int] = attrs.Factory(set)
    warnings: list[ParseWarning] = attrs.Factory(list)


def _within(el: etree._Element | None, container: etree._Element) -> bool:
    while el is not None:
        if el is container:
            return True
        el = el.getparent()
    return False


def _is_foot(block: Block) -> bool:
    if block.kind == "table":
        return any(_is_foot(b) for row in block.rows for cell in row for b in cell)
    runs = block.runs
    if sum(len(r.text) for r in runs) >= 160:  # the footer is short lines; text is not
        return False
    text = block.text
    if len(text) < 80 and _UPDATED.match(text):  # "Last updated: <date>"
        return True
    # the site's own links (a note linking to some privacy page is longer than a footer)
    return len(text) < 120 and any(r.href and any(k in r.href.lower() for k in _FOOT_LINKS)
                                   for r in runs)


def split(blocks: list[Block], lang: Language) -> Parts:
    """Find the document in the page's blocks (see the module docstring).

    Raises ``ParseError`` when no block reads as the formula ("The European Parliament,"):
    the page holds no resolution, motion or proposal text in that language.
    """
    formula = next((i for i, b in enumerate(blocks)
                    if b.kind != "table" and lang.is_formula(b.text)), None)
    if formula is None:
        raise ParseError(
            f"no paragraph of the page is the formula {lang.formula[0]!r}: the page holds no "
            f"resolution, motion or proposal text in {lang.name}",
            expected=f"a title such as 'European Parliament resolution …' and the formula "
                     f"{lang.formula[0]!r} in the page's paragraphs")
    title = next((i for i in range(formula - 1, -1, -1)
                  if blocks[i].kind != "table" and lang.is_title(blocks[i].text)), None)
    anchor = blocks[title if title is not None else formula]
    start = title if title is not None else formula
    container = anchor.el.getparent() if anchor.el is not None else None
    if container is not None:
        while start > 0 and blocks[start - 1].kind != "table" and _within(
                blocks[start - 1].el, container):
            start -= 1
    end = next((i for i in range(formula + 1, len(blocks)) if _is_foot(blocks[i])), len(blocks))
    parts = Parts(head=blocks[:start], text=[], rest=[], foot=blocks[end:])
    doc = blocks[start:end]
    _find_notes(doc, parts)
    doc = [b for b in doc if b.no not in parts.note_blocks]
    cut = next((i for i, b in enumerate(doc) if b.kind == "table"), len(doc))
    if title is not None and anchor.kind == "heading":
        # a report's sections are headings of the title's own level ("EXPLANATORY
        # STATEMENT", "OPINION OF …"): the text ends at the next one
        level = anchor.el.tag if anchor.el is not None else None
        cut = next((i for i, b in enumerate(doc[:cut]) if b is not anchor
                    and b.kind == "heading" and b.el is not None and b.el.tag == level), cut)
    # an amendment's heading lines (centred: "Amendment 1", the act, the place) go with it
    if cut < len(doc):
        k = 0
        while cut > 1 and k < 4 and doc[cut - 1].centered and doc[cut - 1].kind != "table":
            cut, k = cut - 1, k + 1
    parts.text, parts.rest = doc[:cut], doc[cut:]
    return parts


def _find_notes(doc: list[Block], parts: Parts) -> None:
    """Footnote bodies: the blocks that a call's link (``href="#x"``) lands on, after it.

    A note links back to its call the same way (``href="#_ftnref1"``); a link is a call
    only when what it lands on comes after it, so the link back is not taken for one.
    """
    calls: list[tuple[int, str, str]] = []  # (block, target, marker)
    for b in doc:
        for r in _all_runs(b):
            if r.href and r.href.startswith("#") and len(r.href) > 1 and r.text.strip() \
                    and is_marker(r.text):
                calls.append((b.no, r.href[1:], marker_of(r.text)))
    if not calls:
        _orphans(doc, parts, set())
        return
    wanted = {t for _, t, _ in calls}
    by_target: dict[str, list[Block]] = {}
    for b in doc:
        if b.kind == "table":
            continue
        keys = set(b.targets) | {a for r in b.runs for a in r.anchors}
        for key in keys & wanted:
            by_target.setdefault(key, []).append(b)
    _orphans(doc, parts, wanted)
    for no, target, marker in calls:
        # a note is its own container's blocks (div id="_ftn1"), or the one block holding
        # the anchor (<a name="_ftn1">), after the call
        found = [b for b in by_target.get(target, ()) if b.no > no]
        if not found or target in parts.notes:
            continue
        text = " ".join(_note_text(b, marker) for b in found).strip()
        parts.note_blocks.update(b.no for b in found)
        if text:
            parts.notes[target] = Note(marker, text, found[0].no)


def _orphans(doc: list[Block], parts: Parts, wanted: set[str]) -> None:
    """Notes no call links to: after the formula, a block that opens with a linked or
    raised marker ("[9] OJ C 9.") and is no note's block. Kept as notes (the caller warns)."""
    for b in doc:
        if b.kind == "table" or set(b.targets) & wanted or any(
                a in wanted for r in b.runs for a in r.anchors):
            continue
        runs = [r for r in b.runs if r.text.strip()]
        if len(runs) > 1 and is_marker(runs[0].text) and (
                runs[0].sup or (runs[0].href or "").startswith("#")):
            marker = marker_of(runs[0].text)
            parts.notes[f"#{b.no}"] = Note(marker, _note_text(b, marker), b.no)
            parts.note_blocks.add(b.no)


def _all_runs(block: Block) -> list[Run]:
    if block.kind != "table":
        return block.runs
    return [r for row in block.rows for cell in row for b in cell for r in b.runs]


def _note_text(block: Block, marker: str) -> str:
    """A note's words without its leading marker (the "[1]" that links back to the call)."""
    runs = list(block.runs)
    while runs and not runs[0].text.strip():
        runs.pop(0)
    if runs and is_marker(runs[0].text) and marker_of(runs[0].text) == marker:
        runs.pop(0)
    return " ".join("".join(r.text for r in runs).split())
