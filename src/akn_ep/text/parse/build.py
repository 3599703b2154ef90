"""The model, built in one place: the items read and the head → :class:`Resolution`.

Example:
    >>> nest([(1, "(a)", ("x",)), (2, "(i)", ("y",)), (1, "(b)", ("z",))])[0].points[0].num
    '(i)'
"""

from __future__ import annotations

from ...errors import ModelError, ParseError
from ...model import (
    Annex,
    Citation,
    Heading,
    Paragraph,
    ParseReport,
    Point,
    Recital,
    Resolution,
    ta_date_conflict,
)
from .footnotes import inline
from .head import Head
from .state import Kind, State

__all__ = ["build", "nest"]


def build(state: State, head: Head, formula: str) -> Resolution:
    """The :class:`Resolution` of the items in ``state.blocks`` under ``head``."""
    citations: list[Citation] = []
    recitals: list[Recital] = []
    body: list = []
    annexes: list[list] = []
    trailing: list[tuple] = []
    current_heading: list | None = None
    para: tuple[str, tuple, list] | None = None

    def flush_para() -> None:
        nonlocal para
        if para is None:
            return
        p = Paragraph(para[0], para[1], nest(para[2]))
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

    for b in state.blocks:
        text = inline(b) if b.calls else (b.text,)
        kind = b.kind
        if kind is Kind.CITATION:
            citations.append(Citation(text))
        elif kind is Kind.RECITAL:
            recitals.append(Recital(b.num, text))
        elif kind is Kind.HEADING:
            flush_para()
            flush_heading()
            current_heading = [b.text, [], b.num]
        elif kind is Kind.PARAGRAPH:
            flush_para()
            para = (b.num, text, [])
        elif kind is Kind.POINT and para is not None:
            para[2].append((b.level, b.num, text))
        elif kind is Kind.ANNEX:
            annexes.append([b.text, []])
        elif kind is Kind.ANNEX_BLOCK and annexes:
            annexes[-1][1].append(text)
        else:
            trailing.append(text)
    flush_para()
    flush_heading()
    report = ParseReport(
        artefacts=tuple(sorted(state.artefacts, key=lambda a: a.line)),
        warnings=tuple(state.warnings),
        source_lines=state.src.source_lines,
    )
    ta, date = head.ta_number, head.date
    conflict = ta and date and ta_date_conflict(ta, date, head.date_source)
    if conflict:  # the model's rule, refused here to say at which line
        raise ParseError(conflict, line=head.ta_line,
                         expected=f"a texts-adopted number of {date.year}")
    try:
        return Resolution(
            lang=state.lang.code,
            title=head.title,
            heading=head.heading,
            formula=formula,
            date=head.date,
            date_source=head.date_source,
            procedure=head.procedure,
            ta_number=head.ta_number,
            doc_refs=head.doc_refs,
            head_lines=head.head_lines,
            citations=tuple(citations),
            recitals=tuple(recitals),
            body=tuple(body),
            annexes=tuple(Annex(t, tuple(bl)) for t, bl in annexes),
            trailing=tuple(trailing),
            report=report,
        )
    except ModelError as exc:
        raise ParseError(f"the text does not form a consistent resolution: {exc}") from exc


def nest(flat: list[tuple[int, str, tuple]]) -> tuple[Point, ...]:
    """Turn (level, num, text) triples in order into nested points."""
    if not flat:
        return ()

    def walk(i: int, level: int) -> tuple[list[Point], int]:
        out: list[Point] = []
        while i < len(flat) and flat[i][0] >= level:
            lvl, num, text = flat[i]
            if lvl > level:  # a deeper point with no parent at this level: adopt it
                subs, i = walk(i, lvl)
                if out:
                    last = out.pop()
                    out.append(Point(last.num, last.text, last.points + tuple(subs)))
                else:
                    out.extend(subs)
                continue
            subs, j = walk(i + 1, level + 1)
            out.append(Point(num, text or None, tuple(subs)))
            i = j
        return out, i

    points, _ = walk(0, 1)
    return tuple(points)
