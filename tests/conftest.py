"""Session-wide test settings: the hypothesis profiles.

"ci" (the default) is replayable: the same examples on every run (``derandomize``, no
example database), so that the test command fails when a change breaks something and not
when a random draw happens to find an old weakness, and a run of tests/test_roundtrip.py
stays under 30 s. "thorough" (``HYPOTHESIS_PROFILE=thorough``) draws afresh, a thousand
examples a test: that is how new trouble is looked for, as ``fuzz/run.sh --seconds N`` is
for the coverage-guided fuzzers; what it finds is kept in ``tests/regressions/``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, print_blob=True, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@contextmanager
def _within(seconds: float) -> Iterator[None]:
    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: a loop that does not end")
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def within() -> Callable[[float], AbstractContextManager[None]]:
    """``with within(10): …`` fails with TimeoutError instead of hanging the suite (for
    hostile input that must be refused in bounded time; not a speed target)."""
    return _within
