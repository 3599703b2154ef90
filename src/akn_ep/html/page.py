"""Step 1 of the HTML route: bytes → a bounded lxml tree of the page, or a typed error.

What is refused, and why (see ``docs/security.md``):

- more than :data:`akn_ep.limits.MAX_HTML_BYTES` bytes (checked before parsing);
- a page cut short: the Parliament's pages always end with ``</html>``; a page without
  it was truncated in transfer and would silently lose its end (the closing paragraph,
  the footnotes);
- nesting deeper than :data:`akn_ep.limits.MAX_HTML_DEPTH` elements (refused by the walk
  over the tree, which is recursive, before it goes deeper; real pages nest about 30 deep).

libxml2's HTML parser defines no entities beyond HTML's own and loads nothing (no DTD,
no network): an ``<!ENTITY>`` in a page is not expanded, so entity bombs cost nothing.

Example:
    >>> load(b"<html lang='en'><body><p>x</p></body></html>").get("lang")
    'en'
"""

from __future__ import annotations

import codecs
import os
import re
from typing import BinaryIO

from lxml import etree

from ..errors import ParseError
from ..limits import MAX_HTML_BYTES, MAX_HTML_DEPTH

__all__ = ["HtmlSource", "load", "is_html", "read_source"]

HtmlSource = bytes | str | os.PathLike | BinaryIO

#: An HTML document opens with a doctype or an <html> tag (after a BOM, spaces, an XML
#: declaration or comments), and an EP page always says so in its first kilobyte.
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                         rb"<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_END = re.compile(rb"</html\s*>", re.I)
#: A declared character set: <meta charset="…"> or content="text/html; charset=…".
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([-\w.:]+)", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def is_html(data: bytes) -> bool:
    """Does ``data`` open as an HTML page (whatever the file is called)?

    Example:
        >>> is_html(b"<!DOCTYPE html><html>"), is_html(b"<?xml version='1.0'?><akomaNtoso/>")
        (True, False)
    """
    return _HTML_START.match(data[:4096]) is not None


def read_source(source: HtmlSource) -> bytes:
    """The page's bytes from bytes, text, a path or a binary file, at most the limit + 1."""
    if isinstance(source, str):
        if len(source) > MAX_HTML_BYTES:
            _too_large(len(source))
        return source.encode("utf-8")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, os.PathLike):
        with open(source, "rb") as fh:
            data = fh.read(MAX_HTML_BYTES + 1)
    else:
        data = source.read(MAX_HTML_BYTES + 1)
    if len(data) > MAX_HTML_BYTES:
        _too_large(len(data))
    return data


def _too_large(size: int) -> None:
    raise ParseError(f"the page is too large: {size} bytes or more, over the limit of "
                     f"{MAX_HTML_BYTES} (akn_ep.limits.MAX_HTML_BYTES)",
                     expected="a web page of the Parliament (well under 5 MiB)")


def encoding_of(data: bytes) -> str:
    """The page's character set: its byte-order mark, else the charset its ``<meta>``
    declares, else UTF-8 when the bytes are UTF-8 (the site's pages are), else cp1252.

    Example:
        >>> encoding_of(b"<meta charset='iso-8859-1'>"), encoding_of("<p>é</p>".encode())
        ('iso8859-1', 'utf-8')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    m = _CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        try:
            return codecs.lookup(name).name
        except LookupError:
            pass
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def load(data: bytes, encoding: str | None = None) -> etree._Element:
    """Parse a page (bytes already bounded by :func:`read_source`) into its ``<html>`` element;
    ``encoding`` says how the bytes are encoded when the caller knows (text given as str)."""
    if not data or data.isspace():
        raise ParseError("the page is empty", line=None, expected="an HTML page")
    if not is_html(data):
        hint = (" (a str is the page's text: give a file's name as a pathlib.Path)"
                if encoding and b"<" not in data[:200] else "")
        raise ParseError("this is not an HTML page: it does not open with <!DOCTYPE html> or "
                         f"<html>{hint}", expected="an HTML page of the Parliament's website")
    if _END.search(data[-4096:]) is None and _END.search(data) is None:
        raise ParseError("the page is truncated: it does not end with </html>, so its end "
                         "(closing paragraph, footnotes) may be missing",
                         expected="a complete page ending with </html>")
    # lxml's plain HTML parser (its lxml.html element classes cost a lookup per element)
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                              huge_tree=False, default_doctype=False,
                              encoding=encoding or encoding_of(data))
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"the page cannot be parsed as HTML: {exc}",
                         expected="an HTML page") from None
    if root is None:
        raise ParseError("the page has no elements", expected="an HTML page")
    return root


def too_deep() -> ParseError:
    """The error for nesting past :data:`MAX_HTML_DEPTH` (found by the walk over the tree,
    :mod:`akn_ep.html.blocks`, before it recurses any deeper)."""
    return ParseError(f"the page nests elements more than {MAX_HTML_DEPTH} deep "
                      "(akn_ep.limits.MAX_HTML_DEPTH)",
                      expected="a web page of the Parliament (about 30 levels deep)")
