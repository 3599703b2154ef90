"""PDF streams decoded within a budget: no filter of a hostile PDF can blow up memory.

pdfminer decodes each filter of a stream in one call, without a bound. Flate (a thousand
times), LZW (1,360 times for a run of zeros), RunLength (64 times), ASCII85 (``z``: 4
times) and CCITT fax (a row for each bit) all expand, and filters chain
(``[/ASCII85Decode /FlateDecode]``), so a PDF of a few hundred kilobytes can ask for
gigabytes — in a page, a font, an object stream or the cross-reference stream that
pdfminer reads as it opens the file.

While :func:`bounded` is active, every stream pdfminer decodes is decoded here instead:
each filter in bounded pieces, every byte any filter puts out counted against one budget
for the document, and a :class:`~akn_ep.errors.ParseError` as soon as the budget is spent.
Flate is counted in pieces and thrown away before it is inflated for good, so its bombs
are refused having held 64 kB at a time; LZW and RunLength keep what they decode (up to
the budget). Streams nobody reads (images: the reader only counts them) are never
decoded. Results are those of pdfminer's own decoding — including its reading of a
damaged Flate stream — and :meth:`Budget.damaged` says which streams did not decode to
their end.

pdfminer has no hook for this, so ``PDFStream.decode`` is replaced, once, by a function
that calls the original whenever no budget is active (in other threads, and for other
users of pdfminer in the process): a context variable holds the budget.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import zlib
from collections.abc import Iterator
from typing import Any, NoReturn

from .. import limits as _limits
from ..errors import ParseError

_PIECE = 1 << 16
_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("akn_ep_pdf_budget",
                                                                        default=None)


def refusal(message: str) -> ParseError:
    """The error that refuses a PDF whose reading would pass a bound of
    :mod:`akn_ep.limits` (here, and in the content tokenizer).

    Example:
        >>> refusal("the PDF's content holds too much").expected
        'a PDF of a resolution'
    """
    return ParseError(message, expected="a PDF of a resolution")


class Budget:
    """What the streams of one PDF may still decode to, and which of them were damaged.

    Example:
        >>> budget = Budget(1000)
        >>> budget.charge(600, None); budget.left
        400
        >>> budget.charge(600, 7)
        Traceback (most recent call last):
        akn_ep.errors.ParseError: the PDF's compressed streams inflate to more than 1000 bytes \
in all (akn_ep.limits.MAX_PDF_INFLATED; reached in stream object 7): refused as a \
decompression bomb (expected: a PDF of a resolution)
    """

    def __init__(self, limit: int, lookups: int | None = None,
                 operators: int | None = None) -> None:
        # the limits as they are now (a caller may have raised them), not at import
        lookups = _limits.MAX_PDF_LOOKUPS if lookups is None else lookups
        operators = _limits.MAX_PDF_OPERATORS if operators is None else operators
        self.limit = self.left = limit
        self.refused: ParseError | None = None  # kept: pdfminer may catch what is raised
        self.damaged_streams = 0
        self.lookups_limit = self.lookups_left = lookups
        self.operators_limit = self.operators_left = operators
        self.cmap_limit = self.cmap_left = _limits.MAX_PDF_CMAP_ENTRIES
        self.loading: set[int] = set()  # objects being read now (a reference to one: a loop)

    def refuse(self, message: str) -> NoReturn:
        """Refuse the PDF (the first refusal stands: pdfminer may catch what is raised)."""
        if self.refused is None:
            self.refused = refusal(message)
        raise self.refused

    def look_up(self, objid: object) -> None:
        """Count one look-up of an object by number; ParseError past
        :data:`~akn_ep.limits.MAX_PDF_LOOKUPS`.

        Example:
            >>> budget = Budget(1000, lookups=2)
            >>> budget.look_up(6); budget.look_up(7); budget.look_up(6)
            Traceback (most recent call last):
            akn_ep.errors.ParseError: the PDF asks for more than 2 look-ups of its objects \
(akn_ep.limits.MAX_PDF_LOOKUPS; set it higher to read such a PDF; the last was object 6): \
a reference loop, or a \
cross-reference claiming far more objects than the file holds (expected: a PDF of a resolution)
        """
        self.lookups_left -= 1
        if self.lookups_left < 0 or self.refused is not None:
            self.refuse(f"the PDF asks for more than {self.lookups_limit} look-ups of its "
                        "objects (akn_ep.limits.MAX_PDF_LOOKUPS; set it higher to read such a "
                        f"PDF; the last was object {objid})"
                        ": a reference loop, or a cross-reference claiming far more objects "
                        "than the file holds")

    def map_entry(self) -> None:
        """Count one entry a character map (CMap) defines; ParseError past
        :data:`~akn_ep.limits.MAX_PDF_CMAP_ENTRIES`."""
        self.cmap_left -= 1
        if self.cmap_left < 0 or self.refused is not None:
            self.refuse(f"the PDF's character maps (CMaps) define more than {self.cmap_limit} "
                        "entries (akn_ep.limits.MAX_PDF_CMAP_ENTRIES; set it higher to read "
                        "such a PDF): a range of codes no font has")

    def interpret(self, operators: int) -> None:
        """Count ``operators`` more operators interpreted; ParseError past
        :data:`~akn_ep.limits.MAX_PDF_OPERATORS`.

        Example:
            >>> budget = Budget(1000, operators=100)
            >>> budget.interpret(60); budget.operators_left
            40
        """
        self.operators_left -= operators
        if self.operators_left < 0 or self.refused is not None:
            self.refuse(f"the PDF's content asks for more than {self.operators_limit} "
                        "operators to be interpreted (akn_ep.limits.MAX_PDF_OPERATORS; set it "
                        "higher to read such a PDF), form "
                        "XObjects counted each time they are drawn: forms that draw each other "
                        "over and over, or a flood of operators")

    def charge(self, size: int, objid: int | None) -> None:
        """Count ``size`` more decoded bytes; ParseError once past the limit."""
        self.left -= size
        if self.left < 0 and self.refused is None:
            limit = (f"{self.limit >> 20} MiB" if self.limit >= 1 << 20
                     else f"{self.limit} bytes")
            where = (f"stream object {objid}" if objid is not None
                     else "a cross-reference or object stream")
            self.refuse(
                f"the PDF's compressed streams inflate to more than {limit} in all "
                f"(akn_ep.limits.MAX_PDF_INFLATED; reached in {where}): refused as a "
                "decompression bomb")
        if self.refused is not None:
            raise self.refused

    def damaged(self, stream: Any) -> bool:
        """Whether ``stream`` (decoded now if it was not yet) failed to decode to its end:
        pdfminer then reads only part of it, or nothing."""
        stream.get_data()
        return getattr(stream, "akn_ep_damaged", False)

    def __repr__(self) -> str:
        return (f"<Budget: {self.left} of {self.limit} bytes left, "
                f"{self.damaged_streams} streams damaged>")


@contextlib.contextmanager
def bounded(limit: int) -> Iterator[Budget]:
    """Decode every stream pdfminer reads in this block within ``limit`` bytes in all.

    Example:
        >>> from pdfminer.pdftypes import PDFStream
        >>> from pdfminer.psparser import LIT
        >>> packed = zlib.compress(b" " * 5000)
        >>> with bounded(10_000) as budget:
        ...     len(PDFStream({"Filter": LIT("FlateDecode")}, packed).get_data()), budget.left
        (5000, 5000)
    """
    _install()
    budget = Budget(limit)
    token = _BUDGET.set(budget)
    try:
        yield budget
    except Exception:
        if budget.refused is not None:  # the refusal, not what pdfminer made of it
            raise budget.refused from None
        raise
    finally:
        _BUDGET.reset(token)
    if budget.refused is not None:  # raised inside pdfminer, and caught there
        raise budget.refused


_ORIGINAL: list[Any] = []


def _install() -> None:
    if _ORIGINAL:
        return
    from pdfminer.pdftypes import PDFStream

    original = PDFStream.decode

    def decode(self: Any) -> None:
        budget = _BUDGET.get()
        if budget is None:
            return original(self)
        return _decode(self, budget)

    decode.__doc__ = original.__doc__
    _ORIGINAL.append(original)
    PDFStream.decode = decode  # type: ignore[method-assign]

    # every reference followed and every object the page scan visits is a look-up: counted,
    # so that a reference loop or two billion claimed objects end (pdfminer has no bound)
    from pdfminer.pdfdocument import PDFDocument

    getobj = PDFDocument.getobj

    def counted_getobj(self: Any, objid: int) -> object:
        budget = _BUDGET.get()
        if budget is None:
            return getobj(self, objid)
        budget.look_up(objid)
        if objid in budget.loading:  # reading it needs itself: /Length 5 0 R in object 5
            budget.refuse(f"the PDF's object {objid} refers to itself while it is read (a "
                          "reference loop, such as a stream whose /Length is a reference to "
                          "the stream)")
        if objid in self._cached_objs:
            return getobj(self, objid)
        budget.loading.add(objid)
        try:
            return getobj(self, objid)
        finally:
            budget.loading.discard(objid)

    counted_getobj.__doc__ = getobj.__doc__
    PDFDocument.getobj = counted_getobj  # type: ignore[method-assign]

    # every entry a CMap defines is counted: one line may define a range of four billion
    from pdfminer.cmapdb import FileCMap, FileUnicodeMap

    for cls, name in ((FileUnicodeMap, "add_cid2unichr"), (FileCMap, "add_code2cid")):
        setattr(cls, name, _counted(getattr(cls, name)))


def _counted(add: Any) -> Any:
    """``add`` (a CMap's method adding one entry), counted against the active budget."""
    def counted(self: Any, *args: Any) -> None:
        budget = _BUDGET.get()
        if budget is not None:
            budget.map_entry()
        add(self, *args)

    counted.__doc__ = add.__doc__
    return counted


def _decode(stream: Any, budget: Budget) -> None:
    """pdfminer's ``PDFStream.decode``, every filter bounded by ``budget``."""
    from pdfminer.pdfexceptions import PDFNotImplementedError
    from pdfminer.pdftypes import (
        LITERAL_CRYPT,
        LITERALS_ASCII85_DECODE,
        LITERALS_ASCIIHEX_DECODE,
        LITERALS_CCITTFAX_DECODE,
        LITERALS_DCT_DECODE,
        LITERALS_FLATE_DECODE,
        LITERALS_JBIG2_DECODE,
        LITERALS_JPX_DECODE,
        LITERALS_LZW_DECODE,
        LITERALS_RUNLENGTH_DECODE,
    )

    objid = stream.objid
    data = stream.rawdata
    if stream.decipher:
        data = stream.decipher(objid, stream.genno, data, stream.attrs)
    intact = True
    for f, params in stream.get_filters():
        if f in LITERALS_FLATE_DECODE:
            data, ok = _inflate(data, budget, objid)
        elif f in LITERALS_LZW_DECODE:
            data, ok = _lzw(data, budget, objid)
        elif f in LITERALS_ASCII85_DECODE:
            data, ok = _ascii85(data, budget, objid)
        elif f in LITERALS_ASCIIHEX_DECODE:
            from pdfminer.ascii85 import asciihexdecode

            data, ok = asciihexdecode(data), True
            budget.charge(len(data), objid)
        elif f in LITERALS_RUNLENGTH_DECODE:
            data, ok = _run_length(data, budget, objid)
        elif f in LITERALS_CCITTFAX_DECODE:
            from pdfminer.ccitt import ccittfaxdecode

            columns = params.get("Columns", 1728) if isinstance(params, dict) else 1728
            pixels = columns if isinstance(columns, int) and columns > 0 else 8
            # at most a row for each bit, and pdfminer's decoder holds a Python int for
            # each pixel of a row: charged a byte a pixel (100,000,000 columns on two bytes
            # took 490 s and 1.2 GB)
            budget.charge(8 * len(data) * pixels, objid)
            data, ok = ccittfaxdecode(data, params), True
        elif f in LITERALS_DCT_DECODE or f in LITERALS_JBIG2_DECODE or f in LITERALS_JPX_DECODE:
            ok = True  # images: left as they are, as pdfminer does
        elif f == LITERAL_CRYPT:
            raise PDFNotImplementedError("/Crypt filter is unsupported")
        else:
            raise PDFNotImplementedError(f"Unsupported filter: {f!r}")
        intact = intact and ok
        data = _predict(data, params, budget, objid)
    if not intact:
        budget.damaged_streams += 1
        stream.akn_ep_damaged = True  # for Budget.damaged; pdfminer's objects take attributes
    stream.data = data
    stream.rawdata = None


def _inflate(raw: bytes, budget: Budget, objid: int | None) -> tuple[bytes, bool]:
    """Flate: first counted in pieces and thrown away (a bomb is refused having held 64 kB
    at a time), then inflated for good. Damaged, it gives what pdfminer gives: the bytes
    inflated before the damage when the damage lies in the last 3 bytes (the checksum) or
    the stream is cut short, nothing when it lies earlier."""
    inflater = zlib.decompressobj()
    try:
        for start in range(0, len(raw), _PIECE):
            pending = raw[start:start + _PIECE]
            while pending and not inflater.eof:  # past the end, the tail stays unconsumed
                budget.charge(len(inflater.decompress(pending, _PIECE)), objid)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # what inflated before the damage is counted (but for the last call's 64 kB)
    return _inflate_kept(raw)


def _inflate_kept(raw: bytes) -> tuple[bytes, bool]:
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    for start in range(0, len(raw), _PIECE):
        piece = raw[start:start + _PIECE]
        last = start + len(piece) > len(raw) - 3  # holds the checksum
        before, kept = (inflater.copy(), len(out)) if last else (None, 0)
        try:
            out.append(inflater.decompress(piece))
        except zlib.error:
            if before is None:
                return b"", False
            # where in this piece? pdfminer's fallback feeds byte by byte, so do the same
            del out[kept:]
            for i in range(len(piece)):
                try:
                    out.append(before.decompress(piece[i:i + 1]))
                except zlib.error:
                    return (b"" if start + i < len(raw) - 3 else b"".join(out)), False
            return b"".join(out), False
        if inflater.eof:
            return b"".join(out), True
    return b"".join(out), False  # cut short: what inflated


_A85_CHARS = 5 * 13_107  # about 64 kB of ASCII85 at a time


def _ascii85(data: bytes, budget: Budget, objid: int | None) -> tuple[bytes, bool]:
    """ASCII85 as pdfminer reads it (its markers stripped, then ``base64.a85decode``), but
    in pieces cut between groups of five: ``a85decode`` holds about 26 bytes per byte of
    input while it works (a 5 MB stream: 130 MB), and ``z`` makes one byte four."""
    import base64

    from pdfminer.ascii85 import end_re, start_re

    clean = end_re.sub(b"", start_re.sub(b"", data)).translate(None, b" \t\n\r\v")
    out: list[bytes] = []
    i, n = 0, len(clean)
    while i < n:
        j = min(i + _A85_CHARS, n)
        if j < n:  # back off to a group's end: characters outside the z's come in fives
            j -= ((j - i) - clean.count(b"z", i, j)) % 5
            if ((j - i) - clean.count(b"z", i, j)) % 5:  # a z was among them: in a group
                raise ValueError("z inside Ascii85 5-tuple")  # as a85decode would say
        chunk = base64.a85decode(clean[i:j])
        budget.charge(len(chunk), objid)
        out.append(chunk)
        i = j
    return b"".join(out), True


def _lzw(data: bytes, budget: Budget, objid: int | None) -> tuple[bytes, bool]:
    """pdfminer's LZW decoder, stopped once the budget is spent (its table grows with the
    output, so it is bounded with it)."""
    from pdfminer.lzw import LZWDecoder

    out: list[bytes] = []
    size = 0
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        out.append(chunk)
        size += len(chunk)
        if size >= _PIECE:
            budget.charge(size, objid)
            size = 0
    budget.charge(size, objid)
    return b"".join(out), True


def _run_length(data: bytes, budget: Budget, objid: int | None) -> tuple[bytes, bool]:
    """RunLength (PDF 32000-1, 7.4.5): a length byte, then 1-128 bytes copied or one byte
    repeated 2-128 times; 128, or the end of the data, ends it. A run cut short keeps what
    it holds and counts as damage (pdfminer raises a RuntimeError)."""
    out = bytearray()
    i, n, charged, whole = 0, len(data), 0, True
    while i < n and data[i] != 128:
        length = data[i]
        if length < 128:
            chunk, i = data[i + 1:i + 2 + length], i + 2 + length
            whole = len(chunk) == length + 1
        else:
            chunk, i = data[i + 1:i + 2] * (257 - length), i + 2
            whole = bool(chunk)
        out += chunk
        if len(out) - charged >= _PIECE:
            budget.charge(len(out) - charged, objid)
            charged = len(out)
        if not whole:
            break
    budget.charge(len(out) - charged, objid)
    return bytes(out), whole


def _predict(data: bytes, params: Any, budget: Budget, objid: int | None) -> bytes:
    """The predictor of ``params``, as pdfminer applies it (it never makes data longer, but
    holds a list of a row's ``/Columns`` Python ints, charged 9 bytes each before it is made:
    a huge ``/Columns`` on two bytes was a MemoryError outside the budget)."""
    if not params or not isinstance(params, dict) or "Predictor" not in params:
        return data
    from pdfminer.pdfexceptions import PDFNotImplementedError
    from pdfminer.pdftypes import int_value
    from pdfminer.utils import apply_png_predictor, apply_tiff_predictor

    pred = int_value(params["Predictor"])
    if pred == 1:
        return data
    colors = int_value(params.get("Colors", 1))
    columns = int_value(params.get("Columns", 1))
    bits = int_value(params.get("BitsPerComponent", 8))
    budget.charge(9 * max(columns, colors * columns * bits // 8, 0), objid)
    if pred == 2:
        return apply_tiff_predictor(colors, columns, bits, data)
    if pred >= 10:
        return apply_png_predictor(pred, colors, columns, bits, data)
    raise PDFNotImplementedError(f"Unsupported predictor: {pred!r}")
