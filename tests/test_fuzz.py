"""Property and fuzz tests: mutated real resolutions, random input, and every crash ever found.

The inputs start from the real European Parliament resolutions in ``../shared/corpus/``
(read in place, never copied; the tests that need them skip, saying why, when the folder is
absent) and are mutated the ways damaged extractions and hostile files differ from them:
lines deleted, duplicated and swapped, the text cut anywhere, control characters, NULs,
BOMs, mixed scripts, very long lines and random bytes injected, items renumbered out of
order, other encodings and line endings. Every outcome must satisfy the contract in
``fuzz/oracle.py``: a valid document that reads back equal, or a ``ParseError`` with a line
inside the input (``line=None`` only for whole-input problems); never another exception.

Hypothesis runs the "ci" profile of ``tests/strategies.py`` (60 examples a test); set
``HYPOTHESIS_PROFILE=thorough`` for 1,000 (see ``fuzz/README.md`` for the coverage-guided
fuzzers). Every input a fuzzer ever crashed on is kept in ``tests/regressions/`` and
replayed by :func:`test_regression`.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import strategies  # noqa: F401 - registers and loads the hypothesis profiles ("ci", "thorough")
from akn_ep import AknReadError, from_akn, parse_text, to_akn, validate
from shared_corpus import CORPUS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fuzz"))
from oracle import ContractError, check_text, check_xml  # noqa: E402

CORPUS_FILES = sorted(CORPUS.rglob("*.txt")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not CORPUS_FILES,
    reason=f"the real EP resolutions are not at {CORPUS} (../shared/corpus beside the repo)",
)
REGRESSIONS = Path(__file__).resolve().parent / "regressions"

_SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.filter_too_much], deadline=None)

# -- mutations --------------------------------------------------------------------------

#: Characters a broken extraction or a hostile file puts into a text.
_ODD = (
    [chr(c) for c in range(0x20) if c not in (0x0A,)]
    + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffd", "\u00ad", "\u200b", "\u00a0",
       "\ud800", "\udfff", "\ufffe", "\uffff", "\U0010fffd"]
)
#: Words in other scripts, marks and markers that mean something to the parser.
_WORDS = (
    "Ωμέγα", "Кириллица", "中文文本", "עברית", "العربية", "🙂", "e\u0301", "A\u030a",
    "A.", "Z.", "AA.", "1.", "2.", "99.", "(a)", "(i)", "(iv)", "–", "—", "-", "•", "ANNEX",
    "1  Texts adopted, P7_TA(2011)0588.", "Asia1,", "(2012/2553(RSP))", "P7_TA(2012)0099",
    "***I", "PE123.456v01-00", "\f", "\n\n\n", "The European Parliament,", "whereas",
)


@st.composite
def _mutated_lines(draw, lines: list[str]) -> list[str]:
    """Apply up to six line-level mutations to ``lines``."""
    lines = list(lines)
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(
            ("delete", "duplicate", "swap", "cut", "inject", "word", "long", "renumber",
             "reletter", "blank", "random")))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[j])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":  # the text cut anywhere: a truncated download or extraction
            text = "\n".join(lines)
            lines = text[: draw(st.integers(0, len(text)))].split("\n")
        elif op in ("inject", "word", "random"):
            s = lines[i]
            at = draw(st.integers(0, len(s)))
            what = (draw(st.sampled_from(_ODD)) if op == "inject"
                    else draw(st.sampled_from(_WORDS)) if op == "word"
                    else draw(st.text(max_size=20)))
            lines[i] = s[:at] + what + s[at:]
        elif op == "long":  # a very long line: a paragraph without line breaks, or junk
            lines[i] = (lines[i] or "x ") * draw(st.integers(50, 1500))
        elif op == "renumber":  # items numbered out of order
            n = draw(st.integers(0, 120))
            head = lines[i].lstrip()
            digits = len(head) - len(head.lstrip("0123456789"))
            lines[i] = f"{n}{head[digits:]}" if digits else f"{n}. {head}"
        elif op == "reletter":
            letter = draw(st.sampled_from(("A", "B", "C", "Q", "Z", "AA", "AB", "Ω", "I")))
            head = lines[i].lstrip()
            lines[i] = f"{letter}.{head[2:]}" if head[1:2] == "." else f"{letter}. {head}"
        elif op == "blank":
            lines[i:i] = [""] * draw(st.integers(1, 5))
        else:  # pragma: no cover - every op is handled above
            raise AssertionError(op)
    return lines


@st.composite
def _encoded(draw, text: str) -> bytes | str:
    """The text as a ``str``, or as bytes in an encoding and with line endings people use."""
    ending = draw(st.sampled_from(("\n", "\r\n", "\r", "\u2028", "mixed")))
    if ending == "mixed":
        parts = text.split("\n")
        seps = draw(st.lists(st.sampled_from(("\n", "\r\n", "\r", "\u2028", "\x85")),
                             min_size=len(parts), max_size=len(parts)))
        text = "".join(p + s for p, s in zip(parts, seps, strict=True))
    elif ending != "\n":
        text = text.replace("\n", ending)
    form = draw(st.sampled_from(("utf-8", "utf-8", "str", "utf-8-sig", "utf-16",
                                 "utf-16-le", "utf-16-be", "cp1252", "cp1250", "cp1257")))
    if form == "str":
        return text
    data = text.encode(form, "surrogatepass" if form.startswith("utf") else "replace")
    if draw(st.integers(0, 9)) == 0:  # random bytes somewhere
        junk = draw(st.binary(min_size=1, max_size=32))
        at = draw(st.integers(0, len(data)))
        data = data[:at] + junk + data[at:]
    return data


@st.composite
def mutants(draw) -> bytes | str:
    """A real resolution from the corpus, mutated and encoded."""
    path = draw(st.sampled_from(CORPUS_FILES))
    lines = path.read_text("utf-8").split("\n")
    return draw(_encoded("\n".join(draw(_mutated_lines(lines)))))


# -- properties ---------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_files_parse_to_valid_documents(path: Path) -> None:
    assert check_text(path.read_bytes()).startswith("parsed")


@needs_corpus
@_SLOW
@given(mutants())
def test_mutated_resolutions_strict(data: bytes | str) -> None:
    check_text(data, strict=True, known_ok=True)


@needs_corpus
@_SLOW
@given(mutants())
def test_mutated_resolutions_lenient(data: bytes | str) -> None:
    check_text(data, strict=False, known_ok=True)


@needs_corpus
@_SLOW
@given(mutants(), st.sampled_from(("en", "lv", "el", "mt", "it")))
def test_mutated_resolutions_with_a_forced_language(data: bytes | str, lang: str) -> None:
    check_text(data, lang=lang, strict=False, known_ok=True)


@_SLOW
@given(st.binary(max_size=4000))
@example(b"")
@example(b"\x00" * 100)
@example(b"\xff\xfe")
@example(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
@example(b"PK\x03\x04\x14\x00\x06\x00")
def test_random_bytes(data: bytes) -> None:
    check_text(data, known_ok=True)


@_SLOW
@given(st.text(max_size=2000))
@example("\ud800")  # a lone surrogate: no encoding can write it
@example("\ufeff\ufeff\ufeff")
def test_random_text(text: str) -> None:
    check_text(text, known_ok=True)


@functools.cache
def _akn_of(path: Path) -> str:
    return to_akn(parse_text(path.read_bytes())).decode("utf-8")


#: Markup the reader and validator react to, injected into our own documents.
_MARKUP = (
    "<p>", "</p>", "<b>", "&amp;", "&", "<", "]]>", "<![CDATA[x]]>", "<?pi x?>", "<!-- c -->",
    '<authorialNote marker="1"><p>x</p></authorialNote>', '<noteRef href="#x"/>',
    '<hcontainer name="x"><heading>H</heading>', "</hcontainer>", "<num>3.</num>",
    "<paragraph><num>9.</num><content><p>x</p></content></paragraph>", 'eId="x"',
    "<recital><p>x</p></recital>", "<list><point><num>(a)</num><content><p>x</p></content>"
    "</point></list>", '<FRBRlanguage language="zzz"/>', "<!DOCTYPE a>",
)


@st.composite
def xml_mutants(draw) -> bytes:
    """Our own Akoma Ntoso for a corpus text, with the same line mutations and markup."""
    lines = _akn_of(draw(st.sampled_from(CORPUS_FILES))).split("\n")
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + draw(st.sampled_from(_MARKUP)) + lines[i][at:]
    return "\n".join(draw(_mutated_lines(lines))).encode("utf-8", "surrogatepass")


@needs_corpus
@_SLOW
@given(xml_mutants())
def test_mutated_xml(data: bytes) -> None:
    check_xml(data)


@_SLOW
@given(st.binary(max_size=3000))
def test_random_xml_bytes(data: bytes) -> None:
    check_xml(data)


# -- every crash a fuzzer found -----------------------------------------------------------


def _regression_files() -> list[Path]:
    if not REGRESSIONS.is_dir():
        return []
    return sorted(p for p in REGRESSIONS.rglob("*")
                  if p.is_file() and p.parent != REGRESSIONS)


def _known() -> dict[str, str]:
    path = REGRESSIONS / "known.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def _regression_params() -> list:
    known = _known()
    params = []
    for path in _regression_files():
        rel = path.relative_to(REGRESSIONS).as_posix()
        marks = ([pytest.mark.xfail(reason=known[rel], raises=ContractError, strict=False)]
                 if rel in known else [])
        params.append(pytest.param(path, id=rel, marks=marks))
    return params


def replay(path: Path) -> str:
    """Replay one kept input the way its folder and name say (see regressions/README.md)."""
    data = path.read_bytes()
    parts = path.name.split(".")
    source: bytes | str = data.decode("utf-8", "surrogatepass") if "str" in parts else data
    kind = path.relative_to(REGRESSIONS).parts[0]
    if kind == "text":
        return check_text(source, strict="lenient" not in parts)
    if kind == "xml":
        return check_xml(source if isinstance(source, bytes)
                         else source.encode("utf-8", "surrogatepass"))
    raise AssertionError(f"unknown regression folder {kind!r}: {path}")


@pytest.mark.parametrize("path", _regression_params())
def test_regression(path: Path) -> None:
    replay(path)


def test_known_regressions_exist() -> None:
    """known.json names only files that are there (a fixed bug's entry is removed)."""
    names = {p.relative_to(REGRESSIONS).as_posix() for p in _regression_files()}
    assert set(_known()) <= names


def test_str_xml_with_a_lone_surrogate_is_refused_not_crashed() -> None:
    """Found by the fuzzer: ``str`` XML holding a lone surrogate made ``from_akn`` and
    ``validate`` raise UnicodeEncodeError; it is now malformed XML like any bad byte."""
    with pytest.raises(AknReadError, match="not well-formed XML"):
        from_akn("<a>\ud800</a>")
    assert [i.rule for i in validate("<a>\ud800</a>")] == ["xml-wellformed"]


def test_numbers_that_give_the_same_eid_are_written_valid() -> None:
    """Found by fuzz/fuzz_from_akn.py: paragraphs numbered "}1." and "1." (or points "(a)"
    and "(a}") read from foreign XML are distinct in the model but gave the same eId, so
    to_akn wrote a document with a duplicate eId. The writer now suffixes the second."""
    from akn_ep.model import Paragraph, Point, Resolution

    r = Resolution(lang="en", title="T", formula="F", body=(
        Paragraph("1.", "x", (Point("(a)", "y"), Point("(a}", "z"))), Paragraph("}1.", "w")))
    xml = to_akn(r)
    assert b'eId="para_1-2"' in xml and b'eId="para_1__list_1__point_a-2"' in xml
    assert [i.rule for i in validate(xml)] == ["ep-paragraph-sequence"]  # "}1" is no number
    assert from_akn(xml) == r
