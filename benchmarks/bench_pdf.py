"""Speed of the PDF route on a generated 10-page resolution, on one core.

Run:  .venv/bin/python benchmarks/bench_pdf.py [--pages 10] [--repeat 7]

Needs reportlab (the ``test`` extra), which typesets the resolution as the tests
do (``tests/pdf_fixtures.py``). Reports, for each way of setting the lines,

- ``read``: PDF → Lines (``akn_ep.pdf.read_layout``: pdfminer's interpreter and
  the layout analysis);
- ``parse_pdf``: PDF → Resolution (the above plus language detection and the parser);

as best-of-N CPU seconds per document (the cost on one core; wall time beside
it), pages/s and documents/s, plus the first call in the process (imports,
font tables). The target (docs/pdf.md): one 10-page
resolution read in under 0.5 s on one core.

Ways of setting the lines: ``tw`` one string per line, justified by word
spacing (as word processors write); ``words`` every word placed on its own (the
most operators per page); ``tw/pdfminer-tokenizer`` the first with pdfminer's own
content-stream tokenizer, for comparison.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent / "src"))

import akn_ep  # noqa: E402
from akn_ep.pdf import interpret, reader  # noqa: E402


def best(fn, repeat: int) -> tuple[float, float]:
    """Best of ``repeat`` runs of ``fn``: (CPU seconds of this process, wall seconds).

    CPU time is the cost on one core, and stays true on a busy machine; wall time
    is what a user waits when the machine is otherwise idle.
    """
    cpu = wall = float("inf")
    for _ in range(repeat):
        gc.collect()
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu = min(cpu, time.process_time() - c)
        wall = min(wall, time.perf_counter() - w)
    return cpu, wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10, help="size of the generated resolution")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    try:
        import pdf_fixtures as F
    except ImportError as exc:  # reportlab missing
        print(f"needs the test extra (reportlab): {exc}", file=sys.stderr)
        return 2

    source = F.long_resolution(args.pages)
    expected = akn_ep.parse_text(F.clean_text(source))
    docs = {}
    for justify in ("tw", "words"):
        data, log = F.typeset(source, justify=justify)
        docs[justify] = (data, log.pages)

    data, pages = docs["tw"]
    t = time.process_time()
    first = akn_ep.parse_pdf(data)
    cold = time.process_time() - t
    assert first == expected, "the PDF route must give the text route's model"

    print(f"generated resolution: {pages} pages, {len(data) / 1024:.0f} KiB "
          f"({len(expected.recitals)} recitals, {len(list(expected.paragraphs()))} paragraphs), "
          f"one core, best of {args.repeat}")
    print(f"first call in the process (imports, font tables): {cold:.3f} s CPU\n")
    print(f"{'lines set as':<26}{'stage':<11}{'CPU s/doc':>10}{'pages/s':>9}{'docs/s':>8}"
          f"{'wall s/doc':>12}")
    rows = [("tw", True), ("words", True), ("tw", False)]
    for justify, fast in rows:
        data, pages = docs[justify]
        interpret.FAST_TOKENIZER = fast
        label = justify if fast else f"{justify}/pdfminer-tokenizer"
        try:
            for stage, fn in (("read", lambda d=data: reader.read_layout(d)),
                              ("parse_pdf", lambda d=data: akn_ep.parse_pdf(d))):
                cpu, wall = best(fn, args.repeat)
                print(f"{label:<26}{stage:<11}{cpu:10.3f}{pages / cpu:9.1f}{1 / cpu:8.2f}"
                      f"{wall:12.3f}")
        finally:
            interpret.FAST_TOKENIZER = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
