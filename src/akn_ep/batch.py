"""Batch conversion: many sources → an Akoma Ntoso repository, in parallel, resumable.

One call (or ``akn-ep batch``) converts files, directory trees and archives
(``.zip``, ``.tar``, ``.tar.gz`` …, read in place) into a folder laid out by the
Akoma Ntoso IRI of each document (:func:`iri_to_path`), so the language versions
of one resolution sit side by side. See ``docs/batch.md`` for the whole story;
in short:

- **Inputs** are read lazily and in a deterministic order (sources in the order
  given, directories sorted by name, archive members in archive order);
  hidden files and ``__MACOSX`` folders are skipped.
- **Conversion** runs :func:`convert_one` in worker processes (default: one per
  core), a few chunks in flight at a time, so memory stays flat. Results are
  taken in input order, so the outcome never depends on the number of
  processes or their timing.
- **Nothing is lost**: every input gets exactly one record, with the reason when
  it fails (not a resolution, not valid, too large, unreadable archive, crashed
  or hung converter, collision …); a bad document never stops the batch.
- **Writes are atomic** (a temporary file in ``OUTDIR/.akn-ep/tmp`` renamed into
  place). The SHA-256 of each input and of its output is recorded in
  ``OUTDIR/.akn-ep/state.sqlite``; a re-run skips inputs whose output is
  present and unchanged, so a killed run finishes where it stopped.
- **Collisions** (two inputs mapping to one output path, compared without
  regard to letter case): the first input in input order wins; each later one
  fails with ``collides with <first input>``. An output written by an earlier
  run from another input is left as it is unless ``force=True``.

Example:
    >>> import pathlib, tempfile
    >>> src = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (src / "x.txt").write_text(
    ...     "P7_TA(2012)0089\\nEuropean Parliament resolution of 15 March 2012 on X\\n"
    ...     "The European Parliament,\\n1. Instructs its President to forward this.\\n")
    >>> records = list(convert_many([src / "x.txt"], src / "out", jobs=1))
    >>> records[0]["status"], records[0]["output"]  # doctest: +NORMALIZE_WHITESPACE
    ('converted',
     'akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/eng@2012-03-15/main.xml')
    >>> records[-1]["type"], records[-1]["converted"], records[-1]["exit_status"]
    ('summary', 1, 0)
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fnmatch
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import string
import sys
import tarfile
import time
import zipfile
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import wait as _mp_wait
from pathlib import Path, PurePosixPath
from typing import IO, Any

from . import __version__, languages
from .akn.ids import frbr_iris
from .akn.validate import validate
from .akn.writer import to_akn
from .errors import AknEpError, LanguageError, ModelError, ParseError
from .model import iter_footnotes
from .pdf import is_pdf, parse_pdf
from .text import parse_text

__all__ = [
    "convert_one",
    "convert_many",
    "iri_to_path",
    "path_to_iri",
    "flat_path",
    "iter_inputs",
    "count_inputs",
    "Input",
    "BatchError",
    "RECORD_FIELDS",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_BYTES",
    "Progress",
    "add_arguments",
    "run_cli",
]

#: Fields of every document record, in this order (see ``docs/batch.md``).
RECORD_FIELDS = (
    "type", "input", "source", "member", "status", "output", "lang", "iri", "counts",
    "warnings", "error", "error_kind", "sha256", "bytes",
)  # fmt: skip

#: Seconds one document may take in a worker before it is stopped and reported.
DEFAULT_TIMEOUT = 120.0
#: Inputs larger than this are reported as too large, not read.
DEFAULT_MAX_BYTES = 50_000_000

#: Archive file names read member by member (case-insensitive suffixes).
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")

_STATE_DIR = ".akn-ep"
_CHUNK_DOCS = 8  # documents per message to a worker
_CHUNK_BYTES = 1 << 20  # … or this many input bytes, whichever comes first
_PREFETCH_BYTES = 48 << 10  # input bytes of a chunk waiting behind another: fits in any pipe
_WINDOW_PER_JOB = 4  # chunks per worker read ahead of the oldest unfinished input
_COMMIT_EVERY = 256  # state rows per transaction …
_COMMIT_SECONDS = 0.25  # … or this often, whichever comes first (a commit costs 0.2-2 ms)
_SEND_SECONDS = 0.05  # a worker reports at the end of a chunk, or after a document this slow


class BatchError(AknEpError):
    """A batch that cannot start: output folder unusable or in use by another run."""


# -- IRI → path -------------------------------------------------------------------------------

#: Characters kept as they are in a path segment: the POSIX portable file name characters
#: plus ``@``. Everything else is written ``~XX`` (UTF-8 bytes in upper-case hex).
SAFE_CHARS = frozenset(string.ascii_letters + string.digits + "-._@")
#: Longest path segment written as is; longer ones are shortened with a hash.
MAX_SEGMENT = 80
#: Longest relative path :func:`iri_to_path` returns (leaves room for OUTDIR under Windows'
#: classic 260-character limit).
MAX_PATH = 200
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
)
_HEX = frozenset("0123456789ABCDEFabcdef")


def _char_bytes(ch: str) -> bytes:
    try:
        return ch.encode("utf-8", "surrogateescape")  # undecodable file-name bytes
    except UnicodeEncodeError:
        return ch.encode("utf-8", "surrogatepass")


def _escape_segment(segment: str) -> str:
    """One path segment, safe on every common file system (see :func:`iri_to_path`)."""
    out = "".join(
        ch if ch in SAFE_CHARS else "".join(f"~{b:02X}" for b in _char_bytes(ch))
        for ch in segment
    )
    if out[:1] in (".", "-"):  # hidden file, "." / "..", or read as a command-line option
        out = f"~{ord(out[0]):02X}{out[1:]}"
    if out.endswith("."):  # Windows drops trailing dots
        out = f"{out[:-1]}~2E"
    if out.split(".", 1)[0].upper() in _WINDOWS_RESERVED:  # CON, NUL.xml, com1 …
        out = f"~{ord(out[0]):02X}{out[1:]}"
    if len(out) > MAX_SEGMENT:
        dot = out.rfind(".")
        ext = out[dot:] if dot > 0 and len(out) - dot <= 10 else ""  # keep ".xml"
        cut = out[: MAX_SEGMENT - 18 - len(ext)]
        tilde = cut.rfind("~", len(cut) - 2)
        if tilde >= 0:  # do not cut an escape in two
            cut = cut[:tilde]
        digest = hashlib.sha256(b"".join(_char_bytes(c) for c in segment)).hexdigest()[:16]
        out = f"{cut}~~{digest}{ext}"
    return out


def _unescape_segment(segment: str) -> str:
    if "~~" in segment:
        raise ValueError(f"segment {segment!r} was shortened with a hash: the IRI cannot be "
                         "recovered from the path")
    raw = bytearray()
    i = 0
    while i < len(segment):
        ch = segment[i]
        if ch == "~":
            pair = segment[i + 1 : i + 3]
            if len(pair) != 2 or not set(pair) <= _HEX:
                raise ValueError(f"bad escape in path segment {segment!r}")
            raw.append(int(pair, 16))
            i += 3
        elif ch in SAFE_CHARS:
            raw.append(ord(ch))
            i += 1
        else:
            raise ValueError(f"character {ch!r} cannot appear in a path made by iri_to_path")
    return raw.decode("utf-8", "surrogateescape")


def iri_to_path(iri: str) -> PurePosixPath:
    """The relative file path of a manifestation IRI: a pure, documented, portable mapping.

    ``/akn/…/lav@2012-03-15/!main.xml`` → ``akn/…/lav@2012-03-15/main.xml``. Each IRI
    segment becomes one path segment: letters, digits, ``-``, ``.``, ``_`` and ``@`` stay
    as they are; every other character (``!``, ``(``, ``:``, spaces, non-ASCII …) becomes
    ``~XX`` per UTF-8 byte, and ``~`` itself ``~7E``. The ``!`` that marks the component
    (``!main.xml``) is dropped. A segment never starts with ``.`` or ``-`` nor ends with
    ``.`` (escaped), never is a Windows device name (``CON``, ``NUL.xml``, ``COM1`` … get
    their first letter escaped), and is at most :data:`MAX_SEGMENT` characters (longer
    ones keep their start and extension around ``~~`` + 16 hex digits of their SHA-256); the
    whole path is at most :data:`MAX_PATH` characters. The mapping is injective and
    :func:`path_to_iri` inverts it (except for shortened segments). Paths that differ only
    in letter case are refused by the batch as a collision, so the tree is the same on
    case-insensitive file systems.

    Raises :class:`ValueError` for anything but an absolute ``/akn/`` manifestation IRI
    (last segment ``!name.ext``, no empty, ``.`` or ``..`` segments) or a path that would
    be too long.

    Example:
        >>> str(iri_to_path("/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/"
        ...                 "lav@2012-03-15/!main.xml"))
        'akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml'
        >>> str(iri_to_path("/akn/eu/doc/x:(1)/con/!main.xml"))
        'akn/eu/doc/x~3A~281~29/~63on/main.xml'
    """
    if not isinstance(iri, str) or not iri.startswith("/akn/"):
        raise ValueError(f"not an absolute Akoma Ntoso IRI (/akn/…): {iri!r}")
    segments = iri[1:].split("/")
    if any(s in ("", ".", "..") for s in segments):
        raise ValueError(f"empty, '.' or '..' segment in IRI {iri!r}")
    last = segments[-1]
    if not last.startswith("!") or "." not in last[2:]:
        raise ValueError(f"not a manifestation IRI (last segment !name.ext): {iri!r}")
    parts = [_escape_segment(s) for s in segments[:-1]] + [_escape_segment(last[1:])]
    path = PurePosixPath(*parts)
    if len(str(path)) > MAX_PATH:
        raise ValueError(f"IRI gives a path longer than {MAX_PATH} characters: {iri!r}")
    return path


def path_to_iri(path: str | PurePosixPath) -> str:
    """The manifestation IRI of a path made by :func:`iri_to_path` (its inverse).

    Example:
        >>> path_to_iri("akn/eu/doc/x~3A~281~29/~63on/main.xml")
        '/akn/eu/doc/x:(1)/con/!main.xml'
    """
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] != "akn":
        raise ValueError(f"not a path made by iri_to_path: {str(path)!r}")
    segments = [_unescape_segment(p) for p in parts]
    segments[-1] = "!" + segments[-1]
    return "/" + "/".join(segments)


def flat_path(parts: Sequence[str]) -> PurePosixPath:
    """The output path of an input under ``--layout flat``: its own name, made safe.

    ``parts`` are the input's name parts: the name of the directory or archive given as
    source, then the path inside it (for a file given directly, just its name). Each
    part is escaped as in :func:`iri_to_path`; the last one's extension becomes ``.xml``.
    Deep paths over :data:`MAX_PATH` characters keep only their file name, under a folder
    named ``~~`` + a hash of the whole.

    Example:
        >>> str(flat_path(["corpus.zip", "clean", "TA-6-2007-0424_EN.txt"]))
        'corpus.zip/clean/TA-6-2007-0424_EN.xml'
        >>> str(flat_path(["..", "a b.txt"]))
        '~2E~2E/a~20b.xml'
    """
    names = [p for p in parts if p not in ("", ".")]
    if not names:
        raise ValueError("an input needs a name")
    last = names[-1]
    dot = last.rfind(".")
    stem = last[:dot] if dot > 0 else last
    escaped = [_escape_segment(p) for p in names[:-1]] + [_escape_segment(stem + ".xml")]
    path = PurePosixPath(*escaped)
    if len(str(path)) > MAX_PATH:
        digest = hashlib.sha256("/".join(names).encode("utf-8", "surrogatepass")).hexdigest()
        path = PurePosixPath(f"~~{digest[:16]}", escaped[-1])
    return path


def _fold(path: PurePosixPath) -> str:
    """The key under which outputs are compared: case-insensitive, as on Windows and macOS."""
    return str(path).casefold()


# -- the per-document function --------------------------------------------------------------


def _blank_record(name: str, data: bytes | None) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(RECORD_FIELDS)
    record.update(type="document", input=name, source=name, warnings=[])
    if data is not None:
        record.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    return record


def _fail(record: dict[str, Any], kind: str, message: str) -> dict[str, Any]:
    record.update(status="failed", error_kind=kind, error=message)
    return record


def convert_one(
    name: str, data: bytes, *, lang: str | None = None
) -> tuple[dict[str, Any], bytes | None]:
    """Convert one document: its record and, when it converted, its validated XML.

    Pure and picklable: the result depends only on the arguments (no files, no
    global state), so it can run anywhere — a process pool, Dask, Ray. ``name`` only
    labels the record. The record has every field of :data:`RECORD_FIELDS`:
    ``status`` is ``"converted"`` (XML returned, valid) or ``"failed"`` (XML is None;
    ``error_kind`` is ``parse``, ``language``, ``model``, ``invalid`` or ``internal``,
    and ``error`` says why); ``output`` is left None (the caller decides the layout,
    e.g. with :func:`iri_to_path` of ``record["iri"]``). Never raises for bad input.

    Example:
        >>> rec, xml = convert_one("x.txt", b"Resolution on X\\nThe European Parliament,\\n"
        ...                        b"1. Instructs its President to forward it.\\n", lang="en")
        >>> rec["status"], rec["counts"], xml[:5]
        ('converted', {'citations': 0, 'recitals': 0, 'paragraphs': 1, 'footnotes': 0}, b'<?xml')
        >>> rec, xml = convert_one("bad.pdf", b"%PDF-1.4 damaged")
        >>> rec["status"], rec["error_kind"], xml
        ('failed', 'parse', None)
    """
    record = _blank_record(name, data)
    record["lang"] = lang
    try:
        # a PDF (recognised by its content) is read layout-aware, anything else as text
        r = parse_pdf(data, lang=lang) if is_pdf(data) else parse_text(data, lang=lang)
        record.update(
            lang=r.lang,
            iri=frbr_iris(r).manifestation,
            counts={
                "citations": len(r.citations),
                "recitals": len(r.recitals),
                "paragraphs": sum(1 for _ in r.paragraphs()),
                "footnotes": sum(1 for _ in iter_footnotes(r)),
            },
            warnings=list(r.report.warnings),
        )
        xml = to_akn(r)
        issues = validate(xml)
    except LanguageError as exc:
        return _fail(record, "language", str(exc)), None
    except ParseError as exc:
        return _fail(record, "parse", str(exc)), None
    except ModelError as exc:
        return _fail(record, "model", str(exc)), None
    except Exception as exc:  # noqa: BLE001 - a bad document must never stop a batch
        return _fail(record, "internal", f"{type(exc).__name__}: {exc}"), None
    if issues:
        more = f" (+{len(issues) - 5} more)" if len(issues) > 5 else ""
        message = "output not valid: " + "; ".join(str(i) for i in issues[:5]) + more
        return _fail(record, "invalid", message), None
    record["status"] = "converted"
    return record, xml


# -- inputs -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Input:
    """One document to convert, as read from a source.

    ``source`` is the file read (a plain file, or the archive), ``member`` the path inside
    the archive (None for a plain file), ``parts`` the name parts :func:`flat_path` uses.
    ``data`` is None when the input could not be read; ``error`` and ``error_kind`` then
    say why (``read``, ``too-large``, ``archive``).

    Example:
        >>> Input("a.zip", "clean/x.txt", ("a.zip", "clean", "x.txt"), b"").name
        'a.zip::clean/x.txt'
    """

    source: str
    member: str | None
    parts: tuple[str, ...]
    data: bytes | None
    error: str | None = None
    error_kind: str | None = None
    size: int | None = None

    @property
    def name(self) -> str:
        """How reports name the input: the path, or ``archive::member``."""
        return self.source if self.member is None else f"{self.source}::{self.member}"


def _is_archive(path: str) -> bool:
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def _hidden(name: str) -> bool:
    return (name.startswith(".") and name not in (".", "..")) or name == "__MACOSX"


def _member_parts(name: str) -> list[str]:
    return [p for p in name.split("/") if p not in ("", ".")]


def _wanted(name: str, include: Sequence[str] | None) -> bool:
    return not include or any(fnmatch.fnmatchcase(name, pat) for pat in include)


def _too_large(size: int, limit: int) -> str:
    return f"too large: {size} bytes (limit {limit})"


def _read_file(path: str, parts: tuple[str, ...], max_bytes: int, read: bool) -> Input:
    if not read:
        return Input(path, None, parts, None)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            return Input(path, None, parts, None, _too_large(size, max_bytes), "too-large", size)
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return Input(path, None, parts, None, f"cannot read: {exc.strerror or exc}", "read")
    if len(data) > max_bytes:
        return Input(path, None, parts, None, _too_large(len(data), max_bytes), "too-large")
    return Input(path, None, parts, data, size=len(data))


def _zip_inputs(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
                max_bytes: int, read: bool) -> Iterator[Input]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield Input(path, None, parts, None, f"not a readable zip archive: {exc}", "archive")
        return
    with zf:
        for info in zf.infolist():
            names = _member_parts(info.filename)
            if info.is_dir() or not names or any(_hidden(n) for n in names):
                continue
            if not _wanted(names[-1], include):
                continue
            mparts = (*parts, *names)
            if not read:
                yield Input(path, info.filename, mparts, None)
            elif info.flag_bits & 0x1:
                yield Input(path, info.filename, mparts, None, "encrypted archive member", "read")
            elif info.file_size > max_bytes:
                yield Input(path, info.filename, mparts, None,
                            _too_large(info.file_size, max_bytes), "too-large", info.file_size)
            else:
                try:
                    with zf.open(info) as fh:
                        data = fh.read(max_bytes + 1)
                except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError,
                        NotImplementedError, RuntimeError) as exc:
                    yield Input(path, info.filename, mparts, None,
                                f"cannot read archive member: {exc}", "read")
                    continue
                if len(data) > max_bytes:
                    yield Input(path, info.filename, mparts, None,
                                _too_large(len(data), max_bytes), "too-large")
                else:
                    yield Input(path, info.filename, mparts, data, size=len(data))


def _tar_inputs(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
                max_bytes: int, read: bool) -> Iterator[Input]:
    seen = 0
    try:
        # read in place, member after member, never unpacked to disk ("r:*" reads a regular
        # file faster than the pure streaming "r|*", which is kept for pipes and devices)
        tf = tarfile.open(path, mode="r:*" if os.path.isfile(path) else "r|*")
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
        yield Input(path, None, parts, None, f"not a readable tar archive: {exc}", "archive")
        return
    with tf:
        members = iter(tf)
        while True:
            try:
                info = next(members, None)
                if info is None:
                    return
                tf.members.clear()  # tarfile keeps every member's header, even when streaming
                names = _member_parts(info.name)
                if (not info.isreg() or not names or any(_hidden(n) for n in names)
                        or not _wanted(names[-1], include)):
                    continue
                mparts = (*parts, *names)
                if not read:  # still read the data through, to meet truncation where reading does
                    fh = tf.extractfile(info)
                    while fh is not None and fh.read(1 << 20):
                        pass
                    item = Input(path, info.name, mparts, None)
                elif info.size > max_bytes:
                    item = Input(path, info.name, mparts, None, _too_large(info.size, max_bytes),
                                 "too-large", info.size)
                else:
                    fh = tf.extractfile(info)
                    data = fh.read() if fh is not None else b""
                    item = Input(path, info.name, mparts, data, size=len(data))
            except Exception as exc:  # noqa: BLE001 - tarfile, zlib, lzma, bz2 … all differ
                yield Input(path, None, parts, None,
                            f"archive unreadable after {seen} members: {type(exc).__name__}: "
                            f"{exc}", "archive")
                return
            seen += 1
            yield item


def _walk(top: str, exclude: set[str]) -> Iterator[tuple[str, tuple[str, ...], str | None]]:
    """Files under ``top``, sorted, without hidden or excluded paths: (path, rel parts, None),
    or (folder, rel parts, reason) for a folder that cannot be listed."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(top, onerror=errors.append):
        for exc in errors:
            where = exc.filename or top
            rel = os.path.relpath(where, top)
            yield where, tuple(Path(rel).parts) or (os.path.basename(where),), (
                f"cannot list folder: {exc.strerror or exc}")
        errors.clear()
        dirnames[:] = sorted(
            d for d in dirnames
            if not _hidden(d) and os.path.realpath(os.path.join(dirpath, d)) not in exclude
        )
        rel = os.path.relpath(dirpath, top)
        rel_parts = () if rel == os.curdir else tuple(Path(rel).parts)
        for f in sorted(filenames):
            path = os.path.join(dirpath, f)
            if _hidden(f) or not os.path.isfile(path) or os.path.realpath(path) in exclude:
                continue
            yield path, (*rel_parts, f), None
    for exc in errors:  # the top folder itself
        yield exc.filename or top, (os.path.basename(top) or "root",), (
            f"cannot list folder: {exc.strerror or exc}")


def iter_inputs(
    sources: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    read: bool = True,
) -> Iterator[Input]:
    """Every document of ``sources`` (files, directories, archives, in any mix), lazily.

    Order: sources as given; directories recursively, sorted by name; archive members in
    archive order. Archives (by name: :data:`ARCHIVE_SUFFIXES`) are read in place, also
    when found inside a directory; archives inside archives are not opened. Hidden files
    and folders (``.name``) and ``__MACOSX`` are skipped; ``include`` (shell patterns such
    as ``*.txt``) keeps only matching file names inside directories and archives
    (archives themselves are always opened); ``exclude`` drops paths (the output folder,
    the report). An input that cannot be read
    is yielded with ``data=None`` and the reason — a missing source, an unreadable or
    truncated archive (after the members read so far) — never raised. With
    ``read=False`` only names are listed (for counting).

    Example:
        >>> import pathlib, tempfile, zipfile
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> with zipfile.ZipFile(d / "b.zip", "w") as z:
        ...     z.writestr("x.txt", "text")
        ...     z.writestr(".hidden", "skipped")
        >>> [(i.name.replace(str(d), "D"), i.data) for i in iter_inputs([d / "b.zip"])]
        [('D/b.zip::x.txt', b'text')]
    """
    excluded = {os.path.realpath(p) for p in exclude}
    for src in sources:
        src = os.fspath(src)
        if os.path.isdir(src):
            label = os.path.basename(os.path.normpath(os.path.abspath(src))) or "root"
            for path, rel, error in _walk(src, excluded):
                if error is not None:
                    yield Input(path, None, (label, *rel), None, error, "read")
                elif _is_archive(path):
                    yield from _archive_inputs(path, (label, *rel), include, max_bytes, read)
                elif _wanted(rel[-1], include):
                    yield _read_file(path, (label, *rel), max_bytes, read)
        elif not os.path.exists(src):
            yield Input(src, None, (os.path.basename(src) or "input",), None,
                        "no such file or directory", "read")
        elif _is_archive(src):
            yield from _archive_inputs(src, (os.path.basename(src),), include, max_bytes, read)
        else:
            yield _read_file(src, (os.path.basename(src),), max_bytes, read)


def _archive_inputs(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
                    max_bytes: int, read: bool) -> Iterator[Input]:
    if path.lower().endswith(".zip"):
        return _zip_inputs(path, parts, include, max_bytes, read)
    return _tar_inputs(path, parts, include, max_bytes, read)


def count_inputs(sources: Iterable[str | os.PathLike[str]], **kwargs: Any) -> int:
    """How many records :func:`convert_many` will yield for ``sources`` (names only).

    Takes the keyword arguments of :func:`iter_inputs` (``include``, ``exclude``).

    Example:
        >>> count_inputs(["/nonexistent.txt"])
        1
    """
    return sum(1 for _ in iter_inputs(sources, read=False, **kwargs))


# -- state: what earlier runs wrote -------------------------------------------------------------


class _State:
    """``OUTDIR/.akn-ep``: lock, temporary files, and the SQLite record of finished outputs.

    Table ``done``: one row per output file (key = case-folded path) with the SHA-256 of
    the input that made it, of the output bytes, the options, and the record. Rows are
    committed in batches; a row is only trusted when the file exists with that hash.
    """

    def __init__(self, outdir: Path):
        self.outdir = outdir
        try:
            outdir.mkdir(parents=True, exist_ok=True)
            self.dir = outdir / _STATE_DIR
            self.dir.mkdir(exist_ok=True)
            ignore = self.dir / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# bookkeeping of akn-ep batch, not part of the repository\n*\n")
            self._lock = open(self.dir / "lock", "a+b")  # noqa: SIM115 - held for the run
        except OSError as exc:
            reason = exc.strerror or exc
            raise BatchError(f"{outdir}: cannot use as output folder: {reason}") from exc
        self._key = os.path.realpath(outdir)
        try:
            if self._key in _HELD:  # a record lock does not keep out its own process
                raise OSError("held by this process")
            _lock_file(self._lock)
        except OSError as exc:
            self._lock.close()
            raise BatchError(f"{outdir}: another akn-ep batch is writing here") from exc
        _HELD.add(self._key)
        self.tmp = self.dir / "tmp"
        self.db: sqlite3.Connection | None = None
        try:
            shutil.rmtree(self.tmp, ignore_errors=True)  # leftovers of a killed run
            self.tmp.mkdir()
            self.db = db = sqlite3.connect(self.dir / "state.sqlite", isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS done (key TEXT PRIMARY KEY, path TEXT NOT NULL, "
                "input_sha TEXT NOT NULL, opts TEXT NOT NULL, xml_sha TEXT NOT NULL, "
                "input TEXT NOT NULL, record TEXT NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS done_input ON done (input_sha, opts)")
            db.execute("CREATE TEMP TABLE claims (key TEXT PRIMARY KEY, input TEXT NOT NULL)")
            #: nothing recorded yet (a first run): no input can be skipped, no lookup needed
            self.empty = db.execute("SELECT 1 FROM done LIMIT 1").fetchone() is None
            db.execute("BEGIN")
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise BatchError(
                f"{self.dir}: cannot use the record of earlier runs ({exc}); remove "
                f"{self.dir / 'state.sqlite'} to start afresh (outputs are then checked again)"
            ) from exc
        self._pending = 0
        self._last = time.monotonic()

    def find(self, input_sha: str, opts: str, key: str | None) -> tuple | None:
        """The row an earlier run wrote for this input, if its output is still intact."""
        if self.empty:
            return None
        sql = "SELECT key, path, xml_sha, record FROM done WHERE input_sha=? AND opts=?"
        args: tuple = (input_sha, opts)
        if key is not None:
            sql, args = sql + " AND key=?", (*args, key)
        for row in self.db.execute(sql, args):
            if _sha_file(self.outdir / row[1]) == row[2]:
                return row
        return None

    def get(self, key: str) -> tuple | None:
        if self.empty:
            return None
        return self.db.execute(
            "SELECT input_sha, opts, input FROM done WHERE key=?", (key,)).fetchone()

    def put(self, key: str, path: str, input_sha: str, opts: str, xml_sha: str, name: str,
            record: dict[str, Any]) -> None:
        keep = {k: record[k] for k in ("lang", "iri", "counts", "warnings")}
        self.db.execute(
            "INSERT OR REPLACE INTO done VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, path, input_sha, opts, xml_sha, name, json.dumps(keep, ensure_ascii=False)),
        )
        self._pending += 1

    def claim(self, key: str, name: str) -> str | None:
        """Claim an output for this run: None, or the input that claimed it first."""
        if self.db.execute("INSERT OR IGNORE INTO claims VALUES (?, ?)", (key, name)).rowcount:
            return None
        return self.db.execute("SELECT input FROM claims WHERE key=?", (key,)).fetchone()[0]

    def unclaim(self, key: str) -> None:
        self.db.execute("DELETE FROM claims WHERE key=?", (key,))

    def tick(self) -> None:
        if self._pending >= _COMMIT_EVERY or time.monotonic() - self._last >= _COMMIT_SECONDS:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
            self._pending = 0
            self._last = time.monotonic()

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                if self.db.in_transaction:
                    self.db.execute("COMMIT")
            self.db.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        self._lock.close()  # releases the lock
        _HELD.discard(self._key)


#: Output folders (real paths) a batch of this process is writing to.
_HELD: set[str] = set()


def _lock_file(fh: IO[bytes]) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        return
    # a POSIX record lock belongs to this process only: worker processes do not inherit it
    fcntl.lockf(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


# -- worker processes -----------------------------------------------------------------------------

_WARM_UP = (b"European Parliament resolution of 15 March 2012 on X\nThe European Parliament,\n"
            b"1. Instructs its President to forward this resolution.\n")


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the batch process dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _worker_main(conn: Any, outdir: str, tmpdir: str, lang: str | None, layout: str) -> None:
    """Worker loop: receive chunks of tasks, convert, write each XML to ``tmpdir``.

    For each document it also works out the output path and creates its folder, so the
    batch process only has to decide and rename (it is the one process all outputs go
    through: the less it does, the better the batch scales). Results go back once per
    chunk, or as soon as a document took longer than ``_SEND_SECONDS``, so the batch
    process wakes up rarely yet knows how far a slow chunk got.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch process's to handle
    _die_with_parent()
    parent = os.getppid()
    convert_one("warm-up", _WARM_UP, lang="en")  # load the schema before the clock starts
    conn.send(("ready",))
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:
                return
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        results = []
        last = time.monotonic()
        for i, (seq, name, data, parts) in enumerate(chunk, 1):
            record, xml = convert_one(name, data, lang=lang)
            tmp = xml_sha = dest = None
            if xml is not None:
                try:
                    path = flat_path(parts) if layout == "flat" else iri_to_path(record["iri"])
                    dest = str(path)
                    with contextlib.suppress(OSError):  # else the batch process makes it
                        os.makedirs(os.path.join(outdir, os.path.dirname(dest)), exist_ok=True)
                    tmp = os.path.join(tmpdir, f"{os.getpid()}-{seq}.xml")
                    with open(tmp, "xb") as fh:
                        fh.write(xml)
                    xml_sha = hashlib.sha256(xml).hexdigest()
                except (OSError, ValueError) as exc:
                    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                    _fail(record, "write", f"cannot write output: {reason}")
                    tmp = dest = None
            results.append(("result", seq, record, tmp, xml_sha, dest))
            now = time.monotonic()
            if now - last >= _SEND_SECONDS or i == len(chunk):
                if os.getppid() != parent:
                    return
                conn.send(("results", results))
                results, last = [], now


@dataclasses.dataclass
class _Task:
    seq: int
    name: str
    data: bytes
    parts: tuple[str, ...]
    alone: bool = False  # sent in a chunk of its own (to find which document broke a worker)


class _Worker:
    """One worker process and the chunks sent to it, oldest (the one it works on) first."""

    def __init__(self, ctx: Any, args: tuple):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, *args), daemon=True,
                                name="akn-ep-batch")
        self.proc.start()
        child.close()
        self.queue: deque[list[_Task]] = deque()
        self.got = 0  # results received for the oldest chunk
        self.ready = False  # warmed up; the clock of a chunk starts when the worker is ready
        self.deadline = float("inf")

    def restart_clock(self, timeout: float | None) -> None:
        ticking = timeout and self.ready and self.queue
        self.deadline = time.monotonic() + timeout if ticking else float("inf")

    def send(self, chunk: list[_Task], timeout: float | None) -> None:
        self.conn.send([(t.seq, t.name, t.data, t.parts) for t in chunk])
        self.queue.append(chunk)
        if len(self.queue) == 1:
            self.got = 0
            self.restart_clock(timeout)

    def stop(self, kill: bool = False) -> None:
        if not kill and not self.queue:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.proc.join(2.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class _Pool:
    """Worker processes, each with the chunk it works on and at most one small chunk waiting
    (so it never idles while the batch process is busy); crashes and hangs are pinned on
    the document that caused them."""

    def __init__(self, jobs: int, outdir: Path, tmpdir: Path, lang: str | None, layout: str,
                 timeout: float | None):
        self.ctx = multiprocessing.get_context()
        self.jobs, self.timeout = jobs, timeout
        self.args = (str(outdir), str(tmpdir), lang, layout)
        self.workers: list[_Worker] = []  # started on demand: a run with nothing to do starts none

    def slot(self) -> tuple[_Worker | None, int] | None:
        """Where the next chunk can go, and how many input bytes it may carry: an idle worker
        or a new one (any size), or a busy worker's waiting place (a size that fits in the
        pipe at once, so sending never blocks on a worker that is itself sending); None if
        every place is taken."""
        for w in self.workers:
            if not w.queue:
                return w, _CHUNK_BYTES
        if len(self.workers) < self.jobs:
            return None, _CHUNK_BYTES
        for w in self.workers:
            if w.ready and len(w.queue) == 1:
                return w, _PREFETCH_BYTES
        return None

    def busy(self) -> bool:
        return any(w.queue for w in self.workers)

    def submit(self, w: _Worker | None, chunk: list[_Task]) -> None:
        if w is None:
            w = _Worker(self.ctx, self.args)
            self.workers.append(w)
        try:
            w.send(chunk, self.timeout)
        except OSError:  # the worker died: its chunks go again, to a new one
            if w.queue:
                raise
            self._replace(w).send(chunk, self.timeout)

    def _replace(self, w: _Worker) -> _Worker:
        w.stop(kill=True)
        new = _Worker(self.ctx, self.args)
        self.workers[self.workers.index(w)] = new
        return new

    def _drop(self, w: _Worker) -> None:
        """Stop a dead, hung or broken worker; the next chunk starts a fresh one."""
        w.stop(kill=True)
        self.workers.remove(w)

    def wait(self) -> list[tuple]:
        """Block until something happens; events ``("result", seq, record, tmp, xml_sha, dest)``,
        ``("lost", task, kind, message)``, ``("alone", [task, …])`` (to run one by one) and
        ``("again", [task, …])`` (not started)."""
        busy = [w for w in self.workers if w.queue]
        deadline = min(w.deadline for w in busy)
        wait_for = None if deadline == float("inf") else max(0.0, deadline - time.monotonic())
        _mp_wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], wait_for)
        events: list[tuple] = []
        for w in busy:
            alive = w.proc.is_alive()
            broken = False
            try:
                while w.queue and w.conn.poll():
                    message = w.conn.recv()
                    if message[0] == "ready":
                        w.ready = True
                    else:
                        events.extend(message[1])
                        w.got += len(message[1])
                        if w.got == len(w.queue[0]):
                            w.queue.popleft()
                            w.got = 0
                    w.restart_clock(self.timeout)
            except (EOFError, OSError):
                broken = True
            if not w.queue:
                if broken or not alive:
                    self._drop(w)
                continue
            if broken or not alive:
                code = w.proc.exitcode
                how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
                       else f"exit status {code}")
                kind, message = "crash", f"the converter process died ({how}) on this input"
            elif time.monotonic() > w.deadline:
                kind, message = "timeout", f"conversion took longer than {self.timeout:g} s"
            else:
                continue
            unreported = w.queue.popleft()[w.got :]
            waiting = [t for chunk in w.queue for t in chunk]
            w.queue.clear()
            self._drop(w)
            if len(unreported) == 1:
                events.append(("lost", unreported[0], kind, message))
            else:  # one of these did it: try each alone, and the culprit will do it again
                events.append(("alone", [dataclasses.replace(t, alone=True) for t in unreported]))
            if waiting:
                events.append(("again", waiting))
        return events

    def close(self) -> None:
        for w in self.workers:
            w.stop(kill=bool(w.queue))


# -- the batch ------------------------------------------------------------------------------------


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class _Summary:
    """Counts of the records seen so far, and the summary record."""

    def __init__(self) -> None:
        self.status: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.start = time.monotonic()

    def add(self, record: dict[str, Any]) -> None:
        self.status[record["status"]] += 1
        if record["error_kind"]:
            self.errors[record["error_kind"]] += 1

    @property
    def inputs(self) -> int:
        return sum(self.status.values())

    @property
    def failed(self) -> int:
        return self.status["failed"]

    def record(self, **extra: Any) -> dict[str, Any]:
        seconds = time.monotonic() - self.start
        n = self.inputs
        out: dict[str, Any] = {
            "type": "summary",
            "inputs": n,
            "converted": self.status["converted"],
            "skipped": self.status["skipped"],
            "failed": self.failed,
            "errors": dict(sorted(self.errors.items())),
            "seconds": round(seconds, 3),
            "docs_per_second": round(n / seconds, 1) if seconds > 0 else None,
            "exit_status": 1 if self.failed else 0,
            "interrupted": False,
        }
        out.update(extra)
        return out


@dataclasses.dataclass
class _Meta:
    name: str
    source: str
    member: str | None
    parts: tuple[str, ...]
    sha: str | None
    size: int | None


class _Batch:
    def __init__(self, sources: list[str | os.PathLike[str]], outdir: Path, *, jobs: int,
                 lang: str | None, layout: str, force: bool, include: Sequence[str] | None,
                 timeout: float | None, max_bytes: int, exclude: Sequence[str | os.PathLike[str]]):
        self.sources, self.outdir, self.jobs = sources, outdir, jobs
        self.lang, self.layout, self.force = lang, layout, force
        self.include, self.timeout, self.max_bytes = include, timeout, max_bytes
        self.exclude = [outdir, *exclude]
        self.opts = f"akn-ep {__version__}; lang={lang or 'auto'}; layout={layout}"

    def run(self) -> Iterator[dict[str, Any]]:
        summary = _Summary()
        self.state = state = _State(self.outdir)
        pool = None
        try:
            pool = _Pool(self.jobs, self.outdir, state.tmp, self.lang, self.layout, self.timeout)
            for record in self._records(pool):
                summary.add(record)
                yield record
            state.tick()
            yield summary.record(outdir=str(self.outdir), layout=self.layout, jobs=self.jobs)
        finally:
            if pool is not None:
                pool.close()
            state.close()
            if hasattr(self, "_inputs"):
                self._inputs.close()  # the archive being read

    def _records(self, pool: _Pool) -> Iterator[dict[str, Any]]:
        """The records, in input order, while at most a window of inputs is in flight."""
        self._inputs = iter_inputs(self.sources, include=self.include, exclude=self.exclude,
                                   max_bytes=self.max_bytes)
        self._exhausted = False
        self._next_seq = self._emit = 0
        self._window = self.jobs * _CHUNK_DOCS * _WINDOW_PER_JOB
        self._metas: dict[int, _Meta] = {}
        self._ready: dict[int, tuple] = {}  # seq -> ("skip", row) | ("done", record, tmp, …)
        self._alone: deque[_Task] = deque()  # to run one by one (one of them broke a worker)
        self._again: deque[_Task] = deque()  # sent to a worker that broke before starting them
        self._held: _Task | None = None  # read, but too big for the place it was read for
        ready = self._ready
        while True:
            while self._emit in ready:
                yield self._finish(self._metas.pop(self._emit), ready.pop(self._emit))
                self._emit += 1
                self.state.tick()
            while (slot := pool.slot()) is not None:
                chunk = self._next_chunk(slot[1])
                if not chunk:
                    break
                pool.submit(slot[0], chunk)
            if self._emit in ready:
                continue
            if not pool.busy():
                if (self._exhausted and not self._alone and not self._again
                        and self._held is None and self._emit == self._next_seq):
                    return
                continue
            for event in pool.wait():
                if event[0] == "result":
                    ready[event[1]] = ("done", *event[2:])
                elif event[0] == "lost":
                    _, task, kind, message = event
                    record = _blank_record(task.name, task.data)
                    record["lang"] = self.lang
                    ready[task.seq] = ("done", _fail(record, kind, message), None, None, None)
                elif event[0] == "alone":
                    self._alone.extend(event[1])
                else:
                    self._again.extend(event[1])

    def _next_chunk(self, budget: int) -> list[_Task]:
        """The next tasks for a worker, carrying at most ``budget`` input bytes (one task may
        exceed a full budget alone): a task to run alone; or tasks sent before to a worker that
        broke, then the next inputs that need converting (those already done or unreadable go
        straight to the ready records)."""
        full = budget == _CHUNK_BYTES
        if self._alone:
            return [self._alone.popleft()] if full else []
        chunk: list[_Task] = []
        size = 0
        while len(chunk) < _CHUNK_DOCS:
            if self._held is not None:
                task, self._held = self._held, None
            elif self._again:
                task = self._again.popleft()
            elif self._exhausted or self._next_seq - self._emit >= self._window:
                break
            else:
                inp = next(self._inputs, None)
                if inp is None:
                    self._exhausted = True
                    break
                seq = self._next_seq
                self._next_seq += 1
                task = self._prepare(seq, inp, self._metas, self._ready)
                if task is None:
                    continue
            if size + len(task.data) > budget and (chunk or not full):
                self._held = task  # for the next chunk
                break
            chunk.append(task)
            size += len(task.data)
            if size >= budget:
                break
        return chunk

    def _prepare(self, seq: int, inp: Input, metas: dict[int, _Meta],
                 ready: dict[int, tuple]) -> _Task | None:
        """Register an input; a task for a worker, or None when its record is already known."""
        sha = hashlib.sha256(inp.data).hexdigest() if inp.data is not None else None
        size = len(inp.data) if inp.data is not None else inp.size
        metas[seq] = _Meta(inp.name, inp.source, inp.member, inp.parts, sha, size)
        if inp.data is None:
            record = _blank_record(inp.name, None)
            record.update(lang=self.lang, bytes=inp.size)
            ready[seq] = ("done", _fail(record, inp.error_kind or "read", inp.error or "?"),
                          None, None, None)
            return None
        if not self.force:
            key = _fold(flat_path(inp.parts)) if self.layout == "flat" else None
            row = self.state.find(sha, self.opts, key)
            if row is not None:
                ready[seq] = ("skip", row)
                return None
        return _Task(seq, inp.name, inp.data, inp.parts)

    def _finish(self, meta: _Meta, result: tuple) -> dict[str, Any]:
        """Decide where a converted document goes (or why it goes nowhere); its final record."""
        if result[0] == "skip":
            key, dest, _xml_sha, stored = result[1]
            record = _blank_record(meta.name, None)
            record.update(json.loads(stored), sha256=meta.sha, bytes=meta.size, status="skipped",
                          output=dest)
            tmp = xml_sha = None
        else:
            _, record, tmp, xml_sha, dest = result
            record["input"] = meta.name
        record.update(source=meta.source, member=meta.member)
        if record["status"] == "failed":
            return record
        state = self.state
        key = dest.casefold()  # one file on case-insensitive file systems: one output
        try:
            first = state.claim(key, meta.name)
            if first is not None:
                record["output"] = None
                return _fail(record, "collision", f"collides with {first}: both map to {dest}; "
                             "the first input keeps it, this one is not written")
            if record["status"] == "skipped":
                return record
            target = os.path.join(self.outdir, dest)
            if not self.force and os.path.lexists(target):
                row = state.get(key)
                ours = row is not None and row[0] == meta.sha and row[1] == self.opts
                if not ours and _sha_file(target) != xml_sha:
                    state.unclaim(key)
                    who = f"{row[2]} in an earlier run" if row else "something other than akn-ep"
                    return _fail(record, "collision",
                                 f"{dest} exists, written from {who}; it is left as it is "
                                 "(use --force to replace it)")
            try:
                os.replace(tmp, target)
            except FileNotFoundError:  # its folder went (see below): make it again
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(tmp, target)
            tmp = None
            state.put(key, dest, meta.sha, self.opts, xml_sha, meta.name, record)
            record["output"] = dest
            return record
        except OSError as exc:
            record["output"] = None
            return _fail(record, "write", f"cannot write output: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - one input's trouble must not end the batch
            record["output"] = None
            return _fail(record, "internal", f"{type(exc).__name__}: {exc}")
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                # the worker made the folder; if nothing else is in it (a loser whose path
                # differs from the winner's in letter case only), take it away again
                with contextlib.suppress(OSError):
                    os.removedirs(os.path.join(self.outdir, os.path.dirname(dest)))


def _sha_file(path: str | os.PathLike[str]) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def convert_many(
    sources: Iterable[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    lang: str | None = None,
    layout: str = "iri",
    force: bool = False,
    include: Sequence[str] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Sequence[str | os.PathLike[str]] = (),
) -> Iterator[dict[str, Any]]:
    """Convert every document of ``sources`` into ``outdir``; yields one record per input.

    ``sources``: files, directories (recursive) and archives, in any mix (see
    :func:`iter_inputs`). ``layout="iri"`` writes each document at
    ``outdir / iri_to_path(IRI)``; ``"flat"`` at ``outdir / flat_path(input name)``.
    ``jobs`` worker processes (default: one per available core); ``lang`` overrides
    language detection; ``force`` converts everything again and replaces outputs of
    earlier runs; ``timeout`` (seconds per document) stops a converter that hangs.

    Records come in input order, whatever ``jobs`` is, as dicts with the fields of
    :data:`RECORD_FIELDS` (``status``: ``converted``, ``skipped`` — done by an earlier run
    and unchanged — or ``failed`` with ``error_kind`` and ``error``); the last item is
    the summary (``"type": "summary"``, with ``exit_status`` 0 only if nothing failed).
    The work starts on the first ``next()``; :class:`BatchError` is raised then if the
    output folder is unusable or in use. Stopping the iteration (``break``, Ctrl-C)
    stops the workers and leaves only complete files; the next run resumes.

    On macOS and Windows (``spawn`` start method) call it under
    ``if __name__ == "__main__":``.

    Example:
        >>> import pathlib, tempfile
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "bad.txt").write_bytes(b"%PDF-1.4")
        >>> first, summary = convert_many([d / "bad.txt"], d / "out")
        >>> first["status"], first["error_kind"], summary["exit_status"]
        ('failed', 'parse', 1)
    """
    if layout not in ("iri", "flat"):
        raise ValueError(f"layout must be 'iri' or 'flat', got {layout!r}")
    jobs = _default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise BatchError(f"{out}: exists and is not a folder")
    batch = _Batch(list(sources), out, jobs=jobs, lang=lang, layout=layout, force=force,
                   include=include, timeout=timeout, max_bytes=max_bytes, exclude=exclude)
    return batch.run()


# -- command line ---------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Progress on ``stream``: a live bar on a terminal, a plain line every ``interval`` s
    otherwise (count, rate, ETA, failures so far).

    Example:
        >>> import io
        >>> p = Progress(io.StringIO(), total=2, tty=False, interval=0)
        >>> p.update({"status": "failed"}); print(p.stream.getvalue())
        akn-ep: 1/2 (50%), 0 converted, 0 skipped, 1 failed, …
        <BLANKLINE>
    """

    def __init__(self, stream: IO[str], total: int | None, *, tty: bool, interval: float = 10.0):
        self.stream, self.total, self.tty, self.interval = stream, total, tty, interval
        self.counts: Counter[str] = Counter()
        self.first: float | None = None  # the rate counts from the first record (not start-up)
        self.last = -float("inf")
        self.drawn = False
        self.shown = -1  # count on the last line drawn

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def update(self, record: dict[str, Any]) -> None:
        """Count one record; redraw when due."""
        self.counts[record["status"]] += 1
        now = time.monotonic()
        if self.first is None:
            self.first = now
        if now - self.last >= (0.1 if self.tty else self.interval):
            self.last = now
            self._draw(now)

    def note(self, line: str) -> None:
        """Print a line (a failure) without breaking the bar."""
        if self.tty and self.drawn:
            self.stream.write("\r\x1b[K")
        self.stream.write(line + "\n")
        if self.tty and self.drawn:
            self._draw(time.monotonic())
        self.stream.flush()

    def _rate_eta(self, now: float) -> tuple[str, str]:
        elapsed = now - self.first if self.first is not None else 0.0
        rate = (self.done - 1) / elapsed if elapsed >= 0.5 else 0.0
        if not rate:
            return "…", "…"
        eta = _clock((self.total - self.done) / rate) if self.total else "?"
        return f"{rate:.0f} docs/s", eta

    def _draw(self, now: float) -> None:
        done, total = self.done, self.total
        self.shown = done
        rate, eta = self._rate_eta(now)
        failed = self.counts["failed"]
        if not self.tty:
            of = f"/{total} ({100 * done / total:.0f}%)" if total else ""
            more = f", {rate}, ETA {eta}" if rate != "…" else ", …"
            self.stream.write(f"akn-ep: {done}{of}, {self.counts['converted']} converted, "
                              f"{self.counts['skipped']} skipped, {failed} failed{more}\n")
            self.stream.flush()
            return
        tail = f" {done}/{total or '?'} {rate} ETA {eta} failed {failed}"
        width = shutil.get_terminal_size((80, 20)).columns - len(tail) - 3
        bar = ""
        if total and width >= 10:
            fill = int(width * min(done / total, 1.0))
            bar = "[" + "#" * fill + "." * (width - fill) + "]"
        self.stream.write("\r\x1b[K" + bar + tail)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Final state of the bar, and a new line."""
        if self.shown != self.done or self.tty:
            self._draw(time.monotonic())
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()


class _Report:
    """JSON Lines written to ``path.part`` as records come, renamed to ``path`` at the end."""

    def __init__(self, path: Path):
        self.path = path
        self.part = path.with_name(path.name + ".part")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.part, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.flushed = time.monotonic()

    def write(self, record: dict[str, Any]) -> None:
        self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        now = time.monotonic()
        if now - self.flushed >= _COMMIT_SECONDS:  # a killed run leaves a readable .part
            self.fh.flush()
            self.flushed = now

    def close(self) -> None:
        self.fh.close()
        os.replace(self.part, self.path)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``akn-ep batch`` (used by :mod:`akn_ep.cli`).

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> p.parse_args(["a.zip", "-o", "out", "--jobs", "2"]).jobs
        2
    """
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="text file, directory (recursive) or .zip/.tar/.tar.gz archive")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder")
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="worker processes (default: one per core)")
    p.add_argument("--lang", help="ISO 639-1 language of every input (default: detected)")
    p.add_argument("--layout", choices=("iri", "flat"), default="iri",
                   help="iri: OUTDIR/<path of the Akoma Ntoso IRI> (default); "
                        "flat: one file per input, named after it")
    p.add_argument("--force", action="store_true",
                   help="convert everything again and replace outputs of earlier runs")
    p.add_argument("--report", metavar="FILE",
                   help="JSON Lines report (default: OUTDIR/.akn-ep/report.jsonl)")
    p.add_argument("--include", action="append", metavar="PATTERN",
                   help="only file names matching this shell pattern inside directories and "
                        "archives, e.g. '*.txt' (repeatable)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="stop and report a document that takes longer "
                        f"(default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--progress-interval", type=float, default=10.0, metavar="SECONDS",
                   help="seconds between progress lines when stderr is not a terminal")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress, no failure lines")


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def run_cli(args: argparse.Namespace) -> int:
    """Run ``akn-ep batch`` with parsed arguments; the exit status.

    0: every input converted (or was already); 1: some input failed; 2: the batch could
    not start; 130: interrupted (the report then says so).

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> run_cli(p.parse_args(["/nonexistent.txt", "-o", "/nonexistent/out", "-q"]))
        1
    """
    out = Path(args.output)
    report_path = Path(args.report) if args.report else out / _STATE_DIR / "report.jsonl"
    err = sys.stderr
    excluded = [report_path, report_path.with_name(report_path.name + ".part")]
    progress = None
    if not args.quiet:
        tty = err.isatty()
        if tty:
            err.write("akn-ep: counting inputs …\r")
        total = count_inputs(args.sources, include=args.include, exclude=[out, *excluded])
        progress = Progress(err, total, tty=tty, interval=args.progress_interval)
    if args.lang:
        try:
            languages.get(args.lang)
        except AknEpError as exc:
            print(f"akn-ep: error: --lang: {exc}", file=err)
            return 2
    if args.jobs is not None and args.jobs < 1:
        print(f"akn-ep: error: --jobs must be at least 1, got {args.jobs}", file=err)
        return 2
    summary = _Summary()
    try:  # a kill (SIGTERM) stops like Ctrl-C: workers stopped, report completed
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread
        old_term = None
    report = None
    records = None
    try:
        records = convert_many(args.sources, out, jobs=args.jobs, lang=args.lang,
                               layout=args.layout, force=args.force, include=args.include,
                               timeout=args.timeout, exclude=excluded)
        final = None
        for record in records:
            if report is None:
                report = _Report(report_path)
            if record["type"] == "summary":
                final = record
                break
            summary.add(record)
            report.write(record)
            if progress is not None:
                progress.update(record)
                if record["status"] == "failed":
                    progress.note(f"akn-ep: failed: {record['input']}: "
                                  f"[{record['error_kind']}] {record['error']}")
        if report is None:
            report = _Report(report_path)
        final = final or summary.record(outdir=str(out), layout=args.layout)
        report.write(final)
        report.close()
    except KeyboardInterrupt:
        final = summary.record(outdir=str(out), layout=args.layout, interrupted=True,
                               exit_status=130)
        if report is not None:
            report.write(final)
            report.close()
        if progress is not None:
            progress.close()
        print(f"akn-ep: interrupted after {final['inputs']} inputs; run the same command "
              "again to finish", file=err)
        return 130
    except (BatchError, OSError) as exc:
        print(f"akn-ep: error: {exc}", file=err)
        return 2
    finally:
        if records is not None:
            records.close()  # stops the workers, releases the output folder
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    if progress is not None:
        progress.close()
        errors = ", ".join(f"{k} {v}" for k, v in final["errors"].items())
        print(f"akn-ep: {final['inputs']} inputs: {final['converted']} converted, "
              f"{final['skipped']} skipped, {final['failed']} failed"
              f"{f' ({errors})' if errors else ''} in {final['seconds']:.1f} s; "
              f"report: {report_path}", file=err)
    return int(final["exit_status"])
