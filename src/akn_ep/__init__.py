"""akn-ep: European Parliament resolutions → Akoma Ntoso 3.0, validated, and back.

The pipeline reads top to bottom, one module per stage::

    bytes/str ─decode─▶ text ─normalise─▶ Lines ─parse─▶ Resolution ─to_akn─▶ bytes
    bytes ─from_akn─▶ Resolution ─to_text─▶ str        bytes ─validate─▶ [Issue]

Example:
    >>> import akn_ep
    >>> r = akn_ep.parse_text("Resolution on X\\nThe European Parliament,\\n"
    ...                       "1. Instructs its President to forward this resolution.\\n",
    ...                       lang="en")
    >>> akn_ep.validate(akn_ep.to_akn(r))
    []
    >>> akn_ep.from_akn(akn_ep.to_akn(r)) == r
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .akn.iri import FrbrUri
from .akn.reader import from_akn
from .akn.validate import Issue, validate
from .akn.writer import to_akn
from .align import Alignment, align
from .errors import (
    AknEpError,
    AknReadError,
    DependencyError,
    InvalidDocumentError,
    LanguageError,
    ModelError,
    ParseError,
)
from .html import parse_html
from .model import (
    Annex,
    Citation,
    FootnoteRef,
    Heading,
    HeadLine,
    Paragraph,
    ParseReport,
    Point,
    Recital,
    Resolution,
)
from .pdf import parse_pdf
from .render import to_text
from .text import parse_text

#: The one home of the version: pyproject.toml reads it from here (setuptools' dynamic
#: ``version``), batch records and ``akn-ep --version`` print it.
__version__ = "0.1.0"

if TYPE_CHECKING:  # imported on first use (below); named here so type checkers see them
    from .batch import convert_many
    from .repository.publish import publish


def __getattr__(name: str) -> Any:
    # convert_many lives in akn_ep.batch, imported on first use: it brings multiprocessing,
    # sqlite3 and the archive modules, which plain conversions do not need.
    if name == "convert_many":
        from . import batch

        return batch.convert_many
    if name == "publish":  # akn_ep.repository: BaseX client (the basex extra), on first use
        from . import repository

        return repository.publish
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "align",
    "Alignment",
    "parse_text",
    "parse_pdf",
    "parse_html",
    "to_akn",
    "from_akn",
    "validate",
    "to_text",
    "convert_many",
    "publish",
    "Issue",
    "FrbrUri",
    "Resolution",
    "Citation",
    "Recital",
    "Paragraph",
    "Point",
    "Heading",
    "Annex",
    "HeadLine",
    "FootnoteRef",
    "ParseReport",
    "AknEpError",
    "ParseError",
    "ModelError",
    "AknReadError",
    "LanguageError",
    "InvalidDocumentError",
    "DependencyError",
]
