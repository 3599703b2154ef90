"""PDF → :class:`~akn_ep.lines.Lines`, read from the layout rather than from text.

The text route guesses what a PDF extraction left behind; here the page says it.
pdfminer.six interprets each page's content stream and hands every glyph over
with its font size and position (we record them ourselves, without pdfminer's
own layout analysis, which is most of its cost). From those:

1. **Rows.** Glyphs are grouped into rows by baseline. A row of glyphs smaller
   than the row just below it and raised above that row's baseline by less than
   ~0.7 of its size is a row of *superscripts* and is merged into it: a
   footnote call ("Asia¹,") becomes digits glued to the word they follow, with
   no space, exactly as in extracted text ("Asia1,"). Lowered small glyphs
   (subscripts) are merged the same way. Words are separated where the
   document has a space glyph or a gap wider than 0.15 em, so justified text
   drawn word by word reads the same as text drawn with spaces.
2. **Item markers and hanging indents.** A marker ("–", "A.", "1.", "(a)") and
   its text share a baseline, so they share a row whatever the gap between the
   columns; a marker printed alone slightly off its text's baseline is joined
   to the row it stands beside. Each line's ``indent`` is its left edge in
   half-em steps from the page's text margin.
3. **Page furniture.** Rows in the top or bottom 12 % of a page that repeat
   (digits aside) at the same height on several pages, or that are smaller
   than the body text and read as a page number, a ``PE…`` or ``P9_TA(…)``
   reference or "United in diversity", are removed and reported as
   :class:`~akn_ep.model.Artefact` values (``running-header``,
   ``running-footer``, ``page-number``).
4. **Footnotes.** The foot zone is what lies below a horizontal rule (a short
   separator, or Word's full-width continuation separator) when everything
   below it is smaller than the body text; without a rule, a trailing run of
   small rows that opens with a footnote number. In it, a row that opens with a
   superscript number (or, where notes carry no superscripts, with the next
   footnote number) opens a footnote; other rows continue the open one, also
   across a page break (rows of the foot zone before the first number
   continue the last note of the previous page).
5. **Pages.** Content rows are numbered in reading order, page after page, so
   a recital or paragraph that runs over a page break is simply continued by
   the parser, and every footnote body comes after the line that calls it.

Line numbers (``Line.no``, ``Footnote.line``, ``Artefact.line``) count every
row of the text layer in reading order, furniture and foot zone included; they
are the line numbers of :func:`extract_text`'s output.

Example:
    >>> from akn_ep.pdf.reader import read_lines
    >>> read_lines(b"not a pdf")
    Traceback (most recent call last):
    ...
    akn_ep.errors.ParseError: this is not a PDF: it does not start with '%PDF-' \
(expected: a PDF file)
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import BinaryIO, NoReturn, Union

import attrs

from .. import limits as _limits
from ..errors import ParseError
from ..languages.furniture import motto_re, page_number_re
from ..limits import MAX_PDF_BYTES, MAX_PDF_INFLATED
from ..lines import Call, Footnote, Line, Lines
from ..model import Artefact
from ..vocabulary import DASH_CLASS, TA_NUMBER
from ..warning import ParseWarning
from . import streams

__all__ = ["PdfSource", "Layout", "read_layout", "read_lines", "extract_text", "is_pdf",
           "page_of"]

#: What the PDF functions accept: the file's bytes, a path, or a binary file object.
PdfSource = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", BinaryIO]

# -- thresholds (points are PDF units, 1/72 inch; "em" is the font size) -------------
_SUP_RATIO = 0.85  # a superscript is at most this fraction of its line's size
_SUP_RISE = 0.7  # ... raised above its line's baseline by less than this many ems
_SUB_DROP = 0.4  # a subscript is lowered by less than this many ems
_SPACE_GAP = 0.15  # a gap wider than this many ems between glyphs is a word space
_SMALL = 0.9  # foot-zone text is smaller than this fraction of the body size
_BAND = 0.12  # header/footer band: this fraction of the page height at top and bottom
_SAME_Y = 3.0  # a running header repeats within this many points of height

_FURNITURE = re.compile(
    r"^(?:PE\s?\d{3}[.\s]?\d{3}(?:v\d+-\d+)?(?:/\s?\d{1,4})?"
    rf"|{TA_NUMBER}"
    r"|(?:RR|AM|AD|DT|PR|CM)\\?\d{6,7}[A-Z]{2}\.(?:docx?|rtf)"
    r"|\\?\d{6,7}[A-Z]{2}\.(?:docx?|rtf))$",
    re.IGNORECASE,
)
_MARKER_ONLY = re.compile(
    rf"^(?:{DASH_CLASS}|\(?[a-zA-Z]{{1,4}}\)|[A-Z]{{1,2}}\.|\d{{1,3}}\.|\([ivxlc]{{1,6}}\))$")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_SPACES = {" ", "\xa0", "\u2002", "\u2003", "\u2009", "\u202f", "\t"}


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` is a PDF by its content: ``%PDF-`` within the first 1024 bytes.

    Example:
        >>> is_pdf(b"%PDF-1.7\\n..."), is_pdf(b"European Parliament resolution")
        (True, False)
    """
    return b"%PDF-" in bytes(data[:1024])


# -- reading the page content -----------------------------------------------------------


class _Ch:
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


class _Page:
    """What one page holds: glyphs, horizontal rules, images and unreadable glyphs."""

    __slots__ = ("number", "width", "height", "chars", "rules", "images", "rotated", "undefined",
                 "damaged", "bad_length")

    def __init__(self, number: int, width: float, height: float) -> None:
        self.number, self.width, self.height = number, width, height
        self.chars: list[_Ch] = []
        self.rules: list[tuple[float, float, float]] = []  # (x0, x1, y) of horizontal rules
        self.images = 0
        self.rotated: list[str] = []
        self.undefined = 0
        self.damaged = 0
        self.bad_length: list[str] = []  # content streams whose /Length is wrong, said how


def _interpret(data: bytes) -> list[_Page]:
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
            self.pages: list[_Page] = []
            self.page = _Page(0, 0.0, 0.0)
            self.budget = budget  # the document's, which also knows its damaged streams

        def begin_page(self, page, ctm) -> None:  # type: ignore[no-untyped-def]
            super().begin_page(page, ctm)
            _x0, _y0, x1, y1 = self.cur_item.bbox
            self.page = _Page(len(self.pages) + 1, x1, y1)

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
            gap = _SPACE_GAP * fontsize
            base = d * (y + rise) + f
            run: list[str] = []
            start = x
            needcharspace = False

            def flush(end: float) -> None:
                text = "".join(run)
                if upright:
                    page.chars.append(_Ch(a * start + e, a * end + e, base, size, text))
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


# -- a faster content-stream tokenizer ---------------------------------------------------------
#
# pdfminer reads content streams with a general PostScript tokenizer written as a
# character-level state machine; on text-heavy pages it is two thirds of the
# reading time. The content of a page needs far less: numbers, names, strings,
# arrays, dictionaries and operators. One regular expression tokenizes them,
# and the interpreter's own ``do_*`` methods do the rest, so the graphics and
# text state are pdfminer's. Inline images (BI … ID … EI: binary data in the stream)
# are read as pdfminer reads them (they used to be left to pdfminer's tokenizer, which
# a stream of 20 MB behind one kept busy for a minute).
#
# The work is bounded as it goes (``akn_ep.limits``): operands waiting for an operator
# (``MAX_PDF_OPERANDS``), operators interpreted in the whole document, each drawing of a
# form counted (``MAX_PDF_OPERATORS``), on the document's :class:`streams.Budget`.

#: Set to False to use pdfminer's own tokenizer (the tests compare the two).
FAST_TOKENIZER = True

_WS = rb"\x00\t\n\x0c\r "
_DELIM = rb"()<>\[\]{}/%"
_TOKEN = re.compile(
    rb"%[^\r\n]*"  # a comment; white space between tokens is skipped by the search
    rb"|([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(?=[" + _WS + _DELIM + rb"]|$)"  # 1 number
    rb"|/([^" + _WS + _DELIM + rb"]*)"  # 2 name
    rb"|\(((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*)\)"  # 3 string, one level of nesting
    rb"|(<<|>>|\[|\]|\{|\}|\()"  # 4 delimiters; "(" here opens a deeper-nested string
    rb"|<([0-9A-Fa-f" + _WS + rb"]*)>"  # 5 hex string
    rb"|([^" + _WS + _DELIM + rb"]+)",  # 6 operator, true, false, null
    re.S,
)
_PAREN = re.compile(rb"[()\\]")
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_NAME_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")


def _unescape(m: re.Match) -> bytes:
    if m.group(1):
        return bytes((int(m.group(1), 8) & 0xFF,))
    if m.group(2):
        return b""
    c = m.group(3)
    return _ESCAPES.get(c, c)


def _string_at(data: bytes, pos: int) -> tuple[bytes, int]:
    """The literal string whose "(" ends at ``pos``, scanned by hand, and the position after it."""
    depth, start, end = 1, pos, len(data)
    while depth:
        p = _PAREN.search(data, pos)
        if p is None:
            return data[start:], end
        c = data[p.start()]
        if c == 0x5C:  # backslash: skip the escaped byte
            pos = p.start() + 2
            continue
        depth += 1 if c == 0x28 else -1
        pos = p.end()
    return data[start:pos - 1], pos


def _refuse_operands(message: str) -> NoReturn:
    raise ParseError(message, expected="a PDF of a resolution")


def _content_objects(data: bytes, limit: int | None = None,
                     refuse: Callable[[str], NoReturn] = _refuse_operands):  # -> Iterator[object]
    """Operands (int, float, bytes, PSLiteral, list, dict, bool, None, and an inline image
    as a PDFStream) and PSKeyword operators.

    At most ``limit`` operands may wait for an operator, every element of an array or
    dictionary counted (and each one opened); past it, ``refuse`` is called with a message
    naming :data:`~akn_ep.limits.MAX_PDF_OPERANDS` (20 MB of ``[`` that never close made a
    Python list of each). An inline image (``BI`` … ``ID`` data ``EI``) is read as pdfminer
    reads it: its data runs to the first ``EI`` (``~>`` for ASCII85 data) followed by white
    space.

    Example:
        >>> list(_content_objects(b"1 2 m"))
        [1, 2, /b'm']
        >>> list(_content_objects(b"[[[[[", limit=3))
        Traceback (most recent call last):
        akn_ep.errors.ParseError: the PDF's content holds more than 3 operands waiting for one \
operator, elements of arrays and dictionaries counted (akn_ep.limits.MAX_PDF_OPERANDS; set it \
higher to read such a PDF) \
(expected: a PDF of a resolution)
    """
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import KWD, LIT

    if limit is None:
        limit = _limits.MAX_PDF_OPERANDS  # as it is now: a caller may have raised it
    stack: list[list] = []  # open arrays and dictionaries
    out: list = []
    pos = 0
    held = 0  # operands since the last operator, elements of arrays and dictionaries counted
    finditer = _TOKEN.finditer
    restart = True
    while restart:
        restart = False
        for m in finditer(data, pos):
            kind = m.lastindex
            if kind is None:
                continue  # a comment
            held += 1
            if held > limit:
                refuse(f"the PDF's content holds more than {limit} operands waiting for one "
                       "operator, elements of arrays and dictionaries counted "
                       "(akn_ep.limits.MAX_PDF_OPERANDS; set it higher to read such a PDF)")
            if kind == 6:
                tok = m.group(6)
                if tok == b"true":
                    value: object = True
                elif tok == b"false":
                    value = False
                elif tok == b"null":
                    value = None
                elif tok == b"BI":  # an inline image's dictionary follows, as pdfminer reads it
                    stack.append([tok])
                    continue
                elif tok == b"ID" and stack and stack[-1][0] == b"BI":
                    objs = stack.pop()[1:]
                    if len(objs) % 2:  # not a dictionary: pdfminer goes on (the data as tokens)
                        continue
                    attrs = {_literal_name(k): v for k, v in zip(objs[::2], objs[1::2],
                                                                  strict=False)}
                    pos, image, eos = _inline_image(data, m.start() + 3, attrs)
                    target = stack[-1] if stack else out
                    target.append(PDFStream(attrs, image))
                    if eos == b"EI":
                        target.append(KWD(b"EI"))
                    restart = True
                    break
                else:
                    value = KWD(tok)
                    if stack:  # an operator inside an array: as pdfminer, keep it there
                        stack[-1].append(value)
                    else:
                        held = 0
                        out.append(value)
                        if len(out) > 256:
                            yield from out
                            out.clear()
                    continue
            elif kind == 1:
                tok = m.group(1)
                value = float(tok) if b"." in tok else int(tok)
            elif kind == 3:
                raw = m.group(3)
                value = _ESCAPE.sub(_unescape, raw) if b"\\" in raw else raw
            elif kind == 2:
                raw = m.group(2)
                if b"#" in raw:
                    raw = _NAME_HEX.sub(lambda h: bytes((int(h.group(1), 16),)), raw)
                try:
                    value = LIT(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    value = LIT(raw)
            elif kind == 4:
                tok = m.group(4)
                if tok == b"(":  # nested deeper than the pattern reads: by hand, then go on
                    raw, pos = _string_at(data, m.end())
                    value = _ESCAPE.sub(_unescape, raw) if b"\\" in raw else raw
                    restart = True
                elif tok in (b"[", b"{", b"<<"):
                    stack.append([tok])
                    continue
                elif not stack:
                    continue
                else:
                    items = stack.pop()
                    if items[0] == b"<<":
                        objs = items[1:]
                        value = {_literal_name(k): v
                                 for k, v in zip(objs[::2], objs[1::2], strict=False)
                                 if v is not None}
                    elif items[0] == b"BI":  # "]" or ">>" in an inline image's dictionary
                        stack.append(items)
                        continue
                    else:
                        value = items[1:]
            else:
                digits = bytes(c for c in m.group(5) if c not in b"\x00\t\n\x0c\r ")
                if len(digits) % 2:
                    digits += b"0"
                value = bytes.fromhex(digits.decode("ascii"))
            if stack:
                stack[-1].append(value)
            else:
                out.append(value)
            if restart:
                break
    yield from out


_EOL_AT_END = re.compile(rb"(\r\n|[\r\n])$")


def _inline_image(data: bytes, start: int, attrs: dict) -> tuple[int, bytes, bytes]:
    """An inline image's data from ``start`` (after ``ID`` and one byte), as pdfminer's
    ``get_inline_data`` reads it: up to ``EI`` (``~>`` when the first filter is ASCII85)
    followed by a white-space byte, a mismatch resuming the search after the byte that
    broke it; then an end of line before it dropped. Returns the position after it, the
    data (with ``~>`` kept for ASCII85) and the end marker."""
    from pdfminer.pdftypes import LITERALS_ASCII85_DECODE
    from pdfminer.psparser import PSLiteral

    eos = b"EI"
    filters = attrs.get("F")
    if isinstance(filters, PSLiteral):
        filters = [filters]
    if isinstance(filters, list) and filters and filters[0] in LITERALS_ASCII85_DECODE:
        eos = b"~>"
    n, i = len(data), start
    while True:
        j = data.find(eos[:1], i)
        if j < 0:
            return n, _EOL_AT_END.sub(b"", data[start:]), b""  # unterminated: the rest
        k = j + 1
        if k < n and data[k] == eos[1]:
            k += 1
            if k < n and data[k:k + 1].isspace():
                image = _EOL_AT_END.sub(b"", data[start:j])
                return k + 1, image + (eos if eos != b"EI" else b""), eos
        i = k + 1


def _literal_name(x: object) -> str:
    name = getattr(x, "name", x)
    return name if isinstance(name, str) else str(name)


_FAST_CLASS: list = []

#: What drawing a content stream (a page's, or a form's each time it is drawn) costs in
#: operators of :data:`~akn_ep.limits.MAX_PDF_OPERATORS`: a form of one operator drawn
#: over and over costs far more than the operator (a new interpreter, its resources).
_DRAWING_COST = 64


def _fast_interpreter():  # -> type[PDFPageInterpreter]
    """pdfminer's page interpreter with :func:`_content_objects` as its tokenizer."""
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
            for obj in _content_objects(data, refuse=budget.refuse):
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


def _pages(source: PdfSource) -> list[_Page]:
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
        pages = _interpret(data)
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


# -- rows ---------------------------------------------------------------------------------


class _Row:
    """Runs on one baseline (with the superscripts merged into it), left to right."""

    __slots__ = ("page", "y", "size", "chars", "x0", "x1", "text", "no", "kind", "calls")

    def __init__(self, page: int, chars: list[_Ch]) -> None:
        self.page = page
        self.chars = chars
        self.y = chars[0].y
        self.kind = "content"
        self.no = 0
        self.text = ""
        self.calls: tuple[tuple[int, int, str], ...] = ()
        self.measure()

    def measure(self) -> None:
        """Dominant font size (by glyph count, superscripts aside) and horizontal extent."""
        sizes: dict[float, int] = {}
        for c in self.chars:
            if not c.sup:
                n = len(c.text.strip())
                if n:
                    sizes[c.size] = sizes.get(c.size, 0) + n
        if not sizes:
            sizes = {c.size: 1 for c in self.chars}
        self.size = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))[0]
        self.x0 = min(c.x0 for c in self.chars)
        self.x1 = max(c.x1 for c in self.chars)

    def visible(self) -> list[_Ch]:
        return [c for c in self.chars if c.text.strip()]


def _rows(page: _Page) -> list[_Row]:
    """Group a page's glyphs into rows by baseline, top to bottom, superscripts merged."""
    chars = sorted(page.chars, key=lambda c: (-c.y, c.x0))
    groups: list[list[_Ch]] = []
    for ch in chars:
        if groups:
            g = groups[-1]
            if g[0].y - ch.y <= max(0.5, 0.12 * max(g[0].size, ch.size)):
                g.append(ch)
                continue
        groups.append([ch])
    rows = [_Row(page.number, sorted(g, key=lambda c: c.x0)) for g in groups]
    rows = _join_marker_rows([r for r in rows if r.visible()] or rows)
    out: list[_Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        below = rows[i + 1] if i + 1 < len(rows) else None
        above = out[-1] if out else None
        if below is not None and _is_raised(row, below):
            for c in row.chars:
                c.sup = 1
            below.chars = sorted(below.chars + row.chars, key=lambda c: c.x0)
            below.measure()
            i += 1
            continue
        if above is not None and _is_lowered(row, above):
            for c in row.chars:
                c.sup = -1
            above.chars = sorted(above.chars + row.chars, key=lambda c: c.x0)
            above.measure()
            i += 1
            continue
        out.append(row)
        i += 1
    return out


def _small_row(row: _Row, other: _Row) -> bool:
    vis = row.visible()
    return bool(vis) and max(c.size for c in vis) <= _SUP_RATIO * other.size


def _within(row: _Row, other: _Row) -> bool:
    # a call ends a line; a note's number stands left of its text, a tab away (Word sets
    # the note text 35.5 pt from its number: 3.5 em of a 10 pt note)
    slack = 3 * other.size
    return row.x0 >= other.x0 - 2 * slack and row.x1 <= other.x1 + slack


def _is_raised(row: _Row, below: _Row) -> bool:
    rise = row.y - below.y
    return (0 < rise <= _SUP_RISE * below.size and _small_row(row, below)
            and _within(row, below))


def _is_lowered(row: _Row, above: _Row) -> bool:
    drop = above.y - row.y
    return (0 < drop <= _SUB_DROP * above.size and _small_row(row, above)
            and _within(row, above))


def _join_marker_rows(rows: list[_Row]) -> list[_Row]:
    """Join an item marker printed alone, off its text's baseline, to the row beside it."""
    gone: set[int] = set()
    for i, row in enumerate(rows):
        text = "".join(c.text for c in row.visible()).strip()
        if not _MARKER_ONLY.match(text):
            continue
        for j in (i + 1, i - 1, i + 2, i - 2):
            if not 0 <= j < len(rows) or j in gone or j == i:
                continue
            other = rows[j]
            if (abs(row.y - other.y) <= 0.5 * max(row.size, other.size)
                    and other.x0 > row.x1 and abs(row.size - other.size) < 1.5):
                for c in row.chars:
                    c.y = other.y
                other.chars = row.chars + other.chars
                other.measure()
                gone.add(i)
                break
    return [r for i, r in enumerate(rows) if i not in gone]


#: Brackets put around a raised footnote call while a row's text is assembled
#: (private-use characters no font maps to); :func:`_take_calls` removes them and
#: keeps where the call stood.
_CALL_OPEN, _CALL_CLOSE = "\ue0f1", "\ue0f2"
#: Raised symbols that are footnote marks, as digits are ("+ OJ: Please insert …").
_NOTE_SYMBOLS = frozenset("*+†‡§")


def _is_mark(text: str) -> bool:
    """Does a raised run print a footnote mark: 1–3 digits or one of :data:`_NOTE_SYMBOLS`?"""
    return (text.isdigit() and len(text) <= 3) or (len(text) == 1 and text in _NOTE_SYMBOLS)


_MARKED_CALL = re.compile(f"{_CALL_OPEN}([^{_CALL_OPEN}{_CALL_CLOSE}]*){_CALL_CLOSE}")


def _take_calls(text: str) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """``text`` without the call brackets, and each call's (start, end, mark) in it.

    Only a bracketed mark is a call: the same characters printed by the PDF itself (a
    font may map a glyph to any code point) are left as they are.

    Example:
        >>> _take_calls("of 29 December 2021\ue0f11\ue0f2, and set out\ue0f13\ue0f2;")
        ('of 29 December 20211, and set out3;', ((19, 20, '1'), (33, 34, '3')))
    """
    if _CALL_OPEN not in text:
        return text, ()
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    at = last = 0  # length of the text kept so far; where the unread text starts
    for m in _MARKED_CALL.finditer(text):
        out.append(text[last:m.start()])
        at += m.start() - last
        mark = m.group(1)
        out.append(mark)
        if _is_mark(mark):  # not "1234", a number too long to be a call
            spans.append((at, at + len(mark), mark))
        at += len(mark)
        last = m.end()
    out.append(text[last:])
    return "".join(out), tuple(spans)


def _row_text(row: _Row, mark_calls: bool = False) -> str:
    """The row's text: word spaces from space glyphs or gaps, calls glued to their word.

    With ``mark_calls``, each raised footnote call is bracketed by
    :data:`_CALL_OPEN`/:data:`_CALL_CLOSE` (see :func:`_take_calls`).
    """
    out: list[str] = []
    prev: _Ch | None = None
    for ch in row.chars:
        t = ch.text
        core = t.strip()
        if not core:
            if prev is not None and out and out[-1] != " ":
                out.append(" ")
            continue
        if prev is not None and core == prev.text.strip() and abs(ch.x0 - prev.x0) < 0.3:
            continue  # the same text drawn twice (fake bold, shadow)
        if prev is not None:
            if ch.sup == 1 and _is_mark(core) and prev.sup != 1:
                while out and out[-1] == " ":  # a footnote call is glued to its word
                    out.pop()
                if out:
                    out[-1] = out[-1].rstrip()
                if mark_calls:
                    out.append(_CALL_OPEN + core + _CALL_CLOSE + (" " if t[-1] in _SPACES else ""))
                    prev = ch
                    continue
            elif (mark_calls and ch.sup == 1 and core.isdigit() and out
                  and out[-1].endswith(_CALL_CLOSE)):
                out[-1] = out[-1][:-1] + core + _CALL_CLOSE  # a call drawn in two runs: "1", "2"
                prev = ch
                continue
            elif (t[0] in _SPACES or ch.x0 - prev.x1 > _SPACE_GAP * max(
                    ch.size if ch.sup != 1 else 0.0, prev.size if prev.sup != 1 else 0.0, 1.0)):
                if out and out[-1] != " ":
                    out.append(" ")
        out.append(core if t[-1] not in _SPACES else core + " ")
        prev = ch
    text = " ".join("".join(out).split())
    if any(lig in text for lig in _LIGATURES):
        for lig, repl in _LIGATURES.items():
            text = text.replace(lig, repl)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def _segments(row: _Row) -> list[str]:
    """The row cut where runs are more than 2 em apart or split by wide spacing (cells)."""
    cells: list[list[_Ch]] = [[]]
    prev: _Ch | None = None
    for ch in row.chars:
        if not ch.text.strip():
            continue
        if prev is not None and ch.x0 - prev.x1 > 2 * max(row.size, 1.0):
            cells.append([])
        cells[-1].append(ch)
        prev = ch
    out: list[str] = []
    for cell in cells:
        if not cell:
            continue
        raw = "".join(c.text for c in cell)
        if re.search(r"\s{3,}|\t", raw):  # cells set apart by spaces in one string
            out.extend(" ".join(p.split()) for p in re.split(r"\s{3,}|\t", raw) if p.strip())
        else:
            out.append(_row_text(_Row(row.page, cell)))
    return [c for c in out if c]


# -- page furniture -------------------------------------------------------------------------


def _body_size(rows: Iterable[_Row]) -> float:
    """The font size most of the text is set in."""
    count: dict[float, int] = {}
    for r in rows:
        for c in r.chars:
            if not c.sup:
                size = round(c.size, 1)
                count[size] = count.get(size, 0) + len(c.text)
    return max(count.items(), key=lambda kv: kv[1])[0] if count else 10.0


def _norm_key(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _mark_furniture(pages: list[_Page], rows_by_page: list[list[_Row]], body: float) -> None:
    """Mark the rows at the top and bottom of pages that are running headers and footers."""
    n_pages = len(pages)
    candidates: list[tuple[_Row, str]] = []
    for page, rows in zip(pages, rows_by_page, strict=True):
        h = page.height or 842.0
        top = _margin_block(rows, lambda r, h=h: r.y >= h * (1 - _BAND))
        bottom = _margin_block(rows[::-1], lambda r, h=h: r.y <= h * _BAND)
        candidates.extend((r, "top") for r in top)
        candidates.extend((r, "bottom") for r in bottom if not any(r is t for t in top))
    seen: dict[tuple[str, str], list[_Row]] = {}
    for r, where in candidates:
        seen.setdefault((where, _norm_key(r.text)), []).append(r)
    for r, where in candidates:
        same = [o for o in seen[(where, _norm_key(r.text))] if abs(o.y - r.y) <= _SAME_Y]
        repeated = n_pages >= 2 and len({o.page for o in same}) >= max(2, 0.4 * n_pages)
        cells = _segments(r)
        page_number = page_number_re().match
        patterned = bool(cells) and all(
            page_number(c) or _FURNITURE.match(c) or motto_re().match(c) for c in cells)
        small = r.size < _SMALL * body
        lone_number = bool(cells) and all(page_number(c) for c in cells) and _isolated(
            r, rows_by_page[r.page - 1], body)
        if repeated or (patterned and small) or lone_number:
            r.kind = "header" if where == "top" else "footer"


def _margin_block(rows: list[_Row], in_band) -> list[_Row]:
    """The rows at one edge of the page set apart from the rest by a clear gap.

    ``rows`` run from the edge inwards; at most three rows, all in the band,
    and the gap after the last of them wider than 1.5 lines of either side, so
    tightly set footnotes at a page's foot are never taken for a footer.
    """
    for k in range(min(3, len(rows))):
        if not in_band(rows[k]):
            return []
        if k + 1 == len(rows):
            return rows[: k + 1]
        gap = abs(rows[k].y - rows[k + 1].y)
        if gap >= 1.5 * max(rows[k].size, rows[k + 1].size):
            return rows[: k + 1]
    return []


def _isolated(row: _Row, rows: list[_Row], body: float) -> bool:
    """Whether no other row comes within two body lines of ``row``."""
    return all(o is row or abs(o.y - row.y) > 2.4 * body for o in rows)


# -- footnotes --------------------------------------------------------------------------------


def _foot_zone(page: _Page, rows: list[_Row], body: float, continued: bool) -> int | None:
    """Index of the first row of the page's foot zone (footnotes), or None.

    Decided by geometry and font, never by what the rows say:

    - a horizontal rule with only smaller text below it (the seed's layout);
    - Word's layout, where notes are set as large as the text: a *short* rule
      (at most half the page wide) that starts at the text's left margin, with
      a row opening with a raised mark (a digit or ``*``/``+``/``†``) right below it;
    - Word's continuation separator: a rule from the left margin on a page that
      follows a page with notes (``continued``), over the rest of a note;
    - no rule: a trailing run of small rows that opens with a footnote number.
    """
    content = [i for i, r in enumerate(rows) if r.kind == "content"]
    if not content:
        return None
    margin = min(rows[i].x0 for i in content)
    width = page.width or 595.0
    for x0, x1, y in sorted(page.rules, key=lambda r: -r[2]):
        if not 10 <= x1 - x0 <= 0.95 * width:
            continue
        below = [i for i in content if rows[i].y < y]
        above = [i for i in content if rows[i].y > y]
        if not below or not above or rows[below[0]].y <= y - 3 * body:
            continue
        if all(rows[i].size < _SMALL * body for i in below):
            return below[0]
        if abs(x0 - margin) > 3.0:
            continue  # a rule under a centred heading, not a footnote separator
        if x1 - x0 <= 0.5 * width and _raised_mark(rows[below[0]]) is not None:
            return below[0]
        if continued and _raised_mark(rows[below[0]]) is None and y < 0.5 * (
                page.height or 842.0):  # the foot, not a table's border mid-page
            return below[0]
    # no rule: a trailing run of small rows that opens with a footnote number
    start = None
    for i in reversed(content):
        if rows[i].size < _SMALL * body:
            start = i
        else:
            break
    if start is not None and _note_marker(rows[start], strict=False) is not None:
        return start
    return None


def _raised_mark(row: _Row) -> str | None:
    """The raised footnote mark a row opens with ("1", "12", "+"), or None."""
    vis = row.visible()
    if not vis or vis[0].sup != 1:
        return None
    mark = vis[0].text.strip()
    for c in vis[1:]:  # a number drawn in several runs
        if c.sup != 1 or not (mark + c.text.strip()).isdigit():
            break
        mark += c.text.strip()
    return mark if _is_mark(mark) else None


def _note_marker(row: _Row, strict: bool) -> str | None:
    """The footnote mark a foot-zone row opens with, if any.

    A raised mark (digits, or a symbol such as ``*``) always counts; with
    ``strict=False`` so does a plain number followed by a space or a gap.
    """
    vis = row.visible()
    if len(vis) < 2 and not (vis and not strict):
        return None
    raised = _raised_mark(row)
    if raised is not None:
        return raised
    if strict:
        return None
    m = re.match(r"^(\d{1,3})\s+\S", row.text)
    return m.group(1) if m else None


def _series_end(marks: list[str]) -> int:
    """How many notes, from the first, belong to the document's first series of notes.

    A later part of the document that numbers its notes again from 1 (the
    Parliament's position after a legislative resolution) starts where a number
    is not greater than the one before it, or a symbol mark comes again.

    Example:
        >>> _series_end(["1", "2", "3", "1", "2"]), _series_end(["1", "*", "2"])
        (3, 3)
    """
    last = 0
    seen: set[str] = set()
    for k, mark in enumerate(marks):
        if mark.isdigit():
            if int(mark) <= last:
                return k
            last = int(mark)
        elif mark in seen:
            return k
        seen.add(mark)
    return len(marks)


def _join_note(left: str, right: str) -> str:
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if re.search(r"[^\W\d_]-$", left) and right[:1].islower():
        return left + right
    return f"{left} {right}"


def _read_notes(pages: list[_Page], rows_by_page: list[list[_Row]], body: float,
                warnings: list[str], artefacts: list[Artefact]) -> list[list]:
    """The notes of the document's first series, as ``[mark, text, line, rows]``.

    Marks the rows of each page's foot zone ``footnote``; a row opening with a
    mark opens a note, any other row continues the open one (across a page
    break too). Where the numbering starts again (:func:`_series_end`), the
    notes from there on belong to another part of the document: their rows go
    back to the text, where they were printed (nothing is lost), and a warning
    says so; they are not attached to the first part's calls.
    """
    zones: list[int | None] = []
    continued = False
    for page, rows in zip(pages, rows_by_page, strict=True):
        foot = _foot_zone(page, rows, body, continued)
        zones.append(foot)
        continued = foot is not None
    raised = any(_raised_mark(r) is not None for rows, foot in zip(rows_by_page, zones, strict=True)
                 if foot is not None for r in rows[foot:])
    plain_markers = not raised
    notes: list[list] = []
    for page, rows, foot in zip(pages, rows_by_page, zones, strict=True):
        if foot is None:
            continue
        for r in rows[foot:]:
            if r.kind != "content":
                continue
            r.kind = "footnote"
            m = _note_marker(r, strict=not plain_markers)
            if m is not None and plain_markers and notes and notes[-1][0].isdigit() and (
                    m != str(int(notes[-1][0]) + 1)):
                m = None  # "2012. gada …" continuing a note is no footnote number
            if m is not None:
                notes.append([m, r.text[len(m):].strip(), r.no, [r]])
            elif notes:
                notes[-1][1] = _join_note(notes[-1][1], r.text)
                notes[-1][3].append(r)
            else:
                warnings.append(ParseWarning(f"text in the foot zone of page {page.number} "
                                             "before any footnote number; reported, not kept",
                                             r.no, "footnote"))
                artefacts.append(Artefact(r.no, "orphan-footnote-text", r.text))
    cut = _series_end([n[0] for n in notes])
    if cut < len(notes):
        for n in notes[cut:]:
            for r in n[3]:
                r.kind = "content"
        first = notes[cut]
        warnings.append(ParseWarning(
            f"footnote numbering starts again at {first[0]} here (after "
            f"note {notes[cut - 1][0]}): a later part of the document with notes of its own; "
            f"its {len(notes) - cut} note(s) are kept as text where they are printed, not "
            "attached to the first part's calls", first[2], "footnote"))
    return notes[:cut]


def _located_calls(calls: list[tuple[int, int, int, str]], notes: tuple[Footnote, ...]
                   ) -> tuple[Call, ...]:
    """The raised calls of the part of the text the notes belong to, as :class:`Call` values.

    Every raised mark before the last note's line is listed, in order: the parser
    attaches each note at the first call with its mark, and says so where a call has
    no note. Raised marks after that line belong to a later part (whose notes stay
    text, numbered again from 1) and are not listed.
    """
    if not notes:
        return ()
    end = max(n.line for n in notes)
    return tuple(Call(line, a, b, mark) for line, a, b, mark in calls if line < end)


# -- assembling Lines ---------------------------------------------------------------------------


@attrs.frozen
class Layout:
    """What the PDF reader found: the :class:`Lines` for the parser, plus page geometry.

    ``page_starts[i]`` is the first line number of page ``i + 1``; ``rows`` holds
    every row of the text layer as ``(line number, page, kind, text)`` with kind
    one of ``content``, ``footnote``, ``header``, ``footer``; ``warnings`` says
    what the reader found odd.
    """

    lines: Lines
    page_starts: tuple[int, ...]
    rows: tuple[tuple[int, int, str, str], ...]
    warnings: tuple[str, ...] = ()
    body_size: float = 0.0

    @property
    def pages(self) -> int:
        """Number of pages."""
        return len(self.page_starts)


def page_of(layout: Layout, line: int) -> tuple[int, int]:
    """(page, line on that page) of a line number of the PDF route.

    Example:
        >>> from akn_ep.text.lines import Lines
        >>> page_of(Layout(Lines(()), (1, 40), ()), 45)
        (2, 6)
    """
    page = 1
    for i, start in enumerate(layout.page_starts, 1):
        if start <= line:
            page = i
    return page, line - layout.page_starts[page - 1] + 1


def read_layout(source: PdfSource) -> Layout:
    """Read a PDF into a :class:`Layout` (its :class:`Lines` and where each row was).

    Raises :class:`akn_ep.errors.ParseError` for a file that is not a PDF, is
    encrypted with a password, damaged, or has no text layer.

    Example:
        >>> read_layout(b"%PDF-1.4\\n1 0 obj")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        akn_ep.errors.ParseError: the PDF is damaged: it is truncated ...
    """
    pages = _pages(source)
    rows_by_page = [_rows(p) for p in pages]
    for rows in rows_by_page:
        for r in rows:
            r.text, r.calls = _take_calls(_row_text(r, mark_calls=True))
    rows_by_page = [[r for r in rows if r.text] for rows in rows_by_page]
    body = _body_size(r for rows in rows_by_page for r in rows)
    _mark_furniture(pages, rows_by_page, body)

    # number every row in reading order
    no = 0
    page_starts: list[int] = []
    for rows in rows_by_page:
        page_starts.append(no + 1)
        for r in rows:
            no += 1
            r.no = no
    if not page_starts:
        page_starts = [1]

    artefacts: list[Artefact] = []
    warnings: list[ParseWarning] = []
    for page, rows in zip(pages, rows_by_page, strict=True):
        if page.number > 1:
            artefacts.append(Artefact(page_starts[page.number - 1], "page-break", "\f"))
        if page.undefined:
            warnings.append(ParseWarning(f"{page.undefined} glyph(s) on page {page.number} have "
                                         "no Unicode mapping in their font and are missing "
                                         "from the text", page_starts[page.number - 1], "glyphs"))
        if page.rotated:
            artefacts.append(Artefact(page_starts[page.number - 1], "rotated-text",
                                      "".join(page.rotated).strip() or "?"))
        for r in rows:
            if r.kind in ("header", "footer"):
                for cell in _segments(r):
                    kind = "page-number" if page_number_re().match(cell) else (
                        "running-header" if r.kind == "header" else "running-footer")
                    artefacts.append(Artefact(r.no, kind, cell))
    notes = _read_notes(pages, rows_by_page, body, warnings, artefacts)

    lines: list[Line] = []
    left = min((r.x0 for rows in rows_by_page for r in rows if r.kind == "content"), default=0.0)
    calls: list[tuple[int, int, int, str]] = []  # line, start, end, mark
    for page, rows in zip(pages, rows_by_page, strict=True):
        first = True
        prev_y: float | None = None
        for r in rows:
            if r.kind != "content":
                continue
            blank = 1 if prev_y is not None and prev_y - r.y > 1.9 * r.size else 0
            indent = max(0, round((r.x0 - left) / (0.5 * body)))
            lines.append(Line(no=r.no, text=r.text, indent=indent, blank_before=blank,
                              page_break=first and page.number > 1))
            calls.extend((r.no, a, b, mark) for a, b, mark in r.calls)
            first = False
            prev_y = r.y
    footnotes = tuple(Footnote(marker=m, text=t, line=n) for m, t, n, _ in notes if t)
    for m, t, n, _ in notes:
        if not t:
            warnings.append(ParseWarning(f"footnote {m} has no text", n, "footnote"))
    located = _located_calls(calls, footnotes)
    return Layout(
        lines=Lines(lines=tuple(lines), footnotes=footnotes,
                    artefacts=tuple(sorted(artefacts, key=lambda a: a.line)), source_lines=no,
                    calls=located),
        page_starts=tuple(page_starts),
        rows=tuple((r.no, r.page, r.kind, r.text) for rows in rows_by_page for r in rows),
        warnings=tuple(warnings),
        body_size=body,
    )


def read_lines(source: PdfSource) -> Lines:
    """Read a PDF into the same :class:`~akn_ep.lines.Lines` the text route builds.

    Content lines carry footnote calls as digits glued to the word they follow
    ("resources1,"); footnote bodies and removed page furniture are separate.

    Example:
        >>> read_lines(b"%PDF-1.4\\n%%EOF")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        akn_ep.errors.ParseError: the PDF is damaged and cannot be read ...
    """
    return read_layout(source).lines


def extract_text(source: PdfSource) -> str:
    """The PDF's text layer as the reader sees it: one row a line, pages split by form feeds.

    Superscript calls are glued to their word; headers, footers and footnotes
    are included, so line *n* of the result is line *n* of error messages,
    warnings and artefacts.

    Example:
        >>> extract_text(b"%PDF-1.4\\n%%EOF")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        akn_ep.errors.ParseError: the PDF is damaged and cannot be read ...
    """
    layout = read_layout(source)
    out: list[str] = []
    page = 1
    for _no, pg, _kind, text in layout.rows:
        if pg != page:
            text = "\f" * (pg - page) + text
            page = pg
        out.append(text)
    return "\n".join(out) + "\n"
