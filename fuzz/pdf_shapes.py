"""Hostile PDF *structures*, built object by object (all constructed for this project).

Mutating a real PDF's bytes rarely gives a well-formed reference loop, a filter with
absurd parameters or a flood of operators: these are shapes an attacker writes on
purpose. This module writes them, for the tests (``tests/test_bounds.py``: one function
per known case) and for the structure-aware fuzzer (``fuzz/fuzz_parse_pdf.py``:
:func:`generate` composes them from the fuzzer's choices).

Every PDF has a catalog (object 1), a page tree (2), one page (3), a font (4) and a
content stream (5) unless a shape replaces them; ``page()`` writes such a PDF around the
content and extra objects given.

Example:
    >>> data = page(b"BT /F1 11 Tf 72 720 Td (The European Parliament,) Tj ET")
    >>> data[:8], data.rstrip().endswith(b"%%EOF")
    (b'%PDF-1.7', True)
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

__all__ = ["pdf", "stream", "page", "generate", "SHAPES", "TEXT"]

#: A line of text the reader finds on the page when a shape leaves the page readable.
TEXT = b"BT /F1 11 Tf 72 720 Td (The European Parliament,) Tj ET\n"

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(entries: bytes, data: bytes, length: bytes | int | None = None) -> bytes:
    """A stream object's body: ``<< entries /Length n >> stream … endstream``; ``length``
    (an int, or raw bytes such as ``b"5 0 R"``) replaces the true length."""
    declared = (b"%d" % len(data) if length is None else
                b"%d" % length if isinstance(length, int) else length)
    return (b"<< " + entries + b" /Length " + declared + b" >>\nstream\n" + data
            + b"\nendstream")


def pdf(objects: dict[int, bytes], *, root: int = 1, xref_stream: bytes | None = None) -> bytes:
    """A PDF holding ``objects`` (number → body) with a classic cross-reference table, or,
    given ``xref_stream`` (the stream's dictionary entries besides /Type, /W, /Root and
    /Length), a cross-reference stream whose rows are the real objects'."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    at = len(out)
    size = max(objects) + 1
    if xref_stream is None:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += (b"%010d 00000 n \n" % offsets[number] if number in offsets
                    else b"0000000000 65535 f \n")
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (size, root)
    else:
        rows = struct.pack(">BIH", 0, 0, 65535) + b"".join(
            struct.pack(">BIH", 1, offsets[n], 0) if n in offsets else
            struct.pack(">BIH", 0, 0, 0) for n in range(1, size))
        rows += struct.pack(">BIH", 1, at, 0)  # the xref stream itself, object `size`
        out += b"%d 0 obj\n" % size + stream(
            b"/Type /XRef /W [1 4 2] /Root %d 0 R " % root + xref_stream, rows) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def page(content: bytes, *, content_entries: bytes = b"", extra: dict[int, bytes] | None = None,
         resources: bytes = b"", length: bytes | int | None = None,
         xref_stream: bytes | None = None) -> bytes:
    """A one-page PDF whose page draws ``content`` (the raw bytes of object 5, with its
    filter entries in ``content_entries``), with ``extra`` objects (numbered from 6) and
    ``resources`` added to the page's resource dictionary."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
           b"/Resources << /Font << /F1 4 0 R >> " + resources + b" >> >>",
        4: _FONT,
        5: stream(content_entries, content, length),
    }
    objects.update(extra or {})
    return pdf(objects, xref_stream=xref_stream)


def _flate(data: bytes) -> bytes:
    return zlib.compress(data, 9)


# -- the shapes: each a function of a size/depth knob, giving a whole PDF -------------------

def ccitt_columns(columns: int = 100_000_000) -> bytes:
    """A CCITT fax page content of two bytes with ``columns`` pixels a row."""
    return page(b"\x00\x01", content_entries=b"/Filter /CCITTFaxDecode /DecodeParms << "
                b"/K -1 /Columns %d >>" % columns)


def contents_loop(_: int = 0) -> bytes:
    """``/Contents 5 0 R`` where object 5 is ``6 0 R`` and 6 is ``5 0 R``."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
                   b"/Resources << /Font << /F1 4 0 R >> >> >>",
                4: _FONT, 5: b"6 0 R", 6: b"5 0 R"})


def length_loop(_: int = 0) -> bytes:
    """A content stream whose ``/Length`` is a reference to the stream itself."""
    return page(TEXT, length=b"5 0 R")


def pages_loop(_: int = 0) -> bytes:
    """The catalog's ``/Pages`` is object 2, which is ``2 0 R``: itself."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"2 0 R",
                3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
                   b"/Resources << /Font << /F1 4 0 R >> >> >>",
                4: _FONT, 5: stream(b"", TEXT)})


def kids_loop(_: int = 0) -> bytes:
    """A page tree whose /Kids holds the tree itself and a page whose /Parent is itself."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                2: b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>",
                3: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
                   b"/Resources << /Font << /F1 4 0 R >> >> >>",
                4: _FONT, 5: stream(b"", TEXT)})


def sparse_xref(count: int = 2_000_000_000) -> bytes:
    """A cross-reference stream claiming ``count`` more objects (``/Index [0 7 7 count]``)
    and a catalog without ``/Pages``: pdfminer then scans every object for pages."""
    return pdf({1: b"<< /Type /Catalog >>",
                3: b"<< /Type /Page /MediaBox [0 0 595 842] /Contents 5 0 R "
                   b"/Resources << /Font << /F1 4 0 R >> >> >>",
                4: _FONT, 5: stream(b"", TEXT)},
               xref_stream=b"/Size %d /Index [0 7 7 %d]" % (7 + count, count))


def png_columns(columns: int = 1_000_000_000) -> bytes:
    """A page content of two bytes (deflated) with a PNG predictor of ``columns`` columns."""
    return page(_flate(b"\x00\x00"), content_entries=b"/Filter /FlateDecode /DecodeParms << "
                b"/Predictor 12 /Columns %d >>" % columns)


def form_doubling(depth: int = 25) -> bytes:
    """Form XObjects each drawing the next twice, ``depth`` levels: 2**depth draws."""
    extra = {}
    for level in range(depth):
        number = 6 + level
        body = (b"/X%d Do /X%d Do" % (level + 1, level + 1) if level + 1 < depth else TEXT)
        res = (b"/Resources << /XObject << /X%d %d 0 R >> /Font << /F1 4 0 R >> >>"
               % (level + 1, number + 1) if level + 1 < depth
               else b"/Resources << /Font << /F1 4 0 R >> >>")
        extra[number] = stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + res,
                               body)
    return page(b"/X0 Do", extra=extra, resources=b"/XObject << /X0 6 0 R >>")


def _flooded(unit: bytes, size: int, head: bytes = b"") -> bytes:
    """A page whose content is ``head`` and then ``unit`` repeated to about ``size`` bytes,
    deflated a megabyte at a time (never held whole)."""
    packer = zlib.compressobj(6)
    block = unit * max(1, (1 << 20) // len(unit))
    parts = [packer.compress(head)]
    parts += [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.compress(unit * ((size % len(block)) // len(unit))))
    parts.append(packer.flush())
    return page(b"".join(parts), content_entries=b"/Filter /FlateDecode")


def open_arrays(size: int = 20 << 20) -> bytes:
    """``size`` bytes of ``[`` that never close, deflated."""
    return _flooded(b"[", size, TEXT)


def open_dicts(size: int = 20 << 20) -> bytes:
    """``size`` bytes of ``<<`` that never close, deflated."""
    return _flooded(b"<<", size, TEXT)


def operands(size: int = 190 << 20) -> bytes:
    """``size`` bytes of numbers with no operator, deflated."""
    return _flooded(b"1 ", size, TEXT)


def shows(count: int = 4_000_000) -> bytes:
    """``count`` string-showing operators ``(a) Tj`` in one text object, deflated."""
    return _flooded(b"(a) Tj ", 7 * count, b"BT /F1 11 Tf 72 720 Td ")


def inline_image_then_paths(size: int = 20 << 20) -> bytes:
    """An inline image (BI … ID … EI) and then ``size`` bytes of path operators."""
    head = TEXT + b"q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q\n"
    return _flooded(b"10 10 m 20 20 l S\n", size, head)


def cmap_range(end: int = 0xFFFFFFFF) -> bytes:
    """A font whose ``/ToUnicode`` maps the codes 0 to ``end`` in one ``bfrange`` line."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange "
            b"1 beginbfrange <00000000> <%08X> <0041> endbfrange endcmap end end" % end)
    return page(TEXT, extra={6: stream(b"", cmap)}).replace(
        _FONT, _FONT[:-3] + b" /ToUnicode 6 0 R >>")


def wrong_length(delta: int = -20) -> bytes:
    """An unfiltered page content whose ``/Length`` is off by ``delta`` bytes."""
    return page(TEXT, length=len(TEXT) + delta)


#: name → (builder, the size/depth of the known case)
SHAPES: dict[str, tuple[Callable[[int], bytes], int]] = {
    "ccitt_columns": (ccitt_columns, 100_000_000),
    "contents_loop": (contents_loop, 0),
    "length_loop": (length_loop, 0),
    "pages_loop": (pages_loop, 0),
    "kids_loop": (kids_loop, 0),
    "sparse_xref": (sparse_xref, 2_000_000_000),
    "png_columns": (png_columns, 1_000_000_000),
    "form_doubling": (form_doubling, 25),
    "open_arrays": (open_arrays, 20 << 20),
    "open_dicts": (open_dicts, 20 << 20),
    "operands": (operands, 190 << 20),
    "shows": (shows, 4_000_000),
    "inline_image_then_paths": (inline_image_then_paths, 20 << 20),
    "wrong_length": (wrong_length, -20),
    "cmap_range": (cmap_range, 0xFFFFFFFF),
}

# -- random composition, for the fuzzer ----------------------------------------------------

_FILTERS = [b"/FlateDecode", b"/LZWDecode", b"/RunLengthDecode", b"/ASCII85Decode",
            b"/ASCIIHexDecode", b"/CCITTFaxDecode", b"/DCTDecode", b"/Crypt", b"/Nonsense"]
_PARAMS = [b"/Predictor", b"/Columns", b"/Colors", b"/BitsPerComponent", b"/K", b"/Rows",
           b"/EarlyChange", b"/EncodedByteAlign"]
_NUMBERS = [0, 1, 2, 8, 10, 12, 15, -1, 255, 1 << 16, 1 << 31, 100_000_000, 2_000_000_000]
_OPS = [b"q", b"Q", b"cm", b"BT", b"ET", b"Tf", b"Td", b"Tj", b"TJ", b"'", b'"', b"Do",
        b"m", b"l", b"re", b"S", b"f", b"BI", b"ID", b"EI", b"BDC", b"EMC", b"gs", b"sh"]
_OPERANDS = [b"1", b"-2.5", b"(a)", b"<41>", b"/F1", b"/X0", b"[", b"]", b"<<", b">>", b"[(a) 5]",
             b"true", b"null"]


def generate(pick: Callable[[int], int]) -> bytes:
    """A PDF composed from choices: ``pick(n)`` returns an int in ``[0, n)`` (the fuzzer's
    data, or a seeded random generator). It mixes references and their loops, filters and
    their parameters, nested forms and floods of operators and operands, all small.

    Example:
        >>> import random
        >>> rng = random.Random(1)
        >>> generate(lambda n: rng.randrange(n))[:8]
        b'%PDF-1.7'
    """
    def num() -> int:
        return _NUMBERS[pick(len(_NUMBERS))]

    def ref() -> bytes:
        return b"%d 0 R" % (1 + pick(12))

    def content() -> bytes:
        ops = []
        for _ in range(pick(40)):
            ops.extend(_OPERANDS[pick(len(_OPERANDS))] for _ in range(pick(4)))
            ops.append(_OPS[pick(len(_OPS))])
        body = TEXT + b" ".join(ops)
        if pick(4) == 0:  # a flood: one unit repeated
            unit = (_OPERANDS + _OPS)[pick(len(_OPERANDS) + len(_OPS))] + b" "
            body += unit * (1 << pick(18))
        return body

    def filtered(data: bytes) -> tuple[bytes, bytes]:
        choice = pick(4)
        if choice == 0:
            return b"", data
        entries = b"/Filter " + (_FILTERS[pick(len(_FILTERS))] if choice < 3 else b"/FlateDecode")
        if choice == 3:
            data = _flate(data)
        if pick(2):
            params = b" ".join(_PARAMS[pick(len(_PARAMS))] + b" %d" % num()
                               for _ in range(1 + pick(3)))
            entries += b" /DecodeParms << " + params + b" >>"
        return entries, data

    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>" if pick(8) else b"<< /Type /Catalog >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>" if pick(8) else ref(),
        4: _FONT,
    }
    depth = pick(6)
    xobjects = b"/XObject << /X0 6 0 R >>" if depth else b""
    objects[3] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
                  + (b"5 0 R" if pick(6) else ref())
                  + b" /Resources << /Font << /F1 4 0 R >> " + xobjects + b" >> >>")
    entries, data = filtered(content() + (b" /X0 Do" if depth else b""))
    objects[5] = stream(entries, data, None if pick(6) else (ref() if pick(2) else num()))
    for level in range(depth):  # forms, each drawing the next some times (or itself)
        target = level + 1 if pick(5) else level
        draws = b" ".join(b"/X%d Do" % target for _ in range(pick(4)))
        entries, data = filtered(content() + b" " + draws)
        objects[6 + level] = stream(
            b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + entries
            + b" /Resources << /Font << /F1 4 0 R >> /XObject << /X%d %d 0 R >> >>"
            % (target, 6 + target), data)
    if pick(4) == 0:  # a font's character map, its range possibly huge
        objects[19] = stream(b"", b"begincmap 1 beginbfrange <0000> <%04X> <0041> endbfrange "
                             b"endcmap" % min(num() & 0xFFFF, 0xFFFF)
                             if pick(2) else b"begincmap 1 beginbfrange <00000000> <%08X> "
                             b"<0041> endbfrange endcmap" % (num() & 0xFFFFFFFF))
        objects[4] = _FONT[:-3] + b" /ToUnicode 19 0 R >>"
    for _ in range(pick(3)):  # stray references, possibly to each other
        objects[20 + pick(4)] = ref()
    xref = None
    if pick(3) == 0:
        count = num()
        xref = b"/Size %d /Index [0 %d %d %d]" % (
            max(objects) + 2 + count, max(objects) + 2, max(objects) + 2, count)
    return pdf(objects, xref_stream=xref)


