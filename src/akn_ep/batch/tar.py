"""Tar archives read as one stream, member by member: a fast reader of the common
formats, with :mod:`tarfile` (bounded) for everything else.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
import struct
import sys
import tarfile
import time
import zlib
from typing import IO

from .. import limits as _limits


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

    def __init__(self, fh: IO[bytes], bound: _Bound | None = None):
        if sys.getfilesystemencoding().lower() not in ("utf-8", "utf8"):
            raise _Unsupported("file names in another encoding than UTF-8")
        self.fh = fh
        self.buf = b""
        self.pos = 0
        self.left = 0  # bytes of the current member (data and padding) not read yet
        self.size = 0
        self.taken = 0  # of the current member's data, by head()
        self.bound = bound or _Bound(fh)

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
            self.bound.tick()
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
        if self.bound.seek(n):
            return
        while n > 0:
            self.bound.tick()
            more = self.fh.read1(min(n, 1 << 20))
            if not more:
                raise EOFError("unexpected end of data")
            self.bound.pass_over(len(more))
            n -= len(more)

    def _extension(self, size: int) -> bytes:
        padded = _BLOCK * ((size + _BLOCK - 1) // _BLOCK)
        data = self._take(padded)
        if len(data) < padded:
            raise EOFError("unexpected end of data")
        return data

    def next(self) -> tuple[str, bool, int] | None:
        """The next member's (name, is a regular file, size); None at the end."""
        self.bound.start()
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
            self.size, self.taken = size, 0
            self.left = 0 if kind in _TAR_NO_DATA else _BLOCK * ((size + _BLOCK - 1) // _BLOCK)
            return name, kind in _TAR_REGULAR, size

    def data(self) -> bytes:
        """The current member's content (call once, right after :meth:`next`)."""
        want = self.size - self.taken
        data = self._take(want)
        if len(data) < want:
            raise EOFError("unexpected end of data")
        self.left -= want
        return data

    def drop(self) -> None:
        """Pass over the current member's content."""
        self._skip(self.left)
        self.left = 0

    def head(self, n: int) -> bytes:
        """The first ``n`` bytes of the current member's content, left to be passed over by
        :meth:`drop` (call right after :meth:`next`)."""
        data = self._take(min(n, self.size))
        if len(data) < min(n, self.size):
            raise EOFError("unexpected end of data")
        self.left -= len(data)
        self.taken = len(data)
        return data

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


class _Bound:
    """What the batch may spend reading one tar archive: bytes decompressed to pass over
    members it does not read, :data:`~akn_ep.limits.MAX_ARCHIVE_PASS_OVER` in all, and
    ``timeout`` seconds for each member (its header, data, or passing over it). Either
    exceeded raises an ``OSError`` naming it, which reports the rest of the archive as
    unread. An uncompressed archive (``fh`` seekable and not a decompressor) is passed over
    by seeking.

    Example:
        >>> import io
        >>> bound = _Bound(io.BytesIO(), limit=10)
        >>> bound.pass_over(6); bound.pass_over(6)
        Traceback (most recent call last):
        OSError: passing over the members not read would decompress more than 10 bytes of \
this archive (akn_ep.limits.MAX_ARCHIVE_PASS_OVER; set it higher to read such archives); the \
rest of it is not read
    """

    def __init__(self, fh: IO[bytes], limit: int | None = None,
                 timeout: float | None = None) -> None:
        if limit is None:
            limit = _limits.MAX_ARCHIVE_PASS_OVER  # as it is now: a caller may have raised it
        self.fh, self.left, self.limit, self.timeout = fh, limit, limit, timeout
        self.seekable = (not isinstance(fh, (gzip.GzipFile, bz2.BZ2File, lzma.LZMAFile))
                         and getattr(fh, "seekable", lambda: False)())
        self.end = fh.seek(0, 2) if self.seekable else 0
        if self.seekable:
            fh.seek(0)
        self.deadline = float("inf")

    def start(self) -> None:
        """A new member: its time starts."""
        if self.timeout is not None:
            self.deadline = time.monotonic() + self.timeout

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise OSError(f"reading one member took longer than the timeout of {self.timeout}"
                          " s (--timeout); the rest of the archive is not read")

    def seek(self, n: int) -> bool:
        """Pass over ``n`` bytes by seeking, when the archive is not compressed."""
        if not self.seekable:
            return False
        if self.fh.seek(n, 1) > self.end:  # as reading through would: the archive is cut
            raise EOFError("unexpected end of data")
        return True

    def pass_over(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise OSError(f"passing over the members not read would decompress more than "
                          f"{self.limit} bytes of this archive "
                          "(akn_ep.limits.MAX_ARCHIVE_PASS_OVER; set it higher to read such "
                          "archives); the rest of it is not read")


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


