"""Resolution → clean plain text in the resolution's own layout.

One item per line, as the Parliament publishes texts adopted: the head, the
formula, "– " before each citation, recital letters, paragraph numbers, points,
headings, then annexes, and the footnotes at the end ("1  OJ C …") with their
calls glued to the word they follow, as in the PDFs. Reading the result with
:func:`akn_ep.parse_text` gives the same model back.

Example:
    >>> from akn_ep.model import Resolution, Citation, Paragraph
    >>> print(to_text(Resolution(lang="en", title="European Parliament resolution on X",
    ...     formula="The European Parliament,", citations=(Citation("having regard to Y,"),),
    ...     body=(Paragraph("1.", "Instructs its President to forward this resolution."),))))
    European Parliament resolution on X
    The European Parliament,
    – having regard to Y,
    1. Instructs its President to forward this resolution.
    <BLANKLINE>
"""

from __future__ import annotations

from .model import Cell, Change, FootnoteRef, Heading, Paragraph, Point, Resolution, Table
from .vocabulary import PRE_TITLE_ROLES  # re-exported: its home is akn_ep.vocabulary

__all__ = ["to_text", "PRE_TITLE_ROLES"]


class _Renderer:
    def __init__(self) -> None:
        self.notes: list[FootnoteRef] = []

    def inline(self, text: Cell | None) -> str:  # Inline, or a cell with changes
        out: list[str] = []
        for part in text or ():
            if isinstance(part, FootnoteRef):
                self.notes.append(part)
                out.append(part.marker)
            elif isinstance(part, Change):  # an amendment's changed words, as words
                out.append(part.text)
            else:
                out.append(part)
        return "".join(out)

    def points(self, points: tuple[Point, ...], lines: list[str]) -> None:
        for p in points:
            lines.append(f"{p.num} {self.inline(p.text)}".rstrip())
            self.points(p.points, lines)

    def paragraph(self, para: Paragraph, lines: list[str]) -> None:
        lines.append(f"{para.num} {self.inline(para.text)}".rstrip())
        self.points(para.points, lines)

    def render(self, r: Resolution) -> str:
        lines: list[str] = []
        head = list(r.head_lines)
        if r.heading:
            heading = r.heading
            if head and head[0].role == "stars":
                heading = f"{heading} {head.pop(0).text}"
            lines.append(heading)
        lines.extend(h.text for h in head if h.role in PRE_TITLE_ROLES)
        if r.ta_number:
            lines.append(r.ta_number)
        lines.append(r.title)
        lines.extend(h.text for h in head if h.role not in PRE_TITLE_ROLES)
        lines.append(r.formula)
        lines.extend(f"– {self.inline(c.text)}" for c in r.citations)
        lines.extend(f"{rec.num} {self.inline(rec.text)}" for rec in r.recitals)
        for item in r.body:
            if isinstance(item, Heading):
                lines.append(f"{item.num} {item.text}" if item.num else item.text)
                for para in item.paragraphs:
                    self.paragraph(para, lines)
            else:
                self.paragraph(item, lines)
        for a in r.amendments:  # "Amendment 1", the act, the place, then the two columns
            lines.extend(t for t in (a.num, a.document, a.target) if t)
            lines.append(" | ".join(a.columns))
            lines.extend(f"{self.inline(row.present)} | {self.inline(row.amended)}".strip()
                         for row in a.rows)
        lines.extend(self.inline(block) for block in r.trailing)
        for annex in r.annexes:
            lines.append(annex.title)
            for block in annex.blocks:
                if isinstance(block, Table):  # one line per row, cells apart
                    lines.extend(" | ".join(self.inline(c) for c in row) for row in block.rows)
                else:
                    lines.append(self.inline(block))
        if self.notes:
            lines.append("")
            lines.extend(f"{n.marker}  {n.text}" for n in self.notes)
        return "\n".join(lines) + "\n"


def to_text(r: Resolution) -> str:
    """The resolution as clean plain text (see the module docstring).

    Example:
        >>> from akn_ep.model import Resolution, Paragraph
        >>> to_text(Resolution(lang="en", title="T", formula="F",
        ...                    body=(Paragraph("1.", "x."),))).splitlines()[-1]
        '1. x.'
    """
    return _Renderer().render(r)
