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
import datetime as _dt
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .akn.reader import from_akn
from .akn.validate import validate
from .akn.writer import to_akn
from .errors import AknEpError, ParseError
from .limits import MAX_PDF_BYTES, MAX_TEXT_BYTES, MAX_XML_BYTES
from .pdf import is_pdf, parse_pdf
from .render import to_text
from .text import parse_text

__all__ = ["main", "write_atomic"]

EPILOG = """\
examples:
  akn-ep convert resolution.txt -o resolution.xml      text -> Akoma Ntoso (validated)
  akn-ep convert TA-9-2023-0612_EN.pdf -o out.xml      the Parliament's PDF, read from its layout
  akn-ep convert - --lang lv < resolution.txt          read stdin, write stdout
  akn-ep convert old.txt --date 1995-02-16 -o old.xml  supply an unprinted adoption date
  akn-ep validate out/*.xml                            official schema + EP profile
  akn-ep show resolution.xml                           Akoma Ntoso -> plain text
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


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; the options of ``batch`` and ``publish`` only when ``command`` is that one.

    Their modules are imported on first use, as ``akn_ep`` imports them (multiprocessing,
    sqlite3, the archive readers and the BaseX client are not needed to convert one file).
    """
    ap = argparse.ArgumentParser(
        prog="akn-ep",
        description="European Parliament resolutions to Akoma Ntoso 3.0 XML, validated, and back.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"akn-ep {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    c = sub.add_parser("convert", help="plain text or PDF -> Akoma Ntoso XML", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("input", help="the EP PDF (recognised by its content), a text file as "
                   "extracted from it, or - for stdin")
    c.add_argument("-o", "--output", help="output .xml file (default: stdout)")
    c.add_argument("--lang", help="ISO 639-1 language code (default: detected from the text)")
    c.add_argument("--date", type=_date, help="adoption date when the text prints none")
    c.add_argument("--lenient", action="store_true",
                   help="return the best model with warnings instead of failing on slips")
    c.add_argument("-q", "--quiet", action="store_true", help="do not print warnings")

    v = sub.add_parser("validate", help="validate Akoma Ntoso files (schema + EP profile)")
    v.add_argument("files", nargs="+")
    v.add_argument("--detailed", action="store_true",
                   help="add xmlschema's detailed reasons to schema errors (slower)")
    v.add_argument("--no-profile", action="store_true", help="official schema only")

    s = sub.add_parser("show", help="Akoma Ntoso -> plain text")
    s.add_argument("file")

    b = sub.add_parser(
        "batch", help="many files, folders and archives -> a folder of AKN (parallel, resumable)",
        description="Convert every document of the sources into OUTDIR, laid out by Akoma "
                    "Ntoso IRI (see docs/batch.md). Exit status 0 only if every input "
                    "converted; a JSON Lines report has one record per input.",
        epilog="examples:\n"
               "  akn-ep batch texts/ -o repo/               folder (recursive) -> repo/akn/eu/…\n"
               "  akn-ep batch a.zip b.tar.gz -o repo/ -j 4  archives, read in place, 4 processes\n"
               "  akn-ep batch texts/ -o flat/ --layout flat one file per input, named after it\n"
               "  akn-ep batch texts/ -o repo/ --report r.jsonl   run it again to resume\n",
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
    print(f"akn-ep: error: {msg}", file=sys.stderr)


def _convert(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.input == "-" else args.input
    try:
        data = _read_limited(args.input)
    except OSError as exc:
        _err(f"{name}: cannot read: {exc.strerror or exc}")
        return 1
    try:
        if is_pdf(data):  # by content, whatever the file is called
            r = parse_pdf(data, lang=args.lang, date=args.date, strict=not args.lenient)
        else:
            r = parse_text(data, lang=args.lang, date=args.date, strict=not args.lenient)
    except ParseError as exc:
        _err(f"{name}: {exc}")
        return 1
    except AknEpError as exc:
        _err(f"{name}: {exc}")
        return 1
    if not args.quiet:
        for w in r.report.warnings:
            print(f"akn-ep: warning: {name}: {w}", file=sys.stderr)
    xml = to_akn(r)
    issues = validate(xml)
    if issues:
        for i in issues:
            _err(f"{name}: output not valid: {i}")
        return 1
    if args.output:
        try:
            write_atomic(args.output, xml)
        except OSError as exc:
            _err(f"{args.output}: cannot write: {exc.strerror or exc}")
            return 1
    else:
        sys.stdout.buffer.write(xml)
    return 0


def _validate(args: argparse.Namespace) -> int:
    bad = 0
    for f in args.files:
        try:
            data = _read_limited(f)
        except OSError as exc:
            print(f"{f}: cannot read: {exc.strerror or exc}")
            bad += 1
            continue
        issues = validate(data, profile=not args.no_profile, detailed=args.detailed)
        for i in issues:
            print(f"{f}:{i}")
        bad += bool(issues)
    return 1 if bad else 0


def _show(args: argparse.Namespace) -> int:
    try:
        r = from_akn(Path(args.file))
    except OSError as exc:
        _err(f"{args.file}: cannot read: {exc.strerror or exc}")
        return 1
    except AknEpError as exc:
        _err(f"{args.file}: {exc}")
        return 1
    sys.stdout.write(to_text(r))
    return 0


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
    try:
        return handler(args)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
