"""Safe XML parsing for documents we did not write: no DTD, no entities, no network.

Akoma Ntoso needs no DTD, so a document that declares one (``<!DOCTYPE``,
``<!ENTITY``) is refused before lxml sees it: that closes the doors used by
entity-expansion bombs ("billion laughs") and external-entity reads
(``<!ENTITY x SYSTEM "file:///etc/passwd">``) at the cost of a scan of the
prolog only. The parser is configured safe as well (defence in depth) and the
input size is bounded by :data:`MAX_INPUT_BYTES`. The reader and the validator
both parse through :func:`parse_xml`, so they refuse the same inputs.

Example:
    >>> parse_xml(b"<a><b/></a>").tag
    'a'
    >>> try:
    ...     parse_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    ... except AknReadError as exc:
    ...     print(type(exc).__name__, str(exc).split(";")[0])
    UnsafeXmlError refused: the document declares a DTD (<!DOCTYPE)
"""

from __future__ import annotations

import os
import re
import threading

from lxml import etree

from .. import limits as _limits
from ..errors import AknReadError
from ..limits import MAX_XML_BYTES, MAX_XML_DEPTH, MAX_XML_TEXT

__all__ = [
    "MAX_INPUT_BYTES",
    "UnsafeXmlError",
    "MalformedXmlError",
    "parse_xml",
    "source_bytes",
]

#: Largest input accepted, in bytes (50 MiB). The longest EP resolutions are a
#: few hundred kilobytes of Akoma Ntoso; anything near this bound is not a
#: resolution, and refusing it keeps memory use of one parse bounded.
MAX_INPUT_BYTES = MAX_XML_BYTES  # akn_ep.limits: every documented limit is there


class UnsafeXmlError(AknReadError):
    """XML refused without parsing: a DTD or entity declaration, or too large.

    Example:
        >>> isinstance(UnsafeXmlError("x"), AknReadError)
        True
    """


class MalformedXmlError(AknReadError):
    """XML that is not well-formed; ``line`` is where the parser stopped (1-based).

    Example:
        >>> str(MalformedXmlError("unexpected end", line=3))
        'line 3: unexpected end'
    """

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)

    def __reduce__(self):  # picklable across processes, like ParseError
        return (type(self), (self.message, self.line))


_PARSERS = threading.local()


def _parser() -> etree.XMLParser:
    """This thread's parser. lxml parsers must not be shared between threads, but one
    parser serves a thread's documents in turn, and reusing it keeps libxml2's dictionary
    of element names from one document to the next (about 15 % of parsing a resolution)."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            dtd_validation=False,
        )
    return parser


# Byte-order marks and the first bytes of "<?" in the encodings that are not
# ASCII-compatible; see XML 1.0 Appendix F.
_WIDE = (
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00?\x00", "utf-16-le", 0),
    (b"\x00<\x00?", "utf-16-be", 0),
)
_SPACE = b" \t\r\n"


def _ascii_prolog(data: bytes) -> bytes:
    """The document as ASCII-compatible bytes for the prolog scan."""
    for head, codec, bom in _WIDE:
        if data.startswith(head):
            return data[bom:].decode(codec, errors="replace").encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    return data


def _prolog_declaration(data: bytes) -> str | None:
    """The first markup declaration (``<!DOCTYPE``, ``<!ENTITY`` …) before the root, or None.

    Only the prolog is scanned: whitespace, the XML declaration, processing
    instructions and comments are skipped; the scan stops at the root element.

    Example:
        >>> _prolog_declaration(b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE a><a/>')
        'DOCTYPE'
        >>> _prolog_declaration(b"<a><!DOCTYPE x></a>") is None
        True
    """
    buf = _ascii_prolog(data)
    i, n = 0, len(buf)
    while i < n:
        while i < n and buf[i] in _SPACE:
            i += 1
        if buf.startswith(b"<?", i):
            end = buf.find(b"?>", i + 2)
            if end < 0:
                return None  # unterminated: the parser reports it
            i = end + 2
        elif buf.startswith(b"<!--", i):
            end = buf.find(b"-->", i + 4)
            if end < 0:
                return None
            i = end + 3
        elif buf.startswith(b"<!", i):
            word = re.match(rb"[A-Za-z]*", buf[i + 2 : i + 32])
            return (word.group(0).decode("ascii") if word else "") or "declaration"
        else:
            return None  # the root element (or something the parser will reject)
    return None


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML bytes safely and return the root element.

    Raises :class:`UnsafeXmlError` (an :class:`~akn_ep.errors.AknReadError`)
    for input over :data:`MAX_INPUT_BYTES` or :data:`~akn_ep.limits.MAX_XML_ELEMENTS` (counted
    before parsing) or with a DTD/entity declaration,
    and :class:`MalformedXmlError` (also an ``AknReadError``) for input that is
    not well-formed. Nothing is fetched, no entity is expanded.

    Example:
        >>> parse_xml(b"<a>x</a>").text
        'x'
        >>> try:
        ...     parse_xml(b"<a>")
        ... except MalformedXmlError as exc:
        ...     print(exc.line, exc.message.split(":")[0])
        1 not well-formed XML
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"parse_xml needs bytes, got {type(data).__name__}")
    if len(data) > MAX_INPUT_BYTES:
        raise UnsafeXmlError(
            f"refused: input of {len(data)} bytes exceeds the limit of {MAX_INPUT_BYTES} bytes"
        )
    if not data or data.isspace():
        raise MalformedXmlError("not well-formed XML: the document is empty", line=1)
    marks = data.count(b"<")  # every element opens with one, in any encoding libxml2 reads
    if marks > _limits.MAX_XML_ELEMENTS:  # as it is now: a caller may have raised it
        raise UnsafeXmlError(
            f"refused: the document has {marks} markup openings ('<'), more than the "
            f"{_limits.MAX_XML_ELEMENTS} elements accepted (akn_ep.limits.MAX_XML_ELEMENTS; "
            "set it higher to read such a document); a resolution has a few thousand")
    declaration = _prolog_declaration(data)
    if declaration is not None:
        raise UnsafeXmlError(
            f"refused: the document declares a DTD (<!{declaration}); Akoma Ntoso needs none "
            "and DTDs allow entity expansion and external reads"
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        msg = _one_line(exc.msg)
        _refuse_over_limit(msg, line)
        raise MalformedXmlError(f"not well-formed XML: {msg}", line=line) from None
    tree = root.getroottree()
    # Defence in depth: an encoding the prolog scan cannot read could hide a DTD.
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise UnsafeXmlError("refused: the document declares a DTD; Akoma Ntoso needs none")
    return root


def _one_line(msg: str) -> str:
    """libxml2's message on one line: some end in a newline before ", line 1, column 13"
    (a NUL byte, an EBCDIC document), which broke the CLI's one-line errors.

    Example:
        >>> _one_line("Char 0x0 out of allowed range\\n, line 1, column 13")
        'Char 0x0 out of allowed range, line 1, column 13'
    """
    return re.sub(r"\s*\n\s*", " ", re.sub(r"\s*\n\s*(?=,)", "", msg)).strip()


def _refuse_over_limit(msg: str, line: int | None) -> None:
    """Report libxml2's own resource limits (see :mod:`akn_ep.limits`) as refusals, not as
    malformed XML, and without its advice to lift them (``XML_PARSE_HUGE``)."""
    where = f" (line {line})" if line else ""
    if "Excessive depth" in msg:
        raise UnsafeXmlError(f"refused: elements nested more than {MAX_XML_DEPTH} levels deep"
                             f"{where}, the limit akn_ep.limits.MAX_XML_DEPTH") from None
    if "Resource limit exceeded" in msg or "huge text node" in msg:
        raise UnsafeXmlError(f"refused: a text node, attribute value or name longer than "
                             f"{MAX_XML_TEXT} bytes{where}, the limit "
                             "akn_ep.limits.MAX_XML_TEXT") from None


def source_bytes(source: bytes | str | os.PathLike) -> bytes:
    """The bytes of an XML source: bytes as is, ``str`` XML text, or a file path.

    A ``str`` whose first non-blank character is ``<`` is XML text; it is
    encoded as UTF-8 and an encoding it declares is replaced by UTF-8 (the
    declaration described the text's former bytes, not these). Any other
    ``str`` or ``os.PathLike`` is a path; at most :data:`MAX_INPUT_BYTES` + 1
    bytes are read, so a huge file is refused without being loaded.

    Example:
        >>> source_bytes('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>')
        b'<?xml version="1.0" encoding="UTF-8"?><a>\\xc3\\xa9</a>'
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<"):
        if len(source) > MAX_INPUT_BYTES:  # refused on size by parse_xml; don't encode it all
            return source[: MAX_INPUT_BYTES + 1].encode("utf-8", "surrogatepass")
        text = _DECLARED_ENCODING.sub(r"\1UTF-8\3", source.lstrip("\ufeff"), count=1)
        # a lone surrogate becomes bytes that are not UTF-8, refused by the parser as such
        return text.encode("utf-8", "surrogatepass")
    with open(source, "rb") as fh:
        return fh.read(MAX_INPUT_BYTES + 1)


_DECLARED_ENCODING = re.compile(
    r"""^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])"""
)
