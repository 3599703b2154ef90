"""The command line imports ``batch`` and ``repository`` on first use, as ``akn_ep`` does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "water-scarcity-en.txt"

PROBE = """
import sys
from akn_ep import cli
status = cli.main(sys.argv[1:])
print(status, "akn_ep.batch" in sys.modules, "akn_ep.repository" in sys.modules)
"""


def probe(*argv: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True,
                          text=True, timeout=60, check=False)
    return done.stdout.splitlines()[-1]


def test_convert_imports_neither_batch_nor_repository(tmp_path: Path) -> None:
    assert probe("convert", str(EXAMPLE), "-o", str(tmp_path / "out.xml"), "-q") == \
        "0 False False"


def test_batch_and_publish_options_are_there_when_asked_for(tmp_path: Path) -> None:
    # publish with an unset password variable: refused before any connection, exit 2
    assert probe("publish", str(tmp_path), "--basex", "127.0.0.1:1", "--db", "ep",
                 "--password-env", "AKN_EP_UNSET_VARIABLE") == "2 True True"
    assert probe("batch", str(EXAMPLE), "-o", str(tmp_path / "repo"), "-j", "1", "-q") == \
        "0 True False"
