"""Identifiers: FRBR IRIs and eIds per the OASIS Akoma Ntoso Naming Convention.

Computed here and nowhere else, so writer, reader and validator agree. IRIs are
first-class values (:class:`FrbrIris`), built from the model alone: the same
resolution always gets the same IRIs, and its language versions share the work
IRI.

Work number (the last component of the work IRI), first that applies:

1. texts-adopted number ``P7_TA(2012)0089`` → ``TA-7-2012-0089`` (the EP's own
   document id; ``P9_TA-PROV(2021)0123`` gives ``TA-9-2021-0123``, the same work);
2. procedure reference ``2012/2553(RSP)`` → ``proc-2012-2553-RSP``;
3. first document reference of old texts ``B4-0232, 0235 … /95`` → ``ref-B4-0232-95``;
4. otherwise ``title-`` and 12 hex digits of the SHA-256 of the folded title.

Each fallback is stable (derived from the text only) and names its origin.

Example:
    >>> from akn_ep.model import Resolution
    >>> r = Resolution(lang="lv", title="T", formula="F", date="2012-03-15",
    ...                ta_number="P7_TA(2012)0089")
    >>> frbr_iris(r).manifestation
    '/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml'
"""

from __future__ import annotations

import hashlib
import re

import attrs

from .. import languages
from ..model import PROCEDURE_RE, TA_NUMBER_RE, Resolution

__all__ = ["FrbrIris", "frbr_iris", "work_number", "celex", "is_legislative", "eid_num",
           "FALLBACK_DATE_NOTE"]

_REF = re.compile(r"([A-Z]{1,2}\d)-(\d{3,4})\b.*?/(\d{2,4})\s*$")

#: Procedure types whose resolutions the EP files as legislative (CELEX "AP").
LEGISLATIVE_TYPES = frozenset({"COD", "CNS", "APP", "NLE", "SYN", "AVC", "COS", "ACI"})

FALLBACK_DATE_NOTE = (
    "no adoption date printed or supplied: using 1 January of the year the text prints"
)


@attrs.frozen
class FrbrIris:
    """The three FRBR levels of one resolution document.

    Example:
        >>> FrbrIris("/akn/eu/x", "/akn/eu/x/eng@2012-01-01").manifestation
        '/akn/eu/x/eng@2012-01-01/!main.xml'
    """

    work: str
    expression: str

    @property
    def manifestation(self) -> str:
        """The XML file of the expression's main component."""
        return f"{self.expression}/!main.xml"


def work_number(r: Resolution) -> str:
    """The number component of the work IRI (see the module docstring).

    Example:
        >>> from akn_ep.model import Resolution
        >>> work_number(Resolution(lang="en", title="T", formula="F", procedure="2012/2553(RSP)"))
        'proc-2012-2553-RSP'
    """
    if r.ta_number:
        m = TA_NUMBER_RE.match(r.ta_number)
        if m:
            return f"TA-{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if r.procedure:
        m = PROCEDURE_RE.match(r.procedure)
        if m:
            return f"proc-{m.group(1)}-{m.group(2)}-{m.group(3)}"
    for ref in r.doc_refs:
        m = _REF.search(ref)
        if m:
            return f"ref-{m.group(1)}-{m.group(2)}-{m.group(3)}"
        token = re.sub(r"[^A-Za-z0-9]+", "-", ref).strip("-")
        if token:
            return f"ref-{token}"
    digest = hashlib.sha256(languages.fold(r.title).encode("utf-8")).hexdigest()[:12]
    return f"title-{digest}"


def frbr_iris(r: Resolution) -> FrbrIris:
    """Work and expression IRIs of a resolution.

    Example:
        >>> from akn_ep.model import Resolution
        >>> frbr_iris(Resolution(lang="en", title="T", formula="F", date="2012-03-15",
        ...                      ta_number="P7_TA(2012)0089")).expression
        '/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/eng@2012-03-15'
    """
    date = r.date.isoformat() if r.date else "0001-01-01"
    work = f"/akn/eu/statement/resolution/ep/{date}/{work_number(r)}"
    lang3 = languages.get(r.lang).iso639_2t
    return FrbrIris(work=work, expression=f"{work}/{lang3}@{date}")


def is_legislative(r: Resolution) -> bool:
    """Whether the resolution belongs to a legislative procedure (COD, CNS, APP, NLE …).

    Example:
        >>> from akn_ep.model import Resolution
        >>> is_legislative(Resolution(lang="en", title="T", formula="F",
        ...                           procedure="2019/0162(CNS)"))
        True
    """
    if not r.procedure:
        return False
    m = PROCEDURE_RE.match(r.procedure)
    return bool(m and m.group(3) in LEGISLATIVE_TYPES)


def celex(r: Resolution) -> str | None:
    """The CELEX number that follows from the texts-adopted number, if any.

    Sector 5, type ``IP`` for non-legislative and ``AP`` for legislative
    resolutions, number = TA number: P7_TA(2012)0089 → 52012IP0089.

    Example:
        >>> from akn_ep.model import Resolution
        >>> celex(Resolution(lang="en", title="T", formula="F", ta_number="P7_TA(2012)0089"))
        '52012IP0089'
    """
    if not r.ta_number:
        return None
    m = TA_NUMBER_RE.match(r.ta_number)
    if not m:
        return None
    kind = "AP" if is_legislative(r) else "IP"
    return f"5{m.group(2)}{kind}{m.group(3)}"


_NUM_STRIP = re.compile(r"[\s.()\[\]]+")
_NOT_EID = re.compile(r"[^\w-]")


def eid_num(num: str) -> str:
    """An item's printed number as an eId number: final punctuation and brackets stripped.

    Example:
        >>> eid_num("(a)"), eid_num("12."), eid_num("iv)")
        ('a', '12', 'iv')
    """
    if num[-1:] == "." and num[:-1].isdigit() and num.isascii():  # "12.": the common case
        return num[:-1]
    token = _NUM_STRIP.sub("", num)
    token = _NOT_EID.sub("", token)
    return token or "x"
