"""Where the real EP texts are: ``../shared/corpus`` beside the repository.

The corpus is read in place, read-only, and never copied into the repository; tests that
need it are marked :data:`needs_corpus` and skipped (saying why) when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "manifest.json").is_file(),
    reason=f"shared corpus not found at {CORPUS} (real EP texts live outside the repository)",
)
