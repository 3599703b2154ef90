"""The Akoma Ntoso names the writer writes and the reader and validator read, written once.

Example:
    >>> AKN_NS, DATE_NAMES["supplied"]
    ('http://docs.oasis-open.org/legaldocml/ns/akn/3.0', 'adoptionSupplied')
"""

from __future__ import annotations

__all__ = ["AKN_NS", "DATE_NAMES", "EP_HREF", "TOOL_HREF", "CLASS_GENERATED"]

#: The Akoma Ntoso 3.0 namespace (OASIS LegalDocML)
AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

#: FRBRdate/@name for each way the adoption date was obtained.
DATE_NAMES = {"printed": "adoption", "supplied": "adoptionSupplied", "fallback": "adoptionFallback"}
#: The Parliament and this tool, as TLC references
EP_HREF = "/akn/ontology/organization/eu/europeanParliament"
TOOL_HREF = "/akn/ontology/organization/akn-ep"
#: @class of the elements the writer generates (not text of the source)
CLASS_GENERATED = "generated"
