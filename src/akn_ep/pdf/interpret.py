"""The content interpreter: a PDF's bytes → its pages of positioned glyph runs.

pdfminer.six parses the file and interprets each page's content stream (tokenized by
:mod:`.tokenizer`); a device of our own records each run of glyphs with its font
size and position, the horizontal rules and the images, without pdfminer's own layout
analysis, which is most of its cost. The work is bounded on the document's
:class:`~akn_ep.pdf.streams.Budget` (``akn_ep.limits``), and every way a file can fail
to read becomes a clear :class:`~akn_ep.errors.ParseError` (:func:`read_pages`). The layout
analysis (:mod:`.rows`, :mod:`.furniture`, :mod:`.notes`, :mod:`.reader`) reads the pages.

Example:
    >>> read_pages(b"%PDF-1.4 truncated")
    Traceback (most recent call last):
    ...
    akn_ep.errors.ParseError: the PDF is damaged: it is truncated (its end-of-file marker \
'%%EOF' is missing) (expected: a complete PDF file)
"""

from __future__ import annotations

import io
import os
import re
from typing import BinaryIO, Union

from ..errors import ParseError
from ..limits import MAX_PDF_BYTES, MAX_PDF_INFLATED
from . import streams
from .tokenizer import content_objects

__all__ = ["PdfSource", "Page", "Run", "SPACE_GAP", "A4_WIDTH", "A4_HEIGHT", "FAST_TOKENIZER",
           "is_pdf", "read_pages", "interpret_pages"]

#: What the PDF functions accept: the file's bytes, a path, or a binary file object.
PdfSource = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", BinaryIO]

# -- thresholds (points are PDF units, 1/72 inch; "em" is the font size) -------------
SPACE_GAP = 0.15  # a gap wider than this many ems between glyphs is a word space
#: The size of a page whose box gives none (A4, in points).
A4_WIDTH, A4_HEIGHT = 595.0, 842.0


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` is a PDF by its content: ``%PDF-`` within the first 1024 bytes.

    Example:
        >>> is_pdf(b"%PDF-1.7\\n..."), is_pdf(b"European Parliament resolution")
        (True, False)
    """
    return b"%PDF-" in bytes(data[:1024])


# -- reading the page content -----------------------------------------------------------


class Run:
    """A run of glyphs drawn by one string operator on one baseline, in one font size.

    ``x0``/``x1`` are its left and right edges, ``y`` its baseline (text rise
    included), ``size`` the font size on the page; ``sup`` is +1 once found
    raised (a superscript), -1 lowered (a subscript). A run is cut where the
    string moves the pen by a word gap or backwards, so gaps are between runs.
    """

    __slots__ = ("x0", "x1", "y", "size", "text", "sup")

    def __init__(self, x0: float, x1: float, y: float, size: float, text: str) -> None:
        self.x0, self.x1, self.y, self.size, self.text = x0, x1, y, size, text
        self.sup = 0


class Page:
    """What one page holds: glyphs, horizontal rules, images and unreadable glyphs."""

    __slots__ = ("number", "width", "height", "chars", "rules", "images", "rotated", "undefined",
                 "damaged", "bad_length")

    def __init__(self, number: int, width: float, height: float) -> None:
        self.number, self.width, self.height = number, width, height
        self.chars: list[Run] = []
        self.rules: list[tuple[float, float, float]] = []  # (x0, x1, y) of horizontal rules
        self.images = 0
        self.rotated: list[str] = []
        self.undefined = 0
        self.damaged = 0
        self.bad_length: list[str] = []  # content streams whose /Length is wrong, said how


def interpret_pages(data: bytes) -> list[Page]:
    """Run pdfminer's interpreter over every page, recording glyphs, rules and images."""
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream
    from pdfminer.utils import apply_matrix_pt

    glyphs: dict[tuple[object, int], tuple[str | None, float]] = {}

    class Device(PDFLayoutAnalyzer):
        def __init__(self, rsrcmgr: PDFResourceManager, budget: streams.Budget) -> None:
            super().__init__(rsrcmgr, pageno=1, laparams=None)
            self.pages: list[Page] = []
            self.page = Page(0, 0.0, 0.0)
            self.budget = budget  # the document's, which also knows its damaged streams

        def begin_page(self, page, ctm) -> None:  # type: ignore[no-untyped-def]
            super().begin_page(page, ctm)
            _x0, _y0, x1, y1 = self.cur_item.bbox
            self.page = Page(len(self.pages) + 1, x1, y1)

        def end_page(self, page) -> None:  # type: ignore[no-untyped-def]
            self.pages.append(self.page)
            self.pageno += 1

        def render_string_horizontal(self, seq, matrix, pos, font, fontsize,  # type: ignore[no-untyped-def]
                                     scaling, charspace, wordspace, rise, dxscale, ncs,
                                     graphicstate):
            # pdfminer calls render_char per glyph and builds an object for each;
            # one record per run of glyphs costs a fraction of that
            x, y = pos
            a, b, c, d, e, f = matrix
            page = self.page
            upright = not b and not c and a > 0 and d > 0
            size = fontsize * d if upright else fontsize
            gap = SPACE_GAP * fontsize
            base = d * (y + rise) + f
            run: list[str] = []
            start = x
            needcharspace = False

            def flush(end: float) -> None:
                text = "".join(run)
                if upright:
                    page.chars.append(Run(a * start + e, a * end + e, base, size, text))
                else:
                    page.rotated.append(text)
                run.clear()

            for obj in seq:
                if isinstance(obj, (int, float)):
                    dx = -obj * dxscale
                    if run and (dx > gap or dx < -0.5 * gap):
                        flush(x)
                    x += dx
                    needcharspace = True
                    continue
                if not isinstance(obj, bytes):
                    continue
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    glyph = glyphs.get((font, cid))
                    if glyph is None:  # pdfminer's look-ups are slow: once per glyph
                        try:
                            text: str | None = font.to_unichr(cid)
                        except PDFUnicodeNotDefined:
                            text = None
                        glyph = glyphs[(font, cid)] = (text, font.char_width(cid))
                    text, width = glyph
                    if text is None:
                        page.undefined += 1
                    else:
                        if not run:
                            start = x
                        run.append(text)
                    x += width * fontsize * scaling
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            if run:
                flush(x)
            return (x, y)

        def render_string_vertical(self, seq, matrix, pos, font, *args):  # type: ignore[no-untyped-def]
            # vertical writing has no place in a resolution: reported, not read
            for obj in seq:
                if isinstance(obj, bytes):
                    for cid in font.decode(obj):
                        try:
                            self.page.rotated.append(font.to_unichr(cid))
                        except PDFUnicodeNotDefined:
                            self.page.undefined += 1
            return pos

        def render_image(self, name, stream) -> None:  # type: ignore[no-untyped-def]
            self.page.images += 1

        def paint_path(self, gstate, stroke, fill, evenodd, path) -> None:  # type: ignore[no-untyped-def]
            if not (stroke or fill):
                return
            pts = [apply_matrix_pt(self.ctm, (seg[-2], seg[-1])) for seg in path
                   if seg[0] in ("m", "l")]
            if len(pts) < 2 or any(seg[0] not in ("m", "l", "h") for seg in path):
                return
            ys = [p[1] for p in pts]
            xs = [p[0] for p in pts]
            height = max(ys) - min(ys)
            width = max(xs) - min(xs)
            if height <= 2.0 and width >= 10.0:
                self.page.rules.append((min(xs), max(xs), (max(ys) + min(ys)) / 2))

    class Parser(PDFParser):
        """pdfminer's parser, noting on each stream whose ``/Length`` is wrong what it is:
        pdfminer then reads that many bytes, a content cut short or run on into the
        ``endstream`` and what follows, and a page may read as empty."""

        def do_keyword(self, pos: int, token) -> None:  # type: ignore[no-untyped-def]
            super().do_keyword(pos, token)
            if token is self.KEYWORD_STREAM and not self.fallback and self.curstack:
                obj = self.curstack[-1][1]
                if isinstance(obj, PDFStream) and obj.rawdata is not None:
                    wrong = _check_length(obj, data, pos, self.bufpos + self.charpos)
                    if wrong:  # run on past its object, it may take the object with it
                        wrong_lengths.append(f"the stream at byte {pos}: {wrong}")

    wrong_lengths: list[str] = []
    with streams.bounded(MAX_PDF_INFLATED) as budget:  # from the cross-reference stream on
        parser = Parser(io.BytesIO(data))
        try:
            document = PDFDocument(parser, password="")
        except PDFPasswordIncorrect:
            raise ParseError("the PDF is encrypted and needs a password to be opened; save an "
                             "unprotected copy first", expected="an unencrypted PDF") from None
        except PDFEncryptionError as exc:
            raise ParseError(f"the PDF is encrypted in a way that cannot be read ({exc})",
                             expected="an unencrypted PDF") from None
        rsrcmgr = PDFResourceManager(caching=True)
        device = Device(rsrcmgr, budget)
        interpreter = _fast_interpreter()(rsrcmgr, device)
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
    pages = device.pages
    if wrong_lengths and not any(p.chars or p.bad_length for p in pages):  # not "no text"
        raise ParseError(f"the PDF is damaged: a stream's /Length is wrong ("
                         f"{'; '.join(wrong_lengths[:3])}), and no page reads",
                         expected="a well-formed PDF file")
    return pages


_ENDSTREAM = re.compile(rb"endstream")


def _check_length(stream, data: bytes, pos: int, end: int) -> str | None:  # type: ignore[no-untyped-def]
    """Note on ``stream`` (read by pdfminer from the ``stream`` keyword at ``pos``; its
    ``endstream`` found at ``end``) when its ``/Length`` is wrong: bytes other than an end
    of line between its data and ``endstream`` (too short), or an ``endstream`` inside its
    unfiltered data (too long); what is wrong, or None."""
    declared = len(stream.rawdata)
    eol = data.find(b"\n", pos)
    start = eol + 1 if eol >= 0 else pos
    found = _ENDSTREAM.search(data, start)
    actual = (found.start() if found else len(data)) - start
    if data[start + actual - 2:start + actual] == b"\r\n":  # the end of line before it
        actual -= 2
    elif actual > 0 and data[start + actual - 1] in b"\r\n":
        actual -= 1
    short = data[start + declared:max(end, start + declared)].strip()
    if not (short and declared < actual) and b"endstream" not in stream.rawdata:
        return None
    wrong = f"its /Length says {declared} bytes where its data holds {actual} before 'endstream'"
    # too long, a filtered stream still decodes (a filter ends where its data does): its
    # page reads; unfiltered, what follows would be read as its content
    if (short and declared < actual) or not stream.get_filters():
        stream.akn_ep_length = wrong
    return wrong


#: Set to False to use pdfminer's own tokenizer (the tests compare the two).
FAST_TOKENIZER = True


_FAST_CLASS: list = []

#: What drawing a content stream (a page's, or a form's each time it is drawn) costs in
#: operators of :data:`~akn_ep.limits.MAX_PDF_OPERATORS`: a form of one operator drawn
#: over and over costs far more than the operator (a new interpreter, its resources).
_DRAWING_COST = 64


def _fast_interpreter():  # -> type[PDFPageInterpreter]
    """pdfminer's page interpreter with :func:`content_objects` as its tokenizer."""
    if _FAST_CLASS:
        return _FAST_CLASS[0]
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import list_value, stream_value
    from pdfminer.psparser import PSKeyword
    from pdfminer.utils import MATRIX_IDENTITY

    calls: dict[object, tuple[object, int] | None] = {}

    class FastInterpreter(PDFPageInterpreter):
        def render_contents(self, resources, streams, ctm=MATRIX_IDENTITY) -> None:  # type: ignore[no-untyped-def]
            page = self.device.page
            for obj in list_value(streams):
                stream = stream_value(obj)
                # pdfminer would drop what it cannot inflate
                if self.device.budget.damaged(stream):
                    page.damaged += 1
                wrong = getattr(stream, "akn_ep_length", None)
                if wrong:  # pdfminer read it cut short or run on: say so, not "no text"
                    page.bad_length.append(f"stream object {stream.objid}: {wrong}")
            super().render_contents(resources, streams, ctm)

        def execute(self, streams) -> None:  # type: ignore[no-untyped-def]
            budget = self.device.budget
            budget.interpret(_DRAWING_COST)  # a page's or a form's content, each time drawn
            if not FAST_TOKENIZER:
                return super().execute(streams)
            valid = []
            parents = getattr(self, "parent_stream_ids", ())
            for obj in streams:
                stream = stream_value(obj)
                # as pdfminer: a stream that is no object, or a form drawing itself, is left
                if stream.objid is not None and stream.objid not in parents:
                    valid.append(stream)
            # one stream (the common case) as it is: a copy of a big one would double it
            data = valid[0].get_data() if len(valid) == 1 else b"\n".join(
                s.get_data() for s in valid)
            if hasattr(self, "stream_ids"):  # pdfminer's guard against circular forms
                self.stream_ids.clear()
                self.stream_ids.update(s.objid for s in valid)
            cls = type(self)
            args = self.argstack
            count = 0
            for obj in content_objects(data, refuse=budget.refuse):
                if type(obj) is not PSKeyword:
                    args.append(obj)
                    continue
                count += 1
                if count == 4096:
                    budget.interpret(count)
                    count = 0
                entry = calls.get(obj, False)
                if entry is False:
                    name = obj.name.decode("latin-1") if isinstance(obj.name, bytes) else obj.name
                    method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
                    func = getattr(cls, method, None)
                    entry = calls[obj] = (func, func.__code__.co_argcount - 1) if func else None
                if entry is not None:
                    func, nargs = entry
                    if nargs:
                        taken = args[-nargs:]
                        del args[-nargs:]
                        if len(taken) == nargs:
                            func(self, *taken)
                    else:
                        func(self)
                args = self.argstack  # an operator may have replaced the stack
                if args:  # operands left over: dropped, as viewers do (bounds what is held)
                    args.clear()
            budget.interpret(count)

    _FAST_CLASS.append(FastInterpreter)
    return FastInterpreter


def _load(source: PdfSource) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _within_limit(bytes(source))
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as fh:
                return _within_limit(fh.read(MAX_PDF_BYTES + 1))
        except OSError as exc:
            raise ParseError(f"cannot read {os.fspath(source)!r}: {exc.strerror or exc}",
                             expected="a readable PDF file") from None
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError(f"expected PDF bytes, a path or a binary file, got {type(source).__name__}")
    return _within_limit(bytes(read(MAX_PDF_BYTES + 1)))


def _within_limit(data: bytes) -> bytes:
    """``data``, or a ParseError when it is over :data:`akn_ep.limits.MAX_PDF_BYTES`."""
    if len(data) > MAX_PDF_BYTES:
        raise ParseError(f"the PDF is too large: more than {MAX_PDF_BYTES} bytes "
                         "(akn_ep.limits.MAX_PDF_BYTES)", line=None,
                         expected="a resolution's PDF (a few MiB)")
    return data


def read_pages(source: PdfSource) -> list[Page]:
    """Open and interpret the PDF; every way it can fail becomes a clear ParseError."""
    data = _load(source)
    if not is_pdf(data):
        raise ParseError("this is not a PDF: it does not start with '%PDF-'",
                         expected="a PDF file")
    if b"%%EOF" not in data[-2048:]:
        raise ParseError("the PDF is damaged: it is truncated (its end-of-file marker "
                         "'%%EOF' is missing)", expected="a complete PDF file")
    from .pdfminer_check import check  # a changed pdfminer is named, not a damaged PDF

    check()
    try:
        pages = interpret_pages(data)
    except ParseError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of error on broken files
        raise ParseError(f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})",
                         expected="a well-formed PDF file") from None
    if not pages:
        raise ParseError("the PDF is damaged or empty: it has no pages",
                         expected="a PDF with pages")
    wrong = [f"page {p.number}, {w}" for p in pages for w in p.bad_length]
    if wrong:
        raise ParseError(f"the PDF is damaged: a content stream's /Length is wrong ("
                         f"{'; '.join(wrong[:3])}), so its text would be read cut short or "
                         "with what follows it", expected="a well-formed PDF file")
    damaged = [p.number for p in pages if p.damaged]
    if damaged:
        raise ParseError(f"the PDF is damaged: the content of page(s) "
                         f"{', '.join(map(str, damaged))} is corrupt and cannot be decompressed, "
                         "so text would be lost", expected="a well-formed PDF file")
    if not any(p.chars for p in pages):
        images = sum(p.images for p in pages)
        undefined = sum(p.undefined for p in pages)
        if undefined:
            raise ParseError(
                f"the PDF's text cannot be read: its fonts carry no Unicode mapping for "
                f"{undefined} glyphs, so the text layer is unusable; run OCR or export the "
                "PDF again", expected="a PDF with a text layer")
        what = (f"{images} image(s)" if images else "no images or text")
        raise ParseError(
            f"the PDF has no text layer: its {len(pages)} page(s) hold {what} only, as a scanned "
            "document does; run OCR on it first (or use the text published on the Parliament's "
            "site)", expected="a PDF with a text layer")
    return pages
