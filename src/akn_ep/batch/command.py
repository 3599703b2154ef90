"""``akn-ep batch``: arguments, progress on a terminal or as plain lines, the JSON Lines
report, Ctrl-C and SIGTERM, the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any

from .. import languages
from ..errors import AknEpError
from .identities import load_identities
from .inputs import DEFAULT_MAX_BYTES, iter_inputs
from .run import DEFAULT_TIMEOUT, _Batch, _start, _Summary
from .state import _COMMIT_SECONDS, _STATE_DIR, BatchError


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def _count_in_background(progress: Progress, stop: threading.Event,
                         sources: list[str], **kwargs: Any) -> None:
    """Count the inputs for the progress bar's total while the batch runs: listing a
    large ``.tar.gz`` means reading all of it (a million documents: some 15 s), which
    should not keep the workers waiting. Until the count is in, the bar shows done/?."""
    def count() -> None:
        n = 0
        try:
            for _ in iter_inputs(sources, read=False, **kwargs):
                if stop.is_set():
                    return
                n += 1
        except Exception:  # noqa: BLE001 - the batch reports unreadable sources itself
            return
        progress.total = n

    threading.Thread(target=count, name="akn-ep count inputs", daemon=True).start()


class Progress:
    """Progress on ``stream``: a live bar on a terminal, a plain line every ``interval`` s
    otherwise (count, rate, ETA, failures so far).

    Example:
        >>> import io
        >>> p = Progress(io.StringIO(), total=2, tty=False, interval=0)
        >>> p.update({"status": "failed"}); print(p.stream.getvalue())
        akn-ep: 1/2 (50%), 0 converted, 0 skipped, 1 failed, …
        <BLANKLINE>
    """

    def __init__(self, stream: IO[str], total: int | None, *, tty: bool, interval: float = 10.0):
        self.stream, self.total, self.tty, self.interval = stream, total, tty, interval
        self.counts: Counter[str] = Counter()
        self.first: float | None = None  # the rate counts from the first record (not start-up)
        self.last = -float("inf")
        self.drawn = False
        self.shown = -1  # count on the last line drawn

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def update(self, record: dict[str, Any]) -> None:
        """Count one record; redraw when due."""
        self.counts[record["status"]] += 1
        now = time.monotonic()
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
            self._draw(time.monotonic())
        self.stream.flush()

    def _rate_eta(self, now: float) -> tuple[str, str]:
        elapsed = now - self.first if self.first is not None else 0.0
        rate = (self.done - 1) / elapsed if elapsed >= 0.5 else 0.0
        if not rate:
            return "…", "…"
        eta = _clock((self.total - self.done) / rate) if self.total else "?"
        return f"{rate:.0f} docs/s", eta

    def _draw(self, now: float) -> None:
        done, total = self.done, self.total
        self.shown = done
        rate, eta = self._rate_eta(now)
        failed = self.counts["failed"]
        if not self.tty:
            of = f"/{total} ({100 * done / total:.0f}%)" if total else ""
            more = f", {rate}, ETA {eta}" if rate != "…" else ", …"
            self.stream.write(f"akn-ep: {done}{of}, {self.counts['converted']} converted, "
                              f"{self.counts['skipped']} skipped, {failed} failed{more}\n")
            self.stream.flush()
            return
        tail = f" {done}/{total or '?'} {rate} ETA {eta} failed {failed}"
        width = shutil.get_terminal_size((80, 20)).columns - len(tail) - 3
        bar = ""
        if total and width >= 10:
            fill = int(width * min(done / total, 1.0))
            bar = "[" + "#" * fill + "." * (width - fill) + "]"
        self.stream.write("\r\x1b[K" + bar + tail)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Final state of the bar, and a new line."""
        if self.shown != self.done or self.tty:
            self._draw(time.monotonic())
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()


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
        self.fh.write(line)
        self.fh.write("\n")
        now = time.monotonic()
        if now - self.flushed >= _COMMIT_SECONDS:  # a killed run leaves a readable .part
            self.fh.flush()
            self.flushed = now

    def close(self) -> None:
        self.fh.close()
        os.replace(self.part, self.path)


def _iso_date(value: str) -> str:
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


class _Guessed:
    """Documents whose IRI has a guessed component, for the summary: how many, and the
    first few names."""

    SHOWN = 3

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {"date": [], "number": []}
        self.counts: Counter[str] = Counter()

    def add(self, line: str) -> None:
        if '"guessed": ["' not in line:  # the common case, without parsing the line
            return
        record = json.loads(line)
        for part in record.get("guessed") or ():
            self.counts[part] += 1
            if len(self.names[part]) < self.SHOWN:
                self.names[part].append(record["input"])

    def lines(self) -> list[str]:
        out = []
        for part, what in (("date", "an adoption date the text does not print (fallback)"),
                           ("number", "a work number that is no texts-adopted number")):
            n = self.counts[part]
            if n:
                more = ", …" if n > len(self.names[part]) else ""
                out.append(f"akn-ep: {n} document{'s' if n > 1 else ''} with {what}: "
                           f"{', '.join(self.names[part])}{more}")
        if out:
            out.append("akn-ep: state them with --date or --identities FILE (docs/batch.md)")
        return out


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
    counting = threading.Event()  # set: stop counting
    if not args.quiet:
        progress = Progress(err, None, tty=err.isatty(), interval=args.progress_interval)
        _count_in_background(progress, counting, args.sources, include=args.include,
                             exclude=[out, *excluded])
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
    guessed = _Guessed()
    interrupts = _Interrupts()
    try:
        interrupts.__enter__()
        batch = _start(args.sources, out, jobs=args.jobs, lang=args.lang, layout=args.layout,
                       force=args.force, include=args.include, timeout=args.timeout,
                       max_bytes=DEFAULT_MAX_BYTES, exclude=excluded, date=args.date,
                       identities=identities)
        interrupts.batch = batch
        records = batch.run()
        for line, status, error_kind, _ in records:
            if report is None:
                report = _Report(report_path)
            report.write_line(line)
            guessed.add(line)
            if progress is not None:
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
        print(f"akn-ep: interrupted after {final['inputs']} inputs; run the same command "
              "again to finish", file=err)
        return 130
    except (BatchError, OSError) as exc:
        print(f"akn-ep: error: {exc}", file=err)
        return 2
    finally:
        counting.set()
        if records is not None:
            records.close()  # stops the workers, releases the output folder
        interrupts.__exit__()
    if progress is not None:
        progress.total = final["inputs"]  # every input has its record: the count is done
        progress.close()
        errors = ", ".join(f"{k} {v}" for k, v in final["errors"].items())
        print(f"akn-ep: {final['inputs']} inputs: {final['converted']} converted, "
              f"{final['skipped']} skipped, {final['failed']} failed"
              f"{f' ({errors})' if errors else ''} in {final['seconds']:.1f} s; "
              f"report: {report_path}", file=err)
        for line in guessed.lines():
            print(line, file=err)
    return int(final["exit_status"])
