"""The documented limits on untrusted input, in one place.

Every route that reads a document we did not write refuses input past these
limits with a typed error that names the limit, before doing work that grows
with it: :func:`akn_ep.parse_text` raises :class:`~akn_ep.errors.ParseError`,
:func:`akn_ep.parse_pdf` raises :class:`~akn_ep.errors.ParseError`,
:func:`akn_ep.from_akn` raises :class:`~akn_ep.akn.safexml.UnsafeXmlError` (an
:class:`~akn_ep.errors.AknReadError`) and :func:`akn_ep.validate` reports an
``xml-unsafe`` issue. Below the limits, the work done is linear in the size of
the input (``tests/test_limits.py`` counts it); ``docs/security.md`` gives the
threat model and names the tests.

The numbers are far above any real European Parliament resolution (the longest
texts adopted are a few hundred kilobytes of text, a few thousand lines, and an
Akoma Ntoso nesting depth of about 15), so they refuse only input that is not
a resolution, while keeping the time and memory of one conversion bounded.

Example:
    >>> MAX_TEXT_BYTES // 1024 // 1024, MAX_LINES, MAX_XML_DEPTH
    (10, 200000, 256)
"""

from __future__ import annotations

__all__ = [
    "MAX_TEXT_BYTES",
    "MAX_LINES",
    "MAX_PDF_BYTES",
    "MAX_PDF_INFLATED",
    "MAX_XML_BYTES",
    "MAX_XML_DEPTH",
    "MAX_XML_TEXT",
    "MAX_HTML_BYTES",
    "MAX_HTML_DEPTH",
]

#: Largest text input to :func:`akn_ep.parse_text`: 10 MiB, counted in bytes for
#: ``bytes`` input and in characters for ``str`` input (a character is at least one
#: byte in any encoding, so the ``str`` limit is never the stricter one). Checked
#: before decoding. The longest resolutions are well under 1 MiB of text, even as
#: double-spaced ``pdftotext -layout`` output.
MAX_TEXT_BYTES = 10 * 1024 * 1024

#: Most lines in one text input to :func:`akn_ep.parse_text`: 200,000, counted
#: after decoding; a form feed (page break) counts as a line break, since each
#: line and each page costs a small object whatever its length. The longest
#: resolutions have a few thousand lines (about 20,000 double-spaced). Lines have
#: no length limit of their own: a line may be as long as the input, and is read in
#: time linear in its length.
MAX_LINES = 200_000

#: Largest PDF accepted by :func:`akn_ep.parse_pdf`: 50 MiB (bytes, or at most this
#: many bytes read from a path or file object). Resolutions' PDFs are well under
#: 5 MiB. What its compressed streams expand to is bounded by :data:`MAX_PDF_INFLATED`.
MAX_PDF_BYTES = 50 * 1024 * 1024

#: Most bytes the streams of one PDF may decode to, all streams and every filter of each
#: (Flate, LZW, RunLength, ASCII85, …) together: 200 MiB. Streams are decoded in bounded
#: pieces as pdfminer asks for them (:mod:`akn_ep.pdf.streams`); a PDF over the limit is
#: refused with a ``ParseError`` naming it. A resolution's PDF decodes to a few megabytes
#: (fonts and page contents); a decompression bomb of 100 KB can inflate to 100 MB.
MAX_PDF_INFLATED = 200 * 1024 * 1024

#: Largest XML document accepted by :func:`akn_ep.from_akn` and
#: :func:`akn_ep.validate`: 50 MiB, checked before parsing (a path is read up to
#: one byte past it, a ``str`` is refused on its length before being encoded). It
#: is :data:`akn_ep.akn.safexml.MAX_INPUT_BYTES`. A resolution in Akoma Ntoso is a
#: few hundred kilobytes. The reader also caps at this many characters the note text it
#: copies to ``noteRef`` calls (each call gets the note's text), and follows a ``noteRef``
#: inside a referenced note never, so references cannot multiply the text.
MAX_XML_BYTES = 50 * 1024 * 1024

#: Deepest element nesting accepted in XML: 256 levels (the parser's own limit, as
#: libxml2 applies it without ``XML_PARSE_HUGE``, which we never set). Deeper input
#: is refused while parsing, before any tree is built past that depth, and every
#: recursive walk over a tree (reader, validator, writer) stays well inside
#: Python's recursion limit at this depth. Our documents nest about 15 deep.
MAX_XML_DEPTH = 256

#: Longest single text node, attribute value or name accepted in XML: 10,000,000
#: bytes (libxml2's limit without ``XML_PARSE_HUGE``). A larger one is refused
#: while parsing, so no huge string is built from it.
MAX_XML_TEXT = 10_000_000

#: Largest web page accepted by :func:`akn_ep.parse_html`: 20 MiB, checked before
#: parsing (a path or file is read up to one byte past it). The Parliament's pages are
#: well under 1 MiB (a long report, 90 KB).
MAX_HTML_BYTES = 20 * 1024 * 1024

#: Deepest element nesting accepted in a web page: 256 levels, checked on the parsed
#: tree before any walk (the walks are recursive). The Parliament's pages nest about 30 deep.
MAX_HTML_DEPTH = 256
