"""Zip archives read one entry at a time, in constant memory.

:mod:`zipfile` reads a whole central directory into memory when it opens an archive (about
650 bytes and 15 µs per member: 130 MB and 3 s for 200,000 members), and every process that
opens the archive pays it again. A batch over an archive of a few hundred thousand
resolutions would then hold gigabytes before converting anything. Here the central directory
is read as a stream, one :class:`ZipEntry` at a time, and a member is read on its own by the
entry that describes it, so listing costs the same memory for ten members as for a million,
and a worker given an entry reads its member without listing the archive.

Handled: stored, deflated, bzip2 and LZMA members; ZIP64 (more than 65,535 members, members
and archives over 4 GB); data prepended to the archive (self-extracting archives); names in
UTF-8 (flag bit 11) or code page 437, as :mod:`zipfile` reads them. Encrypted members are
listed (``encrypted`` is True) but not read. Anything malformed raises :class:`ZipError`.

Example:
    >>> import tempfile, zipfile
    >>> path = tempfile.mkdtemp() + "/a.zip"
    >>> with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("texts/a.txt", "The European Parliament,\\n" * 3)
    >>> [entry] = iter_entries(path)
    >>> entry.name, entry.size
    ('texts/a.txt', 75)
    >>> with open(path, "rb") as fh:
    ...     read_member(fh, entry, max_bytes=1000)[:24]
    b'The European Parliament,'
"""

from __future__ import annotations

import bz2
import lzma
import os
import stat
import struct
import zlib
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

__all__ = ["ZipEntry", "ZipError", "iter_entries", "read_member"]

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4H3L5H2L")  # central directory file header
_LOCAL = struct.Struct("<4s2B4H3L2H")  # local file header

_MAX_COMMENT = 0xFFFF
_FLAG_ENCRYPTED = 0x1
_FLAG_UTF8 = 0x800
_STORED, _DEFLATED, _BZIP2, _LZMA = 0, 8, 12, 14
_READ = 1 << 16  # central directory read in pieces of this size


class ZipError(ValueError):
    """The archive, or one member of it, is not a zip this module can read."""


class ZipEntry(NamedTuple):
    """One member as the central directory describes it (enough to read it alone)."""

    name: str
    size: int  # uncompressed, as declared
    compressed: int
    method: int
    crc: int
    flags: int
    offset: int  # of the local header, from the start of the file
    external: int = 0  # external attributes: a Unix mode in the high 16 bits

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")

    @property
    def is_symlink(self) -> bool:
        """A symbolic link (its data is the target's path), by the Unix mode the archiver
        recorded, as ``unzip`` restores it."""
        return stat.S_ISLNK(self.external >> 16)

    @property
    def encrypted(self) -> bool:
        return bool(self.flags & _FLAG_ENCRYPTED)


def _end_records(fh: IO[bytes]) -> tuple[int, int, int, int]:
    """(members, where the central directory starts in the file, its size, bytes before
    the archive proper), from the end records."""
    fh.seek(0, os.SEEK_END)
    file_size = fh.tell()
    tail_size = min(file_size, _EOCD.size + _MAX_COMMENT + _EOCD64_LOCATOR.size)
    fh.seek(file_size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    while at >= 0 and at + _EOCD.size > len(tail):
        at = tail.rfind(b"PK\x05\x06", 0, at)
    if at < 0:
        raise ZipError("File is not a zip file")
    _, disk, cd_disk, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
    eocd_pos = file_size - tail_size + at
    if disk or cd_disk:
        raise ZipError("zipfiles that span multiple disks are not supported")
    end = eocd_pos  # where the central directory (and any ZIP64 records) end
    locator_at = at - _EOCD64_LOCATOR.size
    if locator_at >= 0 and tail[locator_at:locator_at + 4] == b"PK\x06\x07":
        _, _, eocd64_offset, disks = _EOCD64_LOCATOR.unpack_from(tail, locator_at)
        if disks > 1:
            raise ZipError("zipfiles that span multiple disks are not supported")
        eocd64_pos = eocd_pos - _EOCD64_LOCATOR.size - _EOCD64.size
        if eocd64_pos < 0:
            raise ZipError("Corrupt ZIP64 end of central directory")
        fh.seek(eocd64_pos)
        record = fh.read(_EOCD64.size)
        if len(record) != _EOCD64.size or record[:4] != b"PK\x06\x06":
            raise ZipError("Corrupt ZIP64 end of central directory")
        (_, _, _, _, disk, cd_disk, _, count, cd_size, cd_offset) = _EOCD64.unpack(record)
        if disk or cd_disk:
            raise ZipError("zipfiles that span multiple disks are not supported")
        end = eocd64_pos
    # data before the archive (a self-extractor's program) shifts every offset, as in zipfile
    prepended = end - cd_size - cd_offset
    if prepended < 0:
        raise ZipError("Bad offset for central directory")
    return count, cd_offset + prepended, cd_size, prepended


def _zip64_fields(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """The 64-bit values of the ZIP64 extra field, for those the header marks 0xFFFFFFFF."""
    pos = 0
    while pos + 4 <= len(extra):
        kind, length = struct.unpack_from("<2H", extra, pos)
        if kind == 0x0001:
            field = extra[pos + 4:pos + 4 + length]
            values = [v for (v,) in struct.iter_unpack("<Q", field[: len(field) // 8 * 8])]
            try:
                if size == 0xFFFFFFFF:
                    size = values.pop(0)
                if compressed == 0xFFFFFFFF:
                    compressed = values.pop(0)
                if offset == 0xFFFFFFFF:
                    offset = values.pop(0)
            except IndexError:
                raise ZipError("Corrupt extra field 0001 (ZIP64)") from None
            break
        pos += 4 + length
    return size, compressed, offset


def iter_entries(path: str | os.PathLike[str]) -> Iterator[ZipEntry]:
    """The members of the zip archive at ``path``, in central-directory order (the order
    :meth:`zipfile.ZipFile.infolist` gives), one at a time; raises :class:`ZipError` (or
    ``OSError``) where the archive is not readable — possibly after some entries.

    Example:
        >>> import tempfile, zipfile
        >>> path = tempfile.mkdtemp() + "/b.zip"
        >>> with zipfile.ZipFile(path, "w") as z:
        ...     z.writestr("x/", "")
        ...     z.writestr("x/é.txt", "é")
        >>> [(e.name, e.is_dir, e.size) for e in iter_entries(path)]
        [('x/', True, 0), ('x/é.txt', False, 2)]
    """
    with open(path, "rb") as fh:
        count, start, cd_size, prepended = _end_records(fh)
        fh.seek(start)
        buf = b""
        pos = 0
        left = cd_size  # central directory bytes not read into buf yet

        def have(n: int) -> bool:
            nonlocal buf, pos, left
            while len(buf) - pos < n and left > 0:
                more = fh.read(min(max(_READ, n), left))
                if not more:
                    raise ZipError("Truncated central directory")
                left -= len(more)
                buf = buf[pos:] + more
                pos = 0
            return len(buf) - pos >= n

        for _ in range(count):
            if not have(_CENTRAL.size):
                raise ZipError("Truncated central directory")
            (sig, _, _, _, _, flags, method, _, _, crc, compressed, size, name_len, extra_len,
             comment_len, _, _, external, offset) = _CENTRAL.unpack_from(buf, pos)
            if sig != b"PK\x01\x02":
                raise ZipError("Bad magic number for central directory")
            variable = name_len + extra_len + comment_len
            if not have(_CENTRAL.size + variable):
                raise ZipError("Truncated central directory")
            name_at = pos + _CENTRAL.size
            raw = buf[name_at:name_at + name_len]
            extra = buf[name_at + name_len:name_at + name_len + extra_len]
            pos = name_at + variable
            size, compressed, offset = _zip64_fields(extra, size, compressed, offset)
            # a name that is not the UTF-8 its flag claims is shown with U+FFFD where it is
            # broken (zipfile raises, losing the archive's other members)
            name = raw.decode("utf-8" if flags & _FLAG_UTF8 else "cp437", "replace")
            name = name.split("\x00", 1)[0]  # as zipfile: a NUL ends the name
            yield ZipEntry(name, size, compressed, method, crc, flags, offset + prepended,
                           external)


def read_member(fh: IO[bytes], entry: ZipEntry, max_bytes: int, head: int | None = None) -> bytes:
    """The content of ``entry``, read from the open archive ``fh`` by random access and
    checked against its declared size and CRC; :class:`ZipError` when it is encrypted, too
    large (declared or found over ``max_bytes``), damaged or compressed by a method other
    than stored, deflate, bzip2 or LZMA. With ``head``, only its first ``head`` bytes
    (at most), unchecked: reading and inflating stop there (to tell what it is before
    inflating it all).

    Example:
        >>> import io, tempfile, zipfile
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_BZIP2) as z:
        ...     z.writestr("a.txt", "abc" * 100)
        >>> path = tempfile.mkdtemp() + "/c.zip"
        >>> _ = open(path, "wb").write(buf.getvalue())
        >>> [entry] = iter_entries(path)
        >>> with open(path, "rb") as fh:
        ...     len(read_member(fh, entry, max_bytes=300))
        300
    """
    if entry.encrypted:
        raise ZipError("encrypted archive member")
    if head is not None:
        return _head(fh, entry, head)
    if entry.size > max_bytes:
        raise ZipError(f"too large: {entry.size} bytes (limit {max_bytes})")
    _seek_data(fh, entry)
    # compressed data is at most a little larger than the data (stored blocks' headers)
    if entry.compressed > entry.size + (entry.size >> 4) + (1 << 16):
        raise ZipError(f"compressed size {entry.compressed} does not fit the declared "
                       f"size {entry.size}")
    packed = fh.read(entry.compressed)
    if len(packed) != entry.compressed:
        raise ZipError("Truncated file: the member's data ends early")
    want = entry.size + 1  # one byte more than declared shows a lie without inflating it all
    if entry.method == _STORED:
        data = packed
    elif entry.method == _DEFLATED:
        data = _inflate(zlib.decompressobj(-15), packed, want)
    elif entry.method == _BZIP2:
        data = _inflate(bz2.BZ2Decompressor(), packed, want)
    elif entry.method == _LZMA:
        data = _inflate(_lzma_decompressor(packed, entry.size),
                        packed[4 + _lzma_props_size(packed):], want)
    else:
        raise ZipError(f"compression method {entry.method} is not supported")
    if len(data) != entry.size:
        raise ZipError(f"the member holds {'more' if len(data) > entry.size else len(data)}"
                       f" bytes where its header declares {entry.size}")
    if zlib.crc32(data) != entry.crc:
        raise ZipError(f"Bad CRC-32 for file {entry.name!r}")
    return data


def _seek_data(fh: IO[bytes], entry: ZipEntry) -> None:
    """Move ``fh`` past the member's local header to its compressed data (the header's
    name and extra field are skipped by their own lengths, which may differ from the
    central directory's)."""
    fh.seek(entry.offset)
    header = fh.read(_LOCAL.size)
    if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
        raise ZipError("Bad magic number for file header")
    name_len, extra_len = _LOCAL.unpack(header)[-2:]
    fh.seek(name_len + extra_len, os.SEEK_CUR)


def _head(fh: IO[bytes], entry: ZipEntry, size: int) -> bytes:
    """The first ``size`` bytes of a member, reading its compressed data in pieces only
    until they are inflated."""
    _seek_data(fh, entry)
    left = entry.compressed
    if entry.method == _STORED:
        return fh.read(min(size, left))
    if entry.method == _DEFLATED:
        decompressor: Any = zlib.decompressobj(-15)
    elif entry.method == _BZIP2:
        decompressor = bz2.BZ2Decompressor()
    else:  # LZMA and others: read whole, as small as the limit allows
        return read_member(fh, entry, entry.size)[:size]
    out = b""
    while left > 0 and len(out) < size:
        piece = fh.read(min(left, 1 << 16))
        if not piece:
            break
        left -= len(piece)
        out += _inflate(decompressor, piece, size - len(out))
    return out


def _inflate(decompressor: object, packed: bytes, limit: int) -> bytes:
    try:
        return decompressor.decompress(packed, limit)  # type: ignore[attr-defined]
    except (zlib.error, OSError, EOFError, lzma.LZMAError) as exc:
        raise ZipError(f"damaged compressed data: {exc}") from None


def _lzma_props_size(packed: bytes) -> int:
    if len(packed) < 4:
        raise ZipError("damaged LZMA header")
    return struct.unpack_from("<H", packed, 2)[0]


def _lzma_decompressor(packed: bytes, size: int) -> lzma.LZMADecompressor:
    """LZMA as zip stores it: a 4-byte header (version, size of the properties), then the
    5 properties bytes of LZMA1 (lc/lp/pb in one byte, the dictionary size), then raw data.

    The dictionary is allocated at the size the header asks for (up to 4 GiB): no more than
    the member's declared ``size`` is given, since no match can reach further back than
    the data is long."""
    props_size = _lzma_props_size(packed)
    props = packed[4:4 + props_size]
    if props_size != 5 or len(props) != 5:
        raise ZipError("damaged LZMA properties")
    lclppb, dict_size = props[0], struct.unpack_from("<L", props, 1)[0]
    pb, rest = divmod(lclppb, 45)
    lp, lc = divmod(rest, 9)
    if pb > 4 or lp > 4 or lc > 8:
        raise ZipError("damaged LZMA properties")
    dict_size = min(dict_size, max(size, 1 << 12))  # liblzma's smallest is 4 KiB
    lzma_filter = {"id": lzma.FILTER_LZMA1, "dict_size": dict_size, "lc": lc, "lp": lp,
                   "pb": pb}
    try:
        return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[lzma_filter])
    except lzma.LZMAError as exc:
        raise ZipError(f"damaged LZMA properties: {exc}") from None
