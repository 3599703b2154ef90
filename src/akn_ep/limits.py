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

from typing import Any

import attrs

__all__ = [
    "MAX_TEXT_BYTES",
    "MAX_LINES",
    "MAX_PDF_BYTES",
    "MAX_PDF_INFLATED",
    "MAX_PDF_LOOKUPS",
    "MAX_PDF_OPERATORS",
    "MAX_PDF_OPERANDS",
    "MAX_PDF_CMAP_ENTRIES",
    "MAX_XML_BYTES",
    "MAX_XML_DEPTH",
    "MAX_XML_TEXT",
    "MAX_HTML_BYTES",
    "MAX_HTML_DEPTH",
    "MAX_XML_ELEMENTS",
    "MAX_ARCHIVE_PASS_OVER",
    "text_node_over_limit",
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
#: (Flate, LZW, RunLength, ASCII85, …) together: 64 MiB. Streams are decoded in bounded
#: pieces as pdfminer asks for them (:mod:`akn_ep.pdf.streams`); a PDF over the limit is
#: refused with a ``ParseError`` naming it. A resolution's PDF decodes to a few megabytes
#: (the 459 pages of the AI Act to 1.5 MB); a decompression bomb of 100 KB can inflate to
#: 100 MB. It was 200 MiB until December 2026: a page content of 190 MB within it (of
#: operands, say) was held whole, twice while it was joined, so a PDF took 430 MB; at
#: 64 MiB, the worst is under 200 MB.
MAX_PDF_INFLATED = 64 * 1024 * 1024

#: Most look-ups of an object by its number while one PDF is read: 100,000. Every
#: reference followed (``6 0 R``) and every object the page scan visits is one; a
#: reference loop (``/Contents 6 0 R`` where 6 is ``7 0 R`` and 7 is ``6 0 R``, a ``/Pages``
#: that is itself) or a cross-reference claiming two billion objects is refused once the
#: count is spent, with a ``ParseError`` naming this limit (an object that needs itself to
#: be read, such as a stream whose ``/Length`` is a reference to it, is refused at once).
#: The 459 pages of the AI Act (the longest text adopted we know) take 2,427.
MAX_PDF_LOOKUPS = 100_000

#: Most operators interpreted in the content of one PDF, all pages and every drawing of a
#: form XObject counted (a form drawn twice counts twice, so forms that each draw the next
#: twice, 25 deep, ask for 2^25 drawings): 400,000; a form drawn counts as
#: 64 operators besides its own. The 459 pages of the AI Act take 70,611 (41,235 operators
#: and 459 pages). Past it, the
#: PDF is refused with a ``ParseError`` naming this limit; at the limit, interpreting takes
#: a few seconds.
MAX_PDF_OPERATORS = 400_000

#: Most operands waiting for one operator in a PDF's content, every element of an array or
#: dictionary counted (and each one opened): 65,536. A content stream of 20 MB of ``[``
#: that never close, or of numbers with no operator, is refused once it has that many,
#: instead of building a Python object for each. An operator's longest operand in a
#: resolution's PDF (a line of text kerned glyph by glyph) has a few hundred. Operands an
#: operator leaves over are dropped after it, as PDF viewers do (pdfminer keeps them).
MAX_PDF_OPERANDS = 65_536

#: Most entries the character maps (CMaps: a font's ``/ToUnicode``, an embedded
#: ``/Encoding``) of one PDF may define, all fonts together: 500,000. One line of a CMap
#: can define a range of four billion codes (``<00000000> <FFFFFFFF> <0041> endbfrange``),
#: which pdfminer adds one by one (a 700-byte PDF: a ``MemoryError`` after 5 s at 1 GB);
#: past the limit, a ``ParseError`` names it. A subset font maps a few hundred codes (the
#: AI Act's fonts: 218 in all); a whole two-byte font 65,536.
MAX_PDF_CMAP_ENTRIES = 500_000

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

#: Most elements in one XML document, counted before parsing as the markup openings
#: (``<``) the document holds: 250,000. Every element has one (an empty-element tag) or
#: two (start and end tag), and comments, processing instructions and CDATA sections count
#: too, so it refuses documents of 125,000 to 250,000 elements and more.
#: A document over it is refused before any tree is built, by
#: :func:`akn_ep.akn.safexml.parse_xml`, so :func:`akn_ep.from_akn`, :func:`akn_ep.validate`
#: and ``akn-ep show``/``validate`` refuse it alike (10 million empty elements in 40 MB took
#: 26 s and 4.8 GB to validate, 45 s and 1.5 GB to read). The AI Act (459 pages) as this
#: library writes it has 3,658 ``<``; at the limit, reading takes about a second.
MAX_XML_ELEMENTS = 250_000

#: Longest single text node, attribute value or name accepted in XML: 10,000,000
#: bytes (libxml2's limit without ``XML_PARSE_HUGE``). A larger one is refused
#: while parsing, so no huge string is built from it. Every route that builds a resolution
#: (:func:`akn_ep.parse_text`, :func:`akn_ep.parse_pdf`, :func:`akn_ep.from_akn`) refuses
#: one whose written Akoma Ntoso would hold a longer text node (a run of text between two
#: elements, such as two runs of 6 MB that an element dropped on reading joins into one), so
#: what they return is written valid; :func:`text_nodes_within_limit` checks it.
MAX_XML_TEXT = 10_000_000

#: Largest web page accepted by :func:`akn_ep.parse_html`: 20 MiB, checked before
#: parsing (a path or file is read up to one byte past it). The Parliament's pages are
#: well under 1 MiB (a long report, 90 KB).
MAX_HTML_BYTES = 20 * 1024 * 1024

#: Deepest element nesting accepted in a web page: 256 levels, checked on the parsed
#: tree before any walk (the walks are recursive). The Parliament's pages nest about 30 deep.
MAX_HTML_DEPTH = 256

#: Most bytes ``akn-ep batch`` decompresses in one compressed tar archive (``.tar.gz``,
#: ``.tar.bz2``, ``.tar.xz``) to pass over members it does not read (too large, or a
#: text over :data:`MAX_TEXT_BYTES` told by its first kilobyte): 256 MiB. A compressed
#: stream cannot be skipped without decompressing it, and 1.1 KB of bzip2 make a GiB of
#: zeros (a member of 20 GiB took 52 s, outside ``--timeout``); past the limit the rest of
#: the archive is reported unread, naming this limit. An uncompressed tar is passed over by
#: seeking, free. Reading one member also stops at ``--timeout``.
MAX_ARCHIVE_PASS_OVER = 256 * 1024 * 1024


def text_node_over_limit(value: object, limit: int = MAX_XML_TEXT) -> str | None:
    """Where a model value (a :class:`~akn_ep.model.Resolution` or any part of it) holds a
    run of text longer than ``limit`` bytes in UTF-8, which its Akoma Ntoso would write as
    one text node that no reader accepts (:data:`MAX_XML_TEXT`); ``None`` when it holds none.

    Every route that builds a model refuses one for which this is not ``None``, naming the
    limit, so that what they return is written valid (the parse report is not written and is
    not looked at). Text is measured only where it could be over the limit (4 bytes a
    character at most), so the walk costs little beside the parse.

    Example:
        >>> from akn_ep.model import Paragraph
        >>> text_node_over_limit(Paragraph("1.", ("a" * 6, "b" * 6)), limit=10)
        "a run of text of 12 bytes ('aaaaaabbbbbb')"
        >>> text_node_over_limit(Paragraph("1.", "a" * 6), limit=10) is None
        True
    """
    quarter = limit // 4  # a character is at most 4 bytes: shorter strings cannot be over
    stack: list[Any] = [value]  # model values, their fields, strings, tuples
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str:
            if len(item) > quarter:
                size = len(item.encode("utf-8", "surrogatepass"))
                if size > limit:
                    return f"a run of text of {size} bytes ({item[:40]!r})"
        elif kind is tuple or kind is list:
            extend(item)
        elif item is not None and not isinstance(item, (int, float)):
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = (tuple(f.name for f in attrs.fields(kind)
                                               if f.name != "report")
                                         if attrs.has(kind) else ())
            for name in names:
                push(getattr(item, name))
    return None


_FIELDS: dict[type, tuple[str, ...]] = {}  # an attrs class's fields to walk, by class
