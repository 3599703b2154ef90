"""Throughput and memory of ``akn-ep batch`` on a synthetic archive of real EP texts.

Run:  .venv/bin/python benchmarks/bench_batch.py [--docs 20000] [--jobs 1 2] [--rounds 1]
                                                  [--format tar.gz|zip|tar] [--keep DIR]

Builds, in a temporary directory (deleted afterwards unless ``--keep DIR``), an archive of
``--docs`` documents made from the real corpus texts (``../shared/corpus/**/*.txt``): each
copy gets its own texts-adopted number line above the head (``P7_TA(2012)0089``, term and
year from the text's adoption date), so every document has its own IRI, as in a real
collection. It then runs the real command, ``python -m akn_ep.cli batch ARCHIVE -o OUT
--jobs N -q``, once per ``--jobs`` value into fresh folders (``--rounds`` times, in
turn, every other round in the reverse order, keeping the fastest run of each: the machine
may be shared), with the page cache flushed (``sync``) before each run and no output
deleted before the end (disk space: about 18 kB per document per run), and reports

- documents/s (wall clock of the whole command, start-up included);
- peak memory of the process tree, from /proc (Linux): the sum of the RSS of the batch
  process and its workers, sampled every 50 ms (shared pages counted in each process, so an
  upper bound), the sum of each process's own peak RSS (``VmHWM``: an upper bound of that
  whatever the sampling), and the sum of their PSS (shared pages split between them),
  sampled once a second because reading it costs the measured processes CPU;
- ``ru_maxrss`` of the largest process (``resource.getrusage(RUSAGE_CHILDREN)``);
- CPU time of the batch process and of its workers (what the parallel speed-up is bounded
  by: with w and p the workers' and the batch process's ms/doc, 2 processes can be at most
  2w / (w + p) times as fast as 1 on 2 cores, since with 1 worker the batch process runs on
  the other core); the batch process's figure includes Python's start-up and imports, which
  are also measured alone (the same command on an empty folder) and shown apart (bytecode
  is cached in the work folder, as for an installed package, and warmed by that command);
- a calibration of the machine: how much faster a plain CPU-bound loop runs in 2 processes
  than in 1 (on a shared or throttled VM far less than 2, which caps any speed-up);
- with ``--rounds`` > 1, the speed-up within each round (its two runs are minutes apart at
  most, so under much the same load) and the median of those;
- that every document converted, that the trees of all runs are identical byte for byte,
  and a re-run of the last command (everything skipped: the resume path).

Targets (docs/batch.md): 2 processes ≥ 1.8× as fast as 1; peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import akn_ep

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"
SRC = HERE.parent / "src"


def corpus_texts(root: Path) -> list[tuple[str, bytes, str]]:
    """(name, bytes, ``P{term}_TA({year})``) for every corpus text."""
    out = []
    for path in sorted(glob.glob(str(root / "**" / "*.txt"), recursive=True)):
        data = Path(path).read_bytes()
        date = akn_ep.parse_text(data).date
        term = 4 + (date.year - 1994 - (date.month < 7)) // 5  # terms start in July 1994 …
        out.append((os.path.relpath(path, root), data, f"P{term}_TA({date.year})"))
    return out


def documents(texts: list[tuple[str, bytes, str]], n: int):
    """``n`` (member name, bytes): the texts in turn, each with the next free TA number."""
    numbers: dict[str, int] = {}
    for i in range(n):
        name, data, prefix = texts[i % len(texts)]
        numbers[prefix] = numbers.get(prefix, 0) + 1
        if numbers[prefix] > 9999:
            raise SystemExit(f"more than 9999 documents for {prefix}: use fewer --docs")
        nl = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
        head = f"{prefix}{numbers[prefix]:04d}".encode() + nl
        stem, _, ext = name.rpartition(".")
        yield f"batch-{i // 1000:03d}/{stem}-{i:06d}.{ext}", head + data


def build_archive(path: Path, texts, n: int) -> int:
    """Write the archive; its uncompressed size in bytes."""
    total = 0
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in documents(texts, n):
                z.writestr(name, data)
                total += len(data)
    else:
        mode = "w:gz" if path.name.endswith(".gz") else "w"
        with tarfile.open(path, mode) as t:
            for name, data in documents(texts, n):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = 1331769600
                t.addfile(info, io.BytesIO(data))
                total += len(data)
    return total


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _status(pids: list[int]) -> tuple[int, dict[int, int]]:
    """Sum of RSS (kB) of the processes, and each one's own peak RSS so far (``VmHWM``), from
    ``/proc/PID/status``: counters the kernel keeps, so reading them costs ~0.03 ms."""
    rss, hwm = 0, {}
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        hwm[p] = int(line.split()[1])
        except (OSError, ValueError):
            pass
    return rss, hwm


def _pss(pids: list[int]) -> int:
    """Sum of PSS (kB) of the processes, from ``/proc/PID/smaps_rollup``: the kernel walks the
    page tables of the process for it (~0.7 ms for one worker, holding its memory map's
    lock), so it is read once a second, not at every sample."""
    pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return pss


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by one process."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def run(cmd: list[str], env: dict) -> dict:
    """Run the command, sampling its process tree's memory; timings, CPU and peaks.

    The sampler must not slow the command it measures: with two workers on two cores any
    CPU it takes is theirs. It reads cheap counters every 50 ms (RSS and each process's own
    peak, ``VmHWM``; the batch process's CPU) and PSS, which costs the kernel a walk of each
    process's page tables, once a second (memory stays flat, so a peak held for less than
    a second is all it could miss; ``hwm``, the sum of each process's own peak, bounds the
    RSS sum from above whatever the sampling)."""
    peak = {"rss": 0, "pss": 0, "hwm": 0, "procs": 0, "parent_cpu": 0.0}
    machine = _machine()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    done = threading.Event()
    own_peak: dict[int, int] = {}

    def sample() -> None:
        last_pss = 0.0
        while not done.is_set():
            pids = _tree(proc.pid)
            rss, hwm = _status(pids)
            own_peak.update(hwm)
            peak["rss"] = max(peak["rss"], rss)
            peak["procs"] = max(peak["procs"], len(pids))
            peak["parent_cpu"] = max(peak["parent_cpu"], _cpu(proc.pid))
            now = time.perf_counter()
            if now - last_pss >= 1.0:
                peak["pss"] = max(peak["pss"], _pss(pids))
                last_pss = now
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)  # usage includes the reaped workers
    wall = time.perf_counter() - start
    tick = os.sysconf("SC_CLK_TCK")
    busy, idle, steal = (b / tick - a / tick for a, b in zip(machine, _machine(), strict=True))
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    peak["hwm"] = sum(own_peak.values())
    cpu = usage.ru_utime + usage.ru_stime
    return {"exit": proc.returncode, "wall": wall, "cpu": cpu, "busy": busy, "idle": idle,
            "steal": steal, **peak}


def _spin(n: int) -> int:
    x = 0
    for i in range(n):
        x += i * i
    return x


_TEXTS: list[bytes] = []  # what the converter calibration converts (set before forking)


def _convert(n: int) -> int:
    from akn_ep.batch import convert_one

    for i in range(n):
        convert_one("calibration", _TEXTS[i % len(_TEXTS)])
    return n


def calibrate(texts: list[bytes] | None = None, n: int = 15_000_000) -> float:
    """How many times faster 2 processes do 2 units of CPU-bound work than 1 process does 1:
    a plain loop, or with ``texts``, the converter itself (``convert_one`` on each text in
    turn, ``len(texts) * 20`` documents per process; no files, no batch machinery). Each
    pool does one unit first, so that start-up and warm-up (the schema) are not timed."""
    import multiprocessing

    if texts is not None:
        _TEXTS[:] = texts
        work, n = _convert, len(texts) * 20
    else:
        work = _spin
    walls = {}
    for procs in (1, 2):
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            pool.map(work, [max(1, n // 100)] * procs)
            start = time.perf_counter()
            pool.map(work, [n] * procs)
            walls[procs] = time.perf_counter() - start
    return 2 * walls[1] / walls[2]


def _machine() -> list[int]:
    """Ticks of the whole machine so far (Linux /proc/stat): busy, idle (with I/O wait),
    stolen by the hypervisor."""
    with open("/proc/stat") as fh:
        v = [int(x) for x in fh.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
    return [user + nice + system + irq + softirq, idle + iowait, steal]


def tree_digest(outdir: Path) -> tuple[str, int]:
    """SHA-256 over every path and content of the tree (bookkeeping excluded); file count."""
    h = hashlib.sha256()
    n = 0
    for dirpath, dirnames, filenames in os.walk(outdir):
        dirnames[:] = sorted(d for d in dirnames if d != ".akn-ep")
        for f in sorted(filenames):
            p = Path(dirpath) / f
            h.update(p.relative_to(outdir).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
            n += 1
    return h.hexdigest(), n


def summary_of(report: Path) -> dict:
    with open(report, "rb") as fh:
        fh.seek(max(0, os.path.getsize(report) - 4096))
        return json.loads(fh.read().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=1,
                    help="run each --jobs value this many times, in turn; report the fastest")
    ap.add_argument("--format", choices=("tar.gz", "zip", "tar"), default="tar.gz")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = ap.parse_args(argv)
    if not (args.corpus / "manifest.json").exists():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    texts = corpus_texts(args.corpus)
    path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}

    with tempfile.TemporaryDirectory(prefix="akn-ep-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        archive = work / f"resolutions.{args.format}"
        t = time.perf_counter()
        size = build_archive(archive, texts, args.docs)
        print(f"archive: {args.docs} documents from {len(texts)} corpus texts, "
              f"{size / 1e6:.1f} MB of text, {archive.stat().st_size / 1e6:.1f} MB as "
              f".{args.format}, built in {time.perf_counter() - t:.1f} s")
        # bytecode cached as for an installed package (PYTHONDONTWRITEBYTECODE would have every
        # run compile every module again), in the work folder, warmed by the first command
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        empty = work / "empty"
        empty.mkdir(exist_ok=True)
        for _ in range(2):  # the first run fills the bytecode cache
            idle = run([sys.executable, "-m", "akn_ep.cli", "batch", str(empty), "-o",
                        str(work / "out-empty"), "-q"], env)
        print(f"start-up: the command on an empty folder takes {idle['cpu']:.2f} s of CPU "
              f"({idle['wall']:.2f} s wall)")
        raw = [data for _, data, _ in texts]
        scale, own = calibrate(), calibrate(raw)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start; "
              f"in 2 processes rather than 1, a CPU-bound loop runs {scale:.2f}× as fast, the "
              f"converter alone (no files, no batch) {own:.2f}×")
        best: dict[int, tuple[dict, dict, bool]] = {}
        digests = set()
        peak_rss = 0
        last_cmd: list[str] = []
        last_report = work / "report.jsonl"
        runs: dict[int, list[dict]] = {j: [] for j in args.jobs}  # per round
        for rnd in range(args.rounds):
            # every other round in the reverse order, so that neither value always runs
            # first after the previous round's clean-up and write-back
            for jobs in (args.jobs if rnd % 2 == 0 else args.jobs[::-1]):
                # a new folder for every run, none deleted before the end: deleting a tree of
                # 20,000 files just before a run (on a file system mounted with ``discard``,
                # as here) made the kernel time of the next run's first thousands of
                # mkdir/open calls several times as long, and the run 40-80 % slower
                out = work / f"out-r{rnd + 1}-j{jobs}"
                report = work / f"report-r{rnd + 1}-j{jobs}.jsonl"
                if out.exists():
                    raise SystemExit(f"{out} exists: --keep a fresh folder")
                os.sync()  # the previous run's write-back must not slow this one
                last_cmd = [sys.executable, "-m", "akn_ep.cli", "batch", str(archive), "-o",
                            str(out), "--jobs", str(jobs), "-q", "--report", str(report)]
                last_report = report
                r = run(last_cmd, env)
                runs[jobs].append(r)
                peak_rss = max(peak_rss, r["rss"], r["hwm"])
                s = summary_of(report)
                digest, files = tree_digest(out)
                digests.add(digest)
                ok = r["exit"] == 0 and s["converted"] == args.docs == files
                print(f"jobs {jobs}: {args.docs / r['wall']:7.0f} docs/s  wall {r['wall']:6.1f} s"
                      f"  peak RSS sum {r['rss'] / 1024:5.0f} MB"
                      f" (of own peaks {r['hwm'] / 1024:.0f})"
                      f"  PSS sum {r['pss'] / 1024:5.0f} MB"
                      f"  processes {r['procs']}  converted {s['converted']}/{args.docs}"
                      f"{'' if ok else '  FAILED'}  (round {rnd + 1}, load "
                      f"{os.getloadavg()[0]:.2f})")
                per_doc = (r["parent_cpu"] - idle["cpu"]) / args.docs
                print(f"        CPU {r['cpu']:6.1f} s: batch process {r['parent_cpu']:5.2f} s "
                      f"({1000 * r['parent_cpu'] / args.docs:.3f} ms/doc; "
                      f"{1000 * per_doc:.3f} without start-up), workers "
                      f"{r['cpu'] - r['parent_cpu']:6.1f} s "
                      f"({1000 * (r['cpu'] - r['parent_cpu']) / args.docs:.2f} ms/doc)")
                print(f"        machine: {r['busy']:5.1f} of {2 * r['wall']:5.1f} core-s busy "
                      f"({r['cpu']:.1f} ours), idle {r['idle']:.1f}, stolen {r['steal']:.1f}"
                      if os.cpu_count() == 2 else
                      f"        machine: {r['busy']:5.1f} core-s busy ({r['cpu']:.1f} ours), "
                      f"idle {r['idle']:.1f}, stolen {r['steal']:.1f}")
                all_ok = ok and best.get(jobs, (None, None, True))[2]
                if jobs not in best or r["wall"] < best[jobs][0]["wall"]:
                    best[jobs] = (r, s, all_ok)
                else:
                    best[jobs] = (*best[jobs][:2], all_ok)
        rows = [(j, *best[j]) for j in args.jobs]
        maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        os.sync()
        resume = run(last_cmd, env)
        s = summary_of(last_report)
        print(f"re-run (resume, {' '.join(last_cmd[-5:-3])}): {s['skipped']} skipped in "
              f"{resume['wall']:.1f} s ({args.docs / resume['wall']:.0f} docs/s)")
        print(f"largest single process (ru_maxrss): {maxrss:.0f} MB")
        print(f"output trees identical across runs: {len(digests) == 1}")
        by_jobs = {j: r for j, r, _, _ in rows}
        if 1 in by_jobs and 2 in by_jobs:
            speedup = by_jobs[1]["wall"] / by_jobs[2]["wall"]
            fastest = ", ".join(f"jobs {j} {args.docs / r['wall']:.0f} docs/s"
                                for j, r in by_jobs.items())
            print(f"fastest runs: {fastest}")
            print(f"speed-up 2 processes / 1: {speedup:.2f}  (target ≥ 1.8; the machine's "
                  f"2-process factor for a loop {scale:.2f}, now {calibrate():.2f}; for the "
                  f"converter alone {own:.2f}, now {calibrate(raw):.2f})")
            # each round's own ratio (both runs close in time, under much the same load), and
            # how much more CPU the same documents took in 2 processes than in 1: the machine
            # running each of two busy processes slower. Wall ratio × that CPU ratio is the
            # speed-up had each process run as fast as one alone: what the batch itself
            # achieves (idle time and the batch process's share), whatever the machine.
            pairs = list(zip(runs[1], runs[2], strict=True))
            ratios = [one["wall"] / two["wall"] for one, two in pairs]
            more = [two["cpu"] / one["cpu"] for one, two in pairs]
            print("speed-up in each round: " + ", ".join(f"{x:.2f}" for x in ratios)
                  + f"; median {statistics.median(ratios):.2f}")
            alone = [x * y for x, y in zip(ratios, more, strict=True)]
            print("CPU for the same documents, 2 processes / 1: "
                  + ", ".join(f"{x:.2f}" for x in more)
                  + "; speed-up had each process run as fast as one alone: "
                  + ", ".join(f"{x:.2f}" for x in alone)
                  + f"; median {statistics.median(alone):.2f}")
            w1 = (by_jobs[1]["cpu"] - by_jobs[1]["parent_cpu"]) / args.docs
            p1 = by_jobs[1]["parent_cpu"] / args.docs
            print(f"bound from CPU time on 2 free cores: 2w/(w+p) = {2 * w1 / (w1 + p1):.2f} "
                  f"(w = {1000 * w1:.2f} ms/doc in the worker, p = {1000 * p1:.2f} in the batch "
                  "process)")
        print(f"peak memory (RSS sum or sum of each process's own peak, all runs): "
              f"{peak_rss / 1024:.0f} MB  (target < 300)")
        good = all(ok for *_, ok in rows) and len(digests) == 1 and s["skipped"] == args.docs
        return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
