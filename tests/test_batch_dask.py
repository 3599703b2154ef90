"""``akn-ep batch --dask`` (akn_ep.batch.dask) against the local batch, on the same inputs.

The inputs are real EP texts from ../shared/corpus (never copied here), written at test time
into a folder, a zip and a tar.gz, with a texts-adopted number line added above each head
(the line the EP prints, ``P7_TA(2012)0089``) so that each is its own document; plus
constructed faults: the same text twice (a duplicate), the same text with a word
changed (a collision with different XML), and two inputs that are not resolutions. 20 inputs.

The Dask batch runs on a cluster in a process of its own (``python -m akn_ep batch --dask
threads``: Dask's LocalCluster with processes=False, two worker threads), the local batch
with two worker processes; the
trees and the reports must be identical (the summary's timing and job count aside), on a
first run and on a re-run (everything skipped: resume).
Skipped when dask is not installed, except in CI (``CI`` set), where the test extra
installs it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import akn_ep
from akn_ep import cli
from akn_ep.batch import count_inputs

if os.environ.get("CI"):
    import distributed  # noqa: F401 - CI installs the test extra, dask included: never skip
else:
    pytest.importorskip("distributed", reason="dask is not installed (pip install akn-ep[dask])")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "manifest.json").exists(),
    reason=f"the real EP corpus is not at {CORPUS} (../shared/corpus beside the repository)",
)

# Timing and parallelism, which the two runs do not share.
VARYING = ("seconds", "docs_per_second", "jobs", "outdir")


def with_ta(path: Path, number: int) -> bytes:
    """The real text with a texts-adopted number line above its head, as the EP prints it
    (the term follows the adoption date: terms start in July 1994, 1999 …)."""
    data = path.read_bytes()
    date = akn_ep.parse_text(data).date
    term = 4 + (date.year - 1994 - (date.month < 7)) // 5
    nl = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
    return f"P{term}_TA({date.year}){number:04d}".encode() + nl + data


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("dask-sources")
    clean = sorted((CORPUS / "clean").glob("*.txt"))
    extracted = sorted((CORPUS / "pdf-extracted" / "pdftotext").glob("*.txt"))
    texts = root / "texts"
    texts.mkdir()
    for i, f in enumerate(clean, start=1):  # 10 inputs
        (texts / f.name).write_bytes(with_ta(f, i))
    # constructed: the first text again under another name (a duplicate: same XML) …
    (texts / "zz-duplicate.txt").write_bytes((texts / clean[0].name).read_bytes())
    # … and the first text with one word changed (a collision: one IRI, different XML)
    changed = with_ta(clean[0], 1).replace(b"1. Approves conclusion", b"1. Approves the conclusion")
    assert changed != with_ta(clean[0], 1)
    (texts / "zz-same-number.txt").write_bytes(changed)
    (texts / "minutes.txt").write_bytes(b"Minutes of the sitting of Thursday 15 March 2012\n"
                                        b"The sitting opened at 9.00.\n")
    (texts / "random.bin").write_bytes(bytes(range(256)) * 8)
    with zipfile.ZipFile(root / "more.zip", "w") as z:  # 4 inputs, read in place by workers
        z.writestr(f"pdftotext/{extracted[0].name}", extracted[0].read_bytes())  # no number
        for i, f in enumerate(extracted[1:4], start=20):
            z.writestr(f"pdftotext/{f.name}", with_ta(f, i))
    with tarfile.open(root / "last.tar.gz", "w:gz") as t:  # 2 inputs, sent with the task
        for i, f in enumerate(extracted[4:6], start=40):
            data = with_ta(f, i)
            info = tarfile.TarInfo(f"pdftotext/{f.name}")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    # the caller states the identity of the one input that prints no number (--identities)
    (root / "ids.csv").write_text(f"input,ta_number,date\n{root}/more.zip::pdftotext/"
                                  f"{extracted[0].name},P6_TA(2007)0424,\n", encoding="utf-8")
    found = [str(texts), str(root / "more.zip"), str(root / "last.tar.gz")]
    assert count_inputs(found) == 20
    return found


def dask_batch(args: list[str]) -> int:
    """``python -m akn_ep ARGS`` in a process of its own: distributed leaves a thread running
    in the process that used it (its offload executor), and later tests of the local batch
    check that it forks its workers from a process without threads."""
    return subprocess.run([sys.executable, "-m", "akn_ep", *args], timeout=300).returncode


def tree(outdir: Path) -> dict[str, bytes]:
    """Every output file (the bookkeeping folder aside) and its bytes."""
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in outdir.rglob("*")
            if p.is_file() and ".akn-ep" not in p.relative_to(outdir).parts}


def report(outdir: Path) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in
             (outdir / ".akn-ep" / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    for key in VARYING:
        lines[-1].pop(key)
    return lines


def test_dask_batch_is_the_local_batch(sources: list[str], tmp_path: Path) -> None:
    local, remote = tmp_path / "local", tmp_path / "dask"
    ids = str(Path(sources[1]).parent / "ids.csv")
    for run in ("first", "again"):
        assert cli.main(["batch", *sources, "-o", str(local), "--jobs", "2", "-q",
                         "--identities", ids]) == 1
        assert dask_batch(["batch", *sources, "-o", str(remote), "--dask", "threads",
                           "--jobs", "2", "-q", "--identities", ids]) == 1
        expected = report(local)
        assert report(remote) == expected, run
        assert tree(remote) == tree(local), run
        statuses = [r.get("status") for r in expected[:-1]]
        if run == "first":  # the inputs are what they were built to be
            assert statuses.count("converted") == 16
            assert sorted(r["error_kind"] for r in expected[:-1] if r["status"] == "failed") \
                == ["collision", "collision", "parse", "parse"]
            assert len(tree(local)) == 16
            stated = [r["iri"] for r in expected[:-1]
                      if r["input"].endswith("TA-6-2007-0424_EN.txt") and "zip" in r["input"]]
            assert stated == ["/akn/eu/statement/resolution/ep/2007-10-11/TA-6-2007-0424/"
                              "eng@2007-10-11/!main.xml"]
        else:  # resumed: nothing converted again, the same failures reported again
            assert statuses.count("skipped") == 16 and "converted" not in statuses
    collisions = {r["input"]: r["error"] for r in expected[:-1] if r["error_kind"] == "collision"}
    assert "with the same XML (a duplicate input)" in collisions[
        str(Path(sources[0]) / "zz-duplicate.txt")]
    assert "with different XML" in collisions[str(Path(sources[0]) / "zz-same-number.txt")]


def test_dask_api_yields_the_records_of_convert_many(sources: list[str], tmp_path: Path) -> None:
    local = list(akn_ep.convert_many(sources[1:], tmp_path / "local", jobs=1))
    script = ("import json, sys\n"
              "from akn_ep.batch.dask import convert_many\n"
              f"records = convert_many({sources[1:]!r}, {str(tmp_path / 'dask')!r}, "
              "scheduler='threads')\n"
              "print(json.dumps(list(records)))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    remote = json.loads(run.stdout)
    for summary in (local[-1], remote[-1]):
        for key in VARYING:
            summary.pop(key)
    assert remote == local
    assert [r["status"] for r in remote[:-1]] == ["converted"] * 6


def test_without_the_extra_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          ) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else real(name, *a))
    status = cli.main(["batch", str(tmp_path), "-o", str(tmp_path / "out"), "--dask", "local",
                       "-q"])
    assert status == 2
    assert capsys.readouterr().err == (
        "akn-ep: error: akn-ep batch --dask (akn_ep.batch.dask) needs the optional dependency "
        "'distributed', which is not installed: pip install 'akn-ep[dask]'\n")
