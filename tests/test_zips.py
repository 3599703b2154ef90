"""akn_ep.zips — zip archives listed one entry at a time and read member by member —
against :mod:`zipfile` (the writer of every archive here, and the reader we must agree with),
on every compression and layout, in constant memory, and on damaged and hostile archives.

Member contents are short constructed lines, not EP texts.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akn_ep import zips
from akn_ep.batch import inputs

METHODS = {"stored": zipfile.ZIP_STORED, "deflated": zipfile.ZIP_DEFLATED,
           "bzip2": zipfile.ZIP_BZIP2, "lzma": zipfile.ZIP_LZMA}
TEXT = b"The European Parliament,\n- having regard to Rule 1,\n" * 20


def _entries_as_zipfile_sees_them(path: Path) -> list[tuple]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.file_size, i.compress_size, i.compress_type, i.CRC,
                 i.flag_bits, i.is_dir(), None if i.is_dir() else zf.read(i))
                for i in zf.infolist()]


def _entries_as_we_see_them(path: Path) -> list[tuple]:
    with open(path, "rb") as fh:
        return [(e.name, e.size, e.compressed, e.method, e.crc, e.flags, e.is_dir,
                 None if e.is_dir else zips.read_member(fh, e, 1 << 20))
                for e in zips.iter_entries(path)]


def _make_zip(path: Path, method: str = "deflated", *, zip64: bool = False,
              comment: bytes = b"") -> Path:
    with zipfile.ZipFile(path, "w", METHODS[method]) as zf:
        zf.comment = comment
        zf.writestr("texts/", "")
        for name, data in [("texts/a.txt", TEXT), ("texts/empty.txt", b""),
                           ("teksti/ģērbšanās-ΑΒΓ-абв.txt", "ņemot vērā\n".encode() * 30),
                           ("b.bin", bytes(range(256)) * 40)]:
            with zf.open(zipfile.ZipInfo(name), "w", force_zip64=zip64) as fh:
                fh.write(data)
    return path




# -- the same entries and contents as zipfile ---------------------------------------------


@pytest.mark.parametrize("zip64", [False, True], ids=["zip32", "zip64"])
@pytest.mark.parametrize("method", sorted(METHODS))
def test_reads_what_zipfile_reads(tmp_path: Path, method: str, zip64: bool):
    path = _make_zip(tmp_path / "a.zip", method, zip64=zip64, comment=b"archive comment")
    ours = _entries_as_we_see_them(path)
    assert ours == _entries_as_zipfile_sees_them(path)
    assert [e[0] for e in ours] == ["texts/", "texts/a.txt", "texts/empty.txt",
                                    "teksti/ģērbšanās-ΑΒΓ-абв.txt", "b.bin"]
    assert ours[1][-1] == TEXT


def test_code_page_437_names_as_zipfile_reads_them(tmp_path: Path):
    # without the UTF-8 flag a name is code page 437: byte 0x82 is "é"
    path = tmp_path / "old.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("cafX.txt", b"x")
    path.write_bytes(path.read_bytes().replace(b"cafX", b"caf\x82"))
    assert [e.name for e in zips.iter_entries(path)] == ["café.txt"]
    assert _entries_as_we_see_them(path) == _entries_as_zipfile_sees_them(path)


def test_a_name_that_is_not_the_utf8_it_claims_keeps_the_member(tmp_path: Path):
    path = tmp_path / "badname.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("é-1.txt", b"one")  # non-ASCII: written with the UTF-8 flag
        zf.writestr("b.txt", b"two")
    path.write_bytes(path.read_bytes().replace("é-1".encode(), b"\xff\xfe-1"))
    with pytest.raises(UnicodeDecodeError):
        zipfile.ZipFile(path)  # zipfile loses the whole archive
    names = [e.name for e in zips.iter_entries(path)]
    assert names == ["\ufffd\ufffd-1.txt", "b.txt"]
    items = list(inputs._zip_scan(str(path), ("badname.zip",), None, 1 << 20))
    assert [item[1] for item in items] == names


def test_self_extracting_archive_with_data_before_it(tmp_path: Path):
    plain = _make_zip(tmp_path / "plain.zip")
    path = tmp_path / "sfx.zip"
    path.write_bytes(b"#!/bin/sh\necho a self-extractor\nexit 0\n" * 30 + plain.read_bytes())
    assert _entries_as_we_see_them(path) == _entries_as_zipfile_sees_them(path)


def test_more_members_than_a_zip32_directory_holds_in_constant_memory(tmp_path: Path):
    # 66,000 members need the ZIP64 end records; listing them must not hold them all
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(66_000):
            zf.writestr(f"d/{i:05d}.txt", b"x")
    tracemalloc.start()
    try:
        count = sum(1 for _ in zips.iter_entries(path))
        ours = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        with zipfile.ZipFile(path) as zf:
            assert len(zf.infolist()) == count == 66_000
            theirs = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ours < 1 << 20, ours  # one piece of the directory, one entry at a time
    assert theirs > 20 * ours, (ours, theirs)  # what zipfile holds for the same listing
    *_, last = zips.iter_entries(path)
    assert last.name == "d/65999.txt"
    with open(path, "rb") as fh:
        assert zips.read_member(fh, last, 10) == b"x"


def test_batch_lists_a_big_zip_in_flat_memory(tmp_path: Path):
    """``akn-ep batch`` lists zip members as it goes: 3,000 members cost no more memory
    than 300 (with zipfile, the listing alone held every member's entry)."""
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(3000):
            zf.writestr(f"d/{i:05d}.txt", TEXT)
    tracemalloc.start()
    try:
        held = []
        for n, inp in enumerate(inputs.iter_inputs([path]), 1):
            assert inp.data == TEXT
            if n in (300, 3000):
                held.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    assert held[1] - held[0] < 100_000, held


# -- damaged and hostile archives --------------------------------------------------------


def _local_header_offsets(data: bytes) -> list[int]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [i.header_offset for i in zf.infolist()]


def _central_offsets(data: bytes) -> list[int]:
    out, at = [], data.find(b"PK\x01\x02")
    while at >= 0:
        out.append(at)
        at = data.find(b"PK\x01\x02", at + 1)
    return out


def _one_member(tmp_path: Path, method: str = "stored") -> bytearray:
    with zipfile.ZipFile(tmp_path / "one.zip", "w", METHODS[method]) as zf:
        zf.writestr("a.txt", TEXT)
    return bytearray((tmp_path / "one.zip").read_bytes())


def _read_only_member(path: Path) -> bytes:
    with open(path, "rb") as fh:
        [entry] = zips.iter_entries(path)
        return zips.read_member(fh, entry, 1 << 20)


def _patch_central(data: bytearray, field: str, value: int) -> None:
    offsets = {"flags": (8, "<H"), "method": (10, "<H"), "crc": (16, "<L"),
               "compressed": (20, "<L"), "size": (24, "<L")}
    start, fmt = offsets[field]
    for at in _central_offsets(bytes(data)):
        struct.pack_into(fmt, data, at + start, value)


@pytest.mark.parametrize(("case", "message"), [
    ("a data byte changed", "Bad CRC-32"),
    ("declared size smaller than the data", "holds more"),
    ("declared size larger than the data", "where its header declares"),
    ("encrypted", "encrypted"),
    ("unknown compression method", "compression method 99 is not supported"),
    ("declared compressed size of 4 GB", "does not fit"),
    ("local header overwritten", "Bad magic number for file header"),
])
def test_damaged_member_is_refused_with_a_reason(tmp_path: Path, case: str, message: str):
    data = _one_member(tmp_path, "deflated" if "data byte" not in case else "stored")
    member_at = _local_header_offsets(bytes(data))[0]
    if case == "a data byte changed":
        data[member_at + 30 + len("a.txt") + 5] ^= 0x01
    elif case == "declared size smaller than the data":
        _patch_central(data, "size", len(TEXT) - 10)
    elif case == "declared size larger than the data":
        _patch_central(data, "size", len(TEXT) + 10)
    elif case == "encrypted":
        _patch_central(data, "flags", 0x1)
    elif case == "unknown compression method":
        _patch_central(data, "method", 99)
    elif case == "declared compressed size of 4 GB":
        _patch_central(data, "compressed", 0xFFFFFFF0)
    else:
        data[member_at:member_at + 4] = b"XXXX"
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    tracemalloc.start()
    try:
        with pytest.raises(zips.ZipError, match=message):
            _read_only_member(path)
        assert tracemalloc.get_traced_memory()[1] < 4 << 20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("cut", "message"), [
    ("end record", "not a zip file"),
    ("central directory", "central directory"),
])
def test_damaged_directory_is_refused(tmp_path: Path, cut: str, message: str):
    data = bytearray(_make_zip(tmp_path / "a.zip").read_bytes())
    if cut == "end record":
        at = data.rfind(b"PK\x05\x06")
        data[at:at + 4] = b"XXXX"
    else:
        second = _central_offsets(bytes(data))[1]
        data[second:second + 4] = b"XXXX"
    path = tmp_path / "bad.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(zips.ZipError, match=f"(?i){message}"):
        list(zips.iter_entries(path))
    # the batch reports it, with the members read before the damage
    items = list(inputs._zip_scan(str(path), ("bad.zip",), None, 1 << 20))
    assert items[-1][3] == "error" and items[-1][4][1] == "archive"
    assert all(item[3] == "zip" for item in items[:-1])


def test_lzma_member_asking_for_a_4_gib_dictionary_gets_no_more_than_its_size(tmp_path: Path):
    # found by the corrupted-archive test: the dictionary size sits in the member's LZMA
    # properties, and liblzma allocates what it says before decoding a byte
    data = _one_member(tmp_path, "lzma")
    start = _local_header_offsets(bytes(data))[0] + 30 + len("a.txt")
    struct.pack_into("<L", data, start + 4 + 1, 0xFFFFFFFF)  # header, lc/lp/pb, dict size
    path = tmp_path / "dict.zip"
    path.write_bytes(bytes(data))
    tracemalloc.start()
    try:
        assert _read_only_member(path) == TEXT  # still the same data
        assert tracemalloc.get_traced_memory()[1] < 4 << 20
    finally:
        tracemalloc.stop()


def test_end_record_claiming_a_million_members_is_refused_quickly(tmp_path: Path, within):
    data = bytearray(_make_zip(tmp_path / "a.zip").read_bytes())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<2H", data, at + 8, 0xFFFF, 0xFFFF)  # members on this disk, in all
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    with within(5), pytest.raises(zips.ZipError):
        list(zips.iter_entries(path))


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), min_size=1,
                max_size=8),
       st.sampled_from(sorted(METHODS)))
def test_corrupted_zip_never_raises_anything_else_nor_hangs(tmp_path: Path, within, changes,
                                                            method):
    data = bytearray(_make_zip(tmp_path / "src.zip", method).read_bytes())
    for where, value in changes:
        data[where % len(data)] = value
    path = tmp_path / "mutated.zip"
    path.write_bytes(bytes(data))
    tracemalloc.start()
    try:
        with within(10), open(path, "rb") as fh:
            try:
                for entry in zips.iter_entries(path):
                    try:
                        zips.read_member(fh, entry, 1 << 20)
                    except zips.ZipError:
                        pass
            except zips.ZipError:
                pass
        assert tracemalloc.get_traced_memory()[1] < 16 << 20
    finally:
        tracemalloc.stop()
