"""Throughput of each stage of the text route, on the real corpus, on one core.

Run:  .venv/bin/python benchmarks/bench_pipeline.py [--repeat N] [--corpus DIR]

Reports documents/s and MB/s for parse (bytes → model), write (model → AKN
bytes), validate (official XSD via lxml) and the whole path, and the ratios the
project targets (see docs/performance.md):

- whole path / (lxml parse + XSD validate + serialise of the same output) ≤ 4
- parser alone ≥ 5 MB/s
- cost linear in input size (a long resolution repeated to ~10 MB).
"""

from __future__ import annotations

import argparse
import glob
import gc
import json
import os
import sys
import time
from pathlib import Path

from lxml import etree

import akn_ep
from akn_ep.akn import validate as validate_mod
from akn_ep.text.lines import normalise
from akn_ep.text.parser import parse

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"


def corpus_docs(root: Path) -> list[tuple[str, bytes, str]]:
    """(name, bytes, language) for every corpus text."""
    manifest = {m["file"].split("/")[-1]: m["lang"]
                for m in json.loads((root / "manifest.json").read_text())}
    docs = []
    for path in sorted(glob.glob(str(root / "**" / "*.txt"), recursive=True)):
        name = os.path.basename(path)
        lang = manifest.get(name, "lv")
        docs.append((os.path.relpath(path, root), Path(path).read_bytes(), lang))
    return docs


def timed(fn, repeat: int) -> float:
    """Best of ``repeat`` runs of ``fn`` (seconds)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--linear-mb", type=float, default=10.0,
                    help="size of the long synthetic input for the linearity check")
    args = ap.parse_args(argv)
    if not (args.corpus / "manifest.json").exists():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    docs = corpus_docs(args.corpus)
    total_mb = sum(len(b) for _, b, _ in docs) / 1e6
    n = len(docs)
    models = [akn_ep.parse_text(b, lang=lang) for _, b, lang in docs]
    xmls = [akn_ep.to_akn(m) for m in models]
    schema = validate_mod._xsd()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)

    def do_parse():
        for _, b, lang in docs:
            akn_ep.parse_text(b, lang=lang)

    def do_write():
        for m in models:
            akn_ep.to_akn(m)

    def do_validate():
        for x in xmls:
            akn_ep.validate(x, profile=False)

    def do_validate_profile():
        for x in xmls:
            akn_ep.validate(x)

    def do_whole():
        for _, b, lang in docs:
            x = akn_ep.to_akn(akn_ep.parse_text(b, lang=lang))
            if akn_ep.validate(x, profile=False):
                raise SystemExit("invalid output")

    def do_lxml_baseline():
        for x in xmls:
            tree = etree.fromstring(x, parser)
            if schema is not None:
                schema.validate(tree)
            etree.tostring(tree, encoding="UTF-8", xml_declaration=True)

    rows = []
    for label, fn in [("parse (bytes→model)", do_parse), ("write (model→AKN bytes)", do_write),
                      ("validate (official XSD)", do_validate),
                      ("validate (XSD + EP profile)", do_validate_profile),
                      ("whole path (text→AKN→XSD)", do_whole),
                      ("lxml baseline (parse+XSD+serialise)", do_lxml_baseline)]:
        t = timed(fn, args.repeat)
        rows.append((label, t))
        print(f"{label:40s} {n / t:9.0f} docs/s  {total_mb / t:7.2f} MB/s  {1000 * t / n:7.3f} ms/doc")
    whole = dict(rows)["whole path (text→AKN→XSD)"]
    base = dict(rows)["lxml baseline (parse+XSD+serialise)"]
    parse_t = dict(rows)["parse (bytes→model)"]
    print(f"\n{n} documents, {total_mb * 1000:.1f} KB in all")
    print(f"whole path / lxml baseline = {whole / base:.2f}  (target ≤ 4)")
    print(f"parser alone = {total_mb / parse_t:.2f} MB/s  (target ≥ 5)")

    # linearity: the seed repeated (its items renumbered by repetition are continuation
    # text, so this is one long resolution) at 1/4, 1/2 and the full size
    seed = next(b for name, b, _ in docs if name.startswith("seed"))
    text = seed.decode("utf-8")
    head, _, tail = text.partition("1. uzsver")
    body = "1. uzsver" + tail
    sizes = []
    for frac in (0.25, 0.5, 1.0):
        target = int(args.linear_mb * 1e6 * frac)
        reps = max(1, target // len(body.encode()))
        big = head + body + ("\n" + body.replace("1. uzsver", "uzsver")) * (reps - 1)
        data = big.encode("utf-8")
        t = timed(lambda d=data: parse(normalise(d.decode("utf-8")), lang="lv"), 1)
        sizes.append((len(data) / 1e6, t))
        print(f"linearity: {len(data) / 1e6:6.2f} MB parsed in {t:6.2f} s  ({len(data) / 1e6 / t:.2f} MB/s)")
    (s1, t1), (s3, t3) = sizes[0], sizes[-1]
    print(f"time ratio for {s3 / s1:.1f}× the input: {t3 / t1:.2f}× (linear ≈ {s3 / s1:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
