"""The head: the formula found, the lines before it read into a frozen :class:`Head`.

In the head, the title ends at its balanced closing bracket or at its procedure
reference (also when the source forgot the last bracket, with a warning); the lines
just before it (after any TA number, stars or references) are the heading, earlier
ones (a PDF masthead) are kept as head lines.

Example:
    >>> from akn_ep import languages
    >>> from akn_ep.text.lines import normalise
    >>> from akn_ep.text.parse.state import State
    >>> src = normalise("P7_TA(2012)0089\\nEuropean Parliament resolution of 15 March 2012 "
    ...                 "on X (2012/2553(RSP))\\nThe European Parliament,\\n")
    >>> st = State(src, languages.get("en"), None, True)
    >>> h = read_head(st, src.lines[:2], src.lines[2])
    >>> h.ta_number, h.procedure, h.date.isoformat()
    ('P7_TA(2012)0089', '2012/2553(RSP)', '2012-03-15')
"""

from __future__ import annotations

import datetime as _dt
import re

import attrs

from ... import languages
from ...errors import ParseError
from ...languages import Language
from ...lines import Line
from ...model import HeadLine, ta_year
from ...vocabulary import PRE_TITLE_ROLES, TA_NUMBER
from ..lines import join_lines
from .state import State

__all__ = ["Head", "find_formula", "read_head"]

_TA = re.compile(rf"^(?P<ta>{TA_NUMBER})\s*(?P<rest>.*)$")
_STARS = re.compile(r"^\*{1,3}\s*I{0,3}$")
_TRAILING_STARS = re.compile(r"\s+(\*{1,3}\s*I{0,3})$")
#: "B9-0220/2020", "RC-B9-0220/2020", "A9-0163/2024": web pages print their hyphens as
#: U+2011 (non-breaking) or U+2010, as the Parliament's Word documents do
#: (the tenth term on: "B10-0249/2025")
_DOC_REFS = re.compile(r"^(?:RC[-\u2010\u2011])?[A-Z]{1,2}\d{1,2}[-\u2010\u2011]\d{3,4}\b")
_PROC = re.compile(r"(\d{2,4}/\d{4}[A-Z]?)\s*\(\s*([A-Za-zΑ-Ωα-ωА-Яа-я]{3})\s*(\))?")
_PROC_END = re.compile(r"\d{4}/\d{4}[A-Z]?\s*\(\s*[A-Za-zΑ-Ωα-ωА-Яа-я]{3}\s*\)\)?\s*$")
_HEAD_WINDOW = 200  # lines searched for the formula
_PROC_TAIL = 40  # characters at a title's end searched for its procedure reference
_LOOKALIKE = str.maketrans("ΑΒΕΗΙΚΜΝΟΡΤΧΥΖАВЕКМНОРСТХ", "ABEHIKMNOPTXYZABEKMHOPCTX")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_SHORT_YEAR = re.compile(r"/(\d{2})\s*$")
_DOCREF_TOKEN = re.compile(r"\d")
_CHAIN_SEP = re.compile(r"\s*[–—-]\s+|\s+[–—-]\s*|–")
#: The Parliament's older web pages show their internal tags as text in the head
#: ("<Date>{06/07/2020}6.7.2020</Date>", "<NoDocSe>B9-0220/2020</NoDocSe>",
#: "<TitreType>", "<Titre>", "<DocRef>", "<RepeatBlock-By><Depute>…"): a line opening
#: with such a tag is a head line of the role its tag says, never the title
_WEB_TAG = re.compile(r"^<([A-Z][A-Za-z]*(?:-[A-Za-z]+)*)>")
_WEB_TAG_ROLES = {"Date": "sitting", "NoDocSe": "documentRefs", "DocRef": "documentRefs"}
#: "<Date>{06/07/2020}6.7.2020</Date>": the date the tag carries, day/month/year
_WEB_TAG_DATE = re.compile(r"^<Date>\s*\{(\d{1,2})/(\d{1,2})/(\d{4})\}")
#: A web page's date line, copied with its text: "7.5.2025 - (2025/2691(RSP))" (day.month.year,
#: then the procedure in brackets, in every language's pages)
_PAGE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s*[-–]\s*\(")
#: A label of a web page's procedure box, copied with the text ("Texts adopted :"): the line
#: after it is the label's value, not the document's own number
_LABEL = re.compile(r"\w\s*:$")
#: The most lines a heading (a short title, wrapped) is printed on
_HEADING_LINES = 3


@attrs.frozen
class Head:
    """What the head says: title, heading, TA number, date, procedure, the other head lines.

    ``date_source`` is ``printed``, ``supplied`` or ``fallback`` (None with no date);
    ``ta_line`` the line of the TA number (where a conflict with the date is reported).

    Example:
        >>> Head(title="Resolution on X").doc_refs
        ()
    """

    title: str
    heading: str | None = None
    ta_number: str | None = None
    ta_line: int | None = None
    date: _dt.date | None = None
    date_source: str = "printed"
    procedure: str | None = None
    doc_refs: tuple[str, ...] = ()
    head_lines: tuple[HeadLine, ...] = ()


def find_formula(lang: Language, lines: tuple[Line, ...]) -> int:
    """The index of the formula ("The European Parliament,"); a typed error without one."""
    window = lines[:_HEAD_WINDOW]
    for i, line in enumerate(window):
        if lang.is_formula(line.text):
            return i
    formula = repr(lang.formula[0])
    titles = [i for i, ln in enumerate(window) if lang.is_title(ln.text)]
    if not titles:
        raise ParseError(
            f"neither a resolution title nor a formula such as {formula} found: this does "
            f"not read as a European Parliament resolution in {lang.name}",
            line=lines[0].no,
            expected=f"a resolution title, then the formula {formula}",
        )
    after = titles[0] + 1
    raise ParseError(
        f"a title but no formula such as {formula} after it: this does not read as a "
        f"European Parliament resolution in {lang.name}",
        line=window[after].no if after < len(window) else window[-1].no,
        expected=formula,
    )


def read_head(state: State, head: tuple[Line, ...], formula: Line) -> Head:
    """Title, heading, TA number and the other head lines, all kept.

    Before the title, lines such as the TA number, stars or document references
    split the rest into runs; the run nearest the title is the heading (the short
    title, possibly wrapped), the earlier ones (a PDF's masthead: "European
    Parliament", "2019-2024", "TEXTS ADOPTED") are kept line by line.
    """
    lang = state.lang
    head_lines: list[HeadLine] = []
    doc_refs: list[str] = []
    ta_number: str | None = None
    ta_line: int | None = None
    title_starts = [i for i, ln in enumerate(head)
                    if lang.is_title(ln.text) and not _WEB_TAG.match(ln.text)]
    tag_date: tuple[_dt.date, int, str] | None = None
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
        tag = _WEB_TAG.match(text) if text[:1] == "<" else None
        if tag:  # page furniture shown as text: kept, with the role its tag says
            in_title = False
            head_lines.append(HeadLine(_WEB_TAG_ROLES.get(tag.group(1), "other"), text))
            when = _WEB_TAG_DATE.match(text)
            if when and tag_date is None:
                try:
                    tag_date = (_dt.date(int(when.group(3)), int(when.group(2)),
                                         int(when.group(1))), ln.no, "the page's <Date> tag")
                except ValueError:
                    pass
            if before_title:
                runs.append([])
            continue
        m = _TA.match(text)
        if m and i > 0 and _LABEL.search(head[i - 1].text):
            # "Texts adopted :" / "P10_TA(2025)0096" in a copied page's procedure box: the
            # number of another document (the text adopted from this motion), kept as printed
            m = None
            head_lines.append(HeadLine("other", text))
            continue
        if m:
            in_title = False
            ta_number, ta_line = m.group("ta"), ln.no
            rest = m.group("rest").strip()
            if rest:
                head_lines.append(HeadLine("documentRefs", rest))
                doc_refs.append(rest)
            if before_title:
                runs.append([])
            continue
        when = _PAGE_DATE.match(text) if before_title else None
        if when and tag_date is None:  # a copied page's date line: used if the title has none
            try:
                tag_date = (_dt.date(int(when.group(3)), int(when.group(2)),
                                     int(when.group(1))), ln.no, "the page's date line")
            except ValueError:
                pass
        if _STARS.match(text):
            in_title = False
            head_lines.append(HeadLine("stars", text))
            if before_title:
                runs.append([])
            continue
        # a title still open (an old title has no closing bracket) is over at a line
        # that is a head line of its own, unless its brackets are still open
        free = not in_title or _balanced(" ".join(t for _, t in title_parts))
        if _DOC_REFS.match(text) and free:
            in_title = False
            head_lines.append(HeadLine("documentRefs", text))
            doc_refs.append(text)
            if before_title:
                runs.append([])
            continue
        if text.startswith("(") and text.endswith(")") and t0 is not None and i > t0 and (
            not in_title or _balanced_closed(" ".join(t for _, t in title_parts))
            or (free and _balanced(text) and not _DOCREF_TOKEN.search(text))
        ):
            in_title = False
            head_lines.append(HeadLine("procedureKind", text))
            continue
        if in_title and free and _is_sitting(lang, text):
            in_title = False
            head_lines.append(HeadLine("sitting", text))
            continue
        if in_title:
            title_parts.append((ln.no, text))
            in_title = not _title_complete(" ".join(t for _, t in title_parts))
            continue
        if before_title:
            runs[-1].append((ln.no, text))
        else:
            head_lines.append(_head_line(lang, text))
    runs = [r for r in runs if r]
    nearest = runs.pop() if runs else []
    heading_parts = _heading(nearest)
    if len(heading_parts) < len(nearest):  # the rest of the run: head lines, in order
        runs.append([p for p in nearest if p not in heading_parts])
    head_lines[:0] = [_head_line(lang, text) for run in runs for _, text in run]
    supplied = state.supplied_title
    if supplied is not None:
        if not title_parts:
            state.warn("no title printed before the formula: the supplied title is used",
                       formula.no, "title")
            title_parts = [(formula.no, supplied)]
        elif join_lines(title_parts)[0] != supplied:
            state.warn(f"the text prints its title; the supplied title {supplied!r} was not "
                       "used", title_parts[0][0], "title")
    if not title_parts and not heading_parts:
        # a copy that starts at the formula: converted, its title said to be supplied
        fallback = _fallback_title(lang)
        state.warn(f"no title printed before the formula: titled {fallback!r} (the "
                   "Parliament's name in the language; pass title= / --title to set it)",
                   formula.no, "title")
        title_parts = [(formula.no, fallback)]
    if not title_parts:
        state.fail("no line reads as a resolution title; the text before the formula is "
                   "taken as the title", heading_parts[0][0], "a title such as "
                   f"{lang.name} 'European Parliament resolution of …'", rule="title")
        title_parts, heading_parts = heading_parts, []
    title, arts = join_lines(title_parts)
    state.artefacts.extend(arts)
    heading: str | None = None
    if heading_parts:
        heading, arts = join_lines(heading_parts)
        state.artefacts.extend(arts)
        stars = _TRAILING_STARS.search(heading)
        if stars:
            heading = heading[: stars.start()]
            head_lines.insert(0, HeadLine("stars", stars.group(1)))
    line = title_parts[0][0]
    procedure = _read_procedure(state, title, line, doc_refs)
    date, date_source = _read_date(state, title, _guess_year(ta_number, heading, title,
                                                             head_lines, doc_refs), tag_date)
    # canonical order: what prints before the title, then what follows it
    head_lines.sort(key=lambda h: h.role not in PRE_TITLE_ROLES)
    return Head(title=title, heading=heading, ta_number=ta_number, ta_line=ta_line,
                date=date, date_source=date_source, procedure=procedure,
                doc_refs=tuple(doc_refs), head_lines=tuple(head_lines))


def _heading(run: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The heading in the run of lines nearest the title: a short title, wrapped over at most
    three lines. A longer run, or one with a label ("Texts adopted :"), is a copied page's
    head (authors, procedure box): no heading, all head lines. Lines in capitals beside
    lines that are not (a masthead's "TEXTS ADOPTED" next to "Artificial Intelligence Act",
    as pdfminer orders page 1) are no part of it: a wrapped title keeps its case.

    >>> _heading([(5, "Artificial Intelligence Act"), (6, "TEXTS ADOPTED")])
    [(5, 'Artificial Intelligence Act')]
    >>> _heading([(1, "Texts tabled :"), (2, "Debates :")])
    []
    """
    if len(run) > _HEADING_LINES or any(_LABEL.search(text) for _, text in run):
        return []
    caps = [p for p in run if _in_capitals(p[1])]
    return [p for p in run if p not in caps] if caps and len(caps) < len(run) else run


def _in_capitals(text: str) -> bool:
    """A line of two words or more, all its letters capitals ("TEXTS ADOPTED")."""
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    return len(words) >= 2 and all(c.isupper() for w in words for c in w if c.isalpha())


def _is_sitting(lang: Language, text: str) -> bool:
    """"Thursday, 23 May 1996 - Strasbourg": a line that opens with a date (after at
    most a weekday), not a title's wrapped line ("of 23 May 1996 on …")."""
    if not text[:1].isupper() and not text[:1].isdigit():
        return False
    found = lang.find_date(text)
    if not found:
        return False
    folded = languages.fold(text)
    before = folded[: found[1][0]].split()
    return len(before) <= 1 and len(folded.split()) <= 12


def _head_line(lang: Language, text: str) -> HeadLine:
    """A head line that is neither title, heading, number, stars nor references."""
    return HeadLine("sitting" if lang.find_date(text) else "other", text)


def _read_procedure(state: State, title: str, line: int, doc_refs: list[str]) -> str | None:
    """The procedure reference at the title's end ("2012/2553(RSP)"); the document
    references printed with it join ``doc_refs``."""
    # a match starts at most four digits before a slash: searched from the first one
    slash = title.find("/")
    procs = list(_PROC.finditer(title, max(0, slash - 4))) if slash >= 0 else []
    if not procs:
        return None
    m = procs[-1]
    kind = m.group(2).translate(_LOOKALIKE).upper()
    if not kind.isascii():
        return None
    procedure = f"{m.group(1)}({kind})"
    if not m.group(3):
        state.warn(f"procedure reference {procedure} lacks its closing "
                   "parenthesis in the source (read as printed otherwise)", line, "procedure")
    elif title.count("(") > title.count(")"):
        state.warn(f"the title lacks the closing parenthesis after the "
                   f"procedure reference {procedure} (kept as printed)", line, "procedure")
    doc_refs.extend(_chain_refs(title, m.start(), m.group(1)))
    return procedure


def _fallback_title(lang: Language) -> str:
    """The title of a text that prints none, documented in docs/languages.md: the
    Parliament's name in the text's language (the language table's ``proponent``).
    A web page's ``<Titre>`` tag stays a head line: it is page furniture, not a title.

    >>> from akn_ep import languages
    >>> _fallback_title(languages.get("fr"))
    'Parlement européen'
    """
    return lang.proponent


def _read_date(state: State, title: str, year: int | None,
               tag_date: tuple[_dt.date, int, str] | None = None
               ) -> tuple[_dt.date | None, str]:
    """The adoption date: printed in the title, else supplied, else the date of a web
    page's ``<Date>`` tag or of its date line ("7.5.2025 - (…)"), else the documented
    fallback (1 January of the year the head prints), each said."""
    found = state.lang.find_date(title)
    supplied = state.supplied_date
    if found:
        if supplied and supplied != found[0]:
            state.warn(f"the text prints the adoption date {found[0].isoformat()}; the "
                       f"supplied date {supplied.isoformat()} was not used", None, "date")
        return found[0], "printed"
    if supplied:
        return supplied, "supplied"
    if tag_date is not None:
        state.warn(f"no adoption date in the title: the date of {tag_date[2]}, "
                   f"{tag_date[0].isoformat()}, is used; pass date= / --date to set it",
                   tag_date[1], "date")
        return tag_date[0], "printed"
    if year:
        state.warn(f"no adoption date printed or supplied: fallback {year}-01-01 (1 January "
                   f"of the year {year} printed in the head); pass date= / --date to set it",
                   None, "date")
        return _dt.date(year, 1, 1), "fallback"
    state.warn("no adoption date printed or supplied, and no year in the head: the "
               "document is dated 0001-01-01 (unknown); pass date= / --date to set it",
               None, "date")
    return None, "printed"


def _guess_year(ta_number: str | None, heading: str | None, title: str,
                head_lines: list[HeadLine], doc_refs: list[str]) -> int | None:
    if ta_number:  # P7_TA(2012)0089: the year of the sitting, by definition
        return ta_year(ta_number)
    texts = [heading or "", title or ""]
    texts += [h.text for h in head_lines]
    for t in texts:
        m = _YEAR.search(t)
        if m:
            return int(m.group(1))
    for ref in doc_refs:
        m = _SHORT_YEAR.search(ref)
        if m:
            yy = int(m.group(1))
            return 1900 + yy if yy >= 50 else 2000 + yy
    return None


def _title_complete(text: str) -> bool:
    """A title is over at a balanced closing bracket, or at its procedure reference even
    when the source forgot the last bracket ("… (2012/2553(RSP)")."""
    tail = text[-_PROC_TAIL:]
    return _balanced_closed(text) or ("/" in tail and bool(_PROC_END.search(tail)))


def _balanced(text: str) -> bool:
    return text.count("(") <= text.count(")")


def _balanced_closed(text: str) -> bool:
    return text.rstrip().endswith(")") and text.count("(") <= text.count(")")


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
