"""Decoded text → :class:`Lines`: logical lines, page furniture removed *and recorded*.

What PDF extraction leaves behind is handled here, so the parser only sees the
resolution's own lines:

- form feeds, page numbers and running headers/footers (a ``PE…`` reference,
  a line repeated at the edge of several pages) are removed and reported as
  :class:`~akn_ep.model.Artefact` values;
- footnote bodies printed at a page's foot (``1  Texts adopted, P7_TA(2011)0588.``)
  are taken out of the running text, but only where the text earlier carries a
  call with that number glued to a word (``Asia1,``), so a numbered line
  without a dot (``1 Deplores …``) stays text;
- blank lines are counted (``blank_before``) rather than kept, since in
  double-spaced extractions they separate nothing.

Example:
    >>> ls = normalise("Title\\n\\n– having regard to Asia1,\\n\\n1  OJ C 1.\\n\\f2\\n")
    >>> [l.text for l in ls.lines], [(f.marker, f.text) for f in ls.footnotes]
    (['Title', '– having regard to Asia1,'], [('1', 'OJ C 1.')])
"""

from __future__ import annotations

import re
from collections import Counter

import attrs

from ..model import Artefact

__all__ = ["Line", "Footnote", "Lines", "normalise", "CALL_RE"]


@attrs.frozen
class Line:
    """One non-blank source line.

    ``no`` is the 1-based line number in the decoded text; ``indent`` the count
    of leading spaces; ``blank_before`` how many blank lines precede it;
    ``page_break`` whether a page break (form feed or footnote block) precedes it.
    """

    no: int
    text: str
    indent: int = 0
    blank_before: int = 0
    page_break: bool = False


@attrs.frozen
class Footnote:
    """A footnote body found at a page's foot, with the number printed before it."""

    marker: str
    text: str
    line: int


@attrs.frozen
class Lines:
    """The normalised source: content lines, footnote bodies, removed artefacts."""

    lines: tuple[Line, ...]
    footnotes: tuple[Footnote, ...] = ()
    artefacts: tuple[Artefact, ...] = ()
    source_lines: int = 0


#: A footnote call glued to the end of a word: "Asia1," "padomi2," "(ECHR)3".
#: The number must follow a letter (or a closing bracket/quote) and be followed
#: by punctuation, a space or the end, so "P7_TA(2011)0588", "110(4)" and
#: "1999." never match.
CALL_RE = re.compile(r"(?<=[^\W\d_]|[)\]”\"»’])(\d{1,3})(?=[\s,.;:)\]”\"»’]|$)")
_FOOTNOTE_LINE = re.compile(r"^(\d{1,3})(?:\s{1,}|\t)(\S.*)$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$|^\d{1,3}\s*/\s*\d{1,3}$|^(?:page|pag\.?|p\.)\s*\d{1,3}"
    r"(?:\s*(?:of|/)\s*\d{1,3})?$",
    re.IGNORECASE,
)
_PE_REF = re.compile(r"^(?:PE\s?\d{3}\.\d{3}(?:v\d+-\d+)?|[A-Z]{2}\s+United in diversity\s+[A-Z]{2})")
_MARKER_START = re.compile(r"^(?:[–—\-•−]|\(?[a-z]{1,4}\)|[A-Z]{1,2}\.|\d{1,3}\.)(?:\s|$)")
_SOFT_HYPHEN = "\u00ad"
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-$")
_LOWER_START = re.compile(r"^[^\W\d_]")
#: EP document references whose hyphen an extraction tool dropped at a line
#: break: "C60275/2008" → "C6-0275/2008" (term 1–2 digits, number 4 digits).
_LOST_REF_HYPHEN = re.compile(r"\b([ABC])(\d{5,6})/((?:19|20)\d\d)\b")
_CODE_HYPHEN = re.compile(r"[A-Za-z0-9]-$")


def _split_pages(text: str) -> list[list[tuple[int, str]]]:
    """Pages of (line number, raw line); a form feed starts a new page."""
    pages: list[list[tuple[int, str]]] = [[]]
    for no, raw in enumerate(text.split("\n"), 1):
        if "\f" in raw:
            pieces = raw.split("\f")
            if pieces[0].strip():
                pages[-1].append((no, pieces[0]))
            for piece in pieces[1:]:
                pages.append([])
                if piece.strip():
                    pages[-1].append((no, piece))
        else:
            pages[-1].append((no, raw))
    return pages


def _edge_lines(pages: list[list[tuple[int, str]]]) -> Counter:
    """How often each stripped line stands at the top or bottom of a page."""
    seen: Counter = Counter()
    for page in pages:
        content = [raw.strip() for _, raw in page if raw.strip()]
        if not content:
            continue
        edges = {content[0], content[-1]}
        if len(content) > 1:
            edges |= {content[1], content[-2]}
        for e in edges:
            seen[e] += 1
    return seen


def normalise(text: str) -> Lines:
    """Turn decoded text into :class:`Lines` (see the module docstring).

    Example:
        >>> normalise("a\\n\\n\\n  b").lines[1]
        Line(no=4, text='b', indent=2, blank_before=2, page_break=False)
    """
    pages = _split_pages(text)
    artefacts: list[Artefact] = []
    for i, page in enumerate(pages[1:], 1):
        no = page[0][0] if page else (pages[i - 1][-1][0] if pages[i - 1] else 1)
        artefacts.append(Artefact(no, "page-break", "\f"))
    repeated = {
        line for line, n in _edge_lines(pages).items() if n >= 2 and len(pages) >= 2
    }

    raw_lines: list[tuple[int, str, int, bool]] = []  # (no, text, indent, page_start)
    for pi, page in enumerate(pages):
        content_idx = [k for k, (_, raw) in enumerate(page) if raw.strip()]
        edge = set(content_idx[:2] + content_idx[-2:])
        first = True
        for k, (no, raw) in enumerate(page):
            stripped = raw.strip()
            if not stripped:
                raw_lines.append((no, "", 0, False))
                continue
            near_edge = k in edge and len(pages) > 1
            at_doc_end = pi == len(pages) - 1 and k == (content_idx[-1] if content_idx else -1)
            if _PE_REF.match(stripped):
                artefacts.append(Artefact(no, "running-header", stripped))
                continue
            if _PAGE_NUMBER.match(stripped) and (near_edge or at_doc_end):
                artefacts.append(Artefact(no, "page-number", stripped))
                continue
            if stripped in repeated and near_edge and not (pi == 0 and k == content_idx[0]):
                artefacts.append(Artefact(no, "running-header", stripped))
                continue
            indent = len(raw) - len(raw.lstrip(" \t"))
            if _LOST_REF_HYPHEN.search(stripped):
                repaired = _LOST_REF_HYPHEN.sub(_restore_ref, stripped)
                artefacts.append(Artefact(no, "lost-hyphen-restored", stripped))
                stripped = repaired
            raw_lines.append((no, stripped, indent, first and pi > 0))
            first = False

    return _collect(raw_lines, artefacts, text.count("\n") + 1)


def _restore_ref(m: re.Match) -> str:
    digits = m.group(2)
    return f"{m.group(1)}{digits[:-4]}-{digits[-4:]}/{m.group(3)}"


def _collect(raw_lines, artefacts: list[Artefact], total: int) -> Lines:
    """Separate footnote blocks from running text and count blank lines."""
    lines: list[Line] = []
    footnotes: list[Footnote] = []
    calls_seen: set[int] = set()
    expected_note: int | None = None
    blank = 0
    page_break = False
    in_note = False
    for no, text, indent, page_start in raw_lines:
        if not text:
            blank += 1
            in_note = False
            continue
        m = _FOOTNOTE_LINE.match(text)
        if m and not text.rstrip().endswith(":"):
            n = int(m.group(1))
            fits = n in calls_seen and (expected_note is None or n == expected_note)
            if fits:
                footnotes.append(Footnote(str(n), m.group(2).strip(), no))
                expected_note = n + 1
                in_note = True
                page_break = True
                blank = 0
                continue
        if in_note and blank == 0 and not page_start and not _MARKER_START.match(text):
            last = footnotes[-1]
            footnotes[-1] = Footnote(last.marker, _join(last.text, text, artefacts, no), last.line)
            continue
        in_note = False
        for c in CALL_RE.finditer(text):
            calls_seen.add(int(c.group(1)))
        lines.append(Line(no, text, indent, blank, page_break or page_start))
        blank = 0
        page_break = False
    return Lines(tuple(lines), tuple(footnotes), tuple(artefacts), total)


def _join(left: str, right: str, artefacts: list[Artefact] | None = None, no: int = 0) -> str:
    """Join two wrapped lines; a soft hyphen at the end is always a line-break artefact."""
    if left.endswith(_SOFT_HYPHEN):
        if artefacts is not None:
            artefacts.append(Artefact(no, "hyphenation", "\u00ad"))
        return left[:-1] + right
    return f"{left} {right}"


def join_lines(parts: list[tuple[int, str]], vocabulary: set[str] | None = None
               ) -> tuple[str, list[Artefact]]:
    """Join the wrapped lines of one item into one string.

    A hyphen at a line end is a line-break artefact (removed, reported) only if
    the word without it is used elsewhere in the document (``vocabulary``);
    otherwise it is a real hyphen ("socio-" + "economic" → "socio-economic").
    Soft hyphens are always removed.

    Example:
        >>> join_lines([(1, "socio-"), (2, "economic")])[0]
        'socio-economic'
        >>> join_lines([(1, "eco-"), (2, "nomic")], {"economic"})[0]
        'economic'
    """
    artefacts: list[Artefact] = []
    out = ""
    for i, (no, text) in enumerate(parts):
        if i == 0:
            out = text
            continue
        if out.endswith(_SOFT_HYPHEN):
            artefacts.append(Artefact(no - 1, "hyphenation", "\u00ad"))
            out = out[:-1] + text
        elif _CODE_HYPHEN.search(out) and text[:1].isdigit():
            out = out + text  # "C6-" + "0275/2008": a reference broken at its hyphen
        elif _WORD_HYPHEN.search(out) and _LOWER_START.match(text):
            head = re.search(r"([^\W\d_]+)-$", out)
            tail = re.match(r"[^\W\d_]+", text)
            word = (head.group(1) if head else "") + (tail.group(0) if tail else "")
            if vocabulary is not None and word.casefold() in vocabulary and head and head.group(1)[-1].islower():
                artefacts.append(Artefact(no - 1, "hyphenation", "-"))
                out = out[:-1] + text
            else:
                out = out + text
        else:
            out = f"{out} {text}"
    return out, artefacts
