"""The resolution model: plain, immutable, comparable data.

No XML and no parsing live here: readers build these values, writers turn them
into Akoma Ntoso or text. Consistency rules that a legal reader relies on
(recital letters unique, paragraph numbers unique, every footnote reference
carrying its footnote) are checked when a value is built, so an inconsistent
model cannot exist.

Example:
    >>> from akn_ep.model import Resolution, Citation, Recital, Paragraph
    >>> r = Resolution(lang="en", title="European Parliament resolution on X",
    ...                formula="The European Parliament,",
    ...                citations=(Citation(("having regard to Rule 132,",)),),
    ...                recitals=(Recital("A.", ("whereas X;",)),),
    ...                body=(Paragraph("1.", ("Instructs its President to forward this.",)),))
    >>> r.recitals[0].letter
    'A'
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import attrs

from .errors import ModelError
from .languages import codes as _language_codes

if TYPE_CHECKING:
    from .akn.iri import FrbrUri

__all__ = [
    "FootnoteRef",
    "Inline",
    "Citation",
    "Recital",
    "Point",
    "Paragraph",
    "Heading",
    "Annex",
    "HeadLine",
    "Resolution",
    "ParseReport",
    "Artefact",
    "inline_text",
    "iter_footnotes",
    "ta_year",
    "ta_date_conflict",
    "DOC_KINDS",
    "Change",
    "AmendmentRow",
    "Amendment",
    "Table",
]


#: Whitespace to collapse: ``_WS.sub(" ", t)`` gives what ``re.sub(r"\s+", " ", t)`` gives,
#: but matches only runs of two or more and single characters other than a space, so a
#: text with nothing to change (the common case) is scanned, not rebuilt space by space.
_WS = re.compile(r"\s{2,}|[^\S ]")


#: Characters XML 1.0 cannot carry: a model holding them could not be written.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        raise ModelError(
            f"text contains {bad.group()!r} (U+{ord(bad.group()):04X}), which XML cannot "
            f"carry, at {value[max(0, bad.start() - 20): bad.start() + 20]!r}"
        )
    return value


def _collapse(value: str) -> str:
    """``_xml_safe(_WS.sub(" ", value))``; printable text without a double space (the
    common case) has nothing to collapse and nothing XML cannot carry."""
    if value.isprintable() and "  " not in value:
        return value
    return _xml_safe(_WS.sub(" ", value))


def _norm(value: object) -> object:
    """Whitespace is layout, not text: runs collapse to one space, ends are trimmed."""
    if isinstance(value, str):
        if value.isprintable() and "  " not in value:  # see _collapse
            return value.strip()
        return _xml_safe(_WS.sub(" ", value).strip())
    return value


def _norm_opt(value: object) -> object:
    value = _norm(value)
    return value or None


_set = object.__setattr__  # how the hand-written __init__ methods fill frozen slots


def _empty(kind: str, name: str, value: object) -> bool:
    """Is a field that must not be empty empty? (``ModelError`` "<kind>: <name> must not
    be empty".) A str from :func:`_norm` is stripped already, so for it emptiness is
    falsiness; anything else gets the general test. (An inline from :func:`_to_inline`
    is empty exactly when it is falsy: its callers test that directly.)"""
    if type(value) is str:
        return not value
    if not value or (isinstance(value, str) and not value.strip()):
        return True
    return isinstance(value, tuple) and not inline_text(value).strip() and not any(
        isinstance(p, FootnoteRef) for p in value)


def _require(kind: str, name: str, value: object) -> None:
    if _empty(kind, name, value):
        raise ModelError(f"{kind}: {name} must not be empty")


# The model's classes are attrs classes (frozen: immutable, compared and hashed by value,
# with a repr that evaluates back) with hand-written ``__init__`` methods: they convert and
# check exactly what attrs converters and validators would, in the same order (every
# field converted, then every check), at a fraction of the cost -- a parse builds
# hundreds of these values per document.


@attrs.frozen(init=False)
class FootnoteRef:
    """A footnote attached at the exact point where the text calls it.

    ``marker`` is the footnote's own printed number ("1"); ``text`` is its body.

    Example:
        >>> FootnoteRef("1", "Texts adopted, P7_TA(2011)0588.")
        FootnoteRef(marker='1', text='Texts adopted, P7_TA(2011)0588.')
    """

    marker: str
    text: str

    def __init__(self, marker: str, text: str) -> None:
        marker = _norm(marker)
        text = _norm(text)
        _set(self, "marker", marker)
        _set(self, "text", text)
        if type(marker) is str:  # normalised: the only whitespace left is a single space
            bad = not marker or " " in marker
        else:
            bad = not marker or not marker.strip() or any(c.isspace() for c in marker)
        if bad:
            raise ModelError(f"footnote marker must be a non-empty token, got {marker!r}")
        if not text or not text.strip():
            raise ModelError(f"footnote {marker!r} is referenced but has no footnote text")


InlinePart = str | FootnoteRef
#: Running text: strings interleaved with footnote references.
Inline = tuple[InlinePart, ...]


def _to_inline(value: object) -> Inline:
    """Normalise running text.

    A str becomes a 1-tuple; adjacent strings merge; whitespace runs collapse to
    one space and the ends of the whole run are trimmed; empty strings go. Two
    inlines with the same words and footnotes in the same places are equal.
    """
    if type(value) is tuple and len(value) == 1 and type(value[0]) is str:
        # one run of text with nothing to collapse or trim (the commonest case): as it is
        text = value[0]
        if text and text.isprintable() and "  " not in text and text[0] != " " and (
                text[-1] != " "):
            return value
    if isinstance(value, str) or (type(value) is tuple and len(value) == 1
                                  and isinstance(value[0], str)):
        # one run of text (the common case): the steps below, in short
        text = _collapse(value if isinstance(value, str) else value[0]).strip()
        return (text,) if text else ()
    if not isinstance(value, (tuple, list)):
        raise ModelError(f"text must be a str or a sequence of str/FootnoteRef, got {value!r}")
    out: list[InlinePart] = []
    for part in value:
        if isinstance(part, str):
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + part
            else:
                out.append(part)
        elif isinstance(part, FootnoteRef):
            out.append(part)
        else:
            raise ModelError(f"text part must be str or FootnoteRef, got {part!r}")
    out = [_collapse(p) if isinstance(p, str) else p for p in out]
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return tuple(p for p in out if p != "")


def _opt_inline(value: object) -> Inline | None:
    if value is None:
        return None
    text = _to_inline(value)
    return text or None


def inline_text(text: Inline | None) -> str:
    """The words of running text without footnote bodies.

    Example:
        >>> inline_text(("Asia", FootnoteRef("1", "OJ C 1."), ","))
        'Asia,'
    """
    if not text:
        return ""
    return "".join(p for p in text if isinstance(p, str))


@attrs.frozen(init=False)
class Citation:
    """One "having regard to …" item of the preamble (the leading dash is layout, not text).

    Example:
        >>> Citation("having regard to Rule 110(4) of its Rules of Procedure,").text
        ('having regard to Rule 110(4) of its Rules of Procedure,',)
    """

    text: Inline

    def __init__(self, text: Inline | str) -> None:
        text = _to_inline(text)
        _set(self, "text", text)
        if not text:  # an inline from _to_inline is empty exactly when it is falsy
            raise ModelError("citation: text must not be empty")


_LETTERS = re.compile(r"^\w+$")


@attrs.frozen(init=False)
class Recital:
    """A lettered "whereas" recital; ``num`` is printed as in the source ("A.", "Β.").

    Example:
        >>> Recital("AB.", "whereas …;").letter
        'AB'
    """

    num: str
    text: Inline

    def __init__(self, num: str, text: Inline | str) -> None:
        num = _norm(num)
        text = _to_inline(text)
        _set(self, "num", num)
        _set(self, "text", text)
        _require("recital", "num", num)
        if not text:
            raise ModelError("recital: text must not be empty")

    @property
    def letter(self) -> str:
        """The letter(s) without punctuation: "AB." → "AB"."""
        return self.num.strip().strip(".)(").strip()


@attrs.frozen(init=False)
class Point:
    """A point "(a)", a sub-point "(i)" or a dash indent "–" inside a paragraph.

    Example:
        >>> Point("(a)", "to act;").label
        'a'
    """

    num: str
    text: Inline | None = None
    points: tuple[Point, ...] = ()

    def __init__(self, num: str, text: Inline | str | None = None,
                 points: Sequence[Point] = ()) -> None:
        _init_numbered(self, "point", "sub-points", num, text, points)

    @property
    def label(self) -> str:
        """The number without brackets or dots: "(a)" → "a"; a dash stays a dash."""
        return self.num.strip().strip("().").strip() or self.num.strip()


def _init_numbered(item: object, kind: str, below: str, num: str,
                   text: Inline | str | None, points: Sequence[Point]) -> None:
    """Fill a Point or a Paragraph (built alike: a number, an optional text, points under
    it) and check it: a number, and text or points, no point label twice."""
    num = _norm(num)
    text = _opt_inline(text)
    points = tuple(points)
    _set(item, "num", num)
    _set(item, "text", text)
    _set(item, "points", points)
    _require(kind, "num", num)
    if text is None and not points:
        raise ModelError(f"{kind} {num!r} has neither text nor {below}")
    if points:
        _check_unique_labels(points, kind, num)


def _check_unique_labels(points: tuple[Point, ...], kind: str, num: object) -> None:
    seen: set[str] = set()
    for p in points:
        if not isinstance(p, Point):
            raise ModelError(f"{kind} {num}: points must be Point values, got {p!r}")
        label = p.label
        if label in _DASHES:
            continue
        if label in seen:
            raise ModelError(f"{kind} {num}: point {p.num!r} appears twice")
        seen.add(label)


_DASHES = {"–", "-", "—", "•", "−", "‒"}


@attrs.frozen(init=False)
class Paragraph:
    """A numbered operative paragraph ("1. Condemns …"), with optional points.

    With points, ``text`` is the introduction before them (may be None).

    Example:
        >>> Paragraph("3.", "Calls on the Commission:", (Point("(a)", "to act;"),)).number
        '3'
    """

    num: str
    text: Inline | None = None
    points: tuple[Point, ...] = ()

    def __init__(self, num: str, text: Inline | str | None = None,
                 points: Sequence[Point] = ()) -> None:
        _init_numbered(self, "paragraph", "points", num, text, points)

    @property
    def number(self) -> str:
        """The number without its dot: "12." → "12"."""
        return self.num.strip().rstrip(".)").strip()


@attrs.frozen(init=False)
class Heading:
    """An unnumbered (or numbered) heading over a group of paragraphs.

    Paragraph numbering runs on across headings, so a heading is not a
    numbering context.

    Example:
        >>> Heading("General remarks", (Paragraph("1.", "Notes …;"),)).text
        'General remarks'
    """

    text: str
    paragraphs: tuple[Paragraph, ...] = ()
    num: str | None = None

    def __init__(self, text: str, paragraphs: Sequence[Paragraph] = (),
                 num: str | None = None) -> None:
        text = _norm(text)
        paragraphs = tuple(paragraphs)
        num = _norm_opt(num)
        _set(self, "text", text)
        _set(self, "paragraphs", paragraphs)
        _set(self, "num", num)
        _require("heading", "text", text)
        for p in paragraphs:
            if not isinstance(p, Paragraph):
                raise ModelError(f"heading {text!r}: expected Paragraph, got {p!r}")


def _to_blocks(value: Sequence[object]) -> tuple[Inline, ...]:
    # an empty block is layout (a blank line), not text: it goes, like empty strings do;
    # a Table (an annex's vote table, read from a web page) is a block as it is
    return tuple(b for b in (v if isinstance(v, Table) else _to_inline(v) for v in value)
                 if b)


@attrs.frozen(init=False)
class Annex:
    """An annex: its heading line(s) and its text as blocks (one per source paragraph).

    Example:
        >>> Annex("ANNEX", ("First line.", "Second line.")).blocks[1]
        ('Second line.',)
    """

    title: str
    blocks: tuple[Inline, ...] = ()

    def __init__(self, title: str, blocks: Sequence[object] = ()) -> None:
        title = _norm(title)
        blocks = _to_blocks(blocks)
        _set(self, "title", title)
        _set(self, "blocks", blocks)
        _require("annex", "title", title)


#: Roles of head lines that are kept but are not title, heading or TA number.
HEAD_ROLES = (
    "stars",  # "***", "***I" of a legislative procedure
    "procedureKind",  # "(Consultation procedure)", "(Approbation)"
    "documentRefs",  # "B4-0232, 0235, 0289 und 0309/95"
    "sitting",  # "Thursday, 15 March 2012 - Strasbourg"
    "other",  # anything else printed in the head
)


@attrs.frozen(init=False)
class HeadLine:
    """A line of the document head kept verbatim with what it is.

    Example:
        >>> HeadLine("procedureKind", "(Consultation procedure)").role
        'procedureKind'
    """

    role: str
    text: str

    def __init__(self, role: str, text: str) -> None:
        text = _norm(text)
        _set(self, "role", role)
        _set(self, "text", text)
        if role not in HEAD_ROLES:
            raise ModelError(f"head line role must be one of {HEAD_ROLES}, got {role!r}")
        _require("head line", "text", text)


@attrs.frozen
class Artefact:
    """Something a reader removed from the source as page furniture, with where it was.

    Example:
        >>> Artefact(12, "page-number", "3")
        Artefact(line=12, kind='page-number', text='3')
    """

    line: int
    kind: str
    text: str


@attrs.frozen
class ParseReport:
    """What a parse says about its source: removed artefacts and warnings.

    Kept out of the model's equality, so the same resolution read from
    different layouts gives equal models.

    Example:
        >>> ParseReport().warnings
        ()
    """

    artefacts: tuple[Artefact, ...] = ()
    warnings: tuple[str, ...] = ()
    source_lines: int = 0


#: How the adoption date was obtained: printed in the text, supplied by the
#: caller, or a fallback (1 January of the year the text prints, see docs).
DATE_SOURCES = ("printed", "supplied", "fallback")

#: A texts-adopted number as printed: groups term, year, number ("P9_TA-PROV(2021)0123").
TA_NUMBER_RE = re.compile(r"^P(\d{1,2})_TA(?:-PROV)?\((\d{4})\)(\d{4})$")


def ta_year(ta_number: str) -> int:
    """The year of a texts-adopted number, which is the year of its sitting: texts adopted
    are numbered from 0001 each year.

    >>> ta_year("P7_TA-PROV(2012)0089")
    2012
    """
    m = TA_NUMBER_RE.match(ta_number)
    if m is None:
        raise ModelError(f"texts-adopted number must look like P7_TA(2012)0089, got {ta_number!r}")
    return int(m.group(2))


def ta_date_conflict(ta_number: str, date: _dt.date, date_source: str) -> str | None:
    """Why a texts-adopted number cannot belong to a resolution of ``date``, or None: the
    model's rule, which the parser also asks to refuse the text at the number's line.

    >>> ta_date_conflict("P7_TA(2012)0089", _dt.date(2012, 3, 15), "printed") is None
    True
    """
    year = ta_year(ta_number)
    if year == date.year:
        return None
    return (f"texts-adopted number {ta_number} is of the year {year}, but the resolution is "
            f"dated {date.isoformat()} ({date_source}): texts adopted are numbered from 0001 "
            "each year, so one of the two is wrong")


#: A procedure reference: groups year, number, type ("2012/2553(RSP)").
PROCEDURE_RE = re.compile(r"^(\d{2,4})/(\d{4}[A-Z]?)\(([A-Z]{3})\)$")


def _opt_date(value: object) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value  # type: ignore[return-value]
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ModelError(f"date must be ISO YYYY-MM-DD, got {value!r}") from exc
    raise ModelError(f"date must be a datetime.date, got {value!r}")


def _to_strs(value: Sequence[str]) -> tuple[str, ...]:
    out = tuple(_norm(v) for v in value)
    if any(not isinstance(v, str) or not v for v in out):
        raise ModelError(f"document references must be non-empty strings, got {value!r}")
    return out


#: The report of a value built without one (immutable, so one can be shared).
_NO_REPORT = ParseReport()


@attrs.frozen(init=False)
class Resolution:
    """A European Parliament resolution in one language.

    ``lang`` is the ISO 639-1 code ("lv", "en"). ``body`` holds paragraphs and
    headings (a heading carries the paragraphs under it) in document order.
    ``report`` is what the reader noticed about its source; it is not part of
    equality.

    Example:
        >>> r = Resolution(lang="en", title="European Parliament resolution on X",
        ...                formula="The European Parliament,",
        ...                body=(Paragraph("1.", "Instructs its President …"),))
        >>> [p.number for p in r.paragraphs()]
        ['1']
    """

    lang: str
    title: str
    formula: str
    heading: str | None = None
    date: _dt.date | None = None
    date_source: str = "printed"
    procedure: str | None = None
    ta_number: str | None = None
    doc_refs: tuple[str, ...] = ()
    head_lines: tuple[HeadLine, ...] = ()
    citations: tuple[Citation, ...] = ()
    recitals: tuple[Recital, ...] = ()
    body: tuple[Paragraph | Heading, ...] = ()
    annexes: tuple[Annex, ...] = ()
    #: Text after the last paragraph that is neither annex nor footnote (kept, never dropped).
    trailing: tuple[Inline, ...] = ()
    #: The work IRI (an :class:`akn_ep.akn.iri.FrbrUri`) stated by the caller or read from a
    #: document, where it is not the one the rules derive from the fields; None: derived.
    frbr_uri: FrbrUri | None = None
    report: ParseReport = attrs.field(default=_NO_REPORT, eq=False, repr=False)
    #: What the document is (:data:`DOC_KINDS`): a text adopted unless a web page says
    #: it is a motion or a committee report; ``doc_number`` is then its own number.
    kind: str = "textAdopted"
    doc_number: str | None = None
    #: Amendments a report proposes ("Present text | Amendment" tables), in order.
    amendments: tuple[Amendment, ...] = ()

    def __init__(
        self,
        lang: str,
        title: str,
        formula: str,
        heading: str | None = None,
        date: _dt.date | str | None = None,
        date_source: str = "printed",
        procedure: str | None = None,
        ta_number: str | None = None,
        doc_refs: Sequence[str] = (),
        head_lines: Sequence[HeadLine] = (),
        citations: Sequence[Citation] = (),
        recitals: Sequence[Recital] = (),
        body: Sequence[Paragraph | Heading] = (),
        annexes: Sequence[Annex] = (),
        trailing: Sequence[object] = (),
        frbr_uri: FrbrUri | None = None,
        report: ParseReport = _NO_REPORT,
        kind: str = "textAdopted",
        doc_number: str | None = None,
        amendments: Sequence[Amendment] = (),
    ) -> None:
        title = _norm(title)
        formula = _norm(formula)
        if heading is not None:
            heading = _norm_opt(heading)
        date = _opt_date(date)
        if procedure is not None:
            procedure = _norm_opt(procedure)
        if ta_number is not None:
            ta_number = _norm_opt(ta_number)
        doc_refs = () if doc_refs == () else _to_strs(doc_refs)
        _set(self, "lang", lang)
        _set(self, "title", title)
        _set(self, "formula", formula)
        _set(self, "heading", heading)
        _set(self, "date", date)
        _set(self, "date_source", date_source)
        _set(self, "procedure", procedure)
        _set(self, "ta_number", ta_number)
        _set(self, "doc_refs", doc_refs)
        _set(self, "head_lines", tuple(head_lines))
        _set(self, "citations", tuple(citations))
        _set(self, "recitals", tuple(recitals))
        _set(self, "body", tuple(body))
        _set(self, "annexes", tuple(annexes))
        _set(self, "trailing", () if trailing == () else _to_blocks(trailing))
        _set(self, "frbr_uri", frbr_uri)
        _set(self, "report", report)
        _set(self, "kind", kind)
        _set(self, "doc_number", _norm_opt(doc_number) if doc_number is not None else None)
        _set(self, "amendments", tuple(amendments))
        if kind not in DOC_KINDS:
            raise ModelError(f"kind must be one of {DOC_KINDS}, got {kind!r}")
        for amendment in self.amendments:
            if not isinstance(amendment, Amendment):
                raise ModelError(f"amendments must hold Amendment values, got {amendment!r}")
        if not isinstance(lang, str) or lang not in _language_codes():
            # a language without a table could not be written
            raise ModelError(
                f"lang must be the ISO 639-1 code of a language with a table "
                f"({', '.join(_language_codes())}), got {lang!r}"
            )
        if type(title) is not str or not title:
            _require("resolution", "title", title)
        if type(formula) is not str or not formula:
            _require("resolution", "formula", formula)
        try:
            consistent = self._consistent()
        except Exception:  # a value of the wrong kind somewhere: the rules in order say which
            consistent = False
        if not consistent:
            self._check_in_order()

    def _consistent(self) -> bool:
        """All consistency rules in one pass over the items: True when none is broken
        (then :meth:`_check_in_order` would find nothing either)."""
        source = self.date_source
        if source != "printed" and (source not in DATE_SOURCES or self.date is None):
            return False
        if self.ta_number is not None and (
            not TA_NUMBER_RE.match(self.ta_number)
            or (self.date is not None and ta_year(self.ta_number) != self.date.year)
        ):
            return False
        if self.procedure is not None and not PROCEDURE_RE.match(self.procedure):
            return False
        if self.frbr_uri is not None and _identity_conflict(self):
            return False
        for line in self.head_lines:
            if not isinstance(line, HeadLine):
                return False
        texts: list[Inline] = []  # every text that may hold a footnote
        add = texts.append
        for c in self.citations:
            if not isinstance(c, Citation):
                return False
            if len(c.text) > 1 or type(c.text[0]) is not str:
                add(c.text)
        letters: set[str] = set()
        for rec in self.recitals:
            if not isinstance(rec, Recital):
                return False
            letter = rec.letter
            if letter in letters:
                return False
            letters.add(letter)
            if len(rec.text) > 1 or type(rec.text[0]) is not str:
                add(rec.text)
        numbers: set[str] = set()
        for item in self.body:
            if isinstance(item, Paragraph):
                paras: tuple[Paragraph, ...] = (item,)
            elif isinstance(item, Heading):
                paras = item.paragraphs
            else:
                return False
            for para in paras:
                number = para.number
                if number in numbers:
                    return False
                numbers.add(number)
                if para.text and (len(para.text) > 1 or type(para.text[0]) is not str):
                    add(para.text)
                if para.points:
                    texts.extend(_walk_points(para.points))
        for annex in self.annexes:
            if not isinstance(annex, Annex):
                return False
            for block in annex.blocks:
                if isinstance(block, Table):
                    for row in block.rows:
                        texts.extend(row)
                else:
                    texts.append(block)
        texts.extend(self.trailing)
        for amendment in self.amendments:
            for row in amendment.rows:
                texts.append(row.present)
                texts.append(row.amended)
        markers: set[str] = set()
        for text in texts:
            for part in text:
                if isinstance(part, FootnoteRef):
                    if part.marker in markers:
                        return False
                    markers.add(part.marker)
        return True

    def _check_in_order(self) -> None:
        """The consistency rules one by one, in the order their errors take precedence
        (run only when :meth:`_consistent` finds something wrong, to raise that error)."""
        if self.date_source not in DATE_SOURCES:
            raise ModelError(f"date_source must be one of {DATE_SOURCES}, got {self.date_source!r}")
        if self.date_source == "fallback" and self.date is None:
            raise ModelError("a fallback date_source needs a date")
        if self.date_source == "supplied" and self.date is None:
            raise ModelError("a supplied date_source needs a date")
        if self.ta_number is not None and not TA_NUMBER_RE.match(self.ta_number):
            raise ModelError(
                f"texts-adopted number must look like P7_TA(2012)0089, got {self.ta_number!r}"
            )
        if self.ta_number is not None and self.date is not None:
            conflict = ta_date_conflict(self.ta_number, self.date, self.date_source)
            if conflict:
                raise ModelError(conflict)
        if self.procedure is not None and not PROCEDURE_RE.match(self.procedure):
            raise ModelError(
                f"procedure reference must look like 2012/2553(RSP), got {self.procedure!r}"
            )
        if self.frbr_uri is not None and _identity_conflict(self):
            raise ModelError(_identity_conflict(self))
        for kind, items, cls in (
            ("citations", self.citations, Citation),
            ("recitals", self.recitals, Recital),
            ("annexes", self.annexes, Annex),
            ("head_lines", self.head_lines, HeadLine),
        ):
            for item in items:
                if not isinstance(item, cls):
                    raise ModelError(f"{kind} must hold {cls.__name__} values, got {item!r}")
        for item in self.body:
            if not isinstance(item, (Paragraph, Heading)):
                raise ModelError(f"body must hold Paragraph or Heading values, got {item!r}")
        seen: dict[str, int] = {}
        for i, rec in enumerate(self.recitals):
            if rec.letter in seen:
                first = seen[rec.letter] + 1
                raise ModelError(
                    f"recital {rec.letter!r} appears twice (items {first} and {i + 1})"
                )
            seen[rec.letter] = i
        nums: dict[str, int] = {}
        for i, para in enumerate(self.paragraphs()):
            if para.number in nums:
                raise ModelError(f"paragraph {para.number!r} appears twice")
            nums[para.number] = i
        markers: set[str] = set()
        for note in iter_footnotes(self):
            if note.marker in markers:
                raise ModelError(f"footnote {note.marker!r} is attached twice")
            markers.add(note.marker)

    def paragraphs(self) -> Iterator[Paragraph]:
        """All operative paragraphs in order, through headings.

        Example:
            >>> r = Resolution(lang="en", title="T", formula="F",
            ...                body=(Heading("H", (Paragraph("1.", "x"),)),))
            >>> next(r.paragraphs()).num
            '1.'
        """
        for item in self.body:
            if isinstance(item, Heading):
                yield from item.paragraphs
            else:
                yield item

    @property
    def warnings(self) -> tuple[str, ...]:
        """Warnings from the reader that built this value (shortcut to ``report``)."""
        return self.report.warnings


def _identity_conflict(r: Resolution) -> str | None:
    from .akn.iri import identity_conflict  # the IRI module reads the model: imported late

    return identity_conflict(r)


def _walk_points(points: tuple[Point, ...]) -> Iterator[Inline]:
    for p in points:
        if p.text:
            yield p.text
        yield from _walk_points(p.points)


def iter_texts(r: Resolution) -> Iterator[Inline]:
    """Every piece of running text of a resolution, in document order.

    Example:
        >>> r = Resolution(lang="en", title="T", formula="F", citations=(Citation("c"),))
        >>> list(iter_texts(r))
        [('c',)]
    """
    for c in r.citations:
        yield c.text
    for rec in r.recitals:
        yield rec.text
    for para in r.paragraphs():
        if para.text:
            yield para.text
        yield from _walk_points(para.points)
    for annex in r.annexes:
        for block in annex.blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    yield from row
            else:
                yield block
    yield from r.trailing
    for amendment in r.amendments:
        for row in amendment.rows:
            yield tuple(p for p in row.present if not isinstance(p, Change))
            yield tuple(p for p in row.amended if not isinstance(p, Change))


def iter_footnotes(r: Resolution) -> Iterator[FootnoteRef]:
    """Footnotes in document order.

    Example:
        >>> r = Resolution(lang="en", title="T", formula="F",
        ...                citations=(Citation(("c", FootnoteRef("1", "OJ C 1."))),))
        >>> [n.marker for n in iter_footnotes(r)]
        ['1']
    """
    for text in iter_texts(r):
        for part in text:
            if isinstance(part, FootnoteRef):
                yield part


# -- documents other than texts adopted, read from the Parliament's web pages -----------

#: What a document is: a text adopted (the default), a motion for a resolution (B9-0220/2020),
#: a joint motion (RC-B10-0249/2025) or a committee report (A9-0163/2024). See docs/mapping.md.
DOC_KINDS = ("textAdopted", "motion", "jointMotion", "report")


@attrs.frozen(init=False)
class Change:
    """Text an amendment marks as changed (printed in bold italics): new text in the
    "Amendment" column, replaced or deleted text in the "Present text" column.

    Example:
        >>> Change(" including completing the training").text
        'including completing the training'
    """

    text: str

    def __init__(self, text: str) -> None:
        text = _norm(text)
        _set(self, "text", text)
        _require("change", "text", text)


CellPart = str | FootnoteRef | Change
#: A cell of an amendment table: text, changed text and footnotes, in order.
Cell = tuple[CellPart, ...]


def _to_cell(value: object) -> Cell:
    """Running text that may hold :class:`Change` parts (adjacent strings merge, whitespace
    collapses, ends trimmed; a change keeps the spaces around it in the strings)."""
    if isinstance(value, (str, Change, FootnoteRef)):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise ModelError(f"a cell must be a str or a sequence of str/Change/FootnoteRef, "
                         f"got {value!r}")
    out: list[CellPart] = []
    for part in value:
        if isinstance(part, str):
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + part
            else:
                out.append(part)
        elif isinstance(part, (FootnoteRef, Change)):
            out.append(part)
        else:
            raise ModelError(f"cell part must be str, Change or FootnoteRef, got {part!r}")
    out = [_collapse(p) if isinstance(p, str) else p for p in out]
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return tuple(p for p in out if p != "")


@attrs.frozen(init=False)
class AmendmentRow:
    """One row of an amendment table: the present text and the amended text beside it
    (either may be empty: a new paragraph has no present text).

    Example:
        >>> AmendmentRow("Members may not", ("Members may not", Change("ever"))).amended
        ('Members may not', Change(text='ever'))
    """

    present: Cell
    amended: Cell

    def __init__(self, present: object = (), amended: object = ()) -> None:
        present = _to_cell(present)
        amended = _to_cell(amended)
        _set(self, "present", present)
        _set(self, "amended", amended)
        if not present and not amended:
            raise ModelError("amendment row: both columns are empty")


@attrs.frozen(init=False)
class Amendment:
    """One amendment of a report: its number as printed ("Amendment 1"), the text it
    amends ("Parliament's Rules of Procedure") and where ("Rule 10 – paragraph 6"), the
    column headings as printed and the rows.

    Example:
        >>> a = Amendment("Amendment 1", "Rules", "Rule 10", ("Present text", "Amendment"),
        ...               (AmendmentRow("old", Change("new")),))
        >>> a.number, a.rows[0].amended
        ('1', (Change(text='new'),))
    """

    num: str
    document: str | None
    target: str | None
    columns: tuple[str, str]
    rows: tuple[AmendmentRow, ...]

    def __init__(self, num: str, document: str | None, target: str | None,
                 columns: Sequence[str], rows: Sequence[AmendmentRow]) -> None:
        num = _norm(num)
        columns = tuple(_norm(c) for c in columns)
        rows = tuple(rows)
        _set(self, "num", num)
        _set(self, "document", _norm_opt(document) if document is not None else None)
        _set(self, "target", _norm_opt(target) if target is not None else None)
        _set(self, "columns", columns)
        _set(self, "rows", rows)
        _require("amendment", "num", num)
        if len(columns) != 2 or not all(columns):
            raise ModelError(f"amendment {num}: two column headings expected, got {columns!r}")
        if not rows or not all(isinstance(r, AmendmentRow) for r in rows):
            raise ModelError(f"amendment {num}: rows must be AmendmentRow values, got {rows!r}")

    @property
    def number(self) -> str:
        """The number in ``num``: "Amendment 12a" → "12a" (the last word)."""
        return self.num.split()[-1]


@attrs.frozen(init=False)
class Table:
    """A table kept as a table (rows of cells of running text), e.g. a committee's vote
    table in a report's annex. Empty cells are kept, so columns stay aligned.

    Example:
        >>> Table((("Date adopted", "3.4.2024"),)).rows[0][1]
        ('3.4.2024',)
    """

    rows: tuple[tuple[Inline, ...], ...]

    def __init__(self, rows: Sequence[Sequence[object]]) -> None:
        out = tuple(tuple(_to_inline(c) for c in row) for row in rows)
        _set(self, "rows", out)
        if not out or not any(any(c for c in row) for row in out):
            raise ModelError("table: no text in any cell")

    def __bool__(self) -> bool:
        return True
