"""``akn-ep batch``: arguments, progress on a terminal or as plain lines, the JSON Lines
report, Ctrl-C and SIGTERM, the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NoReturn

from .. import languages
from ..errors import AknEpError
from .identities import load_identities
from .inputs import DEFAULT_MAX_BYTES, iter_inputs
from .run import DEFAULT_TIMEOUT, _Batch, _start, _Summary
from .state import _COMMIT_SECONDS, _STATE_DIR, BatchError
from .workers import _die_with_parent


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def _plural(n: int, word: str) -> str:
    """``1 input``, ``2 inputs``.

    Example:
        >>> _plural(1, "input"), _plural(0, "document")
        ('1 input', '0 documents')
    """
    return f"{n} {word}{'' if n == 1 else 's'}"


def _count_inputs(conn: Any, sources: list[str], kwargs: dict[str, Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch process's to handle
    _die_with_parent()
    n = 0
    try:
        for _ in iter_inputs(sources, read=False, **kwargs):
            n += 1
    except Exception:  # noqa: BLE001 - the batch reports unreadable sources itself
        return
    with contextlib.suppress(OSError):
        conn.send(n)


class _Counter:
    """The number of inputs, counted in a process of its own while the batch runs, for the
    progress bar's total: listing a large ``.tar.gz`` means reading all of it (a million
    documents: some 15 s), which should not keep the workers waiting. A process, not a
    thread, so that the batch process has no other thread when it forks its workers
    (Python 3.12+ warns that forking a process with threads may deadlock the child).
    Until the count is in, the bar shows done/?."""

    def __init__(self, sources: list[str], **kwargs: Any):
        ctx = multiprocessing.get_context()
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_count_inputs, args=(child, sources, kwargs),
                                name="akn-ep count inputs", daemon=True)
        self.proc.start()
        child.close()
        self.total: int | None = None

    def poll(self) -> int | None:
        """The count, once it is in (never blocks)."""
        if self.total is None:
            with contextlib.suppress(EOFError, OSError):
                if self.conn.poll():
                    self.total = self.conn.recv()
        return self.total

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join(5)
        self.conn.close()


class Progress:
    """Progress on ``stream``: a live bar on a terminal, a plain line every ``interval`` s
    otherwise (count, rate, ETA, failures so far). Hand-made rather than tqdm or rich: off
    a terminal (a CI log, a file) it writes plain lines at a slow pace with the batch's own
    counts (converted, skipped, failed), where tqdm writes carriage-return updates and rich
    writes nothing; and it costs no dependency.

    Example:
        >>> import io
        >>> p = Progress(io.StringIO(), total=2, tty=False, interval=0)
        >>> p.update({"status": "failed"}); print(p.stream.getvalue())
        akn-ep: 1/2 (50%), 0 converted, 0 skipped, 1 failed, …
        <BLANKLINE>
    """

    def __init__(self, stream: IO[str], total: int | None, *, tty: bool, interval: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self.stream, self.total, self.tty, self.interval = stream, total, tty, interval
        self.clock = clock
        self.counts: Counter[str] = Counter()
        self.start = clock()
        self.first: float | None = None  # the rate counts from the first record (not start-up)
        self.last = -float("inf")
        self.drawn = False

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def update(self, record: dict[str, Any]) -> None:
        """Count one record; redraw when due."""
        self.counts[record["status"]] += 1
        now = self.clock()
        if self.first is None:
            self.first = now
        if now - self.last >= (0.1 if self.tty else self.interval):
            self.last = now
            self._draw(now)

    def note(self, line: str) -> None:
        """Print a line (a failure) without breaking the bar."""
        if self.tty and self.drawn:
            self.stream.write("\r\x1b[K")
        self.stream.write(line + "\n")
        if self.tty and self.drawn:
            self._draw(self.clock())
        self.stream.flush()

    def _rate_eta(self, now: float) -> tuple[str, str]:
        """The rate and, while inputs remain, the time they should take ("…" until known)."""
        elapsed = now - self.first if self.first is not None else 0.0
        rate = (self.done - 1) / elapsed if elapsed >= 0.5 else 0.0
        if not rate:
            return "…", "…"
        shown = f"{rate:.0f} docs/s" if rate >= 10 else f"{rate:.1f} docs/s"
        if self.total is None:
            return shown, "?"
        return shown, _clock(max(self.total - self.done, 0) / rate)

    def _draw(self, now: float, final: bool = False) -> None:
        done, total = self.done, self.total
        rate, eta = self._rate_eta(now)
        failed = self.counts["failed"]
        # at the end: how long it took, not how long is left
        when = f"in {_clock(now - self.start)}" if final else f"ETA {eta}"
        if not self.tty:
            of = f"/{total} ({100 * done / total:.0f}%)" if total else ""
            more = f", {rate}, {when}" if rate != "…" or final else ", …"
            self.stream.write(f"akn-ep: {done}{of}, {self.counts['converted']} converted, "
                              f"{self.counts['skipped']} skipped, {failed} failed{more}\n")
            self.stream.flush()
            return
        tail = f" {done}/{total or '?'} {rate} {when} failed {failed}"
        width = shutil.get_terminal_size((80, 20)).columns - len(tail) - 3
        bar = ""
        if total and width >= 10:
            fill = int(width * min(done / total, 1.0))
            bar = "[" + "#" * fill + "." * (width - fill) + "]"
        self.stream.write("\r\x1b[K" + bar + tail)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """The bar's final state, drawn once, and a new line. Off a terminal nothing: the
        summary line that follows says it all."""
        if self.tty:
            self._draw(self.clock(), final=True)
            self.stream.write("\n")
        self.stream.flush()


_WARNING_LINE = re.compile(r"^line \d+(?: \([^)]*\))?: ")
_WARNING_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|“[^”]*”")
_WARNING_NUMBER = re.compile(r"\d+")


def warning_kind(message: str) -> str:
    """What a warning is about, for counting warnings of one kind across documents: the
    message without its line, what it quotes and its numbers, cut at its first colon.

    Example:
        >>> warning_kind("line 17: paragraph 1 printed without its dot")
        'paragraph N printed without its dot'
        >>> warning_kind("no adoption date printed or supplied: fallback 1995-01-01 (…)")
        'no adoption date printed or supplied'
    """
    text = _WARNING_LINE.sub("", message)
    text = _WARNING_QUOTED.sub("…", text)
    text = _WARNING_NUMBER.sub("N", text)
    return text.split(": ", 1)[0].strip()[:100]


class _Tally:
    """Outputs whose IRI has a guessed component, and warnings by kind (of every input
    read), for the closing summary: how many, and the first few names of each."""

    SHOWN = 3  # names listed per line
    KINDS = 10  # warning kinds listed (the most frequent)

    def __init__(self) -> None:
        self.guessed: dict[str, list[str]] = {"date": [], "number": []}
        self.guessed_counts: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()  # warnings of each kind
        self.kind_docs: dict[str, list[str]] = {}  # first documents with each kind
        self.kind_ndocs: Counter[str] = Counter()

    def add(self, line: str) -> None:
        # the common case, without parsing the line: nothing guessed, no warnings
        if '"guessed": ["' not in line and '"warnings": ["' not in line:
            return
        record = json.loads(line)
        name = record["input"]
        written = record["status"] in ("converted", "skipped")  # an IRI in the tree
        for part in (record.get("guessed") or ()) if written else ():
            self.guessed_counts[part] += 1
            if len(self.guessed[part]) < self.SHOWN:
                self.guessed[part].append(name)
        seen = set()
        for w in record.get("warnings") or ():
            kind = warning_kind(w)
            self.kinds[kind] += 1
            if kind not in seen:
                seen.add(kind)
                self.kind_ndocs[kind] += 1
                names = self.kind_docs.setdefault(kind, [])
                if len(names) < self.SHOWN:
                    names.append(name)

    def _names(self, names: list[str], n: int) -> str:
        return ", ".join(names) + (", …" if n > len(names) else "")

    def lines(self) -> list[str]:
        out = []
        for kind, n in self.kinds.most_common(self.KINDS):
            docs = self.kind_ndocs[kind]
            out.append(f"akn-ep: {_plural(n, 'warning')} in {_plural(docs, 'document')}: "
                       f"{kind} ({self._names(self.kind_docs[kind], docs)})")
        if len(self.kinds) > self.KINDS:
            rest = sum(self.kinds.values()) - sum(n for _, n in self.kinds.most_common(self.KINDS))
            out.append(f"akn-ep: {_plural(rest, 'more warning')} of "
                       f"{_plural(len(self.kinds) - self.KINDS, 'other kind')} (see the report)")
        for part, what in (("date", "an adoption date the text does not print (fallback)"),
                           ("number", "a work number that is no texts-adopted number")):
            n = self.guessed_counts[part]
            if n:
                out.append(f"akn-ep: {_plural(n, 'document')} with {what}: "
                           f"{self._names(self.guessed[part], n)}")
        if self.guessed_counts:
            out.append("akn-ep: state them with --date or --identities FILE (docs/batch.md)")
        return out


class _Report:
    """JSON Lines written to ``path.part`` as records come, renamed to ``path`` at the end."""

    def __init__(self, path: Path):
        self.path = path
        self.part = path.with_name(path.name + ".part")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.part, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.flushed = time.monotonic()

    def write(self, record: dict[str, Any]) -> None:
        self.write_line(json.dumps(record, ensure_ascii=False))

    def write_line(self, line: str) -> None:
        try:
            self.fh.write(line + "\n")
            now = time.monotonic()
            if now - self.flushed >= _COMMIT_SECONDS:  # a killed run leaves a readable .part
                self.fh.flush()
                self.flushed = now
        except OSError as exc:
            self._failed(exc)

    def close(self) -> None:
        try:
            self.fh.close()
        except OSError as exc:
            self._failed(exc)
        os.replace(self.part, self.path)

    def _failed(self, exc: OSError) -> NoReturn:
        """A write failed (a full disk): the report keeps its complete lines (a line cut
        where the disk filled is taken away), and the error names the report's path."""
        with contextlib.suppress(OSError):
            self.fh.close()
        with contextlib.suppress(OSError), open(self.part, "r+b") as fh:
            end = fh.seek(0, os.SEEK_END)
            while end > 0:
                start = max(0, end - (1 << 16))
                fh.seek(start)
                cut = fh.read(end - start).rfind(b"\n")
                if cut >= 0:
                    fh.truncate(start + cut + 1)
                    break
                end = start
            else:
                fh.truncate(0)
        raise OSError(exc.errno, f"{exc.strerror or exc} (writing the batch report; the records "
                      "written before are kept, whole)", str(self.part)) from None


def _iso_date(value: str) -> str:
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``akn-ep batch`` (used by :mod:`akn_ep.cli`).

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> p.parse_args(["a.zip", "-o", "out", "--jobs", "2"]).jobs
        2
    """
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="text file, directory (recursive) or .zip/.tar/.tar.gz archive")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder")
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="worker processes (default: one per core)")
    p.add_argument("--lang", help="ISO 639-1 language of every input (default: detected)")
    p.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                   help="adoption date of the inputs that print none")
    p.add_argument("--identities", metavar="FILE",
                   help="CSV (header: input,ta_number,date,frbr_uri) or JSON Lines file "
                        "stating the identity of inputs by name (see docs/batch.md)")
    p.add_argument("--layout", choices=("iri", "flat"), default="iri",
                   help="iri: OUTDIR/<path of the Akoma Ntoso IRI> (default); "
                        "flat: one file per input, named after it")
    p.add_argument("--force", action="store_true",
                   help="convert everything again and replace outputs of earlier runs")
    p.add_argument("--report", metavar="FILE",
                   help="JSON Lines report (default: OUTDIR/.akn-ep/report.jsonl)")
    p.add_argument("--include", action="append", metavar="PATTERN",
                   help="only file names matching this shell pattern inside directories and "
                        "archives, e.g. '*.txt' (repeatable)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="stop and report a document that takes longer "
                        f"(default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--progress-interval", type=float, default=10.0, metavar="SECONDS",
                   help="seconds between progress lines when stderr is not a terminal")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress, no failure lines")
    p.add_argument("--dask", metavar="SCHEDULER",
                   help="run the conversions on a Dask cluster: its scheduler's address "
                        "(tcp://host:8786), or 'local' for one on this machine (--jobs "
                        "workers); needs akn-ep[dask]; --timeout does not apply "
                        "(docs/batch.md)")


class _Interrupts:
    """Ctrl-C (SIGINT) and SIGTERM during a batch: the first stops it cleanly (every output
    already moved into place, or decided and moved now, is reported), the second at once."""

    def __init__(self) -> None:
        self.batch: _Batch | None = None
        self.count = 0
        self.old: dict[int, Any] = {}

    def __enter__(self) -> _Interrupts:
        with contextlib.suppress(ValueError):  # not the main thread: Python's own Ctrl-C
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.old[sig] = signal.signal(sig, self.handle)
        return self

    def handle(self, signum: int, frame: Any) -> None:
        self.count += 1
        if self.batch is None or self.count > 1:
            raise KeyboardInterrupt
        self.batch.interrupt()

    def __exit__(self, *exc: object) -> None:
        for sig, old in self.old.items():
            signal.signal(sig, old)


def run_cli(args: argparse.Namespace) -> int:
    """Run ``akn-ep batch`` with parsed arguments; the exit status.

    0: every input converted (or was already); 1: some input failed; 2: the batch could
    not start; 130: interrupted (the report then says so).

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> run_cli(p.parse_args(["/nonexistent.txt", "-o", "/nonexistent/out", "-q"]))
        1
    """
    out = Path(args.output)
    report_path = Path(args.report) if args.report else out / _STATE_DIR / "report.jsonl"
    err = sys.stderr
    excluded = [report_path, report_path.with_name(report_path.name + ".part")]
    progress = None
    counter: _Counter | None = None
    if args.lang:
        try:
            languages.get(args.lang)
        except AknEpError as exc:
            print(f"akn-ep: error: --lang: {exc}", file=err)
            return 2
    identities = None
    if args.identities:
        try:
            identities = load_identities(args.identities)
        except OSError as exc:
            print(f"akn-ep: error: --identities: {args.identities}: cannot read: "
                  f"{exc.strerror or exc}", file=err)
            return 2
        except ValueError as exc:
            print(f"akn-ep: error: --identities: {exc}", file=err)
            return 2
    if args.jobs is not None and args.jobs < 1:
        print(f"akn-ep: error: --jobs must be at least 1, got {args.jobs}", file=err)
        return 2
    report = None
    records = None
    batch = None
    tally = _Tally()
    interrupts = _Interrupts()
    try:
        interrupts.__enter__()
        if not args.quiet:
            progress = Progress(err, None, tty=err.isatty(), interval=args.progress_interval)
            counter = _Counter(args.sources, include=args.include, exclude=[out, *excluded])
        if getattr(args, "dask", None):  # akn_ep.batch.dask: the dask extra
            from .dask import start as _start_dask

            batch = _start_dask(args.dask, args.sources, out, jobs=args.jobs, lang=args.lang,
                                layout=args.layout, force=args.force, include=args.include,
                                max_bytes=DEFAULT_MAX_BYTES, exclude=excluded, date=args.date,
                                identities=identities)
        else:
            batch = _start(args.sources, out, jobs=args.jobs, lang=args.lang,
                           layout=args.layout, force=args.force, include=args.include,
                           timeout=args.timeout, max_bytes=DEFAULT_MAX_BYTES,
                           exclude=excluded, date=args.date, identities=identities)
        interrupts.batch = batch
        records = batch.run()
        for line, status, error_kind, _ in records:
            if report is None:
                report = _Report(report_path)
            report.write_line(line)
            tally.add(line)
            if progress is not None:
                if progress.total is None and counter is not None:
                    progress.total = counter.poll()
                progress.update({"status": status})
                if status == "failed":
                    record = json.loads(line)
                    progress.note(f"akn-ep: failed: {record['input']}: "
                                  f"[{error_kind}] {record['error']}")
        if batch.interrupted:
            raise KeyboardInterrupt
        if report is None:
            report = _Report(report_path)
        final = batch.final or batch.summary.record(outdir=str(out), layout=args.layout)
        report.write(final)
        report.close()
    except KeyboardInterrupt:
        summary = batch.summary if batch is not None else _Summary()
        final = summary.record(outdir=str(out), layout=args.layout, interrupted=True,
                               exit_status=130)
        if report is not None:
            report.write(final)
            report.close()
        if progress is not None:
            progress.close()
        print(f"akn-ep: interrupted after {_plural(final['inputs'], 'input')}; run the same "
              "command again to finish", file=err)
        return 130
    except (BatchError, OSError) as exc:
        print(f"akn-ep: error: {exc}", file=err)
        return 2
    finally:
        if counter is not None:
            counter.stop()
        if records is not None:
            records.close()  # stops the workers, releases the output folder
        interrupts.__exit__()
    if progress is not None:
        progress.total = final["inputs"]  # every input has its record: the count is done
        progress.close()
        errors = ", ".join(f"{k} {v}" for k, v in final["errors"].items())
        print(f"akn-ep: {_plural(final['inputs'], 'input')}: {final['converted']} converted, "
              f"{final['skipped']} skipped, {final['failed']} failed"
              f"{f' ({errors})' if errors else ''} in {final['seconds']:.1f} s; "
              f"report: {report_path}", file=err)
        for line in tally.lines():
            print(line, file=err)
    return int(final["exit_status"])
