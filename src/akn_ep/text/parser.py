"""Lines → Resolution: a cursor over normalised lines and a short list of rules.

Each line either opens an item (citation, recital, paragraph, point, heading,
annex, trailing block) or continues the open one. Whether a marker at a line
start really opens an item is decided in context, never from the line alone:

- a number opens paragraph *n* only if *n* is the paragraph expected next, the
  open item has ended (``,`` ``;`` ``:`` ``.``) and the word after it is not a
  month name ("15. janvāra …" continues a citation); after a mere comma it must
  also be the last line starting with *n* before one starting with *n + 1*
  ("… 5. panta 1., 2.," / "3. un 4. punktu …" continues paragraph 2 when a later
  line opens paragraph 3), and a number printed without its dot ("4 Member
  States …") opens only the first paragraph or follows a full stop or semicolon;
- a letter opens a recital only if it is the recital letter expected next;
- points follow their own sequences ((a) → (b), (i) → (ii)), a sub-sequence
  starts where the parent sequence cannot continue ("(i)" after "(h)" is a
  letter, after "(b)" a sub-point).

In the head, the title ends at its balanced closing bracket or at its procedure
reference (also when the source forgot the last bracket, with a warning); the
lines just before it (after any TA number, stars or references) are the heading,
earlier ones (a PDF masthead) are kept as head lines.

The rules are data-driven: every phrase comes from the language table.

Example:
    >>> from akn_ep.text.lines import normalise
    >>> r = parse(normalise("European Parliament resolution of 1 June 2012 on X\\n"
    ...     "The European Parliament,\\n– having regard to Rule 110,\\n"
    ...     "1. Instructs its President to forward this resolution.\\n"), lang="en")
    >>> r.date.isoformat(), len(r.citations), r.body[0].number
    ('2012-06-01', 1, '1')
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re

from .. import languages
from ..errors import ModelError, ParseError
from ..languages import Language
from ..model import (
    Annex,
    Artefact,
    Citation,
    FootnoteRef,
    Heading,
    HeadLine,
    Paragraph,
    ParseReport,
    Point,
    Recital,
    Resolution,
    ta_date_conflict,
    ta_year,
)
from ..render import PRE_TITLE_ROLES
from .lines import Line, Lines, iter_calls, join_lines, vocabulary

__all__ = ["parse"]

# -- markers ------------------------------------------------------------------
_DASH = re.compile(r"^([–—\-•−‒])(?:\s*(.*))?$")
_LETTER = re.compile(r"^([^\W\d_]{1,3})\.(?:\s*(.*))?$")
_NUMBER_DOT = re.compile(r"^(\d{1,3})\.(?:\s*(.*))?$")
_NUMBER_BARE = re.compile(r"^(\d{1,3})\s+([^\W\d_].*)$")
_NUMBER_INSERTED = re.compile(r"^(\d{1,3}[a-z])\.\s+\S")  # "2a. Calls …": not numbered by us
# a point's label: a number, letters of any script ("b", "bb", "στ", "в"; the language
# says which count, Language.point_index) or a Roman number
_POINT = re.compile(r"^\((\d{1,2}|[^\W\d_]{1,3}|[ivxlc]{1,6})\)(?:\s*(.*))?$"
                    r"|^([^\W\d_]{1,3}|[ivx]{1,5})\)\s+(.*)$")
# "·" is the Greek ano teleia (U+0387, U+00B7 after NFC): Greek items end with it as
# others end with ";"
_ENDED = re.compile(r"[.;:,!?·][\"”»’')\]]*$")
_STRONG_END = re.compile(r"[.;:!?·][\"”»’')\]]*$")
_SENTENCE_END = re.compile(r"[.;!?·][\"”»’')\]]*$")
#: What _ENDED, _STRONG_END and _SENTENCE_END look for, as sets of end marks
_ENDS = frozenset(".;:,!?·")
_STRONG_ENDS = frozenset(".;:!?·")
_SENTENCE_ENDS = frozenset(".;!?·")
_CLOSERS = "\"”»’')]"
_DASH_CHARS = frozenset("–—-•−‒")
#: A numbered heading: a Roman numeral or one capital letter, a dot, the heading text
_HEAD_NUM = re.compile(r"^([IVXLC]{1,6}|[^\W\d_])\.\s+(\S.*)$")

# -- head ---------------------------------------------------------------------
_TA = re.compile(r"^(P\d{1,2}_TA(?:-PROV)?\(\d{4}\)\d{4})\s*(.*)$")
_STARS = re.compile(r"^\*{1,3}\s*I{0,3}$")
_TRAILING_STARS = re.compile(r"\s+(\*{1,3}\s*I{0,3})$")
_DOC_REFS = re.compile(r"^(?:RC-)?[A-Z]{1,2}\d-\d{3,4}\b")
_PROC = re.compile(r"(\d{2,4}/\d{4}[A-Z]?)\s*\(\s*([A-Za-zΑ-Ωα-ωА-Яа-я]{3})\s*(\))?")
_PROC_END = re.compile(r"\d{4}/\d{4}[A-Z]?\s*\(\s*[A-Za-zΑ-Ωα-ωА-Яа-я]{3}\s*\)\)?\s*$")
_OPENING_LINES = 4  # lines of a paragraph searched for the closing instruction
_SUBTITLE_MAX = 60  # characters: longer unpunctuated lines are wrapped text, not a title
_HEAD_WINDOW = 200  # lines searched for the formula
_PROC_TAIL = 40  # characters at a title's end searched for its procedure reference
_LOOKALIKE = str.maketrans("ΑΒΕΗΙΚΜΝΟΡΤΧΥΖАВЕКМНОРСТХ", "ABEHIKMNOPTXYZABEKMHOPCTX")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_SHORT_YEAR = re.compile(r"/(\d{2})\s*$")
_DOCREF_TOKEN = re.compile(r"\d")
_CHAIN_SEP = re.compile(r"\s*[–—-]\s+|\s+[–—-]\s*|–")
_ANNEX_NUMBER = re.compile(r"^(?:[IVXLC]{1,6}|\d{1,3}|[A-Z])[.:]?$")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman(s: str) -> int | None:
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def _end_mark(text: str) -> str:
    """The last character of ``text`` before any closing quotes and brackets ("" if
    none): ``_end_mark(t) in _ENDS`` says what ``_ENDED.search(t)`` says, without a
    search through the whole line."""
    if text and text[-1] in _CLOSERS:
        text = text.rstrip(_CLOSERS)
    return text[-1:]


class _Block:
    """An item being read: its kind, marker, source lines, and level (for points).

    ``end`` is the punctuation its last line ends with (after closing quotes and
    brackets), kept as lines are added, so that "has it ended?" costs nothing.
    """

    __slots__ = ("kind", "num", "parts", "line", "level", "seq", "text", "calls", "end")

    def __init__(self, kind: str, num: str | None, parts: list[tuple[int, str]], line: int,
                 level: int = 0, seq: str = ""):
        self.kind = kind
        self.num = num
        self.parts = parts
        self.line = line
        self.level = level
        self.seq = seq  # point sequence kind: alpha, roman, digit, dash
        self.text = ""
        self.calls: list[tuple[int, FootnoteRef]] = []
        self.end = _end_mark(parts[-1][1]) if parts else ""

    def add(self, no: int, text: str) -> None:
        self.parts.append((no, text))
        self.end = _end_mark(text)

    def joined(self) -> str:
        return " ".join(t for _, t in self.parts)

    def opening(self) -> str:
        """The first few lines: where a paragraph says what it does (bounded cost)."""
        return " ".join(t for _, t in self.parts[:_OPENING_LINES])

    def ended(self) -> bool:
        if self.kind in ("heading", "annex"):  # one-line items: over when their line is
            return True
        return self.end in _ENDS

    def empty(self) -> bool:
        return not self.parts


class _Parser:
    def __init__(self, lines: Lines, lang: Language, date: _dt.date | None, strict: bool):
        self.src = lines
        self.lang = lang
        self.supplied_date = date
        self.strict = strict
        self.warnings: list[str] = []
        self.artefacts: list[Artefact] = list(lines.artefacts)
        self.blocks: list[_Block] = []
        self.section = "start"
        self.next_recital = 0
        self.next_para = 1
        self.points: list[tuple[str, int]] = []  # stack of (sequence kind, last index)
        self.paragraph_nums: set[str] = set()  # the paragraph numbers opened so far
        self.recital_letters: set[str] = set()  # … and recital letters

    # -- reporting --------------------------------------------------------------
    def fail(self, message: str, line: int | None, expected: str | None = None) -> None:
        """Raise in strict mode; record a warning in lenient mode."""
        if self.strict:
            raise ParseError(message, line=line, expected=expected)
        where = f"line {line}: " if line else ""
        self.warnings.append(f"{where}{message}")

    # -- entry ------------------------------------------------------------------
    def run(self) -> Resolution:
        lines = self.src.lines
        if not lines:
            raise ParseError("the text is empty", line=1, expected="a resolution title")
        f = self.find_formula(lines)
        head = self.read_head(lines[:f], lines[f])
        self.read_items(lines[f + 1 :])
        if not any(b.kind == "paragraph" for b in self.blocks):
            last = lines[-1].no
            where = {"start": "after the formula", "citations": "in the citations",
                     "recitals": "in the recitals"}.get(self.section, "")
            message = f"the text ends {where} without any numbered paragraph"
            raise ParseError(message.replace("  ", " "),
                             line=last, expected=f"paragraph {self.next_para}")
        self.attach_footnotes()
        return self.build(head, lines[f].text)

    def find_formula(self, lines: tuple[Line, ...]) -> int:
        window = lines[:_HEAD_WINDOW]
        for i, line in enumerate(window):
            if self.lang.is_formula(line.text):
                return i
        formula = repr(self.lang.formula[0])
        titles = [i for i, ln in enumerate(window) if self.lang.is_title(ln.text)]
        if not titles:
            raise ParseError(
                f"neither a resolution title nor a formula such as {formula} found: this does "
                f"not read as a European Parliament resolution in {self.lang.name}",
                line=lines[0].no,
                expected=f"a resolution title, then the formula {formula}",
            )
        after = titles[0] + 1
        raise ParseError(
            f"a title but no formula such as {formula} after it: this does not read as a "
            f"European Parliament resolution in {self.lang.name}",
            line=window[after].no if after < len(window) else window[-1].no,
            expected=formula,
        )

    # -- head -------------------------------------------------------------------
    def read_head(self, head: tuple[Line, ...], formula: Line) -> dict:
        """Title, heading, TA number and the other head lines, all kept.

        Before the title, lines such as the TA number, stars or document references
        split the rest into runs; the run nearest the title is the heading (the short
        title, possibly wrapped), the earlier ones (a PDF's masthead: "European
        Parliament", "2019-2024", "TEXTS ADOPTED") are kept line by line.
        """
        lang = self.lang
        out: dict = {"head_lines": [], "doc_refs": []}
        title_starts = [i for i, ln in enumerate(head) if lang.is_title(ln.text)]
        t0 = title_starts[-1] if title_starts else None
        title_parts: list[tuple[int, str]] = []
        runs: list[list[tuple[int, str]]] = [[]]
        in_title = False
        for i, ln in enumerate(head):
            text = ln.text
            before_title = t0 is None or i < t0
            if i == t0:
                title_parts.append((ln.no, text))
                in_title = not _title_complete(text)
                continue
            m = _TA.match(text)
            if m:
                in_title = False
                out["ta_number"], out["ta_line"] = m.group(1), ln.no
                if m.group(2).strip():
                    out["head_lines"].append(HeadLine("documentRefs", m.group(2).strip()))
                    out["doc_refs"].append(m.group(2).strip())
                if before_title:
                    runs.append([])
                continue
            if _STARS.match(text):
                in_title = False
                out["head_lines"].append(HeadLine("stars", text))
                if before_title:
                    runs.append([])
                continue
            # a title still open (an old title has no closing bracket) is over at a line
            # that is a head line of its own, unless its brackets are still open
            free = not in_title or _balanced(" ".join(t for _, t in title_parts))
            if _DOC_REFS.match(text) and free:
                in_title = False
                out["head_lines"].append(HeadLine("documentRefs", text))
                out["doc_refs"].append(text)
                if before_title:
                    runs.append([])
                continue
            if text.startswith("(") and text.endswith(")") and t0 is not None and i > t0 and (
                not in_title or _balanced_closed(" ".join(t for _, t in title_parts))
                or (free and _balanced(text) and not _DOCREF_TOKEN.search(text))
            ):
                in_title = False
                out["head_lines"].append(HeadLine("procedureKind", text))
                continue
            if in_title and free and self.is_sitting(text):
                in_title = False
                out["head_lines"].append(HeadLine("sitting", text))
                continue
            if in_title:
                title_parts.append((ln.no, text))
                in_title = not _title_complete(" ".join(t for _, t in title_parts))
                continue
            if before_title:
                runs[-1].append((ln.no, text))
            else:
                out["head_lines"].append(self.head_line(text))
        runs = [r for r in runs if r]
        heading_parts = runs.pop() if runs else []
        masthead = [self.head_line(text) for run in runs for _, text in run]
        out["head_lines"][:0] = masthead
        if not title_parts:
            if not heading_parts:
                raise ParseError("no title before the formula", line=formula.no,
                                 expected="the resolution's title")
            self.fail("no line reads as a resolution title; the text before the formula is "
                      "taken as the title", heading_parts[0][0], "a title such as "
                      f"{lang.name} 'European Parliament resolution of …'")
            title_parts, heading_parts = heading_parts, []
        title, arts = join_lines(title_parts)
        self.artefacts.extend(arts)
        out["title"] = title
        if heading_parts:
            heading, arts = join_lines(heading_parts)
            self.artefacts.extend(arts)
            stars = _TRAILING_STARS.search(heading)
            if stars:
                heading = heading[: stars.start()]
                out["head_lines"].insert(0, HeadLine("stars", stars.group(1)))
            out["heading"] = heading
        self.read_title_facts(title, title_parts[0][0], out)
        # canonical order: what prints before the title, then what follows it
        out["head_lines"].sort(key=lambda h: h.role not in PRE_TITLE_ROLES)
        return out

    def is_sitting(self, text: str) -> bool:
        """"Thursday, 23 May 1996 - Strasbourg": a line that opens with a date (after at
        most a weekday), not a title's wrapped line ("of 23 May 1996 on …")."""
        if not text[:1].isupper() and not text[:1].isdigit():
            return False
        found = self.lang.find_date(text)
        if not found:
            return False
        folded = languages.fold(text)
        before = folded[: found[1][0]].split()
        return len(before) <= 1 and len(folded.split()) <= 12

    def head_line(self, text: str) -> HeadLine:
        """A head line that is neither title, heading, number, stars nor references."""
        return HeadLine("sitting" if self.lang.find_date(text) else "other", text)

    def read_title_facts(self, title: str, line: int, out: dict) -> None:
        # a match starts at most four digits before a slash: searched from the first one
        slash = title.find("/")
        procs = list(_PROC.finditer(title, max(0, slash - 4))) if slash >= 0 else []
        if procs:
            m = procs[-1]
            kind = m.group(2).translate(_LOOKALIKE).upper()
            if kind.isascii():
                out["procedure"] = f"{m.group(1)}({kind})"
                if not m.group(3):
                    self.warnings.append(
                        f"line {line}: procedure reference {out['procedure']} lacks its closing "
                        "parenthesis in the source (read as printed otherwise)"
                    )
                elif title.count("(") > title.count(")"):
                    self.warnings.append(
                        f"line {line}: the title lacks the closing parenthesis after the "
                        f"procedure reference {out['procedure']} (kept as printed)"
                    )
                out["doc_refs"].extend(_chain_refs(title, m.start(), m.group(1)))
        found = self.lang.find_date(title)
        if found:
            out["date"], out["date_source"] = found[0], "printed"
            if self.supplied_date and self.supplied_date != found[0]:
                self.warnings.append(
                    f"the text prints the adoption date {found[0].isoformat()}; the supplied "
                    f"date {self.supplied_date.isoformat()} was not used"
                )
        elif self.supplied_date:
            out["date"], out["date_source"] = self.supplied_date, "supplied"
        else:
            year = _guess_year(out)
            if year:
                out["date"], out["date_source"] = _dt.date(year, 1, 1), "fallback"
                self.warnings.append(
                    f"no adoption date printed or supplied: fallback {year}-01-01 (1 January of "
                    f"the year {year} printed in the head); pass date= / --date to set it"
                )
            else:
                self.warnings.append(
                    "no adoption date printed or supplied, and no year in the head: the "
                    "document is dated 0001-01-01 (unknown); pass date= / --date to set it"
                )

    # -- items ------------------------------------------------------------------
    def open(self, kind: str, num: str | None, line: Line, rest: str | None,
             level: int = 0, seq: str = "") -> None:
        parts = [(line.no, rest)] if rest else []
        self.blocks.append(_Block(kind, num, parts, line.no, level, seq))

    def read_items(self, lines: tuple[Line, ...]) -> None:
        # where each number stands at a line start ("3." apart from "3 "), to read
        # numbering in context
        dotted: dict[int, list[int]] = {}
        any_form: dict[int, list[int]] = {}
        self.numbered: dict[bool, dict[int, list[int]]] = {True: dotted, False: any_form}
        for idx, line in enumerate(lines):
            text = line.text
            if not text[:1].isdigit():
                continue
            m = _NUMBER_DOT.match(text)
            if m:
                dotted.setdefault(int(m.group(1)), []).append(idx)
            m = m or _NUMBER_BARE.match(text)
            if m:
                any_form.setdefault(int(m.group(1)), []).append(idx)
        self.item_lines = lines
        count = len(lines)
        for idx, line in enumerate(lines):
            self.idx = idx
            if not self.step(line, lines[idx + 1] if idx + 1 < count else None):
                cur = self.blocks[-1] if self.blocks else None
                if cur is None:
                    self.fail("text after the formula that is not a citation, recital or "
                              "paragraph", line.no, "a citation ('–'), recital or paragraph")
                    self.open("citation", None, line, line.text)
                elif line.text:
                    cur.parts.append((line.no, line.text))  # cur.add, inlined
                    cur.end = _end_mark(line.text)
        self.drop_empty()

    def step(self, line: Line, nxt: Line | None) -> bool:
        """Open a new item if ``line`` starts one in context; False means 'continues'."""
        text = line.text
        if not text:
            return False
        cur = self.blocks[-1] if self.blocks else None
        section = self.section
        first = text[0]
        if cur is not None and not cur.parts:
            # a marker alone on its line (pdftotext): what follows is its text,
            # unless it is itself a marker of the same kind (a stray empty item), or a
            # paragraph or point without an introduction whose first point follows
            if cur.kind in ("paragraph", "point") and section == "body":
                return self.open_first_point(line)
            if not (cur.kind == "citation" and first in _DASH_CHARS and _DASH.match(text)):
                return False
        # has the open item ended (, ; : . ! ?), or ended a sentence (; . ! ?)?
        if cur is None or not cur.parts or cur.kind in ("heading", "annex"):
            ended = sentence_ended = True
        else:
            ended = cur.end in _ENDS
            sentence_ended = cur.end in _SENTENCE_ENDS
        lang = self.lang

        if first.islower():
            # a line going on in lower case opens nothing but a point "a) …" or a
            # citation without its dash ("having regard to …"): no dash, number,
            # recital letter, heading, annex or trailing text starts in lower case
            if not ended or section in ("annex", "trailing", "recitals"):
                return False
            if section == "body":
                return ")" in text[1:7] and self.try_point(line)
            if lang.is_citation(text):
                self.section = "citations"
                self.open("citation", None, line, text)
                return True
            return False

        if section in ("annex", "trailing"):
            if _is_annex_title(lang, text) and (section == "trailing" or cur.kind != "annex") \
                    and (sentence_ended or text.isupper() or _bare_annex_title(lang, text)):
                return self.open_annex(line)
            if sentence_ended or cur.kind == "annex" or _subtitle(cur, text):
                kind = "annex_block" if section == "annex" else "trailing"
                self.open(kind, None, line, text)
                return True
            return False

        if first in _DASH_CHARS and ended:
            m = _DASH.match(text)
            if m:
                if section in ("start", "citations"):
                    self.section = "citations"
                    self.open("citation", None, line, m.group(2))
                    return True
                if section == "body":
                    return self.open_point("–", "dash", line, m.group(2))

        if ended and section in ("start", "citations", "recitals") and "." in text[1:4]:
            m = _LETTER.match(text)
            if m:
                letter = m.group(1)
                index = lang.recital_index(letter, self.next_recital)
                if index is not None and index == self.next_recital:
                    return self.open_recital(letter, index, line, m.group(2))
                if (index is not None and section == "recitals" and m.group(2)
                        and lang.is_recital_text(m.group(2))):
                    want = lang.recital_letter(self.next_recital)
                    self.fail(f"recital {letter!r} where {want!r} was expected", line.no,
                              f"recital {want}")
                    return self.open_recital(letter, index, line, m.group(2))

        if ended and first.isdigit() and self.number_step(line, cur):
            return True

        if first == "(" and section == "body" and ended and self.try_point(line):
            return True

        if section in ("start", "citations") and ended and lang.is_citation(text):
            self.section = "citations"
            self.open("citation", None, line, text)
            return True

        if section == "body" and sentence_ended and _looks_like_heading(text):
            if _is_annex_title(lang, text):
                return self.open_annex(line)
            if self.open_heading(line, nxt):
                return True
        # a heading over the first paragraph, after the formula, citations or recitals
        if section in ("start", "citations", "recitals") and ended and (
                self.next_para == 1 and _looks_like_heading(text)
                and not lang.is_citation(text) and self.open_heading(line, nxt)):
            return True

        if section == "body" and cur is not None and cur.kind in ("paragraph", "point") and (
                cur.end in _SENTENCE_ENDS):
            closing = self.last_paragraph()
            if closing is not None and lang.is_closing(closing.opening()):
                self.section = "trailing"
                if lang.is_annex_heading(text):
                    return self.open_annex(line)
                self.open("trailing", None, line, text)
                return True
        return False

    def try_point(self, line: Line) -> bool:
        """Open a point "(a) …" / "a) …" if it fits a sequence of the open paragraph."""
        m = _POINT.match(line.text)
        if not m:
            return False
        label = m.group(1) or m.group(3)
        rest = m.group(2) if m.group(1) else m.group(4)
        num = f"({label})" if m.group(1) else f"{label})"
        return self.open_point(num, label, line, rest, probe=True)

    def number_step(self, line: Line, cur: _Block | None) -> bool:
        """A line starting with a number: the paragraph expected next, or a slip."""
        text = line.text
        m = _NUMBER_DOT.match(text) or _NUMBER_BARE.match(text)
        if not m:
            inserted = _NUMBER_INSERTED.match(text)
            if inserted and self.section == "body" and cur is not None and _strongly_ended(cur):
                # kept, as text of the open item: said, since it reads as a paragraph
                self.warnings.append(
                    f"line {line.no}: {inserted.group(1)}. reads as an inserted paragraph "
                    f"number, which is not supported: its text is kept in the item before it")
            return False
        digits = m.group(1)
        n, rest = int(digits), m.group(2) or ""
        bare = text[len(digits) : len(digits) + 1] != "."
        strong = _strongly_ended(cur)
        expected = n == self.next_para
        if not expected and (bare or not strong or self.section != "body"
                             or not 0 < n <= self.next_para + 3):
            return False  # neither the paragraph expected nor a slip (below)
        # "15. janvāra …": a date going on, not a paragraph
        first_word = rest.split(" ", 1)[0].strip(",.;:") if rest else ""
        is_date = bool(first_word) and self.lang.month(first_word) is not None
        if expected and not is_date and not (bare and not rest):
            # after a comma, the number may be a wrapped "…, 2.,\n3. un 4. punktu":
            # it opens the paragraph only if no later line does so first, and a
            # number without its dot needs a capital to open the first paragraph;
            # in the body, a last paragraph after a comma ("…,\n21. pantu …") must
            # read as the closing instruction
            ok = strong or (not self.later_opens(n, dotted=not bare) and (
                not bare or (self.section != "body" and rest[:1].isupper()))
                and (self.section != "body" or self.opens_later(n + 1)
                     or self.closing_follows(rest)))
            if ok:
                if bare:
                    self.warnings.append(
                        f"line {line.no}: paragraph {n} printed without its dot")
                return self.open_paragraph(f"{n}.", line, rest)
        elif (not bare and not is_date and strong and self.section == "body"
                and (rest[:1].isalpha() or not rest) and 0 < n <= self.next_para + 3
                and not self.later_opens(self.next_para, dotted=True)):
            self.fail(f"paragraph {n} where {self.next_para} was expected", line.no,
                      f"paragraph {self.next_para}")
            self.next_para = n
            return self.open_paragraph(f"{n}.", line, rest)
        return False

    def last_paragraph(self) -> _Block | None:
        for b in reversed(self.blocks):
            if b.kind == "paragraph":
                return b
        return None

    def later_opens(self, n: int, dotted: bool) -> bool:
        """Does a later line start with number ``n`` before any line starts with ``n + 1``?

        With ``dotted``, only numbers printed with their dot count ("3." not "3 ")."""
        here = self.idx
        table = self.numbered[dotted]
        later = table.get(n, ())
        k = bisect.bisect_right(later, here)
        if k == len(later):
            return False
        after = table.get(n + 1, ())
        k1 = bisect.bisect_right(after, here)
        return k1 == len(after) or later[k] < after[k1]

    def open_heading(self, line: Line, nxt: Line | None) -> bool:
        """Open a heading if the next line opens the paragraph expected next.

        "II. Water quality" (a Roman numeral or a capital letter, then a text that does
        not end like a sentence) is a numbered heading; a letter that is the recital
        expected next never gets here (the recital rule comes first).
        """
        if nxt is None or not self.is_paragraph_start(nxt.text):
            return False
        text, num = line.text, None
        m = _HEAD_NUM.match(text)
        if m and (m.group(1).isupper()) and _looks_like_heading(m.group(2)) and (
                len(m.group(1)) == 1 or _roman(m.group(1).lower()) is not None):
            num, text = f"{m.group(1)}.", m.group(2)
        self.section = "body"
        self.open("heading", num, line, text)
        return True

    def opens_later(self, n: int) -> bool:
        """Does a later line start with number ``n`` and its dot?"""
        later = self.numbered[True].get(n, ())
        return bool(later) and later[-1] > self.idx

    def closing_follows(self, rest: str) -> bool:
        """Does the item that ``rest`` opens read as the closing instruction?"""
        parts = [rest]
        for ln in self.item_lines[self.idx + 1 : self.idx + _OPENING_LINES]:
            parts.append(ln.text)
        return self.lang.is_closing(" ".join(parts))

    def open_first_point(self, line: Line) -> bool:
        """After a paragraph or point printed without an introduction (its marker alone
        on its line), a point marker that starts a sequence opens its first point."""
        text = line.text
        m = _DASH.match(text)
        if m:
            return self.open_point("–", "dash", line, m.group(2), probe=True, below=True)
        m = _POINT.match(text)
        if m:
            label = m.group(1) or m.group(3)
            rest = m.group(2) if m.group(1) else m.group(4)
            num = f"({label})" if m.group(1) else f"{label})"
            return self.open_point(num, label, line, rest, probe=True, below=True)
        return False

    def is_paragraph_start(self, text: str) -> bool:
        m = _NUMBER_DOT.match(text) or _NUMBER_BARE.match(text)
        return bool(m and int(m.group(1)) == self.next_para)

    def open_recital(self, letter: str, index: int, line: Line, rest: str | None) -> bool:
        if letter in self.recital_letters:
            # a slip read leniently can bring a letter round again: a resolution cannot
            # hold it twice
            raise ParseError(f"recital {letter!r} printed twice", line=line.no,
                             expected=f"recital {self.lang.recital_letter(self.next_recital)}")
        self.recital_letters.add(letter)
        self.section = "recitals"
        self.next_recital = index + 1
        self.open("recital", f"{letter}.", line, rest)
        return True

    def open_paragraph(self, num: str, line: Line, rest: str) -> bool:
        if num in self.paragraph_nums:
            # after a slip read leniently ("4." where 2 was expected, then "3."), a number
            # can come round again: a resolution cannot hold it twice
            raise ParseError(f"paragraph {num[:-1]} printed twice", line=line.no,
                             expected=f"paragraph {self.next_para}")
        self.paragraph_nums.add(num)
        self.section = "body"
        self.next_para += 1
        self.points = []
        self.open("paragraph", num, line, rest)
        return True

    def open_annex(self, line: Line) -> bool:
        self.section = "annex"
        self.open("annex", None, line, line.text)
        return True

    def open_point(self, num: str, label: str, line: Line, rest: str | None,
                   probe: bool = False, below: bool = False) -> bool:
        """Place a point in the sequence stack; with ``probe``, refuse what fits nowhere;
        with ``below``, only as the first point of a new sequence below the open item."""
        if label == "dash":
            kinds = [("dash", 0)]
        else:
            kinds = []
            a = self.lang.point_index(label)
            if a is not None:
                kinds.append(("alpha", a))
            r = _roman(label)
            if r is not None:
                kinds.append(("roman", r - 1))
            if label.isdigit():
                kinds.append(("digit", int(label) - 1))
        # continue an open sequence (innermost first), else start a new one below
        for depth in range(len(self.points) - 1, -1, -1):
            if below:
                break
            seq, last = self.points[depth]
            for kind, idx in kinds:
                if kind == seq and (idx == last + 1 or kind == "dash"):
                    del self.points[depth + 1 :]
                    self.points[depth] = (seq, idx)
                    self.open("point", num, line, rest, level=depth + 1, seq=seq)
                    return True
        for kind, idx in kinds:
            if idx == 0 and not any(s == kind for s, _ in self.points):
                self.points.append((kind, 0))
                self.open("point", num, line, rest, level=len(self.points), seq=kind)
                return True
        if not probe:
            self.points.append((kinds[0][0], kinds[0][1]))
            self.open("point", num, line, rest, level=len(self.points), seq=kinds[0][0])
            return True
        return False

    def drop_empty(self) -> None:
        blocks = self.blocks
        for b in blocks:
            if not b.parts:
                break
        else:  # no empty item (the common case): nothing to drop
            return
        kept = []
        for i, b in enumerate(blocks):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if b.empty() and not (  # a paragraph or point without introduction is kept
                    b.kind in ("paragraph", "point") and nxt is not None
                    and nxt.kind == "point" and (b.kind == "paragraph" or nxt.level > b.level)):
                self.artefacts.append(Artefact(b.line, "empty-item", b.num or "–"))
                self.warnings.append(f"line {b.line}: empty {b.kind} {b.num or '–'} dropped")
                continue
            kept.append(b)
        self.blocks = kept

    # -- footnotes ----------------------------------------------------------------
    def attach_footnotes(self) -> None:
        vocabulary = _Vocabulary(self.blocks)  # built only if a line ends with a hyphen
        for b in self.blocks:
            if len(b.parts) == 1:
                b.text = b.parts[0][1]
                continue
            b.text, arts = join_lines(b.parts, vocabulary)
            self.artefacts.extend(arts)
        notes = list(self.src.footnotes)
        if not notes:
            return
        bi, pos = 0, 0
        for note in notes:
            placed = False
            j, start = bi, pos
            while j < len(self.blocks) and self.blocks[j].line < note.line:
                b = self.blocks[j]
                for at, end, marker, _ in iter_calls(b.text, start, lazy=True):
                    if marker == note.marker:
                        b.calls.append((at, FootnoteRef(note.marker, note.text)))
                        b.text = b.text[:at] + "\0" * (end - at) + b.text[end:]
                        bi, pos, placed = j, end, True
                        break
                if placed:
                    break
                j, start = j + 1, 0
            if not placed:
                target = self._block_before(note.line)
                self.warnings.append(
                    f"line {note.line}: footnote {note.marker} has no call in the text before it; "
                    "attached at the end of the preceding item"
                )
                target.calls.append((len(target.text), FootnoteRef(note.marker, note.text)))

    def _block_before(self, line: int) -> _Block:
        best = self.blocks[0]
        for b in self.blocks:
            if b.line < line:
                best = b
        return best

    def vocabulary(self) -> set[str]:
        """Every word of the items, case-folded: where a word broken at a line end is
        looked up."""
        return vocabulary(t for b in self.blocks for _, t in b.parts)

    # -- model ----------------------------------------------------------------------
    def inline(self, b: _Block) -> tuple:
        if not b.calls:
            return (b.text,)
        out: list = []
        last = 0
        for at, ref in sorted(b.calls, key=lambda c: c[0]):
            out.append(b.text[last:at])
            out.append(ref)
            last = at
            while last < len(b.text) and b.text[last] == "\0":
                last += 1
        out.append(b.text[last:])
        return tuple(out)

    def build(self, head: dict, formula: str) -> Resolution:
        citations, recitals, body, annexes, trailing = [], [], [], [], []
        current_heading: list | None = None
        para: dict | None = None

        def flush_para() -> None:
            nonlocal para
            if para is None:
                return
            p = Paragraph(para["num"], para["text"], _nest(para["points"]))
            if current_heading is not None:
                current_heading[1].append(p)
            else:
                body.append(p)
            para = None

        def flush_heading() -> None:
            nonlocal current_heading
            if current_heading is not None:
                body.append(Heading(current_heading[0], tuple(current_heading[1]),
                                    current_heading[2]))
                current_heading = None

        for b in self.blocks:
            text = self.inline(b) if b.calls else (b.text,)
            if b.kind == "citation":
                citations.append(Citation(text))
            elif b.kind == "recital":
                recitals.append(Recital(b.num, text))
            elif b.kind == "heading":
                flush_para()
                flush_heading()
                current_heading = [b.text, [], b.num]
            elif b.kind == "paragraph":
                flush_para()
                para = {"num": b.num, "text": text, "points": []}
            elif b.kind == "point" and para is not None:
                para["points"].append((b.level, b.num, text))
            elif b.kind == "annex":
                annexes.append([b.text, []])
            elif b.kind == "annex_block" and annexes:
                annexes[-1][1].append(text)
            else:
                trailing.append(text)
        flush_para()
        flush_heading()
        report = ParseReport(
            artefacts=tuple(sorted(self.artefacts, key=lambda a: a.line)),
            warnings=tuple(self.warnings),
            source_lines=self.src.source_lines,
        )
        ta, date = head.get("ta_number"), head.get("date")
        conflict = ta and date and ta_date_conflict(ta, date, head.get("date_source", "printed"))
        if conflict:  # the model's rule, refused here to say at which line
            raise ParseError(conflict, line=head.get("ta_line"),
                             expected=f"a texts-adopted number of {date.year}")
        try:
            return Resolution(
                lang=self.lang.code,
                title=head["title"],
                heading=head.get("heading"),
                formula=formula,
                date=head.get("date"),
                date_source=head.get("date_source", "printed"),
                procedure=head.get("procedure"),
                ta_number=head.get("ta_number"),
                doc_refs=tuple(head["doc_refs"]),
                head_lines=tuple(head["head_lines"]),
                citations=tuple(citations),
                recitals=tuple(recitals),
                body=tuple(body),
                annexes=tuple(Annex(t, tuple(bl)) for t, bl in annexes),
                trailing=tuple(trailing),
                report=report,
            )
        except ModelError as exc:
            raise ParseError(f"the text does not form a consistent resolution: {exc}") from exc


class _Vocabulary:
    """The words of the items (:meth:`_Parser.vocabulary`), built on the first question:
    most texts have no word broken at a line end and never ask."""

    def __init__(self, blocks: list[_Block]):
        self.blocks = blocks
        self.words: set[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self.words is None:
            self.words = vocabulary(t for b in self.blocks for _, t in b.parts)
        return word in self.words


def _nest(flat: list[tuple[int, str, tuple]]) -> tuple[Point, ...]:
    """Turn (level, num, text) triples in order into nested points."""
    if not flat:
        return ()

    def build(i: int, level: int) -> tuple[list[Point], int]:
        out: list[Point] = []
        while i < len(flat) and flat[i][0] >= level:
            lvl, num, text = flat[i]
            if lvl > level:  # a deeper point with no parent at this level: adopt it
                subs, i = build(i, lvl)
                if out:
                    last = out.pop()
                    out.append(Point(last.num, last.text, last.points + tuple(subs)))
                else:
                    out.extend(subs)
                continue
            subs, j = build(i + 1, level + 1)
            out.append(Point(num, text or None, tuple(subs)))
            i = j
        return out, i

    points, _ = build(0, 1)
    return tuple(points)


def _title_complete(text: str) -> bool:
    """A title is over at a balanced closing bracket, or at its procedure reference even
    when the source forgot the last bracket ("… (2012/2553(RSP)")."""
    tail = text[-_PROC_TAIL:]
    return _balanced_closed(text) or ("/" in tail and bool(_PROC_END.search(tail)))


def _balanced(text: str) -> bool:
    return text.count("(") <= text.count(")")


def _balanced_closed(text: str) -> bool:
    return text.rstrip().endswith(")") and text.count("(") <= text.count(")")


def _is_annex_title(lang: Language, text: str) -> bool:
    """"ANNEX", "ANNEX II", "Annex to the resolution" -- not a sentence naming an annex."""
    return lang.is_annex_heading(text) and (text.isupper() or len(text) < 40) and (
        _looks_like_heading(text))


def _bare_annex_title(lang: Language, text: str) -> bool:
    """"Annex II", "Annex 2", "Annex B": the annex word and at most a number."""
    words = text.split()
    return 1 <= len(words) <= 4 and lang.is_annex_heading(text) and (
        len(words) == 1 or bool(_ANNEX_NUMBER.match(words[-1])))


def _subtitle(cur: _Block | None, text: str) -> bool:
    """Is the open annex block one short heading line, so ``text`` (capitalised) starts
    the next block ("Wetlands of priority interest" / "The restoration of …")?"""
    if cur is None or cur.kind != "annex_block" or len(cur.parts) != 1:
        return False
    first = cur.parts[0][1]
    return len(first) < _SUBTITLE_MAX and _looks_like_heading(first) and text[:1].isupper()


def _strongly_ended(cur: _Block | None) -> bool:
    """Has the open item ended with more than a comma (";", ".", ":", "!", "?")?"""
    if cur is None or not cur.parts or cur.kind in ("heading", "annex"):
        return True
    return cur.end in _STRONG_ENDS


def _continues_sentence(text: str) -> bool:
    return text[:1].islower()


def _looks_like_heading(text: str) -> bool:
    return len(text) <= 200 and _end_mark(text) not in _ENDS and not text[:1].islower()


def _chain_refs(title: str, proc_start: int, proc_num: str) -> list[str]:
    """Document references printed with the procedure: "(COM(2019)0359 – C9-0118/2019 – …)"."""
    # the bracket that opens the procedure's group: walk back from bracket to bracket
    depth = 0
    i = proc_start
    while True:
        opening, closing = title.rfind("(", 0, i), title.rfind(")", 0, i)
        if opening < 0:
            return []
        if closing > opening:
            depth += 1
            i = closing
        elif depth == 0:
            open_at = opening
            break
        else:
            depth -= 1
            i = opening
    chain = title[open_at + 1 : proc_start]
    parts = [p.strip() for p in _CHAIN_SEP.split(chain)]
    return [p for p in parts if p and _DOCREF_TOKEN.search(p) and proc_num not in p]


def _guess_year(head: dict) -> int | None:
    if head.get("ta_number"):  # P7_TA(2012)0089: the year of the sitting, by definition
        return ta_year(head["ta_number"])
    texts = [head.get("heading") or "", head.get("title") or ""]
    texts += [h.text for h in head["head_lines"]]
    for t in texts:
        m = _YEAR.search(t)
        if m:
            return int(m.group(1))
    for ref in head["doc_refs"]:
        m = _SHORT_YEAR.search(ref)
        if m:
            yy = int(m.group(1))
            return 1900 + yy if yy >= 50 else 2000 + yy
    return None


def parse(lines: Lines, *, lang: str, date: _dt.date | None = None,
          strict: bool = True) -> Resolution:
    """Read normalised lines of one language into a :class:`Resolution`.

    Raises :class:`akn_ep.errors.ParseError` (with a line number) for text that
    is not a resolution; with ``strict=False`` numbering slips become warnings.

    Example:
        >>> from akn_ep.text.lines import normalise
        >>> parse(normalise("Resolution on X\\nThe European Parliament,\\nA. whereas y;\\n"
        ...     "1. Instructs its President to forward it.\\n"), lang="en").recitals[0].num
        'A.'
    """
    return _Parser(lines, languages.get(lang), date, strict).run()
