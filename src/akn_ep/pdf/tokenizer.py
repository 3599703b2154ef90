"""The content-stream tokenizer: a page's content → its operands and operators.

pdfminer reads content streams with a general PostScript tokenizer written as a
character-level state machine; on text-heavy pages it is two thirds of the
reading time. The content of a page needs far less: numbers, names, strings,
arrays, dictionaries and operators. One regular expression tokenizes them,
and the interpreter's own ``do_*`` methods do the rest, so the graphics and
text state are pdfminer's. Inline images (BI … ID … EI: binary data in the stream)
are read as pdfminer reads them (they used to be left to pdfminer's tokenizer, which
a stream of 20 MB behind one kept busy for a minute).

The work is bounded as it goes (``akn_ep.limits``): here, the operands waiting for an
operator (``MAX_PDF_OPERANDS``); in the interpreter (:mod:`.interpret`), the operators
interpreted in the whole document, each drawing of a form counted
(``MAX_PDF_OPERATORS``), on the document's :class:`~akn_ep.pdf.streams.Budget`.

Example:
    >>> list(content_objects(b"BT /F1 11 Tf (Hi) Tj ET"))
    [/b'BT', /'F1', 11, /b'Tf', b'Hi', /b'Tj', /b'ET']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NoReturn

from .. import limits as _limits
from .streams import refusal

__all__ = ["content_objects"]

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
    raise refusal(message)


def content_objects(data: bytes, limit: int | None = None,
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
        >>> list(content_objects(b"1 2 m"))
        [1, 2, /b'm']
        >>> list(content_objects(b"[[[[[", limit=3))
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
