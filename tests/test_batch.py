"""Batch conversion (akn_ep.batch, ``akn-ep batch``) on the real corpus, no mocks.

Sources are built in tmp_path at test time from the real EP texts in ../shared/corpus:
a directory tree, a zip and a tar.gz, with texts-adopted numbers inserted into the head
(``P7_TA(2012)0089``, the line the EP prints above the title; term and year follow the
text's adoption date) so that the 41 texts — four extractions of each clean text — become
distinct documents; plus corrupted inputs.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import io
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import akn_ep
from akn_ep import cli
from akn_ep.batch import (
    MAX_PATH,
    MAX_SEGMENT,
    RECORD_FIELDS,
    SAFE_CHARS,
    convert_many,
    convert_one,
    count_inputs,
    flat_path,
    iri_to_path,
    iter_inputs,
    path_to_iri,
)
from akn_ep.batch.layout import _escape_segment
from shared_corpus import CORPUS, needs_corpus

SRC = Path(__file__).resolve().parents[1] / "src"


# -- building sources from the real corpus -----------------------------------------------------


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("**/*.txt"))


@functools.cache
def adoption_date(path: Path) -> datetime.date:
    return akn_ep.parse_text(path.read_bytes()).date


def with_ta(path: Path, number: int) -> bytes:
    """The real text with a texts-adopted number line above its head, as the EP prints it."""
    data = path.read_bytes()
    date = adoption_date(path)
    term = 4 + (date.year - 1994 - (date.month < 7)) // 5  # terms start in July 1994, 1999 …
    nl = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
    return f"P{term}_TA({date.year}){number:04d}".encode() + nl + data


def truncated_resolution() -> bytes:
    """The seed cut in the middle of its recitals: no paragraph, so not a resolution."""
    seed = (CORPUS / "seed" / "000_844d43a262bbbfb9.txt").read_bytes()
    return seed[: seed.index(b"H. ")]


BAD = {
    "random.bin": random.Random(7).randbytes(4000),
    "scan.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "empty.txt": b"",
    "minutes.txt": b"Minutes of the sitting of Thursday 15 March 2012\n"
                   b"The sitting opened at 9.00.\nThe sitting closed at 12.30.\n",
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Directory tree + zip + tar.gz + a corrupt zip; ``good`` and ``bad`` input names."""
    if not (CORPUS / "manifest.json").exists():
        pytest.skip(f"the real EP corpus is not at {CORPUS}")
    root = tmp_path_factory.mktemp("mixed")
    files = corpus_files()
    by_dir: dict[str, list[Path]] = {}
    for f in files:
        by_dir.setdefault(f.parent.name, []).append(f)
    good: dict[str, bytes] = {}
    bad: set[str] = set()
    number = 1

    tree = root / "texts"
    for group in ("clean", "seed"):
        for f in by_dir[group]:
            target = tree / group / f.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(with_ta(f, number))
            good[str(target)] = target.read_bytes()
            number += 1
    (tree / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden: skipped, not an input
    for name, data in BAD.items():
        (tree / "bad" / name).parent.mkdir(exist_ok=True)
        (tree / "bad" / name).write_bytes(data)
        bad.add(str(tree / "bad" / name))
    (tree / "bad" / "truncated.txt").write_bytes(truncated_resolution())
    bad.add(str(tree / "bad" / "truncated.txt"))

    zpath = root / "pdfminer.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
        for f in by_dir["pdfminer"]:
            data = with_ta(f, number)
            number += 1
            z.writestr(f"pdfminer/{f.name}", data)
            good[f"{zpath}::pdfminer/{f.name}"] = data
        z.writestr("__MACOSX/pdfminer/._x.txt", b"resource fork")  # skipped
        z.writestr("pdfminer/garbage.txt", BAD["random.bin"])
        bad.add(f"{zpath}::pdfminer/garbage.txt")

    tpath = root / "pdftotext.tar.gz"
    with tarfile.open(tpath, "w:gz") as t:
        for group in ("pdftotext", "pdftotext-layout"):
            for f in by_dir[group]:
                data = with_ta(f, number)
                number += 1
                info = tarfile.TarInfo(f"{group}/{f.name}")
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
                good[f"{tpath}::{group}/{f.name}"] = data
        info = tarfile.TarInfo("pdftotext/empty.txt")
        t.addfile(info, io.BytesIO(b""))
        bad.add(f"{tpath}::pdftotext/empty.txt")

    corrupt = root / "corrupt.zip"
    corrupt.write_bytes(b"PK\x03\x04" + random.Random(3).randbytes(300))
    bad.add(str(corrupt))
    sources = [tree, zpath, tpath, corrupt]
    return {"root": root, "sources": sources, "good": good, "bad": bad}


def tree_bytes(outdir: Path) -> dict[str, bytes]:
    """Every file of an output tree but the bookkeeping folder, by relative path."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(outdir):
        dirnames[:] = [d for d in dirnames if d != ".akn-ep"]
        for f in filenames:
            p = Path(dirpath) / f
            out[p.relative_to(outdir).as_posix()] = p.read_bytes()
    return out


def read_report(path: Path) -> tuple[list[dict], dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert records and records[-1]["type"] == "summary"
    return records[:-1], records[-1]


# -- the whole command on a mixed source ------------------------------------------------------


@needs_corpus
def test_cli_mixed_sources_every_input_reported(mixed, tmp_path, capsys):
    out, report = tmp_path / "repo", tmp_path / "report.jsonl"
    argv = ["batch", *map(str, mixed["sources"]), "-o", str(out), "--report", str(report),
            "--jobs", "2", "--progress-interval", "0"]
    assert cli.main(argv) == 1  # some inputs are bad
    records, summary = read_report(report)

    for rec in records:
        assert list(rec) == list(RECORD_FIELDS)
        assert rec["type"] == "document"
    by_input = {r["input"]: r for r in records}
    assert len(by_input) == len(records), "one record per input"
    assert set(by_input) == set(mixed["good"]) | mixed["bad"], "nothing lost, nothing extra"

    for name, data in mixed["good"].items():
        rec = by_input[name]
        assert rec["status"] == "converted", rec
        assert rec["error"] is None and rec["error_kind"] is None
        assert rec["output"] == str(iri_to_path(rec["iri"]))
        xml = (out / rec["output"]).read_bytes()
        assert akn_ep.validate(xml) == []
        r = akn_ep.parse_text(data)
        assert rec["lang"] == r.lang and rec["iri"].endswith(f"@{r.date.isoformat()}/!main.xml")
        assert rec["counts"] == {
            "citations": len(r.citations), "recitals": len(r.recitals),
            "paragraphs": len(list(r.paragraphs())),
            "footnotes": sum(1 for _ in akn_ep.model.iter_footnotes(r)),
        }
        assert rec["warnings"] == list(r.report.warnings)
        assert rec["sha256"] and rec["bytes"] == len(data)
        if rec["member"] is not None:
            assert name == f"{rec['source']}::{rec['member']}"

    for name in mixed["bad"]:
        rec = by_input[name]
        assert rec["status"] == "failed" and rec["output"] is None
        assert rec["error_kind"] and len(rec["error"]) > 10, rec
    kinds = {Path(n.split("::")[-1]).name: by_input[n]["error_kind"] for n in mixed["bad"]}
    assert kinds["corrupt.zip"] == "archive"
    assert kinds["scan.pdf"] == "parse" and "PDF" in by_input[
        next(n for n in mixed["bad"] if n.endswith("scan.pdf"))]["error"]
    assert kinds["empty.txt"] in ("parse", "language")
    assert kinds["truncated.txt"] == "parse"

    assert summary["inputs"] == len(records)
    assert summary["converted"] == len(mixed["good"]) and summary["failed"] == len(mixed["bad"])
    assert summary["exit_status"] == 1 and summary["interrupted"] is False
    # the tree holds exactly the converted documents, language versions side by side
    assert set(tree_bytes(out)) == {by_input[n]["output"] for n in mixed["good"]}
    err = capsys.readouterr().err
    assert "akn-ep: failed: " in err and "[archive]" in err
    assert re.search(r"akn-ep: \d+/\d+ \(\d+%\)", err), "plain progress lines off a terminal"
    assert f"{len(records)} inputs: {len(mixed['good'])} converted" in err


@needs_corpus
def test_parallel_output_identical_to_serial(mixed, tmp_path):
    runs = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        records = list(convert_many(mixed["sources"], out, jobs=jobs))
        summary = records.pop()
        assert summary["jobs"] == jobs
        runs[jobs] = (tree_bytes(out), records)
    assert runs[1][0] == runs[2][0]
    assert runs[1][1] == runs[2][1], "same records, in the same (input) order"


_START_METHOD_RUN = """
import json, multiprocessing, sys
if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    from akn_ep import convert_many
    records = list(convert_many(sys.argv[3:], sys.argv[2], jobs=2))
    print(json.dumps(records))
"""


@needs_corpus
@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_workers_start_with_spawn_and_forkserver(tmp_path, method):
    """Linux defaults to fork before Python 3.14 and to forkserver from it; macOS and
    Windows use spawn: the workers get what they need by pickling, not by inheriting the
    batch process's memory, and the tree is the one of a serial run."""
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    bad = tmp_path / "truncated.txt"
    bad.write_bytes(truncated_resolution())
    files = [str(f) for f in sorted((CORPUS / "clean").glob("*.txt"))] + [str(bad)]
    script = tmp_path / "run.py"
    script.write_text(_START_METHOD_RUN)
    out = tmp_path / method
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, str(script), method, str(out), *files], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    serial = list(convert_many(files, tmp_path / "serial", jobs=1))
    assert records[-1]["jobs"] == 2 and records[-1]["converted"] == len(files) - 1
    assert records[-2]["status"] == "failed" and records[-2]["error_kind"] == "parse"
    assert tree_bytes(out) == tree_bytes(tmp_path / "serial")
    assert records[:-1] == serial[:-1]


@needs_corpus
def test_quiet_and_no_inputs(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["batch", str(empty), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    _, summary = read_report(tmp_path / "out" / ".akn-ep" / "report.jsonl")
    assert summary["inputs"] == 0 and summary["exit_status"] == 0
    assert cli.main(["batch", str(empty), "-o", str(tmp_path / "out"), "--lang", "xx"]) == 2


def test_pdfs_convert_in_a_batch_as_parse_pdf_reads_them(tmp_path):
    """A PDF, recognised by its content whatever its name, in a folder and in a zip, is read
    from its layout (``parse_pdf``) as ``akn-ep convert`` reads it; a damaged one is
    reported. The PDFs are typeset here from texts written for the tests."""
    pytest.importorskip("reportlab", reason="reportlab (the test extra) typesets the test PDFs")
    import pdf_fixtures as F

    pdf = F.typeset(F.EN)[0]
    expected = akn_ep.to_akn(akn_ep.parse_pdf(pdf))
    src = tmp_path / "src"
    src.mkdir()
    (src / "TA-9-2023-0612_EN.pdf").write_bytes(pdf)
    (src / "damaged.pdf").write_bytes(pdf[: len(pdf) // 2])
    with zipfile.ZipFile(tmp_path / "more.zip", "w") as z:
        z.writestr("texts-adopted/no-suffix", pdf)
    records = list(convert_many([src, tmp_path / "more.zip"], tmp_path / "out", jobs=2))
    summary = records.pop()
    by_name = {Path(r["input"]).name: r for r in records}
    good = by_name["TA-9-2023-0612_EN.pdf"]
    assert good["status"] == "converted" and good["lang"] == "en"
    assert (tmp_path / "out" / good["output"]).read_bytes() == expected
    assert by_name["damaged.pdf"]["status"] == "failed"
    assert "PDF is damaged" in by_name["damaged.pdf"]["error"]
    zipped = next(r for r in records if r["member"] == "texts-adopted/no-suffix")
    assert zipped["status"] == "failed" and zipped["error_kind"] == "collision"
    assert summary["converted"] == 1 and summary["failed"] == 2


# -- resume -------------------------------------------------------------------------------------


@needs_corpus
def test_rerun_skips_done_and_redoes_changed(tmp_path):
    src = tmp_path / "src"
    for i, f in enumerate(corpus_files()[:6]):
        (src / f"{i}.txt").parent.mkdir(exist_ok=True)
        (src / f"{i}.txt").write_bytes(with_ta(f, 100 + i))
    out = tmp_path / "out"
    first = list(convert_many([src], out, jobs=1))[:-1]
    assert [r["status"] for r in first] == ["converted"] * 6
    mtimes = {p: p.stat().st_mtime_ns for p in out.glob("akn/**/*.xml")}

    again = list(convert_many([src], out, jobs=2))[:-1]
    assert [r["status"] for r in again] == ["skipped"] * 6
    assert [{k: v for k, v in r.items() if k != "status"} for r in again] == [
        {k: v for k, v in r.items() if k != "status"} for r in first]
    assert {p: p.stat().st_mtime_ns for p in out.glob("akn/**/*.xml")} == mtimes

    tampered = out / first[2]["output"]
    tampered.write_bytes(tampered.read_bytes() + b"<!-- edited -->")
    third = list(convert_many([src], out, jobs=1))[:-1]
    assert [r["status"] for r in third] == ["skipped"] * 2 + ["converted"] + ["skipped"] * 3
    assert akn_ep.validate(tampered.read_bytes()) == []
    assert not tampered.read_bytes().endswith(b"<!-- edited -->")

    forced = list(convert_many([src], out, jobs=1, force=True))[:-1]
    assert [r["status"] for r in forced] == ["converted"] * 6


@needs_corpus
def test_killed_run_resumes_to_the_same_tree(tmp_path):
    """SIGKILL the batch process half-way, run the same command again: the tree is exactly
    that of an uninterrupted run (including collisions and failures), with no stray file."""
    src = tmp_path / "src"
    files = corpus_files()
    n = 0
    for rep in range(12):  # ~490 inputs: the kill lands after 40-70 of them, far from the end
        for f in files:
            n += 1
            target = src / f"r{rep:02d}" / f.parent.name / f.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(with_ta(f, n))
    for name in sorted(p.name for p in (CORPUS / "clean").glob("*.txt"))[:4]:
        # unmodified clean and pdfminer texts: pairs of inputs with one IRI
        for group in ("clean", "pdf-extracted/pdfminer"):
            target = src / "z-plain" / group / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((CORPUS / group / name).read_bytes())
    (src / "z-plain" / "scan.pdf").write_bytes(BAD["scan.pdf"])

    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def command(out: Path) -> list[str]:
        return [sys.executable, "-m", "akn_ep.cli", "batch", str(src), "-o", str(out),
                "--jobs", "2", "-q"]

    whole = tmp_path / "whole"
    assert subprocess.run(command(whole), env=env, timeout=300).returncode == 1

    out = tmp_path / "killed"
    proc = subprocess.Popen(command(out), env=env)
    deadline = time.monotonic() + 120
    written = 0
    while time.monotonic() < deadline and proc.poll() is None:
        written = sum(1 for _ in out.glob("akn/**/main.xml"))
        if written >= 40:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    expected = tree_bytes(whole)
    assert 40 <= written < len(expected)
    partial = tree_bytes(out)
    assert len(partial) < len(expected)
    for path, data in partial.items():  # only whole files, each as in the uninterrupted run
        assert expected[path] == data, path

    assert subprocess.run(command(out), env=env, timeout=300).returncode == 1
    assert tree_bytes(out) == expected
    records, summary = read_report(out / ".akn-ep" / "report.jsonl")
    whole_records, whole_summary = read_report(whole / ".akn-ep" / "report.jsonl")
    assert summary["skipped"] > 0, "the second run skipped what the first had finished"
    assert summary["converted"] + summary["skipped"] == whole_summary["converted"]
    assert summary["errors"] == whole_summary["errors"] == {"collision": 4, "parse": 1}

    def strip(r: dict) -> dict:
        return {k: v for k, v in r.items() if k != "status"}

    assert [strip(r) for r in records] == [strip(r) for r in whole_records]
    assert not list((out / ".akn-ep").glob("tmp/*")), "temporary files cleaned up"


@needs_corpus
def test_ctrl_c_stops_cleanly_and_the_report_says_so(tmp_path):
    # Renames are committed in bursts of up to 128 files, and 2 processes convert several
    # hundred documents a second: with 4 copies of the corpus (164 inputs) CI once saw the
    # whole run finish between the first burst and the signal. 24 copies leave ~1 s of work.
    src = tmp_path / "src"
    files = corpus_files()
    reps = 24
    for rep in range(reps):
        (src / f"r{rep:02d}").mkdir(parents=True)
        for i, f in enumerate(files):
            (src / f"r{rep:02d}" / f"{i:02d}.txt").write_bytes(with_ta(f, 1 + rep * 100 + i))
    out, report = tmp_path / "out", tmp_path / "report.jsonl"
    cmd = [sys.executable, "-m", "akn_ep.cli", "batch", str(src), "-o", str(out), "--report",
           str(report), "--jobs", "2", "-q"]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(1 for _ in out.glob("akn/**/main.xml")) >= 10:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted after" in err
    records, summary = read_report(report)
    assert summary["interrupted"] is True and summary["exit_status"] == 130
    assert 10 <= summary["inputs"] == len(records) < len(files) * reps
    assert not list((out / ".akn-ep").glob("tmp/*"))
    assert subprocess.run(cmd, env=env).returncode == 0
    records, summary = read_report(report)
    assert summary["inputs"] == len(files) * reps and summary["skipped"] >= 10


@needs_corpus
def test_one_batch_at_a_time_per_output_folder(tmp_path, capsys):
    f = CORPUS / "clean" / "TA-8-2018-0107_SL.txt"
    running = convert_many([f], tmp_path / "out", jobs=1)
    first = next(running)  # holds the output folder
    assert first["status"] == "converted"
    assert cli.main(["batch", str(f), "-o", str(tmp_path / "out"), "-q"]) == 2
    assert "another akn-ep batch is writing here" in capsys.readouterr().err
    running.close()
    assert cli.main(["batch", str(f), "-o", str(tmp_path / "out"), "-q", "--jobs", "0"]) == 2
    assert cli.main(["batch", str(f), "-o", str(tmp_path / "out"), "-q"]) == 0


# -- collisions -------------------------------------------------------------------------------


@needs_corpus
def test_collisions_first_input_wins_and_both_are_reported(tmp_path):
    clean = CORPUS / "clean" / "TA-8-2014-0076_DA.txt"
    pdfminer = CORPUS / "pdf-extracted" / "pdfminer" / "TA-8-2014-0076_DA.txt"
    copy = tmp_path / "copy-of-clean.txt"
    copy.write_bytes(clean.read_bytes())
    out = tmp_path / "out"
    records = list(convert_many([clean, pdfminer, copy], out, jobs=2))
    a, b, c, summary = records
    assert a["status"] == "converted" and a["iri"] == b["iri"] == c["iri"]
    for loser in (b, c):
        assert loser["status"] == "failed" and loser["error_kind"] == "collision"
        assert f"collides with {clean}" in loser["error"] and loser["output"] is None
    # whether a loser is a mere duplicate is told by its XML, made here one by one
    xml = {f: convert_one(str(f), f.read_bytes())[1] for f in (clean, pdfminer, copy)}
    assert ", with the same XML (a duplicate input);" in c["error"]
    assert xml[copy] == xml[clean]
    same = "the same XML (a duplicate input)" if xml[pdfminer] == xml[clean] else "different XML"
    assert f", with {same};" in b["error"]
    edited = tmp_path / "edited.txt"  # one word changed: the same IRI, other XML
    edited.write_bytes(clean.read_bytes().replace(b" og ", b" samt ", 1))
    rival = convert_one(str(edited), edited.read_bytes())
    assert rival[0]["iri"] == a["iri"] and rival[1] != xml[clean]
    (_, lost, _) = convert_many([clean, edited], tmp_path / "again", jobs=1)
    assert ", with different XML;" in lost["error"]
    target = out / a["output"]
    assert target.read_bytes() == convert_one(str(clean), clean.read_bytes())[1]
    assert summary["errors"] == {"collision": 2}

    # the pdfminer extraction reads as the same document: a later run adopts the output
    (d, _) = list(convert_many([pdfminer], out, jobs=1))
    assert d["status"] == "converted" and d["output"] == a["output"]


@needs_corpus
def test_output_of_an_earlier_run_is_kept_unless_forced(tmp_path):
    seed = CORPUS / "seed" / "000_844d43a262bbbfb9.txt"
    first = tmp_path / "first.txt"
    first.write_bytes(with_ta(seed, 89))
    # a later edition of the same resolution (same texts-adopted number), last paragraph cut
    second = tmp_path / "second.txt"
    data = with_ta(seed, 89)
    second.write_bytes(data[: data.rindex(b"\n20. ")] + b"\n")
    out = tmp_path / "out"
    (a, _) = convert_many([first], out, jobs=1)
    target = out / a["output"]
    before = target.read_bytes()

    (b, _) = convert_many([second], out, jobs=1)
    assert b["status"] == "failed" and b["error_kind"] == "collision"
    assert b["iri"] == a["iri"] and b["counts"]["paragraphs"] == 19
    assert f"written from {first} in an earlier run" in b["error"]
    assert target.read_bytes() == before

    (c, _) = convert_many([second], out, jobs=1, force=True)
    assert c["status"] == "converted" and c["output"] == a["output"]
    assert target.read_bytes() == convert_one("x", second.read_bytes())[1] != before


@needs_corpus
def test_names_differing_only_in_case_collide(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "Kazakhstan.txt").write_bytes(with_ta(CORPUS / "seed" / "000_844d43a262bbbfb9.txt", 1))
    (src / "kazakhstan.txt").write_bytes(with_ta(CORPUS / "clean" / "TA-8-2018-0107_SL.txt", 2))
    if len(list(src.iterdir())) < 2:
        pytest.skip("this file system ignores letter case")
    first, second, _ = convert_many([src], tmp_path / "out", layout="flat", jobs=1)
    assert first["status"] == "converted" and first["output"] == "src/Kazakhstan.xml"
    assert second["status"] == "failed" and second["error_kind"] == "collision"


# -- flat layout --------------------------------------------------------------------------------


@needs_corpus
def test_flat_layout_one_file_per_input(mixed, tmp_path):
    out = tmp_path / "flat"
    records = list(convert_many(mixed["sources"], out, layout="flat", jobs=2))[:-1]
    converted = [r for r in records if r["status"] == "converted"]
    assert len(converted) == len(mixed["good"])
    inputs = {i.name: i for i in iter_inputs(mixed["sources"], read=False)}
    for r in converted:
        assert r["output"] == str(flat_path(inputs[r["input"]].parts))
        assert akn_ep.validate((out / r["output"]).read_bytes()) == []
    assert set(tree_bytes(out)) == {r["output"] for r in converted}
    names = {r["output"] for r in converted}
    assert "texts/clean/TA-6-2007-0424_EN.xml" in names
    assert "pdfminer.zip/pdfminer/TA-6-2007-0424_EN.xml" in names
    assert "pdftotext.tar.gz/pdftotext-layout/TA-6-2007-0424_EN.xml" in names


# -- robustness: truncated archives, hung and crashed converters -------------------------------


@needs_corpus
def test_truncated_archive_keeps_members_read_before(tmp_path):
    tpath = tmp_path / "whole.tar.gz"
    files = corpus_files()[:8]
    with tarfile.open(tpath, "w:gz") as t:
        for i, f in enumerate(files):
            data = with_ta(f, 500 + i) + b"\n" + random.Random(i).randbytes(20000).hex().encode()
            info = tarfile.TarInfo(f"{i}.txt")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(tpath.read_bytes()[: tpath.stat().st_size // 2])
    inputs = list(iter_inputs([cut]))
    assert 1 <= len(inputs) - 1 < len(files)
    assert all(i.data is not None for i in inputs[:-1])
    assert inputs[-1].data is None and inputs[-1].error_kind == "archive"
    assert "archive unreadable after" in inputs[-1].error
    assert count_inputs([cut]) == len(inputs)


@needs_corpus
def test_reading_a_tar_keeps_memory_flat(tmp_path):
    """tarfile keeps every member header it has read unless told not to: 3000 members must
    cost no more memory than 300 (streaming, whatever the archive's size)."""
    import tracemalloc

    files = corpus_files()
    tpath = tmp_path / "many.tar"
    with tarfile.open(tpath, "w") as t:
        for i in range(3000):
            data = with_ta(files[i % len(files)], i + 1)
            info = tarfile.TarInfo(f"d/{i:05d}.txt")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    tracemalloc.start()
    try:
        held = []
        for n, inp in enumerate(iter_inputs([tpath]), 1):
            assert inp.data is not None
            if n in (300, 3000):
                held.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    assert held[1] - held[0] < 100_000, held


def long_resolution(megabytes: float) -> bytes:
    """The seed with its operative part repeated as continuation text: one long, real-text
    resolution that takes a converter seconds."""
    seed = (CORPUS / "seed" / "000_844d43a262bbbfb9.txt").read_text(encoding="utf-8")
    head, _, tail = seed.partition("1. uzsver")
    body = "1. uzsver" + tail
    more = re.sub(r"(?m)^(\s*)\d{1,2}\. ", r"\1", body)
    reps = int(megabytes * 1e6 / len(more.encode()))
    return (head + body + ("\n" + more) * reps).encode("utf-8")


@needs_corpus
def test_hung_converter_is_stopped_and_reported(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a-long.txt").write_bytes(long_resolution(6))
    for i, f in enumerate(corpus_files()[:3]):
        (src / f"b{i}.txt").write_bytes(with_ta(f, 700 + i))
    records = list(convert_many([src], tmp_path / "out", jobs=1, timeout=0.25))
    summary = records.pop()
    assert records[0]["status"] == "failed" and records[0]["error_kind"] == "timeout"
    assert "longer than 0.25 s" in records[0]["error"]
    assert [r["status"] for r in records[1:]] == ["converted"] * 3
    assert summary["errors"] == {"timeout": 1}


@needs_corpus
def test_crashed_converter_is_reported_and_the_batch_goes_on(tmp_path):
    """A worker killed from outside (as the OOM killer would) while on a document."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "a-long.txt").write_bytes(long_resolution(6))
    for i, f in enumerate(corpus_files()[:3]):
        (src / f"b{i}.txt").write_bytes(with_ta(f, 800 + i))
    children = Path(f"/proc/{os.getpid()}/task/{threading.get_native_id()}/children")
    if not children.exists():
        pytest.skip("needs Linux /proc to find the worker process")
    before = set(children.read_text().split())

    def cpu_seconds(pid: str) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill_worker() -> None:
        # once the worker has worked 0.4 s of CPU it is converting the long document (which
        # takes longer than that however fast or loaded the machine): kill it then
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            new = set(children.read_text().split()) - before
            if new:
                pid = min(new, key=int)
                with contextlib.suppress(OSError):
                    while cpu_seconds(pid) < 0.4:
                        time.sleep(0.005)
                    os.kill(int(pid), signal.SIGKILL)
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_worker)
    killer.start()
    records = list(convert_many([src], tmp_path / "out", jobs=1))
    killer.join()
    summary = records.pop()
    assert records[0]["status"] == "failed" and records[0]["error_kind"] == "crash"
    assert "SIGKILL" in records[0]["error"]
    assert [r["status"] for r in records[1:]] == ["converted"] * 3
    assert summary["failed"] == 1


# -- the per-document function -----------------------------------------------------------------


@needs_corpus
def test_convert_one_is_pure_and_picklable():
    import pickle

    f = CORPUS / "seed" / "000_844d43a262bbbfb9.txt"
    fn = pickle.loads(pickle.dumps(convert_one))
    record, xml = fn("seed.txt", f.read_bytes())
    assert (record, xml) == convert_one("seed.txt", f.read_bytes())
    assert pickle.loads(pickle.dumps(record)) == record
    assert json.loads(json.dumps(record)) == record
    assert record["counts"] == {"citations": 12, "recitals": 18, "paragraphs": 20,
                                "footnotes": 2}
    assert record["lang"] == "lv" and record["output"] is None
    assert akn_ep.validate(xml) == []
    lv, _ = convert_one("seed.txt", f.read_bytes(), lang="lv")
    assert lv == record


# -- iri_to_path ---------------------------------------------------------------------------------


def test_iri_to_path_example_from_the_spec():
    iri = "/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml"
    path = iri_to_path(iri)
    assert path == PurePosixPath(
        "akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml")
    assert path_to_iri(path) == iri


@pytest.mark.parametrize("iri, expected", [
    ("/akn/eu/doc/a:b/!main.xml", "akn/eu/doc/a~3Ab/main.xml"),
    ("/akn/eu/doc/(x)/!main.xml", "akn/eu/doc/~28x~29/main.xml"),
    ("/akn/eu/doc/a!b/!main.xml", "akn/eu/doc/a~21b/main.xml"),
    ("/akn/eu/doc/~/!main.xml", "akn/eu/doc/~7E/main.xml"),
    ("/akn/eu/doc/.hidden/!main.xml", "akn/eu/doc/~2Ehidden/main.xml"),
    ("/akn/eu/doc/-rf/!main.xml", "akn/eu/doc/~2Drf/main.xml"),
    ("/akn/eu/doc/end./!main.xml", "akn/eu/doc/end~2E/main.xml"),
    ("/akn/eu/con/aux.x/!nul.xml", "akn/eu/~63on/~61ux.x/~6Eul.xml"),
    ("/akn/eu/doc/COM1/!LPT9.xml", "akn/eu/doc/~43OM1/~4CPT9.xml"),
    ("/akn/eu/doc/a b\\c/!main.xml", "akn/eu/doc/a~20b~5Cc/main.xml"),
    ("/akn/eu/doc/rezolūcija/!main.xml", "akn/eu/doc/rezol~C5~ABcija/main.xml"),
    ("/akn/eu/doc/x/!annex_1.xml", "akn/eu/doc/x/annex_1.xml"),
])
def test_iri_to_path_escapes(iri, expected):
    assert str(iri_to_path(iri)) == expected
    assert path_to_iri(expected) == iri


@pytest.mark.parametrize("bad", [
    "akn/eu/x/!main.xml", "/us/x/!main.xml", "/akn/eu//x/!main.xml", "/akn/eu/../x/!main.xml",
    "/akn/eu/./x/!main.xml", "/akn/eu/x/main.xml", "/akn/eu/x/eng@2012-01-01", "/akn/eu/x/!",
    "/akn/" + "/".join(["s" * 70] * 3) + "/!main.xml",
])
def test_iri_to_path_refuses(bad):
    with pytest.raises(ValueError):
        iri_to_path(bad)


def test_long_segments_are_shortened_with_a_hash():
    a = iri_to_path("/akn/eu/doc/" + "ref-" + "B4-0232-" * 20 + "1/!main.xml")
    b = iri_to_path("/akn/eu/doc/" + "ref-" + "B4-0232-" * 20 + "2/!main.xml")
    assert a != b and all(len(p) <= MAX_SEGMENT for p in a.parts)
    assert "~~" in a.parts[3]
    with pytest.raises(ValueError):
        path_to_iri(a)


_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
segment = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/"),
                  min_size=1, max_size=20).filter(lambda s: s not in (".", ".."))


@given(st.lists(segment, min_size=1, max_size=6), segment)
@settings(max_examples=300, deadline=None)
def test_iri_to_path_is_safe_and_invertible(segments, component):
    iri = "/akn/" + "/".join(segments) + "/!" + component + ".xml"
    try:
        path = iri_to_path(iri)
    except ValueError:  # only for length
        escaped = [_escape_segment(s) for s in ["akn", *segments, component + ".xml"]]
        assert len("/".join(escaped)) > MAX_PATH
        return
    if not any("~~" in p for p in path.parts):  # not shortened with a hash
        assert path_to_iri(path) == iri  # hence injective
    assert not path.is_absolute() and len(str(path)) <= MAX_PATH
    for part in path.parts:
        assert set(part) <= SAFE_CHARS | {"~"}, part
        assert part[0] not in ".-" and not part.endswith(".")
        assert part.split(".")[0].upper() not in _RESERVED
        assert 0 < len(part) <= MAX_SEGMENT
    assert path.parts[0] == "akn"


@pytest.mark.parametrize("segment, expected", [
    ("a", "a"), ("@", "@"), ("TA-7-2012-0089", "TA-7-2012-0089"), ("x-", "x-"),
    ("x" * MAX_SEGMENT, "x" * MAX_SEGMENT),  # the longest kept as it is
    ("a.", "a~2E"), ("-a", "~2Da"), (".a", "~2Ea"), ("nul", "~6Eul"), ("Com1.x", "~43om1.x"),
])
def test_plain_segments_stay_as_they_are_unless_unsafe(segment, expected):
    assert _escape_segment(segment) == expected


def test_a_plain_segment_one_too_long_is_shortened():
    out = _escape_segment("x" * (MAX_SEGMENT + 1))
    assert len(out) <= MAX_SEGMENT and "~~" in out


# segments of the characters kept as they are: the common case, read by a short cut
plain = st.text(alphabet="aZ09-._@CONULPTM", min_size=1, max_size=MAX_SEGMENT + 3).filter(
    lambda s: s not in (".", ".."))


@given(st.lists(plain, min_size=1, max_size=3), plain)
@settings(max_examples=300, deadline=None)
def test_plain_iri_segments_are_safe_and_invertible(segments, component):
    test_iri_to_path_is_safe_and_invertible.hypothesis.inner_test(segments, component)


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=4)
       .filter(lambda parts: any(p not in ("", ".") for p in parts)))
@settings(max_examples=200, deadline=None)
def test_flat_path_is_always_safe(parts):
    path = flat_path(parts)
    assert not path.is_absolute() and ".." not in path.parts
    assert path.name.endswith(".xml") and len(str(path)) <= MAX_PATH
    for part in path.parts:
        assert set(part) <= SAFE_CHARS | {"~"} and part[0] not in ".-"
