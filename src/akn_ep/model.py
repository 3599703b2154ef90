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
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import attrs

from .errors import ModelError
from .languages import codes as _language_codes
from .vocabulary import ITEM_DASHES, TA_NUMBER

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


def _required(kind: str) -> Callable[[object, attrs.Attribute, object], None]:
    """An attrs validator: the field must not be empty (``ModelError`` "<kind>: <name> must
    not be empty")."""

    def check(_: object, attribute: attrs.Attribute, value: object) -> None:
        if type(value) is not str or not value:  # a non-empty normalised str: nothing to ask
            _require(kind, attribute.name, value)

    return check


def _has_text(kind: str) -> Callable[[object, attrs.Attribute, Inline], None]:
    """An attrs validator: running text from :func:`_to_inline` must not be empty (it is
    empty exactly when it is falsy)."""
    message = f"{kind}: text must not be empty"

    def check(_: object, __: attrs.Attribute, value: Inline) -> None:
        if not value:
            raise ModelError(message)

    return check


# The model's classes are attrs classes: frozen (immutable, compared and hashed by value,
# with a repr that evaluates back), each field converted by an attrs converter and checked
# by an attrs validator (every field converted, then every check, in field order); a
# Resolution's consistency rules then run in order (:data:`RESOLUTION_RULES`). A new field
# is one ``attrs.field`` with its converter and validator; a rule between fields is one
# function added to RESOLUTION_RULES, in the place its error should take.


@attrs.frozen
class FootnoteRef:
    """A footnote attached at the exact point where the text calls it.

    ``marker`` is the footnote's own printed number ("1"); ``text`` is its body.

    Example:
        >>> FootnoteRef("1", "Texts adopted, P7_TA(2011)0588.")
        FootnoteRef(marker='1', text='Texts adopted, P7_TA(2011)0588.')
    """

    marker: str = attrs.field(converter=_norm, validator=lambda _, __, v: _token(v))
    text: str = attrs.field(converter=_norm, validator=lambda self, _, v: _note_text(self, v))


def _token(marker: object) -> None:
    if type(marker) is str:  # normalised: the only whitespace left is a single space
        bad = not marker or " " in marker
    else:
        bad = not marker or not marker.strip() or any(c.isspace() for c in marker)
    if bad:
        raise ModelError(f"footnote marker must be a non-empty token, got {marker!r}")


def _note_text(ref: FootnoteRef, text: str) -> None:
    if not text or not text.strip():
        raise ModelError(f"footnote {ref.marker!r} is referenced but has no footnote text")


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


@attrs.frozen
class Citation:
    """One "having regard to …" item of the preamble (the leading dash is layout, not text).

    Example:
        >>> Citation("having regard to Rule 110(4) of its Rules of Procedure,").text
        ('having regard to Rule 110(4) of its Rules of Procedure,',)
    """

    text: Inline = attrs.field(converter=_to_inline, validator=_has_text("citation"))


_LETTERS = re.compile(r"^\w+$")


@attrs.frozen
class Recital:
    """A lettered "whereas" recital; ``num`` is printed as in the source ("A.", "Β.").

    Example:
        >>> Recital("AB.", "whereas …;").letter
        'AB'
    """

    num: str = attrs.field(converter=_norm, validator=_required("recital"))
    text: Inline = attrs.field(converter=_to_inline, validator=_has_text("recital"))

    @property
    def letter(self) -> str:
        """The letter(s) without punctuation: "AB." → "AB"."""
        return self.num.strip().strip(".)(").strip()


def _text_or_points(kind: str, below: str) -> Callable[[object, attrs.Attribute, tuple], None]:
    """An attrs validator of a Point's or a Paragraph's points (built alike: a number, an
    optional text, points under it): text or points, and no point label twice."""

    def check(item: Point | Paragraph, _: attrs.Attribute, points: tuple[Point, ...]) -> None:
        if not points:
            if item.text is None:
                raise ModelError(f"{kind} {item.num!r} has neither text nor {below}")
            return
        _check_unique_labels(points, kind, item.num)

    return check


@attrs.frozen
class Point:
    """A point "(a)", a sub-point "(i)" or a dash indent "–" inside a paragraph.

    Example:
        >>> Point("(a)", "to act;").label
        'a'
    """

    num: str = attrs.field(converter=_norm, validator=_required("point"))
    text: Inline | None = attrs.field(default=None, converter=_opt_inline)
    points: tuple[Point, ...] = attrs.field(default=(), converter=tuple,
                                            validator=_text_or_points("point", "sub-points"))

    @property
    def label(self) -> str:
        """The number without brackets or dots: "(a)" → "a"; a dash stays a dash."""
        return self.num.strip().strip("().").strip() or self.num.strip()


def _check_unique_labels(points: tuple[Point, ...], kind: str, num: object) -> None:
    seen: set[str] = set()
    for p in points:
        if not isinstance(p, Point):
            raise ModelError(f"{kind} {num}: points must be Point values, got {p!r}")
        label = p.label
        if label in ITEM_DASHES:
            continue
        if label in seen:
            raise ModelError(f"{kind} {num}: point {p.num!r} appears twice")
        seen.add(label)


@attrs.frozen
class Paragraph:
    """A numbered operative paragraph ("1. Condemns …"), with optional points.

    With points, ``text`` is the introduction before them (may be None).

    Example:
        >>> Paragraph("3.", "Calls on the Commission:", (Point("(a)", "to act;"),)).number
        '3'
    """

    num: str = attrs.field(converter=_norm, validator=_required("paragraph"))
    text: Inline | None = attrs.field(default=None, converter=_opt_inline)
    points: tuple[Point, ...] = attrs.field(default=(), converter=tuple,
                                            validator=_text_or_points("paragraph", "points"))

    @property
    def number(self) -> str:
        """The number without its dot: "12." → "12"."""
        return self.num.strip().rstrip(".)").strip()


@attrs.frozen
class Heading:
    """An unnumbered (or numbered) heading over a group of paragraphs.

    Paragraph numbering runs on across headings, so a heading is not a
    numbering context.

    Example:
        >>> Heading("General remarks", (Paragraph("1.", "Notes …;"),)).text
        'General remarks'
    """

    text: str = attrs.field(converter=_norm, validator=_required("heading"))
    paragraphs: tuple[Paragraph, ...] = attrs.field(default=(), converter=tuple,
                                                    validator=lambda h, _, v: _paragraphs(h, v))
    num: str | None = attrs.field(default=None, converter=_norm_opt)


def _paragraphs(heading: Heading, paragraphs: tuple[Paragraph, ...]) -> None:
    for p in paragraphs:
        if not isinstance(p, Paragraph):
            raise ModelError(f"heading {heading.text!r}: expected Paragraph, got {p!r}")


def _to_blocks(value: Sequence[object]) -> tuple[Inline, ...]:
    # an empty block is layout (a blank line), not text: it goes, like empty strings do;
    # a Table (an annex's vote table, read from a web page) is a block as it is
    if value == ():
        return ()
    return tuple(b for b in (v if isinstance(v, Table) else _to_inline(v) for v in value)
                 if b)


@attrs.frozen
class Annex:
    """An annex: its heading line(s) and its text as blocks (one per source paragraph).

    Example:
        >>> Annex("ANNEX", ("First line.", "Second line.")).blocks[1]
        ('Second line.',)
    """

    title: str = attrs.field(converter=_norm, validator=_required("annex"))
    blocks: tuple[Inline | Table, ...] = attrs.field(default=(), converter=_to_blocks)


#: Roles of head lines that are kept but are not title, heading or TA number.
HEAD_ROLES = (
    "stars",  # "***", "***I" of a legislative procedure
    "procedureKind",  # "(Consultation procedure)", "(Approbation)"
    "documentRefs",  # "B4-0232, 0235, 0289 und 0309/95"
    "sitting",  # "Thursday, 15 March 2012 - Strasbourg"
    "other",  # anything else printed in the head
)


@attrs.frozen
class HeadLine:
    """A line of the document head kept verbatim with what it is.

    Example:
        >>> HeadLine("procedureKind", "(Consultation procedure)").role
        'procedureKind'
    """

    role: str = attrs.field(validator=lambda _, __, v: _head_role(v))
    text: str = attrs.field(converter=_norm, validator=_required("head line"))


def _head_role(role: str) -> None:
    if role not in HEAD_ROLES:
        raise ModelError(f"head line role must be one of {HEAD_ROLES}, got {role!r}")


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

#: What a document is: a text adopted (the default), a motion for a resolution (B9-0220/2020),
#: a joint motion (RC-B10-0249/2025) or a committee report (A9-0163/2024). See docs/mapping.md.
DOC_KINDS = ("textAdopted", "motion", "jointMotion", "report")

#: A texts-adopted number as printed: groups term, year, number ("P9_TA-PROV(2021)0123").
TA_NUMBER_RE = re.compile(rf"^{TA_NUMBER}$")


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
    if value == ():
        return ()
    out = tuple(_norm(v) for v in value)
    if any(not isinstance(v, str) or not v for v in out):
        raise ModelError(f"document references must be non-empty strings, got {value!r}")
    return out


#: The report of a value built without one (immutable, so one can be shared).
_NO_REPORT = ParseReport()


@attrs.frozen
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

    lang: str = attrs.field(validator=lambda _, __, v: _known_language(v))
    title: str = attrs.field(converter=_norm, validator=_required("resolution"))
    formula: str = attrs.field(converter=_norm, validator=_required("resolution"))
    heading: str | None = attrs.field(default=None, converter=_norm_opt)
    date: _dt.date | None = attrs.field(default=None, converter=_opt_date)
    date_source: str = "printed"
    procedure: str | None = attrs.field(default=None, converter=_norm_opt)
    ta_number: str | None = attrs.field(default=None, converter=_norm_opt)
    doc_refs: tuple[str, ...] = attrs.field(default=(), converter=_to_strs)
    head_lines: tuple[HeadLine, ...] = attrs.field(default=(), converter=tuple)
    citations: tuple[Citation, ...] = attrs.field(default=(), converter=tuple)
    recitals: tuple[Recital, ...] = attrs.field(default=(), converter=tuple)
    body: tuple[Paragraph | Heading, ...] = attrs.field(default=(), converter=tuple)
    annexes: tuple[Annex, ...] = attrs.field(default=(), converter=tuple)
    #: Text after the last paragraph that is neither annex nor footnote (kept, never dropped).
    trailing: tuple[Inline, ...] = attrs.field(default=(), converter=_to_blocks)
    #: The work IRI (an :class:`akn_ep.akn.iri.FrbrUri`) stated by the caller or read from a
    #: document, where it is not the one the rules derive from the fields; None: derived.
    #: Taken as given; checked against the other fields by :func:`_identity` (a rule).
    frbr_uri: FrbrUri | None = attrs.field(default=None)
    report: ParseReport = attrs.field(default=_NO_REPORT, eq=False, repr=False)
    #: What the document is (:data:`DOC_KINDS`): a text adopted unless a web page says
    #: it is a motion or a committee report; ``doc_number`` is then its own number.
    kind: str = attrs.field(default="textAdopted", validator=lambda _, __, v: _doc_kind(v))
    doc_number: str | None = attrs.field(default=None, converter=_norm_opt)
    #: Amendments a report proposes ("Present text | Amendment" tables), in order.
    amendments: tuple[Amendment, ...] = attrs.field(default=(), converter=tuple)

    def __attrs_post_init__(self) -> None:
        for rule in RESOLUTION_RULES:
            rule(self)

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


# -- a resolution's consistency rules -----------------------------------------------------
#
# Each rule is a function of the built value that raises ModelError when the value breaks
# it; RESOLUTION_RULES runs them in order, so the first broken rule in that order is the
# error reported. They run on every Resolution built, so each is written for the common
# case of nothing wrong (one loop, no generator where a loop does).


def _known_language(lang: object) -> None:
    if not isinstance(lang, str) or lang not in _language_codes():
        # a language without a table could not be written
        raise ModelError(
            f"lang must be the ISO 639-1 code of a language with a table "
            f"({', '.join(_language_codes())}), got {lang!r}"
        )


def _doc_kind(kind: object) -> None:
    if kind not in DOC_KINDS:
        raise ModelError(f"kind must be one of {DOC_KINDS}, got {kind!r}")


def _date_source(r: Resolution) -> None:
    """The date's origin is known, and a date that was not printed is there."""
    source = r.date_source
    if source == "printed":
        return
    if source not in DATE_SOURCES:
        raise ModelError(f"date_source must be one of {DATE_SOURCES}, got {source!r}")
    if r.date is None:
        raise ModelError(f"a {source} date_source needs a date")


def _ta_number(r: Resolution) -> None:
    """A texts-adopted number looks like P7_TA(2012)0089 and is of the year of the date."""
    if r.ta_number is None:
        return
    if not TA_NUMBER_RE.match(r.ta_number):
        raise ModelError(
            f"texts-adopted number must look like P7_TA(2012)0089, got {r.ta_number!r}"
        )
    if r.date is not None:
        conflict = ta_date_conflict(r.ta_number, r.date, r.date_source)
        if conflict:
            raise ModelError(conflict)


def _procedure(r: Resolution) -> None:
    if r.procedure is not None and not PROCEDURE_RE.match(r.procedure):
        raise ModelError(
            f"procedure reference must look like 2012/2553(RSP), got {r.procedure!r}"
        )


def _identity(r: Resolution) -> None:
    """A stated work IRI is an EP resolution's, of the date and the texts-adopted number."""
    if r.frbr_uri is None:
        return
    from .akn.iri import identity_conflict  # the IRI module reads the model: imported late

    conflict = identity_conflict(r)
    if conflict:
        raise ModelError(conflict)


def _item_kinds(r: Resolution) -> None:
    """Each collection holds values of its own class."""
    for kind, items, cls in (
        ("citations", r.citations, Citation),
        ("recitals", r.recitals, Recital),
        ("annexes", r.annexes, Annex),
        ("head_lines", r.head_lines, HeadLine),
        ("amendments", r.amendments, Amendment),
    ):
        for item in items:
            if not isinstance(item, cls):
                raise ModelError(f"{kind} must hold {cls.__name__} values, got {item!r}")
    for item in r.body:
        if not isinstance(item, (Paragraph, Heading)):
            raise ModelError(f"body must hold Paragraph or Heading values, got {item!r}")


def _recital_letters(r: Resolution) -> None:
    """No recital letter twice ("C." and "(C)" are the same letter)."""
    seen: dict[str, int] = {}
    for i, rec in enumerate(r.recitals):
        letter = rec.letter
        if letter in seen:
            raise ModelError(
                f"recital {letter!r} appears twice (items {seen[letter] + 1} and {i + 1})"
            )
        seen[letter] = i


def _paragraph_numbers(r: Resolution) -> None:
    """No paragraph number twice, through headings."""
    seen: set[str] = set()
    for item in r.body:
        for para in item.paragraphs if isinstance(item, Heading) else (item,):
            number = para.number
            if number in seen:
                raise ModelError(f"paragraph {number!r} appears twice")
            seen.add(number)


def _footnotes(r: Resolution) -> None:
    """No footnote attached twice (the same marker called at two places), document-wide:
    annex tables' cells and amendment tables' columns included."""
    texts: list[Inline] = []  # every text that may hold a footnote: not one run of words
    add = texts.append
    for c in r.citations:
        if len(c.text) > 1 or type(c.text[0]) is not str:
            add(c.text)
    for rec in r.recitals:
        if len(rec.text) > 1 or type(rec.text[0]) is not str:
            add(rec.text)
    for item in r.body:
        for para in item.paragraphs if isinstance(item, Heading) else (item,):
            if para.text and (len(para.text) > 1 or type(para.text[0]) is not str):
                add(para.text)
            if para.points:
                texts.extend(_walk_points(para.points))
    for annex in r.annexes:
        for block in annex.blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    texts.extend(row)
            else:
                add(block)
    texts.extend(r.trailing)
    for amendment in r.amendments:
        for arow in amendment.rows:
            add(arow.present)
            add(arow.amended)
    markers: set[str] = set()
    for text in texts:
        for part in text:
            if isinstance(part, FootnoteRef):
                if part.marker in markers:
                    raise ModelError(f"footnote {part.marker!r} is attached twice")
                markers.add(part.marker)


#: A resolution's consistency rules, in the order their errors take precedence.
RESOLUTION_RULES: tuple[Callable[[Resolution], None], ...] = (
    _date_source,
    _ta_number,
    _procedure,
    _identity,
    _item_kinds,
    _recital_letters,
    _paragraph_numbers,
    _footnotes,
)


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

@attrs.frozen
class Change:
    """Text an amendment marks as changed (printed in bold italics): new text in the
    "Amendment" column, replaced or deleted text in the "Present text" column.

    Example:
        >>> Change(" including completing the training").text
        'including completing the training'
    """

    text: str = attrs.field(converter=_norm, validator=_required("change"))


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


@attrs.frozen
class AmendmentRow:
    """One row of an amendment table: the present text and the amended text beside it
    (either may be empty: a new paragraph has no present text).

    Example:
        >>> AmendmentRow("Members may not", ("Members may not", Change("ever"))).amended
        ('Members may not', Change(text='ever'))
    """

    present: Cell = attrs.field(default=(), converter=_to_cell)
    amended: Cell = attrs.field(default=(), converter=_to_cell,
                                validator=lambda row, _, __: _row_not_empty(row))


def _row_not_empty(row: AmendmentRow) -> None:
    if not row.present and not row.amended:
        raise ModelError("amendment row: both columns are empty")


def _to_columns(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(_norm(c) for c in value)


def _two_columns(amendment: Amendment, _: attrs.Attribute, columns: tuple[str, ...]) -> None:
    if len(columns) != 2 or not all(columns):
        raise ModelError(f"amendment {amendment.num}: two column headings expected, "
                         f"got {columns!r}")


def _amendment_rows(amendment: Amendment, _: attrs.Attribute,
                    rows: tuple[AmendmentRow, ...]) -> None:
    if not rows or not all(isinstance(r, AmendmentRow) for r in rows):
        raise ModelError(f"amendment {amendment.num}: rows must be AmendmentRow values, "
                         f"got {rows!r}")


@attrs.frozen
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

    num: str = attrs.field(converter=_norm, validator=_required("amendment"))
    document: str | None = attrs.field(converter=_norm_opt)
    target: str | None = attrs.field(converter=_norm_opt)
    columns: tuple[str, str] = attrs.field(converter=_to_columns, validator=_two_columns)
    rows: tuple[AmendmentRow, ...] = attrs.field(converter=tuple, validator=_amendment_rows)

    @property
    def number(self) -> str:
        """The number in ``num``: "Amendment 12a" → "12a" (the last word)."""
        return self.num.split()[-1]


def _to_rows(rows: Sequence[Sequence[object]]) -> tuple[tuple[Inline, ...], ...]:
    return tuple(tuple(_to_inline(c) for c in row) for row in rows)


def _table_has_text(_: object, __: attrs.Attribute, rows: tuple[tuple[Inline, ...], ...]) -> None:
    if not rows or not any(any(c for c in row) for row in rows):
        raise ModelError("table: no text in any cell")


@attrs.frozen
class Table:
    """A table kept as a table (rows of cells of running text), e.g. a committee's vote
    table in a report's annex. Empty cells are kept, so columns stay aligned.

    Example:
        >>> Table((("Date adopted", "3.4.2024"),)).rows[0][1]
        ('3.4.2024',)
    """

    rows: tuple[tuple[Inline, ...], ...] = attrs.field(converter=_to_rows,
                                                      validator=_table_has_text)

    def __bool__(self) -> bool:
        return True
