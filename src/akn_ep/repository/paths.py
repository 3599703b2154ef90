"""Where a document lives in the database: its path (the batch folder's), the path of its
hash record, the database name and the publish root checked.

Example:
    >>> db_path("/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml")
    'akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml'
"""  # noqa: E501

from __future__ import annotations

import re

from ..batch import iri_to_path

#: The publish root: ``--prune`` only ever deletes documents under this database path,
#: the part of the Akoma Ntoso IRI space where EP resolutions live.
DEFAULT_ROOT = "akn/eu/statement/resolution/ep"

#: Where the hash record of the document at ``P`` lives: ``META_ROOT + "/" + P``.
META_ROOT = ".akn-ep/sha256"

_DB_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+=~@-]{0,127}$")


def db_path(iri: str) -> str:
    """The database path of a manifestation IRI: the same path as in the batch folder.

    Raises :class:`ValueError` for anything but an absolute ``/akn/`` manifestation IRI.

    Example:
        >>> db_path("/akn/eu/statement/resolution/ep/1995-01-01/ref-B4-0232-95/ita@1995-01-01/!main.xml")
        'akn/eu/statement/resolution/ep/1995-01-01/ref-B4-0232-95/ita@1995-01-01/main.xml'
    """  # noqa: E501
    return str(iri_to_path(iri))


def meta_path(path: str) -> str:
    return f"{META_ROOT}/{path}"


def check_db_name(db: str) -> str:
    if not isinstance(db, str) or not _DB_NAME.match(db):
        raise ValueError(f"not a BaseX database name: {db!r} (letters, digits, _ - . + = ~ @; "
                         "at most 128 characters)")
    return db


def norm_root(root: str) -> str:
    parts = [p for p in root.strip().split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"not a database folder: {root!r}")
    return "/".join(parts)
