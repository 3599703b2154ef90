"""Property tests: model → Akoma Ntoso → model, and model → text → model.

The models come from :mod:`strategies` (24 languages, up to 30 recitals, points,
sub-points, dash indents, headings, annexes, footnotes). The hypothesis profile
("ci", 60 examples) is set there; run more examples with ``HYPOTHESIS_PROFILE=thorough``.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import example, given

from akn_ep import (
    Citation,
    FootnoteRef,
    Paragraph,
    Recital,
    Resolution,
    from_akn,
    parse_text,
    to_akn,
    to_text,
    validate,
)
from strategies import any_resolutions, resolutions, text_resolutions

_GREEK = Resolution(
    lang="el",
    title="Ψήφισμα του Ευρωπαϊκού Κοινοβουλίου της 15ης Μαρτίου 2012 σχετικά με την Ευρώπη",
    formula="Το Ευρωπαϊκό Κοινοβούλιο,",
    date="2012-03-15",
    citations=(Citation(("έχοντας υπόψη τη Συνθήκη", FootnoteRef("1", "ΕΕ C 1."), ",")),),
    recitals=tuple(Recital(f"{chr(0x391 + i)}.", "λαμβάνοντας υπόψη ότι x;") for i in range(3)),
    body=(Paragraph("1.", "Αναθέτει στον Πρόεδρό του να διαβιβάσει το παρόν ψήφισμα."),),
)


@given(resolutions())
@example(_GREEK)
def test_akn_round_trip(r: Resolution) -> None:
    assert from_akn(to_akn(r)) == r


@given(any_resolutions())
def test_akn_round_trip_of_any_model(r: Resolution) -> None:
    """Numbering as other tools print it ("(1)", "Article 4", recitals out of order)."""
    assert from_akn(to_akn(r)) == r


@given(resolutions())
def test_our_output_reads_and_writes_back_byte_for_byte(r: Resolution) -> None:
    xml = to_akn(r)
    assert to_akn(from_akn(xml)) == xml


@given(resolutions())
@example(_GREEK)
def test_output_is_valid(r: Resolution) -> None:
    assert validate(to_akn(r)) == []


@given(resolutions())
def test_writer_is_deterministic(r: Resolution) -> None:
    first = to_akn(r)
    # an equal model built anew (not the same object) gives the same bytes
    again = attrs.evolve(r)
    assert again == r and again is not r
    assert to_akn(again) == first == to_akn(r)


@given(text_resolutions())
def test_text_round_trip(r: Resolution) -> None:
    text = to_text(r)
    assert parse_text(text, lang=r.lang) == r, text


@given(text_resolutions())
def test_text_is_clean(r: Resolution) -> None:
    """One item per line, no trailing blanks, no markup, ends with a newline."""
    text = to_text(r)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.strip() for line in text.splitlines())
    assert "<" not in text and "\t" not in text


@pytest.mark.parametrize("lang", ["en", "el", "bg", "lv"])
def test_text_round_trip_is_stable_through_akn(lang: str) -> None:
    """text → model → AKN → model → text gives the same text (one fixed model per script)."""
    from akn_ep import languages
    from strategies import closing_phrase, date_text, title_prefix

    table = languages.get(lang)
    import datetime as dt

    date = dt.date(2012, 3, 15)
    source = (
        f"{title_prefix(table, date_text(table, date))} x (2012/2553(RSP))\n"
        f"{table.formula[0]}\n"
        f"– {table.citation_openers[0]} y1,\n"
        f"{table.recital_letters[0]}. z;\n"
        f"1. {closing_phrase(table).capitalize()} w.\n"
        "\n1  Footnote text.\n"
    )
    r = parse_text(source, lang=lang)
    assert to_text(from_akn(to_akn(r))) == source
