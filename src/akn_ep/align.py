"""Are two language versions of one resolution structurally parallel?

The Parliament adopts each resolution in every official language; the versions
must line up item for item: the same number of citations, the same recitals (by
position: Latvian "A." and Greek "Α." are the same recital), the same paragraph
numbers, the same points under each paragraph, footnotes at the same items, and
the same work IRI. :func:`align` compares two models and says where they differ.

Example:
    >>> from akn_ep.model import Resolution, Paragraph
    >>> en = Resolution(lang="en", title="T", formula="F", procedure="2012/2553(RSP)",
    ...                 body=(Paragraph("1.", "Calls."),))
    >>> lv = Resolution(lang="lv", title="T", formula="F", procedure="2012/2553(RSP)",
    ...                 body=(Paragraph("1.", "Aicina."), Paragraph("2.", "Uzdod.")))
    >>> report = align(en, lv)
    >>> report.parallel, report.differences[0]
    (False, 'paragraphs: 1, 2 in lv but 1 in en')
"""

from __future__ import annotations

import attrs

from . import languages
from .akn.iri import work_of
from .model import FootnoteRef, Inline, Point, Resolution

__all__ = ["Alignment", "align"]


@attrs.frozen
class Alignment:
    """The outcome of :func:`align`: ``parallel`` and, if not, each difference in words."""

    parallel: bool
    differences: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.parallel


def _notes(text: Inline | None) -> tuple[str, ...]:
    return tuple(p.marker for p in text or () if isinstance(p, FootnoteRef))


#: A point as compared: its label key, its footnote markers, the shapes of its sub-points.
_Shape = tuple[tuple[str, tuple[str, ...], "_Shape"], ...]


def _point_shape(points: tuple[Point, ...], lang: languages.Language) -> _Shape:
    # labels as eIds write them: Greek "(στ)" and English "(f)" are the same point
    return tuple((lang.point_key(p.label), _notes(p.text), _point_shape(p.points, lang))
                 for p in points)


def _recital_positions(r: Resolution) -> list[int | None]:
    lang = languages.get(r.lang)
    return [lang.recital_index(rec.letter, n) for n, rec in enumerate(r.recitals)]


def align(a: Resolution, b: Resolution) -> Alignment:
    """Compare the structure of two language versions of one resolution.

    Example:
        >>> from akn_ep.model import Resolution, Recital
        >>> a = Resolution(lang="en", title="T", formula="F", recitals=(Recital("A.", "x"),))
        >>> b = Resolution(lang="el", title="T", formula="F", recitals=(Recital("Α.", "x"),))
        >>> align(a, b).parallel
        True
    """
    diffs: list[str] = []
    la, lb = a.lang, b.lang

    def differ(what: str, va: object, vb: object) -> None:
        if va != vb:
            diffs.append(f"{what}: {vb} in {lb} but {va} in {la}")

    differ("work IRI", str(work_of(a)), str(work_of(b)))
    differ("adoption date", a.date, b.date)
    differ("procedure", a.procedure, b.procedure)
    differ("texts-adopted number", a.ta_number, b.ta_number)
    differ("citations", len(a.citations), len(b.citations))
    differ("recitals", len(a.recitals), len(b.recitals))
    differ("recital letters (as positions)", _recital_positions(a), _recital_positions(b))
    paras_a, paras_b = list(a.paragraphs()), list(b.paragraphs())
    lang_a, lang_b = languages.get(a.lang), languages.get(b.lang)
    nums_a = [p.number for p in paras_a]
    nums_b = [p.number for p in paras_b]
    differ("paragraphs", ", ".join(nums_a), ", ".join(nums_b))
    differ("headings", sum(1 for i in a.body if not hasattr(i, "points")),
           sum(1 for i in b.body if not hasattr(i, "points")))
    differ("annexes", len(a.annexes), len(b.annexes))
    for i, (ca, cb) in enumerate(zip(a.citations, b.citations, strict=False), 1):
        differ(f"footnotes of citation {i}", _notes(ca.text), _notes(cb.text))
    for ra, rb in zip(a.recitals, b.recitals, strict=False):
        differ(f"footnotes of recital {ra.num}", _notes(ra.text), _notes(rb.text))
    for pa, pb in zip(paras_a, paras_b, strict=False):
        differ(f"points of paragraph {pa.number}", _point_shape(pa.points, lang_a),
               _point_shape(pb.points, lang_b))
        differ(f"footnotes of paragraph {pa.number}", _notes(pa.text), _notes(pb.text))
    return Alignment(parallel=not diffs, differences=tuple(diffs))
