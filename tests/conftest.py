"""Hypothesis profiles for the suite.

``SLACALC_HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) draws the same
examples on every run, so that a clean clone passes or fails the same way
each time; without it, each run draws new examples and explores further.
A failure prints the blob that reproduces it either way.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("SLACALC_HYPOTHESIS_PROFILE", "explore"))
