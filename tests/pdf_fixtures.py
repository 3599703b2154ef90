"""Typeset constructed EP resolutions as A4 PDFs in the Parliament's layout (test helper).

The texts in ``tests/test_pdf.py`` are written for this project (fictional
wording in the EP's style, nothing copied from real texts). They are written
in a small markup, from which :func:`clean_text` makes the resolution's clean
text (one item per line, footnotes at the end: what :func:`akn_ep.to_text`
prints) and :func:`typeset` makes a PDF with reportlab:

- A4 pages, a body font of 11 pt on 14 pt, 6 pt between items;
- hanging indents: an item's marker ("–", "A.", "1.", "(a)", "(i)") in its
  own column, the text 28 pt to the right, wrapped lines aligned on the text;
- lines justified by drawing each word at its place (``justify="words"``, no space glyphs),
  with word spacing (``justify="tw"``), or left-aligned (``justify=False``);
- footnote calls as raised 7 pt digits; footnote bodies in 8 pt at the page
  foot under a short rule (Word's full-width rule above a note continued from
  the previous page), opened by a raised 6 pt number (or a plain one);
- a running header and footer and a page number on every page.

Markup, one item per source line:

- leading spaces: two per level of indent ("  (a) …" is a point, "    (i) …" a sub-point);
- ``# text``: a bold heading; ``! text``: a bold line (title); ``@ text``: a centred bold line;
- ``[^3]`` in a line: footnote call 3; ``[^3]: text`` on its own line: the body of note 3;
- blank lines are ignored.

Example:
    >>> clean_text("! Title\\nThe European Parliament,\\n– having regard to X[^1],\\n[^1]: OJ C 1.")
    'Title\\nThe European Parliament,\\n– having regard to X1,\\n\\n1  OJ C 1.\\n'
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

__all__ = ["clean_text", "typeset", "Log", "dejavu", "image_only_pdf", "letter_pdf",
           "long_resolution", "DEJAVU_DIR", "EN", "LV", "EL"]

W, H = A4
LEFT = 70.87  # 25 mm
RIGHT = W - 70.87
TOP = H - 90.0  # first baseline of the body
BOTTOM = 80.0  # lowest baseline the body or the notes may use
HEADER_Y = H - 45.0
FOOTER_Y = 40.0
BODY, LEADING, ITEM_SPACE = 11.0, 14.0, 6.0
NOTE, NOTE_LEADING = 8.0, 10.0
CALL, CALL_RISE = 7.0, 4.0
NOTE_MARK, NOTE_MARK_RISE = 6.0, 3.0
HANG = 28.0
NOTE_TEXT_X = LEFT + 10.0
RULE_GAP = 14.0  # room for the separator rule above the notes

_CALL = re.compile(r"\[\^(\d+)\]")
_NOTE_DEF = re.compile(r"^\s*\[\^(\d+)\]:\s*(.*)$")
_MARKER = re.compile(r"^(–|[A-ZΑ-Ω]{1,2}\.|\d{1,3}\.|\([a-z]{1,4}\))\s+(.*)$")

DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu"
#: The constructed texts, in the markup described above.
DATA = Path(__file__).resolve().parent / "data" / "pdf"

rl_config.useA85 = 0  # streams Flate-compressed only, as in the Parliament's PDFs


def dejavu() -> tuple[str, str] | None:
    """Register DejaVu Sans (regular, bold) with reportlab; None when the fonts are absent."""
    from reportlab.pdfbase.ttfonts import TTFont

    regular = os.path.join(DEJAVU_DIR, "DejaVuSans.ttf")
    bold = os.path.join(DEJAVU_DIR, "DejaVuSans-Bold.ttf")
    if not (os.path.exists(regular) and os.path.exists(bold)):
        return None
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", regular))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", bold))
    return "DejaVuSans", "DejaVuSans-Bold"


@dataclass
class _Item:
    style: str  # "", "heading", "bold", "centre"
    level: int
    marker: str | None
    text: str  # with [^n] calls


def _items(source: str) -> tuple[list[_Item], dict[str, str]]:
    items: list[_Item] = []
    notes: dict[str, str] = {}
    for raw in source.splitlines():
        if not raw.strip():
            continue
        m = _NOTE_DEF.match(raw)
        if m:
            notes[m.group(1)] = m.group(2).strip()
            continue
        level = (len(raw) - len(raw.lstrip(" "))) // 2
        text = raw.strip()
        style = ""
        for prefix, name in (("# ", "heading"), ("! ", "bold"), ("@ ", "centre")):
            if text.startswith(prefix):
                style, text = name, text[len(prefix):]
        mm = _MARKER.match(text) if not style else None
        if mm:
            items.append(_Item(style, level, mm.group(1), mm.group(2)))
        else:
            items.append(_Item(style, level, None, text))
    return items, notes


def clean_text(source: str) -> str:
    """The clean text of a marked-up resolution (one item per line, footnotes at the end)."""
    items, notes = _items(source)
    lines = []
    for it in items:
        text = _CALL.sub(r"\1", it.text)
        lines.append(f"{it.marker} {text}" if it.marker else text)
    called = [m for it in items for m in _CALL.findall(it.text)]
    if called:
        lines.append("")
        lines.extend(f"{m}  {notes[m]}" for m in called)
    return "\n".join(lines) + "\n"


@dataclass
class Log:
    """Where the typesetter put things: pages of each item, call and note."""

    pages: int = 0
    item_pages: dict[int, set[int]] = field(default_factory=dict)
    item_text: dict[int, str] = field(default_factory=dict)
    call_page: dict[str, int] = field(default_factory=dict)
    note_pages: dict[str, set[int]] = field(default_factory=dict)
    furniture: list[str] = field(default_factory=list)


@dataclass
class _Page:
    body: list[tuple] = field(default_factory=list)  # draw ops
    notes: list[tuple[str | None, str, bool]] = field(default_factory=list)  # (marker, text, cont)


def _runs(word: str) -> list[tuple[str, bool]]:
    """A word as (text, is_call) runs: "resources[^1]," → [("resources", F), ("1", T), (",", F)]."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _CALL.finditer(word):
        if m.start() > pos:
            out.append((word[pos:m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(word):
        out.append((word[pos:], False))
    return out


def _line_runs(words: list[str]) -> list[tuple[str, bool]]:
    """A line's words as runs, spaces included, consecutive plain text merged."""
    runs: list[tuple[str, bool]] = []
    for i, w in enumerate(words):
        for j, (text, is_call) in enumerate(_runs(w)):
            if i and not j:
                text = " " + text
            if runs and not is_call and not runs[-1][1]:
                runs[-1] = (runs[-1][0] + text, False)
            else:
                runs.append((text, is_call))
    return runs


def _wrap(words: list[str], width: float, measure) -> list[list[str]]:
    lines: list[list[str]] = [[]]
    used = 0.0
    space = measure(" ")
    for w in words:
        wl = measure(w)
        if lines[-1] and used + space + wl > width:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + wl
        lines[-1].append(w)
    return lines


def typeset(
    source: str,
    *,
    font: str = "Helvetica",
    bold: str = "Helvetica-Bold",
    header: str | None = "P9_TA(2023)0612",
    footer: str | None = "PE123.456v01-00",
    page_numbers: bool = True,
    justify: bool | str = "tw",
    split_notes: dict[str, int] | None = None,
    note_marker: str = "sup",
    marker_dy: float = 0.0,
    encrypt: object | None = None,
) -> tuple[bytes, Log]:
    """Typeset a marked-up resolution as an A4 PDF; returns the bytes and a :class:`Log`.

    ``split_notes={"1": 2}`` keeps only the first 2 lines of note 1 on the page
    of its call and carries the rest to the next page's foot, as Word does when
    a note does not fit. ``note_marker`` is "sup" (raised) or "plain".
    ``justify`` is "tw" (word spacing, one string per line), "words" (each word
    placed on its own, no space glyphs) or False (left-aligned). ``marker_dy``
    moves item markers off their text's baseline, as some producers do.
    """
    items, notes = _items(source)
    split_notes = split_notes or {}
    log = Log()

    def measure_with(fname: str, size: float):
        def m(word: str) -> float:
            total = 0.0
            for text, is_call in _runs(word):
                total += pdfmetrics.stringWidth(text, fname, CALL if is_call else size)
            return total
        return m

    note_measure = measure_with(font, NOTE)
    wrapped_notes = {k: [" ".join(ln) for ln in _wrap(v.split(), RIGHT - NOTE_TEXT_X, note_measure)]
                     for k, v in notes.items()}

    pages: list[_Page] = [_Page()]
    carry: list[tuple[str | None, str, bool]] = []
    y = TOP
    first_on_page = True

    def notes_height(n: int) -> float:
        return 0.0 if n == 0 else n * NOTE_LEADING + RULE_GAP

    def new_page() -> None:
        nonlocal y, first_on_page, carry
        pages.append(_Page(notes=list(carry)))
        carry = []
        y = TOP
        first_on_page = True

    for idx, it in enumerate(items):
        fname = bold if it.style in ("heading", "bold", "centre") else font
        measure = measure_with(fname, BODY)
        marker_x = LEFT + it.level * HANG
        text_x = marker_x + HANG if it.marker else marker_x
        lines = _wrap(it.text.split(), RIGHT - text_x, measure)
        log.item_text[idx] = _CALL.sub(r"\1", it.text)
        if not first_on_page:
            y -= ITEM_SPACE
        for k, words in enumerate(lines):
            calls = [m for w in words for m in _CALL.findall(w)]
            new_lines = [(m, ln, j > 0) for m in calls for j, ln in enumerate(wrapped_notes[m])]
            here, rest = new_lines, []
            if carry:  # a note of this page is already continued: later ones follow it
                here, rest = [], new_lines
            for m in calls:  # a note Word could not fit: part here, the rest on the next page
                if m in split_notes:
                    mine = [nl for nl in here if nl[0] == m]
                    here = [nl for nl in here if nl[0] != m] + mine[:split_notes[m]]
                    rest = rest + mine[split_notes[m]:]
            while y < BOTTOM + notes_height(len(pages[-1].notes) + len(here)):
                if first_on_page:
                    raise ValueError("an item line and its notes do not fit on an empty page")
                new_page()
            page = pages[-1]
            page.notes.extend(here)
            carry.extend(rest)
            pno = len(pages)
            for m in calls:
                log.call_page[m] = pno
            for m, _t, _c in here:
                log.note_pages.setdefault(m, set()).add(pno)
            for m, _t, _c in rest:
                log.note_pages.setdefault(m, set()).add(pno + 1)
            log.item_pages.setdefault(idx, set()).add(pno)
            last = k == len(lines) - 1
            if it.style == "centre":
                x = (W - measure(" ".join(words))) / 2
                page.body.append(("line", fname, x, y, words, 0.0))
            else:
                if k == 0 and it.marker:
                    page.body.append(("marker", fname, marker_x, y + marker_dy, it.marker))
                extra = 0.0
                if justify and not last and len(words) > 1:
                    natural = sum(measure(w) for w in words) + measure(" ") * (len(words) - 1)
                    extra = (RIGHT - text_x - natural) / (len(words) - 1)
                page.body.append(("line", fname, text_x, y, words, extra))
            y -= LEADING
            first_on_page = False
    while carry:  # notes continued after the last body line
        new_page()
        for m, _t, _c in pages[-1].notes:
            log.note_pages.setdefault(m, set()).add(len(pages))
    log.pages = len(pages)

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)
    c.setTitle("Constructed EP resolution (test fixture)")
    for pno, page in enumerate(pages, 1):
        _draw_page(c, page, pno, font=font, bold=bold, header=header, footer=footer,
                   page_numbers=page_numbers, justify=justify, note_marker=note_marker, log=log)
        c.showPage()
    c.save()
    return buf.getvalue(), log


def _draw_words(c: canvas.Canvas, fname: str, x: float, y: float, words: list[str],
                extra: float, justify: bool | str) -> None:
    space = pdfmetrics.stringWidth(" ", fname, BODY)
    if justify == "tw":
        # one text object per line, spaces widened by word spacing (Tw), as word processors do
        t = c.beginText(x, y)
        t.setFont(fname, BODY)
        t.setWordSpace(extra)
        for text, is_call in _line_runs(words):
            if is_call:
                t.setFont(fname, CALL)
                t.setRise(CALL_RISE)
                t.textOut(text)
                t.setRise(0)
                t.setFont(fname, BODY)
            else:
                t.textOut(text)
        t.setWordSpace(0)
        c.drawText(t)
        return
    if not justify:
        # runs drawn as strings with their spaces; calls raised and smaller
        for text, is_call in _line_runs(words):
            if is_call:
                c.setFont(fname, CALL)
                c.drawString(x, y + CALL_RISE, text)
                x += pdfmetrics.stringWidth(text, fname, CALL)
            else:
                c.setFont(fname, BODY)
                c.drawString(x, y, text)
                x += pdfmetrics.stringWidth(text, fname, BODY)
        return
    for w in words:
        for text, is_call in _runs(w):
            if is_call:  # raised with the text rise operator (Ts), as word processors do
                t = c.beginText(x, y)
                t.setFont(fname, CALL)
                t.setRise(CALL_RISE)
                t.textOut(text)
                t.setRise(0)  # the rise is text state: it would outlive BT/ET
                c.drawText(t)
                x += pdfmetrics.stringWidth(text, fname, CALL)
            else:
                c.setFont(fname, BODY)
                c.drawString(x, y, text)
                x += pdfmetrics.stringWidth(text, fname, BODY)
        x += space + extra


def _draw_page(c: canvas.Canvas, page: _Page, pno: int, *, font: str, bold: str,
               header: str | None, footer: str | None, page_numbers: bool, justify: bool | str,
               note_marker: str, log: Log) -> None:
    if header:
        c.setFont(font, 8)
        c.drawRightString(RIGHT, HEADER_Y, header)
        log.furniture.append(header)
    if footer:
        c.setFont(font, 8)
        c.drawString(LEFT, FOOTER_Y, footer)
        log.furniture.append(footer)
    if page_numbers:
        c.setFont(font, 9)
        c.drawCentredString(W / 2, FOOTER_Y, str(pno))
        log.furniture.append(str(pno))
    for op in page.body:
        if op[0] == "marker":
            _, fname, x, y, marker = op
            c.setFont(fname, BODY)
            c.drawString(x, y, marker)
        else:
            _, fname, x, y, words, extra = op
            _draw_words(c, fname, x, y, words, extra, justify)
    if page.notes:
        n = len(page.notes)
        top = BOTTOM + (n - 1) * NOTE_LEADING
        continued = page.notes[0][2]
        c.setLineWidth(0.5)
        c.line(LEFT, top + 10, RIGHT if continued else LEFT + 144, top + 10)
        y = top
        for marker, text, cont in page.notes:
            if not cont:
                if note_marker == "sup":
                    c.setFont(font, NOTE_MARK)
                    c.drawString(LEFT, y + NOTE_MARK_RISE, marker)
                else:
                    c.setFont(font, NOTE)
                    c.drawString(LEFT, y, marker)
            c.setFont(font, NOTE)
            c.drawString(NOTE_TEXT_X, y, text)
            y -= NOTE_LEADING


def image_only_pdf(pages: int = 2) -> bytes:
    """A 'scanned' PDF: each page an image and some rectangles, no text at all."""
    from reportlab.lib.utils import ImageReader

    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - reportlab depends on pillow
        Image = None  # type: ignore[assignment]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for _ in range(pages):
        if Image is not None:
            img = Image.new("L", (60, 80), 255)
            for x in range(5, 55):
                for yy in range(10, 70, 6):
                    img.putpixel((x, yy), 0)
            c.drawImage(ImageReader(img), LEFT, H / 2, width=W - 2 * LEFT, height=300)
        for k in range(10):
            c.rect(LEFT, TOP - k * 20, 300 - k * 10, 8, fill=1, stroke=0)
        c.showPage()
    c.save()
    return buf.getvalue()


def letter_pdf() -> bytes:
    """A one-page letter: text, but not a resolution."""
    source = (DATA / "letter.txt").read_text(encoding="utf-8")
    data, _ = typeset(source, header=None, footer=None, page_numbers=False)
    return data


# -- constructed resolutions (fictional wording in the EP's style, written for these tests) --

#: English: footnotes across pages, a recital across a page break, headings, points, an annex.
EN = (DATA / "en.txt").read_text(encoding="utf-8")
#: Latvian (needs a font with ā, ē, ņ, š …: DejaVu Sans).
LV = (DATA / "lv.txt").read_text(encoding="utf-8")
#: Greek (Greek recital letters; needs DejaVu Sans).
EL = (DATA / "el.txt").read_text(encoding="utf-8")

_TOPICS = [
    ("the monitoring of abstraction", "water abstraction"),
    ("the repair of leaking networks", "distribution networks"),
    ("the protection of reserve sources", "reserve sources"),
    ("the interconnection of neighbouring networks", "interconnections"),
    ("the training of utility staff", "utility staff"),
    ("the reuse of treated waste water", "treated waste water"),
]


def long_resolution(pages: int = 10) -> str:
    """A constructed resolution of about ``pages`` A4 pages, with a footnote every few items."""
    from akn_ep import languages

    en = languages.get("en")
    out = [
        "! Long-term resilience of rural water supply",
        "P9_TA(2023)0615",
        "! European Parliament resolution of 15 June 2023 on the long-term resilience of rural "
        "water supply (2023/2715(RSP))",
        "The European Parliament,",
    ]
    notes: list[str] = []

    def call() -> str:
        notes.append(f"[^{len(notes) + 1}]: Texts adopted, P9_TA(2022){len(notes) + 10:04d}; see "
                     "also the opinion of the Committee on the Environment of 3 May 2022.")
        return f"[^{len(notes)}]"

    scale = pages * 5 / 4  # about four fifths of a page of items per unit
    for i in range(round(2 * scale)):
        topic = _TOPICS[i % len(_TOPICS)][0]
        out.append(f"– having regard to its resolution of {i % 27 + 1} March 2022 on {topic}"
                   + (call() if i % 3 == 0 else "") + ",")
    for i in range(round(3 * scale)):
        topic, short = _TOPICS[i % len(_TOPICS)]
        letter = en.recital_letter(i)
        out.append(f"{letter}. whereas the Member States report uneven progress on {topic}; "
                   f"whereas the figures on {short} published in {2010 + i % 12} show that "
                   "rural areas lag behind urban areas and that the gap has widened since the "
                   "drought of 2022" + (call() if i % 4 == 1 else "") + ";")
    n = 1
    for g in range(round(scale)):
        out.append(f"# Part {g + 1}: {_TOPICS[g % len(_TOPICS)][1].capitalize()}")
        for k in range(4):
            topic = _TOPICS[(g + k) % len(_TOPICS)][0]
            if k == 2:
                out.append(f"{n}. Calls on the Commission and the Member States, as regards "
                           f"{topic}:")
                out.append("  (a) to publish yearly figures for every utility;")
                out.append("  (b) to support small utilities, in particular:")
                out.append("    (i) by technical assistance;")
                out.append("    (ii) by grants for the renewal of networks" + call() + ";")
            else:
                out.append(f"{n}. Stresses the importance of {topic} for the households, farms and "
                           "businesses of rural areas, and calls for it to be financed from the "
                           "cohesion policy funds in the next programming period;")
            n += 1
    out.append(f"{n}. Instructs its President to forward this resolution to the Council, the "
               "Commission and the governments and parliaments of the Member States.")
    return "\n".join(out + notes) + "\n"
