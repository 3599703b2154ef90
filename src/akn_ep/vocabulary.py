"""Shared vocabularies: each fact every stage needs, written once.

- :data:`ITEM_DASHES`: the characters that print a citation's dash or an indent's
  marker, and :data:`DASH_CLASS`, the same set as a regular-expression class;
- :data:`TA_NUMBER`: the pattern of a texts-adopted number ("P7_TA(2012)0089",
  "P9_TA-PROV(2021)0123"), its groups the term, the year and the number;
- :data:`PRE_TITLE_ROLES`: the head-line roles printed before the title.

Example:
    >>> import re
    >>> "\\uf02d" in ITEM_DASHES, bool(re.fullmatch(TA_NUMBER, "P9_TA-PROV(2021)0123"))
    (True, True)
"""

from __future__ import annotations

import re

__all__ = ["ITEM_DASHES", "DASH_CLASS", "TA_NUMBER", "PRE_TITLE_ROLES"]

#: The characters that mark a citation or an indent ("– having regard to …"): the en
#: dash the Parliament prints (U+2013), the em dash (U+2014), the figure dash (U+2012),
#: the hyphen-minus and the minus sign (U+2212) that extraction and copying turn it
#: into, the bullet (U+2022), and the Symbol font's dash and bullet glyphs as the
#: Parliament's older web pages and Word exports carry them, in the private-use area
#: where Symbol's code c is U+F000 + c (Adobe's Symbol encoding: 0x2D minus, 0xB7
#: bullet, 0xBE arrowhorizex, a horizontal rule, 0xD7 dotmath, a small bullet).
ITEM_DASHES = frozenset("–—‒-−•\uf02d\uf0b7\uf0be\uf0d7")
#: :data:`ITEM_DASHES` as a regular-expression class
DASH_CLASS = "[" + "".join(re.escape(c) for c in sorted(ITEM_DASHES)) + "]"

#: A texts-adopted number: groups term, year, number
TA_NUMBER = r"P(\d{1,2})_TA(?:-PROV)?\((\d{4})\)(\d{4})"

#: Head-line roles printed before the title (the stars of a procedure, the document
#: references); the others follow it
PRE_TITLE_ROLES = ("stars", "documentRefs")
