"""Compare the parser's models, input by input, between an old commit and this tree.

A behaviour-preserving change to the parser must give, for every input, the same
model (its ``repr``, which shows every field) and the same warnings and artefacts.
This script checks that on:

- every file of ``../shared/corpus/``, the fuzzers' text seeds, the kept regressions
  and ``tests/data`` (text through ``parse_text`` strict and lenient, PDFs through
  ``parse_pdf``);
- every input the tests hand to the parser, recorded once by
  ``benchmarks/record_parser_inputs.py`` (a pytest plugin; ``--record`` runs it);
- texts generated from ``tests/strategies.py`` with a fixed seed (``--examples N``
  each of ``text_resolutions``, ``resolutions`` and ``any_resolutions``, rendered with
  ``to_text``, parsed strict and lenient; and each with a line dropped, lenient).

The old code is imported in a subprocess of its own (``PYTHONPATH`` = the old tree's
``src``), the new one in another; each writes one JSON line per input.

Example:
    git worktree add /tmp/oldparser c9d9306
    .venv/bin/python benchmarks/compare_models.py --old /tmp/oldparser/src --record
    # models identical on 5123 inputs (0 differences)
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
#: the repository's own inputs: fuzzing seeds, kept regressions, test data
_INPUT_FOLDERS = ("fuzz/corpus_seeds/text", "tests/regressions/text", "tests/data")


# -- worker side: runs in a subprocess with one tree's akn_ep -------------------------------
def _outcome(call, *args, **kwargs) -> str:
    from akn_ep.errors import ParseError  # the tree's own

    try:
        r = call(*args, **kwargs)
    except ParseError as exc:
        return f"{type(exc).__name__}: {exc} (line {exc.line}, expected {exc.expected})"
    except Exception as exc:  # noqa: BLE001 - any difference counts, errors included
        return f"{type(exc).__name__}: {exc}"
    warnings = [str(w) for w in r.report.warnings]
    return json.dumps([repr(r), warnings, repr(r.report.artefacts), r.report.source_lines],
                      ensure_ascii=False)


def _worker(inputs: Path, recorded: Path | None, out: Path) -> None:
    import akn_ep
    from akn_ep.text import parser

    results = []
    files = [p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".txt", ".pdf", ".html")]
    for folder in _INPUT_FOLDERS:
        files += [p for p in sorted((ROOT / folder).rglob("*")) if p.suffix != ".md"]
    for path in files:
        if not path.is_file():
            continue
        data = path.read_bytes()
        name = str(path.relative_to(CORPUS if path.is_relative_to(CORPUS) else ROOT))
        if data.startswith(b"%PDF"):
            results.append((name, _outcome(akn_ep.parse_pdf, data)))
            results.append((name + " lenient",
                            _outcome(akn_ep.parse_pdf, data, strict=False)))
            continue
        results.append((name, _outcome(akn_ep.parse_text, data)))
        results.append((name + " lenient",
                        _outcome(akn_ep.parse_text, data, strict=False)))
    for i, (text, lang, strict) in enumerate(json.loads(inputs.read_text(encoding="utf-8"))):
        results.append((f"generated {i} {lang} strict={strict}",
                        _outcome(akn_ep.parse_text, text, lang=lang, strict=strict)))
    if recorded is not None:
        with recorded.open("rb") as f:
            i = 0
            while True:
                try:
                    lines, lang, date, strict = pickle.load(f)
                except EOFError:
                    break
                results.append((f"recorded {i}", _outcome(
                    parser.parse, lines, lang=lang, date=date, strict=strict)))
                i += 1
    with out.open("w", encoding="utf-8") as f:
        for name, outcome in results:
            f.write(json.dumps([name, outcome], ensure_ascii=False) + "\n")


# -- generation: texts from the hypothesis strategies, fixed seed ---------------------------
def _generate(n: int, seed: int) -> list[tuple[str, str, bool]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as with_seed

    import strategies  # tests/strategies.py
    from akn_ep import to_text

    rng = random.Random(seed)
    out: list[tuple[str, str, bool]] = []
    for strategy in (strategies.text_resolutions(), strategies.resolutions(),
                     strategies.any_resolutions()):
        @with_seed(seed)
        @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def collect(r) -> None:
            try:
                text = to_text(r)
            except Exception:  # noqa: BLE001 - a model to_text refuses is no input
                return
            out.append((text, r.lang, True))
            out.append((text, r.lang, False))
            lines = text.split("\n")
            if len(lines) > 3:  # a line lost: the lenient paths and their warnings
                del lines[rng.randrange(2, len(lines))]
                out.append(("\n".join(lines), r.lang, False))

        collect()
    return out


def _run_worker(src: str, inputs: Path, recorded: Path | None, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=src)
    cmd = [sys.executable, __file__, "--worker", str(inputs), str(out)]
    if recorded is not None:
        cmd += ["--recorded", str(recorded)]
    subprocess.run(cmd, check=True, env=env, cwd=tempfile.gettempdir())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old", default="/tmp/oldparser/src", help="the old tree's src folder")
    ap.add_argument("--new", default=str(ROOT / "src"), help="the new tree's src folder")
    ap.add_argument("--recorded", type=Path, default=None,
                    help="inputs recorded from the tests (record_parser_inputs.py)")
    ap.add_argument("--record", action="store_true",
                    help="record the tests' inputs first (runs the test suite once)")
    ap.add_argument("--examples", type=int, default=1000,
                    help="examples drawn from each strategy (default 1000)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--show", type=int, default=5, help="differences printed in full")
    ap.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        _worker(args.worker[0], args.recorded, args.worker[1])
        return 0
    work = Path(tempfile.mkdtemp(prefix="compare-models-"))
    recorded = args.recorded
    if args.record:
        recorded = work / "recorded.pickle"
        env = dict(os.environ, AKN_EP_RECORD_PARSER_INPUTS=str(recorded),
                   PYTHONPATH=f"{args.old}{os.pathsep}{ROOT / 'benchmarks'}")
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "-p", "record_parser_inputs", "tests"], cwd=ROOT, env=env, check=False)
    inputs = work / "generated.json"
    inputs.write_text(json.dumps(_generate(args.examples, args.seed), ensure_ascii=False),
                      encoding="utf-8")
    _run_worker(args.old, inputs, recorded, work / "old.jsonl")
    _run_worker(args.new, inputs, recorded, work / "new.jsonl")
    old = [json.loads(x) for x in (work / "old.jsonl").read_text(encoding="utf-8").splitlines()]
    new = [json.loads(x) for x in (work / "new.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [n for n, _ in old] == [n for n, _ in new], "the two runs saw different inputs"
    diffs = [(name, a, b) for (name, a), (_, b) in zip(old, new, strict=True) if a != b]
    for name, a, b in diffs[: args.show]:
        print(f"--- {name}\nold: {a[:2000]}\nnew: {b[:2000]}\n")
    kinds = {}
    for name, _ in old:
        kind = name.split(" ")[0] if name.startswith(("generated", "recorded")) else (
            "files" if name.startswith(_INPUT_FOLDERS) else "corpus")
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"models {'identical' if not diffs else 'DIFFERENT'} on {len(old)} inputs "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(kinds.items()))}); "
          f"{len(diffs)} differences; files in {work}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
