"""Where the real EP texts are: ``../shared/corpus`` beside the repository.

The corpus is read in place, read-only, and never copied into the repository; tests that
need it are marked :data:`needs_corpus` and skipped (saying why) when it is absent.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "manifest.json").is_file(),
    reason=f"shared corpus not found at {CORPUS} (real EP texts live outside the repository)",
)

#: The one real PDF of a text adopted (the AI Act: resolution and position, 459 pages).
AI_ACT_PDF = CORPUS / "real" / "TA-9-2024-0138_EN.pdf"


def pdftotext_exe() -> str:
    """The ``pdftotext`` program; the test is skipped (failed under ``CI``) saying why if absent."""
    exe = shutil.which("pdftotext")
    if exe is None:
        message = ("pdftotext is not installed (Debian: poppler-utils): the pdftotext renditions "
                   "of the real PDF cannot be made")
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must install poppler-utils (see the README's test "
                        "command)", pytrace=False)
        pytest.skip(message)
    return exe


def ai_act_pdftotext(*options: str) -> str:
    """The AI Act PDF as ``pdftotext [options]`` extracts it (made once per options)."""
    return _run_pdftotext(pdftotext_exe(), options)


@functools.cache
def _run_pdftotext(exe: str, options: tuple[str, ...]) -> str:
    done = subprocess.run([exe, *options, "-enc", "UTF-8", str(AI_ACT_PDF), "-"], check=True,
                          capture_output=True, timeout=120)
    return done.stdout.decode("utf-8")


@functools.cache
def ai_act_pdfminer() -> str:
    """Pages 1-4 of the AI Act PDF as pdfminer's ``extract_text`` gives them: the resolution
    (pages 1-2) and the start of the position (3-4, its notes numbered again from 1);
    pdfminer's layout analysis of all 459 pages would take ~40 s."""
    from pdfminer.high_level import extract_text

    return extract_text(str(AI_ACT_PDF), page_numbers=range(4))
