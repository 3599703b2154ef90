"""Resolution → Akoma Ntoso 3.0 (``<statement name="resolution">``), as bytes.

One of the two modules that know Akoma Ntoso element names (the reader is the
other). Identifiers come from :mod:`akn_ep.akn.ids`. The output is
deterministic: the same model always gives the same bytes. See
``docs/mapping.md`` for the mapping of each part to its element.

The document is written as text directly (escaped, indented) rather than
through an lxml tree: building thousands of elements one call at a time costs
more than the whole schema validation of the result, and the text form is what
we return anyway. :func:`to_tree` parses it when a tree is wanted.

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
    Amendment,
    Annex,
    Change,
    FootnoteRef,
    Heading,
    Inline,
    Paragraph,
    Point,
    Resolution,
    Table,
)
from ..vocabulary import ITEM_DASHES
from . import eids, ids
from .iri import FrbrUri, frbr_iris
from .names import AKN_NS, CLASS_GENERATED, DATE_NAMES, EP_HREF, TOOL_HREF  # their home

__all__ = ["to_akn", "to_tree", "AKN_NS"]


_XML_DECL = "<?xml version='1.0' encoding='UTF-8'?>\n"


def _esc(text: str) -> str:
    """Escape character data."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attr(text: str) -> str:
    """Escape an attribute value (always written in double quotes)."""
    text = _esc(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def _attrs(attrs: tuple[tuple[str, str], ...]) -> str:
    out = ""
    for k, v in attrs:
        out += f' {k}="{_attr(v)}"'
    return out


class _Writer:
    """Builds the document text; holds the document-wide footnote counter."""

    def __init__(self, r: Resolution):
        self.r = r
        self.lang = languages.get(r.lang)
        self.notes = 0
        self.out: list[str] = []
        self.iri = frbr_iris(r)  # work, expression and manifestation of the main document
        self.work_number = self.iri.number
        self.eids: set[str] = set()  # recital, paragraph and point eIds given so far
        self.next_suffix: dict[str, int] = {}

    def unique(self, eid: str) -> str:
        """``eid``, or ``eid-2``, ``eid-3`` … when taken: printed numbers that differ only in
        what an eId drops ("1." and "}1.", "(a)" and "(a}"), or recital letters of two scripts
        (Latin "A." and Greek "Α.", lenient parse), would otherwise share one."""
        if eid in self.eids:
            k = self.next_suffix.get(eid, 2)
            while f"{eid}-{k}" in self.eids:
                k += 1
            self.next_suffix[eid] = k + 1
            eid = f"{eid}-{k}"
        self.eids.add(eid)
        return eid

    # -- primitives ------------------------------------------------------------
    def open(self, depth: int, tag: str, *attrs: tuple[str, str]) -> None:
        self.out.append(f"{'  ' * depth}<{tag}{_attrs(attrs)}>\n")

    def close(self, depth: int, tag: str) -> None:
        self.out.append(f"{'  ' * depth}</{tag}>\n")

    def empty(self, depth: int, tag: str, *attrs: tuple[str, str]) -> None:
        self.out.append(f"{'  ' * depth}<{tag}{_attrs(attrs)}/>\n")

    def leaf(self, depth: int, tag: str, text: str, *attrs: tuple[str, str]) -> None:
        self.out.append(f"{'  ' * depth}<{tag}{_attrs(attrs)}>{_esc(text)}</{tag}>\n")

    def inline(self, text: Inline) -> str:
        """Mixed content of a ``p``: text with footnotes as ``authorialNote`` at their call."""
        if len(text) == 1 and type(text[0]) is str:  # the common case: one run of text
            return _esc(text[0])
        parts: list[str] = []
        for part in text:
            if isinstance(part, FootnoteRef):
                self.notes += 1
                parts.append(
                    f'<authorialNote marker="{_attr(part.marker)}" placement="bottom" '
                    f'eId="{eids.note(self.notes)}"><p>{_esc(part.text)}</p></authorialNote>'
                )
            else:
                parts.append(_esc(part))
        return "".join(parts)

    def p(self, depth: int, text: Inline, *attrs: tuple[str, str]) -> None:
        self.out.append(f"{'  ' * depth}<p{_attrs(attrs)}>{self.inline(text)}</p>\n")

    # -- document ----------------------------------------------------------------
    def build(self) -> str:
        r = self.r
        iris = self.iri
        self.out.append(_XML_DECL)
        self.out.append(f'<akomaNtoso xmlns="{AKN_NS}">\n')
        self.open(1, "statement", ("name", ids.doc_name(r)))
        self.meta(2, iris)
        self.preface(2)
        self.preamble(2)
        self.main_body(2)
        if r.trailing:
            self.open(2, "conclusions")
            for block in r.trailing:
                self.p(3, block, ("class", "trailing"))
            self.close(2, "conclusions")
        if r.annexes:
            self.open(2, "attachments")
            for i, annex in enumerate(r.annexes, 1):
                self.annex(3, annex, i, iris)
            self.close(2, "attachments")
        self.close(1, "statement")
        self.out.append("</akomaNtoso>\n")
        return "".join(self.out)

    def meta(self, d: int, iri: FrbrUri) -> None:
        """The meta block of the main document (``iri`` names component ``main``) or of an
        annex (``annex_N``)."""
        r = self.r
        lang = self.lang
        date = iri.version or ""  # the adoption date, or 0001-01-01 when unknown
        date_name = DATE_NAMES[r.date_source] if r.date else "unknown"
        main = iri.component == "main"
        i0, i1, i2, i3 = ("  " * k for k in range(d, d + 4))
        frbr_date = f'{i3}<FRBRdate date="{_attr(date)}" name="{_attr(date_name)}"/>\n'
        out = [
            f'{i0}<meta>\n{i1}<identification source="#akn-ep">\n{i2}<FRBRWork>\n'
            f'{i3}<FRBRthis value="{_attr(iri.work_uri())}"/>\n'
            f'{i3}<FRBRuri value="{_attr(iri.work_uri(component=False))}"/>\n'
        ]
        if main:
            # the short title (the heading, else the full title): what cobalt and other
            # Akoma Ntoso tools show as the document's title
            out.append(f'{i3}<FRBRalias name="title" value="{_attr(r.heading or r.title)}"/>\n')
            if r.ta_number:
                out.append(f'{i3}<FRBRalias name="textsAdoptedNumber" '
                           f'value="{_attr(r.ta_number)}"/>\n')
            if r.procedure:
                out.append(f'{i3}<FRBRalias name="procedureReference" '
                           f'value="{_attr(r.procedure)}"/>\n')
            celex = ids.celex(r)
            if celex:
                out.append(f'{i3}<FRBRalias name="CELEX" value="{_attr(celex)}"/>\n')
            for ref in r.doc_refs:
                out.append(f'{i3}<FRBRalias name="documentReference" value="{_attr(ref)}"/>\n')
            if r.doc_number:
                out.append(f'{i3}<FRBRalias name="documentNumber" '
                           f'value="{_attr(r.doc_number)}"/>\n')
        # FRBRuri of the manifestation names the whole manifestation, FRBRthis its main XML
        # component; the markup is derived from the adopted text and carries its date (a
        # generation timestamp would make the output differ from run to run)
        out.append(
            f'{frbr_date}{i3}<FRBRauthor href="#ep"/>\n{i3}<FRBRcountry value="eu"/>\n'
            f'{i3}<FRBRsubtype value="{ids.doc_name(r)}"/>\n'
            f'{i3}<FRBRnumber value="{_attr(self.work_number)}"/>\n{i2}</FRBRWork>\n'
            f'{i2}<FRBRExpression>\n{i3}<FRBRthis value="{_attr(iri.expression_uri())}"/>\n'
            f'{i3}<FRBRuri value="{_attr(iri.expression_uri(component=False))}"/>\n{frbr_date}'
            f'{i3}<FRBRauthor href="#ep"/>\n'
            f'{i3}<FRBRlanguage language="{_attr(lang.iso639_2t)}"/>\n{i2}</FRBRExpression>\n'
            f'{i2}<FRBRManifestation>\n{i3}<FRBRthis value="{_attr(iri.manifestation_uri())}"/>\n'
            f'{i3}<FRBRuri value="{_attr(iri.manifestation_uri(component=False))}"/>\n'
            f'{frbr_date}'
            f'{i3}<FRBRauthor href="#akn-ep"/>\n'
            f'{i3}<FRBRformat value="application/akn+xml"/>\n{i2}</FRBRManifestation>\n'
            f'{i1}</identification>\n'
        )
        if main:  # eIds are unique document-wide: declare once, in the main meta
            out.append(
                f'{i1}<references source="#akn-ep">\n'
                f'{i2}<TLCOrganization eId="ep" href="{_attr(EP_HREF)}" '
                f'showAs="{_attr(lang.proponent)}"/>\n'
                f'{i2}<TLCOrganization eId="akn-ep" href="{_attr(TOOL_HREF)}" showAs="akn-ep"/>\n'
                f'{i1}</references>\n'
            )
        out.append(f"{i0}</meta>\n")
        self.out.append("".join(out))

    def preface(self, d: int) -> None:
        r = self.r
        lang = self.lang
        i = "  " * (d + 1)
        self.open(d, "preface")
        if r.heading:
            self.leaf(d + 1, "p", r.heading, ("class", "heading"))
        if r.ta_number:
            self.out.append(f'{i}<p class="docNumber"><docNumber>{_esc(r.ta_number)}'
                            "</docNumber></p>\n")
        if r.doc_number:  # a motion's or report's own number, as its page prints it
            self.out.append(f'{i}<p class="documentNumber"><docNumber>{_esc(r.doc_number)}'
                            "</docNumber></p>\n")
        self.out.append(f"{i}<longTitle>\n{i}  <p><docTitle>{_esc(r.title)}</docTitle></p>\n"
                        f"{i}</longTitle>\n")
        for line in r.head_lines:
            self.leaf(d + 1, "p", line.text, ("class", line.role))
        # Metadata the text may not print, marked as generated so readers skip it.
        iso = r.date.isoformat() if r.date else "0001-01-01"
        shown = iso if r.date else "unknown"
        number = "" if r.ta_number else f"<docNumber>{_esc(self.work_number)}</docNumber>"
        self.out.append(
            f'{i}<p class="{CLASS_GENERATED}"><docProponent refersTo="#ep">'
            f"{_esc(lang.proponent)}</docProponent> <docDate date=\"{iso}\">{shown}</docDate>"
            f"{' ' if number else ''}{number}</p>\n"
        )
        self.close(d, "preface")

    def preamble(self, d: int) -> None:
        r = self.r
        self.open(d, "preamble")
        self.open(d + 1, "formula", ("name", "actingEntity"), ("eId", eids.FORMULA))
        self.leaf(d + 2, "p", r.formula)
        self.close(d + 1, "formula")
        if r.citations:
            self.open(d + 1, "citations", ("eId", eids.CITATIONS))
            i2, i3 = "  " * (d + 2), "  " * (d + 3)
            out = self.out
            for n, c in enumerate(r.citations, 1):
                out.append(f'{i2}<citation eId="{eids.citation(n)}">\n'
                           f"{i3}<p>{self.inline(c.text)}</p>\n{i2}</citation>\n")
            self.close(d + 1, "citations")
        if r.recitals:
            lang = self.lang
            self.open(d + 1, "recitals", ("eId", eids.RECITALS))
            for n, rec in enumerate(r.recitals):
                index = lang.recital_index(rec.letter, n)
                eid = _attr(self.unique(eids.recital(index if index is not None else f"{n + 1}")))
                i2, i3 = "  " * (d + 2), "  " * (d + 3)
                self.out.append(f'{i2}<recital eId="{eid}">\n{i3}<num>{_esc(rec.num)}</num>\n'
                                f"{i3}<p>{self.inline(rec.text)}</p>\n{i2}</recital>\n")
            self.close(d + 1, "recitals")
        self.close(d, "preamble")

    def main_body(self, d: int) -> None:
        self.open(d, "mainBody")
        if not self.r.body:  # the schema wants content; readers skip an empty p
            self.empty(d + 1, "p", ("class", "empty"))
        groups = 0
        for item in self.r.body:
            if isinstance(item, Heading):
                groups += 1
                self.open(d + 1, "hcontainer", ("name", "group"), ("eId", eids.group(groups)))
                if item.num:
                    self.leaf(d + 2, "num", item.num)
                self.leaf(d + 2, "heading", item.text)
                for para in item.paragraphs:
                    self.paragraph(d + 2, para)
                self.close(d + 1, "hcontainer")
            else:
                self.paragraph(d + 1, item)
        for n, amendment in enumerate(self.r.amendments, 1):
            self.amendment(d + 1, amendment, n)
        self.close(d, "mainBody")

    def amendment(self, d: int, a: Amendment, n: int) -> None:
        """An amendment: ``hcontainer name="amendment"`` with its number, the act amended
        (heading), the place (subheading) and the two-column table; changed text is
        ``del`` in the present text and ``ins`` in the amendment."""
        eid = self.unique(eids.amendment(a.number))
        self.open(d, "hcontainer", ("name", "amendment"), ("eId", eid))
        self.leaf(d + 1, "num", a.num)
        if a.document:
            self.leaf(d + 1, "heading", a.document)
        if a.target:
            self.leaf(d + 1, "subheading", a.target)
        self.open(d + 1, "content")
        i = "  " * (d + 3)
        self.open(d + 2, "table", ("eId", eids.table_of(eid)), ("class", "amendment"))
        self.out.append(f"{i}<tr><th><p>{_esc(a.columns[0])}</p></th>"
                        f"<th><p>{_esc(a.columns[1])}</p></th></tr>\n")
        for row in a.rows:
            self.out.append(f"{i}<tr>{self.cell(row.present, 'del')}"
                            f"{self.cell(row.amended, 'ins')}</tr>\n")
        self.close(d + 2, "table")
        self.close(d + 1, "content")
        self.close(d, "hcontainer")

    def cell(self, parts: tuple, change: str) -> str:
        """A table cell: ``<td/>`` when empty; changed text as ``change`` (ins/del)."""
        if not parts:
            return "<td/>"
        out: list[str] = []
        run: list = []
        for part in parts:
            if isinstance(part, Change):
                if run:
                    out.append(self.inline(tuple(run)))
                    run = []
                out.append(f"<{change}>{_esc(part.text)}</{change}>")
            else:
                run.append(part)
        if run:
            out.append(self.inline(tuple(run)))
        return f"<td><p>{''.join(out)}</p></td>"

    def table(self, d: int, t: Table) -> None:
        """A table kept as a table (an annex's vote table)."""
        self.open(d, "table", ("eId", self.unique(eids.table())))
        i = "  " * (d + 1)
        for row in t.rows:
            self.out.append(f"{i}<tr>{''.join(self.cell(c, '') for c in row)}</tr>\n")
        self.close(d, "table")

    def paragraph(self, d: int, para: Paragraph) -> None:
        eid = self.unique(eids.paragraph(para.num))
        i0, i1 = "  " * d, "  " * (d + 1)
        if not para.points:  # the common case, in one piece: see content_or_list
            i2 = i1 + "  "
            self.out.append(f'{i0}<paragraph eId="{_attr(eid)}">\n{i1}<num>{_esc(para.num)}</num>\n'
                            f"{i1}<content>\n{i2}<p>{self.inline(para.text or ())}</p>\n"
                            f"{i1}</content>\n{i0}</paragraph>\n")
            return
        self.out.append(f'{i0}<paragraph eId="{_attr(eid)}">\n{i1}<num>{_esc(para.num)}</num>\n')
        self.content_or_list(d + 1, eid, para.text, para.points)
        self.close(d, "paragraph")

    def content_or_list(
        self, d: int, eid: str, text: Inline | None, points: tuple[Point, ...]
    ) -> None:
        if not points:
            self.open(d, "content")
            self.p(d + 1, text or ())
            self.close(d, "content")
            return
        list_id = eids.list_of(eid)
        self.open(d, "list", ("eId", list_id))
        if text:
            self.open(d + 1, "intro")
            self.p(d + 2, text)
            self.close(d + 1, "intro")
        dashes = 0
        for point in points:
            if point.label in ITEM_DASHES:  # a dash indent: AKN's <indent>, counted
                dashes += 1
                tag, pid = "indent", eids.indent(list_id, dashes)
            else:
                key = self.lang.point_key(point.label)  # Greek "στ" is "f", as in English
                num = ids.eid_num(point.num) if key == point.label else key
                tag, pid = "point", self.unique(eids.point(list_id, num))
            self.open(d + 1, tag, ("eId", pid))
            self.leaf(d + 2, "num", point.num)
            self.content_or_list(d + 2, pid, point.text, point.points)
            self.close(d + 1, tag)
        self.close(d, "list")

    def annex(self, d: int, annex: Annex, index: int, iris: FrbrUri) -> None:
        self.open(d, "attachment", ("eId", eids.attachment(index)))
        self.open(d + 1, "doc", ("name", "annex"))
        self.meta(d + 2, iris.with_component(f"annex_{index}", "xml"))
        self.open(d + 2, "preface")
        self.out.append(f'{"  " * (d + 3)}<p class="title"><docTitle>{_esc(annex.title)}'
                        "</docTitle></p>\n")
        self.close(d + 2, "preface")
        self.open(d + 2, "mainBody")
        if not annex.blocks:
            self.empty(d + 3, "p", ("class", "empty"))
        for block in annex.blocks:
            if isinstance(block, Table):
                self.table(d + 3, block)
            else:
                self.p(d + 3, block)
        self.close(d + 2, "mainBody")
        self.close(d + 1, "doc")
        self.close(d, "attachment")


def to_akn(r: Resolution) -> bytes:
    """UTF-8 Akoma Ntoso 3.0 bytes of a resolution (deterministic).

    Example:
        >>> from akn_ep.model import Resolution, Paragraph
        >>> b"<statement name=\\"resolution\\">" in to_akn(Resolution(lang="en", title="T",
        ...     formula="F", body=(Paragraph("1.", "x"),)))
        True
    """
    return _Writer(r).build().encode("utf-8")


def to_tree(r: Resolution) -> etree._Element:
    """The Akoma Ntoso tree (root ``akomaNtoso``) of a resolution.

    Example:
        >>> from akn_ep.model import Resolution, Paragraph
        >>> to_tree(Resolution(lang="en", title="T", formula="F",
        ...                    body=(Paragraph("1.", "x"),)))[0].get("name")
        'resolution'
    """
    return etree.fromstring(to_akn(r))
