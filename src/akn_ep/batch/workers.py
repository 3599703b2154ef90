"""Worker processes: each converts the chunks of inputs it is sent, writes their outputs
to temporary files and renames them into place once the batch process has decided; the
pool pins a crash or a hang on the document that caused it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import multiprocessing
import os
import select
import signal
import sqlite3
import sys
import time
from collections import deque
from typing import IO, Any

from .convert import _blank_record, _fail, convert_one
from .identities import Identity, identity_for
from .inputs import _Item, _load
from .layout import _fold, flat_path, iri_to_path
from .state import _find_done, _rename_all, _sha_file

_CHUNK_BYTES = 1 << 20  # input bytes in a chunk for an idle worker (at most _CHUNK_DOCS documents)
_PREFETCH_BYTES = 256 << 10  # input bytes of a chunk waiting behind another
_SEND_SECONDS = 0.05  # a worker reports at the end of a chunk, or after a document this slow

_WARM_UP = (b"European Parliament resolution of 15 March 2012 on X\nThe European Parliament,\n"
            b"1. Instructs its President to forward this resolution.\n")


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the batch process dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@dataclasses.dataclass
class _Options:
    """What every worker needs to know about the batch."""

    outdir: str
    tmpdir: str
    lang: str | None
    layout: str
    force: bool
    opts: str  # akn-ep version and options, recorded with each output
    db: str  # the record of outputs (state.sqlite)
    lookup: bool  # look inputs up in it (an earlier run recorded something; not forced)
    max_bytes: int
    date: str | None = None  # adoption date of inputs that print none (--date)
    identities: dict[str, Identity] = dataclasses.field(default_factory=dict)  # --identities


# A worker's result for one input, in input order when decided by the batch process:
# (seq, status, error_kind, key, dest, tmp, xml_sha, input_sha, target_exists, target_sha,
#  line, keep, name). ``line`` is the record as JSON, final unless the batch process decides
# otherwise (collision, failed rename); ``keep`` the part of it recorded in the state.
_Result = tuple


def _result_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def _failed_result(seq: int, name: str, record: dict[str, Any]) -> _Result:
    return (seq, "failed", record["error_kind"], None, None, None, None, None, False, None,
            _result_line(record), None, name)


class _Converter:
    """Everything a worker does for one input: read it, skip it if an earlier run made its
    output, convert it, work out the output path, make its folder, write the XML to a
    temporary file, look at what is in the way, and write the record line; the batch
    process only decides (collisions) and records."""

    def __init__(self, o: _Options):
        self.o = o
        self.open_zips: dict[str, IO[bytes]] = {}
        self.db: sqlite3.Connection | None = None
        # a temporary folder of its own: files created in one folder shared by all workers
        # queue on that folder's lock in the kernel (and on its inode allocation group)
        self.tmpdir = os.path.join(o.tmpdir, str(os.getpid()))
        self.tmpdir_made = False
        self.waiting: dict[int, tuple] = {}  # seq -> (tmp, dest, state row) until decided

    def _db(self) -> sqlite3.Connection:
        if self.db is None:
            self.db = sqlite3.connect(self.o.db, timeout=60, isolation_level=None)
            self.db.execute("PRAGMA synchronous=NORMAL")
        return self.db

    def commit(self, seqs: list[int]) -> list[tuple[int, str]]:
        """Move the outputs of ``seqs`` (decided by the batch process, in input order) into
        place and record them; inputs before the last of them that are not among them lost
        (collisions): forget them. The (index, reason) of renames that failed."""
        waiting = self.waiting
        items, rows = [], []
        for seq in seqs:
            tmp, dest, row = waiting.pop(seq)
            items.append((tmp, dest))
            rows.append(row)
        if seqs:
            for seq in [s for s in waiting if s < seqs[-1]]:
                del waiting[seq]
        errors = _rename_all(self.o.outdir, items)
        failed = {i for i, _ in errors}
        rows = [row for i, row in enumerate(rows) if i not in failed]
        if rows:  # one short transaction: the other workers write to the state too
            db = self._db()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO done VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                db.execute("COMMIT")
            except sqlite3.Error:  # not recorded: a later run converts them again
                if db.in_transaction:
                    db.execute("ROLLBACK")
        return errors

    def lookup(self, sha: str, parts: tuple[str, ...]) -> tuple | None:
        key = _fold(flat_path(parts)) if self.o.layout == "flat" else None
        try:
            return _find_done(self._db(), self.o.outdir, sha, self.o.opts, key)
        except sqlite3.Error:
            return None  # converted again: the outcome is the same

    def __call__(self, task: tuple) -> _Result:
        seq, name, source, member, parts, how, payload = task
        o = self.o
        data, error, kind, size = _load((source, member, parts, how, payload), o.max_bytes,
                                        self.open_zips)
        if data is None:
            record = _blank_record(name, None)
            record.update(source=source, member=member, lang=o.lang, bytes=size)
            return _failed_result(seq, name, _fail(record, kind or "read", error or "?"))
        if o.lookup:
            sha = hashlib.sha256(data).hexdigest()
            row = self.lookup(sha, parts)
            if row is not None:
                key, dest, _xml_sha, stored = row
                record = _blank_record(name, None)
                record.update(json.loads(stored), source=source, member=member, sha256=sha,
                              bytes=len(data), status="skipped", output=dest)
                return (seq, "skipped", None, key, dest, None, _xml_sha, sha, False, None,
                        _result_line(record), None, name)
        stated = identity_for(o.identities, name)
        if stated is None:
            record, xml = convert_one(name, data, lang=o.lang, date=o.date)
        else:
            # the batch's --date is for inputs without a date of their own (a stated IRI has one)
            date = stated.date or (None if stated.frbr_uri else o.date)
            record, xml = convert_one(name, data, lang=o.lang, date=date,
                                      ta_number=stated.ta_number, frbr_uri=stated.frbr_uri)
        record["source"], record["member"] = source, member
        if xml is None:
            return _failed_result(seq, name, record)
        tmp = None
        try:
            path = flat_path(parts) if o.layout == "flat" else iri_to_path(record["iri"])
            dest = str(path)
            target = os.path.join(o.outdir, dest)
            with contextlib.suppress(OSError):  # else the rename says why
                os.makedirs(os.path.dirname(target), exist_ok=True)
            if not self.tmpdir_made:
                os.makedirs(self.tmpdir, exist_ok=True)
                self.tmpdir_made = True
            tmp = os.path.join(self.tmpdir, f"{seq}.xml")
            with open(tmp, "xb") as fh:
                fh.write(xml)
            xml_sha = hashlib.sha256(xml).hexdigest()
            exists = not o.force and os.path.lexists(target)
            target_sha = _sha_file(target) if exists else None
        except (OSError, ValueError) as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            # the path that failed (a full disk: where?); a write names none: the file's
            where = getattr(exc, "filename", None) or tmp
            return _failed_result(seq, name, _fail(record, "write", f"cannot write output: "
                                                   f"{reason}{f' ({where})' if where else ''}"))
        keep = _result_line({k: record[k] for k in ("lang", "iri", "counts", "warnings",
                                                    "guessed")})
        record["output"] = dest
        key = dest.casefold()
        self.waiting[seq] = (tmp, dest, (key, dest, record["sha256"], o.opts, xml_sha, name, keep))
        return (seq, "converted", None, key, dest, tmp, xml_sha, record["sha256"], exists,
                target_sha, _result_line(record), keep, name)


def _worker_main(conn: Any, options: _Options) -> None:
    """Worker loop: convert the tasks of the chunks received, one by one; between two
    documents, carry out the renames the batch process decided (``commit`` messages).

    A thread receives messages as they come, so the batch process never waits to send.
    Results go back once per chunk, or as soon as a document took longer than
    ``_SEND_SECONDS``, so the batch process wakes up rarely yet knows how far a slow chunk
    got; a commit is acknowledged when done.
    """
    import queue
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch process's to handle
    _die_with_parent()
    parent = os.getppid()
    convert = _Converter(options)
    convert_one("warm-up", _WARM_UP, lang="en")  # load the schema before the clock starts
    inbox: queue.SimpleQueue = queue.SimpleQueue()

    def receive() -> None:
        try:
            while True:
                message = conn.recv()
                inbox.put(message)
                if message is None:
                    return
        except (EOFError, OSError):
            inbox.put(None)

    threading.Thread(target=receive, daemon=True).start()
    conn.send(("ready",))
    chunks: deque[deque[Any]] = deque()
    results: list[_Result] = []
    last = time.monotonic()

    def handle(message: Any) -> bool:
        if message is None:
            return False
        if message[0] == "commit":
            conn.send(("committed", message[1], convert.commit(message[2])))
        else:
            chunks.append(deque(message[1]))
        return True

    while True:
        try:
            if not handle(inbox.get(timeout=1.0) if not chunks else inbox.get_nowait()):
                return
            while True:  # everything waiting, commits first
                if not handle(inbox.get_nowait()):
                    return
        except queue.Empty:
            if os.getppid() != parent:
                return
        if not chunks:
            continue
        chunk = chunks[0]
        results.append(convert(chunk.popleft()))
        now = time.monotonic()
        if not chunk:
            chunks.popleft()
        if not chunk or now - last >= _SEND_SECONDS:
            if os.getppid() != parent:
                return
            conn.send(("results", results))
            results, last = [], now


@dataclasses.dataclass
class _Task:
    seq: int
    name: str
    item: _Item
    alone: bool = False  # sent in a chunk of its own (to find which document broke a worker)

    @property
    def size(self) -> int:
        """Input bytes it stands for (tar members carry them; workers read other inputs)."""
        how, payload = self.item[3], self.item[4]
        if how == "data":
            return len(payload)
        size: int = payload[1] if how == "zip" else payload
        return size

    def message(self) -> tuple:
        source, member, parts, how, payload = self.item
        return (self.seq, self.name, source, member, parts, how, payload)


class _Worker:
    """One worker process, the chunks sent to it (oldest, the one it works on, first) and
    the commits it has not acknowledged yet."""

    def __init__(self, ctx: Any, options: _Options):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, options), daemon=True,
                                name="akn-ep-batch")
        self.proc.start()
        child.close()
        self.queue: deque[list[_Task]] = deque()
        self.commits: deque[tuple[int, list[tuple[str, str]]]] = deque()
        self.got = 0  # results received for the oldest chunk
        self.ready = False  # warmed up; the clock of a chunk starts when the worker is ready
        self.deadline = float("inf")

    def restart_clock(self, timeout: float | None) -> None:
        ticking = timeout and self.ready and self.queue
        self.deadline = time.monotonic() + timeout if timeout and ticking else float("inf")

    def send(self, chunk: list[_Task], timeout: float | None) -> None:
        self.conn.send(("tasks", [t.message() for t in chunk]))
        self.queue.append(chunk)
        if len(self.queue) == 1:
            self.got = 0
            self.restart_clock(timeout)

    def stop(self, kill: bool = False) -> None:
        if not kill and not self.queue and not self.commits:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.proc.join(2.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class _Pool:
    """Worker processes, each with the chunk it works on and at most one small chunk waiting
    (so it never idles while the batch process is busy); crashes and hangs are pinned on
    the document that caused them; renames decided by the batch process are carried out by
    a worker between two documents (by the batch process itself if no worker can)."""

    def __init__(self, jobs: int, options: _Options, timeout: float | None):
        self.ctx = multiprocessing.get_context()
        self.jobs, self.timeout, self.options = jobs, timeout, options
        self.workers: list[_Worker] = []  # started on demand: a run with nothing to do starts none
        self.done: list[tuple] = []  # commits carried out here, reported by the next wait()
        self.wake_r, self.wake_w = os.pipe()  # written to (by a signal handler) to end a wait
        os.set_blocking(self.wake_w, False)
        self.poller = select.poll()  # one for the run: cheaper than a selector per wait
        self.poller.register(self.wake_r, select.POLLIN)
        self.fds: dict[int, _Worker] = {}  # connection and sentinel of each worker

    def _start(self) -> _Worker:
        w = _Worker(self.ctx, self.options)
        self.workers.append(w)
        for fd in (w.conn.fileno(), w.proc.sentinel):
            self.fds[fd] = w
            self.poller.register(fd, select.POLLIN)
        return w

    def slot(self) -> tuple[_Worker | None, int] | None:
        """Where the next chunk can go, and how many input bytes it may carry: an idle worker
        or a new one (any size), or a busy worker's waiting place (a small one); None if
        every place is taken."""
        for w in self.workers:
            if not w.queue:
                return w, _CHUNK_BYTES
        if len(self.workers) < self.jobs:
            return None, _CHUNK_BYTES
        for w in self.workers:
            if w.ready and len(w.queue) == 1:
                return w, _PREFETCH_BYTES
        return None

    def busy(self) -> bool:
        return bool(self.done) or any(w.queue or w.commits for w in self.workers)

    def submit(self, w: _Worker | None, chunk: list[_Task]) -> None:
        if w is None:
            w = self._start()
        try:
            w.send(chunk, self.timeout)
        except OSError:  # the worker died: its chunks go again, to a new one
            if w.queue or w.commits:
                raise
            self._drop(w)
            self._start().send(chunk, self.timeout)

    def commit(self, w: _Worker, cid: int, seqs: list[int], items: list[tuple[str, str]]) -> None:
        """Have the worker that converted ``seqs`` move their outputs into place (``items``:
        temporary file, output path) and record them; :meth:`wait` then reports
        ``("committed", cid, errors)``, or ``("committed", cid, errors, True)`` when the
        worker is gone and this process did the renames (and is to record them)."""
        if w in self.workers:
            try:
                w.conn.send(("commit", cid, seqs))
            except OSError:
                pass
            else:
                w.commits.append((cid, items))
                return
        self.done.append(("committed", cid, _rename_all(self.options.outdir, items), True))

    def _drop(self, w: _Worker) -> None:
        """Stop a dead, hung or broken worker (the next chunk starts a fresh one) and carry
        out the commits it had not acknowledged (a temporary file already gone was moved)."""
        for fd in (w.conn.fileno(), w.proc.sentinel):
            self.fds.pop(fd, None)
            with contextlib.suppress(KeyError, ValueError):
                self.poller.unregister(fd)
        w.stop(kill=True)
        self.workers.remove(w)
        outdir = self.options.outdir
        for cid, items in w.commits:
            errors = []
            for i, (tmp, dest) in enumerate(items):
                if os.path.lexists(tmp):
                    errors += [(i, why) for _, why in _rename_all(outdir, [(tmp, dest)])]
                elif not os.path.lexists(os.path.join(outdir, dest)):
                    errors.append((i, "the temporary file is gone"))
            self.done.append(("committed", cid, errors, True))
        w.commits.clear()

    def wait(self, until: float = float("inf")) -> list[tuple]:
        """Block until something happens (or the monotonic clock reaches ``until``); events
        ``("result", seq, result, worker)``, ``("committed", id, errors[, True])`` (see
        :meth:`commit`), ``("lost", task, kind,
        message)``, ``("alone", [task, …])`` (to run one by one) and ``("again", [task, …])``
        (not started)."""
        events, self.done = self.done, []
        if events:
            return events
        deadline = min([until, *(w.deadline for w in self.workers if w.queue)])
        wait_ms = None if deadline == float("inf") else max(
            0, math.ceil(1000 * (deadline - time.monotonic())))
        touched: dict[_Worker, str] = {}  # worker -> "ended" (process) or "broken" (pipe)
        for fd, _ in self.poller.poll(wait_ms):
            if fd == self.wake_r:
                os.read(self.wake_r, 512)
                continue
            w = self.fds.get(fd)
            if w is None:
                continue
            ended = fd == w.proc.sentinel
            if ended:
                touched.setdefault(w, "ended")
                continue
            try:
                message = w.conn.recv()
            except (EOFError, OSError):
                touched[w] = "broken"
                continue
            if message[0] == "ready":
                w.ready = True
            elif message[0] == "committed":
                w.commits.popleft()
                events.append(message)
            else:
                results = message[1]
                events.extend(("result", r[0], r, w) for r in results)
                w.got += len(results)
                if w.got == len(w.queue[0]):
                    w.queue.popleft()
                    w.got = 0
            w.restart_clock(self.timeout)
        now = time.monotonic()
        for w in list(self.workers):
            ended = w in touched
            if touched.get(w) == "ended" and w.conn.poll():  # first read what it sent before
                continue
            if not w.queue:
                if ended:
                    self._drop(w)
                continue
            if ended:
                w.proc.join(1.0)  # its pipe may close before it is gone: wait for the status
                code = w.proc.exitcode
                how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
                       else f"exit status {code}")
                kind, message = "crash", f"the converter process died ({how}) on this input"
            elif now > w.deadline:
                kind, message = "timeout", f"conversion took longer than {self.timeout:g} s"
            else:
                continue
            unreported = w.queue.popleft()[w.got :]
            waiting = [t for chunk in w.queue for t in chunk]
            w.queue.clear()
            self._drop(w)
            if len(unreported) == 1:
                events.append(("lost", unreported[0], kind, message))
            else:  # one of these did it: try each alone, and the culprit will do it again
                events.append(("alone", [dataclasses.replace(t, alone=True) for t in unreported]))
            if waiting:
                events.append(("again", waiting))
        events.extend(self.done)
        self.done = []
        return events

    def abandon(self) -> list[tuple]:
        """Stop every worker now; carry out the commits they had not acknowledged; their
        ``committed`` events."""
        for w in list(self.workers):
            self._drop(w)
        events, self.done = self.done, []
        return events

    def close(self) -> None:
        for w in self.workers:
            w.stop(kill=bool(w.queue or w.commits))
        for fd in (self.wake_r, self.wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)


