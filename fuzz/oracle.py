"""The contract every fuzz input is held to, shared by the atheris harnesses and the tests.

``tests/test_fuzz.py`` imports this module (it puts ``fuzz/`` on ``sys.path``), and so do
``fuzz/fuzz_parse_text.py`` and ``fuzz/fuzz_from_akn.py``, so a crash found by either is
judged by the same rules when it is replayed from ``tests/regressions/``.

Text route (:func:`check_text`), for any bytes or str:

- either ``parse_text`` returns a model, its ``to_akn`` document is valid (``validate`` gives
  ``[]``) and reads back equal (``from_akn``); in lenient mode (``strict=False``) numbering
  slips are accepted on purpose, so the only issues allowed are the EP profile's numbering
  rules (:data:`NUMBERING_RULES`), and only when the parse reported a warning;
- or it raises :class:`akn_ep.ParseError` with a line number inside the input, or with
  ``line=None`` only for a problem of the whole input (not text, empty, too large, language
  unknown);
- anything else (another exception, an invalid document) breaks the contract.

XML route (:func:`check_xml`), for any bytes: ``from_akn`` returns a model or raises
:class:`akn_ep.AknReadError`; ``validate`` returns a list of issues and never raises; a model
read back is written again as a schema-valid document (foreign numbering may break only the
EP profile's numbering rules) and reads back equal.

A broken contract raises :class:`ContractError` (an ``AssertionError``); an unexpected
exception is left to propagate, so the fuzzer reports it with its traceback.

Example:
    >>> check_text(b"%PDF-1.7 ...")
    'refused: this is a PDF file, not text: %PDF-1.7 header; read it with the PDF reader \
(parse_pdf), or extract its text first'
    >>> check_xml(b"<a>")
    'refused: line 1: not well-formed XML: Premature end of data in tag a line 1, line 1, \
column 4'
"""

from __future__ import annotations

import re

from akn_ep import (
    AknReadError,
    LanguageError,
    ParseError,
    from_akn,
    parse_text,
    to_akn,
    to_text,
    validate,
)
from akn_ep.text.decode import decode

__all__ = ["ContractError", "check_text", "check_xml", "check_pdf", "NUMBERING_RULES",
           "WHOLE_INPUT", "KNOWN_BUGS"]

#: EP-profile rules that a deliberate numbering slip breaks: lenient parsing keeps the
#: numbers as printed, and the reader keeps foreign documents' numbers.
NUMBERING_RULES = frozenset({"ep-paragraph-sequence", "ep-recital-sequence", "ep-recital-eid"})

#: ParseError messages that may come without a line: problems of the whole input.
WHOLE_INPUT = re.compile(r"not text|too large|too many lines|the text is empty"
                         r"|akn_ep\.limits\.MAX_XML_TEXT")


#: Contract breaks already reported and kept in ``tests/regressions/known.json``, by the
#: message of their ContractError. The property tests and the fuzzers pass ``known_ok=True``
#: so that a bug owned elsewhere does not fail every run until it is fixed; the regression
#: replay does not, so the kept input shows as xfail until then. Remove an entry with its fix.
KNOWN_BUGS: dict[str, re.Pattern[str]] = {}


class ContractError(AssertionError):
    """An outcome the contract forbids (an invalid document, an error without its line …)."""


def known_bug(exc: ContractError) -> str | None:
    """The name of the known bug ``exc`` is an instance of, if any."""
    return next((name for name, rx in KNOWN_BUGS.items() if rx.search(str(exc))), None)


def _lines_in(data: bytes | str) -> int:
    try:
        text = decode(data).text
    except ParseError:
        return 1
    return text.count("\n") + 1


def check_text(data: bytes | str, *, strict: bool = True, lang: str | None = None,
               known_ok: bool = False) -> str:
    """Run the text route on ``data`` and check its outcome; say what happened.

    With ``known_ok``, a break listed in :data:`KNOWN_BUGS` is reported, not raised."""
    try:
        return _check_text(data, strict=strict, lang=lang)
    except ContractError as exc:
        name = known_bug(exc)
        if known_ok and name:
            return f"known bug: {name}"
        raise


def _check_text(data: bytes | str, *, strict: bool, lang: str | None) -> str:
    try:
        r = parse_text(data, strict=strict, lang=lang)
    except ParseError as exc:
        if exc.line is None:
            if not (isinstance(exc, LanguageError) or WHOLE_INPUT.search(exc.message)):
                raise ContractError(f"ParseError without a line for a problem that has one: "
                                    f"{exc!r}") from exc
        elif not (isinstance(exc.line, int) and 1 <= exc.line <= _lines_in(data)):
            raise ContractError(f"ParseError at line {exc.line!r}, outside the input "
                                f"({_lines_in(data)} lines): {exc!r}") from exc
        return f"refused: {exc}"
    xml = to_akn(r)
    issues = validate(xml)
    if strict and issues:
        raise ContractError(f"strict parse wrote an invalid document: {issues[:3]}")
    if not strict:
        other = [i for i in issues if i.rule not in NUMBERING_RULES]
        if other or (issues and not r.report.warnings):
            raise ContractError(f"lenient parse wrote an invalid document: {issues[:3]} "
                                f"(warnings: {r.report.warnings[:3]})")
    back = from_akn(xml)
    if back != r:
        raise ContractError("from_akn(to_akn(r)) != r for a parsed text")
    to_text(r)
    return f"parsed: {len(r.citations)} citations, {len(r.recitals)} recitals, " \
           f"{sum(1 for _ in r.paragraphs())} paragraphs"


def check_xml(data: bytes) -> str:
    """Run the XML route (reader, validator, writer again) on ``data``; say what happened."""
    issues = validate(data)
    if not isinstance(issues, list):
        raise ContractError(f"validate returned {type(issues).__name__}, not a list")
    try:
        r = from_akn(data)
    except AknReadError as exc:
        return f"refused: {exc}"
    again = to_akn(r)
    other = [i for i in validate(again) if i.rule not in NUMBERING_RULES]
    if other:
        raise ContractError(f"a model read by from_akn was written as an invalid document: "
                            f"{other[:3]}")
    if from_akn(again) != r:
        raise ContractError("from_akn(to_akn(r)) != r for a model read by from_akn")
    to_text(r)
    return f"read: {len(r.citations)} citations, {len(r.recitals)} recitals"


def check_pdf(data: bytes) -> str:
    """Run the PDF route on ``data``: ``parse_pdf`` (lenient) returns a model whose document
    is written valid, or raises :class:`akn_ep.ParseError`; anything else breaks the
    contract (the harness bounds time and memory: a hang is a crash).

    Example:
        >>> check_pdf(b"%PDF-1.7 cut")[:40]
        'refused: the PDF is damaged: it is trunc'
    """
    from akn_ep import parse_pdf

    try:
        r = parse_pdf(data, strict=False)
    except ParseError as exc:
        return f"refused: {exc}"
    other = [i for i in validate(to_akn(r)) if i.rule not in NUMBERING_RULES]
    if other:
        raise ContractError(f"a model read by parse_pdf was written as an invalid document: "
                            f"{other[:3]}")
    return f"read: {len(r.body)} paragraphs"
