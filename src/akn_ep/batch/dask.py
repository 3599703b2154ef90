"""``akn-ep batch --dask SCHEDULER``: the batch on a Dask cluster, beyond one machine.

The same batch as :func:`akn_ep.convert_many` — same inputs and input order, same layout
(:func:`~akn_ep.batch.iri_to_path` or ``flat``), same collision rule (the first input in
input order wins), same records and report, same resume from ``OUTDIR/.akn-ep`` — with the
conversions run as Dask tasks instead of local worker processes. Needs the ``dask`` extra
(``pip install 'akn-ep[dask]'``: dask and distributed).

How the work is shared:

- **The batch process** (where you run it: the Dask *client*) lists the inputs
  (:func:`~akn_ep.batch.inputs.iter_inputs`' order), sends them to the cluster in chunks of up
  to 32 documents (a few chunks per worker thread in flight), decides who gets each output
  path in input order (the local batch's own decision code), moves the winners into place
  and records them in ``OUTDIR/.akn-ep/state.sqlite``. It is the only process that writes
  the state, so the database is never shared over the network.
- **A task** (on any worker) reads its inputs — files and zip members where they are, tar
  members travel with the task — hashes them, skips those an earlier run converted (looked
  up in a read-only snapshot of the state, opened as ``immutable``: no locks, safe on a
  network file system), converts the others with :func:`~akn_ep.batch.convert_one`, and
  writes each XML to a temporary file under ``OUTDIR/.akn-ep/tmp``.

So ``OUTDIR`` and every input path must be reachable at the same path from the workers and
the batch process (a shared file system: NFS, Lustre, a mounted bucket), and the workers
need akn-ep installed. Give absolute paths when workers run elsewhere. A task that fails
(its worker died: Dask retries it on another) is reported per input as ``crash``; the local
batch's per-document ``--timeout`` does not apply (Dask has its own worker lifetimes).

Example:
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "x.txt").write_text(
    ...     "P7_TA(2012)0089\\nEuropean Parliament resolution of 15 March 2012 on X\\n"
    ...     "The European Parliament,\\n1. Instructs its President to forward this.\\n")
    >>> records = list(convert_many([d / "x.txt"], d / "out",  # doctest: +SKIP
    ...                             scheduler="tcp://scheduler.example:8786"))
    >>> records[0]["status"], records[0]["output"]  # doctest: +SKIP
    ('converted',
     'akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/eng@2012-03-15/main.xml')
    >>> "threads" in LOCAL_SCHEDULERS  # a cluster in this process, to try it out
    True

(Run for real, against the local batch, by ``tests/test_batch_dask.py``.)
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse
import uuid
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..extras import require
from .identities import Identity
from .inputs import DEFAULT_MAX_BYTES, _close_all, _scan
from .run import _CHUNK_DOCS, _Batch, _dicts
from .state import BatchError, _rename_all, _State
from .workers import _CHUNK_BYTES, _Converter, _Options, _Result, _Task

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["convert_many", "start", "LOCAL_SCHEDULERS"]

#: ``scheduler`` values that start a cluster on this machine instead of joining one:
#: ``local`` (worker processes, ``jobs`` of them) and ``threads`` (worker threads in this
#: process: for trying it out and for tests).
LOCAL_SCHEDULERS = ("local", "threads")
_CHUNKS_PER_THREAD = 4  # chunks in flight per worker thread of the cluster


class _SnapshotReader(_Converter):
    """A worker's converter that looks earlier runs up in a read-only snapshot of the state
    (``immutable``: no locking, so it can sit on a network file system)."""

    def _db(self) -> sqlite3.Connection:
        if self.db is None:
            uri = f"file:{urllib.parse.quote(self.o.db)}?immutable=1"
            self.db = sqlite3.connect(uri, uri=True)
        return self.db


def _convert_chunk(options: _Options, tasks: list[tuple[Any, ...]]) -> list[_Result]:
    """A Dask task: convert the inputs of one chunk, each XML to a temporary file of its
    own; the batch process moves them into place. Runs on a worker."""
    convert = _SnapshotReader(options)
    # a folder per task run: a retried task never meets the files of its first attempt
    convert.tmpdir = os.path.join(options.tmpdir, f"dask-{os.getpid()}-{uuid.uuid4().hex}")
    try:
        return [convert(task) for task in tasks]
    finally:
        if convert.db is not None:
            convert.db.close()
        _close_all(convert.open_zips)


class _DaskBatch(_Batch):
    """One batch run on a Dask cluster: :class:`~akn_ep.batch.run._Batch` with the local
    worker pool replaced by Dask tasks; the decisions (collisions, resume) are the same
    code."""

    def __init__(self, scheduler: str | Client, sources: list[str | os.PathLike[str]],
                 outdir: Path, *, jobs: int | None, **kwargs: Any) -> None:
        super().__init__(sources, outdir, jobs=jobs or 1, timeout=None, **kwargs)
        self.scheduler = scheduler
        self.workers_wanted = jobs

    def _client(self) -> tuple[Client, bool]:
        """The Dask client, and whether this batch started it (and so closes it)."""
        from distributed import Client, LocalCluster

        if not isinstance(self.scheduler, str):
            return self.scheduler, False
        if self.scheduler in LOCAL_SCHEDULERS:
            processes = self.scheduler == "local"
            cluster = LocalCluster(n_workers=self.workers_wanted or (2 if processes else 1),
                                   threads_per_worker=1, processes=processes,
                                   dashboard_address=None)  # pyright: ignore[reportArgumentType]
            return Client(cluster), True
        return Client(self.scheduler), True

    def run(self) -> Generator[list[Any], None, None]:
        summary = self.summary
        self.state = state = _State(self.outdir)
        self._open_zips = {}
        client = None
        own = False
        try:
            client, own = self._client()
            nthreads: dict[str, int] = client.nthreads()  # pyright: ignore[reportAssignmentType]
            threads = sum(nthreads.values()) or 1
            self.jobs = threads
            lookup = not self.force and not state.empty
            db = str(state.tmp / "snapshot.sqlite")
            if lookup:  # what earlier runs made, frozen for the workers to read
                state.commit()
                with contextlib.closing(sqlite3.connect(db)) as copy:
                    state.db.backup(copy)  # type: ignore[union-attr]
            options = _Options(os.path.abspath(self.outdir), os.path.abspath(state.tmp),
                               self.lang, self.layout, self.force, self.opts, db, lookup,
                               self.max_bytes, self.date, self.identities)
            for out in self._dask_records(client, options, threads * _CHUNKS_PER_THREAD):
                summary.count(out[1], out[2])
                yield out
            state.commit()
            self.final = summary.record(outdir=str(self.outdir), layout=self.layout,
                                        jobs=self.jobs)
        finally:
            if client is not None and own:
                cluster = client.cluster
                client.close()
                if cluster is not None:
                    cluster.close()
            state.close()
            if hasattr(self, "_inputs"):
                self._inputs.close()  # type: ignore[attr-defined]  # _scan is a generator
            _close_all(self._open_zips)

    def _chunks(self) -> Iterator[list[_Task]]:
        """The inputs in chunks of at most _CHUNK_DOCS documents or _CHUNK_BYTES of the
        bytes that travel with a task; inputs that cannot be read go to the ready results."""
        chunk: list[_Task] = []
        size = 0
        for seq, item in enumerate(self._inputs):
            self._next_seq = seq + 1
            task = self._task(seq, item)  # as the local batch reads it
            if task is None:
                continue
            chunk.append(task)
            size += len(item[4]) if item[3] == "data" else 0
            if len(chunk) >= _CHUNK_DOCS or size >= _CHUNK_BYTES:
                yield chunk
                chunk, size = [], 0
        if chunk:
            yield chunk

    def _dask_records(self, client: Client, options: _Options,
                      in_flight: int) -> Iterator[list[Any]]:
        """The records in input order, at most ``in_flight`` chunks on the cluster."""
        from distributed import as_completed

        self._inputs = _scan(self.sources, self.include, self.exclude, self.max_bytes)
        self._next_seq = self._decided = 0
        self._ready = {}
        self._commits = {}
        self._cid = 0
        self._open = {}
        self._since = float("inf")
        self._bits = bytearray((1 << 24) // 8)
        chunks = self._chunks()
        pending: dict[Any, list[_Task]] = {}
        running = as_completed()

        def submit() -> None:
            while len(pending) < in_flight and not self.interrupted:
                chunk = next(chunks, None)
                if chunk is None:
                    return
                future = client.submit(_convert_chunk, options,
                                       [t.message() for t in chunk], pure=False)
                pending[future] = chunk
                running.add(future)

        submit()
        yield from self._decided_now()
        while pending and not self.interrupted:
            future = next(running)
            chunk = pending.pop(future)
            if future.status == "finished":
                for result in future.result():
                    self._ready[result[0]] = (result, None)
            else:  # the task failed (its worker died, Dask gave up): every input of it
                reason = f"the Dask task failed: {future.exception()!r}"
                for task in chunk:
                    self._ready[task.seq] = (self._lost(task, "crash", reason), None)
            future.release()
            submit()
            yield from self._decided_now()
        for future in pending:
            future.cancel()
        if not self.interrupted:
            yield from self._decided_now()

    def _decided_now(self) -> Iterator[list[Any]]:
        """Decide what is ready in input order, move the winners into place, record them,
        and yield their entries ``[line, status, error_kind, 0]``."""
        while self._decided in self._ready:
            entries = self._decide(None)  # type: ignore[arg-type]
            for _w, (cid, _seqs, items) in self._open.items():
                self._committed(cid, _rename_all(str(self.outdir), items), True)
            self._open, self._since = {}, float("inf")
            for entry in entries:
                entry[3] = 0
                yield entry


def start(scheduler: str | Client, sources: Iterable[str | os.PathLike[str]],
          outdir: str | os.PathLike[str], *, jobs: int | None = None, lang: str | None = None,
          layout: str = "iri", force: bool = False, include: Sequence[str] | None = None,
          max_bytes: int = DEFAULT_MAX_BYTES, exclude: Sequence[str | os.PathLike[str]] = (),
          date: str | None = None, identities: Mapping[str, Identity] | None = None) -> _Batch:
    """The batch run (for ``akn-ep batch --dask``): like the local one, its ``run()`` yields
    ``[line, status, error_kind, 0]`` per input and then holds the summary in ``final``.

    Raises :class:`~akn_ep.errors.DependencyError` without the ``dask`` extra.
    """
    require("dask")
    if layout not in ("iri", "flat"):
        raise ValueError(f"layout must be 'iri' or 'flat', got {layout!r}")
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise BatchError(f"{out}: exists and is not a folder")
    return _DaskBatch(scheduler, list(sources), out, jobs=jobs, lang=lang, layout=layout,
                      force=force, include=include, max_bytes=max_bytes, exclude=exclude,
                      date=date, identities=identities)


def convert_many(
    sources: Iterable[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    *,
    scheduler: str | Client,
    jobs: int | None = None,
    lang: str | None = None,
    layout: str = "iri",
    force: bool = False,
    include: Sequence[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Sequence[str | os.PathLike[str]] = (),
    date: str | None = None,
    identities: Mapping[str, Identity] | None = None,
) -> Iterator[dict[str, Any]]:
    """:func:`akn_ep.convert_many` on a Dask cluster: the same records, in input order, then
    the summary; the same tree in ``outdir``.

    ``scheduler``: the address of a running Dask scheduler (``tcp://host:8786``), a
    :class:`distributed.Client`, ``"local"`` (a cluster of ``jobs`` worker processes on this
    machine, default 2) or ``"threads"`` (``jobs`` worker threads in this process, default
    1). The other arguments are those of :func:`akn_ep.convert_many` (no ``timeout``):
    ``date`` and ``identities`` state the documents' identities the same way.
    Raises :class:`~akn_ep.errors.DependencyError` without the ``dask`` extra.
    """
    return _dicts(start(scheduler, sources, outdir, jobs=jobs, lang=lang, layout=layout,
                        force=force, include=include, max_bytes=max_bytes, exclude=exclude,
                        date=date, identities=identities))
