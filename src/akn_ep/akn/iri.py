"""FRBR IRIs (OASIS Akoma Ntoso Naming Convention §4) as values that both parse and build.

:class:`FrbrUri` is one IRI, split into its components (the model is cobalt's
``FrbrUri``): :meth:`FrbrUri.parse` reads any Akoma Ntoso IRI,
:meth:`~FrbrUri.work_uri`, :meth:`~FrbrUri.expression_uri` and
:meth:`~FrbrUri.manifestation_uri` write its three FRBR levels. Everything that
writes or reads an IRI (writer, reader, EP profile, batch layout, repository) goes
through this module, so the shape of an EP resolution's IRI is written here only:

    work           /akn/eu/statement/resolution/ep/{date}/{number}
    expression     {work}/{lang}@{date}              (ISO 639-2/T language, adoption date)
    manifestation  {expression}/!main.xml            (component ``main``, format ``xml``)

The work number, first that applies (each is derived from the text alone, and its
prefix says which rule made it):

1. the texts-adopted number: ``P7_TA(2012)0089`` → ``TA-7-2012-0089``
   (``P9_TA-PROV(2021)0123`` gives ``TA-9-2021-0123``, the same work);
2. the procedure reference: ``2012/2553(RSP)`` → ``proc-2012-2553-RSP``;
3. the first document reference of an old text: ``B4-0232 … /95`` → ``ref-B4-0232-95``;
4. ``title-`` and 12 hex digits of the SHA-256 of the folded title.

Only rule 1 gives the EP's own identifier; 2–4 are *derived* numbers, and a date the
text does not print is *guessed* (:func:`guessed`). A caller who knows better states the
identity (``ta_number=``, ``date=``, ``frbr_uri=`` of :func:`akn_ep.parse_text`); the
model then carries it in ``Resolution.frbr_uri`` (see :func:`state_identity`).

Example:
    >>> u = FrbrUri.parse("/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089"
    ...                   "/lav@2012-03-15/!main.xml")
    >>> u.number, u.language, u.version, u.component, u.format
    ('TA-7-2012-0089', 'lav', '2012-03-15', 'main', 'xml')
    >>> u.work_uri(component=False)
    '/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089'
    >>> u.manifestation_uri(component=False)
    '/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15.xml'
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from .. import languages
from ..errors import ParseError
from ..model import PROCEDURE_RE, TA_NUMBER_RE

if TYPE_CHECKING:
    from ..model import Resolution

__all__ = [
    "FrbrUri",
    "IRI_RE",
    "EP_WORK",
    "UNKNOWN_DATE",
    "ep_work",
    "ep_work_uri",
    "is_ep_work",
    "work_number",
    "ta_work_number",
    "derived_work",
    "work_of",
    "frbr_iris",
    "guessed",
    "state_identity",
    "stated_date",
    "identity_conflict",
]

#: One Akoma Ntoso IRI, component by component (NC §4.5-4.9). Each group is one field
#: of :class:`FrbrUri`.
IRI_RE = re.compile(
    r"""
    ^/akn                                     # the Akoma Ntoso prefix (NC §4.3)
    /(?P<country>[a-z]{2})                    # country: ISO 3166-1 alpha-2 ("eu" for the EU)
    (?:-(?P<locality>[^/]+))?                 # locality: an ISO 3166-2 subdivision (optional)
    /(?P<doctype>[A-Za-z]+)                   # document type: the element under akomaNtoso
    (?:/(?P<subtype>[^/0-9!@~][^/]*?))?       # subtype (@name): never starts with a digit
    (?:/(?P<actor>[^/0-9!@~][^/]*?))?         # actor (FRBRauthor): never starts with a digit
    /(?P<date>[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)   # work date: YYYY[-MM[-DD]]
    /(?P<number>[^/!@~.]+)                    # number (FRBRnumber): no / ! @ ~ or .
    (?:/(?P<language>[a-z]{3})                # expression: ISO 639-2 language ("eng") ...
       @(?P<version>[^/!~.]*))?               # ... and @version (empty: the original version)
    (?:/!(?P<component>[^/~.]+))?             # component: !main, !annex_1 (optional)
    (?:~(?P<portion>[^/.]+))?                 # portion: ~para_1 (optional)
    (?:\.(?P<format>[a-z0-9]+))?              # manifestation format: .xml, .akn (optional)
    $""",
    re.VERBOSE,
)


def _check(field: str, pattern: str, optional: bool = False
           ) -> Callable[[object, attrs.Attribute, object], None]:
    """A validator holding a field to the part of :data:`IRI_RE` that reads it."""
    compiled = re.compile(pattern)

    def check(_self: object, _attr: attrs.Attribute, value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f"not an FRBR IRI {field}: {value!r}")

    return check


@attrs.frozen
class FrbrUri:
    """One FRBR IRI: a work, with an expression (``language``), a component and a format
    when it names them. Immutable; built directly or by :meth:`parse`, and written back
    by :meth:`work_uri`, :meth:`expression_uri`, :meth:`manifestation_uri` and ``str()``.

    Example:
        >>> u = FrbrUri("eu", "statement", "2012-03-15", "TA-7-2012-0089",
        ...             subtype="resolution", actor="ep")
        >>> str(u)
        '/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089'
        >>> str(u.with_expression("eng", "2012-03-15"))
        '/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/eng@2012-03-15'
        >>> FrbrUri.parse(str(u)) == u
        True
    """

    country: str = attrs.field(validator=_check("country", r"[a-z]{2}"))
    doctype: str = attrs.field(validator=_check("document type", r"[A-Za-z]+"))
    date: str = attrs.field(validator=_check("date", r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"))
    number: str = attrs.field(validator=_check("number", r"[^/!@~.]+"))
    locality: str | None = attrs.field(default=None,
                                       validator=_check("locality", r"[^/]+", True))
    subtype: str | None = attrs.field(default=None,
                                      validator=_check("subtype", r"[^/0-9!@~][^/]*", True))
    actor: str | None = attrs.field(default=None,
                                    validator=_check("actor", r"[^/0-9!@~][^/]*", True))
    language: str | None = attrs.field(default=None,
                                       validator=_check("language", r"[a-z]{3}", True))
    version: str | None = attrs.field(default=None,
                                      validator=_check("version", r"[^/!~.]*", True))
    component: str | None = attrs.field(default=None,
                                        validator=_check("component", r"[^/~.]+", True))
    portion: str | None = attrs.field(default=None,
                                      validator=_check("portion", r"[^/.]+", True))
    format: str | None = attrs.field(default=None,
                                     validator=_check("format", r"[a-z0-9]+", True))

    @classmethod
    def parse(cls, text: str) -> FrbrUri:
        """Read an IRI; :class:`ValueError` saying so for anything that is not one.

        Example:
            >>> FrbrUri.parse("/akn/eu/act/2004-11-13/87/und@2015-01-10").language
            'und'
            >>> FrbrUri.parse("/eu/act/87")
            Traceback (most recent call last):
            ...
            ValueError: not an Akoma Ntoso FRBR IRI (/akn/country/type/…/date/number…): '/eu/act/87'
        """
        m = IRI_RE.match(text) if isinstance(text, str) else None
        if m is None:
            raise ValueError(
                f"not an Akoma Ntoso FRBR IRI (/akn/country/type/…/date/number…): {text!r}")
        return cls(**m.groupdict())

    # -- writing ---------------------------------------------------------------------
    def work_uri(self, component: bool = True) -> str:
        """The work IRI (with the component, ``/!main``, when there is one and ``component``).

        Example:
            >>> FrbrUri.parse("/akn/eu/doc/2020/7/eng@/!main").work_uri()
            '/akn/eu/doc/2020/7/!main'
        """
        place = f"{self.country}-{self.locality}" if self.locality else self.country
        parts = ["/akn", place, self.doctype]
        if self.subtype:
            parts.append(self.subtype)
            if self.actor:
                parts.append(self.actor)
        parts += [self.date, self.number]
        if component and self.component:
            parts.append(f"!{self.component}")
        return "/".join(parts)

    def expression_uri(self, component: bool = True) -> str:
        """The expression IRI ``{work}/{language}@{version}`` (and ``/!component``).

        Example:
            >>> FrbrUri.parse("/akn/eu/doc/2020/7/eng@2020-01-01/!main.xml").expression_uri()
            '/akn/eu/doc/2020/7/eng@2020-01-01/!main'
        """
        if not self.language:
            raise ValueError(f"an expression IRI needs a language: {self.work_uri()}")
        out = f"{self.work_uri(component=False)}/{self.language}@{self.version or ''}"
        if component and self.component:
            out += f"/!{self.component}"
        if self.portion:
            out += f"{'' if component and self.component else '/'}~{self.portion}"
        return out

    def manifestation_uri(self, component: bool = True) -> str:
        """The manifestation IRI: the expression IRI and ``.format``.

        Example:
            >>> FrbrUri.parse("/akn/eu/doc/2020/7/eng@/!main.xml").manifestation_uri(False)
            '/akn/eu/doc/2020/7/eng@.xml'
        """
        if not self.format:
            raise ValueError(f"a manifestation IRI needs a format: {self}")
        return f"{self.expression_uri(component)}.{self.format}"

    def __str__(self) -> str:
        if self.format:
            return self.manifestation_uri()
        if self.language:
            return self.expression_uri()
        return self.work_uri()

    # -- other levels --------------------------------------------------------------------
    @property
    def work(self) -> FrbrUri:
        """The work alone (no expression, component, portion or format)."""
        return attrs.evolve(self, language=None, version=None, component=None, portion=None,
                            format=None)

    def with_expression(self, language: str, version: str) -> FrbrUri:
        """The same work in ``language`` at ``version``."""
        return attrs.evolve(self, language=language, version=version)

    def with_component(self, component: str | None, fmt: str | None = None) -> FrbrUri:
        """The same IRI naming ``component`` (``main``, ``annex_1``) in format ``fmt``."""
        return attrs.evolve(self, component=component, format=fmt)


# -- the EP resolution's IRI ---------------------------------------------------------------

#: Country, document type, subtype and actor of every EP resolution's work IRI.
EP_WORK = {"country": "eu", "doctype": "statement", "subtype": "resolution", "actor": "ep"}
#: The work date of a resolution whose date is not even known by its year.
UNKNOWN_DATE = "0001-01-01"


def ep_work(date: str, number: str, subtype: str = "resolution") -> FrbrUri:
    """The work IRI of an EP resolution of ``date`` (ISO) numbered ``number`` (``subtype``:
    another of :data:`DOC_NAMES` for a motion or a report).

    Example:
        >>> ep_work("2012-03-15", "TA-7-2012-0089").work_uri()
        '/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089'
    """
    return FrbrUri(date=date, number=number, **{**EP_WORK, "subtype": subtype})


#: The document's name (``statement/@name``, ``FRBRsubtype``, the IRI's subtype) by
#: ``Resolution.kind``: a motion or report read from a web page is not a resolution.
DOC_NAMES = {"textAdopted": "resolution", "motion": "motionForResolution",
             "jointMotion": "jointMotionForResolution", "report": "report"}
#: A motion's or report's number: series, term, number, year ("RC-B10-0249/2025").
_DOC_NUMBER = re.compile(r"^(RC|[AB])(?:-B)?(\d{1,2})-(\d{4})/(\d{4})$")


def doc_name(r: Resolution) -> str:
    """The name of what the document is (:data:`DOC_NAMES`, docs/mapping.md).

    Example:
        >>> from akn_ep.model import Resolution
        >>> doc_name(Resolution(lang="en", title="T", formula="F", kind="jointMotion",
        ...                     doc_number="RC-B10-0249/2025"))
        'jointMotionForResolution'
    """
    return DOC_NAMES[r.kind]


def ep_work_uri(date: str, number: str, subtype: str = "resolution") -> str:
    """:func:`ep_work` as text, for any strings (the EP profile states what it expected
    even when a document's date or number cannot make an IRI).

    Example:
        >>> ep_work_uri("", "x")
        '/akn/eu/statement/resolution/ep//x'
    """
    w = EP_WORK
    return f"/akn/{w['country']}/{w['doctype']}/{subtype}/{w['actor']}/{date}/{number}"


def is_ep_work(u: FrbrUri) -> bool:
    """Is ``u`` the work IRI of an EP resolution (the EP shape, a full date, work level)?

    Example:
        >>> is_ep_work(FrbrUri.parse("/akn/eu/statement/resolution/ep/2012-03-15/x"))
        True
        >>> is_ep_work(FrbrUri.parse("/akn/eu/doc/2012-03-15/x"))
        False
    """
    return (
        u.locality is None and u.language is None and u.component is None
        and u.portion is None and u.format is None and len(u.date) == 10
        and all(getattr(u, k) == v for k, v in EP_WORK.items())
    )


_REF = re.compile(r"([A-Z]{1,2}\d)-(\d{3,4})\b.*?/(\d{2,4})\s*$")


def ta_work_number(ta_number: str) -> str | None:
    """The work number of a texts-adopted number, or None if it is not one.

    Example:
        >>> ta_work_number("P9_TA-PROV(2021)0123")
        'TA-9-2021-0123'
    """
    m = TA_NUMBER_RE.match(ta_number)
    return f"TA-{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def work_number(r: Resolution) -> str:
    """The number the rules derive from the text (see the module docstring).

    Example:
        >>> from akn_ep.model import Resolution
        >>> work_number(Resolution(lang="en", title="T", formula="F", procedure="2012/2553(RSP)"))
        'proc-2012-2553-RSP'
    """
    if r.kind != "textAdopted" and r.doc_number:  # a motion or report: its own number
        m = _DOC_NUMBER.match(r.doc_number)
        if m:  # the Parliament's document id: RC-B10-0249/2025 -> RC-10-2025-0249
            return f"{m.group(1)}-{m.group(2)}-{m.group(4)}-{m.group(3)}"
    if r.ta_number:
        number = ta_work_number(r.ta_number)
        if number:
            return number
    if r.procedure:
        m = PROCEDURE_RE.match(r.procedure)
        if m:
            return f"proc-{m.group(1)}-{m.group(2)}-{m.group(3)}"
    for ref in r.doc_refs:
        m = _REF.search(ref)
        if m:
            return f"ref-{m.group(1)}-{m.group(2)}-{m.group(3)}"
        token = re.sub(r"[^A-Za-z0-9]+", "-", ref).strip("-")
        if token:
            return f"ref-{token}"
    digest = hashlib.sha256(languages.fold(r.title).encode("utf-8")).hexdigest()[:12]
    return f"title-{digest}"


def _iso(date: _dt.date | None) -> str:
    return date.isoformat() if date else UNKNOWN_DATE


def derived_work(r: Resolution) -> FrbrUri:
    """The work IRI the rules derive from the model's fields (ignoring ``r.frbr_uri``).

    Example:
        >>> from akn_ep.model import Resolution
        >>> str(derived_work(Resolution(lang="en", title="T", formula="F")))
        '/akn/eu/statement/resolution/ep/0001-01-01/title-e3b98a4da31a'
    """
    return ep_work(_iso(r.date), work_number(r), doc_name(r))


def work_of(r: Resolution) -> FrbrUri:
    """The work IRI of a resolution: the one it carries (stated by the caller or read from
    a document), else the derived one.

    Example:
        >>> from akn_ep.model import Resolution
        >>> r = Resolution(lang="en", title="T", formula="F", date="2012-03-15",
        ...                frbr_uri=ep_work("2012-03-15", "TA-7-2012-0089"))
        >>> work_of(r).number
        'TA-7-2012-0089'
    """
    return r.frbr_uri if r.frbr_uri is not None else derived_work(r)


def frbr_iris(r: Resolution) -> FrbrUri:
    """The full IRI of a resolution's main XML: work, expression (ISO 639-2/T language
    ``@`` the adoption date), component ``main``, format ``xml``.

    Example:
        >>> from akn_ep.model import Resolution
        >>> u = frbr_iris(Resolution(lang="lv", title="T", formula="F", date="2012-03-15",
        ...                          ta_number="P7_TA(2012)0089"))
        >>> u.manifestation_uri()
        '/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml'
    """
    w = work_of(r)
    return FrbrUri(w.country, w.doctype, w.date, w.number, w.locality, w.subtype, w.actor,
                   languages.get(r.lang).iso639_2t, _iso(r.date), "main", None, "xml")


def guessed(r: Resolution) -> tuple[str, ...]:
    """Which components of the work IRI are not the EP's own: ``"date"`` when the text
    prints no date and none was stated (``date_source`` fallback, or unknown), ``"number"``
    when the number is no texts-adopted number (a ``proc-``, ``ref-`` or ``title-`` one).

    Example:
        >>> from akn_ep.model import Resolution
        >>> guessed(Resolution(lang="en", title="T", formula="F", procedure="2012/2553(RSP)"))
        ('date', 'number')
    """
    work = work_of(r)
    out = []
    if r.date is None or r.date_source == "fallback":
        out.append("date")
    if r.frbr_uri is None and not work.number.startswith("TA-"):
        out.append("number")
    return tuple(out)


def identity_conflict(r: Resolution) -> str | None:
    """Why ``r.frbr_uri`` cannot be the work IRI of ``r``, or None: the model's rule.

    It must be an EP resolution's work IRI (:func:`is_ep_work`), of the resolution's date,
    and, when the text prints a texts-adopted number, of that number.

    Example:
        >>> from akn_ep.model import Resolution
        >>> r = Resolution(lang="en", title="T", formula="F", date="2012-03-15")
        >>> identity_conflict(attrs.evolve(r, frbr_uri=None)) is None
        True
    """
    u = r.frbr_uri
    if u is None:
        return None
    if not isinstance(u, FrbrUri):
        return f"frbr_uri must be an FrbrUri, got {u!r}"
    if not is_ep_work(u):
        return (f"frbr_uri {u} is not an EP resolution's work IRI "
                f"({ep_work_uri('YYYY-MM-DD', 'NUMBER')})")
    if u.date != _iso(r.date):
        return (f"frbr_uri {u} is dated {u.date}, but the resolution is dated {_iso(r.date)} "
                f"({r.date_source if r.date else 'unknown'})")
    if r.ta_number:
        number = ta_work_number(r.ta_number)
        if number and u.number != number:
            return (f"frbr_uri {u} is numbered {u.number}, but the text prints the "
                    f"texts-adopted number {r.ta_number} (work number {number})")
    return None


def _parse_stated(frbr_uri: FrbrUri | str) -> FrbrUri:
    try:
        u = frbr_uri if isinstance(frbr_uri, FrbrUri) else FrbrUri.parse(frbr_uri)
    except ValueError as exc:
        raise ParseError(f"frbr_uri: {exc}", expected="a work IRI "
                         f"{ep_work_uri('YYYY-MM-DD', 'NUMBER')}") from None
    if not is_ep_work(u):
        raise ParseError(f"frbr_uri {u} is not an EP resolution's work IRI",
                         expected=f"a work IRI {ep_work_uri('YYYY-MM-DD', 'NUMBER')}")
    return u


def stated_date(frbr_uri: FrbrUri | str | None, date: _dt.date | str | None
                ) -> _dt.date | None:
    """The adoption date a caller states: ``date``, or the date of ``frbr_uri``; a
    :class:`ParseError` when both are given and differ.

    Example:
        >>> stated_date("/akn/eu/statement/resolution/ep/2012-03-15/x", None)
        datetime.date(2012, 3, 15)
    """
    if isinstance(date, str):
        try:
            date = _dt.date.fromisoformat(date)
        except ValueError:
            raise ParseError(f"date {date!r} is not a date", expected="YYYY-MM-DD") from None
    if frbr_uri is None:
        return date
    u = _parse_stated(frbr_uri)
    iri_date = _dt.date.fromisoformat(u.date) if u.date != UNKNOWN_DATE else None
    if date is not None and iri_date != date:
        raise ParseError(f"the stated date {date.isoformat()} differs from the date {u.date} "
                         f"of the stated IRI {u}", expected="one adoption date")
    return iri_date


def state_identity(
    r: Resolution,
    *,
    ta_number: str | None = None,
    frbr_uri: FrbrUri | str | None = None,
) -> Resolution:
    """``r`` with the identity its caller states: a texts-adopted number or a whole work
    IRI. (A stated date is the parser's: :func:`stated_date` gives it.)

    What the text prints and what the caller states must agree: a different printed
    texts-adopted number (another work), or a printed date other than the IRI's, is a
    :class:`ParseError` — one of the two is wrong and the text does not say which. A
    stated number the text does not print goes into the work IRI (``r.frbr_uri``); the
    text's own fields (``ta_number`` is what it prints) are left as they are.

    Example:
        >>> from akn_ep.model import Resolution
        >>> r = Resolution(lang="en", title="T", formula="F", date="2007-10-11",
        ...                procedure="2007/0055(CNS)")
        >>> str(state_identity(r, ta_number="P6_TA(2007)0424").frbr_uri)
        '/akn/eu/statement/resolution/ep/2007-10-11/TA-6-2007-0424'
    """
    if ta_number is None and frbr_uri is None:
        return r
    stated: FrbrUri | None = None
    if frbr_uri is not None:
        stated = _parse_stated(frbr_uri)
    if ta_number is not None:
        number = ta_work_number(ta_number.strip())
        if number is None:
            raise ParseError(f"ta_number {ta_number!r} is not a texts-adopted number",
                             expected="P<term>_TA(<year>)<nnnn>, e.g. P7_TA(2012)0089")
        if stated is not None and stated.number != number:
            raise ParseError(f"the stated texts-adopted number {ta_number} (work number "
                             f"{number}) differs from the number of the stated IRI {stated}",
                             expected="one identity")
        year = int(number.split("-")[2])
        if r.date is not None and r.date.year != year:
            raise ParseError(
                f"the stated texts-adopted number {ta_number} is of the year {year}, but the "
                f"resolution is dated {r.date.isoformat()} ({r.date_source}): texts adopted "
                "are numbered from 0001 each year, so one of the two is wrong",
                expected=f"a texts-adopted number of {r.date.year}")
        if stated is None:
            stated = ep_work(_iso(r.date), number)
    assert stated is not None
    printed = ta_work_number(r.ta_number) if r.ta_number else None
    if printed is not None and printed != stated.number:
        raise ParseError(f"the text prints the texts-adopted number {r.ta_number} (work number "
                         f"{printed}); the caller stated {stated.number}",
                         expected="the identity the text prints")
    if stated.date != _iso(r.date):
        raise ParseError(f"the stated IRI {stated} is dated {stated.date}, but the text prints "
                         f"the adoption date {_iso(r.date)}", expected="one adoption date")
    if stated == derived_work(r):
        return r
    return attrs.evolve(r, frbr_uri=stated)
