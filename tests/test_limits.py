"""The documented limits (akn_ep.limits) are enforced, and the work below them is linear.

Limits: each is refused with a typed error that names it, before the work that grows with
it (``parse_text`` checks the size before decoding; XML is refused before or while
parsing; PDFs are read only up to the limit).

Linear time: work is counted, not timed. :func:`work` runs a call under ``sys.settrace``
and counts the Python functions entered and lines executed -- deterministic, and blind to
nothing done in Python (a loop without calls is counted line by line). For each shape of
input, the count for size 2N must be 1.6 to 2.4 times the count for size N. Work done
inside C (regular expressions, libxml2) is not counted: ``docs/security.md`` says what is
known there. A quadratic shape aborts at a budget instead of hanging the test.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import akn_ep
from akn_ep import (
    AknEpError,
    AknReadError,
    ParseError,
    from_akn,
    limits,
    parse_text,
    to_akn,
    to_text,
    validate,
)
from akn_ep.akn import safexml
from akn_ep.akn.safexml import UnsafeXmlError, parse_xml
from akn_ep.languages import get as language
from akn_ep.model import Paragraph, Resolution

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

# -- the limits -----------------------------------------------------------------------


def test_limits_are_the_ones_enforced() -> None:
    assert safexml.MAX_INPUT_BYTES == limits.MAX_XML_BYTES
    assert limits.MAX_TEXT_BYTES < limits.MAX_XML_BYTES
    assert set(limits.__all__) == {n for n in dir(limits) if n.startswith("MAX_")} | {
        "text_node_over_limit"}  # the check of MAX_XML_TEXT on a model, beside the limits


def test_text_over_the_size_limit_is_refused_before_decoding(monkeypatch) -> None:
    import akn_ep.text.decode as decode_module

    def no_decoding(data):  # pragma: no cover - must not be reached
        raise AssertionError("decoded input over the size limit")

    monkeypatch.setattr(decode_module, "decode", no_decoding)
    n = limits.MAX_TEXT_BYTES + 1
    for data in (b"x" * n, "x" * n, bytearray(n)):
        with pytest.raises(ParseError, match=r"too large: \d+ (bytes|characters), over the "
                                             r"limit of 10485760 \(akn_ep.limits"):
            parse_text(data)


def test_text_over_the_line_limit_is_refused() -> None:
    for sep in ("\n", "\r\n", "\f", "\u2028"):
        with pytest.raises(ParseError, match="too many lines") as exc:
            parse_text("x" + sep * limits.MAX_LINES)
        assert exc.value.line is None
    with pytest.raises(ParseError, match="the text is empty"):  # under the limit: read
        parse_text("\n" * (limits.MAX_LINES - 1))


def test_xml_over_the_size_limit_is_refused_unparsed(tmp_path: Path) -> None:
    data = b"<a>" + b" " * limits.MAX_XML_BYTES + b"</a>"
    path = tmp_path / "big.xml"
    path.write_bytes(data)
    for source in (data, data.decode("ascii"), path, str(path)):
        with pytest.raises(UnsafeXmlError, match="exceeds the limit of 52428800 bytes"):
            from_akn(source)
        assert [i.rule for i in validate(source)] == ["xml-unsafe"]


def test_xml_nesting_limit() -> None:
    def nested(n: int) -> bytes:
        return b"<a>" * n + b"</a>" * n

    parse_xml(nested(limits.MAX_XML_DEPTH))
    with pytest.raises(UnsafeXmlError, match="nested more than 256 levels deep .*MAX_XML_DEPTH"):
        parse_xml(nested(limits.MAX_XML_DEPTH + 1))


def test_xml_text_node_limit() -> None:
    ok = b"<a>" + b"x" * (limits.MAX_XML_TEXT - 10) + b"</a>"
    assert len(parse_xml(ok).text) == limits.MAX_XML_TEXT - 10
    for too_long in (b"<a>" + b"x" * (limits.MAX_XML_TEXT + 1) + b"</a>",
                     b'<a b="' + b"x" * (limits.MAX_XML_TEXT + 1) + b'"/>'):
        with pytest.raises(UnsafeXmlError, match="longer than 10000000 bytes.*MAX_XML_TEXT"):
            parse_xml(too_long)


def test_pdf_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    import io

    data = b"%PDF-1.4\n" + bytes(limits.MAX_PDF_BYTES)
    for source in (data, io.BytesIO(data)):
        with pytest.raises(ParseError, match="the PDF is too large.*MAX_PDF_BYTES"):
            akn_ep.parse_pdf(source)


# -- counting work ----------------------------------------------------------------------


class _OverBudget(BaseException):
    """Raised inside the traced code when it does far more work than a linear reader would."""


def work(fn: Callable, *args, budget: int = 30_000_000, **kwargs) -> int:
    """Python functions entered plus lines executed while ``fn(*args, **kwargs)`` runs.

    A typed refusal (AknEpError) is an outcome like any other. Past ``budget`` the call is
    aborted and ``budget + 1`` returned, so a quadratic case fails fast instead of hanging.
    """
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        if count > budget:
            raise _OverBudget
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args, **kwargs)
    except AknEpError:
        pass
    except _OverBudget:
        return budget + 1
    finally:
        sys.settrace(None)
    return count


def assert_linear(fn: Callable, make: Callable[[int], object], n: int, *,
                  lower: float | None = 1.6, **kwargs) -> None:
    """Work for input size 2n is 1.6 to 2.4 times the work for size n.

    ``lower=None`` drops the lower bound, for calls whose Python work is legitimately
    sublinear (a refusal decided on the first lines; validation done mostly by libxml2).
    """
    work(fn, make(1), **kwargs)  # warm up: lazy imports, caches, compiled schema
    small = work(fn, make(n), **kwargs)
    large = work(fn, make(2 * n), budget=3 * small, **kwargs)
    ratio = large / small
    assert (lower or 0) <= ratio <= 2.4, \
        f"work {small} for n={n}, {large} for n={2 * n}: ×{ratio:.2f}"


# -- inputs, constructed for these tests --------------------------------------------------

_EN = language("en")
_HEAD = ("European Parliament resolution of 15 March 2012 on the waterways of Fictivia "
         "(2012/2999(RSP))\nThe European Parliament,\n")
_CLOSE = "Instructs its President to forward this resolution to the Council and the Commission."


def items(n: int) -> str:
    """n citations, n recitals (A … Z, AA …) and n paragraphs, one per line."""
    cits = "".join(f"– having regard to its resolution number {i} on lock {i},\n" for i in range(n))
    recs = "".join(f"{_EN.recital_letter(i)}. whereas lock {i} needs repair;\n" for i in range(n))
    paras = "".join(f"{i}. Calls for the repair of lock {i};\n" for i in range(1, n))
    return _HEAD + cits + recs + paras + f"{n}. {_CLOSE}\n"


def long_line(n: int) -> str:
    """One paragraph of n sentences on a single line."""
    return (_HEAD + "– having regard to Rule 110,\n1. Calls "
            + "on the authorities to repair the locks, " * n + f"now;\n2. {_CLOSE}\n")


def points(n: int) -> str:
    """n paragraphs, each with points (a)–(c) and sub-points (i)–(ii)."""
    para = ("{k}. Calls on the authorities:\n(a) to survey the locks;\n(b) to publish:\n"
            "(i) the state of the gates;\n(ii) the cost;\n(c) to consult the boatmen;\n")
    return (_HEAD + "– having regard to Rule 110,\n"
            + "".join(para.format(k=k) for k in range(1, n)) + f"{n}. {_CLOSE}\n")


def pages(n: int) -> str:
    """pdftotext -layout style: n pages, each with a paragraph whose footnote is at the page
    foot, a running header and a page number, double-spaced."""
    out = [_HEAD.replace("\n", "\n\n"), "– having regard to Rule 110,\n\n"]
    for k in range(1, n + 1):
        end = _CLOSE if k == n else f"Calls for the repair of lock {k} of the river{k};"
        out.append(f"      {k}. {end}\n\n")
        if k < n:
            out.append(f"\n\n{k}  OJ C {k}, 1.1.2012, p. {k}.\nPE123.456v01-00\n{k}\n\f")
    return "".join(out)


def double_spaced(n: int) -> str:
    return items(n).replace("\n", "\n\n\n")


def calls_in_one_item(n: int) -> str:
    """One citation calling n footnotes, the notes at the page foot."""
    calls = " ".join(f"Regulation{i}," for i in range(1, n + 1))
    notes = "\n".join(f"{i}  OJ L {i}, 1.1.2012, p. {i}." for i in range(1, n + 1))
    return (_HEAD + f"– having regard to {calls}\n\n\n{notes}\n\f1. {_CLOSE}\n")


def model(n: int) -> Resolution:
    return parse_text(items(n), lang="en")


def xml(n: int) -> bytes:
    return to_akn(parse_text(pages(n), lang="en"))


def _foreign(body: str) -> bytes:
    return (f'<akomaNtoso xmlns="{NS}"><doc name="x"><mainBody>{body}</mainBody></doc>'
            "</akomaNtoso>").encode()


def hcontainers(n: int) -> bytes:
    return _foreign("".join(f'<hcontainer name="h"><heading>H {i}</heading><paragraph><num>{i}.'
                            f"</num><content><p>x</p></content></paragraph></hcontainer>"
                            for i in range(1, n + 1)))


def same_marker_notes(n: int) -> bytes:
    notes = '<authorialNote marker="1"><p>OJ C 1.</p></authorialNote>' * n
    return _foreign(f"<paragraph><num>1.</num><content><p>a{notes}</p></content></paragraph>")


def unmarked_notes_after_marked(n: int) -> bytes:
    marked = "".join(f'<authorialNote marker="{n + i}"><p>x</p></authorialNote>'
                     for i in range(1, n + 1))
    unmarked = "<authorialNote><p>y</p></authorialNote>" * n
    return _foreign(f"<paragraph><num>1.</num><content><p>a{marked}{unmarked}</p></content>"
                    "</paragraph>")


def misnumbered(n: int) -> bytes:
    r = Resolution(lang="en", title="European Parliament resolution on X",
                   formula="The European Parliament,", date="2012-03-15",
                   body=tuple(Paragraph(f"{i}.", "x") for i in range(1, n + 1)))
    return to_akn(r).replace(b"<num>", b"<num>0")


# -- linear work ----------------------------------------------------------------------


@pytest.mark.parametrize("make,n,lower", [
    (items, 100, 1.6), (points, 40, 1.6), (pages, 60, 1.6), (double_spaced, 100, 1.6),
    (long_line, 400, None),  # one line: the Python work is constant, the regexes are C
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_parse_text_is_linear(make: Callable[[int], str], n: int, lower: float | None) -> None:
    assert_linear(parse_text, make, n, lower=lower, lang="en")


def test_parse_text_with_language_detection_is_linear() -> None:
    assert_linear(parse_text, items, 100)


def test_parse_text_refusing_is_linear() -> None:
    no_resolution = "Some words that are no resolution at all, in English.\n"
    assert_linear(parse_text, lambda n: no_resolution * n, 300, lower=None)
    assert_linear(parse_text, lambda n: no_resolution * n, 300, lower=None, lang="en")
    assert_linear(parse_text, lambda n: items(n).replace("1. Calls", "7. Calls"), 100)


def test_parse_text_is_linear_in_footnote_calls_of_one_item() -> None:
    """Found in review: attach_footnotes listed every call left in the item for each footnote
    (400 notes in a 290 KB text took ~100 s); parser.py now scans the calls lazily."""
    assert_linear(parse_text, calls_in_one_item, 60, lang="en")
    assert_linear(parse_text, lambda n: calls_in_one_item(40).replace(
        "Regulation40,", "Regulation40," + " Asia1," * n), 400, lang="en", lower=None)


@pytest.mark.parametrize("make,n", [
    (xml, 40), (hcontainers, 150), (same_marker_notes, 150), (unmarked_notes_after_marked, 100),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_from_akn_is_linear(make: Callable[[int], bytes], n: int) -> None:
    assert_linear(from_akn, make, n)


@pytest.mark.parametrize("make,n,lower", [(xml, 40, None), (misnumbered, 150, 1.6)],
                         ids=lambda v: getattr(v, "__name__", str(v)))
def test_validate_is_linear(make: Callable[[int], bytes], n: int, lower: float | None) -> None:
    assert_linear(validate, make, n, lower=lower)


@pytest.mark.parametrize("fn", [to_akn, to_text])
def test_writing_is_linear(fn: Callable) -> None:
    assert_linear(fn, model, 100)


def test_cli_reads_no_more_than_the_limits(tmp_path: Path, capsys) -> None:
    """``akn-ep convert``/``validate`` read a file only up to the largest limit + 1 byte, so
    a huge file (sparse here: no disk used) is refused without being loaded."""
    from akn_ep.cli import main

    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(4 * 1024**3)
    assert main(["convert", str(huge)]) == 1
    assert "too large" in capsys.readouterr().err
    assert main(["validate", str(huge)]) == 1
    assert "exceeds the limit" in capsys.readouterr().err


def test_note_text_copied_by_note_refs_is_bounded() -> None:
    """Found by fuzz/fuzz_from_akn.py: a note calling itself recursed without end, a chain of
    notes each calling the next twice doubled the text at each level (billion laughs by
    noteRef), and many calls to one big note copy it each time. Notes are followed one level
    only, and the copies are capped at MAX_XML_BYTES characters."""
    big = "x" * 1_000_000
    calls = '<noteRef href="#n1"/>' * 60
    doc = _foreign(f"<paragraph><num>1.</num><content><p>a{calls}</p></content></paragraph>")
    doc = doc.replace(b"<mainBody>", f'<meta><notes source="#x"><note eId="n1"><p>{big}</p>'
                                     "</note></notes></meta><mainBody>".encode())
    with pytest.raises(AknReadError, match="noteRef calls copy more than 52428800 characters"):
        from_akn(doc)
    ok = doc.replace(b'<noteRef href="#n1"/>' * 60, b'<noteRef href="#n1"/>' * 40)
    assert len(from_akn(ok).body[0].text) == 41  # "a" and 40 calls, each with its note
