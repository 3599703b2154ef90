"""What happened to each document: :class:`PublishRecord` and its :data:`STATUSES`.
"""

from __future__ import annotations

from typing import Any

import attrs

#: Every status a :class:`PublishRecord` can have.
STATUSES = ("stored", "replaced", "unchanged", "skipped-invalid", "error", "deleted")


@attrs.frozen
class PublishRecord:
    """What happened to one document (or, with ``prune``, one deletion).

    ``status`` is one of :data:`STATUSES`: ``stored`` (new in the database),
    ``replaced`` (an older version was replaced), ``unchanged`` (already there, same
    content: not sent), ``skipped-invalid`` (not valid: not sent; ``reason`` gives the
    first issues), ``error`` (not stored: ``reason`` says why), ``deleted`` (removed by
    ``prune``). ``source`` is the file (empty for a deletion), ``db_path`` the path in
    the database, ``iri`` the manifestation IRI, ``sha256`` of the file's bytes.

    Example:
        >>> PublishRecord("a.xml", "akn/x/main.xml", "/akn/x/!main.xml", "stored").as_dict()
        ... # doctest: +NORMALIZE_WHITESPACE
        {'type': 'document', 'source': 'a.xml', 'db_path': 'akn/x/main.xml',
         'iri': '/akn/x/!main.xml', 'status': 'stored', 'reason': None, 'sha256': None}
    """

    source: str
    db_path: str | None
    iri: str | None
    status: str
    reason: str | None = None
    sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict (``type`` first, like a batch report line)."""
        return {"type": "document", **attrs.asdict(self)}

    def __str__(self) -> str:
        """``status db_path``, then ``<- source: reason`` when there is something to say."""
        if not self.reason:
            return f"{self.status} {self.db_path or self.source}"
        src = f" <- {self.source}" if self.source else ""
        return f"{self.status} {self.db_path or '-'}{src}: {self.reason}"
