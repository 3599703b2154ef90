"""Akoma Ntoso → Resolution, without losing text.

Reads our own output exactly (``from_akn(to_akn(r)) == r``) and reasonable
Akoma Ntoso from other tools (``statement`` or ``doc`` with preface, preamble
and mainBody): text in elements we do not map is kept in the model's
``trailing`` blocks rather than dropped. XML is parsed by
:mod:`akn_ep.akn.safexml` (no DTD, no entities, no network).

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

from lxml import etree

from .. import languages
from ..errors import AknReadError, LanguageError, ModelError
from ..model import (
    Annex,
    Citation,
    FootnoteRef,
    Heading,
    HeadLine,
    HEAD_ROLES,
    Inline,
    Paragraph,
    ParseReport,
    Point,
    Recital,
    Resolution,
)
from .safexml import parse_xml
from .writer import AKN_NS, CLASS_GENERATED, DATE_NAMES

__all__ = ["from_akn"]

_Q = "{%s}" % AKN_NS
_DATE_SOURCE = {v: k for k, v in DATE_NAMES.items()}
_WS = re.compile(r"\s+")
_DOC_TYPES = ("statement", "doc", "bill", "act", "debateReport", "documentCollection")


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _all_text(el: etree._Element) -> str:
    return _clean("".join(el.itertext()))


class _Reader:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.trailing: list[Inline] = []

    # -- inline ---------------------------------------------------------------
    def inline(self, el: etree._Element) -> Inline:
        """Text of a block with footnotes kept at their place; whitespace as in XML text."""
        parts: list[str | FootnoteRef] = []
        self._inline_into(el, parts)
        return _tidy(parts)

    def _inline_into(self, el: etree._Element, parts: list) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            name = _local(child)
            if name == "authorialNote":
                marker = (child.get("marker") or "").strip() or str(
                    sum(isinstance(p, FootnoteRef) for p in parts) + 1
                )
                body = _all_text(child)
                if body:
                    parts.append(FootnoteRef(marker.replace(" ", ""), body))
                else:
                    self.warnings.append(f"empty footnote {marker!r} dropped")
            elif name and not isinstance(child, etree._Comment):
                self._inline_into(child, parts)
            if child.tail:
                parts.append(child.tail)

    def blocks(self, el: etree._Element) -> Inline:
        """Text of a container of blocks (p, blockList …) joined by spaces."""
        ps = [c for c in el if _local(c) == "p"]
        if len(ps) == 1 and not [c for c in el if _local(c) not in ("p", "num", "heading")]:
            return self.inline(ps[0])
        parts: list = []
        for c in el:
            if _local(c) in ("num", "heading"):
                continue
            if parts:
                parts.append(" ")
            parts.extend(self.inline(c))
        return _tidy(parts)

    # -- document -------------------------------------------------------------
    def read(self, root: etree._Element) -> Resolution:
        if _local(root) != "akomaNtoso" or not str(root.tag).startswith(_Q):
            raise AknReadError(
                f"not an Akoma Ntoso 3.0 document: root element is {root.tag!r}, expected "
                f"{{{AKN_NS}}}akomaNtoso"
            )
        doc = next((c for c in root if _local(c) in _DOC_TYPES), None)
        if doc is None:
            raise AknReadError(
                "Akoma Ntoso document has no statement/doc element under akomaNtoso"
            )
        meta = self.meta(doc)
        fields: dict = dict(meta)
        fields.update(self.preface(doc.find(_Q + "preface")))
        fields.update(self.preamble(doc.find(_Q + "preamble"), meta["lang"]))
        body_el = doc.find(_Q + "mainBody")
        if body_el is None:
            body_el = doc.find(_Q + "body")
        fields["body"] = self.main_body(body_el) if body_el is not None else ()
        concl = doc.find(_Q + "conclusions")
        if concl is not None:
            for c in concl:
                if _local(c) == "p":
                    text = self.inline(c)
                    if text:
                        self.trailing.append(text)
                elif _all_text(c):
                    self.trailing.append(self.blocks(c))
        fields["annexes"] = self.annexes(doc.find(_Q + "attachments"))
        fields["trailing"] = tuple(self.trailing)
        if not fields.get("title"):
            fields["title"] = "(untitled)"
            self.warnings.append("document has no title (docTitle/longTitle): '(untitled)' used")
        if not fields.get("formula"):
            fields["formula"] = languages.get(meta["lang"]).formula[0]
            self.warnings.append("document has no formula: the language's formula was supplied")
        fields["report"] = ParseReport(warnings=tuple(self.warnings))
        try:
            return Resolution(**fields)
        except ModelError as exc:
            raise AknReadError(f"document does not form a consistent resolution: {exc}") from exc

    def meta(self, doc: etree._Element) -> dict:
        out: dict = {"lang": "en", "date": None, "date_source": "printed"}
        ident = doc.find(f"{_Q}meta/{_Q}identification")
        if ident is None:
            self.warnings.append("no meta/identification: language assumed 'en'")
            return out
        lang_el = ident.find(f"{_Q}FRBRExpression/{_Q}FRBRlanguage")
        if lang_el is not None:
            code = (lang_el.get("language") or "").split("-")[0]
            try:
                out["lang"] = languages.get(code).code
            except LanguageError:
                self.warnings.append(f"unknown FRBRlanguage {code!r}: language assumed 'en'")
        work = ident.find(f"{_Q}FRBRWork")
        if work is None:
            return out
        date_el = work.find(_Q + "FRBRdate")
        if date_el is not None:
            name = date_el.get("name", "")
            if name != "unknown":
                try:
                    out["date"] = _dt.date.fromisoformat((date_el.get("date") or "")[:10])
                    out["date_source"] = _DATE_SOURCE.get(name, "printed")
                except ValueError:
                    self.warnings.append(f"unreadable FRBRdate {date_el.get('date')!r}")
        refs: list[str] = []
        for alias in work.findall(_Q + "FRBRalias"):
            name, value = alias.get("name"), alias.get("value")
            if name == "textsAdoptedNumber":
                out["ta_number"] = value
            elif name == "procedureReference":
                out["procedure"] = value
            elif name == "documentReference" and value:
                refs.append(value)
        out["doc_refs"] = tuple(refs)
        return out

    def preface(self, pre: etree._Element | None) -> dict:
        out: dict = {}
        if pre is None:
            return out
        head_lines: list[HeadLine] = []
        for el in pre:
            name, cls = _local(el), el.get("class", "")
            if name == "longTitle":
                title = el.find(f".//{_Q}docTitle")
                out["title"] = _all_text(title if title is not None else el)
            elif cls == CLASS_GENERATED:
                continue
            elif cls == "heading":
                out["heading"] = _all_text(el)
            elif cls == "docNumber" or (name == "p" and el.find(_Q + "docNumber") is not None
                                        and "ta_number" not in out and len(el) == 1):
                out["ta_number"] = _all_text(el)
            elif name == "p" and el.find(_Q + "docTitle") is not None and "title" not in out:
                out["title"] = _all_text(el.find(_Q + "docTitle"))
            elif _all_text(el):
                role = cls if cls in HEAD_ROLES else "other"
                head_lines.append(HeadLine(role, _all_text(el)))
        out["head_lines"] = tuple(head_lines)
        return out

    def preamble(self, pre: etree._Element | None, lang: str) -> dict:
        out: dict = {"citations": (), "recitals": ()}
        if pre is None:
            return out
        citations: list[Citation] = []
        recitals: list[Recital] = []
        language = languages.get(lang)
        for el in pre:
            name = _local(el)
            if name == "formula" and "formula" not in out:
                out["formula"] = _all_text(el)
            elif name == "citations":
                for c in el:
                    if _local(c) == "citation":
                        text = self.blocks(c)
                        if text:
                            citations.append(Citation(text))
                    elif _all_text(c):
                        self.trailing.append(self.blocks(c))
                        self.warnings.append("text in citations outside a citation kept as trailing")
            elif name == "recitals":
                for c in el:
                    if _local(c) != "recital":
                        if _all_text(c):
                            self.trailing.append(self.blocks(c))
                        continue
                    num = c.find(_Q + "num")
                    letter = _all_text(num) if num is not None else ""
                    if not letter:
                        letter = language.recital_letter(len(recitals)) + "."
                    recitals.append(Recital(letter, self.blocks(c)))
            elif _all_text(el):
                self.trailing.append(self.blocks(el))
                self.warnings.append(f"preamble element {name!r} kept as trailing text")
        out["citations"] = tuple(citations)
        out["recitals"] = tuple(recitals)
        return out

    def main_body(self, body: etree._Element) -> tuple:
        items: list = []
        for el in body:
            name = _local(el)
            if name == "paragraph" or (name in ("article", "point", "section") and
                                       el.find(_Q + "num") is not None):
                items.append(self.paragraph(el, len(list(_iter_paras(items))) + 1))
            elif name == "hcontainer" or (name in ("chapter", "part", "title", "division")):
                heading = el.find(_Q + "heading")
                num = el.find(_Q + "num")
                paras = []
                for c in el:
                    if _local(c) in ("paragraph", "article"):
                        paras.append(self.paragraph(c, len(list(_iter_paras(items))) + len(paras) + 1))
                    elif _local(c) not in ("heading", "num") and _all_text(c):
                        self.trailing.append(self.blocks(c))
                        self.warnings.append(f"text in {name} outside a paragraph kept as trailing")
                items.append(Heading(_all_text(heading) if heading is not None else "(heading)",
                                     tuple(paras), _all_text(num) if num is not None else None))
            elif _all_text(el):
                self.trailing.append(self.inline(el) if name == "p" else self.blocks(el))
                self.warnings.append(f"mainBody element {name!r} kept as trailing text")
        return tuple(items)

    def paragraph(self, el: etree._Element, position: int) -> Paragraph:
        num_el = el.find(_Q + "num")
        num = _all_text(num_el) if num_el is not None else f"{position}."
        text, points = self.content_or_list(el)
        return Paragraph(num, text, points)

    def content_or_list(self, el: etree._Element) -> tuple[Inline | None, tuple[Point, ...]]:
        content = el.find(_Q + "content")
        if content is not None:
            return self.blocks(content) or None, ()
        lst = el.find(_Q + "list")
        holder = lst if lst is not None else el
        intro = holder.find(_Q + "intro")
        text = self.blocks(intro) if intro is not None else None
        points: list[Point] = []
        for c in holder:
            if _local(c) in ("point", "indent", "alinea"):
                num_el = c.find(_Q + "num")
                num = _all_text(num_el) if num_el is not None else "–"
                ptext, sub = self.content_or_list(c)
                points.append(Point(num, ptext, sub))
        if not points and text is None:
            rest = [c for c in el if _local(c) not in ("num", "heading")]
            parts: list = []
            for c in rest:
                if parts:
                    parts.append(" ")
                parts.extend(self.blocks(c) if _local(c) != "p" else self.inline(c))
            return _tidy(parts) or None, ()
        return text or None, tuple(points)

    def annexes(self, atts: etree._Element | None) -> tuple[Annex, ...]:
        if atts is None:
            return ()
        out: list[Annex] = []
        for att in atts:
            doc = next((c for c in att if _local(c) in _DOC_TYPES), None)
            if doc is None:
                continue
            title_el = doc.find(f"{_Q}preface//{_Q}docTitle")
            title = _all_text(title_el) if title_el is not None else "(annex)"
            body = doc.find(_Q + "mainBody")
            blocks: list[Inline] = []
            if body is not None:
                for c in body:
                    text = self.inline(c) if _local(c) == "p" else self.blocks(c)
                    if text:
                        blocks.append(text)
            out.append(Annex(title, tuple(blocks)))
        return tuple(out)


def _iter_paras(items: list):
    for it in items:
        if isinstance(it, Heading):
            yield from it.paragraphs
        else:
            yield it


def _tidy(parts: list) -> Inline:
    """Collapse whitespace in the strings of an inline run, trimming its ends."""
    out: list = []
    for p in parts:
        if isinstance(p, str):
            p = _WS.sub(" ", p)
            if out and isinstance(out[-1], str):
                out[-1] += p
                continue
        out.append(p)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    # whitespace that pretty-printing put around a footnote's end is not text
    return tuple(
        _WS.sub(" ", p) if isinstance(p, str) else p for p in out if not (isinstance(p, str) and not p)
    )


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
        if isinstance(xml, str) and xml.lstrip().startswith("<"):
            data = xml.encode("utf-8")
        elif isinstance(xml, (bytes, bytearray)):
            data = bytes(xml)
        else:
            with open(xml, "rb") as fh:
                data = fh.read()
        root = parse_xml(data)
    return _Reader().read(root)
