"""A pytest plugin that records every input the tests hand to the parser.

Used by ``benchmarks/compare_models.py`` to replay exactly what the tests feed the
parser through the old and the new code. Load it with ``-p record_parser_inputs``
(``benchmarks/`` on ``PYTHONPATH``) and name the output file in
``AKN_EP_RECORD_PARSER_INPUTS``; each call appends one pickled
``(lines, lang, date, strict)`` tuple.

Example:
    AKN_EP_RECORD_PARSER_INPUTS=/tmp/inputs.pickle PYTHONPATH=benchmarks \\
        .venv/bin/python -m pytest -q -p record_parser_inputs tests/test_parser.py
"""

from __future__ import annotations

import os
import pickle
import sys


def _wrap(parse):
    path = os.environ["AKN_EP_RECORD_PARSER_INPUTS"]

    def recording(lines, *, lang, date=None, strict=True, **kwargs):
        try:
            with open(path, "ab") as f:
                pickle.dump((lines, lang, date, strict), f)
        except Exception as exc:  # an unpicklable input is skipped, said once per kind
            print(f"record_parser_inputs: not recorded: {exc}", file=sys.stderr)
        return parse(lines, lang=lang, date=date, strict=strict, **kwargs)

    recording.__wrapped__ = parse
    return recording


def pytest_configure(config) -> None:
    if not os.environ.get("AKN_EP_RECORD_PARSER_INPUTS"):
        return
    import akn_ep.pdf as pdf
    import akn_ep.text as text
    import akn_ep.text.parser as parser

    original = parser.parse
    wrapped = _wrap(original)
    parser.parse = wrapped
    # what the text route calls: "_parse_lines" since the parser is a package, "parse" before
    setattr(text, "_parse_lines" if hasattr(text, "_parse_lines") else "parse", wrapped)
    pdf.parse = wrapped
