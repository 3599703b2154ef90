# ruff: noqa: E501 -- pages in the real markup keep their lines as the site writes them
"""CONSTRUCTED web pages of the Parliament's site, in its two templates, for tests.

No EP page is copied here: a page is *built* from a resolution model (read by the text
route from a corpus text in ../shared, or written in a test), in the markup the site
uses, as described in issue #15 and seen in real pages kept by scrapers
(HowTheyVote/howtheyvote keeps a 2020 page of the older template,
``scrapers/tests/data/b-9-2020-0220-en.html``, and the two 2023+ pages in ../shared):

- :func:`old_template` (until about 2022): layout tables, a language bar, Word-to-HTML
  inline styles and no classes on the text, the page's header tags as hidden text
  (``<span style="display:none">&lt;Date&gt;</span>``, ``{06/07/2020}``, ``<NoDocSe>``,
  ``<TitreType>``, ``<Titre>``, ``<DocRef>``), citation dashes as U+F02D in a
  ``font-family:Symbol`` span (the last citation with a plain "–", as some items have),
  marker and text apart by a no-break space in an inline-block span, footnote calls as
  raised ``[1]`` links to notes listed after the text (``div id="_ftn1"``), a
  "Last updated" footer table;
- :func:`new_template` (2023+): Bootstrap classes, ``header``/``nav`` chrome, an ``h1``
  with the page's title, a procedure box, the text's paragraphs with classes and inline
  styles, footnote calls as raised ``(1)`` links, a "Last updated" footer.
"""

from __future__ import annotations

from html import escape

from akn_ep.model import FootnoteRef, Heading, Paragraph, Point, Resolution
from akn_ep.render import PRE_TITLE_ROLES

_HIDE = "font-family:Arial; font-size:10pt; color:#000080; display:none"
_P_ITEM = ("margin-top:0pt; margin-left:28.35pt; margin-bottom:12pt; text-indent:-28.35pt; "
           "widows:0; orphans:0; font-size:12pt")
_TNR = "font-family:'Times New Roman'"


class _Notes:
    def __init__(self, style: str) -> None:
        self.style = style
        self.bodies: list[FootnoteRef] = []

    def inline(self, text) -> str:
        out = []
        for part in text or ():
            if isinstance(part, FootnoteRef):
                self.bodies.append(part)
                n = len(self.bodies)
                shown = f"[{n}]" if self.style == "old" else f"({n})"
                out.append(f'<a href="#_ftnref{n}_content" name="_ftnref{n}"></a>'
                           f'<a href="#_ftn{n}" style="text-decoration:none"><span style="'
                           f'{_TNR}; font-size:8pt; vertical-align:super">{shown}</span></a>')
            else:
                out.append(f'<span style="{_TNR}">{escape(part)}</span>')
        return "".join(out)


def _item(marker: str, text: str, *, symbol: bool = False, width: str = "22.35pt",
          cls: str = "") -> str:
    mark = ('<span style="font-family:Symbol">\uf02d</span>' if symbol
            else f'<span style="{_TNR}"{cls}>{escape(marker)}</span>')
    return (f'<p style="{_P_ITEM}"{cls}>{mark}<span style="width:{width}; text-indent:0pt; '
            f'display:inline-block"{cls}>\u00a0</span>{text}</p>\n')


def _points(points: tuple[Point, ...], notes: _Notes, cls: str) -> list[str]:
    out = []
    for p in points:
        out.append(_item(p.num, notes.inline(p.text), cls=cls))
        out.extend(_points(p.points, notes, cls))
    return out


def _body(r: Resolution, notes: _Notes, old: bool, cls: str) -> list[str]:
    """The document's text: head lines, title, formula, items, annexes, trailing text."""
    out = []
    head = list(r.head_lines)
    plain = f' style="margin-top:0pt; margin-bottom:0pt; font-size:12pt"{cls}'
    if r.heading:
        heading = r.heading
        if head and head[0].role == "stars":
            heading = f"{heading} {head.pop(0).text}"
        out.append(f'<p{plain}><span style="{_TNR}; font-weight:bold">{escape(heading)}'
                   '</span></p>\n')
    for h in head:
        if h.role in PRE_TITLE_ROLES:
            out.append(f"<p{plain}>{escape(h.text)}</p>\n")
    if r.ta_number:
        out.append(f"<p{plain}>{escape(r.ta_number)}</p>\n")
    out.append(f'<p{plain}><span style="{_TNR}; font-weight:bold">{escape(r.title)}</span></p>\n')
    for h in head:
        if h.role not in PRE_TITLE_ROLES:
            out.append(f"<p{plain}>{escape(h.text)}</p>\n")
    out.append(f'<p style="margin-top:24pt; margin-bottom:12pt"{cls}><span style="{_TNR}; '
               f'font-style:italic">{escape(r.formula.rstrip(","))}</span>'
               f'<span style="{_TNR}">{"," if r.formula.endswith(",") else ""}</span></p>\n')
    for i, c in enumerate(r.citations):
        # the older template writes most dashes in the Symbol font, the last one as "–"
        symbol = old and i < len(r.citations) - 1
        out.append(_item("–", notes.inline(c.text), symbol=symbol, cls=cls))
    for rec in r.recitals:
        out.append(_item(rec.num, notes.inline(rec.text), width="16.68pt", cls=cls))
    for item in r.body:
        paras = item.paragraphs if isinstance(item, Heading) else (item,)
        if isinstance(item, Heading):
            text = f"{item.num} {item.text}" if item.num else item.text
            out.append(f'<p style="margin-top:12pt; margin-bottom:12pt"{cls}><span style="'
                       f'{_TNR}; font-weight:bold">{escape(text)}</span></p>\n')
        for para in paras:
            assert isinstance(para, Paragraph)
            out.append(_item(para.num, notes.inline(para.text), width="19.35pt", cls=cls))
            out.extend(_points(para.points, notes, cls))
    for block in r.trailing:
        out.append(f"<p{plain}>{notes.inline(block)}</p>\n")
    for annex in r.annexes:
        out.append(f'<p style="text-align:center"{cls}><span style="{_TNR}; '
                   f'font-weight:bold">{escape(annex.title)}</span></p>\n')
        for block in annex.blocks:
            out.append(f"<p{plain}>{notes.inline(block)}</p>\n")
    return out


def _notes_html(notes: _Notes, shown: str) -> str:
    out = []
    for n, note in enumerate(notes.bodies, 1):
        mark = shown.format(n=n)
        out.append(f'<div id="_ftn{n}"><p style="margin-top:0pt"><a href="#_ftnref{n}" '
                   f'name="_ftnref{n}_content"><span style="{_TNR}; font-size:6.67pt; '
                   f'vertical-align:super">{mark}</span></a><span> </span><span style="{_TNR}">'
                   f"{escape(note.text)}</span></p></div>\n")
    return "".join(out)


_LANGS = ("bg", "es", "cs", "da", "de", "et", "el", "en", "fr", "ga", "hr", "it", "lv", "lt",
          "hu", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "fi", "sv")


def old_template(r: Resolution, *, doc_id: str, page_title: str, number: str,
                 dmy: tuple[int, int, int]) -> str:
    """A CONSTRUCTED page of the older template (see the module docstring)."""
    d, m, y = dmy
    lang = r.lang
    notes = _Notes("old")
    body = "".join(_body(r, notes, True, ""))
    bar = "".join(f'<li><a class="{c} on" href="/doceo/document/{doc_id}_{c.upper()}.html">'
                  f"{c} - {c}</a></li>" for c in _LANGS if c != lang)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{lang}" lang="{lang}"><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>{escape(page_title)}</title><meta name="available" content="{d:02d}-{m:02d}-{y}" />
<link rel="canonical" href="https://www.europarl.europa.eu/doceo/document/{doc_id}_{lang.upper()}.html" />
<script type="text/javascript">var x = "The European Parliament,";</script></head>
<body bgcolor="#FFFFFF"><table cellpadding="0" cellspacing="0" border="0" width="100%"><tr><td>
<div id="header_sides" class="new"><a href="/portal/{lang}"><img alt="Europarl" src="/logo.png" /></a>
<ul class="language_select">{bar}</ul></div></td></tr><tr><td style="padding:10px;">
<table width="100%" border="0"><tr><td align="left"><span class="contents">Procedure : </span>
<a href="#">{escape(r.procedure or "")}</a></td><td align="right"><table><tr><td>Document stages in plenary</td></tr></table></td></tr></table>
<table width="100%" class="doc_box_header"><tr><td>
<table width="100%"><tr><td valign="top" class="doc_title"><span style="{_HIDE}">&lt;Date&gt;</span><span style="{_HIDE}">{{{d:02d}/{m:02d}/{y}}}</span><span>{d}.{m}.{y}</span><span style="{_HIDE}">&lt;/Date&gt;</span></td>
<td valign="top" align="right"><table><tr><td class="numPEA_doc"><span style="{_HIDE}">&lt;NoDocSe&gt;</span><span style="font-weight:bold">{escape(number)}</span><span style="{_HIDE}">&lt;/NoDocSe&gt;</span></td>
<td><a href="/doceo/document/{doc_id}_{lang.upper()}.pdf"><img src="/pdf.gif" alt="PDF" /></a><span class="doc_size"> 159k</span></td></tr></table></td></tr></table>
<p class="title_TA"><span style="{_HIDE}">&lt;TitreType&gt;</span><span>{escape(page_title)}</span><span style="{_HIDE}">&lt;/TitreType&gt;</span></p>
<p class="doc_subtitle_level1"><span style="{_HIDE}">&lt;DocRef&gt;</span><span>({escape(r.procedure or "")})</span><span style="{_HIDE}">&lt;/DocRef&gt;</span></p>
</td></tr></table><br />
<table width="100%" border="0" cellpadding="5" cellspacing="0" class="doc_box_header">
<tr class="contents" valign="top"><td colspan="2"><div class="red:section_MainContent">
{body}</div><img src="/doceo/data/img/hr.gif" width="180" height="1" alt="" />{_notes_html(notes, "[{n}]")}</td></tr>
</table><table width="100%" border="0" cellspacing="0" cellpadding="5"><tr class="footerdocwin"><td>Last updated: {d} July {y}</td><td align="right"><a target="_blank" href="/privacy-policy/{lang}">Legal notice - Privacy policy</a></td></tr></table></td></tr></table></body></html>
"""


def new_template(r: Resolution, *, doc_id: str, page_title: str, number: str,
                 dmy: tuple[int, int, int]) -> str:
    """A CONSTRUCTED page of the 2023+ template (see the module docstring)."""
    d, m, y = dmy
    lang = r.lang
    notes = _Notes("new")
    cls = ' class="doceo-font-size-base doceo-line-height-base"'
    body = "".join(_body(r, notes, False, cls))
    bar = "".join(f'<li class="t-x-block"><a class="es_dropdown-item" href="/doceo/document/'
                  f'{doc_id}_{c.upper()}.html"><span class="t-item">{c.upper()}</span></a></li>'
                  for c in _LANGS)
    return f"""<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}"><head><meta charset="utf-8" />
<title>{escape(page_title)} | {escape(number)} | European Parliament</title>
<meta name="available" content="{d:02d}-{m:02d}-{y}" />
<link rel="canonical" href="https://www.europarl.europa.eu/doceo/document/{doc_id}_{lang.upper()}.html" /></head>
<body><header class="es_header"><nav class="es_wai-access"><ul><li><a href="#website-body"><span>Access to page content</span></a></li></ul></nav>
<div class="es_header-language-selector"><button class="es_dropdown-btn"><span>{lang.upper()}</span></button><div class="dropdown-menu"><ul>{bar}</ul></div></div>
<div class="es_header-website-title-main"><span>{escape(page_title)}</span><span> - {escape(number)}</span></div></header>
<main id="website-body"><div class="container"><div class="breadcrumb"></div></div><div class="container-fluid"><div class="mb-3"><h1 class="es_title-h1 text-break">{escape(page_title)}</h1>
<p class="m-lg-0"><span class="text-muted">{d}.{m}.{y}</span> - (<a href="#">{escape(r.procedure or "")}</a>)</p></div>
<div class="doceo-ring card mb-3"><div class="card-header bg-white"><div>Procedure : <a href="#">{escape(r.procedure or "")}</a></div></div>
<div class="card-body"><span class="mt-1">Document selected : </span><div class="mt-1">{escape(number)}</div></div></div>
<div>
{body}</div><div>{_notes_html(notes, "({n})")}</div></div>
<div class="container-fluid"><div class="separator separator-dotted my-2"></div><div class="d-block small mb-3"><span class="text-muted">Last updated: {d} May {y}</span><div><span><a href="https://www.europarl.europa.eu/legal-notice/{lang}">Legal notice</a><a href="https://www.europarl.europa.eu/privacy-policy/{lang}">Privacy policy</a></span></div></div></div></main>
<script src="/doceo/data/js/x.js"></script></body></html>
"""
