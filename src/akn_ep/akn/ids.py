"""Identifiers derived from a resolution: the CELEX number and eIds (OASIS Akoma Ntoso
Naming Convention §5). FRBR IRIs are :mod:`akn_ep.akn.iri`'s (``work_number`` and
``frbr_iris`` are re-exported here for older imports).

Example:
    >>> from akn_ep.model import Resolution
    >>> celex(Resolution(lang="lv", title="T", formula="F", ta_number="P7_TA(2012)0089"))
    '52012IP0089'
"""

from __future__ import annotations

import re

from ..model import PROCEDURE_RE, TA_NUMBER_RE, Resolution
from .iri import DOC_NAMES, doc_name, frbr_iris, work_number

__all__ = ["frbr_iris", "work_number", "celex", "is_legislative", "eid_num",
           "doc_name", "DOC_NAMES"]

#: Procedure types whose resolutions the EP files as legislative (CELEX "AP").
LEGISLATIVE_TYPES = frozenset({"COD", "CNS", "APP", "NLE", "SYN", "AVC", "COS", "ACI"})


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
