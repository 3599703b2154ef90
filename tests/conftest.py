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
