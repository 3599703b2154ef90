"""Throughput of ``akn-ep publish`` into a real BaseX server, in documents/s.

Run:  .venv/bin/python benchmarks/bench_publish.py [--docs 5000] [--keep DIR]

Generates ``--docs`` valid Akoma Ntoso documents with distinct IRIs (the corpus
resolutions of ``../shared/corpus``, or ``examples/`` without it, each given new
texts-adopted numbers and dates: ``tests/basex_server.py:variants``), lays them out
as ``akn-ep batch`` does in a temporary folder, starts Debian's ``basexserver`` on
127.0.0.1 with a temporary home (as the tests do), and times:

0. a warm-up publish of 500 other documents into a scratch database (a fresh JVM
   interprets BaseX's code at first; a long-running server is warm);
1. the first publish into an empty database (validate + store every document);
2. a second publish of the same folder (validate + hash check, nothing sent);
3. a second publish with ``verify=True`` (every stored document fetched and compared);
4. a publish after 1 % of the documents changed (those replaced, the rest unchanged).

Everything stays on this machine (loopback) and in temporary directories, removed at
the end unless ``--keep DIR`` names where to leave the generated folder.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # the server launcher and generator the tests use

from akn_ep.repository import publish  # noqa: E402
from basex_server import BaseXServer, variants, write_folder  # noqa: E402


def timed_publish(folder: Path, server: BaseXServer, db: str, **kw) -> tuple[float, Counter]:
    """Seconds for one publish of ``folder`` and the count of each status."""
    start = time.perf_counter()
    counts = Counter(r.status for r in publish(folder, basex=server.address, db=db,
                                               user=server.user, password=server.password,
                                               **kw))
    return time.perf_counter() - start, counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000, help="documents to publish (default 5000)")
    ap.add_argument("--keep", metavar="DIR", help="leave the generated folder here")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    folder = Path(args.keep) if args.keep else tmp / "repo"
    server = None
    try:
        t = time.perf_counter()
        files = write_folder(folder, variants(args.docs))
        size = sum(p.stat().st_size for p in files.values())
        print(f"generated {len(files)} documents, {size / 1e6:.1f} MB, "
              f"in {time.perf_counter() - t:.1f} s: {folder}")

        server = BaseXServer(tmp / "basex")
        t = time.perf_counter()
        server.start()
        print(f"basexserver started on {server.address} in {time.perf_counter() - t:.1f} s")

        rows = []
        # A fresh JVM runs BaseX's code interpreted at first: warm it up on a scratch
        # database (reported too), as a long-running server is.
        warm = tmp / "warmup"
        write_folder(warm, variants(min(500, args.docs)))
        seconds, counts = timed_publish(warm, server, "warmup")
        rows.append(("warm-up: fresh server, other database", seconds, counts))
        seconds, counts = timed_publish(folder, server, "bench")
        rows.append(("first publish (empty database)", seconds, counts))
        seconds, counts = timed_publish(folder, server, "bench")
        rows.append(("same folder again", seconds, counts))
        seconds, counts = timed_publish(folder, server, "bench", verify=True)
        rows.append(("same folder again, verify=True", seconds, counts))
        for path in sorted(files.values())[:: 100]:  # 1 % of the documents change
            path.write_bytes(path.read_bytes().replace(b"</p>", b" (amended)</p>", 1))
        seconds, counts = timed_publish(folder, server, "bench")
        rows.append(("after 1 % changed", seconds, counts))

        print()
        print("| run | documents | seconds | documents/s | statuses |")
        print("|---|---:|---:|---:|---|")
        for name, seconds, counts in rows:
            n = sum(counts.values())
            shown = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
            print(f"| {name} | {n} | {seconds:.1f} | {n / seconds:.0f} | {shown} |")
        expected = len(files)
        if rows[1][2] != Counter(stored=expected) or rows[2][2] != Counter(unchanged=expected):
            print("unexpected statuses", file=sys.stderr)
            return 1
        return 0
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
