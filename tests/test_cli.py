"""The command line as a user of xmllint and friends expects it: GCC-style diagnostics on
stderr, a summary or a line per file, JSON for machines, stdin and stdout as ``-``, one
set of exit statuses for every command, warnings never silent, lenient output that is a
document. Outputs are pinned exactly, written by hand.

Inputs are constructed, in the layout of the Parliament's texts (title, formula, items).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from akn_ep import cli
from akn_ep.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main

BASE = "/akn/eu/statement/resolution/ep"

# constructed: a short resolution as its web page prints it (no texts-adopted number)
EN = (b"European Parliament resolution of 15 March 2012 on Kazakhstan (2012/2553(RSP))\n"
      b"The European Parliament,\n"
      b"- having regard to Rule 110(4) of its Rules of Procedure,\n"
      b"1. Calls on the Council to act;\n"
      b"2. Instructs its President to forward this resolution to the Council.\n")
# constructed: the same in French with a numbering slip (3 where 2 is expected)
FR_SLIP = ("Résolution du Parlement européen du 15 mars 2012 sur le Kazakhstan "
           "(2012/2553(RSP))\nLe Parlement européen,\n"
           "1. invite le Conseil à agir;\n"
           "3. charge son Président de transmettre la présente résolution au Conseil.\n"
           ).encode()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    en = tmp_path / "en.txt"
    en.write_bytes(EN)
    good = tmp_path / "good.xml"
    assert main(["convert", str(en), "-o", str(good), "-q"]) == EXIT_OK
    bad = tmp_path / "bad.xml"  # a recital-less text whose paragraph 2 is numbered 7
    bad.write_bytes(good.read_bytes().replace(b"<num>2.</num>", b"<num>7.</num>").replace(
        b'eId="para_2"', b'eId="para_7"'))
    return {"en": en, "good": good, "bad": bad}


def _line_of(path: Path, needle: bytes) -> int:
    return path.read_bytes()[: path.read_bytes().index(needle)].count(b"\n") + 1


# -- validate ------------------------------------------------------------------------------------


def test_validate_prints_gcc_style_lines_and_a_summary(files, capsys):
    assert main(["validate", str(files["good"]), str(files["bad"])]) == EXIT_INPUT
    out, err = capsys.readouterr()
    line = _line_of(files["bad"], b'<paragraph eId="para_7">')
    assert out == ""
    assert err == (
        f'{files["bad"]}:{line}: [ep-paragraph-sequence] paragraph number "7" where "2" was '
        "expected (at /akomaNtoso/statement/mainBody/paragraph[2])\n"
        "akn-ep: 2 files: 1 valid, 1 not valid\n")


def test_validate_verbose_says_each_file_and_quiet_only_errors(files, capsys):
    assert main(["validate", "-v", str(files["good"])]) == EXIT_OK
    assert capsys.readouterr() == ("", f"{files['good']}: valid\n")
    assert main(["validate", str(files["good"])]) == EXIT_OK
    assert capsys.readouterr() == ("", "")  # one valid file: nothing to say
    assert main(["validate", "-q", str(files["good"]), str(files["bad"])]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[ep-paragraph-sequence]" in err  # no summary


def test_validate_json_one_object_per_file(files, capsys, tmp_path):
    missing = tmp_path / "missing.xml"
    code = main(["validate", "--format", "json", str(files["good"]), str(files["bad"]),
                 str(missing)])
    assert code == EXIT_INPUT
    out, err = capsys.readouterr()
    assert err == ""
    records = [json.loads(line) for line in out.splitlines()]
    line = _line_of(files["bad"], b'<paragraph eId="para_7">')
    assert records == [
        {"file": str(files["good"]), "valid": True, "issues": [], "error": None},
        {"file": str(files["bad"]), "valid": False, "error": None, "issues": [
            {"line": line, "rule": "ep-paragraph-sequence",
             "message": 'paragraph number "7" where "2" was expected',
             "path": "/akomaNtoso/statement/mainBody/paragraph[2]"}]},
        {"file": str(missing), "valid": False, "issues": [],
         "error": "cannot read: No such file or directory"},
    ]


# -- convert -------------------------------------------------------------------------------------


def test_convert_json_reports_on_stderr(files, capsys, tmp_path):
    out = tmp_path / "out.xml"
    assert main(["convert", str(files["en"]), "-o", str(out), "--format", "json"]) == EXIT_OK
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert json.loads(stderr) == {
        "input": str(files["en"]), "status": "converted", "output": str(out), "lang": "en",
        "iri": f"{BASE}/2012-03-15/proc-2012-2553-RSP/eng@2012-03-15/!main.xml",
        "guessed": ["number"], "warnings": [], "issues": [], "error_kind": None,
        "error": None}


def test_convert_json_failure(tmp_path, capsys):
    src = tmp_path / "slip.txt"
    src.write_bytes(FR_SLIP)
    assert main(["convert", str(src), "--format", "json"]) == EXIT_INPUT
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    record = json.loads(stderr)
    assert record["status"] == "failed" and record["error_kind"] == "parse"
    assert record["error"] == "line 4: paragraph 3 where 2 was expected (expected: paragraph 2)"


def test_convert_writes_stdout_with_dash(files, capsys):
    assert main(["convert", str(files["en"]), "-o", "-", "-q"]) == EXIT_OK
    assert capsys.readouterr().out.encode() == files["good"].read_bytes()


def test_lenient_writes_a_document_and_says_which_profile_rules_it_breaks(tmp_path, capsys):
    src, out = tmp_path / "slip.txt", tmp_path / "slip.xml"
    src.write_bytes(FR_SLIP)
    assert main(["convert", str(src), "-o", str(out)]) == EXIT_INPUT  # strict: refused
    assert not out.exists()
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(out), "--lenient"]) == EXIT_OK
    line = _line_of(out, b'<paragraph eId="para_3">')
    assert capsys.readouterr().err == (
        f"akn-ep: warning: {src}: line 4: paragraph 3 where 2 was expected\n"
        f"akn-ep: warning: {src}: output breaks the EP profile: line {line}: "
        "/akomaNtoso/statement/mainBody/paragraph[2]: [ep-paragraph-sequence] paragraph "
        'number "3" where "2" was expected\n')
    assert b"<num>3.</num>" in out.read_bytes()  # kept as printed
    assert main(["validate", "--no-profile", "-q", str(out)]) == EXIT_OK


# -- the same exit status for the same fault ------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["convert", "{en}", "--lang", "xx"],
    ["batch", "{en}", "-o", "{tmp}/out", "--lang", "xx", "-q"],
    ["convert", "{en}", "--ta-number", "TA-7-2012-0089"],
    ["convert", "{en}", "--frbr-uri", "/akn/eu/act/2012/1"],
    ["convert", "{en}", "--date", "15.3.2012"],
    ["batch", "{en}", "-o", "{tmp}/out", "--date", "15.3.2012"],
    ["validate", "--format", "xml", "{en}"],
])
def test_usage_faults_exit_2_in_every_command(argv, files, tmp_path, capsys):
    argv = [a.format(en=files["en"], tmp=tmp_path) for a in argv]
    try:
        status = main(argv)
    except SystemExit as stop:  # argparse's own usage errors
        status = stop.code
    assert status == EXIT_USAGE
    assert ": error: " in capsys.readouterr().err


def test_argparse_usage_errors_are_status_2_as_documented(files, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["convert", str(files["en"]), "--date", "15.3.2012"])
    assert stop.value.code == EXIT_USAGE
    assert "not an ISO date (YYYY-MM-DD): '15.3.2012'" in capsys.readouterr().err


def test_exit_statuses_are_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert cli.EXIT_STATUS in out
    for command in ("convert", "validate", "show"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "exit status (every command):" in capsys.readouterr().out


# -- show ------------------------------------------------------------------------------------------


def test_show_prints_the_readers_warnings(files, tmp_path, capsys):
    # a document whose preamble is misspelt: the reader supplies a formula and keeps the text
    broken = tmp_path / "broken.xml"
    broken.write_bytes(files["good"].read_bytes().replace(b"<preamble>", b"<preambel>")
                       .replace(b"</preamble>", b"</preambel>"))
    assert main(["show", str(broken)]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out.startswith("European Parliament resolution of 15 March 2012 on Kazakhstan")
    warnings = err.splitlines()
    assert warnings and all(w.startswith(f"akn-ep: warning: {broken}: ") for w in warnings)
    assert (f"akn-ep: warning: {broken}: document has no formula: the language's formula was "
            "supplied") in warnings
    assert main(["show", "-q", str(broken)]) == EXIT_OK
    assert capsys.readouterr().err == ""


def test_show_writes_a_file(files, tmp_path, capsys):
    out = tmp_path / "en.out.txt"
    assert main(["show", str(files["good"]), "-o", str(out)]) == EXIT_OK
    assert capsys.readouterr() == ("", "")
    assert out.read_text(encoding="utf-8").splitlines()[-1] == (
        "2. Instructs its President to forward this resolution to the Council.")


def test_stdin_and_stdout_as_dash(files):
    """Through a real process: ``convert - -o -`` then ``show -``, as in a shell pipe."""
    run = [sys.executable, "-m", "akn_ep.cli"]
    xml = subprocess.run([*run, "convert", "-", "-o", "-", "-q"], input=EN,
                         capture_output=True, timeout=120, check=True).stdout
    assert xml == files["good"].read_bytes()
    shown = subprocess.run([*run, "show", "-"], input=xml, capture_output=True, timeout=120)
    assert shown.returncode == EXIT_OK and shown.stderr == b""
    assert shown.stdout.splitlines()[1] == b"The European Parliament,"


# -- batch: progress, summary, processes --------------------------------------------------------


def test_progress_final_state_is_drawn_once_with_the_time_taken(monkeypatch):
    import io

    from akn_ep.batch import command

    clock = iter([100.0, 100.0, 100.2, 100.4, 107.0])  # start, three records, close
    monkeypatch.setattr(command.shutil, "get_terminal_size", lambda *_: os_size(60))
    tty = io.StringIO()
    p = command.Progress(tty, total=3, tty=True, clock=lambda: next(clock))
    for _ in range(3):
        p.update({"status": "converted"})
    p.close()
    frames = tty.getvalue().split("\r\x1b[K")[1:]
    # 60 columns: the tail " 3/3 0.3 docs/s in 0:07 failed 0" (32), 3 for brackets and space
    assert frames[-1] == "[" + "#" * 25 + "] 3/3 0.3 docs/s in 0:07 failed 0\n"  # no ETA
    assert sum("3/3" in f for f in frames) == 2  # the last update's frame, then the final one
    plain = io.StringIO()
    p = command.Progress(plain, total=3, tty=False, interval=1000)
    for _ in range(3):
        p.update({"status": "converted"})
    p.close()  # off a terminal the summary line that follows says it all
    assert plain.getvalue() == "akn-ep: 1/3 (33%), 1 converted, 0 skipped, 0 failed, …\n"


def os_size(columns: int):
    import os

    return os.terminal_size((columns, 20))


@pytest.mark.parametrize("message, kind", [
    ("line 17: paragraph 1 printed without its dot", "paragraph N printed without its dot"),
    ("line 12 (page 2, line 4): paragraph 5 where 4 was expected",
     "paragraph N where N was expected"),
    ("no adoption date printed or supplied: fallback 1995-01-01 (1 January of the year 1995 "
     "printed in the head); pass date= / --date to set it",
     "no adoption date printed or supplied"),
    ("document has no formula: the language's formula was supplied", "document has no formula"),
    ("unknown FRBRlanguage 'xx': language assumed 'en'", "unknown FRBRlanguage …"),
])
def test_warning_kinds(message, kind):
    from akn_ep.batch.command import warning_kind

    assert warning_kind(message) == kind


def test_batch_summary_counts_warnings_by_kind(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("in").mkdir()
    # constructed: three texts without a date, one with a paragraph printed without its dot
    for i in range(3):
        Path(f"in/{i}.txt").write_bytes(
            f"Resolution on subject {i}\nThe European Parliament,\n"
            f"1{'' if i == 0 else '.'} Instructs its President to forward this "
            "resolution.\n".encode())
    assert main(["batch", "in", "-o", "out", "-j", "1", "--lang", "en",
                 "--progress-interval", "1000"]) == EXIT_OK
    err = capsys.readouterr().err.splitlines()
    summary = err.index(next(e for e in err if e.startswith("akn-ep: 3 inputs: ")))
    assert err[summary + 1:] == [
        "akn-ep: 3 warnings in 3 documents: no adoption date printed or supplied, and no year "
        "in the head (in/0.txt, in/1.txt, in/2.txt)",
        "akn-ep: 1 warning in 1 document: paragraph N printed without its dot (in/0.txt)",
        "akn-ep: 3 documents with an adoption date the text does not print (fallback): "
        "in/0.txt, in/1.txt, in/2.txt",
        "akn-ep: 3 documents with a work number that is no texts-adopted number: in/0.txt, "
        "in/1.txt, in/2.txt",
        "akn-ep: state them with --date or --identities FILE (docs/batch.md)",
    ]


def test_batch_forks_its_workers_from_a_process_without_threads(tmp_path, monkeypatch):
    """Python 3.12+ warns that forking a process that has threads may deadlock the child:
    the count of inputs for the progress bar runs in a process, not a thread."""
    import multiprocessing.process
    import threading

    threads_at_start: list[int] = []
    start = multiprocessing.process.BaseProcess.start

    def recording_start(self):
        threads_at_start.append(threading.active_count())
        return start(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", recording_start)
    src = tmp_path / "in.txt"
    src.write_bytes(EN)
    assert main(["batch", str(src), "-o", str(tmp_path / "out"), "-j", "2",
                 "--progress-interval", "1000"]) == EXIT_OK
    assert len(threads_at_start) >= 2 and set(threads_at_start) == {1}  # the counter, workers


def test_verbose_convert_says_what_it_did_through_logging(files, tmp_path, capsys):
    import logging

    out = tmp_path / "o.xml"
    assert main(["convert", "-v", str(files["en"]), "-o", str(out)]) == EXIT_OK
    assert capsys.readouterr().err == (
        f"akn-ep: {files['en']}: converted to {out} "
        f"({BASE}/2012-03-15/proc-2012-2553-RSP/eng@2012-03-15/!main.xml)\n")
    logger = logging.getLogger("akn_ep")  # main leaves logging as it found it
    assert not any(type(h).__name__ == "_StderrHandler" for h in logger.handlers)
    assert logger.propagate and logger.level == logging.NOTSET
