"""Publishing: every valid document of the sources stored in one database, in batches, each
batch one transaction; see :func:`publish`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

import attrs

from ..akn.safexml import MAX_INPUT_BYTES, parse_xml
from ..akn.validate import Issue, validate
from ..errors import AknReadError
from ..extras import require
from .connection import DEFAULT_TIMEOUT, Connection, connect, parse_address
from .credentials import Credentials, load_credentials
from .errors import ServerError, ServerUnavailableError
from .paths import DEFAULT_ROOT, META_ROOT, check_db_name, db_path, norm_root
from .prune import prune_absent
from .queries import Q_ENSURE_DB, Q_FETCH, Q_PUT, Q_STATE
from .records import PublishRecord
from .sources import document_text, iter_files, manifestation_iri, same_content

#: Documents stored per transaction, at most (BaseX pays ~0.3 s per write transaction) …
DEFAULT_BATCH_DOCS = 50

#: … and characters of XML per transaction, at most (whichever limit comes first).
DEFAULT_BATCH_BYTES = 8_000_000


def publish(
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    basex: str,
    db: str,
    user: str | None = None,
    password: str | None = None,
    password_env: str | None = None,
    config: str | os.PathLike[str] | None = None,
    prune: bool = False,
    root: str = DEFAULT_ROOT,
    verify: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    batch_docs: int = DEFAULT_BATCH_DOCS,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
) -> Iterator[PublishRecord]:
    """Store every valid Akoma Ntoso document of ``sources`` in the BaseX database ``db``.

    ``sources``: a folder written by ``akn-ep batch`` (every ``*.xml`` under it, hidden
    folders skipped) or single AKN files, in any mix. Each document is validated
    (official schema + EP profile) and stored at :func:`db_path` of its own
    ``FRBRManifestation/FRBRthis``; the database is created when missing. Yields one
    :class:`PublishRecord` per document, in source order, as the work goes.

    Valid documents are sent in batches of at most ``batch_docs`` documents and
    ``batch_bytes`` characters, each batch one transaction (all its documents and their
    hash records, or nothing); a record is yielded once its batch is stored.

    Idempotent: a document whose file hash equals the one recorded at its last publish
    (and that is still in the database) is ``unchanged`` and not sent; ``verify=True``
    fetches the stored document and compares its content instead of trusting the
    record. Nothing is deleted unless ``prune=True``: then, after a run without errors,
    documents under ``root`` that no source produced are deleted (``deleted`` records).

    Credentials: see :func:`load_credentials` (``user``, ``password``, ``password_env``,
    ``config``). Raises at once :class:`CredentialsError` or :class:`ValueError` (bad
    address, database name or root); on the first ``next()`` :class:`UnknownHostError`,
    :class:`PortClosedError`, :class:`LoginRefusedError`, :class:`ServerError` (e.g. no
    permission to create the database) …; and :class:`ConnectionLostError` (after the
    ``error`` records of the batch in flight) when the connection breaks mid-way:
    every document already stored is whole, and the same publish again does the rest.

    Example:
        >>> for rec in publish("repo/", basex="127.0.0.1:1984", db="resolutions",
        ...                    user="akn", password_env="BASEX_PASSWORD"):  # doctest: +SKIP
        ...     print(rec)
        stored akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml <- repo/akn/…/main.xml
    """  # noqa: E501
    require("basex")  # the extra: without it, a DependencyError saying what to install
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    sources = list(sources)
    check_db_name(db)
    root = norm_root(root)
    parse_address(basex)  # fail early on a malformed address
    credentials = load_credentials(user=user, password=password, password_env=password_env,
                                   config=config)
    if batch_docs < 1 or batch_bytes < 1:
        raise ValueError("batch_docs and batch_bytes must be at least 1")
    return _publish(sources, basex, db, credentials, prune=prune, root=root, verify=verify,
                    timeout=timeout, batch_docs=batch_docs, batch_bytes=batch_bytes)


@attrs.define
class _Pending:
    """A valid document waiting in the batch to be sent."""

    source: str
    path: str
    iri: str
    sha: str
    text: str
    existed: bool

    def record(self, status: str, reason: str | None = None) -> PublishRecord:
        return PublishRecord(self.source, self.path, self.iri, status, reason, self.sha)


def _batch_xml(docs: list[_Pending]) -> str:
    """The batch as one XML string for :data:`Q_PUT` (each document escaped as text)."""
    parts = ["<batch>"]
    for d in docs:
        parts.append(f"<doc path={quoteattr(d.path)} iri={quoteattr(d.iri)} sha256=\"{d.sha}\">"
                     f"{escape(d.text, {chr(13): '&#13;'})}</doc>")
    parts.append("</batch>")
    return "".join(parts)


class _Publisher:
    """One publish run over an open connection (see :func:`publish`)."""

    def __init__(self, conn: Connection, db: str, *, verify: bool, batch_docs: int,
                 batch_bytes: int):
        self.conn, self.db, self.verify = conn, db, verify
        self.batch_docs, self.batch_bytes = batch_docs, batch_bytes
        self.existing: set[str] = set()  # every resource path in the database
        self.hashes: dict[str, str] = {}  # db path -> recorded sha256
        self.seen: dict[str, tuple[str, str]] = {}  # db path -> (source, sha256), valid docs
        self.present: set[str] = set()  # db paths of every identified source, valid or not
        self.unidentified = 0  # sources whose db path is unknown: pruning would be a guess
        self.failed = 0
        self.queue: list[PublishRecord | _Pending] = []  # records in source order, not yet out
        self.batch: list[_Pending] = []
        self.size = 0

    def load_state(self) -> None:
        """The resource list and every hash record, in one query."""
        for line in self.conn.query(Q_STATE, db=self.db, meta=META_ROOT).splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "R":
                self.existing.add(rest)
            elif kind == "H":
                sha, _, path = rest.partition(" ")
                self.hashes[path] = sha

    def run(self, sources: list[str | os.PathLike[str]]) -> Iterator[PublishRecord]:
        """Records in source order; a lost connection flushes the queue as errors, then raises."""
        try:
            for source, read_error in iter_files(sources):
                try:
                    item = self.prepare(source, read_error)
                except ServerUnavailableError as exc:
                    self.queue.append(PublishRecord(source, None, None, "error", str(exc)))
                    raise
                if isinstance(item, _Pending):
                    self.batch.append(item)
                    self.size += len(item.text)
                self.queue.append(item)
                if len(self.batch) >= self.batch_docs or self.size >= self.batch_bytes:
                    self.send()
                yield from self.drain()
            self.send()
            yield from self.drain()
        except ServerUnavailableError as exc:
            for item in self.queue:
                yield item.record("error", f"not stored: {exc}") if isinstance(item, _Pending) \
                    else item
            self.queue.clear()
            raise

    def drain(self) -> Iterator[PublishRecord]:
        """Give out the queued records up to the first document still waiting to be sent."""
        n = 0
        for item in self.queue:
            if isinstance(item, _Pending):
                break
            n += 1
            if item.db_path is None:
                self.unidentified += 1
            else:
                self.present.add(item.db_path)
            self.failed += item.status == "error"
            yield item
        del self.queue[:n]

    def send(self) -> None:
        """Store the batch in one transaction; replace each sent item of the queue by its record."""
        if not self.batch:
            return
        batch, self.batch, self.size = self.batch, [], 0
        results: dict[int, PublishRecord] = {}
        try:
            self.conn.query(Q_PUT, db=self.db, meta=META_ROOT, batch=_batch_xml(batch))
            done = batch
        except ServerError as exc:
            if len(batch) == 1:
                results[id(batch[0])] = batch[0].record("error", str(exc))
                done = []
            else:  # find which document the server refuses: one transaction each
                done = []
                for d in batch:
                    try:
                        self.conn.query(Q_PUT, db=self.db, meta=META_ROOT, batch=_batch_xml([d]))
                        done.append(d)
                    except ServerError as one:
                        results[id(d)] = d.record("error", str(one))
        for d in done:
            results[id(d)] = d.record("replaced" if d.existed else "stored")
            self.existing.add(d.path)
            self.hashes[d.path] = d.sha
        self.queue = [results.get(id(x), x) if isinstance(x, _Pending) else x for x in self.queue]

    def prepare(self, source: str, read_error: str | None) -> PublishRecord | _Pending:
        """Read and validate one file: its final record, or the document to send."""
        if read_error:
            return PublishRecord(source, None, None, "error", read_error)
        try:
            data, size = _read_bounded(source)
        except OSError as exc:
            return PublishRecord(source, None, None, "error",
                                 f"cannot read: {exc.strerror or exc}")
        if size is not None:
            return PublishRecord(source, None, None, "skipped-invalid",
                                 f"refused: input of {size} bytes exceeds the limit of "
                                 f"{MAX_INPUT_BYTES} bytes")
        sha = hashlib.sha256(data).hexdigest()
        try:
            tree = parse_xml(data)
        except AknReadError as exc:
            return PublishRecord(source, None, None, "skipped-invalid", str(exc), sha)
        iri = manifestation_iri(tree)
        path, iri_problem = None, ""
        if not iri:
            iri_problem = "no FRBRManifestation/FRBRthis: the document has no manifestation IRI"
        else:
            try:
                path = db_path(iri)
            except ValueError as exc:
                iri_problem = str(exc)
        try:
            issues = validate(tree)
        except Exception as exc:  # noqa: BLE001 - one document must not stop the publish
            return PublishRecord(source, path, iri, "error",
                                 f"validation failed: {type(exc).__name__}: {exc}", sha)
        if issues or path is None:
            reason = _summary_issues(issues) if issues else iri_problem
            return PublishRecord(source, path, iri, "skipped-invalid", reason, sha)
        assert iri is not None
        if path in self.seen:
            first, first_sha = self.seen[path]
            if first_sha == sha:
                return PublishRecord(source, path, iri, "unchanged",
                                     f"same document as {first}", sha)
            return PublishRecord(source, path, iri, "error",
                                 f"same manifestation IRI as {first} but different content; "
                                 "the first one is kept", sha)
        self.seen[path] = (source, sha)
        text = document_text(data, tree)
        existed = path in self.existing
        if existed:
            if self.verify:
                stored = self.conn.query(Q_FETCH, db=self.db, path=path)
                if same_content(stored, text):
                    return PublishRecord(source, path, iri, "unchanged", None, sha)
            elif self.hashes.get(path) == sha:
                return PublishRecord(source, path, iri, "unchanged", None, sha)
        return _Pending(source, path, iri, sha, text, existed)


def _summary_issues(issues: list[Issue], limit: int = 3) -> str:
    more = f" (+{len(issues) - limit} more)" if len(issues) > limit else ""
    return "not valid: " + "; ".join(str(i) for i in issues[:limit]) + more


def _read_bounded(source: str) -> tuple[bytes, int | None]:
    """A file's bytes, or, when it is over :data:`~akn_ep.akn.safexml.MAX_INPUT_BYTES`,
    its first bytes and its size: at most the limit plus one byte is ever read, as
    ``akn-ep validate`` and ``show`` do, so a huge (or sparse) file costs no memory.

    Example:
        >>> import tempfile
        >>> with tempfile.NamedTemporaryFile() as fh:
        ...     _ = fh.write(b"<a/>"); fh.flush()
        ...     _read_bounded(fh.name)
        (b'<a/>', None)
    """
    with open(source, "rb") as fh:
        data = fh.read(MAX_INPUT_BYTES + 1)
        if len(data) <= MAX_INPUT_BYTES:
            return data, None
        return data[:0], max(os.fstat(fh.fileno()).st_size, len(data))


def _publish(sources: list[str | os.PathLike[str]], basex: str, db: str, credentials: Credentials,
             *, prune: bool, root: str, verify: bool, timeout: float, batch_docs: int,
             batch_bytes: int) -> Iterator[PublishRecord]:
    with connect(basex, credentials, timeout=timeout) as conn:
        conn.query(Q_ENSURE_DB, db=db)
        run = _Publisher(conn, db, verify=verify, batch_docs=batch_docs,
                         batch_bytes=batch_bytes)
        run.load_state()
        yield from run.run(sources)
        if prune:
            yield from prune_absent(conn, db, root, run.existing, run.present, run.unidentified,
                              run.failed)
