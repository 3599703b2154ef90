"""Step 3 of the HTML route: what the page says about itself.

The language (``<html lang>``, ``xml:lang``, ``<meta name="language">``), the document's
identity and kind, and its date. The identity comes first from the page's own address
(``<link rel="canonical">`` or ``og:url``: ``…/doceo/document/B-9-2020-0220_EN.html``),
else from the first document number printed in the page head (``RC-B10-0249/2025``,
``B9‑0220/2020``, ``A9-0163/2024``, ``P9_TA(2021)0437``); the kind follows from the
number's series, never from a template's wording:

=========  ====================  ==============================
series     kind                  document number as printed
=========  ====================  ==============================
``TA``     text adopted          ``P9_TA(2021)0437``
``B``      motion                ``B9-0220/2020``
``RC``     joint motion          ``RC-B10-0249/2025``
``A``      report                ``A9-0163/2024``
=========  ====================  ==============================

Other series of the site (minutes ``PV``, debates ``CRE``, questions ``O``/``E``,
agendas ``OJ`` …) are pages we do not read: :func:`identify` says so with a ``ParseError``.

Example:
    >>> identify("https://www.europarl.europa.eu/doceo/document/RC-10-2025-0249_EN.html", [])
    PageId(kind='jointMotion', number='RC-B10-0249/2025', ta_number=None, lang='en')
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import NamedTuple

from lxml import etree

from ..errors import ParseError

__all__ = ["PageId", "identify", "page_lang", "page_address", "page_date"]

#: A doceo document id in a page address: series, term, year, number, language.
_DOCEO = re.compile(r"/doceo/document/([A-Z]{1,4})-(\d{1,2})-(\d{4})-([0-9A-Z-]+?)"
                    r"_([A-Za-z]{2})\.html?", re.I)
#: A document number printed in a page (U+2011 and U+2010 are hyphens here).
_NUMBER = re.compile(r"\b(RC-B|[ABC])(\d{1,2})-(\d{4})/(\d{4})\b")
_TA = re.compile(r"\bP(\d{1,2})_TA(?:-PROV)?\((\d{4})\)(\d{4})\b")
_HYPHENS = str.maketrans({"\u2011": "-", "\u2010": "-"})
#: Series we read and what they are.
KINDS = {"TA": "textAdopted", "B": "motion", "RC": "jointMotion", "A": "report"}
#: Series of the site we know and do not read, for the error message.
OTHER_SERIES = {
    "PV": "minutes", "CRE": "verbatim report of proceedings", "OJ": "agenda",
    "O": "question for oral answer", "E": "written question", "P": "written question",
    "H": "question time", "C": "Council or Commission document", "AM": "amendments",
    "PA": "draft report", "AD": "opinion", "PR": "draft report", "RE": "document",
}
_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])")
_AVAILABLE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")


class PageId(NamedTuple):
    """The document a page holds: its kind, its number as printed, a TA number, language."""

    kind: str
    number: str | None
    ta_number: str | None
    lang: str | None


def page_lang(root: etree._Element) -> str | None:
    """The language the page declares: ``<html lang>``, ``xml:lang``, or its meta tags."""
    for value in (root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"),
                  root.get("xml:lang")):
        if value and value.strip():
            return value.strip().split("-")[0].lower()
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("http-equiv") or "").lower()
        if name in ("language", "content-language") and meta.get("content"):
            return meta.get("content", "").strip().split("-")[0].lower()
    return None


def page_address(root: etree._Element) -> str | None:
    """The page's own address: ``<link rel="canonical">`` or ``<meta property="og:url">``."""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href")
    for meta in root.iter("meta"):
        if (meta.get("property") or "").lower() == "og:url" and meta.get("content"):
            return meta.get("content")
    return None


def page_date(root: etree._Element, head_texts: list[str]) -> _dt.date | None:
    """The document's date as the page prints it in its head ("7.5.2025"), else the
    page's ``<meta name="available" content="07-05-2025">``."""
    for text in head_texts:
        m = _DATE.search(text)
        if m:
            try:
                return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "available":
            m = _AVAILABLE.match((meta.get("content") or "").strip())
            if m:
                try:
                    return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                except ValueError:
                    return None
    return None


def identify(address: str | None, head_texts: list[str]) -> PageId:
    """The document a page holds, from its address, else from the numbers in its head.

    Raises ``ParseError`` for a page of a series we do not read (minutes, debates …).

    Example:
        >>> identify(None, ["Joint motion for a resolution - RC\u2011B10\u20110249/2025"]).number
        'RC-B10-0249/2025'
    """
    if address:
        m = _DOCEO.search(address)
        if m:
            series, term, year, num, lang = m.groups()
            series = series.upper()
            if series not in KINDS:
                what = OTHER_SERIES.get(series, "a document of another kind")
                raise ParseError(
                    f"the page is the Parliament's {series}-{term}-{year}-{num} ({what}), a "
                    "type of document not read here", expected="a text adopted (TA-…), a "
                    "motion for a resolution (B-…, RC-…) or a report (A-…)")
            num = num[:4]
            if series == "TA":
                return PageId("textAdopted", None, f"P{term}_TA({year}){num}", lang.lower())
            prefix = "RC-B" if series == "RC" else series
            return PageId(KINDS[series], f"{prefix}{term}-{num}/{year}", None, lang.lower())
    for text in head_texts:
        text = text.translate(_HYPHENS)
        m = _NUMBER.search(text)
        if m:
            series = "RC" if m.group(1) == "RC-B" else m.group(1)
            if series == "C":
                continue
            return PageId(KINDS[series], m.group(0), None, None)
        m = _TA.search(text)
        if m:
            return PageId("textAdopted", None, m.group(0), None)
    return PageId("textAdopted", None, None, None)
