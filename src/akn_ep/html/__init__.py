"""The HTML route: a page of the Parliament's website (doceo) → Resolution.

One module per step, each reading what the markup *means* (paragraphs, headings, links,
raised text, bold italics, tables), never one template's class names, so the site's
2023+ template, its older Word-to-HTML template and the next redesign read alike:

1. :mod:`.page` — bytes → a bounded lxml tree (size, truncation, depth);
2. :mod:`.blocks` — tree → blocks of text runs and data tables; page chrome and hidden
   text left out and listed;
3. :mod:`.head` — what the page says about itself: language, document number and kind,
   date;
4. :mod:`.document` — blocks → page head, the document's text, what follows it,
   footnote bodies, page footer;
5. :mod:`.lines` — the text → :class:`akn_ep.lines.Lines`, read by the one parser of
   resolutions (:func:`akn_ep.text.parser.parse`), as the text and PDF routes are;
6. :mod:`.tables` — amendments ("Present text | Amendment"), other tables and the
   report's further sections.

Example:
    >>> page = ('<html lang="en"><body><p>European Parliament resolution of 6 July 2020 '
    ...         'on X</p><p>The European Parliament,</p><p>1.<span> </span>Instructs its '
    ...         'President to forward this resolution.</p></body></html>')
    >>> r = parse_html(page)
    >>> r.lang, r.date.isoformat(), r.body[0].num
    ('en', '2020-07-06', '1.')
"""

from __future__ import annotations

import datetime as _dt

import attrs

from .. import languages
from ..akn.iri import FrbrUri, state_identity, stated_date
from ..errors import ModelError, ParseError
from ..languages.detect import detect
from ..model import Annex, Artefact, HeadLine, Resolution, iter_footnotes
from ..text import refuse_text_node_over_limit
from ..text.parse import parse
from ..warning import ParseWarning
from .blocks import walk
from .document import split
from .head import identify, page_address, page_date, page_lang
from .lines import to_lines
from .page import HtmlSource, is_html, load, read_source
from .tables import read_rest

__all__ = ["parse_html", "is_html"]


def parse_html(
    source: HtmlSource,
    *,
    lang: str | None = None,
    date: _dt.date | str | None = None,
    strict: bool = True,
    ta_number: str | None = None,
    frbr_uri: FrbrUri | str | None = None,
    title: str | None = None,
) -> Resolution:
    """Read a text adopted, a motion for a resolution or a report from its web page.

    ``source`` is the page's bytes, text, a path or a binary file. ``lang`` overrides the
    language the page declares (``<html lang>``); ``date`` supplies the date where the
    text prints none (else the date the page prints in its head is used);
    ``strict=False`` accepts numbering slips with warnings, ``ta_number`` or
    ``frbr_uri`` state the document's identity and ``title`` a title the text does not
    print, as for :func:`akn_ep.parse_text`.

    The model's ``kind`` says what the document is (``textAdopted``, ``motion``,
    ``jointMotion``, ``report``) and ``doc_number`` its number (``B9-0220/2020``); a
    report's amendments are in ``amendments``, its further sections in ``annexes``.
    What was left out (menus, language bar, procedure box, footer, hidden header tags)
    is in ``report.artefacts``.

    Raises :class:`akn_ep.errors.ParseError` for a page that is not HTML, truncated,
    too large or too deep, of a type of document not read here (minutes, debates …), or
    without a resolution's text.
    """
    data = read_source(source)
    root = load(data, "utf-8" if isinstance(source, str) else None)
    address = page_address(root)
    if address:  # a page of a type not read here says so first
        identify(address, [])
    w = walk(root)
    declared = page_lang(root)
    if lang is None:
        lang = declared
        if lang is None or lang not in languages.codes():
            text = "\n".join(b.text for b in w.blocks if b.kind != "table")
            if not text.strip():
                raise ParseError("the page has no text", expected="an HTML page of the "
                                 "Parliament with a resolution's text")
            lang = detect(text)
    table = languages.get(lang)  # LanguageError for a language without a table
    titles = [" ".join(" ".join(t.itertext()).split()) for t in root.iter("title")]
    try:
        parts = split(w.blocks, table)
    except ParseError as exc:
        if address is None and not _looks_like_ep(root):
            raise ParseError(
                "this is not a European Parliament document page: it has no address on the "
                "Parliament's site (<link rel=\"canonical\">, og:url), no paragraph reading "
                f"as a resolution's title and no formula {table.formula[0]!r}",
                expected="a page of europarl.europa.eu/doceo (a text adopted, a motion for a "
                         "resolution or a report)") from None
        raise exc from None
    head_texts = [b.text for b in parts.head if b.kind != "table"]
    chrome_before = [h.text for h in w.chrome if not parts.text or h.no <= parts.text[0].no]
    page = identify(address, titles + chrome_before + head_texts)
    warnings: list[ParseWarning] = []
    if page.lang and page.lang != lang:
        warnings.append(ParseWarning(f"the page's address is of the {page.lang!r} version, the "
                                     f"text is read as {lang!r}", None, "language"))
    artefacts: list[Artefact] = [Artefact(h.no, h.kind, h.text) for h in w.chrome]
    # a motion's or report's own head (its title line, authors, committee) is kept; a text
    # adopted prints its head in its text, and its page head is navigation
    own = _own_head(parts.head, titles) if page.kind != "textAdopted" else []
    kept = {b.no for b in own}
    artefacts += [Artefact(b.no, "page-head", _block_text(b)) for b in parts.head
                  if b.no not in kept]
    artefacts += [Artefact(b.no, "page-footer", _block_text(b)) for b in parts.foot]
    if w.symbols:
        warnings.append(ParseWarning(f"{w.symbols} Symbol-font character(s) read as what they "
                                     "print (U+F02D as '–')", None, "symbol-font"))
    lines, line_warnings = to_lines(parts.text, parts.notes)
    warnings += line_warnings
    supplied = stated_date(frbr_uri, date)
    printed = page_date(root, head_texts)
    if not lines.lines:
        raise ParseError("the page's document holds no text", expected="a resolution's text")
    r = parse(lines, lang=lang, date=supplied or printed, strict=strict, title=title)
    if r.ta_number and page.kind != "textAdopted" and not identify(address, []).number:
        # no address says what the page is, and the text prints a texts-adopted number:
        # the motion's number in the head was the procedure box's ("Texts tabled")
        warnings.append(ParseWarning(f"the page's head names {page.number}, but the text "
                                     f"prints the texts-adopted number {r.ta_number}: read as "
                                     "a text adopted", None, "document-kind"))
        page = page._replace(kind="textAdopted", number=None)
    rest = read_rest(parts.rest, parts.notes,
                     [r.annexes[-1].title, list(r.annexes[-1].blocks)] if r.annexes else None,
                     {note.marker for note in iter_footnotes(r)})
    warnings += rest.warnings
    artefacts += rest.artefacts
    fields: dict = {"kind": page.kind, "doc_number": page.number,
                    "amendments": tuple(rest.amendments),
                    "trailing": tuple(r.trailing) + tuple(rest.trailing)}
    if rest.sections:  # the text's last annex may go on after a table
        fields["annexes"] = tuple(r.annexes[:-1] if r.annexes else ()) + tuple(
            Annex(title, tuple(blocks)) for title, blocks in rest.sections)
    if supplied is None and printed is not None and r.date_source == "supplied":
        fields["date_source"] = "printed"  # the page prints it, in its head
    if own:
        fields["heading"] = r.heading or own[0].text
        fields["head_lines"] = tuple(HeadLine("other", b.text)
                                     for b in own[0 if r.heading else 1:]) + r.head_lines
    fields["report"] = attrs.evolve(
        r.report,
        artefacts=tuple(sorted(r.report.artefacts + tuple(artefacts), key=lambda a: a.line)),
        warnings=r.report.warnings + tuple(warnings),
        source_lines=max((b.no for b in w.blocks), default=0))
    try:
        r = attrs.evolve(r, **fields)
    except ModelError as exc:
        raise ParseError(f"the page does not form a consistent document: {exc}") from exc
    refuse_text_node_over_limit(r)  # what is returned is written valid, as on the other routes
    return state_identity(r, ta_number=ta_number, frbr_uri=frbr_uri)


def _own_head(head: list, titles: list[str]) -> list:
    """The document's own head in the page head: from the page's title line (an ``h1``, or
    the paragraph the page's ``<title>`` opens with) through the paragraphs after it, up to
    the first that is only a link (download formats) or a table (the procedure box)."""
    folded = [" ".join(t.split()).casefold() for t in titles if t.strip()]
    start = next((i for i, b in enumerate(head) if b.kind == "heading" and b.el is not None
                  and b.el.tag == "h1"), None)
    if start is None:
        start = next((i for i, b in enumerate(head) if b.kind == "text" and len(b.text) >= 6
                      and any(t.startswith(b.text.casefold()) for t in folded)), None)
    if start is None:
        return []
    out = []
    for b in head[start:]:
        if b.kind == "table" or all(r.href or not r.text.strip() for r in b.runs):
            break
        out.append(b)
    return out


def _block_text(b) -> str:
    if b.kind == "table":
        return " | ".join(" ".join(c for c in row if c) for row in b.cells_text())
    return b.text


def _looks_like_ep(root) -> bool:
    """Does the page say it is the Parliament's (its title, meta tags or chrome)?"""
    for el in root.iter("title", "meta"):
        text = "".join(el.itertext()) if el.tag == "title" else el.get("content") or ""
        if "European Parliament" in text or "europarl" in text.lower():
            return True
    return False
