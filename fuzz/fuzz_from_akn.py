#!/usr/bin/env python3
"""Coverage-guided fuzzing of the XML route (``validate``, ``from_akn``, writing again).

Each input is an XML document (bytes). ``validate`` must return a list of issues and never
raise; ``from_akn`` must return a model or raise AknReadError; a model read back must be
written as a schema-valid document that reads back equal (``fuzz/oracle.py``). Anything
else, or an input slower than ``-timeout`` or bigger than ``-rss_limit_mb``, is a crash.

Run it through ``fuzz/run.sh`` (see ``fuzz/README.md``); by hand::

    .venv/bin/python fuzz/fuzz_from_akn.py WORK_DIR fuzz/corpus_seeds/xml \\
        -dict=fuzz/xml.dict -max_total_time=60 -timeout=10 -rss_limit_mb=2048
"""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
UNINSTRUMENTED = ["akn_ep.text.lines"]

# lines.normalise crashes (SIGSEGV) when atheris 2.3.0 instruments it on Python 3.11 (a bug
# in atheris' bytecode rewriting: any input, in its nested for loop); it runs uninstrumented.
with atheris.instrument_imports(include=["akn_ep", "oracle"], exclude=UNINSTRUMENTED):
    from oracle import check_xml

    import akn_ep  # noqa: F401 - instrumented for coverage


def test_one_input(data: bytes) -> None:
    check_xml(data)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
