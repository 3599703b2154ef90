"""The ``akn-ep`` command line: convert, validate, show, batch, publish.

Every failure is one readable line on stderr and a non-zero exit status; an
output file is written atomically (temporary file + rename) and only when the
document is valid, so a failed run never leaves a half-written file.

Example:
    >>> main(["--version"])  # doctest: +SKIP
    akn-ep 0.1.0
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__, languages
from .akn.iri import FrbrUri, ep_work_uri, frbr_iris, guessed, is_ep_work
from .akn.reader import from_akn
from .akn.validate import Issue, validate
from .akn.writer import to_akn
from .errors import AknEpError, DependencyError, LanguageError, ParseError
from .html import is_html, parse_html
from .limits import MAX_PDF_BYTES, MAX_TEXT_BYTES, MAX_XML_BYTES
from .model import TA_NUMBER_RE
from .pdf import is_pdf, parse_pdf
from .render import to_text
from .text import parse_text

__all__ = ["main", "write_atomic", "EXIT_OK", "EXIT_INPUT", "EXIT_USAGE", "EXIT_INTERRUPTED"]

log = logging.getLogger("akn_ep.cli")

#: Exit statuses, the same in every command.
EXIT_OK = 0  # done: converted, valid, shown, published
EXIT_INPUT = 1  # an input's fault: unreadable, not a resolution, not valid; a batch input failed
EXIT_USAGE = 2  # the command's: a bad option or value (unknown --lang, bad --date), or a batch
#                 or publish that cannot start
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM

EXIT_STATUS = """\
exit status (every command):
  0    done (converted, valid, shown, published)
  1    an input's fault: unreadable, not a resolution, not valid; in a batch, an input failed
  2    a usage error: unknown option, bad value (e.g. an unknown --lang, a bad --date or
       --identities file); a batch or publish that cannot start (output folder in use,
       server unreachable, login refused) or whose server went away
  130  interrupted (Ctrl-C, SIGTERM)
"""

EPILOG = """\
examples:
  akn-ep convert resolution.txt -o resolution.xml      text -> Akoma Ntoso (validated)
  akn-ep convert TA-9-2023-0612_EN.pdf -o out.xml      the Parliament's PDF, read from its layout
  akn-ep convert B-9-2020-0220_EN.html -o out.xml      its web page (text adopted, motion, report)
  akn-ep convert - --lang lv < resolution.txt          read stdin, write stdout (-o -)
  akn-ep convert old.txt --date 1995-02-16 -o old.xml  supply an unprinted adoption date
  akn-ep convert web.txt --ta-number 'P9_TA(2023)0612' state the identity the text omits
  akn-ep convert copy.txt --title "European Parliament resolution of 15 March 2012 on X"
                                                       a copy from the formula: supply its title
  akn-ep validate out/*.xml                            official schema + EP profile:
                                                       FILE:LINE: [rule] message
  akn-ep validate --format json out/*.xml              one JSON object per file
  akn-ep show resolution.xml                           Akoma Ntoso -> plain text
  curl -s URL | akn-ep show -                          read stdin
  akn-ep batch corpus/ more.zip -o repo/               many inputs -> a folder by IRI
  akn-ep publish repo/ --basex 127.0.0.1:1984 --db ep --user akn --password-env BASEX_PW
                                                       valid documents -> a BaseX database
"""


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.xml"
        >>> write_atomic(p, b"<a/>"); p.read_bytes()
        b'<a/>'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        # mkstemp creates the file private (0600); give it the usual mode under the umask
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _date(value: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def _verbosity_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    quiet = common.add_mutually_exclusive_group()
    quiet.add_argument("-v", "--verbose", dest="verbosity", action="count", default=0,
                       help="say what was done, file by file (-vv: debug)")
    quiet.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1,
                       help="errors only (no warnings, no summary)")
    return common


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; the options of ``batch`` and ``publish`` only when ``command`` is that one.

    Their modules are imported on first use, as ``akn_ep`` imports them (multiprocessing,
    sqlite3, the archive readers and the BaseX client are not needed to convert one file).
    """
    ap = argparse.ArgumentParser(
        prog="akn-ep",
        description="European Parliament resolutions to Akoma Ntoso 3.0 XML, validated, and back.",
        epilog=EPILOG + "\n" + EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"akn-ep {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    common = _verbosity_options()
    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument("--format", choices=("text", "json"), default="text",
                     help="how to report: text lines on stderr (default) or JSON")

    c = sub.add_parser("convert", help="plain text, PDF or web page -> Akoma Ntoso XML",
                       epilog=EPILOG + "\n" + EXIT_STATUS, parents=[common, fmt],
                       description="Convert one resolution; the output is written only when "
                                   "valid. With --format json a JSON object on stderr says "
                                   "what happened (stdout may hold the document).",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("input", help="the EP PDF or web page (recognised by their content), a "
                   "text file as extracted from it, or - for stdin")
    c.add_argument("-o", "--output", help="output .xml file (default or -: stdout)")
    c.add_argument("--lang", help="ISO 639-1 language code (default: detected from the text)")
    c.add_argument("--date", type=_date, help="adoption date when the text prints none")
    c.add_argument("--ta-number", metavar="P9_TA(2023)0612",
                   help="the texts-adopted number, when the text does not print it (it gives "
                        "the work IRI; a different printed number is an error)")
    c.add_argument("--frbr-uri", metavar="IRI",
                   help="the whole work IRI, /akn/eu/statement/resolution/ep/DATE/NUMBER")
    c.add_argument("--title", help="title when the text prints none (a copy from the formula)")
    c.add_argument("--lenient", action="store_true",
                   help="write a document despite numbering slips: numbers kept as printed, "
                        "the EP-profile rules they break reported as warnings")

    v = sub.add_parser("validate", help="validate Akoma Ntoso files (schema + EP profile)",
                       parents=[common, fmt], epilog=EXIT_STATUS,
                       description="Validate against the official OASIS schema and the EP "
                                   "profile. Each problem is a line FILE:LINE: [rule] message "
                                   "on stderr, then a summary (-v: a line per file; -q: "
                                   "nothing more). --format json: one JSON object per file "
                                   "on stdout.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("files", nargs="+", metavar="FILE", help="an .xml file, or - for stdin")
    v.add_argument("--detailed", action="store_true",
                   help="add xmlschema's detailed reasons to schema errors (slower)")
    v.add_argument("--no-profile", action="store_true", help="official schema only")

    s = sub.add_parser("show", help="Akoma Ntoso -> plain text", parents=[common],
                       epilog=EXIT_STATUS, description="Print a document as text; what the "
                       "reader had to supply or move (a missing formula, loose text) is said "
                       "as warnings on stderr.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("file", help="an Akoma Ntoso file, or - for stdin")
    s.add_argument("-o", "--output", help="output text file (default or -: stdout)")

    b = sub.add_parser(
        "batch", help="many files, folders and archives -> a folder of AKN (parallel, resumable)",
        description="Convert every document of the sources into OUTDIR, laid out by Akoma "
                    "Ntoso IRI (see docs/batch.md). Exit status 0 only if every input "
                    "converted; a JSON Lines report has one record per input.",
        epilog="examples:\n"
               "  akn-ep batch texts/ -o repo/               folder (recursive) -> repo/akn/eu/…\n"
               "  akn-ep batch a.zip b.tar.gz -o repo/ -j 4  archives, read in place, 4 processes\n"
               "  akn-ep batch texts/ -o flat/ --layout flat one file per input, named after it\n"
               "  akn-ep batch texts/ -o repo/ --report r.jsonl   run it again to resume\n"
               "  akn-ep batch a.zip -o repo/ --identities ids.csv  state TA numbers/dates\n\n"
               + EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    if command == "batch":
        from .batch import add_arguments

        add_arguments(b)

    pub = sub.add_parser(
        "publish", help="store valid AKN documents in a BaseX XML database (idempotent)",
        description="Validate every Akoma Ntoso document of the sources (an akn-ep batch "
                    "folder or files) and store the valid ones in a BaseX database at the "
                    "path of their manifestation IRI (see docs/repository.md). The password "
                    "comes from an environment variable or a config file (mode 600), never "
                    "from the command line.",
        epilog="examples:\n"
               "  BASEX_PW=… akn-ep publish repo/ --basex 127.0.0.1:1984 --db ep --user akn "
               "--password-env BASEX_PW\n"
               "  akn-ep publish repo/ --basex 127.0.0.1:1984 --db ep --prune   "
               "password from ~/.config/akn-ep/basex.ini\n"
               "  akn-ep publish one.xml two.xml --basex 127.0.0.1:1984 --db ep --config db.ini\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    if command == "publish":
        from .repository import add_arguments as add_publish_arguments

        add_publish_arguments(pub)
    return ap


def _read_limited(path: str) -> bytes:
    """A file's bytes (stdin for "-"), at most one byte past the largest input limit: the
    readers refuse what is over their own limit, and a huge file is never loaded whole."""
    limit = max(MAX_TEXT_BYTES, MAX_PDF_BYTES, MAX_XML_BYTES) + 1
    if path == "-":
        return sys.stdin.buffer.read(limit)
    with open(path, "rb") as fh:
        return fh.read(limit)


def _err(msg: str) -> None:
    msg = " ".join(line.strip() for line in msg.splitlines())  # one line, whatever it holds
    log.error("akn-ep: error: %s", msg)


def _warn(msg: str) -> None:
    log.warning("akn-ep: warning: %s", msg)


def _issue_line(name: str, issue: Issue) -> str:
    """``FILE:LINE: [rule] message`` (GCC and xmllint style; ``FILE: …`` without a line).

    Example:
        >>> _issue_line("a.xml", Issue("/akomaNtoso", "akn-schema", "Missing child", line=2))
        'a.xml:2: [akn-schema] Missing child (at /akomaNtoso)'
    """
    where = f"{name}:{issue.line}" if issue.line else name
    at = f" (at {issue.path})" if issue.path else ""
    message = " ".join(line.strip() for line in issue.message.splitlines())  # one line
    return f"{where}: [{issue.rule}] {message}{at}"


def _issue_dict(issue: Issue) -> dict[str, Any]:
    return {"line": issue.line, "rule": issue.rule, "message": issue.message,
            "path": issue.path}


def _json_line(record: dict[str, Any], stream: IO[str]) -> None:
    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    stream.flush()


def _usage_problem(args: argparse.Namespace) -> str | None:
    """A bad option value the parser cannot check by type: an unknown ``--lang``, a
    ``--ta-number`` or ``--frbr-uri`` of the wrong form."""
    if getattr(args, "lang", None):
        try:
            languages.get(args.lang)
        except AknEpError as exc:
            return f"--lang: {exc}"
    if getattr(args, "ta_number", None) and not TA_NUMBER_RE.match(args.ta_number):
        return (f"--ta-number: {args.ta_number!r} is not a texts-adopted number "
                "(P<term>_TA(<year>)<nnnn>, e.g. P9_TA(2023)0612)")
    if getattr(args, "frbr_uri", None):
        try:
            ok = is_ep_work(FrbrUri.parse(args.frbr_uri))
        except ValueError:
            ok = False
        if not ok:
            return (f"--frbr-uri: {args.frbr_uri!r} is not an EP resolution's work IRI "
                    f"({ep_work_uri('YYYY-MM-DD', 'NUMBER')})")
    return None


def _convert(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.input == "-" else args.input
    as_json = args.format == "json"
    record: dict[str, Any] = {"input": name, "status": "failed", "output": None, "lang": None,
                              "iri": None, "guessed": None, "warnings": [], "issues": [],
                              "error_kind": None, "error": None}

    def fail(kind: str, message: str, code: int = EXIT_INPUT) -> int:
        record.update(error_kind=kind, error=message)
        if as_json:
            _json_line(record, sys.stderr)
        else:
            _err(f"{name}: {message}" if kind != "usage" else message)
        return code

    problem = _usage_problem(args)
    if problem:
        return fail("usage", problem, EXIT_USAGE)
    try:
        data = _read_limited(args.input)
    except OSError as exc:
        return fail("read", f"cannot read: {exc.strerror or exc}")
    try:
        # by content, whatever the name: a PDF, a web page, else text
        parse = parse_pdf if is_pdf(data) else parse_html if is_html(data) else parse_text
        r = parse(data, lang=args.lang, date=args.date, strict=not args.lenient,
                  ta_number=args.ta_number, frbr_uri=args.frbr_uri, title=args.title)
    except LanguageError as exc:
        return fail("language", str(exc))
    except ParseError as exc:
        return fail("parse", str(exc))
    except AknEpError as exc:
        return fail("model", str(exc))
    warnings = list(r.report.warnings)
    xml = to_akn(r)
    issues = validate(xml)
    if issues and args.lenient and not validate(xml, profile=False):
        # lenient output keeps what the text prints (a numbering slip stays a slip): the
        # EP-profile rules it breaks are warnings, and the document is written
        warnings += [f"output breaks the EP profile: {i}" for i in issues]
        issues = []
    record.update(lang=r.lang, iri=frbr_iris(r).manifestation_uri(), guessed=list(guessed(r)),
                  warnings=warnings, issues=[_issue_dict(i) for i in issues])
    if not as_json:
        for w in warnings:
            _warn(f"{name}: {w}")
    if issues:
        message = f"output not valid ({len(issues)} issues; a bug: please report it)"
        if not as_json:
            for i in issues:
                _err(f"{name}: output not valid: {i}")
        return fail("invalid", message)
    output = args.output or "-"
    if output != "-":
        try:
            write_atomic(output, xml)
        except OSError as exc:
            return fail("write", f"{output}: cannot write: {exc.strerror or exc}")
    else:
        sys.stdout.buffer.write(xml)
        sys.stdout.flush()
    record.update(status="converted", output=output)
    if as_json:
        _json_line(record, sys.stderr)
    else:
        log.info("akn-ep: %s: converted to %s (%s)", name,
                 "stdout" if output == "-" else output, record["iri"])
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    as_json = args.format == "json"
    valid = invalid = unreadable = 0
    for f in args.files:
        name = "<stdin>" if f == "-" else f
        try:
            data = _read_limited(f)
        except OSError as exc:
            unreadable += 1
            message = f"cannot read: {exc.strerror or exc}"
            if as_json:
                _json_line({"file": name, "valid": False, "issues": [], "error": message},
                           sys.stdout)
            else:
                _err(f"{name}: {message}")
            continue
        issues = validate(data, profile=not args.no_profile, detailed=args.detailed)
        if issues:
            invalid += 1
        else:
            valid += 1
        if as_json:
            _json_line({"file": name, "valid": not issues,
                        "issues": [_issue_dict(i) for i in issues], "error": None}, sys.stdout)
            continue
        for i in issues:
            log.error("%s", _issue_line(name, i))
        if issues:
            log.info("%s: not valid (%d issue%s)", name, len(issues),
                     "" if len(issues) == 1 else "s")
        else:
            log.info("%s: valid", name)
    if not as_json and args.verbosity <= 0 and (invalid or unreadable or len(args.files) > 1):
        # the summary (one line per file instead with -v; none with -q)
        total = len(args.files)
        parts = [f"{valid} valid", f"{invalid} not valid"]
        if unreadable:
            parts.append(f"{unreadable} unreadable")
        log.warning("akn-ep: %d file%s: %s", total, "" if total == 1 else "s", ", ".join(parts))
    return EXIT_INPUT if invalid or unreadable else EXIT_OK


def _show(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    try:
        r = from_akn(_read_limited(args.file))
    except OSError as exc:
        _err(f"{name}: cannot read: {exc.strerror or exc}")
        return EXIT_INPUT
    except AknEpError as exc:
        _err(f"{name}: {exc}")
        return EXIT_INPUT
    for w in r.report.warnings:  # what the reader supplied or moved is never silent
        _warn(f"{name}: {w}")
    text = to_text(r).encode("utf-8")
    output = args.output or "-"
    if output == "-":
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_atomic(output, text)
    except OSError as exc:
        _err(f"{output}: cannot write: {exc.strerror or exc}")
        return EXIT_INPUT
    return EXIT_OK


class _StderrHandler(logging.Handler):
    """Log records to whatever ``sys.stderr`` is when they are emitted (tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 - logging never raises
            self.handleError(record)


@contextlib.contextmanager
def _logging(verbosity: int) -> Iterator[None]:
    """Messages of the command line through :mod:`logging` (logger ``akn_ep``): errors
    always, warnings unless ``-q``, per-file lines with ``-v``, debug with ``-vv``; the
    logger is left as it was found."""
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(
        max(-1, min(verbosity, 2)), logging.DEBUG)
    logger = logging.getLogger("akn_ep")
    old = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old[0])
        logger.propagate = old[1]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Example:
        >>> main(["validate", "/nonexistent.xml"])  # doctest: +SKIP
        1
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    args = _parser(command).parse_args(argv)
    if args.command == "batch":
        from .batch import run_cli as handler
    elif args.command == "publish":
        from .repository import run_cli as handler
    else:
        handler = {"convert": _convert, "validate": _validate, "show": _show}[args.command]
    with _logging(getattr(args, "verbosity", 0)):
        try:
            return handler(args)
        except DependencyError as exc:  # an optional extra missing, a changed dependency
            _err(str(exc))
            return EXIT_USAGE
        except KeyboardInterrupt:
            _err("interrupted")
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
