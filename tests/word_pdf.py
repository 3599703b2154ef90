"""Typeset CONSTRUCTED resolutions as the Parliament's Word-made PDFs lay them out (test helper).

The texts given to :func:`word_pdf` are written for the tests (fictional wording in the EP's
style, nothing copied from real texts). The layout copies what the real text adopted
``../shared/corpus/real/TA-9-2024-0138_EN.pdf`` shows, measured with our reader:

- A4, a 12 pt body on 13.8 pt lines, the text margin at 70.9 pt, no running header, footer
  or page number;
- an item's marker ("–", "1.", "A.") at the margin, a tab, the text hanging at 99.3 pt;
- a footnote call as an 8 pt digit raised 3.6 pt, glued to the word it follows;
- at the page foot: a short rule (143.5 pt) from the margin, then each note's number as a
  7 pt digit raised 3.3 pt at the margin, a tab, and the note at 106.4 pt, set as large as the
  body (``note_size=12``, as the real PDF) or smaller (Word's default 10 pt);
- a note that does not fit goes on at the foot of the next page under Word's continuation
  separator, a rule across the text width, with no number.

The caller lays the pages out: each page is a list of body rows and a list of foot rows, so
a test says exactly where every page break falls.

Example:
    >>> data = word_pdf([Page([Row("The European Parliament,")], [])])
    >>> data[:5]
    b'%PDF-'
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

__all__ = ["Row", "Note", "Page", "word_pdf"]

W, H = A4
MARGIN, HANG, NOTE_TEXT = 70.9, 99.3, 106.4
BODY, LEADING, ITEM_GAP = 12.0, 13.8, 12.0
CALL, CALL_RISE = 8.0, 3.6
NOTE_MARK, NOTE_MARK_RISE = 7.0, 3.3
TOP, BOTTOM = H - 68.0, 60.0
SHORT_RULE = 143.5

_CALL = re.compile(r"\[\^(\d+|[*+])\]")

rl_config.useA85 = 0


@dataclass
class Row:
    """A body line: ``marker`` (None for a wrapped line, hung at the text) and its text,
    with ``[^1]`` where a raised call is printed; ``gap`` opens an item (space above)."""

    text: str
    marker: str | None = None
    gap: bool = False
    hang: bool = False


@dataclass
class Note:
    """A foot line: ``mark`` (None: the note goes on from the line or page before)."""

    text: str
    mark: str | None = None


@dataclass
class Page:
    rows: list[Row]
    notes: list[Note] = field(default_factory=list)
    continued: bool = False  # the first foot line goes on with a note of the page before


def _draw_text(c: canvas.Canvas, font: str, x: float, y: float, text: str) -> None:
    """Body text with raised calls: runs drawn one after another, calls by text rise (Ts)."""
    t = c.beginText(x, y)
    for k, piece in enumerate(_CALL.split(text)):
        if not piece:
            continue
        if k % 2:  # a call
            t.setFont(font, CALL)
            t.setRise(CALL_RISE)
            t.textOut(piece)
            t.setRise(0)
        else:
            t.setFont(font, BODY)
            t.textOut(piece)
    c.drawText(t)


def word_pdf(pages: list[Page], *, font: str = "Helvetica", note_size: float = 12.0) -> bytes:
    """The PDF of ``pages`` in the Parliament's Word layout (see the module docstring)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle("constructed test resolution")
    for page in pages:
        y = TOP
        for row in page.rows:
            if row.gap:
                y -= ITEM_GAP
            if row.marker is not None:
                c.setFont(font, BODY)
                c.drawString(MARGIN, y, row.marker)
                _draw_text(c, font, HANG, y, row.text)
            else:
                _draw_text(c, font, HANG if row.hang else MARGIN, y, row.text)
            y -= LEADING
        if page.notes:
            lead = note_size + 1.0
            top = BOTTOM + (len(page.notes) - 1) * lead
            c.setLineWidth(0.5)
            right = W - MARGIN if page.continued else MARGIN + SHORT_RULE
            c.line(MARGIN, top + 16.0, right, top + 16.0)
            ny = top
            for note in page.notes:
                if note.mark is not None:
                    c.setFont(font, NOTE_MARK)
                    c.drawString(MARGIN, ny + NOTE_MARK_RISE, note.mark)
                c.setFont(font, note_size)
                c.drawString(NOTE_TEXT, ny, note.text)
                ny -= lead
        c.showPage()
    c.save()
    return buf.getvalue()


def text_width(text: str, font: str = "Helvetica") -> float:
    """Width of body text (calls left out), to check a constructed line fits."""
    return pdfmetrics.stringWidth(_CALL.sub("", text), font, BODY)
