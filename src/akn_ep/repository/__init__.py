"""Publish Akoma Ntoso documents into a BaseX XML database (``akn-ep publish``).

`BaseX <https://basex.org>`_ is the XML database a user installs from Debian
(``apt-get install basex``: BaseX 9.7.2, ``basexserver`` on a loopback port);
we drive it with its official Python client (``BaseXClient`` on PyPI). See
``docs/repository.md`` for the whole story and the queries; in short:

- **Where**: each document is stored at the path of its manifestation IRI, read
  from the document's own ``FRBRManifestation/FRBRthis`` and mapped exactly as
  ``akn-ep batch`` lays out its folder (:func:`akn_ep.batch.iri_to_path`), so
  ``akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/`` holds every
  language version of one work, in the folder and in the database alike.
- **What**: only valid documents (official OASIS schema + EP profile,
  :func:`akn_ep.validate`); an invalid one is reported and skipped.
- **Idempotent**: beside each document the database keeps a small record of
  the SHA-256 of the file it came from (``.akn-ep/sha256/<path>``). A document
  and its record are written by the same XQuery Update transaction
  (``db:replace`` — BaseX's REPLACE — for both; one transaction per batch of
  up to 50 documents), so they never disagree; a re-run skips documents whose
  hash is unchanged (``verify=True`` compares the stored content itself
  instead), replaces changed ones, and deletes nothing unless ``prune=True``.
- **Interrupted runs**: a lost connection stops the run with
  :class:`ConnectionLostError` after the records of the batch in flight; every
  stored document is whole (a batch is stored entirely or not at all) and a
  re-run does the rest.
- **Credentials** come from an environment variable or a config file that only
  its owner can read (:func:`load_credentials`), never from the command line,
  and never appear in records, errors or logs.

Example:
    >>> parse_address("127.0.0.1:1984"), parse_address("[::1]:8984"), parse_address("db.local")
    (('127.0.0.1', 1984), ('::1', 8984), ('db.local', 1984))
    >>> db_path("/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml")
    'akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml'
"""  # noqa: E501

from __future__ import annotations

from .command import add_arguments, run_cli
from .connection import DEFAULT_PORT, DEFAULT_TIMEOUT, Connection, connect, parse_address
from .credentials import DEFAULT_CONFIG, Credentials, load_credentials
from .errors import (
    ConnectionLostError,
    CredentialsError,
    InsecureConfigError,
    LoginRefusedError,
    NotBaseXError,
    PortClosedError,
    RepositoryError,
    ServerError,
    ServerTimeoutError,
    ServerUnavailableError,
    UnknownHostError,
)
from .paths import DEFAULT_ROOT, META_ROOT, db_path
from .publish import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_DOCS, publish
from .queries import META_NS
from .records import STATUSES, PublishRecord

__all__ = [
    "publish",
    "PublishRecord",
    "Credentials",
    "load_credentials",
    "parse_address",
    "db_path",
    "connect",
    "Connection",
    "RepositoryError",
    "CredentialsError",
    "InsecureConfigError",
    "ServerUnavailableError",
    "UnknownHostError",
    "PortClosedError",
    "ServerTimeoutError",
    "ConnectionLostError",
    "NotBaseXError",
    "LoginRefusedError",
    "ServerError",
    "STATUSES",
    "DEFAULT_PORT",
    "DEFAULT_ROOT",
    "META_ROOT",
    "META_NS",
    "DEFAULT_TIMEOUT",
    "DEFAULT_CONFIG",
    "DEFAULT_BATCH_DOCS",
    "DEFAULT_BATCH_BYTES",
    "add_arguments",
    "run_cli",
]
