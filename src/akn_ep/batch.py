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
  core), a few chunks in flight at a time, so memory stays flat. Workers also read
  their inputs (files, zip members), hash them, write the output and, once the
  batch process has decided who gets each output path, rename it into place and
  record it; the batch process, which every document passes through, does as
  little as it can per document. Results are decided in input order, so the
  outcome never depends on the number of processes or their timing.
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
import bz2
import contextlib
import dataclasses
import fnmatch
import functools
import gzip
import hashlib
import json
import lzma
import math
import multiprocessing
import os
import re
import select
import shutil
import signal
import sqlite3
import string
import struct
import sys
import tarfile
import time
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Any

from . import __version__, languages, zips
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
_CHUNK_DOCS = 32  # documents per message to a worker
_CHUNK_BYTES = 1 << 20  # … or this many input bytes, whichever comes first
_PREFETCH_BYTES = 256 << 10  # input bytes of a chunk waiting behind another
_WINDOW_PER_JOB = 8  # chunks per worker read ahead of the oldest input not yet reported
_COMMIT_SECONDS = 1.0  # state rows are committed this often (a commit costs 1-5 ms)
_SEND_SECONDS = 0.05  # a worker reports at the end of a chunk, or after a document this slow
_COMMIT_RENAMES = 128  # renames sent to a worker at once …
_COMMIT_DELAY = 0.1  # … or after this many seconds, whichever comes first
_CLAIM_BITS = 1 << 24  # bits of the in-memory filter in front of the claims table (2 MB)


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
# A segment that :func:`_escape_segment` leaves as it is, if it is no device name either
# (nearly every IRI segment: checked first, it saves the character-by-character walk)
_PLAIN_SEGMENT = re.compile(rf"[A-Za-z0-9_@][A-Za-z0-9._@-]{{0,{MAX_SEGMENT - 2}}}[A-Za-z0-9_@-]|"
                            r"[A-Za-z0-9_@]")


def _char_bytes(ch: str) -> bytes:
    try:
        return ch.encode("utf-8", "surrogateescape")  # undecodable file-name bytes
    except UnicodeEncodeError:
        return ch.encode("utf-8", "surrogatepass")


def _escape_segment(segment: str) -> str:
    """One path segment, safe on every common file system (see :func:`iri_to_path`)."""
    if _PLAIN_SEGMENT.fullmatch(segment) and (
        segment.split(".", 1)[0].upper() not in _WINDOWS_RESERVED
    ):
        return segment
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


# An input as the batch lists it, before it is read: (source, member, parts, how, payload).
# how "data": payload is the content (a tar member: a tar is a stream, read once, in order);
# "file": the file ``source`` is read by whoever converts it, payload is its size as listed;
# "zip": payload is (index in the archive's member list, size), the member is read in place
# by random access; "error": payload is (message, error_kind, size). Workers read "file" and
# "zip" inputs themselves.
_Item = tuple[str, "str | None", tuple[str, ...], str, Any]
_Loaded = tuple["bytes | None", "str | None", "str | None", "int | None"]  # data, error, kind, size


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


def _error_item(source: str, member: str | None, parts: tuple[str, ...], message: str,
                kind: str, size: int | None = None) -> _Item:
    return (source, member, parts, "error", (message, kind, size))


def _read_path(path: str, max_bytes: int) -> _Loaded:
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                return None, _too_large(size, max_bytes), "too-large", size
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}", "read", None
    if len(data) > max_bytes:
        return None, _too_large(len(data), max_bytes), "too-large", None
    return data, None, None, len(data)


def _read_zip_member(fh: IO[bytes], entry: zips.ZipEntry, max_bytes: int) -> _Loaded:
    try:
        data = zips.read_member(fh, entry, max_bytes)
    except (zips.ZipError, OSError, MemoryError) as exc:
        return None, f"cannot read archive member: {exc}", "read", None
    return data, None, None, len(data)


def _load(item: _Item, max_bytes: int, open_zips: dict[str, IO[bytes]]) -> _Loaded:
    """Read an input listed by :func:`_scan` (``open_zips`` keeps the last zip archive
    open)."""
    source, _member, _parts, how, payload = item
    if how == "data":
        return payload, None, None, len(payload)
    if how == "file":
        return _read_path(source, max_bytes)
    if how == "zip":
        fh = open_zips.get(source)
        if fh is None:
            try:
                fh = open(source, "rb")  # noqa: SIM115 - kept open for the next members
            except OSError as exc:
                return None, f"cannot read archive member: {exc.strerror or exc}", "read", None
            _close_all(open_zips)
            open_zips[source] = fh
        return _read_zip_member(fh, payload[0], max_bytes)
    message, kind, size = payload
    return None, message, kind, size


def _close_all(open_zips: dict[str, IO[bytes]]) -> None:
    for fh in open_zips.values():
        fh.close()
    open_zips.clear()


def _zip_scan(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
              max_bytes: int) -> Iterator[_Item]:
    """Members of a zip archive, in central-directory order, listed one at a time
    (:mod:`akn_ep.zips`: memory does not grow with the number of members)."""
    seen = 0
    try:
        for entry in zips.iter_entries(path):
            names = _member_parts(entry.name)
            if entry.is_dir or not names or any(_hidden(n) for n in names):
                continue
            if not _wanted(names[-1], include):
                continue
            mparts = (*parts, *names)
            seen += 1
            if entry.encrypted:
                yield _error_item(path, entry.name, mparts, "encrypted archive member", "read")
            elif entry.size > max_bytes:
                yield _error_item(path, entry.name, mparts, _too_large(entry.size, max_bytes),
                                  "too-large", entry.size)
            else:
                yield (path, entry.name, mparts, "zip", (entry, entry.size))
    except (zips.ZipError, OSError) as exc:
        message = str(exc) if isinstance(exc, zips.ZipError) else (exc.strerror or str(exc))
        if seen:
            yield _error_item(path, None, parts, f"archive unreadable after {seen} members: "
                              f"{message}", "archive")
        else:
            yield _error_item(path, None, parts, f"not a readable zip archive: {message}",
                              "archive")


class _Unsupported(Exception):
    """A tar feature :class:`_TarReader` leaves to :mod:`tarfile` (sparse files, global pax
    headers …)."""


_BLOCK = 512
_ZERO_BLOCK = bytes(_BLOCK)
_TAR_REGULAR = (b"0", b"\0", b"7")  # as tarfile.REGULAR_TYPES, less sparse files
_TAR_NO_DATA = (b"1", b"2", b"3", b"4", b"5", b"6")  # links, devices, folders, FIFOs
_PAX_RECORD = re.compile(rb"(\d+) ([^=]+)=")
_READ_SIZE = 1 << 18
#: the largest extended header (GNU long name, pax records) either tar reader accepts: a
#: header declaring gigabytes would otherwise be read into memory whole (a tar of 1.5 KB
#: made :mod:`tarfile` raise MemoryError; a gzip of zeros could make it take gigabytes)
MAX_TAR_EXTENSION = 1 << 20


_TAR_EXTENSIONS = (b"L", b"K", b"x", b"X", b"g")  # GNU long names, pax headers


def _check_tar_size(kind: bytes, size: int) -> None:
    """Refuse a member or extended header size no honest archive has (``kind``: the
    header's type byte, as both tar readers hold it)."""
    if size < 0:
        raise ValueError(f"invalid header: negative size {size}")
    if kind in _TAR_EXTENSIONS and size > MAX_TAR_EXTENSION:
        raise ValueError(f"invalid header: extended header of {size} bytes "
                         f"(at most {MAX_TAR_EXTENSION} accepted)")


class _BoundedTarInfo(tarfile.TarInfo):
    """:class:`tarfile.TarInfo` that refuses negative sizes and huge extended headers
    before :mod:`tarfile` reads them into memory."""

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        try:
            _check_tar_size(self.type, self.size)
        except ValueError as exc:
            raise tarfile.HeaderError(str(exc)) from None
        return super()._proc_member(tarfile_)


def _nts(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _tar_number(field: bytes) -> int:
    if field[0] in (0o200, 0o377):  # GNU base-256
        n = int.from_bytes(field[1:], "big")
        return n - 256 ** (len(field) - 1) if field[0] == 0o377 else n
    try:
        return int(field.split(b"\0", 1)[0].strip() or b"0", 8)
    except ValueError:
        raise ValueError("invalid header") from None


def _tar_checksum_ok(header: bytes) -> bool:
    stored = _tar_number(header[148:156])
    field_sum = sum(header[148:156])
    # adler32's low half is 1 + the byte sum, modulo 65521: the sum without a Python loop
    if (stored - 256 + field_sum + 1) % 65521 == zlib.adler32(header) & 0xFFFF:
        return True
    unsigned = 256 + sum(header) - field_sum
    signed = 256 + sum(struct.unpack_from("148b", header)) + sum(
        struct.unpack_from("356b", header, 156))
    return stored in (unsigned, signed)


class _TarReader:
    """Members of a tar stream, read in big blocks: the common formats (ustar, GNU long
    names, pax ``path`` and ``size``), with :mod:`tarfile`'s reading of names and types, at
    a fraction of its cost per member. Anything else raises :class:`_Unsupported`."""

    def __init__(self, fh: IO[bytes]):
        if sys.getfilesystemencoding().lower() not in ("utf-8", "utf8"):
            raise _Unsupported("file names in another encoding than UTF-8")
        self.fh = fh
        self.buf = b""
        self.pos = 0
        self.left = 0  # bytes of the current member (data and padding) not read yet
        self.size = 0

    def _take(self, n: int) -> bytes:
        """The next ``n`` bytes; b"" at the end of the stream; EOFError if it ends inside."""
        buf, pos = self.buf, self.pos
        end = pos + n
        if end <= len(buf):
            self.pos = end
            return buf[pos:end]
        pieces = [buf[pos:]]
        have = len(buf) - pos
        while have < n:
            # in pieces of at most 1 MiB: what a header declares must not size a buffer
            more = self.fh.read1(max(min(n - have, 1 << 20), _READ_SIZE))
            if not more:
                self.buf, self.pos = b"", 0
                if have == 0:
                    return b""
                raise EOFError("unexpected end of data")
            pieces.append(more)
            have += len(more)
        joined = b"".join(pieces)
        self.buf, self.pos = joined, n
        return joined[:n]

    def _skip(self, n: int) -> None:
        avail = len(self.buf) - self.pos
        if n <= avail:
            self.pos += n
            return
        n -= avail
        self.buf, self.pos = b"", 0
        while n > 0:
            more = self.fh.read1(min(n, 1 << 20))
            if not more:
                raise EOFError("unexpected end of data")
            n -= len(more)

    def _extension(self, size: int) -> bytes:
        padded = _BLOCK * ((size + _BLOCK - 1) // _BLOCK)
        data = self._take(padded)
        if len(data) < padded:
            raise EOFError("unexpected end of data")
        return data

    def next(self) -> tuple[str, bool, int] | None:
        """The next member's (name, is a regular file, size); None at the end."""
        if self.left:
            self._skip(self.left)
            self.left = 0
        long_name = pax_path = pax_size = None
        extended = False
        while True:
            header = self._take(_BLOCK)
            if not header or header == _ZERO_BLOCK:
                if extended:
                    raise EOFError("unexpected end of data after an extended header")
                return None
            if not _tar_checksum_ok(header):
                raise ValueError("bad checksum")
            kind = header[156:157]
            size = _tar_number(header[124:136])
            _check_tar_size(kind, size)
            if kind in (b"L", b"K"):  # GNU long name / long link name: the next header's
                data = self._extension(size)
                if kind == b"L":
                    long_name = _nts(data)
                extended = True
                continue
            if kind in (b"x", b"X"):
                if extended:
                    raise _Unsupported("several extended headers")
                pax_path, pax_size = self._pax(self._extension(size)[:size])
                extended = True
                continue
            if kind in (b"g", b"S"):
                raise _Unsupported("global pax header or sparse file")
            name = _nts(header[:100])
            if kind == b"\0" and name.endswith("/"):
                kind = b"5"
            if kind == b"5":
                name = name.rstrip("/")
            if header[345]:
                name = f"{_nts(header[345:500])}/{name}"
            if long_name is not None:
                name = long_name
            if pax_path is not None:
                name = pax_path
            if pax_size is not None:
                size = pax_size
            self.size = size
            self.left = 0 if kind in _TAR_NO_DATA else _BLOCK * ((size + _BLOCK - 1) // _BLOCK)
            return name, kind in _TAR_REGULAR, size

    def data(self) -> bytes:
        """The current member's content (call once, right after :meth:`next`)."""
        data = self._take(self.size)
        if len(data) < self.size:
            raise EOFError("unexpected end of data")
        self.left -= self.size
        return data

    def drop(self) -> None:
        """Pass over the current member's content."""
        self._skip(self.left)
        self.left = 0

    @staticmethod
    def _pax(buf: bytes) -> tuple[str | None, int | None]:
        if b"hdrcharset=" in buf or b"GNU.sparse" in buf:
            raise _Unsupported("pax header tarfile reads differently")
        path = size = None
        pos = 0
        while (match := _PAX_RECORD.match(buf, pos)) is not None:
            length = int(match.group(1))
            if length == 0:
                raise ValueError("invalid header")
            value = buf[match.end(2) + 1 : match.start(1) + length - 1]
            if match.group(2) == b"path":
                path = value.decode("utf-8", "surrogateescape").rstrip("/")
            elif match.group(2) == b"size":
                try:
                    size = int(value)
                except ValueError:
                    size = 0
                _check_tar_size(b"0", size)
            pos += length
        return path, size


def _open_stream(path: str) -> tuple[IO[bytes], IO[bytes]]:
    """The file and its uncompressed content (gzip, bzip2 and xz recognised by content)."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    try:
        head = raw.peek(6)[:6]
        if head[:2] == b"\x1f\x8b":
            return raw, gzip.GzipFile(fileobj=raw, mode="rb")
        if head[:3] == b"BZh":
            return raw, bz2.BZ2File(raw)
        if head == b"\xfd7zXZ\x00":
            return raw, lzma.LZMAFile(raw)
    except BaseException:
        raw.close()
        raise
    return raw, raw


def _tar_scan(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
              max_bytes: int, read: bool) -> Iterator[_Item]:
    """Members of a tar archive, in archive order, read once as a stream (never unpacked to
    disk); headers :class:`_TarReader` does not handle hand the archive to :mod:`tarfile`,
    which skips the members already read."""
    seen = members = 0
    try:
        raw, fh = _open_stream(path)
    except OSError as exc:
        yield _error_item(path, None, parts, f"not a readable tar archive: {exc}", "archive")
        return
    try:
        reader = _TarReader(fh)
        while True:
            head = reader.next()
            if head is None:
                return
            members += 1
            name, regular, size = head
            if not regular:
                continue
            if "/." in name or name[:1] == "." or "__MACOSX" in name or "//" in name:
                names = _member_parts(name)
                if not names or any(_hidden(n) for n in names):
                    continue
            else:
                names = name.split("/")
            if include and not _wanted(names[-1], include):
                continue
            mparts = (*parts, *names)
            # read through the data even when not kept, to meet truncation where reading does
            if size > max_bytes:
                reader.drop()
                item = _error_item(path, name, mparts, _too_large(size, max_bytes), "too-large",
                                   size)
            else:
                data = reader.data()
                item = (path, name, mparts, "data", data if read else None)
            seen += 1
            yield item
    except _Unsupported:
        pass
    except Exception as exc:  # noqa: BLE001 - zlib, lzma, bz2, EOF, bad headers … all differ
        if members:
            yield _error_item(path, None, parts, f"archive unreadable after {seen} members: "
                              f"{type(exc).__name__}: {exc}", "archive")
            return
        # not a tar this reader knows from its first header: tarfile tries every format
    finally:
        fh.close()
        raw.close()
    yield from _tarfile_scan(path, parts, include, max_bytes, read, skip=members, seen=seen)


def _damage_after_the_end(tf: tarfile.TarFile) -> str | None:
    """What :mod:`tarfile` passed over in silence: after the first member it takes a damaged
    header for the end of the archive, so the members behind it would be lost unreported.
    Whatever follows the last member must be zeros (the end blocks and record padding)."""
    fh = tf.fileobj
    if fh is None or not getattr(fh, "seekable", lambda: False)():
        return None
    try:
        fh.seek(tf.offset)
        pos = tf.offset
        while chunk := fh.read(1 << 20):
            rest = chunk.lstrip(b"\0")
            if rest:
                return (f"a damaged header at byte {pos + len(chunk) - len(rest)} of the "
                        "unpacked archive (what follows it cannot be read)")
            pos += len(chunk)
    except Exception as exc:  # noqa: BLE001 - zlib, lzma, bz2, EOF … all differ
        return f"{type(exc).__name__}: {exc}"
    return None


def _tarfile_scan(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
                  max_bytes: int, read: bool, skip: int = 0, seen: int = 0) -> Iterator[_Item]:
    """:func:`_tar_scan` with :mod:`tarfile`, from member ``skip`` on."""
    try:
        # "r:*" reads a regular file faster than the pure streaming "r|*", kept for pipes
        tf = tarfile.open(path, mode="r:*" if os.path.isfile(path) else "r|*",
                          tarinfo=_BoundedTarInfo)
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError, lzma.LZMAError) as exc:
        yield _error_item(path, None, parts, f"not a readable tar archive: {exc}", "archive")
        return
    with tf:
        members = iter(tf)
        while True:
            try:
                info = next(members, None)
                if info is None:
                    damage = _damage_after_the_end(tf)
                    if damage:
                        yield _error_item(path, None, parts, "archive unreadable after "
                                          f"{seen} members: {damage}", "archive")
                    return
                tf.members.clear()  # tarfile keeps every member's header, even when streaming
                if skip:
                    skip -= 1
                    continue
                names = _member_parts(info.name)
                if (not info.isreg() or not names or any(_hidden(n) for n in names)
                        or not _wanted(names[-1], include)):
                    continue
                mparts = (*parts, *names)
                fh = tf.extractfile(info)
                if info.size > max_bytes:  # read through all the same, to meet truncation
                    while fh is not None and fh.read(1 << 20):
                        pass
                    item = _error_item(path, info.name, mparts, _too_large(info.size, max_bytes),
                                       "too-large", info.size)
                else:
                    # in pieces: the declared size must not size a buffer
                    data = b"".join(iter(functools.partial(fh.read, 1 << 20), b"")) if fh \
                        else b""
                    item = (path, info.name, mparts, "data", data if read else None)
            except Exception as exc:  # noqa: BLE001 - tarfile, zlib, lzma, bz2 … all differ
                yield _error_item(path, None, parts, f"archive unreadable after {seen} members: "
                                  f"{type(exc).__name__}: {exc}", "archive")
                return
            seen += 1
            yield item


def _walk(top: str, exclude: set[str]) -> Iterator[tuple[str, tuple[str, ...], str | int]]:
    """Files under ``top``: each folder's files sorted by name, then its sub-folders in order;
    without hidden or excluded paths; symbolic links to files followed, to folders not.
    Yields (path, rel parts, size), or (folder, rel parts, reason) for a folder that cannot
    be listed."""
    stack: list[tuple[str, tuple[str, ...]]] = [(top, ())]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield folder, rel or (os.path.basename(top) or "root",), (
                f"cannot list folder: {exc.strerror or exc}")
            continue
        real = os.path.realpath(folder)
        subfolders = []
        for entry in entries:
            name = entry.name
            if _hidden(name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if os.path.join(real, name) not in exclude:
                        subfolders.append((entry.path, (*rel, name)))
                    continue
                if not entry.is_file():
                    continue
                link = entry.is_symlink()
                size = entry.stat().st_size
            except OSError:
                continue
            where = os.path.realpath(entry.path) if link else os.path.join(real, name)
            if where not in exclude:
                yield entry.path, (*rel, name), size
        stack.extend(reversed(subfolders))


def _scan(sources: Iterable[str | os.PathLike[str]], include: Sequence[str] | None,
          exclude: Iterable[str | os.PathLike[str]], max_bytes: int,
          read: bool = True) -> Iterator[_Item]:
    """Every input of ``sources`` as an :data:`_Item`, in input order (see :func:`iter_inputs`);
    tar members carry their content when ``read``, other inputs are read later."""
    excluded = {os.path.realpath(p) for p in exclude}
    for src in sources:
        src = os.fspath(src)
        if os.path.isdir(src):
            label = os.path.basename(os.path.normpath(os.path.abspath(src))) or "root"
            for path, rel, size in _walk(src, excluded):
                parts = (label, *rel)
                if isinstance(size, str):
                    yield _error_item(path, None, parts, size, "read")
                elif _is_archive(path):
                    yield from _archive_scan(path, parts, include, max_bytes, read)
                elif _wanted(rel[-1], include):
                    yield (path, None, parts, "file", size)
        elif not os.path.exists(src):
            yield _error_item(src, None, (os.path.basename(src) or "input",),
                              "no such file or directory", "read")
        elif _is_archive(src):
            yield from _archive_scan(src, (os.path.basename(src),), include, max_bytes, read)
        else:
            try:
                size = os.stat(src).st_size
            except OSError:
                size = 0  # reading it will say why
            yield (src, None, (os.path.basename(src),), "file", size)


def _archive_scan(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
                  max_bytes: int, read: bool) -> Iterator[_Item]:
    if path.lower().endswith(".zip"):
        return _zip_scan(path, parts, include, max_bytes)
    return _tar_scan(path, parts, include, max_bytes, read)


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
    open_zips: dict[str, IO[bytes]] = {}
    try:
        for item in _scan(sources, include, exclude, max_bytes, read):
            source, member, parts, how, _ = item
            if how == "error" or read:
                data, error, kind, size = _load(item, max_bytes, open_zips)
                yield Input(source, member, parts, data, error, kind, size)
            else:
                yield Input(source, member, parts, None)
    finally:
        _close_all(open_zips)


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
    Workers read it (:func:`_find_done`) to skip inputs done by earlier runs.
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
        self.path = self.dir / "state.sqlite"
        self.db: sqlite3.Connection | None = None
        try:
            shutil.rmtree(self.tmp, ignore_errors=True)  # leftovers of a killed run
            self.tmp.mkdir()
            self.db = db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS done (key TEXT PRIMARY KEY, path TEXT NOT NULL, "
                "input_sha TEXT NOT NULL, opts TEXT NOT NULL, xml_sha TEXT NOT NULL, "
                "input TEXT NOT NULL, record TEXT NOT NULL) WITHOUT ROWID"
            )
            db.execute("CREATE INDEX IF NOT EXISTS done_input ON done (input_sha, opts)")
            db.execute("CREATE TEMP TABLE claims (key TEXT PRIMARY KEY, input TEXT NOT NULL, "
                       "path TEXT NOT NULL)")
            #: nothing recorded yet (a first run): no input can be skipped, no lookup needed
            self.empty = db.execute("SELECT 1 FROM done LIMIT 1").fetchone() is None
            db.execute("BEGIN")
            self._pending = False
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise BatchError(
                f"{self.dir}: cannot use the record of earlier runs ({exc}); remove "
                f"{self.dir / 'state.sqlite'} to start afresh (outputs are then checked again)"
            ) from exc
        self._last = 0.0  # the first rows are committed at once, then every _COMMIT_SECONDS

    def get(self, key: str) -> tuple | None:
        """(input_sha, opts, input) of the row an earlier run wrote for this output."""
        if self.empty:
            return None
        return self.db.execute(
            "SELECT input_sha, opts, input FROM done WHERE key=?", (key,)).fetchone()

    def put(self, rows: list[tuple]) -> None:
        """Record outputs written: (key, path, input_sha, opts, xml_sha, input, record JSON)."""
        self.db.executemany("INSERT OR REPLACE INTO done VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        self._pending = True

    def claimed(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """Which of ``keys`` this run has claimed already: key -> (input, output path)."""
        found: dict[str, tuple[str, str]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            sql = f"SELECT * FROM claims WHERE key IN ({','.join('?' * len(part))})"
            found.update((key, (name, path)) for key, name, path in self.db.execute(sql, part))
        return found

    def claim(self, claims: list[tuple[str, str, str]]) -> None:
        """Claim outputs for this run: (key, input, output path), none claimed before."""
        self.db.executemany("INSERT OR IGNORE INTO claims VALUES (?, ?, ?)", claims)
        self._pending = True

    def tick(self) -> None:
        if self._pending and time.monotonic() - self._last >= _COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        self._last = time.monotonic()
        self._pending = False

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


def _find_done(db: sqlite3.Connection, outdir: str, input_sha: str, opts: str,
               key: str | None) -> tuple | None:
    """(key, path, xml_sha, record) of what an earlier run made from this input, if that
    output is still intact."""
    sql = "SELECT key, path, xml_sha, record FROM done WHERE input_sha=? AND opts=?"
    args: tuple = (input_sha, opts)
    if key is not None:
        sql, args = sql + " AND key=?", (*args, key)
    for row in db.execute(sql, args):
        if _sha_file(os.path.join(outdir, row[1])) == row[2]:
            return row
    return None


def _sha_file(path: str | os.PathLike[str]) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def _rename_all(outdir: str, items: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """Move temporary files into place: ``items`` are (temporary file, output path); the
    (index, reason) of those that failed (their temporary file is removed)."""
    errors = []
    for i, (tmp, dest) in enumerate(items):
        target = os.path.join(outdir, dest)
        try:
            for attempt in range(3):
                try:
                    os.replace(tmp, target)
                    break
                except FileNotFoundError:  # its folder went (a loser's, taken away): again
                    if attempt == 2 or not os.path.lexists(tmp):
                        raise
                    with contextlib.suppress(FileNotFoundError):
                        os.makedirs(os.path.dirname(target), exist_ok=True)
        except OSError as exc:
            errors.append((i, str(exc.strerror or exc)))
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return errors


# -- worker processes -----------------------------------------------------------------------------

_WARM_UP = (b"European Parliament resolution of 15 March 2012 on X\nThe European Parliament,\n"
            b"1. Instructs its President to forward this resolution.\n")


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the batch process dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@dataclasses.dataclass
class _Options:
    """What every worker needs to know about the batch."""

    outdir: str
    tmpdir: str
    lang: str | None
    layout: str
    force: bool
    opts: str  # akn-ep version and options, recorded with each output
    db: str  # the record of outputs (state.sqlite)
    lookup: bool  # look inputs up in it (an earlier run recorded something; not forced)
    max_bytes: int


# A worker's result for one input, in input order when decided by the batch process:
# (seq, status, error_kind, key, dest, tmp, xml_sha, input_sha, target_exists, target_sha,
#  line, keep, name). ``line`` is the record as JSON, final unless the batch process decides
# otherwise (collision, failed rename); ``keep`` the part of it recorded in the state.
_Result = tuple


def _result_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def _failed_result(seq: int, name: str, record: dict[str, Any]) -> _Result:
    return (seq, "failed", record["error_kind"], None, None, None, None, None, False, None,
            _result_line(record), None, name)


class _Converter:
    """Everything a worker does for one input: read it, skip it if an earlier run made its
    output, convert it, work out the output path, make its folder, write the XML to a
    temporary file, look at what is in the way, and write the record line; the batch
    process only decides (collisions) and records."""

    def __init__(self, o: _Options):
        self.o = o
        self.open_zips: dict[str, IO[bytes]] = {}
        self.db: sqlite3.Connection | None = None
        # a temporary folder of its own: files created in one folder shared by all workers
        # queue on that folder's lock in the kernel (and on its inode allocation group)
        self.tmpdir = os.path.join(o.tmpdir, str(os.getpid()))
        self.tmpdir_made = False
        self.waiting: dict[int, tuple] = {}  # seq -> (tmp, dest, state row) until decided

    def _db(self) -> sqlite3.Connection:
        if self.db is None:
            self.db = sqlite3.connect(self.o.db, timeout=60, isolation_level=None)
            self.db.execute("PRAGMA synchronous=NORMAL")
        return self.db

    def commit(self, seqs: list[int]) -> list[tuple[int, str]]:
        """Move the outputs of ``seqs`` (decided by the batch process, in input order) into
        place and record them; inputs before the last of them that are not among them lost
        (collisions): forget them. The (index, reason) of renames that failed."""
        waiting = self.waiting
        items, rows = [], []
        for seq in seqs:
            tmp, dest, row = waiting.pop(seq)
            items.append((tmp, dest))
            rows.append(row)
        if seqs:
            for seq in [s for s in waiting if s < seqs[-1]]:
                del waiting[seq]
        errors = _rename_all(self.o.outdir, items)
        failed = {i for i, _ in errors}
        rows = [row for i, row in enumerate(rows) if i not in failed]
        if rows:  # one short transaction: the other workers write to the state too
            db = self._db()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO done VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                db.execute("COMMIT")
            except sqlite3.Error:  # not recorded: a later run converts them again
                if db.in_transaction:
                    db.execute("ROLLBACK")
        return errors

    def lookup(self, sha: str, parts: tuple[str, ...]) -> tuple | None:
        key = _fold(flat_path(parts)) if self.o.layout == "flat" else None
        try:
            return _find_done(self._db(), self.o.outdir, sha, self.o.opts, key)
        except sqlite3.Error:
            return None  # converted again: the outcome is the same

    def __call__(self, task: tuple) -> _Result:
        seq, name, source, member, parts, how, payload = task
        o = self.o
        data, error, kind, size = _load((source, member, parts, how, payload), o.max_bytes,
                                        self.open_zips)
        if data is None:
            record = _blank_record(name, None)
            record.update(source=source, member=member, lang=o.lang, bytes=size)
            return _failed_result(seq, name, _fail(record, kind or "read", error or "?"))
        if o.lookup:
            sha = hashlib.sha256(data).hexdigest()
            row = self.lookup(sha, parts)
            if row is not None:
                key, dest, _xml_sha, stored = row
                record = _blank_record(name, None)
                record.update(json.loads(stored), source=source, member=member, sha256=sha,
                              bytes=len(data), status="skipped", output=dest)
                return (seq, "skipped", None, key, dest, None, None, sha, False, None,
                        _result_line(record), None, name)
        record, xml = convert_one(name, data, lang=o.lang)
        record["source"], record["member"] = source, member
        if xml is None:
            return _failed_result(seq, name, record)
        tmp = None
        try:
            path = flat_path(parts) if o.layout == "flat" else iri_to_path(record["iri"])
            dest = str(path)
            target = os.path.join(o.outdir, dest)
            with contextlib.suppress(OSError):  # else the rename says why
                os.makedirs(os.path.dirname(target), exist_ok=True)
            if not self.tmpdir_made:
                os.makedirs(self.tmpdir, exist_ok=True)
                self.tmpdir_made = True
            tmp = os.path.join(self.tmpdir, f"{seq}.xml")
            with open(tmp, "xb") as fh:
                fh.write(xml)
            xml_sha = hashlib.sha256(xml).hexdigest()
            exists = not o.force and os.path.lexists(target)
            target_sha = _sha_file(target) if exists else None
        except (OSError, ValueError) as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            return _failed_result(seq, name, _fail(record, "write",
                                                   f"cannot write output: {reason}"))
        keep = _result_line({k: record[k] for k in ("lang", "iri", "counts", "warnings")})
        record["output"] = dest
        key = dest.casefold()
        self.waiting[seq] = (tmp, dest, (key, dest, record["sha256"], o.opts, xml_sha, name, keep))
        return (seq, "converted", None, key, dest, tmp, xml_sha, record["sha256"], exists,
                target_sha, _result_line(record), keep, name)


def _worker_main(conn: Any, options: _Options) -> None:
    """Worker loop: convert the tasks of the chunks received, one by one; between two
    documents, carry out the renames the batch process decided (``commit`` messages).

    A thread receives messages as they come, so the batch process never waits to send.
    Results go back once per chunk, or as soon as a document took longer than
    ``_SEND_SECONDS``, so the batch process wakes up rarely yet knows how far a slow chunk
    got; a commit is acknowledged when done.
    """
    import queue
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch process's to handle
    _die_with_parent()
    parent = os.getppid()
    convert = _Converter(options)
    convert_one("warm-up", _WARM_UP, lang="en")  # load the schema before the clock starts
    inbox: queue.SimpleQueue = queue.SimpleQueue()

    def receive() -> None:
        try:
            while True:
                message = conn.recv()
                inbox.put(message)
                if message is None:
                    return
        except (EOFError, OSError):
            inbox.put(None)

    threading.Thread(target=receive, daemon=True).start()
    conn.send(("ready",))
    chunks: deque[list] = deque()
    results: list[_Result] = []
    last = time.monotonic()

    def handle(message: Any) -> bool:
        if message is None:
            return False
        if message[0] == "commit":
            conn.send(("committed", message[1], convert.commit(message[2])))
        else:
            chunks.append(deque(message[1]))
        return True

    while True:
        try:
            if not handle(inbox.get(timeout=1.0) if not chunks else inbox.get_nowait()):
                return
            while True:  # everything waiting, commits first
                if not handle(inbox.get_nowait()):
                    return
        except queue.Empty:
            if os.getppid() != parent:
                return
        if not chunks:
            continue
        chunk = chunks[0]
        results.append(convert(chunk.popleft()))
        now = time.monotonic()
        if not chunk:
            chunks.popleft()
        if not chunk or now - last >= _SEND_SECONDS:
            if os.getppid() != parent:
                return
            conn.send(("results", results))
            results, last = [], now


@dataclasses.dataclass
class _Task:
    seq: int
    name: str
    item: _Item
    alone: bool = False  # sent in a chunk of its own (to find which document broke a worker)

    @property
    def size(self) -> int:
        """Input bytes it stands for (tar members carry them; workers read other inputs)."""
        how, payload = self.item[3], self.item[4]
        if how == "data":
            return len(payload)
        return payload[1] if how == "zip" else payload

    def message(self) -> tuple:
        source, member, parts, how, payload = self.item
        return (self.seq, self.name, source, member, parts, how, payload)


class _Worker:
    """One worker process, the chunks sent to it (oldest, the one it works on, first) and
    the commits it has not acknowledged yet."""

    def __init__(self, ctx: Any, options: _Options):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, options), daemon=True,
                                name="akn-ep-batch")
        self.proc.start()
        child.close()
        self.queue: deque[list[_Task]] = deque()
        self.commits: deque[tuple[int, list[tuple[str, str]]]] = deque()
        self.got = 0  # results received for the oldest chunk
        self.ready = False  # warmed up; the clock of a chunk starts when the worker is ready
        self.deadline = float("inf")

    def restart_clock(self, timeout: float | None) -> None:
        ticking = timeout and self.ready and self.queue
        self.deadline = time.monotonic() + timeout if ticking else float("inf")

    def send(self, chunk: list[_Task], timeout: float | None) -> None:
        self.conn.send(("tasks", [t.message() for t in chunk]))
        self.queue.append(chunk)
        if len(self.queue) == 1:
            self.got = 0
            self.restart_clock(timeout)

    def stop(self, kill: bool = False) -> None:
        if not kill and not self.queue and not self.commits:
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
    the document that caused them; renames decided by the batch process are carried out by
    a worker between two documents (by the batch process itself if no worker can)."""

    def __init__(self, jobs: int, options: _Options, timeout: float | None):
        self.ctx = multiprocessing.get_context()
        self.jobs, self.timeout, self.options = jobs, timeout, options
        self.workers: list[_Worker] = []  # started on demand: a run with nothing to do starts none
        self.done: list[tuple] = []  # commits carried out here, reported by the next wait()
        self.wake_r, self.wake_w = os.pipe()  # written to (by a signal handler) to end a wait
        os.set_blocking(self.wake_w, False)
        self.poller = select.poll()  # one for the run: cheaper than a selector per wait
        self.poller.register(self.wake_r, select.POLLIN)
        self.fds: dict[int, _Worker] = {}  # connection and sentinel of each worker

    def _start(self) -> _Worker:
        w = _Worker(self.ctx, self.options)
        self.workers.append(w)
        for fd in (w.conn.fileno(), w.proc.sentinel):
            self.fds[fd] = w
            self.poller.register(fd, select.POLLIN)
        return w

    def slot(self) -> tuple[_Worker | None, int] | None:
        """Where the next chunk can go, and how many input bytes it may carry: an idle worker
        or a new one (any size), or a busy worker's waiting place (a small one); None if
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
        return bool(self.done) or any(w.queue or w.commits for w in self.workers)

    def submit(self, w: _Worker | None, chunk: list[_Task]) -> None:
        if w is None:
            w = self._start()
        try:
            w.send(chunk, self.timeout)
        except OSError:  # the worker died: its chunks go again, to a new one
            if w.queue or w.commits:
                raise
            self._drop(w)
            self._start().send(chunk, self.timeout)

    def commit(self, w: _Worker, cid: int, seqs: list[int], items: list[tuple[str, str]]) -> None:
        """Have the worker that converted ``seqs`` move their outputs into place (``items``:
        temporary file, output path) and record them; :meth:`wait` then reports
        ``("committed", cid, errors)``, or ``("committed", cid, errors, True)`` when the
        worker is gone and this process did the renames (and is to record them)."""
        if w in self.workers:
            try:
                w.conn.send(("commit", cid, seqs))
            except OSError:
                pass
            else:
                w.commits.append((cid, items))
                return
        self.done.append(("committed", cid, _rename_all(self.options.outdir, items), True))

    def _drop(self, w: _Worker) -> None:
        """Stop a dead, hung or broken worker (the next chunk starts a fresh one) and carry
        out the commits it had not acknowledged (a temporary file already gone was moved)."""
        for fd in (w.conn.fileno(), w.proc.sentinel):
            self.fds.pop(fd, None)
            with contextlib.suppress(KeyError, ValueError):
                self.poller.unregister(fd)
        w.stop(kill=True)
        self.workers.remove(w)
        outdir = self.options.outdir
        for cid, items in w.commits:
            errors = []
            for i, (tmp, dest) in enumerate(items):
                if os.path.lexists(tmp):
                    errors += [(i, why) for _, why in _rename_all(outdir, [(tmp, dest)])]
                elif not os.path.lexists(os.path.join(outdir, dest)):
                    errors.append((i, "the temporary file is gone"))
            self.done.append(("committed", cid, errors, True))
        w.commits.clear()

    def wait(self, until: float = float("inf")) -> list[tuple]:
        """Block until something happens (or the monotonic clock reaches ``until``); events
        ``("result", seq, result, worker)``, ``("committed", id, errors[, True])`` (see
        :meth:`commit`), ``("lost", task, kind,
        message)``, ``("alone", [task, …])`` (to run one by one) and ``("again", [task, …])``
        (not started)."""
        events, self.done = self.done, []
        if events:
            return events
        deadline = min([until, *(w.deadline for w in self.workers if w.queue)])
        wait_ms = None if deadline == float("inf") else max(
            0, math.ceil(1000 * (deadline - time.monotonic())))
        touched: dict[_Worker, str] = {}  # worker -> "ended" (process) or "broken" (pipe)
        for fd, _ in self.poller.poll(wait_ms):
            if fd == self.wake_r:
                os.read(self.wake_r, 512)
                continue
            w = self.fds.get(fd)
            if w is None:
                continue
            ended = fd == w.proc.sentinel
            if ended:
                touched.setdefault(w, "ended")
                continue
            try:
                message = w.conn.recv()
            except (EOFError, OSError):
                touched[w] = "broken"
                continue
            if message[0] == "ready":
                w.ready = True
            elif message[0] == "committed":
                w.commits.popleft()
                events.append(message)
            else:
                results = message[1]
                events.extend(("result", r[0], r, w) for r in results)
                w.got += len(results)
                if w.got == len(w.queue[0]):
                    w.queue.popleft()
                    w.got = 0
            w.restart_clock(self.timeout)
        now = time.monotonic()
        for w in list(self.workers):
            ended = w in touched
            if touched.get(w) == "ended" and w.conn.poll():  # first read what it sent before
                continue
            if not w.queue:
                if ended:
                    self._drop(w)
                continue
            if ended:
                w.proc.join(1.0)  # its pipe may close before it is gone: wait for the status
                code = w.proc.exitcode
                how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
                       else f"exit status {code}")
                kind, message = "crash", f"the converter process died ({how}) on this input"
            elif now > w.deadline:
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
        events.extend(self.done)
        self.done = []
        return events

    def abandon(self) -> list[tuple]:
        """Stop every worker now; carry out the commits they had not acknowledged; their
        ``committed`` events."""
        for w in list(self.workers):
            self._drop(w)
        events, self.done = self.done, []
        return events

    def close(self) -> None:
        for w in self.workers:
            w.stop(kill=bool(w.queue or w.commits))
        for fd in (self.wake_r, self.wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)


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
        self.count(record["status"], record["error_kind"])

    def count(self, status: str, error_kind: str | None) -> None:
        self.status[status] += 1
        if error_kind:
            self.errors[error_kind] += 1

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


def _refail(line: str, kind: str, message: str) -> str:
    record = json.loads(line)
    record["output"] = None
    return _result_line(_fail(record, kind, message))


class _Batch:
    """One run. :meth:`run` yields ``[line, status, error_kind, commit]`` per input in input
    order (``line``: the record as JSON); the summary record is then in ``final``."""

    def __init__(self, sources: list[str | os.PathLike[str]], outdir: Path, *, jobs: int,
                 lang: str | None, layout: str, force: bool, include: Sequence[str] | None,
                 timeout: float | None, max_bytes: int, exclude: Sequence[str | os.PathLike[str]]):
        self.sources, self.outdir, self.jobs = sources, outdir, jobs
        self.lang, self.layout, self.force = lang, layout, force
        self.include, self.timeout, self.max_bytes = include, timeout, max_bytes
        self.exclude = [outdir, *exclude]
        self.opts = f"akn-ep {__version__}; lang={lang or 'auto'}; layout={layout}"
        self.final: dict[str, Any] | None = None
        self.summary = _Summary()
        self.interrupted = False  # stopped by interrupt(): the records so far, then the end
        self._pool: _Pool | None = None

    def interrupt(self) -> None:
        """Stop soon, cleanly (safe in a signal handler): no new conversion; the renames
        already decided are carried out and their records come; then the records end, with
        ``interrupted`` set."""
        self.interrupted = True
        if self._pool is not None:
            with contextlib.suppress(OSError):
                os.write(self._pool.wake_w, b"!")

    def run(self) -> Iterator[list]:
        summary = self.summary
        self.state = state = _State(self.outdir)
        pool = None
        self._open_zips: dict[str, IO[bytes]] = {}
        try:
            options = _Options(str(self.outdir), str(state.tmp), self.lang, self.layout,
                               self.force, self.opts, str(state.path),
                               not self.force and not state.empty, self.max_bytes)
            self._pool = pool = _Pool(self.jobs, options, self.timeout)
            for out in self._records(pool):
                summary.count(out[1], out[2])
                yield out
            state.commit()
            self.final = summary.record(outdir=str(self.outdir), layout=self.layout,
                                        jobs=self.jobs)
        finally:
            if pool is not None:
                pool.close()
            state.close()
            if hasattr(self, "_inputs"):
                self._inputs.close()  # the archive being read
            _close_all(self._open_zips)

    def _records(self, pool: _Pool) -> Iterator[list]:
        """The records, in input order, while at most a window of inputs is in flight."""
        self._inputs = _scan(self.sources, self.include, self.exclude, self.max_bytes)
        self._exhausted = False
        self._next_seq = self._decided = emitted = 0
        window = self.jobs * _CHUNK_DOCS * _WINDOW_PER_JOB
        self._ready: dict[int, tuple[_Result, _Worker | None]] = {}  # not decided yet, by seq
        out: deque[list] = deque()  # decided: [line, status, error_kind, commit id or 0]
        self._commits: dict[int, tuple[list[list], list[tuple]]] = {}  # id -> entries, rows
        self._cid = 0
        self._open: dict[_Worker, tuple[int, list[int], list[tuple[str, str]]]] = {}
        self._since = float("inf")  # when the oldest rename not sent yet was decided
        self._bits = bytearray(_CLAIM_BITS // 8)  # outputs claimed: a bit per hash of the key
        self._alone: deque[_Task] = deque()  # to run one by one (one of them broke a worker)
        self._again: deque[_Task] = deque()  # sent to a worker that broke before starting them
        self._held: _Task | None = None  # read, but too big for the place it was read for
        ready, commits, state = self._ready, self._commits, self.state
        while True:
            while out and (out[0][3] == 0 or out[0][3] not in commits):
                yield out.popleft()
                emitted += 1
            state.tick()
            if self.interrupted:
                for event in pool.abandon():
                    self._committed(*event[1:])
                for cid, _seqs, items in self._open.values():
                    self._committed(cid, _rename_all(str(self.outdir), items), True)
                yield from out
                return
            if self._open and (max(len(o[1]) for o in self._open.values()) >= _COMMIT_RENAMES
                               or time.monotonic() - self._since >= _COMMIT_DELAY
                               or (self._exhausted and self._decided == self._next_seq)
                               or not pool.busy()):
                for w, (cid, seqs, items) in self._open.items():
                    pool.commit(w, cid, seqs, items)
                self._open, self._since = {}, float("inf")
            while (slot := pool.slot()) is not None:
                chunk = self._next_chunk(slot[1], window - (self._next_seq - emitted))
                if not chunk:
                    break
                pool.submit(slot[0], chunk)
            if self._decided in ready:
                out.extend(self._decide(pool))
                continue
            if not pool.busy():
                if (self._exhausted and not self._alone and not self._again
                        and self._held is None and self._decided == self._next_seq and not out):
                    return
                continue
            for event in pool.wait(self._since + _COMMIT_DELAY):
                if event[0] == "result":
                    ready[event[1]] = (event[2], event[3])
                elif event[0] == "committed":
                    self._committed(*event[1:])
                elif event[0] == "lost":
                    _, task, kind, message = event
                    ready[task.seq] = (self._lost(task, kind, message), None)
                elif event[0] == "alone":
                    self._alone.extend(event[1])
                else:
                    self._again.extend(event[1])

    def _lost(self, task: _Task, kind: str, message: str) -> _Result:
        """The record of an input whose converter crashed or hung."""
        source, member, *_ = task.item
        data = _load(task.item, self.max_bytes, self._open_zips)[0]
        record = _blank_record(task.name, data)
        record.update(source=source, member=member, lang=self.lang)
        return _failed_result(task.seq, task.name, _fail(record, kind, message))

    def _next_chunk(self, budget: int, room: int) -> list[_Task]:
        """The next tasks for a worker, carrying at most ``budget`` input bytes (one task may
        exceed a full budget alone): a task to run alone; or tasks sent before to a worker that
        broke, then the next inputs (those that cannot be read go straight to the ready
        results), while fewer than ``room`` more inputs may be read."""
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
            elif self._exhausted or room <= 0:
                break
            else:
                item = next(self._inputs, None)
                if item is None:
                    self._exhausted = True
                    break
                seq = self._next_seq
                self._next_seq += 1
                room -= 1
                source, member = item[0], item[1]
                name = source if member is None else f"{source}::{member}"
                if item[3] == "error":
                    message, kind, size_ = item[4]
                    record = _blank_record(name, None)
                    record.update(source=source, member=member, lang=self.lang, bytes=size_)
                    self._ready[seq] = (_failed_result(seq, name, _fail(record, kind, message)),
                                        None)
                    continue
                task = _Task(seq, name, item)
            if size + task.size > budget and (chunk or not full):
                self._held = task  # for the next chunk
                break
            chunk.append(task)
            size += task.size
            if size >= budget:
                break
        return chunk

    def _decide(self, pool: _Pool) -> list[list]:
        """Decide the results ready in input order: who gets each output (the first input
        that maps to it, in this run; an output of an earlier run only if made from the same
        input or the same bytes), and have the winners renamed into place."""
        ready, state, force = self._ready, self.state, self.force
        batch = []
        while self._decided in ready:
            batch.append(ready.pop(self._decided))
            self._decided += 1
        bits = self._bits
        keys = []  # those this run may have claimed already (the others it has not)
        for r, _w in batch:
            if r[3] is not None:
                h = hash(r[3]) & (_CLAIM_BITS - 1)
                if bits[h >> 3] & (1 << (h & 7)):
                    keys.append(r[3])
        claimed = state.claimed(keys) if keys else {}
        claims: list[tuple[str, str, str]] = []
        entries: list[list] = []
        for r, w in batch:
            (seq, status, kind, key, dest, tmp, xml_sha, input_sha, exists, target_sha,
             line, keep, name) = r
            if status == "failed":
                entries.append([line, status, kind, 0])
                continue
            first = claimed.get(key)
            if first is not None:
                line = _refail(line, "collision", f"collides with {first[0]}: both map to "
                               f"{dest}; the first input keeps it, this one is not written")
                self._discard(tmp, dest, first[1])
                entries.append([line, "failed", "collision", 0])
                continue
            if status == "converted" and exists and not force:
                row = state.get(key)
                ours = row is not None and row[0] == input_sha and row[1] == self.opts
                if not ours and target_sha != xml_sha:
                    who = f"{row[2]} in an earlier run" if row else "something other than akn-ep"
                    line = _refail(line, "collision", f"{dest} exists, written from {who}; it "
                                   "is left as it is (use --force to replace it)")
                    self._discard(tmp, dest, dest)
                    entries.append([line, "failed", "collision", 0])
                    continue
            claimed[key] = (name, dest)
            claims.append((key, name, dest))
            h = hash(key) & (_CLAIM_BITS - 1)
            bits[h >> 3] |= 1 << (h & 7)
            entry = [line, status, None, 0]
            entries.append(entry)
            if status == "converted":  # into the commit being filled for its worker
                if w not in self._open:
                    self._cid += 1
                    self._open[w] = (self._cid, [], [])
                    self._commits[self._cid] = ([], [])
                    self._since = min(self._since, time.monotonic())
                cid, seqs, items = self._open[w]
                seqs.append(seq)
                items.append((tmp, dest))
                waiting, rows = self._commits[cid]
                waiting.append(entry)
                rows.append((key, dest, input_sha, self.opts, xml_sha, name, keep))
                entry[3] = cid
        if claims:
            state.claim(claims)
        return entries

    def _committed(self, cid: int, errors: list[tuple[int, str]], record: bool = False) -> None:
        """A commit is done (a failed rename fails its input); ``record``: the worker did not
        record the outputs now in place, so record them here."""
        entries, rows = self._commits.pop(cid)
        for i, reason in errors:
            entries[i][:3] = [_refail(entries[i][0], "write", f"cannot write output: {reason}"),
                              "failed", "write"]
        if record:
            failed = {i for i, _ in errors}
            self.state.put([row for i, row in enumerate(rows) if i not in failed])
            self.state.commit()  # at once: the workers write to the state too

    def _discard(self, tmp: str | None, dest: str, kept: str) -> None:
        """Remove a loser's temporary file; and the folder the worker made for it if it is
        not the folder of the output ``kept`` (whose rename may still be under way) and
        nothing else is in it (a loser whose path differs from the winner's in letter case
        only, on a file system that tells letter case apart)."""
        if tmp is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        folder = os.path.join(self.outdir, os.path.dirname(dest))
        with contextlib.suppress(OSError):
            if not os.path.samefile(folder, os.path.join(self.outdir, os.path.dirname(kept))):
                os.removedirs(folder)


def _start(sources: Iterable[str | os.PathLike[str]], outdir: str | os.PathLike[str], *,
           jobs: int | None, lang: str | None, layout: str, force: bool,
           include: Sequence[str] | None, timeout: float | None, max_bytes: int,
           exclude: Sequence[str | os.PathLike[str]]) -> _Batch:
    if layout not in ("iri", "flat"):
        raise ValueError(f"layout must be 'iri' or 'flat', got {layout!r}")
    jobs = _default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise BatchError(f"{out}: exists and is not a folder")
    return _Batch(list(sources), out, jobs=jobs, lang=lang, layout=layout, force=force,
                  include=include, timeout=timeout, max_bytes=max_bytes, exclude=exclude)


def _dicts(batch: _Batch) -> Iterator[dict[str, Any]]:
    records = batch.run()
    try:
        for line, *_ in records:
            yield json.loads(line)
    finally:
        records.close()
    yield batch.final


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
    and unchanged — or ``failed`` with ``error_kind`` and ``error``); a ``converted``
    record comes when its file is in place. The last item is the summary (``"type":
    "summary"``, with ``exit_status`` 0 only if nothing failed).
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
    return _dicts(_start(sources, outdir, jobs=jobs, lang=lang, layout=layout, force=force,
                         include=include, timeout=timeout, max_bytes=max_bytes,
                         exclude=exclude))


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
        self.write_line(json.dumps(record, ensure_ascii=False))

    def write_line(self, line: str) -> None:
        self.fh.write(line)
        self.fh.write("\n")
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


class _Interrupts:
    """Ctrl-C (SIGINT) and SIGTERM during a batch: the first stops it cleanly (every output
    already moved into place, or decided and moved now, is reported), the second at once."""

    def __init__(self) -> None:
        self.batch: _Batch | None = None
        self.count = 0
        self.old: dict[int, Any] = {}

    def __enter__(self) -> _Interrupts:
        with contextlib.suppress(ValueError):  # not the main thread: Python's own Ctrl-C
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.old[sig] = signal.signal(sig, self.handle)
        return self

    def handle(self, signum: int, frame: Any) -> None:
        self.count += 1
        if self.batch is None or self.count > 1:
            raise KeyboardInterrupt
        self.batch.interrupt()

    def __exit__(self, *exc: object) -> None:
        for sig, old in self.old.items():
            signal.signal(sig, old)


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
    report = None
    records = None
    batch = None
    interrupts = _Interrupts()
    try:
        interrupts.__enter__()
        batch = _start(args.sources, out, jobs=args.jobs, lang=args.lang, layout=args.layout,
                       force=args.force, include=args.include, timeout=args.timeout,
                       max_bytes=DEFAULT_MAX_BYTES, exclude=excluded)
        interrupts.batch = batch
        records = batch.run()
        for line, status, error_kind, _ in records:
            if report is None:
                report = _Report(report_path)
            report.write_line(line)
            if progress is not None:
                progress.update({"status": status})
                if status == "failed":
                    record = json.loads(line)
                    progress.note(f"akn-ep: failed: {record['input']}: "
                                  f"[{error_kind}] {record['error']}")
        if batch.interrupted:
            raise KeyboardInterrupt
        if report is None:
            report = _Report(report_path)
        final = batch.final or batch.summary.record(outdir=str(out), layout=args.layout)
        report.write(final)
        report.close()
    except KeyboardInterrupt:
        summary = batch.summary if batch is not None else _Summary()
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
        interrupts.__exit__()
    if progress is not None:
        progress.close()
        errors = ", ".join(f"{k} {v}" for k, v in final["errors"].items())
        print(f"akn-ep: {final['inputs']} inputs: {final['converted']} converted, "
              f"{final['skipped']} skipped, {final['failed']} failed"
              f"{f' ({errors})' if errors else ''} in {final['seconds']:.1f} s; "
              f"report: {report_path}", file=err)
    return int(final["exit_status"])
