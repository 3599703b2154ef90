"""Resolution → Akoma Ntoso 3.0 (``<statement name="resolution">``), as bytes.

One of the two modules that know Akoma Ntoso element names (the reader is the
other). Identifiers come from :mod:`akn_ep.akn.ids`. The output is
deterministic: the same model always gives the same bytes. See
``docs/mapping.md`` for the mapping of each part to its element.

Example:
    >>> from akn_ep.model import Resolution, Paragraph
    >>> xml = to_akn(Resolution(lang="en", title="European Parliament resolution on X",
    ...                         formula="The European Parliament,", date="2012-03-15",
    ...                         body=(Paragraph("1.", "Instructs its President …"),)))
    >>> xml[:38]
    b"<?xml version='1.0' encoding='UTF-8'?>"
"""

from __future__ import annotations

from lxml import etree

from .. import languages
from ..model import (
    Annex,
    FootnoteRef,
    Heading,
    Inline,
    Paragraph,
    Point,
    Resolution,
)
from . import ids

__all__ = ["to_akn", "to_tree", "AKN_NS"]

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_NSMAP = {None: AKN_NS}
_Q = "{%s}" % AKN_NS

#: FRBRdate/@name for each way the adoption date was obtained.
DATE_NAMES = {"printed": "adoption", "supplied": "adoptionSupplied", "fallback": "adoptionFallback"}
EP_HREF = "/akn/ontology/organization/eu/europeanParliament"
TOOL_HREF = "/akn/ontology/organization/akn-ep"
CLASS_GENERATED = "generated"

_DASHES = {"–", "-", "—", "•", "−", "‒"}


def _el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _Q + tag, attrs)


class _Writer:
    """Holds the document-wide counters (footnote numbering) while one tree is built."""

    def __init__(self, r: Resolution):
        self.r = r
        self.notes = 0

    # -- inline text -------------------------------------------------------
    def text_into(self, el: etree._Element, text: Inline) -> None:
        last: etree._Element | None = None
        buf: list[str] = []
        for part in text:
            if isinstance(part, str):
                buf.append(part)
                continue
            self._flush(el, last, buf)
            buf = []
            last = self.note(el, part)
        self._flush(el, last, buf)

    @staticmethod
    def _flush(el: etree._Element, last: etree._Element | None, buf: list[str]) -> None:
        if not buf:
            return
        s = "".join(buf)
        if last is None:
            el.text = (el.text or "") + s
        else:
            last.tail = (last.tail or "") + s

    def note(self, parent: etree._Element, ref: FootnoteRef) -> etree._Element:
        self.notes += 1
        note = _el(
            parent,
            "authorialNote",
            marker=ref.marker,
            placement="bottom",
            eId=f"authorialNote_{self.notes}",
        )
        _el(note, "p").text = ref.text
        return note

    def p(self, parent: etree._Element, text: Inline, **attrs: str) -> etree._Element:
        p = _el(parent, "p", **attrs)
        self.text_into(p, text)
        return p

    # -- document ------------------------------------------------------------
    def build(self) -> etree._Element:
        r = self.r
        root = etree.Element(_Q + "akomaNtoso", nsmap=_NSMAP)
        doc = _el(root, "statement", name="resolution")
        iris = ids.frbr_iris(r)
        self.meta(doc, iris.work, iris.expression, "")
        self.preface(doc)
        self.preamble(doc)
        self.main_body(doc)
        if r.trailing:
            concl = _el(doc, "conclusions")
            for block in r.trailing:
                self.p(concl, block, **{"class": "trailing"})
        if r.annexes:
            atts = _el(doc, "attachments")
            for i, annex in enumerate(r.annexes, 1):
                self.annex(atts, annex, i, iris)
        return root

    def meta(self, doc: etree._Element, work: str, expr: str, component: str) -> None:
        r = self.r
        lang = languages.get(r.lang)
        date = r.date.isoformat() if r.date else "0001-01-01"
        date_name = DATE_NAMES[r.date_source] if r.date else "unknown"
        comp = component or "!main"
        meta = _el(doc, "meta")
        ident = _el(meta, "identification", source="#akn-ep")
        w = _el(ident, "FRBRWork")
        _el(w, "FRBRthis", value=f"{work}/{comp}")
        _el(w, "FRBRuri", value=work)
        if not component:
            if r.ta_number:
                _el(w, "FRBRalias", name="textsAdoptedNumber", value=r.ta_number)
            if r.procedure:
                _el(w, "FRBRalias", name="procedureReference", value=r.procedure)
            celex = ids.celex(r)
            if celex:
                _el(w, "FRBRalias", name="CELEX", value=celex)
            for ref in r.doc_refs:
                _el(w, "FRBRalias", name="documentReference", value=ref)
        _el(w, "FRBRdate", date=date, name=date_name)
        _el(w, "FRBRauthor", href="#ep")
        _el(w, "FRBRcountry", value="eu")
        _el(w, "FRBRsubtype", value="resolution")
        _el(w, "FRBRnumber", value=ids.work_number(r))
        e = _el(ident, "FRBRExpression")
        _el(e, "FRBRthis", value=f"{expr}/{comp}")
        _el(e, "FRBRuri", value=expr)
        _el(e, "FRBRdate", date=date, name=date_name)
        _el(e, "FRBRauthor", href="#ep")
        _el(e, "FRBRlanguage", language=lang.iso639_2t)
        m = _el(ident, "FRBRManifestation")
        manif = f"{expr}/{comp}.xml"
        _el(m, "FRBRthis", value=manif)
        _el(m, "FRBRuri", value=manif)
        _el(m, "FRBRdate", date=date, name="generation")
        _el(m, "FRBRauthor", href="#akn-ep")
        _el(m, "FRBRformat", value="application/akn+xml")
        if not component:  # eIds are unique document-wide: declare once, in the main meta
            refs = _el(meta, "references", source="#akn-ep")
            _el(refs, "TLCOrganization", eId="ep", href=EP_HREF, showAs=lang.proponent)
            _el(refs, "TLCOrganization", eId="akn-ep", href=TOOL_HREF, showAs="akn-ep")

    def preface(self, doc: etree._Element) -> None:
        r = self.r
        lang = languages.get(r.lang)
        pre = _el(doc, "preface")
        if r.heading:
            _el(pre, "p", **{"class": "heading"}).text = r.heading
        if r.ta_number:
            p = _el(pre, "p", **{"class": "docNumber"})
            _el(p, "docNumber").text = r.ta_number
        lt = _el(pre, "longTitle")
        _el(_el(lt, "p"), "docTitle").text = r.title
        for line in r.head_lines:
            _el(pre, "p", **{"class": line.role}).text = line.text
        # Metadata the text may not print, marked as generated so readers skip it.
        gen = _el(pre, "p", **{"class": CLASS_GENERATED})
        _el(gen, "docProponent", refersTo="#ep").text = lang.proponent
        gen_date = _el(gen, "docDate", date=r.date.isoformat() if r.date else "0001-01-01")
        gen_date.text = r.date.isoformat() if r.date else "unknown"
        if not r.ta_number:
            _el(gen, "docNumber").text = ids.work_number(r)

    def preamble(self, doc: etree._Element) -> None:
        r = self.r
        pre = _el(doc, "preamble")
        formula = _el(pre, "formula", name="actingEntity", eId="preamble__formula_1")
        _el(formula, "p").text = r.formula
        if r.citations:
            cits = _el(pre, "citations", eId="cits_1")
            for i, c in enumerate(r.citations, 1):
                cit = _el(cits, "citation", eId=f"cits_1__cit_{i}")
                self.p(cit, c.text)
        if r.recitals:
            lang = languages.get(r.lang)
            recs = _el(pre, "recitals", eId="recs_1")
            for i, rec in enumerate(r.recitals):
                index = lang.recital_index(rec.letter)
                if index is None:
                    index = languages.get("en").recital_index(rec.letter)
                key = languages.latin_letters(index) if index is not None else f"{i + 1}"
                el = _el(recs, "recital", eId=f"recs_1__rec_{key}")
                _el(el, "num").text = rec.num
                self.p(el, rec.text)

    def main_body(self, doc: etree._Element) -> None:
        body = _el(doc, "mainBody")
        groups = 0
        for item in self.r.body:
            if isinstance(item, Heading):
                groups += 1
                hc = _el(body, "hcontainer", name="group", eId=f"hcontainer_{groups}")
                if item.num:
                    _el(hc, "num").text = item.num
                _el(hc, "heading").text = item.text
                for para in item.paragraphs:
                    self.paragraph(hc, para)
            else:
                self.paragraph(body, item)

    def paragraph(self, parent: etree._Element, para: Paragraph) -> None:
        eid = f"para_{ids.eid_num(para.num)}"
        el = _el(parent, "paragraph", eId=eid)
        _el(el, "num").text = para.num
        self.content_or_list(el, eid, para.text, para.points)

    def content_or_list(
        self, el: etree._Element, eid: str, text: Inline | None, points: tuple[Point, ...]
    ) -> None:
        if not points:
            content = _el(el, "content")
            self.p(content, text or ())
            return
        list_id = f"{eid}__list_1"
        lst = _el(el, "list", eId=list_id)
        if text:
            intro = _el(lst, "intro")
            self.p(intro, text)
        dashes = 0
        for point in points:
            if point.label in _DASHES:
                dashes += 1
                key = f"indent{dashes}"
            else:
                key = ids.eid_num(point.num)
            pid = f"{list_id}__point_{key}"
            pel = _el(lst, "point", eId=pid)
            _el(pel, "num").text = point.num
            self.content_or_list(pel, pid, point.text, point.points)

    def annex(self, atts: etree._Element, annex: Annex, index: int, iris: ids.FrbrIris) -> None:
        att = _el(atts, "attachment", eId=f"att_{index}")
        doc = _el(att, "doc", name="annex")
        self.meta(doc, iris.work, iris.expression, f"!annex_{index}")
        pre = _el(doc, "preface")
        _el(_el(pre, "p", **{"class": "title"}), "docTitle").text = annex.title
        body = _el(doc, "mainBody")
        if not annex.blocks:
            _el(body, "p", **{"class": "empty"})
        for block in annex.blocks:
            self.p(body, block)


def to_tree(r: Resolution) -> etree._Element:
    """The Akoma Ntoso tree (root ``akomaNtoso``) of a resolution.

    Example:
        >>> from akn_ep.model import Resolution, Paragraph
        >>> to_tree(Resolution(lang="en", title="T", formula="F",
        ...                    body=(Paragraph("1.", "x"),)))[0].get("name")
        'resolution'
    """
    return _Writer(r).build()


def to_akn(r: Resolution) -> bytes:
    """UTF-8 Akoma Ntoso 3.0 bytes of a resolution (deterministic).

    Example:
        >>> from akn_ep.model import Resolution, Paragraph
        >>> b"<statement name=\\"resolution\\">" in to_akn(Resolution(lang="en", title="T",
        ...     formula="F", body=(Paragraph("1.", "x"),)))
        True
    """
    return etree.tostring(to_tree(r), xml_declaration=True, encoding="UTF-8", pretty_print=True)
