"""The inputs of a batch: files, directory trees and archives, listed lazily in a
deterministic order and read in place (never unpacked to disk).

Zip archives are read by :mod:`akn_ep.zips`, tar streams by :mod:`akn_ep.batch.tar`.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import io
import lzma
import os
import stat
import tarfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from .. import zips
from ..limits import MAX_TEXT_BYTES
from ..pdf.reader import is_pdf
from .listing import Listing
from .tar import (
    _Bound,
    _BoundedTarInfo,
    _damage_after_the_end,
    _open_stream,
    _TarReader,
    _Unsupported,
)

#: Inputs larger than this are reported as too large, not read.
DEFAULT_MAX_BYTES = 50_000_000
#: Archive file names read member by member (case-insensitive suffixes).
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


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
        if MAX_TEXT_BYTES < entry.size <= max_bytes:
            # only a PDF may be that large: its first kilobyte says, before it is all inflated
            # (2,000 entries sharing one member of 45 MiB inflated it 2,000 times, each then
            # refused by parse_text)
            if not is_pdf(zips.read_member(fh, entry, max_bytes, head=1024)):
                return None, (f"{_too_large(entry.size, MAX_TEXT_BYTES)} for a text, "
                              "akn_ep.limits.MAX_TEXT_BYTES; not read"), "too-large", entry.size
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
    last = (-1, -1, "")  # the previous member's data: where it starts and ends, its name
    try:
        for entry in zips.iter_entries(path):
            names = _member_parts(entry.name)
            if entry.is_dir or not names or any(_hidden(n) for n in names):
                continue
            # two members whose data overlap (one member's data under many names: a zip
            # bomb), told by the member before, as archivers write them in order
            span = (entry.offset, entry.offset + 30 + len(entry.name) + entry.compressed)
            overlaps = max(span[0], last[0]) < min(span[1], last[1])
            shared = last[2]
            last = (*span, entry.name)
            if not _wanted(names[-1], include):
                continue
            mparts = (*parts, *names)
            seen += 1
            if entry.is_symlink:  # never read: its data is a path, not a document
                yield _error_item(path, entry.name, mparts, "a symbolic link in the archive: "
                                  "skipped, not followed", "link")
            elif overlaps:
                yield _error_item(path, entry.name, mparts, "its data overlaps that of member "
                                  f"{shared!r}: one member's data under several names, as zip "
                                  "bombs do; not read", "read")
            elif entry.encrypted:
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


def _tar_scan(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
              max_bytes: int, read: bool, timeout: float | None = None) -> Iterator[_Item]:
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
        reader = _TarReader(fh, _Bound(fh, timeout=timeout))
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
            # (passing over is bounded: _Bound)
            if size > max_bytes:
                item = _error_item(path, name, mparts, _too_large(size, max_bytes), "too-large",
                                   size)
                seen += 1
                yield from _dropped(reader, item)
                continue
            if size > MAX_TEXT_BYTES and not is_pdf(head := reader.head(1024)):
                # only a PDF may be that large: not decompressed to be refused
                item = _error_item(path, name, mparts, f"{_too_large(size, MAX_TEXT_BYTES)} "
                                   "for a text, akn_ep.limits.MAX_TEXT_BYTES; not read",
                                   "too-large", size)
                seen += 1
                yield from _dropped(reader, item)
                continue
            else:
                data = reader.data()
                if size > MAX_TEXT_BYTES:
                    data = head + data
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
    yield from _tarfile_scan(path, parts, include, max_bytes, read, skip=members, seen=seen,
                             timeout=timeout)


def _dropped(reader: _TarReader, item: _Item) -> Iterator[_Item]:
    """``item`` (a member not read), its data passed over; the record comes first, so that
    a pass-over refused (:class:`~akn_ep.batch.tar._Bound`) still reports the member."""
    yield item
    reader.drop()


def _tarfile_scan(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
                  max_bytes: int, read: bool, skip: int = 0, seen: int = 0,
                  timeout: float | None = None) -> Iterator[_Item]:
    """:func:`_tar_scan` with :mod:`tarfile`, from member ``skip`` on."""
    bound = _Bound(io.BytesIO(), timeout=timeout)  # counts all it passes over
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
                bound.start()
                head = b""
                if info.size > max_bytes:
                    why = _too_large(info.size, max_bytes)
                elif info.size > MAX_TEXT_BYTES and fh is not None and not is_pdf(
                        head := fh.read(1024)):  # only a PDF may be that large, as _tar_scan
                    why = (f"{_too_large(info.size, MAX_TEXT_BYTES)} for a text, "
                           "akn_ep.limits.MAX_TEXT_BYTES; not read")
                else:
                    why = None
                if why is not None:
                    seen += 1  # reported before it is passed over (which may be refused)
                    yield _error_item(path, info.name, mparts, why, "too-large", info.size)
                    # read through all the same, to meet truncation
                    while fh is not None and (piece := fh.read(1 << 20)):
                        bound.tick()
                        bound.pass_over(len(piece))
                    continue
                # in pieces: the declared size must not size a buffer
                data = head + (b"".join(iter(functools.partial(fh.read, 1 << 20), b""))
                               if fh else b"")
                item = (path, info.name, mparts, "data", data if read else None)
            except Exception as exc:  # noqa: BLE001 - tarfile, zlib, lzma, bz2 … all differ
                yield _error_item(path, None, parts, f"archive unreadable after {seen} members: "
                                  f"{type(exc).__name__}: {exc}", "archive")
                return
            seen += 1
            yield item


def _walk(top: str, exclude: set[str],
          keep: Callable[[str], bool]) -> Iterator[tuple[str, tuple[str, ...], str | int]]:
    """Files under ``top`` whose name ``keep`` accepts: each folder's files by name, then its
    sub-folders in order; without hidden or excluded paths, FIFOs, sockets or devices;
    symbolic links to files followed, to folders not. Yields (path, rel parts, size), or
    (path, rel parts, reason) for a folder that cannot be listed or a file that cannot be
    looked at (a broken link). Each folder is listed by :class:`Listing`, so memory does
    not grow with the size of a folder; a stack of listings is held, one per level."""
    stack: list[tuple[str, str, tuple[str, ...], Listing, Iterator[str]]] = []
    enter: tuple[str, tuple[str, ...]] | None = (top, ())
    try:
        while True:
            if enter is not None:
                folder, rel = enter
                enter = None
                try:
                    listing = Listing(folder, skip=_hidden)
                except OSError as exc:
                    yield folder, rel or (os.path.basename(top) or "root",), (
                        f"cannot list folder: {exc.strerror or exc}")
                else:
                    real = os.path.realpath(folder)
                    stack.append((folder, real, rel, listing, listing.folders()))
                    yield from _files(folder, real, rel, listing, exclude, keep)
            if not stack:
                return
            folder, real, rel, listing, folders = stack[-1]
            for name in folders:
                if os.path.join(real, name) not in exclude:
                    enter = (os.path.join(folder, name), (*rel, name))
                    break
            else:
                stack.pop()
                listing.close()
    finally:
        for _, _, _, listing, _ in stack:
            listing.close()


def _files(folder: str, real: str, rel: tuple[str, ...], listing: Listing, exclude: set[str],
           keep: Callable[[str], bool]) -> Iterator[tuple[str, tuple[str, ...], str | int]]:
    """The files of one folder (``real``: its resolved path), as :func:`_walk` yields them."""
    prefix, real = os.path.join(folder, ""), os.path.join(real, "")
    for name, link in listing.files():
        if not keep(name):
            continue
        path = prefix + name
        try:
            info = os.stat(path)
        except OSError as exc:
            if link and isinstance(exc, FileNotFoundError):
                reason = "broken symbolic link"
            else:
                reason = f"cannot read: {exc.strerror or exc}"
            yield path, (*rel, name), reason
            continue
        if not stat.S_ISREG(info.st_mode):
            continue  # a link to a folder (not followed), a FIFO, a socket, a device
        if (os.path.realpath(path) if link else real + name) not in exclude:
            yield path, (*rel, name), info.st_size


def _scan(sources: Iterable[str | os.PathLike[str]], include: Sequence[str] | None,
          exclude: Iterable[str | os.PathLike[str]], max_bytes: int,
          read: bool = True, timeout: float | None = None) -> Iterator[_Item]:
    """Every input of ``sources`` as an :data:`_Item`, in input order (see :func:`iter_inputs`);
    tar members carry their content when ``read``, other inputs are read later."""
    excluded = {os.path.realpath(p) for p in exclude}

    def keep(name: str) -> bool:  # archives are always opened
        return _is_archive(name) or _wanted(name, include)

    for src in sources:
        src = os.fspath(src)
        if os.path.isdir(src):
            label = os.path.basename(os.path.normpath(os.path.abspath(src))) or "root"
            for path, rel, size in _walk(src, excluded, keep):
                parts = (label, *rel)
                if isinstance(size, str):
                    yield _error_item(path, None, parts, size, "read")
                elif _is_archive(path):
                    yield from _archive_scan(path, parts, include, max_bytes, read, timeout)
                else:
                    yield (path, None, parts, "file", size)
        elif not os.path.exists(src):
            yield _error_item(src, None, (os.path.basename(src) or "input",),
                              "no such file or directory", "read")
        elif _is_archive(src):
            yield from _archive_scan(src, (os.path.basename(src),), include, max_bytes, read,
                                     timeout)
        else:
            try:
                size = os.stat(src).st_size
            except OSError:
                size = 0  # reading it will say why
            yield (src, None, (os.path.basename(src),), "file", size)


def _archive_scan(path: str, parts: tuple[str, ...], include: Sequence[str] | None,
                  max_bytes: int, read: bool, timeout: float | None = None) -> Iterator[_Item]:
    if path.lower().endswith(".zip"):
        return _zip_scan(path, parts, include, max_bytes)
    return _tar_scan(path, parts, include, max_bytes, read, timeout)


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


