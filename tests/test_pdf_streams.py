"""Bounded decoding of PDF streams (``akn_ep.pdf.streams``): the same bytes as pdfminer's
own decoding on every filter, chain, predictor and kind of damage; decompression bombs in
every filter and in every place pdfminer decodes (page content, the cross-reference
stream) refused in bounded time and memory.

The oracle for equality is pdfminer's ``PDFStream.decode`` (called with no budget active).
The streams are encoded here: zlib, ``base64.a85encode``, hex, a RunLength and an LZW
encoder written below from the PDF specification (7.4.4, 7.4.5), and checked by
pdfminer's decoders before they are used.
"""

from __future__ import annotations

import base64
import struct
import time
import tracemalloc
import zlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

import akn_ep
from akn_ep.pdf import extract_text, interpret, streams

TEXT = (b"BT /F1 12 Tf 72 720 Td (The European Parliament,) Tj ET\n"
        b"BT /F1 12 Tf 72 700 Td (- having regard to Rule 144 of its Rules of Procedure,) Tj ET\n")


# -- encoders ---------------------------------------------------------------------------------


def run_length(data: bytes) -> bytes:
    """RunLength: literal runs of up to 128 bytes, repeats of 3 or more as a repeat run."""
    out, i = bytearray(), 0
    while i < len(data):
        j = i
        while j < len(data) and j - i < 128 and data[j] == data[i]:
            j += 1
        if j - i >= 3:
            out += bytes((257 - (j - i), data[i]))
            i = j
            continue
        j = min(i + 128, len(data))
        out += bytes((j - i - 1,)) + data[i:j]
        i = j
    return bytes(out + b"\x80")


class _Bits:
    def __init__(self) -> None:
        self.out, self.acc, self.n = bytearray(), 0, 0

    def put(self, code: int, width: int) -> None:
        self.acc, self.n = (self.acc << width) | code, self.n + width
        while self.n >= 8:
            self.n -= 8
            self.out.append((self.acc >> self.n) & 0xFF)
        self.acc &= (1 << self.n) - 1

    def bytes(self) -> bytes:
        return bytes(self.out + (bytes(((self.acc << (8 - self.n)) & 0xFF,)) if self.n else b""))


def _width(table_size: int) -> int:
    """The code width the decoder reads at: early change, as PDF's LZW (and pdfminer) has it;
    ``table_size`` counts the encoder's entries including the codes 256 and 257."""
    return 9 if table_size < 512 else 10 if table_size < 1024 else 11 if table_size < 2048 else 12


def lzw(data: bytes) -> bytes:
    """LZWDecode's encoding (PDF 32000-1, 7.4.4): clear code, codes, end-of-data code."""
    bits = _Bits()
    table = {bytes((i,)): i for i in range(256)}
    size = 258
    bits.put(256, 9)
    w = b""
    for byte in data:
        wc = w + bytes((byte,))
        if wc in table:
            w = wc
            continue
        bits.put(table[w], _width(size))
        table[wc], size = size, size + 1
        if size == 4096:  # full: start again
            bits.put(256, 12)
            table, size = {bytes((i,)): i for i in range(256)}, 258
        w = bytes((byte,))
    if w:
        bits.put(table[w], _width(size))
        size += 1
    bits.put(257, _width(size))
    return bits.bytes()


def lzw_zeros(cycles: int) -> bytes:
    """An LZW bomb written as codes: after a clear code, 0 then 258, 259, …: each code
    names the previous string and one more zero, up to 4095; about 7.4 MB of zeros from
    5.6 kB a cycle."""
    bits = _Bits()
    for _ in range(cycles):
        bits.put(256, 9 if not bits.out else 12)
        bits.put(0, 9)
        table = 258  # the decoder's table after the first code
        for code in range(258, 4096):
            bits.put(code, 9 if table < 511 else 10 if table < 1023 else 11 if table < 2047 else 12)
            table += 1
    bits.put(257, 12)
    return bits.bytes()


def deflate_zeros(mib: int) -> bytes:
    packer = zlib.compressobj(9)
    return b"".join(packer.compress(bytes(1 << 20)) for _ in range(mib)) + packer.flush()


def stream(attrs: dict, raw: bytes) -> PDFStream:
    return PDFStream(dict(attrs), raw)


def pdfminer_decode(attrs: dict, raw: bytes) -> bytes:
    s = stream(attrs, raw)
    streams._ORIGINAL[0](s) if streams._ORIGINAL else s.decode()
    return s.data


def bounded_decode(attrs: dict, raw: bytes, limit: int = 1 << 30) -> tuple[bytes, bool]:
    s = stream(attrs, raw)
    with streams.bounded(limit) as budget:
        damaged = budget.damaged(s)
    return s.data, damaged


def test_encoders_are_read_back_by_pdfminer():
    from pdfminer.lzw import lzwdecode
    from pdfminer.runlength import rldecode

    samples = [TEXT, TEXT * 300, bytes(range(256)) * 40, b"\0" * 100_000, b"", b"a"]
    for data in samples:
        assert lzwdecode(lzw(data)) == data
        assert rldecode(run_length(data)) == data
    assert lzwdecode(lzw_zeros(2)) == b"\0" * (2 * sum(range(1, 3840)))


# -- the same bytes as pdfminer -------------------------------------------------------------

FL, LZ, A85, AHX, RL = (LIT("FlateDecode"), LIT("LZWDecode"), LIT("ASCII85Decode"),
                        LIT("ASCIIHexDecode"), LIT("RunLengthDecode"))
ENCODE = {FL: zlib.compress, LZ: lzw, A85: lambda d: base64.a85encode(d) + b"~>",
          AHX: lambda d: d.hex().encode() + b">", RL: run_length}


def encoded(data: bytes, chain: list) -> dict:
    """Stream attributes and raw bytes for ``data`` behind the filters of ``chain``."""
    raw = data
    for f in reversed(chain):
        raw = ENCODE[f](raw)
    return {"Filter": chain if len(chain) != 1 else chain[0]}, raw


CHAINS = [[], [FL], [LZ], [A85], [AHX], [RL], [A85, FL], [AHX, LZ], [FL, RL], [A85, FL, RL]]


@pytest.mark.parametrize("chain", CHAINS, ids=lambda c: "+".join(f.name for f in c) or "none")
def test_every_filter_and_chain_decodes_as_pdfminer_does(chain):
    for data in (TEXT, TEXT * 500, bytes(range(256)) * 20, b"\0" * 70_000):
        attrs, raw = encoded(data, chain)
        assert bounded_decode(attrs, raw) == (data, False)
        assert pdfminer_decode(attrs, raw) == data


def _png_rows(data: bytes, columns: int) -> bytes:
    """PNG predictor 'Up' (2) on each row: what a cross-reference stream usually holds."""
    rows = [data[i:i + columns] for i in range(0, len(data), columns)]
    out, prev = bytearray(), bytes(columns)
    for row in rows:
        out += b"\x02" + bytes((b - p) & 0xFF for b, p in zip(row, prev, strict=True))
        prev = row
    return bytes(out)


def test_predictors_are_applied_as_pdfminer_applies_them():
    rows = b"".join(struct.pack(">BIH", 1, 1000 + 37 * i, 0) for i in range(200))
    attrs = {"Filter": FL, "DecodeParms": {"Predictor": 12, "Columns": 7}}
    raw = zlib.compress(_png_rows(rows, 7))
    assert bounded_decode(attrs, raw)[0] == pdfminer_decode(attrs, raw) == rows
    tiff = {"Filter": FL, "DecodeParms": {"Predictor": 2, "Columns": 7, "Colors": 1}}
    raw = zlib.compress(rows)  # 200 rows of 7: decoded as differences along each row
    assert bounded_decode(tiff, raw)[0] == pdfminer_decode(tiff, raw) != rows


def _damaged(kind: str, packed: bytes) -> bytes:
    if kind == "cut short":
        return packed[: len(packed) // 2]
    if kind == "checksum":
        return packed[:-2] + bytes((packed[-2] ^ 0xFF,)) + packed[-1:]
    if kind == "middle":
        middle = len(packed) // 2
        return packed[:middle] + bytes((packed[middle] ^ 0x55,)) * 8 + packed[middle + 8:]
    return packed + b"trailing bytes after the end"


@pytest.mark.parametrize("kind", ["cut short", "checksum", "middle", "trailing"])
@pytest.mark.parametrize("size", [len(TEXT), 300_000])  # one piece, and many pieces of 64 kB
def test_damaged_flate_reads_as_pdfminer_reads_it(kind, size):
    data = (TEXT * (size // len(TEXT) + 1))[:size]
    raw = _damaged(kind, zlib.compress(data))
    decoded, damaged = bounded_decode({"Filter": FL}, raw)
    assert decoded == pdfminer_decode({"Filter": FL}, raw)
    assert damaged == (kind != "trailing")


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=3000), cut=st.integers(0, 4000), flips=st.lists(
    st.tuples(st.integers(0, 4000), st.integers(1, 255)), max_size=3))
def test_any_damage_to_a_flate_stream_reads_as_pdfminer_reads_it(data, cut, flips):
    raw = bytearray(zlib.compress(data))
    for at, mask in flips:
        if raw:
            raw[at % len(raw)] ^= mask
    raw = bytes(raw[: cut % (len(raw) + 1)] if cut < 4000 else raw)
    assert bounded_decode({"Filter": FL}, raw)[0] == pdfminer_decode({"Filter": FL}, raw)


def _a85_both(text: bytes, piece: int) -> tuple[object, object]:
    """pdfminer's ASCII85 decoding of ``text`` and ours in pieces of ``piece`` characters:
    the bytes, or the type of error raised."""
    from pdfminer.ascii85 import ascii85decode

    def run(decode):
        try:
            return decode(text)
        except ValueError as exc:
            return type(exc)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(streams, "_A85_CHARS", piece)
        ours = run(lambda t: streams._ascii85(t, streams.Budget(1 << 30), None)[0])
    return ours, run(ascii85decode)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300), zeros=st.lists(st.integers(0, 300), max_size=6),
       spaces=st.lists(st.tuples(st.integers(0, 500), st.sampled_from([b" ", b"\r\n", b"\t"])),
                       max_size=8),
       piece=st.sampled_from([5, 10, 35, 65_535]), markers=st.booleans())
def test_ascii85_in_pieces_reads_as_pdfminer_reads_it(data, zeros, spaces, piece, markers):
    for at in sorted(zeros, reverse=True):  # groups of four zeros: written as z
        data = data[:at] + bytes(4) + data[at:]
    text = base64.a85encode(data)
    for at, space in spaces:
        text = text[:at] + space + text[at:]
    if markers:
        text = b"<~" + text + b"~>"
    ours, theirs = _a85_both(text, piece)
    assert ours == theirs == data


@settings(max_examples=200, deadline=None)
@given(text=st.binary(max_size=120).map(lambda b: bytes(33 + x % 92 for x in b)),
       piece=st.sampled_from([5, 10, 35]))
def test_any_ascii85_text_reads_or_fails_as_in_pdfminer(text, piece):
    ours, theirs = _a85_both(text, piece)
    assert ours == theirs


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000) | st.lists(st.tuples(st.integers(0, 255), st.integers(
    1, 400)), max_size=20).map(lambda runs: b"".join(bytes((b,)) * n for b, n in runs)))
def test_run_length_reads_as_pdfminer_reads_it(data):
    raw = run_length(data)
    assert bounded_decode({"Filter": RL}, raw) == (data, False)
    assert pdfminer_decode({"Filter": RL}, raw) == data
    assert bounded_decode({"Filter": RL}, raw[:-1])[0] == data, "no end marker: the end"


def test_a_ccitt_bomb_is_refused_before_it_is_decoded():
    """CCITT G4 codes a white row that repeats the one above in one bit: 40 kB of them at
    100,000 columns would be 4 GB of rows; the bound (a row per bit) is checked first."""
    attrs = {"Filter": LIT("CCITTFaxDecode"), "DecodeParms": {"K": -1, "Columns": 100_000}}
    started = time.process_time()
    with pytest.raises(akn_ep.ParseError, match="decompression bomb"):
        bounded_decode(attrs, b"\xff" * 40_000, limit=LIMIT)
    assert time.process_time() - started < 5


def test_run_length_cut_short_keeps_what_it_holds_and_counts_as_damage():
    raw = run_length(b"abc" * 100)[:-40]
    decoded, damaged = bounded_decode({"Filter": RL}, raw)
    assert damaged and (b"abc" * 100).startswith(decoded) and len(decoded) > 200
    with pytest.raises(RuntimeError):  # pdfminer's own decoder
        pdfminer_decode({"Filter": RL}, raw)


def test_no_budget_no_change():
    """Outside :func:`streams.bounded` (other users of pdfminer) pdfminer decodes alone."""
    with streams.bounded(10):
        pass
    s = stream({"Filter": FL}, deflate_zeros(2))
    s.decode()
    assert len(s.data) == 2 << 20


# -- bombs ------------------------------------------------------------------------------------

BOMBS = {  # filter chain, raw bytes decoding to far more than the limit used below (8 MiB)
    "Flate": ([FL], lambda: deflate_zeros(40)),
    "LZW": ([LZ], lambda: lzw_zeros(3)),
    "RunLength": ([RL], lambda: b"\x81\x00" * (1 << 18) + b"\x80"),
    "ASCII85 then Flate": ([A85, FL], lambda: base64.a85encode(deflate_zeros(40)) + b"~>"),
}
LIMIT = 8 << 20


def _pdf(content: tuple[dict, bytes], xref: Callable[[bytes], bytes] | None = None,
         extra: bytes | None = None) -> bytes:
    """A one-page PDF written object by object: its content stream given as (attributes,
    raw bytes); ``extra``, the raw bytes of a Flate stream no page uses; with ``xref``, its
    cross-reference is a Flate stream (PDF 1.5) whose raw bytes ``xref`` makes from the
    entries."""
    def obj(attrs: dict, raw: bytes) -> bytes:
        filters = attrs["Filter"] if isinstance(attrs["Filter"], list) else [attrs["Filter"]]
        names = b" ".join(b"/" + f.name.encode() for f in filters)
        return (b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(raw), names) + raw
                + b"\nendstream")

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        obj(*content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if extra is not None:
        objects.append(obj({"Filter": FL}, extra))
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    at = len(out)
    n = len(objects) + 1
    if xref is None:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % n
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % n
    else:
        rows = b"".join([struct.pack(">BIH", 0, 0, 65535)]
                        + [struct.pack(">BIH", 1, o, 0) for o in offsets + [at]])
        raw = xref(rows)
        out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
                b"/Length %d >>\nstream\n" % (n, n, len(raw)) + raw + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def test_the_pdf_builder_makes_readable_pdfs():
    for chain in CHAINS[1:]:
        assert "The European Parliament," in extract_text(_pdf(encoded(TEXT, chain)))
    assert "The European Parliament," in extract_text(_pdf(encoded(TEXT, [FL]), xref=zlib.compress))
    assert "The European Parliament," in extract_text(
        _pdf(encoded(TEXT, [FL]), extra=zlib.compress(b"x" * 1000)))


@pytest.mark.parametrize("where", ["page content", "a stream no page uses"])
def test_a_flate_bomb_at_the_real_limit(where):
    """300 MiB of zeros in 300 kB, at the real limit (64 MiB): in a page, refused having
    held 64 kB at a time; in a stream nothing reads, never decoded (it was inflated, and
    the PDF refused, until 3 December)."""
    from akn_ep.limits import MAX_PDF_INFLATED

    assert 300 << 20 > MAX_PDF_INFLATED
    bomb = deflate_zeros(300)
    data = (_pdf(({"Filter": [FL]}, bomb)) if where == "page content"
            else _pdf(encoded(TEXT, [FL]), extra=bomb))
    assert len(data) < 400_000
    tracemalloc.start()
    started = time.process_time()
    try:
        if where == "page content":
            with pytest.raises(akn_ep.ParseError, match="refused as a decompression bomb"):
                akn_ep.parse_pdf(data)
        else:
            assert "The European Parliament," in extract_text(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak
    assert time.process_time() - started < 20  # the limit's worth of inflating: ~0.3 s here


def _refused(data: bytes, monkeypatch) -> tuple[int, float]:
    """Peak of Python allocations and CPU seconds of a refusal, at an 8 MiB limit."""
    monkeypatch.setattr(interpret, "MAX_PDF_INFLATED", LIMIT)
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(akn_ep.ParseError, match="refused as a decompression bomb"):
            akn_ep.parse_pdf(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, time.process_time() - started


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_bomb_in_a_page_is_refused_in_bounded_time_and_memory(name, monkeypatch):
    chain, make = BOMBS[name]
    raw = make()
    data = _pdf(({"Filter": chain}, raw))
    assert len(data) < 2_000_000
    peak, seconds = _refused(data, monkeypatch)
    # Flate is counted before it is kept: 64 kB at a time; the others are kept as they
    # decode, up to the limit (LZW's table as much again)
    assert peak < (4 << 20 if chain[-1] is FL else 3 * LIMIT), peak
    assert seconds < 20, seconds  # well under a second here; a wide margin for a busy machine


def test_a_bomb_in_the_cross_reference_stream_is_refused_before_any_page(monkeypatch):
    """pdfminer decodes the cross-reference stream as it opens the file, before any page:
    40 MiB of zeros behind the real entries (unbounded, 300 MiB of them in a 300 kB file
    took 640 MB)."""
    packer = zlib.compressobj(9)

    def bombed(rows: bytes) -> bytes:
        return packer.compress(rows) + b"".join(
            packer.compress(bytes(1 << 20)) for _ in range(40)) + packer.flush()

    data = _pdf(encoded(TEXT, [FL]), xref=bombed)
    assert len(data) < 100_000
    peak, _ = _refused(data, monkeypatch)
    assert peak < 4 << 20, peak


def test_a_flate_stream_with_bytes_after_its_end_reads():
    """A stream's /Length often counts an end of line after the compressed data. Until 3
    December such a stream hung the reader for ever when its last call to zlib hit the
    64 kB output bound (the bytes after the end stay in ``unconsumed_tail``)."""
    raw = zlib.compress(TEXT + b" " * 300_000) + b"\r\n"
    assert "The European Parliament," in extract_text(_pdf(({"Filter": FL}, raw)))

