"""One batch run: inputs in, records out in input order, with at most a window of inputs
in flight; who gets each output path is decided here (collisions), in input order, so the
outcome never depends on the number of processes or their timing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from .. import __version__
from .convert import _blank_record, _fail
from .identities import Identity
from .inputs import DEFAULT_MAX_BYTES, _close_all, _load, _scan
from .state import BatchError, _rename_all, _State
from .workers import (
    _CHUNK_BYTES,
    _failed_result,
    _Options,
    _Pool,
    _Result,
    _result_line,
    _Task,
    _Worker,
)

#: Seconds one document may take in a worker before it is stopped and reported.
DEFAULT_TIMEOUT = 120.0
_CHUNK_DOCS = 32  # documents per message to a worker (or workers._CHUNK_BYTES of input)
_WINDOW_PER_JOB = 8  # chunks per worker read ahead of the oldest input not yet reported
_COMMIT_RENAMES = 128  # renames sent to a worker at once …
_COMMIT_DELAY = 0.1  # … or after this many seconds, whichever comes first
_CLAIM_BITS = 1 << 24  # bits of the in-memory filter in front of the claims table (2 MB)


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class _Summary:
    """Counts of the records seen so far, and the summary record."""

    def __init__(self) -> None:
        self.status: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.start = time.monotonic()

    def add(self, record: dict[str, Any]) -> None:
        self.count(record["status"], record["error_kind"])

    def count(self, status: str, error_kind: str | None) -> None:
        self.status[status] += 1
        if error_kind:
            self.errors[error_kind] += 1

    @property
    def inputs(self) -> int:
        return sum(self.status.values())

    @property
    def failed(self) -> int:
        return self.status["failed"]

    def record(self, **extra: Any) -> dict[str, Any]:
        seconds = time.monotonic() - self.start
        n = self.inputs
        out: dict[str, Any] = {
            "type": "summary",
            "inputs": n,
            "converted": self.status["converted"],
            "skipped": self.status["skipped"],
            "failed": self.failed,
            "errors": dict(sorted(self.errors.items())),
            "seconds": round(seconds, 3),
            "docs_per_second": round(n / seconds, 1) if seconds > 0 else None,
            "exit_status": 1 if self.failed else 0,
            "interrupted": False,
        }
        out.update(extra)
        return out


def _refail(line: str, kind: str, message: str) -> str:
    record = json.loads(line)
    record["output"] = None
    return _result_line(_fail(record, kind, message))


class _Batch:
    """One run. :meth:`run` yields ``[line, status, error_kind, commit]`` per input in input
    order (``line``: the record as JSON); the summary record is then in ``final``."""

    def __init__(self, sources: list[str | os.PathLike[str]], outdir: Path, *, jobs: int,
                 lang: str | None, layout: str, force: bool, include: Sequence[str] | None,
                 timeout: float | None, max_bytes: int, exclude: Sequence[str | os.PathLike[str]],
                 date: str | None = None, identities: Mapping[str, Identity] | None = None):
        self.sources, self.outdir, self.jobs = sources, outdir, jobs
        self.date, self.identities = date, dict(identities or {})
        self.lang, self.layout, self.force = lang, layout, force
        self.include, self.timeout, self.max_bytes = include, timeout, max_bytes
        self.exclude = [outdir, *exclude]
        self.opts = f"akn-ep {__version__}; lang={lang or 'auto'}; layout={layout}"
        if date or identities:  # stated identities change outputs: a run with others redoes
            stated = json.dumps([date, sorted((k, attrs.astuple(v))
                                              for k, v in self.identities.items())])
            self.opts += f"; stated={hashlib.sha256(stated.encode()).hexdigest()[:16]}"
        self.final: dict[str, Any] | None = None
        self.summary = _Summary()
        self.interrupted = False  # stopped by interrupt(): the records so far, then the end
        self._pool: _Pool | None = None

    def interrupt(self) -> None:
        """Stop soon, cleanly (safe in a signal handler): no new conversion; the renames
        already decided are carried out and their records come; then the records end, with
        ``interrupted`` set."""
        self.interrupted = True
        if self._pool is not None:
            with contextlib.suppress(OSError):
                os.write(self._pool.wake_w, b"!")

    def run(self) -> Iterator[list]:
        summary = self.summary
        self.state = state = _State(self.outdir)
        pool = None
        self._open_zips: dict[str, IO[bytes]] = {}
        try:
            options = _Options(str(self.outdir), str(state.tmp), self.lang, self.layout,
                               self.force, self.opts, str(state.path),
                               not self.force and not state.empty, self.max_bytes,
                               self.date, self.identities)
            self._pool = pool = _Pool(self.jobs, options, self.timeout)
            for out in self._records(pool):
                summary.count(out[1], out[2])
                yield out
            state.commit()
            self.final = summary.record(outdir=str(self.outdir), layout=self.layout,
                                        jobs=self.jobs)
        finally:
            if pool is not None:
                pool.close()
            state.close()
            if hasattr(self, "_inputs"):
                self._inputs.close()  # the archive being read
            _close_all(self._open_zips)

    def _records(self, pool: _Pool) -> Iterator[list]:
        """The records, in input order, while at most a window of inputs is in flight."""
        self._inputs = _scan(self.sources, self.include, self.exclude, self.max_bytes,
                             timeout=self.timeout)
        self._exhausted = False
        self._next_seq = self._decided = emitted = 0
        window = self.jobs * _CHUNK_DOCS * _WINDOW_PER_JOB
        self._ready: dict[int, tuple[_Result, _Worker | None]] = {}  # not decided yet, by seq
        out: deque[list] = deque()  # decided: [line, status, error_kind, commit id or 0]
        self._commits: dict[int, tuple[list[list], list[tuple]]] = {}  # id -> entries, rows
        self._cid = 0
        self._open: dict[_Worker, tuple[int, list[int], list[tuple[str, str]]]] = {}
        self._since = float("inf")  # when the oldest rename not sent yet was decided
        self._bits = bytearray(_CLAIM_BITS // 8)  # outputs claimed: a bit per hash of the key
        self._alone: deque[_Task] = deque()  # to run one by one (one of them broke a worker)
        self._again: deque[_Task] = deque()  # sent to a worker that broke before starting them
        self._held: _Task | None = None  # read, but too big for the place it was read for
        ready, commits, state = self._ready, self._commits, self.state
        while True:
            while out and (out[0][3] == 0 or out[0][3] not in commits):
                yield out.popleft()
                emitted += 1
            state.tick()
            if self.interrupted:
                for event in pool.abandon():
                    self._committed(*event[1:])
                for cid, _seqs, items in self._open.values():
                    self._committed(cid, _rename_all(str(self.outdir), items), True)
                yield from out
                return
            if self._open and (max(len(o[1]) for o in self._open.values()) >= _COMMIT_RENAMES
                               or time.monotonic() - self._since >= _COMMIT_DELAY
                               or (self._exhausted and self._decided == self._next_seq)
                               or not pool.busy()):
                for w, (cid, seqs, items) in self._open.items():
                    pool.commit(w, cid, seqs, items)
                self._open, self._since = {}, float("inf")
            while (slot := pool.slot()) is not None:
                chunk = self._next_chunk(slot[1], window - (self._next_seq - emitted))
                if not chunk:
                    break
                pool.submit(slot[0], chunk)
            if self._decided in ready:
                out.extend(self._decide(pool))
                continue
            if not pool.busy():
                if (self._exhausted and not self._alone and not self._again
                        and self._held is None and self._decided == self._next_seq and not out):
                    return
                continue
            for event in pool.wait(self._since + _COMMIT_DELAY):
                if event[0] == "result":
                    ready[event[1]] = (event[2], event[3])
                elif event[0] == "committed":
                    self._committed(*event[1:])
                elif event[0] == "lost":
                    _, task, kind, message = event
                    ready[task.seq] = (self._lost(task, kind, message), None)
                elif event[0] == "alone":
                    self._alone.extend(event[1])
                else:
                    self._again.extend(event[1])

    def _lost(self, task: _Task, kind: str, message: str) -> _Result:
        """The record of an input whose converter crashed or hung."""
        source, member, *_ = task.item
        data = _load(task.item, self.max_bytes, self._open_zips)[0]
        record = _blank_record(task.name, data)
        record.update(source=source, member=member, lang=self.lang)
        return _failed_result(task.seq, task.name, _fail(record, kind, message))

    def _task(self, seq: int, item: Any) -> _Task | None:
        """The task for the listed input ``item`` (numbered ``seq``), or None when the listing
        already failed it (unreadable, too large …): its record is then ready as a result."""
        source, member = item[0], item[1]
        name = source if member is None else f"{source}::{member}"
        if item[3] == "error":
            message, kind, size_ = item[4]
            record = _blank_record(name, None)
            record.update(source=source, member=member, lang=self.lang, bytes=size_)
            self._ready[seq] = (_failed_result(seq, name, _fail(record, kind, message)), None)
            return None
        return _Task(seq, name, item)

    def _next_chunk(self, budget: int, room: int) -> list[_Task]:
        """The next tasks for a worker, carrying at most ``budget`` input bytes (one task may
        exceed a full budget alone): a task to run alone; or tasks sent before to a worker that
        broke, then the next inputs (those that cannot be read go straight to the ready
        results), while fewer than ``room`` more inputs may be read."""
        full = budget == _CHUNK_BYTES
        if self._alone:
            return [self._alone.popleft()] if full else []
        chunk: list[_Task] = []
        size = 0
        while len(chunk) < _CHUNK_DOCS:
            if self._held is not None:
                task, self._held = self._held, None
            elif self._again:
                task = self._again.popleft()
            elif self._exhausted or room <= 0:
                break
            else:
                item = next(self._inputs, None)
                if item is None:
                    self._exhausted = True
                    break
                seq = self._next_seq
                self._next_seq += 1
                room -= 1
                task = self._task(seq, item)
                if task is None:
                    continue
            if size + task.size > budget and (chunk or not full):
                self._held = task  # for the next chunk
                break
            chunk.append(task)
            size += task.size
            if size >= budget:
                break
        return chunk

    def _decide(self, pool: _Pool) -> list[list]:
        """Decide the results ready in input order: who gets each output (the first input
        that maps to it, in this run; an output of an earlier run only if made from the same
        input or the same bytes), and have the winners renamed into place."""
        ready, state, force = self._ready, self.state, self.force
        batch = []
        while self._decided in ready:
            batch.append(ready.pop(self._decided))
            self._decided += 1
        bits = self._bits
        keys = []  # those this run may have claimed already (the others it has not)
        for r, _w in batch:
            if r[3] is not None:
                h = hash(r[3]) & (_CLAIM_BITS - 1)
                if bits[h >> 3] & (1 << (h & 7)):
                    keys.append(r[3])
        claimed = state.claimed(keys) if keys else {}
        claims: list[tuple[str, str, str, str | None]] = []
        entries: list[list] = []
        for r, w in batch:
            (seq, status, kind, key, dest, tmp, xml_sha, input_sha, exists, target_sha,
             line, keep, name) = r
            if status == "failed":
                entries.append([line, status, kind, 0])
                continue
            first = claimed.get(key)
            if first is not None:
                same = ("the same XML (a duplicate input)"
                        if first[2] is not None and first[2] == xml_sha else "different XML")
                line = _refail(line, "collision", f"collides with {first[0]}: both map to "
                               f"{dest}, with {same}; the first input keeps it, this one is "
                               "not written")
                self._discard(tmp, dest, first[1])
                entries.append([line, "failed", "collision", 0])
                continue
            if status == "converted" and exists and not force:
                row = state.get(key)
                ours = row is not None and row[0] == input_sha and row[1] == self.opts
                if not ours and target_sha != xml_sha:
                    who = f"{row[2]} in an earlier run" if row else "something other than akn-ep"
                    line = _refail(line, "collision", f"{dest} exists, written from {who}; it "
                                   "is left as it is (use --force to replace it)")
                    self._discard(tmp, dest, dest)
                    entries.append([line, "failed", "collision", 0])
                    continue
            claimed[key] = (name, dest, xml_sha)
            claims.append((key, name, dest, xml_sha))
            h = hash(key) & (_CLAIM_BITS - 1)
            bits[h >> 3] |= 1 << (h & 7)
            entry = [line, status, None, 0]
            entries.append(entry)
            if status == "converted":  # into the commit being filled for its worker
                if w not in self._open:
                    self._cid += 1
                    self._open[w] = (self._cid, [], [])
                    self._commits[self._cid] = ([], [])
                    self._since = min(self._since, time.monotonic())
                cid, seqs, items = self._open[w]
                seqs.append(seq)
                items.append((tmp, dest))
                waiting, rows = self._commits[cid]
                waiting.append(entry)
                rows.append((key, dest, input_sha, self.opts, xml_sha, name, keep))
                entry[3] = cid
        if claims:
            state.claim(claims)
        return entries

    def _committed(self, cid: int, errors: list[tuple[int, str]], record: bool = False) -> None:
        """A commit is done (a failed rename fails its input); ``record``: the worker did not
        record the outputs now in place, so record them here."""
        entries, rows = self._commits.pop(cid)
        for i, reason in errors:
            entries[i][:3] = [_refail(entries[i][0], "write", f"cannot write output: {reason}"),
                              "failed", "write"]
        if record:
            failed = {i for i, _ in errors}
            self.state.put([row for i, row in enumerate(rows) if i not in failed])
            self.state.commit()  # at once: the workers write to the state too

    def _discard(self, tmp: str | None, dest: str, kept: str) -> None:
        """Remove a loser's temporary file; and the folder the worker made for it if it is
        not the folder of the output ``kept`` (whose rename may still be under way) and
        nothing else is in it (a loser whose path differs from the winner's in letter case
        only, on a file system that tells letter case apart)."""
        if tmp is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        folder = os.path.join(self.outdir, os.path.dirname(dest))
        with contextlib.suppress(OSError):
            if not os.path.samefile(folder, os.path.join(self.outdir, os.path.dirname(kept))):
                os.removedirs(folder)


def _start(sources: Iterable[str | os.PathLike[str]], outdir: str | os.PathLike[str], *,
           jobs: int | None, lang: str | None, layout: str, force: bool,
           include: Sequence[str] | None, timeout: float | None, max_bytes: int,
           exclude: Sequence[str | os.PathLike[str]], date: str | None = None,
           identities: Mapping[str, Identity] | None = None) -> _Batch:
    if layout not in ("iri", "flat"):
        raise ValueError(f"layout must be 'iri' or 'flat', got {layout!r}")
    jobs = _default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise BatchError(f"{out}: exists and is not a folder")
    return _Batch(list(sources), out, jobs=jobs, lang=lang, layout=layout, force=force,
                  include=include, timeout=timeout, max_bytes=max_bytes, exclude=exclude,
                  date=date, identities=identities)


def _dicts(batch: _Batch) -> Iterator[dict[str, Any]]:
    records = batch.run()
    try:
        for line, *_ in records:
            yield json.loads(line)
    finally:
        records.close()
    yield batch.final


def convert_many(
    sources: Iterable[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    lang: str | None = None,
    layout: str = "iri",
    force: bool = False,
    include: Sequence[str] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Sequence[str | os.PathLike[str]] = (),
    date: str | None = None,
    identities: Mapping[str, Identity] | None = None,
) -> Iterator[dict[str, Any]]:
    """Convert every document of ``sources`` into ``outdir``; yields one record per input.

    ``sources``: files, directories (recursive) and archives, in any mix (see
    :func:`iter_inputs`). ``layout="iri"`` writes each document at
    ``outdir / iri_to_path(IRI)``; ``"flat"`` at ``outdir / flat_path(input name)``.
    ``jobs`` worker processes (default: one per available core); ``lang`` overrides
    language detection; ``force`` converts everything again and replaces outputs of
    earlier runs; ``timeout`` (seconds per document) stops a converter that hangs;
    ``date`` (ISO) is the adoption date of inputs that print none, and ``identities``
    (:func:`load_identities`) states the identity of the inputs it names.

    Records come in input order, whatever ``jobs`` is, as dicts with the fields of
    :data:`RECORD_FIELDS` (``status``: ``converted``, ``skipped`` — done by an earlier run
    and unchanged — or ``failed`` with ``error_kind`` and ``error``); a ``converted``
    record comes when its file is in place. The last item is the summary (``"type":
    "summary"``, with ``exit_status`` 0 only if nothing failed).
    The work starts on the first ``next()``; :class:`BatchError` is raised then if the
    output folder is unusable or in use. Stopping the iteration (``break``, Ctrl-C)
    stops the workers and leaves only complete files; the next run resumes.

    With the ``spawn`` start method (macOS, Windows) or ``forkserver`` (Linux from Python
    3.14) call it under ``if __name__ == "__main__":``.

    Example:
        >>> import pathlib, tempfile
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "bad.txt").write_bytes(b"%PDF-1.4")
        >>> first, summary = convert_many([d / "bad.txt"], d / "out")
        >>> first["status"], first["error_kind"], summary["exit_status"]
        ('failed', 'parse', 1)
    """
    return _dicts(_start(sources, outdir, jobs=jobs, lang=lang, layout=layout, force=force,
                         include=include, timeout=timeout, max_bytes=max_bytes,
                         exclude=exclude, date=date, identities=identities))


