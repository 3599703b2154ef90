"""The HTML route's speed: pages/s on the real pages in ../shared/corpus/html, and the
HTML route against the text route on the same document (docs/performance.md, "HTML route").

    .venv/bin/python benchmarks/bench_html.py [--repeat N]

Same document, two routes: the joint motion's page against the text it holds
(``to_text`` of what the page reads as), and CONSTRUCTED pages of both templates
(tests/html_pages.py) built from the seed text against ``parse_text`` of the seed.
Best of N runs, CPU time of one process.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import akn_ep  # noqa: E402
from html_pages import new_template, old_template  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def best(f, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.process_time()
        f()
        times.append(time.process_time() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=50)
    n = ap.parse_args().repeat
    for name in ("RC-10-2025-0249_EN.html", "A-9-2024-0163_EN.html"):
        data = (CORPUS / "html" / name).read_bytes()
        r = akn_ep.parse_html(data)
        th = best(lambda d=data: akn_ep.parse_html(d), n)
        line = f"{name}: {len(data):,} bytes, parse_html {th * 1000:.2f} ms = {1 / th:.0f} pages/s"
        if not r.amendments:
            text = akn_ep.to_text(r)
            tt = best(lambda t=text: akn_ep.parse_text(t, lang="en"), n)
            line += (f"; parse_text of its text ({len(text.encode()):,} bytes) {tt * 1000:.2f} ms"
                     f"; HTML/text {th / tt:.1f}x")
        print(line)
    seed = (CORPUS / "seed" / "000_844d43a262bbbfb9.txt").read_bytes()
    r = akn_ep.parse_text(seed)
    tt = best(lambda: akn_ep.parse_text(seed), n)
    for template in (old_template, new_template):
        page = template(r, doc_id="TA-7-2012-0089", page_title="TEXTS ADOPTED",
                        number="P7_TA(2012)0089", dmy=(15, 3, 2012)).encode()
        th = best(lambda p=page: akn_ep.parse_html(p), n)
        print(f"seed as a {template.__name__.replace('_', ' ')} page ({len(page):,} bytes): "
              f"parse_html {th * 1000:.2f} ms; parse_text of the seed ({len(seed):,} bytes) "
              f"{tt * 1000:.2f} ms; HTML/text {th / tt:.1f}x")


if __name__ == "__main__":
    main()
