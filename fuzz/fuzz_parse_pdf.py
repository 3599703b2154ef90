#!/usr/bin/env python3
"""Structure-aware fuzzing of the PDF route (``parse_pdf``).

Mutating a PDF's bytes rarely gives a well-formed reference loop, a filter with absurd
parameters, forms drawing each other or a flood of operators, which is where the work a
small PDF orders goes unbounded (issue #19). So the fuzzer's bytes are not the PDF: they
are the *choices* :func:`pdf_shapes.generate` makes to compose one (which objects refer to
which, filters and their parameters, how deep forms nest and how often each draws the
next, floods of one operator or operand), and every PDF it builds is well-formed enough
for pdfminer to go deep. ``parse_pdf`` must return a model whose document is valid or
raise ParseError (``oracle.check_pdf``); anything else, an input slower than
``-timeout`` or bigger than ``-rss_limit_mb``, is a crash.

Run it through ``fuzz/run.sh --target parse_pdf`` (see ``fuzz/README.md``).
"""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
UNINSTRUMENTED = ["akn_ep.text.lines"]  # see fuzz_from_akn.py

with atheris.instrument_imports(include=["akn_ep", "oracle", "pdf_shapes"],
                                exclude=UNINSTRUMENTED):
    from oracle import check_pdf
    from pdf_shapes import generate

    import akn_ep  # noqa: F401 - instrumented for coverage


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    check_pdf(generate(lambda n: fdp.ConsumeIntInRange(0, n - 1)))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
