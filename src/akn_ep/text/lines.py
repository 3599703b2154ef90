"""Decoded text → :class:`Lines`: logical lines, page furniture removed *and recorded*.

What PDF extraction leaves behind is handled here, so the parser only sees the
resolution's own lines:

- form feeds, page numbers and running headers/footers (a ``PE…`` reference,
  a line repeated at the edge of several pages) are removed and reported as
  :class:`~akn_ep.model.Artefact` values;
- footnote bodies printed at a page's foot (``1  Texts adopted, P7_TA(2011)0588.``)
  are taken out of the running text, but only where the text earlier carries a
  call with that number glued to a word (``Asia1,``) or a year (``20211,``), the
  number is the next footnote expected, and the line stands where footnotes
  stand: set off by more blank space than the text's own spacing, or followed
  by the end of the page. So a numbered line without a dot (``1 Deplores …``)
  and a wrapped line ``4 Member States …`` stay text;
- the other ways extraction tools print a page foot are read too: ``pdftotext``'s numbers
  alone followed by the bodies ("1", "2", "", "OJ C 115, …", "OJ C 517, …"), ``-layout``'s
  number and body side by side, pdfminer's number glued to its body ("1OJ L 183, …") and
  its column of item markers (and note numbers) printed apart from their texts;
- a note numbering that starts again (a later part of the document, as the position after a
  legislative resolution) ends note taking: those notes stay text, with a warning;
- notes printed after the last item, as web pages print them (``(1) …``, ``[1] …``,
  ``¹ …``, ``* …``), are notes only where the text calls them; their calls are then
  located exactly (:attr:`Lines.calls`);
- soft hyphens inside a line are dropped (reported);
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
from collections.abc import Iterable, Iterator

from ..languages.furniture import motto_re, page_number_re
from ..lines import Call, Footnote, Line, Lines  # the hand-off types, shared by every route
from ..model import Artefact
from ..vocabulary import DASH_CLASS
from ..warning import ParseWarning

__all__ = ["Line", "Footnote", "Call", "Lines", "normalise", "CALL_RE", "YEAR_CALL_RE",
           "iter_calls",
           "join_lines", "vocabulary"]


_new_line = tuple.__new__  # Line(...) without the Python-level __new__ of a named tuple


#: A footnote call glued to the end of a word: "Asia1," "padomi2," "(ECHR)3", "25 %4".
#: The number must follow a letter (or a closing bracket/quote, or "%") and be
#: followed by punctuation (the Greek "·" too), a space or the end, so
#: "P7_TA(2011)0588", "110(4)" and "1999." never match.
CALL_RE = re.compile(r"(?:[^\W\d_]|[)\]”\"»’'%])(\d{1,3})(?=[\s,.;:·)\]”\"»’']|$)")
#: A footnote call glued to a year, as the PDFs print it: "of 24 February 20211," is
#: the year 2021 and call 1. Only a free-standing 19xx/20xx year followed by one or two
#: digits qualifies ("C9-0401/2020", "22.12.2000" and "12345" never match); whether a
#: footnote with that number exists is decided by the caller.
YEAR_CALL_RE = re.compile(r"(?:^|[^\w/.,\-])(?:19|20)\d\d(\d{1,2})(?=[\s,.;:·)\]”\"»’']|$)")
# the pieces of CALL_RE and YEAR_CALL_RE, used by iter_calls around each run of digits
_DIGITS = re.compile(r"\d+")
_CALL_BEFORE = re.compile(r"[^\W\d_]|[)\]”\"»’'%]")
_YEAR_BEFORE = re.compile(r"[^\w/.,\-]")
_CALL_AFTER = re.compile(r"[\s,.;:·)\]”\"»’']")
_FOOTNOTE_LINE = re.compile(r"^(\d{1,3})(?:\s{1,}|\t)(\S.*)$")
#: A note's number glued to its body, as pdfminer prints a raised number: "1OJ L 183, …".
_GLUED_NOTE = re.compile(r"^(\d{1,3})([^\W\d_]{2}.*)$")
_NOTE_GAP = re.compile(r"^\d{1,3}(?:\s{2,}|\t)\S")
_BARE_NOTE = re.compile(r"^(\d{1,3})$")
_WORDS = re.compile(r"[^\W\d_]+")
_PE_REF = re.compile(r"^PE\s?\d{3}\.\d{3}(?:v\d+-\d+)?")
_MARKER_START = re.compile(
    rf"^(?:{DASH_CLASS}|\(?[a-z]{{1,4}}\)|[A-Z]{{1,2}}\.|\d{{1,3}}\.)(?:\s|$)")
_SOFT_HYPHEN = "\u00ad"
_HEAD_WORD = re.compile(r"([^\W\d_]+)-$")
_TAIL_WORD = re.compile(r"[^\W\d_]+")
_MAX_WORD = 80  # letters looked at before a line-end hyphen
#: EP document references whose hyphen an extraction tool dropped at a line
#: break: "C60275/2008" → "C6-0275/2008" (term 1–2 digits, number 4 digits).
_LOST_REF_HYPHEN = re.compile(r"\b([ABC])(\d{5,6})/((?:19|20)\d\d)\b")
_CODE_HYPHEN = re.compile(r"[A-Za-z0-9]-$")
#: What a line must end with for join_lines to do more than join with spaces.
_BREAKS = ("-", _SOFT_HYPHEN)


def iter_calls(text: str, start: int = 0, lazy: bool = False
               ) -> list[tuple[int, int, str, bool]] | Iterator[tuple[int, int, str, bool]]:
    """Possible footnote calls in ``text`` from ``start``, in order.

    Each is (start, end, number, glued to a year). Digits glued to codes ("G20",
    "H5N1") are not calls; whether a footnote with that number exists, and is the
    one expected, is for the caller to decide.

    The result is that of :data:`CALL_RE` and :data:`YEAR_CALL_RE` (in one pass),
    found from the runs of digits: a match can only start where a run
    does, since the character before it is never a digit; reading the runs and looking
    at the characters around them is many times faster than trying the pattern at every
    position.

    With ``lazy``, an iterator (for a caller that stops at the first call it wants).

    Example:
        >>> [c[2:] for c in iter_calls("Asia1, of 24 February 20212, Rule 110(4), P7_TA(2011)0588")]
        [('1', False), ('2', True)]
    """
    found = _calls(text, start)
    return found if lazy else list(found)


def _calls(text: str, start: int) -> Iterator[tuple[int, int, str, bool]]:
    n = len(text)
    for m in _DIGITS.finditer(text, start):
        s, e = m.span()
        if e < n and not _CALL_AFTER.match(text, e):
            continue
        size = e - s
        if size <= 3:
            if s > start and _CALL_BEFORE.match(text, s - 1) and _plausible_call(text, s):
                yield (s, e, m.group(), False)
        elif (size == 5 or size == 6) and text.startswith(("19", "20"), s) and (
                s == 0 or (s > start and _YEAR_BEFORE.match(text, s - 1))):
            yield (s + 4, e, text[s + 4 : e], True)


def _plausible_call(text: str, at: int) -> bool:
    """Reject calls glued to codes such as G20 or H5N1 (one capital, or digits in the word)."""
    start = at
    while start > 0 and text[start - 1].isalnum() and at - start <= _MAX_WORD:
        start -= 1
    word = text[start:at]
    if not word:
        return True  # after a bracket or quote
    if any(c.isdigit() for c in word):
        return False
    return not (len(word) == 1 and word.isupper())


def _split_pages(text: str) -> list[list[tuple[int, str]]]:
    """Pages of (line number, raw line); a form feed starts a new page.

    A line holding form feeds is split at them: the piece before the first stays on its
    page (if not blank), each piece after one opens a page (and is kept if not blank).
    """
    lines = text.split("\n")
    if "\f" not in text:
        return [list(enumerate(lines, 1))]
    pages: list[list[tuple[int, str]]] = [[]]
    start = 0  # the first line not placed yet
    counted = 0  # newlines before this position are counted in line
    line = 0
    pos = text.find("\f")
    while pos >= 0:  # from form feed to form feed: the lines between are whole
        line += text.count("\n", counted, pos)
        counted = pos
        pages[-1].extend(enumerate(lines[start:line], start + 1))
        pieces = lines[line].split("\f")
        if pieces[0].strip():
            pages[-1].append((line + 1, pieces[0]))
        for piece in pieces[1:]:
            pages.append([])
            if piece.strip():
                pages[-1].append((line + 1, piece))
        start = line + 1
        end = text.find("\n", pos)
        if end < 0:
            break
        pos = text.find("\f", end)
    pages[-1].extend(enumerate(lines[start:], start + 1))
    return pages


def _edge_lines(stripped_pages: list[list[str]]) -> Counter:
    """How often each stripped line stands at the top or bottom of a page (``stripped_pages``:
    each page's lines, stripped)."""
    seen: Counter = Counter()
    for stripped in stripped_pages:
        content = [t for t in stripped if t]
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
    several = len(pages) > 1
    # every line stripped once (blank lines strip to "")
    stripped_pages = [[raw.strip() for _, raw in page] for page in pages] if several else None
    repeated = {
        line for line, n in _edge_lines(stripped_pages).items() if n >= 2
    } if several else set()

    # content lines: (no, text, indent, blank lines before, first line of a page)
    entries: list[tuple[int, str, int, int, bool]] = []
    append = entries.append
    last_page = len(pages) - 1
    blank = 0
    # what no line can hold if the whole text does not: questions spared on every line
    soft = _SOFT_HYPHEN in text
    refs = "/19" in text or "/20" in text
    for pi, page in enumerate(pages):
        if several:
            strips = stripped_pages[pi]
            content_idx = [k for k, t in enumerate(strips) if t]
            edge = set(content_idx[:2] + content_idx[-2:])
            last = content_idx[-1] if content_idx and pi == last_page else -1
        else:  # one page: only its last line can be page furniture (a page number)
            content_idx, edge = [], ()
            last = len(page) - 1
            while last >= 0 and (not page[last][1] or page[last][1].isspace()):
                last -= 1
        first = pi > 0
        for k, (no, raw) in enumerate(page):
            stripped = strips[k] if several else raw.strip()
            if not stripped:
                blank += 1
                continue
            near_edge = k in edge
            if "A" <= stripped[0] <= "Z" and stripped[:2].isupper() and (
                    _PE_REF.match(stripped) or motto_re().match(stripped)):
                artefacts.append(Artefact(no, "running-header", stripped))
                continue
            if (near_edge or k == last) and page_number_re().match(stripped) and not (
                    several and _BARE_NOTE.match(stripped)
                    and _maybe_note_number(page, content_idx, k, repeated, entries)):
                artefacts.append(Artefact(no, "page-number", stripped))
                continue
            if near_edge and stripped in repeated and not (pi == 0 and k == content_idx[0]):
                artefacts.append(Artefact(no, "running-header", stripped))
                continue
            if soft and _SOFT_HYPHEN in stripped and _SOFT_HYPHEN in stripped[:-1]:
                # invisible; at the line end, join_lines decides
                stripped = stripped[:-1].replace(_SOFT_HYPHEN, "") + stripped[-1]
                artefacts.append(Artefact(no, "hyphenation", _SOFT_HYPHEN))
            if refs and ("/19" in stripped or "/20" in stripped) and (
                    _LOST_REF_HYPHEN.search(stripped)):
                repaired = _LOST_REF_HYPHEN.sub(_restore_ref, stripped)
                artefacts.append(Artefact(no, "lost-hyphen-restored", stripped))
                stripped = repaired
            indent = 0 if raw[0] not in " \t" else len(raw) - len(raw.lstrip(" \t"))
            append((no, stripped, indent, blank, first))
            blank = 0
            first = False

    column_warnings: list[ParseWarning] = []
    if any(_MARKER_ONLY.match(a[1]) and _MARKER_ONLY.match(b[1])
           for a, b in zip(entries, entries[1:], strict=False)):  # cheap test: most have none
        entries = _rejoin_columns(entries, column_warnings)
    web: tuple[tuple[Footnote, ...], tuple[Call, ...]] = ((), ())
    if entries and _NOTE_OPENING.match(entries[-1][1]) or any(
            _NOTE_OPENING.match(e[1]) for e in entries[-_WEB_NOTES_LOOK:]):
        entries, web = _web_notes(entries, artefacts, column_warnings)
    ls = _collect(entries, artefacts, text.count("\n") + 1)
    if column_warnings or web[0]:
        ls = Lines(ls.lines, web[0] + ls.footnotes, ls.artefacts, ls.source_lines,
                   web[1] + ls.calls, tuple(column_warnings) + ls.warnings)
    return ls


# -- notes after the text, as web pages print them --------------------------------------

#: A line that may open a note printed after the text: "(1) …", "[1] …", "¹ …", "* …", "(*) …".
_NOTE_OPENING = re.compile(r"^(?:\((\d{1,3}|\*{1,3})\)|\[(\d{1,3}|\*{1,3})\]|([¹²³⁰⁴-⁹]{1,3})"
                           r"|(\*{1,3}))\s*(\S.*)$")
#: How many lines from the end a web page's first note line is looked for (a cheap test).
_WEB_NOTES_LOOK = 200
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_STYLES = ("paren", "bracket", "sup", "star")


def _note_opening(text: str) -> tuple[str, str, str] | None:
    """(style, mark, body) of a line opening a note after the text, or None.

    Example:
        >>> _note_opening("[2] OJ C 1."), _note_opening("² OJ C 1."), _note_opening("(*) OJ")
        (('bracket', '2', 'OJ C 1.'), ('sup', '2', 'OJ C 1.'), ('paren', '*', 'OJ'))
    """
    m = _NOTE_OPENING.match(text)
    if m is None:
        return None
    for style, group in zip(_STYLES, m.groups()[:4], strict=True):
        if group:
            return style, group.translate(_SUPERSCRIPT), m.group(5)
    return None


def _next_mark(mark: str) -> str:
    return "*" * (len(mark) + 1) if mark.startswith("*") else str(int(mark) + 1)


def _call_pattern(style: str, printed: str) -> re.Pattern[str]:
    """Where a note printed after the text is called: its mark after a word, as the page
    printed it ("Asia(1),", "Asia [1],", "Asia¹,", "Asia*,"), a space before it allowed."""
    body = {"paren": rf"\({re.escape(printed)}\)", "bracket": rf"\[{re.escape(printed)}\]",
            "sup": re.escape(printed), "star": re.escape(printed) + r"(?!\*)"}[style]
    return re.compile(rf"(?:(?<=[^\W\d_])|(?<=[)\]”\"»’'%.,;:])|(?<=(?<![\d/])(?:19|20)\d\d))"
                      rf" ?{body}(?![\w(\[])")


def _web_notes(entries, artefacts: list[Artefact], warnings: list[ParseWarning]):
    """Notes printed after the last item, as text copied from a web page has them.

    The block: from a line opening note 1 (``(1)``, ``[1]``, ``¹`` or ``*``) to the end of
    the text, note after note in sequence (1, 2, 3 … or *, **, …), other lines continuing
    the note above. They are notes, not points of the last paragraph, only if the text
    before calls them: each note's mark printed after a word, in order. Then the calls are
    printed as extracted text prints them (the digits glued to the word: "Asia(1)," →
    "Asia1,"; a star stays a star) and located exactly (:class:`Call`), and the notes are
    taken out of the text. A sequence whose calls are partly missing is taken as notes with
    a warning naming the notes without a call; one the text never calls stays text, with a
    warning.

    Returns the entries without the notes, and (footnotes, calls).
    """
    start = None
    for k in range(len(entries) - 1, max(-1, len(entries) - 1 - 5 * _WEB_NOTES_LOOK), -1):
        opening = _note_opening(entries[k][1])
        if opening is not None and opening[1] in ("1", "*"):
            start = k
            break
    if start is None:
        return entries, ((), ())
    style = _note_opening(entries[start][1])[0]  # type: ignore[index]
    notes: list[tuple[str, str, list[tuple[int, str]], int]] = []  # mark, printed, parts, line
    expected = _note_opening(entries[start][1])[1]  # type: ignore[index]
    for no, text, *_ in entries[start:]:
        opening = _note_opening(text)
        if opening is not None and opening[0] == style and opening[1] == expected:
            printed = _NOTE_OPENING.match(text).group(1 + _STYLES.index(style))  # type: ignore[union-attr]
            notes.append((opening[1], printed, [(no, opening[2])], no))
            expected = _next_mark(opening[1])
        elif opening is None and not _MARKER_START.match(text):
            notes[-1][2].append((no, text))
        else:
            return entries, ((), ())  # another item after the notes: they are not notes
    # the calls, in order, in the text before the notes
    head = [list(e) for e in entries[:start]]
    found: list[tuple[int, int, re.Match]] = []  # entry index, note index, match
    k, pos = 0, 0
    for n, (_, printed, _, _) in enumerate(notes):
        pattern = _call_pattern(style, printed)
        j, p = k, pos
        while j < len(head):
            m = pattern.search(head[j][1], p)
            if m is not None and m.start() > 0:
                found.append((j, n, m))
                k, pos = j, m.end()
                break
            j, p = j + 1, 0
    lines = f"lines {notes[0][3]}–{notes[-1][3]}"
    if not found:
        warnings.append(ParseWarning(
            f"{lines} read as notes {notes[0][0]}–{notes[-1][0]} after the "
            "last item, but the text calls none of them: kept as text", notes[0][3],
            "web-notes"))
        return entries, ((), ())
    missing = sorted(set(range(len(notes))) - {n for _, n, _ in found})
    if missing:
        warnings.append(ParseWarning(
            f"note(s) {', '.join(notes[n][0] for n in missing)} "
            f"after the last item have no call in the text; the block ({lines}) is read as "
            "notes because the others are called", notes[missing[0]][3], "web-notes"))
    calls: list[Call] = []
    shift = {}  # per entry: how much shorter the calls rewritten so far made its text
    for j, n, m in found:  # in text order, so each offset moves by the rewrites before it
        mark = notes[n][0]
        at = m.start() - shift.get(j, 0)
        text = head[j][1]
        head[j][1] = text[:at] + mark + text[at + m.end() - m.start():]
        shift[j] = shift.get(j, 0) + (m.end() - m.start() - len(mark))
        calls.append(Call(head[j][0], at, at + len(mark), mark))
    footnotes = _join_notes([(mark, parts, line) for mark, _, parts, line in notes],
                            entries, artefacts)
    return [tuple(e) for e in head], (footnotes, tuple(calls))


#: An item marker alone on its line ("–", "1.", "A.", "(a)", "(12)").
_MARKER_ONLY = re.compile(r"^(?:[–—\-•−]|\(?[a-z]{1,4}\)|\(\d{1,3}\)|[A-Z]{1,2}\.|\d{1,3}\.)$")


def _rejoin_columns(entries: list[tuple[int, str, int, int, bool]],
                    warnings: list[ParseWarning]
                    ) -> list[tuple[int, str, int, int, bool]]:
    """Join item markers that an extraction printed apart from their text as a column.

    pdfminer's layout analysis reads a hanging indent's markers as a column of their
    own: a page prints "–", "–", "–" (and the page's footnote numbers "1", "2"), each a
    block of its own, then the items' texts, block after block (or the texts first and
    the markers after them). A run of two or more blocks that are only a marker is that
    column: its markers are joined, in order, to the blocks of text right after the run
    (or, where the run ends the page's text, right before it); the footnote numbers
    printed in the column are moved to just before the page's last block, where their
    bodies are. The pairing is by order, so a warning says it was made.

    Example:
        >>> e = [(1, "–", 0, 0, False), (3, "–", 0, 1, False), (5, "having regard to X,", 0, 1,
        ...       False), (7, "having regard to Y,", 0, 1, False)]
        >>> [t for _, t, *_ in _rejoin_columns(e, [])]
        ['– having regard to X,', '– having regard to Y,']
    """
    # blocks: runs of entries separated by blank lines or page breaks
    blocks: list[list[tuple[int, str, int, int, bool]]] = []
    for e in entries:
        if not blocks or e[3] > 0 or e[4]:
            blocks.append([e])
        else:
            blocks[-1].append(e)
    out: list[list[tuple[int, str, int, int, bool]]] = []
    i = 0
    while i < len(blocks):
        run_end = i
        while (run_end < len(blocks) and len(blocks[run_end]) == 1
               and _MARKER_ONLY.match(blocks[run_end][0][1])
               and (run_end == i or not blocks[run_end][0][4])):
            run_end += 1
        if run_end - i < 2:
            out.append(blocks[i])
            i += 1
            continue
        markers = [b[0] for b in blocks[i:run_end]]
        numbers: list[list[tuple[int, str, int, int, bool]]] = []
        j = run_end
        while (j < len(blocks) and len(blocks[j]) == 1 and _BARE_NOTE.match(blocks[j][0][1])
               and not blocks[j][0][4]):
            numbers.append(blocks[j])
            j += 1
        page_end = j
        while page_end < len(blocks) and not blocks[page_end][0][4]:
            page_end += 1
        page_start = i
        while page_start > 0 and not blocks[page_start][0][4]:
            page_start -= 1
        elsewhere = [e for b in blocks[page_start:i] + blocks[run_end:page_end] for e in b]
        if any(_MARKER_ONLY.match(e[1]) for e in elsewhere):
            # markers alone elsewhere on the page: pdftotext's "marker, blank line, text"
            # with an empty item, not a column
            out.extend(blocks[i:run_end])
            i = run_end
            continue
        k = len(markers)
        after = blocks[j:page_end]
        before = out[len(out) - k:] if len(out) >= k else []
        if len(after) >= k and _all_text(after[:k]):
            # the texts follow the column; the rest of the page after them
            texts, rest = after[:k], after[k:]
            out.extend(_with_marker(m, b) for m, b in zip(markers, texts, strict=True))
            out.extend(rest[:-1])
            out.extend(numbers)
            out.extend(rest[-1:])
            first_text = texts[0][0][0]
        elif before and _all_text(before) and not any(b[0][4] for b in before[1:]):
            texts = before  # the texts came first, on this page
            del out[len(out) - k:]
            out.extend(_with_marker(m, b) for m, b in zip(markers, texts, strict=True))
            out.extend(numbers)
            out.extend(after)
            first_text = texts[0][0][0]
        else:
            out.extend(blocks[i:page_end])
            i = page_end
            continue
        warnings.append(ParseWarning(
            f"{k} item markers were printed apart from their text, as a "
            f"column (lines {markers[0][0]}–{markers[-1][0]}, as pdfminer prints a hanging "
            "indent); each was joined to the text beside it, in order", first_text,
            "marker-column"))
        i = page_end
    return [e for b in out for e in b]


def _all_text(blocks: list[list[tuple[int, str, int, int, bool]]]) -> bool:
    """Are these blocks all item texts without a marker of their own? (Where a marker
    follows, the run of markers was empty items, as pdftotext prints them, not a column.)"""
    return all(not _MARKER_START.match(b[0][1]) and not _MARKER_ONLY.match(b[0][1])
               and not _BARE_NOTE.match(b[0][1]) for b in blocks)


def _with_marker(marker: tuple[int, str, int, int, bool],
                 block: list[tuple[int, str, int, int, bool]]
                 ) -> list[tuple[int, str, int, int, bool]]:
    """``block`` with ``marker``'s text put before its first line (keeping the marker's
    blank lines and page break, so the item opens where its marker stood)."""
    no, text, indent, _, _ = block[0]
    first = (no, f"{marker[1]} {text}", min(indent, marker[2]), marker[3], marker[4] or block[0][4])
    return [first, *block[1:]]


def _maybe_note_number(page, content_idx: list[int], k: int, repeated: set[str],
                       before: list[tuple[int, str, int, int, bool]]) -> bool:
    """Is the bare number ``page[k]`` at a page foot rather a footnote's number, its body
    on the next line? Only if it is neither the first nor the last line of its page,
    the next line is no page furniture, and a call with that number was printed before."""
    if k in (content_idx[0], content_idx[-1]) or k < content_idx[-2]:
        return False
    nxt = page[content_idx[-1]][1].strip()
    if _PE_REF.match(nxt) or motto_re().match(nxt) or page_number_re().match(nxt) or (
            nxt in repeated):
        return False
    n = page[k][1].strip()
    return any(c[2] == n for _, t, *_ in before for c in iter_calls(t, lazy=True))


def _restore_ref(m: re.Match) -> str:
    digits = m.group(2)
    return f"{m.group(1)}{digits[:-4]}-{digits[-4:]}/{m.group(3)}"


def _collect(entries: list[tuple[int, str, int, int, bool]], artefacts: list[Artefact],
             total: int) -> Lines:
    """Separate footnote blocks from running text and count blank lines.

    A line "1  Texts adopted, …" is a footnote body only in context: its number is
    the next footnote expected, a call with that number was printed earlier, and the
    line stands where a page's footnotes stand -- set off from the text above by more
    blank space than the text's own line spacing, or followed by the end of the page.
    So a wrapped line "4 Member States declared …" inside double-spaced text stays text.
    A number alone on its line followed by the body on the next (as ``pdftotext``
    may print a page foot), a number glued to its body ("1OJ L 183, …", as pdfminer
    prints it) and a block of numbers alone followed by the bodies up to the end of
    the page (``pdftotext``'s default order: "1", "2", "", "OJ C 115, …", "OJ C 517, …")
    are read the same way.

    Where the numbering starts again -- a note-shaped line at a page foot numbered
    no higher than the last note, whose number was called again after that note -- a
    later part of the document begins (the Parliament's position after a legislative
    resolution, with notes of its own from 1): from there on nothing is taken as a
    note, so those notes stay text where they are printed and never take the first
    part's calls; a warning says so.
    """
    lines: list[Line] = []
    notes: list[tuple[str, list[tuple[int, str]], int]] = []  # marker, parts, line
    warnings: list[ParseWarning] = []
    calls_seen: set[int] = set()
    called_again: set[int] = set()  # numbers called after the last note's line
    expected_note: int | None = None
    page_break = False
    in_note = False
    ended = False  # the numbering started again: no more notes
    n_entries = len(entries)
    scanned = 0  # lines[:scanned] have given their calls to calls_seen
    i = 0
    note_end = -1  # the entry after the last one taken into a note
    unfinished: int | None = None  # a note that ran to its page's end mid-sentence
    while i < n_entries:
        no, text, indent, blank, page_start = entries[i]
        if page_start:
            unfinished = len(notes) - 1 if notes and note_end == i and not _ENDS_SENTENCE.search(
                notes[-1][1][-1][1]) else None
        elif unfinished is not None and blank > 0 and not ended:
            end = _continued_note(entries, i)
            if end is not None:
                notes[unfinished][1].extend((e[0], e[1]) for e in entries[i:end])
                warnings.append(ParseWarning(
                    f"read as the rest of footnote {notes[unfinished][0]}, continued "
                    "from the page before (where it stopped mid-sentence at the page's end)",
                    no, "footnote-continued"))
                unfinished, note_end, page_break, in_note = None, end, True, False
                i = end
                continue
        if ended or (not in_note and not text[0].isdigit()):  # the common case: text
            lines.append(_new_line(Line, (no, text, indent, blank, page_break or page_start)))
            page_break = False
            i += 1
            continue
        head = None
        block = None
        # only "1  Texts adopted …", "1OJ …" or a number alone can open a footnote
        if text[0].isdigit() and (_FOOTNOTE_LINE.match(text) or _BARE_NOTE.match(text)
                                  or _glued_note(text)):
            last_note = notes[-1][2] if notes else 0
            for ln in lines[scanned:]:  # the calls printed so far, read when first needed
                for _, _, marker, _ in iter_calls(ln.text, lazy=True):
                    calls_seen.add(int(marker))
                    if notes and ln.no > last_note:
                        called_again.add(int(marker))
            scanned = len(lines)
            if notes and _restarts(entries, i, int(notes[-1][0]), called_again):
                warnings.append(ParseWarning(
                    f"footnote numbering starts again at {_number_of(text)} here "
                    f"(after note {notes[-1][0]}): a later part of the document with notes of "
                    "its own, kept as text where they are printed, not attached to the first "
                    "part's calls", no, "footnote"))
                ended, in_note = True, False
                continue
            block = _number_block(entries, i, calls_seen, expected_note)
            if block is None:
                head = _note_head(entries, i, calls_seen, expected_note)
        if block is not None:
            numbers, bodies, end = block
            split, chosen = _split_bodies(bodies, len(numbers))
            if chosen:
                warnings.append(ParseWarning(
                    f"the bodies of footnotes {numbers[0][0]}–{numbers[-1][0]} "
                    f"follow their numbers ({len(bodies)} lines for {len(numbers)} notes); "
                    "where one ends was decided by where a line ends a sentence",
                    bodies[0][0], "footnote-order"))
            last_text = lines[-1].no if lines else 0
            for (n, line_no), (_, parts) in zip(numbers, split, strict=True):
                # a number printed before the text that calls it (moved here from a column
                # of markers): the note stands where its body does
                notes.append((str(n), parts, line_no if line_no > last_text else parts[0][0]))
            expected_note = numbers[-1][0] + 1
            called_again.clear()
            in_note = False
            page_break = True
            i = note_end = end
            continue
        if in_note and blank == 0 and not page_start and head is None and (
                not _MARKER_START.match(text)):
            notes[-1][1].append((no, text))
            i = note_end = i + 1
            continue
        if head is not None and (in_note or _at_page_foot(entries, i, calls_seen, head)):
            n, body_no, body, width = head
            notes.append((str(n), [(body_no, body)], no))
            expected_note = n + 1
            called_again.clear()
            in_note = True
            page_break = True
            i = note_end = i + width
            continue
        in_note = False
        lines.append(_new_line(Line, (no, text, indent, blank, page_break or page_start)))
        page_break = False
        i += 1
    footnotes = _join_notes(notes, entries, artefacts)
    return Lines(tuple(lines), footnotes, tuple(artefacts), total, warnings=tuple(warnings))


#: A note's last line that ends its sentence (else the note goes on at the next page's foot).
_ENDS_SENTENCE = re.compile(r"[.;:!?][\"”»’')\]]*$")


def _continued_note(entries, i: int) -> int | None:
    """Is ``entries[i]`` the rest of a note continued from the page before? Then the index
    after it, else None.

    It must be the page's last block (set off by a blank line, running to the page's end),
    open mid-sentence (not with a capital, an item marker or a note number), and not be the
    text of a marker printed alone on the line before it (pdftotext's "2.", "", "text").
    """
    text = entries[i][1]
    if text[0].isupper() or text[0].isdigit() or _MARKER_START.match(text) or (
            _MARKER_ONLY.match(entries[i - 1][1])):
        return None
    end = i + 1
    while end < len(entries) and not entries[end][4]:
        if entries[end][3] > 0:
            return None
        end += 1
    return end


def _number_of(text: str) -> str:
    m = _DIGITS.match(text)
    return m.group() if m else text


def _restarts(entries, i: int, last: int, called_again: set[int]) -> bool:
    """Does ``entries[i]`` open notes numbered again from 1 (a later part of the document)?

    It must be shaped as a page's footnotes are (a number set off from its body by a
    column gap or glued to it, a number alone followed by more numbers or by bodies to
    the end of the page, or a number after blank space), be no higher than the last
    note taken, and that number must have been called again after that note.
    """
    text = entries[i][1]
    n = int(_number_of(text))
    if n > last or n not in called_again:
        return False
    if _BARE_NOTE.match(text):
        return _number_block(entries, i, called_again, n) is not None
    return bool(_NOTE_GAP.match(text) or _glued_note(text) or entries[i][3] > 0)


def _glued_note(text: str) -> re.Match | None:
    """A note's number glued to a body that opens with a capital ("1OJ L 183, …")."""
    m = _GLUED_NOTE.match(text)
    return m if m is not None and m.group(2)[0].isupper() else None


def _number_block(entries, i: int, calls_seen: set[int], expected: int | None
                  ) -> tuple[list[tuple[int, int]], list[tuple[int, str]], int] | None:
    """Footnote numbers alone on their lines, then their bodies up to the end of the page
    (``pdftotext``'s default order): ((number, its line) …, body lines, index after the
    block), or None.

    The numbers must run on from the one expected (1 … for the first), each called
    before, and at least as many body lines must follow as there are numbers, up to the
    next page (a form feed) or the end of the text.
    """
    if not _BARE_NOTE.match(entries[i][1]):
        return None
    first = int(entries[i][1])
    if expected is None:
        expected = min(calls_seen, default=first)
    if first != expected or first not in calls_seen:
        return None
    numbers = [(first, entries[i][0])]
    j = i + 1
    while j < len(entries) and not entries[j][4] and _BARE_NOTE.match(entries[j][1]):
        n = int(entries[j][1])
        if n != numbers[-1][0] + 1 or n not in calls_seen:
            return None
        numbers.append((n, entries[j][0]))
        j += 1
    end = j
    while end < len(entries) and not entries[end][4]:
        end += 1
    bodies = [(entries[k][0], entries[k][1]) for k in range(j, end)]
    if len(bodies) < len(numbers) or (len(numbers) == 1 and j < len(entries)
                                        and entries[j][3] == 0 and len(bodies) > 1):
        return None  # one number glued above one wrapped body line: _note_head's case
    if any(_MARKER_START.match(t) for _, t in bodies):
        return None  # an item: text goes on after the numbers, this is no page foot
    return numbers, bodies, end


#: Where one note's body may end and the next begin, when bodies follow their numbers:
#: a line ending a sentence, then a line opening with a capital (or an opening quote).
_ENDS_NOTE = re.compile(r"[.)\]”\"»’']$")
_OPENS_NOTE = re.compile(r"^[\"“„«‘(]?[^\W\d_]")


def _split_bodies(bodies: list[tuple[int, str]], k: int
                  ) -> tuple[list[tuple[int, list[tuple[int, str]]]], bool]:
    """Split the body lines that follow ``k`` footnote numbers into ``k`` notes.

    One line each when there are ``k`` lines. Otherwise a note may end only after a line
    that ends a sentence and before a line that opens with a capital; when there are more
    such places than needed, the shortest lines are taken as the notes' last lines (a
    paragraph's last line is short), and the second value says a choice was made.

    Example:
        >>> notes, chosen = _split_bodies([(1, "OJ C 1."), (2, "Regulation 1/2 of the"),
        ...                                (3, "Council (OJ L 1, p. 1).")], 2)
        >>> [[t for _, t in parts] for _, parts in notes], chosen
        ([['OJ C 1.'], ['Regulation 1/2 of the', 'Council (OJ L 1, p. 1).']], False)
    """
    m = len(bodies)
    if m == k:
        return [(no, [(no, t)]) for no, t in bodies], False
    places = [t for t in range(m - 1)
              if _ENDS_NOTE.search(bodies[t][1]) and bodies[t + 1][1][:1].isupper()
              or (_ENDS_NOTE.search(bodies[t][1]) and _OPENS_NOTE.match(bodies[t + 1][1])
                  and not bodies[t + 1][1][:1].islower())]
    chosen = len(places) != k - 1
    if len(places) > k - 1:
        places = sorted(sorted(places, key=lambda t: (len(bodies[t][1]), t))[: k - 1])
    elif len(places) < k - 1:  # too few: the first notes one line each, the rest to the last
        places = sorted(set(places) | set(range(m - 1)))[: k - 1]
        places = sorted(places)
    out: list[tuple[int, list[tuple[int, str]]]] = []
    start = 0
    for t in [*places, m - 1]:
        part = bodies[start : t + 1]
        out.append((part[0][0], part))
        start = t + 1
    return out, chosen


def _join_notes(notes, entries, artefacts: list[Artefact]) -> tuple[Footnote, ...]:
    """Footnote bodies joined from their lines as items are (:func:`join_lines`): a word
    broken at a line end is joined only if the whole word is used in the document."""
    words: set[str] | None = None
    out = []
    for marker, parts, line in notes:
        if len(parts) == 1:
            text = parts[0][1]
        else:
            if words is None and any(t.endswith("-") for _, t in parts[:-1]):
                words = vocabulary(
                    [t for _, t, *_ in entries] + [t for _, ps, _ in notes for _, t in ps])
            text, arts = join_lines(parts, words)
            artefacts.extend(arts)
        out.append(Footnote(marker, text.strip(), line))
    return tuple(out)


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The case-folded words of ``texts``: where :func:`join_lines` looks up a word
    broken at a line end.

    Example:
        >>> sorted(vocabulary(["Eco-nomic growth,", "2021 ÉTÉ"]))
        ['eco', 'growth', 'nomic', 'été']
    """
    return set(map(str.casefold, _WORDS.findall("\n".join(texts))))


def _note_head(entries, i: int, calls_seen: set[int], expected: int | None
               ) -> tuple[int, int, str, int] | None:
    """If ``entries[i]`` opens the called footnote expected next: (number, line of the
    body, first line of the body, entries taken) -- one for "1  OJ C …", two for a
    number alone on its line with the body on the next."""
    text = entries[i][1]
    m = _FOOTNOTE_LINE.match(text) or _glued_note(text)
    if m:
        n, body_no, body, width = int(m.group(1)), entries[i][0], m.group(2).strip(), 1
    else:
        m = _BARE_NOTE.match(text)
        if m is None or i + 1 >= len(entries):
            return None
        body_no, body, _, b, page_start = entries[i + 1]
        if page_start or b > 1 or _BARE_NOTE.match(body) or _MARKER_START.match(body):
            return None
        n, width = int(m.group(1)), 2
    if expected is None:  # the first note on is the lowest number called
        expected = min(calls_seen, default=n)
    return (n, body_no, body, width) if n in calls_seen and n == expected else None


def _at_page_foot(entries, i: int, calls_seen: set[int], head: tuple[int, int, str, int]
                  ) -> bool:
    """Does the candidate footnote line ``entries[i]`` stand where footnotes stand?

    It must follow a blank line, and either more blank space than the line before it
    (the text's own spacing) or the end of its page (a form feed or the end of the
    text) after the block of footnote lines it opens. Without a blank line, only a
    number set off from its text by a column gap ("1    OJ C …", as ``pdftotext
    -layout`` prints a page foot) or alone on its line, at the end of a page, qualifies.
    """
    n, _, _, width = head
    blank = entries[i][3]
    if blank == 0:
        if width == 1 and not _NOTE_GAP.match(entries[i][1]):
            return False
    else:
        spacing = entries[i - 1][3] if i > 0 else 0
        if blank > spacing:
            return True
    j, expected = i + width, n + 1
    while j < len(entries):  # skip the rest of the block: further notes, their wrapped lines
        no, text, indent, b, page_start = entries[j]
        if page_start:
            return True
        nxt = _note_head(entries, j, calls_seen, expected)
        if nxt is not None and b <= blank:
            expected += 1
            j += nxt[3]
            continue
        if b != 0 or _MARKER_START.match(text):
            return blank > 0 and b > blank
        j += 1
    return True


def join_lines(parts: list[tuple[int, str]], vocabulary: set[str] | None = None
               ) -> tuple[str, list[Artefact]]:
    """Join the wrapped lines of one item into one string.

    A hyphen at a line end is a line-break artefact (removed, reported) only if
    the word without it is used elsewhere in the document (``vocabulary``) and the
    next line goes on in the same case; otherwise it is a real hyphen ("socio-" +
    "economic" → "socio-economic", "non-" + "EU" → "non-EU"). Soft hyphens are
    always removed.

    Example:
        >>> join_lines([(1, "socio-"), (2, "economic")])[0]
        'socio-economic'
        >>> join_lines([(1, "eco-"), (2, "nomic")], {"economic"})[0]
        'economic'
    """
    if not any(text.endswith(_BREAKS) for _, text in parts[:-1]):
        # no line ends with a hyphen (the common case): the lines joined with spaces
        return " ".join([text for _, text in parts]), []
    artefacts: list[Artefact] = []
    pieces: list[str] = []  # joined at the end: linear in the item's length
    prev = 0  # line number of the previous part: where a line-end hyphen was printed
    for i, (no, text) in enumerate(parts):
        if i == 0:
            pieces.append(text)
            prev = no
            continue
        no, prev = prev, no
        last = pieces[-1]
        if last.endswith(_SOFT_HYPHEN):
            artefacts.append(Artefact(no, "hyphenation", "\u00ad"))
            pieces[-1] = last[:-1]
            pieces.append(text)
        elif _CODE_HYPHEN.search(last[-2:]) and text[:1].isdigit():
            pieces.append(text)  # "C6-" + "0275/2008": a reference broken at its hyphen
        elif last[-2:-1].isalpha() and last.endswith("-") and text[:1].isalpha():
            # a word broken by the line: joined only if the whole word is used elsewhere
            # in the document, and the case goes on ("pro-" + "tection", not "non-" + "EU")
            head = _HEAD_WORD.search(last[-_MAX_WORD:])
            tail = _TAIL_WORD.match(text)
            word = (head.group(1) if head else "") + (tail.group(0) if tail else "")
            same_case = text[0].islower() or (last[-2].isupper() and text[:2].isupper())
            if (vocabulary is not None and head and same_case
                    and word.casefold() in vocabulary):
                artefacts.append(Artefact(no, "hyphenation", "-"))
                pieces[-1] = last[:-1]
            pieces.append(text)  # otherwise a real hyphen: "cross-" + "border", "non-EU"
        else:
            pieces.append(" " + text)
    return "".join(pieces), artefacts
