"""Akoma Ntoso → Resolution, without losing text.

Reads our own output exactly (``from_akn(to_akn(r)) == r``) and reasonable
Akoma Ntoso from other tools (``statement`` or ``doc`` with preface, preamble
and mainBody). XML is parsed by :mod:`akn_ep.akn.safexml` (no DTD, no
entities, no network).

How foreign markup maps onto the model (every word of the source's text ends
up in some field; what has no natural place is kept, with a warning, rather
than dropped):

- inline markup (``ref``, ``i``, ``b``, ``term`` …) is read for its text;
  block elements (``p``, ``blockList``, ``item``, ``tblock`` …) are separated by
  a space, so words of consecutive blocks never run together;
- ``authorialNote`` and ``noteRef`` (pointing at ``meta/notes/note``) become
  footnotes at their call; markers are made unique document-wide;
- ``paragraph``/``article``/``section`` with a ``num`` become paragraphs; their
  ``heading``, ``intro``, ``subparagraph``s and ``content`` become the text,
  ``list``/``blockList`` items and nested numbered units become points; text
  after a list (``wrapUp``, ``listWrapUp``) joins the point printed last, as a
  reader of the printed text would take it;
- ``hcontainer``, ``chapter`` … with a heading, and ``crossHeading``, become
  headings over the paragraphs that follow (nested ones one after another);
- recitals without ``num`` get the next letter of the language's sequence;
- loose blocks (a preamble ``p`` that is no citation or recital, a ``p`` in
  ``mainBody``, a citations ``intro``, unreferenced notes …) become ``trailing``.

Example:
    >>> from akn_ep.model import Resolution, Paragraph
    >>> from akn_ep.akn.writer import to_akn
    >>> r = Resolution(lang="en", title="T", formula="F", body=(Paragraph("1.", "x"),))
    >>> from_akn(to_akn(r)) == r
    True
"""

from __future__ import annotations

import datetime as _dt
import os
import re

import attrs
from lxml import etree

from .. import languages
from ..errors import AknReadError, LanguageError, ModelError
from ..limits import MAX_XML_BYTES, MAX_XML_TEXT, text_node_over_limit
from ..model import (
    HEAD_ROLES,
    PROCEDURE_RE,
    TA_NUMBER_RE,
    Amendment,
    AmendmentRow,
    Annex,
    Change,
    Citation,
    FootnoteRef,
    Heading,
    HeadLine,
    Inline,
    Paragraph,
    ParseReport,
    Point,
    Recital,
    Resolution,
    Table,
)
from . import iri
from .iri import DOC_NAMES
from .names import AKN_NS, CLASS_GENERATED, DATE_NAMES
from .safexml import parse_xml, source_bytes

__all__ = ["from_akn"]

_Q = f"{{{AKN_NS}}}"
_KINDS = {name: kind for kind, name in DOC_NAMES.items()}
_DATE_SOURCE = {v: k for k, v in DATE_NAMES.items()}
_WS = re.compile(r"\s+")
_DOC_TYPES = frozenset({
    "statement", "doc", "bill", "act", "debateReport", "debate", "amendment", "amendmentList",
    "officialGazette", "documentCollection", "judgment", "portion",
})
#: A procedure reference printed at the end of a title: "… (2012/2553(RSP))".
_TITLE_PROC = re.compile(r"\((\d{2,4}/\d{4}[A-Z]?\([A-Z]{3}\))\)\s*$")

#: Parts of a document that the reader maps; text in any other part becomes trailing text.
_KNOWN_PARTS = frozenset({
    "meta", "coverPage", "preface", "preamble", "mainBody", "body", "conclusions",
    "attachments", "components",
})
#: Elements that are blocks: their text is separated from what surrounds them.
_BLOCKS = frozenset({
    "p", "blockList", "item", "listIntroduction", "listWrapUp", "content", "intro", "wrapUp",
    "list", "point", "indent", "alinea", "subparagraph", "paragraph", "num", "heading",
    "subheading", "crossHeading", "tblock", "blockContainer", "container", "div", "table",
    "caption", "tr", "th", "td", "ul", "ol", "li", "toc", "tocItem", "formula", "citation",
    "citations", "recital", "recitals", "longTitle", "article", "section", "subsection",
    "clause", "subclause", "chapter", "part", "title", "division", "hcontainer", "level",
    "rule", "subrule", "proviso", "signature", "foreign", "block", "preface",
    "preamble", "mainBody", "body", "conclusions", "coverPage", "attachment", "attachments",
    "doc", "note", "authorialNote", "quotedStructure", "embeddedStructure", "interstitial",
})
#: Line and page breaks: a space.
_BREAKS = frozenset({"eol", "eop", "br"})
#: Lists whose items become points.
_LISTS = frozenset({"list", "blockList"})
#: Wrappers whose children belong to the enclosing unit.
_WRAPPERS = frozenset({
    "content", "intro", "wrapUp", "listIntroduction", "listWrapUp", "blockContainer",
    "container", "div",
})
#: Units that become points inside a paragraph (with a num, or as dash items).
_POINTS = frozenset({
    "point", "indent", "item", "paragraph", "subparagraph", "alinea", "clause", "subclause",
    "subsection", "level", "list", "proviso", "rule", "subrule", "article", "section",
})
#: Units whose num-less occurrences are just more text of their parent.
_TEXT_UNITS = frozenset({"subparagraph", "alinea", "paragraph", "level", "clause"})
#: Top-level units of mainBody that become paragraphs.
_PARAGRAPHS = frozenset({
    "paragraph", "article", "section", "point", "clause", "rule", "level", "subsection", "indent",
    "alinea", "subparagraph",
})
#: Containers that become headings over the paragraphs inside them.
_CONTAINERS = frozenset({
    "hcontainer", "chapter", "part", "title", "division", "book", "tome", "subchapter",
    "subpart", "subtitle", "subdivision", "section", "subsection", "level", "transitional",
})


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _child(el: etree._Element, name: str) -> etree._Element | None:
    return el.find(_Q + name)


class _Reader:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.warned: set[str] = set()  # the warnings, to tell a repeated one at once
        self.trailing: list[Inline] = []
        self.notes: dict[str, etree._Element] = {}  # meta/notes/note by eId
        self.used_notes: set[str] = set()
        self.note_texts: dict[str, str] = {}  # each called note read once, not once a call
        self.markers: set[str] = set()
        self.note_count = 0
        self.in_note_ref = False  # reading a note a noteRef points at: no noteRef followed
        self.expanded = 0  # characters of note text copied to noteRef calls so far
        self.next_free = 0  # footnote numbers below it are taken (keeps footnote() linear)
        self.next_suffix: dict[str, int] = {}  # marker -> next "-k" suffix to try
        self.lang = languages.get("en")
        self.work_uri: str | None = None  # the work FRBRuri as the document states it
        self.expression_uri: str | None = None  # and the expression's

    def warn(self, message: str) -> None:
        if message not in self.warned:  # a set: 20,000 unreferenced notes took 1.7 s
            self.warned.add(message)
            self.warnings.append(message)

    # -- text ---------------------------------------------------------------------
    def flow(self, el: etree._Element, parts: list, skip: frozenset = frozenset(),
             notes: bool = True) -> None:
        """Append the content of ``el`` (not its tail) to ``parts``.

        With ``notes``, footnotes become :class:`FootnoteRef` values at their
        call; without, their text is read in place (for titles and numbers).
        """
        if el.text:
            parts.append(el.text)
        for child in el:
            if _local(child) not in skip:
                self.flow_child(child, parts, notes)
            if child.tail:
                parts.append(child.tail)

    def flow_child(self, child: etree._Element, parts: list, notes: bool = True) -> None:
        """Append the content of one child element (not its tail) to ``parts``."""
        name = _local(child)
        if not name:
            return  # comment or processing instruction
        if name == "authorialNote":
            if notes:
                self.footnote(child.get("marker"), child, parts)
            else:
                parts.append(" ")
                self.flow(child, parts, notes=False)
                parts.append(" ")
        elif name == "noteRef":
            self.note_ref(child, parts, notes)
        elif name in _BREAKS:
            parts.append(" ")
        elif name in _BLOCKS:
            parts.append(" ")
            self.flow(child, parts, notes=notes)
            parts.append(" ")
        else:
            self.flow(child, parts, notes=notes)

    def inline(self, el: etree._Element, skip: frozenset = frozenset()) -> Inline:
        """Running text of an element with footnotes kept at their call."""
        parts: list = []
        self.flow(el, parts, skip)
        return _tidy(parts)

    def text(self, el: etree._Element | None, skip: frozenset = frozenset()) -> str:
        """Plain text of an element (footnote bodies read in place)."""
        if el is None:
            return ""
        parts: list = []
        self.flow(el, parts, skip, notes=False)
        return _clean("".join(parts))

    def footnote(self, marker: str | None, body: etree._Element, parts: list,
                 text: str | None = None) -> None:
        self.note_count += 1
        if text is None:
            text = self.text(body)
        marker = "".join((marker or "").split())
        if not text:
            self.warn(f"empty footnote {marker or self.note_count!r} dropped (it has no text)")
            return
        if not marker:
            n = max(self.note_count, self.next_free)
            while str(n) in self.markers:
                n += 1
            self.next_free = n + 1
            marker = str(n)
        elif marker in self.markers:
            k = self.next_suffix.get(marker, 2)
            while f"{marker}-{k}" in self.markers:
                k += 1
            self.next_suffix[marker] = k + 1
            self.warn(f"footnote marker {marker!r} is used twice: the second is read as "
                      f"'{marker}-{k}'")
            marker = f"{marker}-{k}"
        self.markers.add(marker)
        parts.append(FootnoteRef(marker, text))

    def note_ref(self, ref: etree._Element, parts: list, notes: bool) -> None:
        href = (ref.get("href") or "").strip()
        key = href[1:] if href.startswith("#") else href
        note = self.notes.get(key)
        if note is None:
            self.warn(f"noteRef {href!r} points at no note in meta/notes: call ignored")
            return
        if self.in_note_ref:  # a note calling a note: a cycle, or text doubling at each level
            self.warn(f"noteRef {href!r} inside a referenced note: not followed")
            return
        self.used_notes.add(key)
        text = self.note_texts.get(key)
        if text is None:  # read once: 8,000 calls of a note of 8,000 elements took 181 s
            self.in_note_ref = True
            try:
                text = self.note_texts[key] = self.text(note)
            finally:
                self.in_note_ref = False
        before = len(parts)
        if notes:
            self.footnote(ref.get("marker") or note.get("marker"), note, parts, text)
        else:
            parts.append(" " + text + " ")
        # each call copies the note's text: many calls to a big note must not blow up
        self.expanded += sum(len(p.text) if isinstance(p, FootnoteRef) else len(p)
                             for p in parts[before:])
        if self.expanded > MAX_XML_BYTES:
            raise AknReadError(f"refused: noteRef calls copy more than {MAX_XML_BYTES} "
                               "characters of note text (akn_ep.limits.MAX_XML_BYTES)")

    # -- document -------------------------------------------------------------
    def read(self, root: etree._Element) -> Resolution:
        if _local(root) != "akomaNtoso" or not str(root.tag).startswith(_Q):
            raise AknReadError(
                f"not an Akoma Ntoso 3.0 document: root element is {root.tag!r}, expected "
                f"{{{AKN_NS}}}akomaNtoso"
            )
        doc = next((c for c in root if _local(c) in _DOC_TYPES), None)
        if doc is None:
            found = ", ".join(sorted({_local(c) for c in root if _local(c)})) or "nothing"
            raise AknReadError(
                "Akoma Ntoso document has no document element (statement, doc …) under "
                f"akomaNtoso; found {found}"
            )
        try:
            return self.document(doc)
        except ModelError as exc:
            raise AknReadError(f"document does not form a consistent resolution: {exc}") from exc

    def document(self, doc: etree._Element) -> Resolution:
        self.collect_notes(doc)
        meta = self.meta(doc)
        fields: dict = dict(meta)
        fields["kind"] = _KINDS.get(doc.get("name", ""), "textAdopted")
        head_lines: list[HeadLine] = []
        cover = _child(doc, "coverPage")
        if cover is not None:
            # a cover page prints what the preface prints: read it the same way
            head_lines.extend(self.preface(cover, {"title": None, "heading": None,
                                                   "ta_number": None}))
        preface = self.preface(_child(doc, "preface"), fields)
        head_lines.extend(preface)
        fields["head_lines"] = tuple(head_lines)
        fields.update(self.preamble(_child(doc, "preamble")))
        body_el = _child(doc, "mainBody")
        if body_el is None:
            body_el = _child(doc, "body")
        fields["body"] = self.main_body(body_el) if body_el is not None else ()
        fields["amendments"] = tuple(getattr(self, "amendments", ()))
        concl = _child(doc, "conclusions")
        if concl is not None:
            self.loose(concl, "conclusions", warn=False)
        annexes = []
        for name in ("attachments", "components"):
            el = _child(doc, name)
            if el is not None:
                annexes.extend(self.annexes(el))
        fields["annexes"] = tuple(annexes)
        for el in doc:  # parts of other document types (debateBody, collectionBody …)
            if _local(el) not in _KNOWN_PARTS:
                self.loose_one(el, _local(doc))
        self.unreferenced_notes(self.trailing)
        fields["trailing"] = tuple(self.trailing)
        if "procedure" not in fields and fields.get("title"):
            found = _TITLE_PROC.search(fields["title"])
            if found:
                fields["procedure"] = found.group(1)
        if not fields.get("title"):
            fields["title"] = "(untitled)"
            self.warn("document has no title (docTitle/longTitle): '(untitled)' used")
        if not fields.get("formula"):
            fields["formula"] = self.lang.formula[0]
            self.warn("document has no formula: the language's formula was supplied")
        fields["report"] = ParseReport(warnings=tuple(self.warnings))
        return self.keep_iri(Resolution(**fields))

    def keep_iri(self, r: Resolution) -> Resolution:
        """``r`` carrying the work IRI the document states, when the rules would derive
        another: re-writing the model keeps the document's identity. An IRI that cannot be
        the work IRI of this resolution (another shape, date or number) is replaced by the
        derived one, with a warning naming both."""
        r = self.keep_work_iri(r)
        if self.expression_uri is not None:
            written = iri.frbr_iris(r).expression_uri(component=False)
            work = written[: written.rindex("/") + 1]
            # (under another work, the work's own warning has said it all)
            if self.expression_uri != written and self.expression_uri.startswith(work):
                # the model has no place for another version: say so rather than change it
                warning = (f"expression FRBRuri {self.expression_uri!r} is written as "
                           f"{written} (an EP resolution's expression is its language at "
                           "the adoption date)")
                r = attrs.evolve(r, report=attrs.evolve(
                    r.report, warnings=(*r.report.warnings, warning)))
        return r

    def keep_work_iri(self, r: Resolution) -> Resolution:
        if self.work_uri is None:
            return r
        derived = iri.derived_work(r)
        if self.work_uri == derived.work_uri():
            return r
        try:
            stated = iri.FrbrUri.parse(self.work_uri)
            kept = attrs.evolve(r, frbr_uri=stated)
        except (ValueError, ModelError) as exc:
            why = str(exc) if isinstance(exc, ModelError) else "not an Akoma Ntoso FRBR IRI"
            warning = (f"work FRBRuri {self.work_uri!r} not kept ({why}): the resolution is "
                       f"identified as {derived}")
            return attrs.evolve(r, report=attrs.evolve(
                r.report, warnings=(*r.report.warnings, warning)))
        return kept

    def collect_notes(self, doc: etree._Element) -> None:
        for note in doc.iterfind(f"{_Q}meta/{_Q}notes/{_Q}note"):
            key = note.get("eId") or note.get("id") or note.get("GUID")
            if key:
                self.notes.setdefault(key, note)

    def unreferenced_notes(self, into: list[Inline]) -> None:
        for key, note in self.notes.items():
            if key in self.used_notes:
                continue
            self.used_notes.add(key)
            text = self.text(note)
            if text:
                into.append((text,))
                self.warn(f"note {key!r} in meta/notes is referenced by no noteRef: "
                          "kept as trailing text")

    def meta(self, doc: etree._Element) -> dict:
        out: dict = {"lang": "en", "date": None, "date_source": "printed"}
        ident = doc.find(f"{_Q}meta/{_Q}identification")
        if ident is None:
            self.warn("no meta/identification: language assumed 'en'")
            return out
        expr_el = ident.find(f"{_Q}FRBRExpression/{_Q}FRBRuri")
        if expr_el is not None and expr_el.get("value"):
            self.expression_uri = expr_el.get("value")
        lang_el = ident.find(f"{_Q}FRBRExpression/{_Q}FRBRlanguage")
        if lang_el is not None:
            code = (lang_el.get("language") or "").split("-")[0]
            try:
                self.lang = languages.get(code)
                out["lang"] = self.lang.code
            except LanguageError:
                self.warn(f"unknown FRBRlanguage {code!r}: language assumed 'en'")
        work = ident.find(f"{_Q}FRBRWork")
        if work is None:
            return out
        uri_el = work.find(_Q + "FRBRuri")
        if uri_el is not None and uri_el.get("value"):
            self.work_uri = uri_el.get("value")
        date_el = work.find(_Q + "FRBRdate")
        if date_el is not None:
            name = date_el.get("name", "")
            if name != "unknown":
                try:
                    out["date"] = _dt.date.fromisoformat((date_el.get("date") or "")[:10])
                    out["date_source"] = _DATE_SOURCE.get(name, "printed")
                except ValueError:
                    self.warn(f"unreadable FRBRdate {date_el.get('date')!r}")
        refs: list[str] = []
        for alias in work.findall(_Q + "FRBRalias"):
            name, value = alias.get("name"), _clean(alias.get("value") or "")
            if not value:
                continue
            if name == "textsAdoptedNumber" and TA_NUMBER_RE.match(value):
                out["ta_number"] = value
            elif name == "procedureReference" and PROCEDURE_RE.match(value):
                out["procedure"] = value
            elif name == "documentNumber" and "doc_number" not in out:
                out["doc_number"] = value
            elif name in ("textsAdoptedNumber", "procedureReference", "documentReference"):
                if name != "documentReference":
                    self.warn(f"FRBRalias {name} {value!r} is not in the EP's format: "
                              "kept as a document reference")
                refs.append(value)
        out["doc_refs"] = tuple(refs)
        return out

    def preface(self, pre: etree._Element | None, fields: dict) -> list[HeadLine]:
        head_lines: list[HeadLine] = []
        if pre is None:
            return head_lines
        if _clean(pre.text or ""):
            head_lines.append(HeadLine("other", _clean(pre.text)))
        for el in pre:
            name, cls = _local(el), el.get("class", "")
            text = self.text(el)
            if not name or cls == CLASS_GENERATED or not text:
                pass
            elif name == "longTitle" and "title" not in fields:
                fields["title"] = text
            elif name == "p" and cls == "heading" and "heading" not in fields:
                fields["heading"] = text
            elif (name == "p" and el.find(_Q + "docTitle") is not None
                  and "title" not in fields):
                fields["title"] = text
            elif (name == "p" and el.find(_Q + "docNumber") is not None and TA_NUMBER_RE.match(text)
                  and "ta_number" not in fields):
                fields["ta_number"] = text
            elif (name == "p" and el.find(_Q + "docNumber") is not None
                  and text == fields.get("ta_number")):
                pass  # the texts-adopted number printed in the head, read from meta already
            elif name == "p" and cls == "documentNumber" and text == fields.get("doc_number"):
                pass  # a motion's or report's own number, read from meta already
            else:
                role = cls if cls in HEAD_ROLES else "other"
                head_lines.append(HeadLine(role, text))
            if el.tail and _clean(el.tail):
                head_lines.append(HeadLine("other", _clean(el.tail)))
        return head_lines

    def preamble(self, pre: etree._Element | None) -> dict:
        out: dict = {"citations": (), "recitals": ()}
        if pre is None:
            return out
        citations: list[Citation] = []
        recitals: list[Recital] = []
        lang = self.lang
        for el in pre:
            name = _local(el)
            if not name:
                continue
            if name == "formula" and "formula" not in out and self.text(el):
                out["formula"] = self.text(el)
            elif name == "citations":
                for c in el:
                    if _local(c) == "citation":
                        text = self.inline(c)
                        if text:
                            citations.append(Citation(text))
                    else:
                        self.loose_one(c, "citations")
            elif name == "recitals":
                for c in el:
                    if _local(c) == "recital":
                        self.recital(c, recitals)
                    else:
                        self.loose_one(c, "recitals")
            elif name in ("citation", "recital"):
                if name == "citation":
                    text = self.inline(el)
                    if text:
                        citations.append(Citation(text))
                else:
                    self.recital(el, recitals)
            else:
                text = self.inline(el)
                words = _clean(" ".join(p for p in text if isinstance(p, str)))
                if not text:
                    continue
                if "formula" not in out and not citations and lang.is_formula(words):
                    out["formula"] = words
                elif not recitals and lang.is_citation(words):
                    citations.append(Citation(text))
                elif lang.is_recital_text(words):
                    recitals.append(Recital(lang.recital_letter(len(recitals)) + ".", text))
                else:
                    self.trailing.append(text)
                    self.warn(f"preamble element {name!r} kept as trailing text")
        out["citations"] = tuple(citations)
        out["recitals"] = tuple(recitals)
        return out

    def recital(self, el: etree._Element, recitals: list[Recital]) -> None:
        letter = self.text(_child(el, "num"))
        text = self.inline(el, skip=frozenset({"num"}))
        if not text:
            if letter:
                self.trailing.append((letter,))
                self.warn(f"recital {letter!r} has no text: its number kept as trailing text")
            return
        if not letter:
            letter = self.lang.recital_letter(len(recitals)) + "."
        recitals.append(Recital(letter, text))

    def loose(self, el: etree._Element, where: str, warn: bool = True) -> None:
        """Every child block of ``el`` as a trailing block; text between them too."""
        if _clean(el.text or ""):
            self.trailing.append((_clean(el.text),))
        for c in el:
            self.loose_one(c, where, warn)
            if c.tail and _clean(c.tail):
                self.trailing.append((_clean(c.tail),))

    def loose_one(self, el: etree._Element, where: str, warn: bool = True) -> None:
        if not _local(el):
            return
        text = self.inline(el)
        if text:
            self.trailing.append(text)
            if warn:
                self.warn(f"{_local(el)!r} in {where} kept as trailing text")

    # -- body -----------------------------------------------------------------
    def main_body(self, body: etree._Element) -> tuple:
        self.items: list = []
        self.amendments: list[Amendment] = []
        self.open_heading: list | None = None
        self.paragraph_count = 0
        self.walk_body(body)
        self.close_heading()
        return tuple(self.items)

    def close_heading(self) -> None:
        if self.open_heading is not None:
            text, num, paras = self.open_heading
            self.items.append(Heading(text, tuple(paras), num))
            self.open_heading = None

    def count_paragraphs(self) -> int:
        return self.paragraph_count  # counted in walk_body: summing the items each time is O(n²)

    def walk_body(self, parent: etree._Element, skip: frozenset = frozenset()) -> None:
        if _clean(parent.text or ""):
            self.trailing.append((_clean(parent.text),))
        for el in parent:
            name = _local(el)
            if not name or name in skip:
                pass
            elif name in _PARAGRAPHS and (name in ("paragraph", "article")
                                          or _child(el, "num") is not None):
                para = self.paragraph(el, self.count_paragraphs() + 1)
                if para is not None:
                    target = self.open_heading[2] if self.open_heading else self.items
                    target.append(para)
                    self.paragraph_count += 1
            elif (name == "hcontainer" and el.get("name") == "amendment"
                  and el.find(f".//{_Q}table") is not None):
                self.amendments.append(self.amendment(el))
            elif name in _CONTAINERS:
                self.container(el)
            elif name == "crossHeading":
                text = self.text(el)
                if text:
                    self.close_heading()
                    self.open_heading = [text, None, []]
            else:
                self.loose_one(el, _local(parent))
            if el.tail and _clean(el.tail):
                self.trailing.append((_clean(el.tail),))

    def amendment(self, el: etree._Element) -> Amendment:
        """``hcontainer name="amendment"``: number, act (heading), place (subheading), and
        its table's rows; ``ins``/``del`` are the changed text."""
        table = el.find(f".//{_Q}table")
        rows = [tr for tr in table if _local(tr) == "tr"]
        columns: tuple[str, ...] = ("", "")
        out: list[AmendmentRow] = []
        for tr in rows:
            cells = [c for c in tr if _local(c) in ("td", "th")]
            if cells and all(_local(c) == "th" for c in cells) and not out:
                columns = tuple(self.text(c) for c in cells)
                continue
            cells = (cells + [None, None])[:2]
            present, amended = (self.cell(c) if c is not None else () for c in cells)
            if present or amended:
                out.append(AmendmentRow(present, amended))
        return Amendment(self.text(_child(el, "num")) or "(amendment)",
                         self.text(_child(el, "heading")) or None,
                         self.text(_child(el, "subheading")) or None, columns, out)

    def cell(self, td: etree._Element) -> tuple:
        """A table cell's running text; ``ins``/``del`` become :class:`Change` values."""
        parts: list = []
        if td.text:
            parts.append(td.text)
        for i, child in enumerate(td):
            if _local(child) in ("ins", "del"):
                parts.append(Change(self.text(child)))
            elif _local(child) == "p":
                if i:
                    parts.append(" ")
                if child.text:
                    parts.append(child.text)
                for sub in child:
                    if _local(sub) in ("ins", "del"):
                        parts.append(Change(self.text(sub)))
                    else:
                        self.flow_child(sub, parts)
                    if sub.tail:
                        parts.append(sub.tail)
            else:
                self.flow_child(child, parts)
            if child.tail:
                parts.append(child.tail)
        return _tidy(parts)

    def table(self, el: etree._Element) -> Table | None:
        """A table kept as a table: rows of cells of running text."""
        rows = [[self.inline(c) for c in tr if _local(c) in ("td", "th")]
                for tr in el if _local(tr) == "tr"]
        rows = [r for r in rows if r]
        return Table(rows) if any(any(c for c in r) for r in rows) else None

    def container(self, el: etree._Element) -> None:
        heading = " ".join(
            t for t in (self.text(_child(el, "heading")), self.text(_child(el, "subheading"))) if t
        )
        num = self.text(_child(el, "num")) or None
        opened = bool(heading or num)
        if opened:
            self.close_heading()
            self.open_heading = [heading or num, num if heading else None, []]
        own = frozenset({"num", "heading", "subheading"})
        if (opened and el.get("name") != "group"
                and all(_local(c) in own for c in el if _local(c))):
            # a heading alone (Indigo's "crossheading" hcontainer) heads what follows it;
            # our own groups (name="group") hold their paragraphs, even none
            return
        self.walk_body(el, skip=own)
        if opened:
            self.close_heading()

    def paragraph(self, el: etree._Element, position: int) -> Paragraph | None:
        num = self.text(_child(el, "num"))
        text, points = self.unit(el)
        if text is None and not points:
            if num:
                self.trailing.append((num,))
                self.warn(f"paragraph {num!r} has no text: its number kept as trailing text")
            return None
        if not num:
            num = f"{position}."
            self.warn(f"a {_local(el)} without num is read as paragraph {num!r}")
        return Paragraph(num, text, points)

    def unit(self, el: etree._Element) -> tuple[Inline | None, tuple[Point, ...]]:
        """Text and points of a paragraph-like element (its own ``num`` excluded)."""
        before: list = []
        after: list = []
        points: list[Point] = []
        self._unit_into(el, before, points, after, top=True)
        text = _tidy(before) or None
        tail = _tidy(after)
        if tail and points:
            points[-1] = _append_to_last(points[-1], tail)
        return text, tuple(points)

    def _unit_into(self, el: etree._Element, before: list, points: list[Point], after: list,
                   top: bool = False) -> None:
        def target() -> list:
            return after if points else before

        if el.text:
            target().append(el.text)
        for child in el:
            name = _local(child)
            if not name or (top and name == "num"):
                pass
            elif name in _LISTS or name in _WRAPPERS:
                target().append(" ")
                self._unit_into(child, before, points, after)
                target().append(" ")
            elif name in _POINTS and not (name in _TEXT_UNITS and _child(child, "num") is None):
                point = self.point(child)
                if point is not None:
                    points.append(point)
            elif name in _TEXT_UNITS:
                target().append(" ")
                self._unit_into(child, before, points, after, top=True)
                target().append(" ")
            else:
                self.flow_child(child, target())
            if child.tail:
                target().append(child.tail)

    def point(self, el: etree._Element) -> Point | None:
        num = self.text(_child(el, "num"))
        text, points = self.unit(el)
        if text is None and not points:
            if num:
                # a number with no text: keep it as the text of a dash item
                return Point("–", num)
            return None
        return Point(num or "–", text, points)

    # -- attachments -------------------------------------------------------------
    def annexes(self, atts: etree._Element) -> list[Annex]:
        out: list[Annex] = []
        for att in atts:
            name = _local(att)
            if not name:
                continue
            docs = [att] if name in _DOC_TYPES else [c for c in att if _local(c) in _DOC_TYPES]
            if not docs:
                text = self.inline(att)
                if text:
                    out.append(Annex("(annex)", (text,)))
                    self.warn(f"{name!r} in attachments without a document: read as an annex")
                continue
            for doc in docs:
                out.append(self.annex(doc))
        return out

    def annex(self, doc: etree._Element) -> Annex:
        self.collect_notes(doc)
        title = ""
        blocks: list[Inline] = []
        pre = _child(doc, "preface")
        if pre is not None:
            rest = []
            for el in pre:
                if not _local(el):
                    continue
                is_title = _local(el) == "longTitle" or el.find(f".//{_Q}docTitle") is not None
                if is_title and not title:
                    title = self.text(el)
                else:
                    rest.append(el)
            if not title and rest:
                title = self.text(rest.pop(0))
            for el in rest:
                text = self.inline(el)
                if text:
                    blocks.append(text)
        if not title:
            title = "(annex)"
            self.warn("an annex has no title (docTitle): '(annex)' used")
        for part in ("preamble", "mainBody", "body", "conclusions"):
            el = _child(doc, part)
            if el is not None:
                self.annex_blocks(el, blocks)
        return Annex(title, tuple(blocks))

    def annex_blocks(self, el: etree._Element, blocks: list[Inline]) -> None:
        if _clean(el.text or ""):
            blocks.append((_clean(el.text),))
        for c in el:
            name = _local(c)
            if name in _CONTAINERS or name in ("blockContainer", "container", "div", "citations",
                                               "recitals"):
                self.annex_blocks(c, blocks)
            elif name == "table":
                table = self.table(c)
                if table is not None:
                    blocks.append(table)
            elif name:
                text = self.inline(c)
                if text:
                    blocks.append(text)
            if c.tail and _clean(c.tail):
                blocks.append((_clean(c.tail),))


def _append_to_last(point: Point, tail: Inline) -> Point:
    """Text after a list joins the item printed last (its deepest last sub-point)."""
    if point.points:
        subs = point.points[:-1] + (_append_to_last(point.points[-1], tail),)
        return Point(point.num, point.text, subs)
    text = tuple(point.text or ()) + (" ",) + tuple(tail)
    return Point(point.num, text, ())


def _tidy(parts: list) -> Inline:
    """Collapse whitespace in the strings of an inline run, trimming its ends."""
    out: list = []
    run: list[str] = []  # strings in a row, joined once (joining each to the last was
    for p in parts:      # quadratic: 30,000 inline elements in one paragraph took 47 s)
        if isinstance(p, str):
            run.append(p)
            continue
        if run:
            out.append(_WS.sub(" ", "".join(run)))
            run = []
        out.append(p)
    if run:
        out.append(_WS.sub(" ", "".join(run)))
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return tuple(p for p in out if not (isinstance(p, str) and not p))


def from_akn(xml: bytes | str | os.PathLike | etree._Element) -> Resolution:
    """Read an Akoma Ntoso document (bytes, XML text, a path, or a parsed element).

    Raises :class:`akn_ep.errors.AknReadError` for unsafe, malformed or non-AKN XML.

    Example:
        >>> from akn_ep.model import Resolution, Citation
        >>> from akn_ep.akn.writer import to_akn
        >>> from_akn(to_akn(Resolution(lang="fr", title="T", formula="Le Parlement européen,",
        ...          citations=(Citation("vu le traité,"),)))).citations[0].text
        ('vu le traité,',)
    """
    if isinstance(xml, etree._ElementTree):
        root = xml.getroot()
    elif isinstance(xml, etree._Element):
        root = xml
    else:
        if isinstance(xml, str) and not xml.strip():
            raise AknReadError("not well-formed XML: the document is empty")
        root = parse_xml(source_bytes(xml))
    r = _Reader().read(root)
    over = text_node_over_limit(r)
    if over is not None:  # two text runs an element split, joined: written, it is refused
        raise AknReadError(f"refused: the document reads as {over}, which Akoma Ntoso would "
                           f"hold as one text node, over the limit of {MAX_XML_TEXT} bytes "
                           "(akn_ep.limits.MAX_XML_TEXT)")
    return r
