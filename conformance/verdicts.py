"""Verdict vocabulary: the enums every layer speaks. The policy that combines them lives in conformance.grading.

Imports nothing from the package.
"""

from __future__ import annotations

from enum import Enum


class Verdict(str, Enum):
    """The verdict of one feature row on one target."""

    PASS = "PASS"
    DEVIATION = "DEVIATION"
    IGNORED = "IGNORED"
    REJECTED = "REJECTED"
    FAIL = "FAIL"
    SKIP = "SKIP"
    ERROR = "ERROR"
    FLAKY = "FLAKY"  # with --repeat k: some runs passed, some did not


class Severity(str, Enum):
    """How much a check matters: a failed MUST fails the row, a failed SHOULD is a deviation."""

    MUST = "must"
    SHOULD = "should"


class Outcome(str, Enum):
    """What happened to one check."""

    PASSED = "passed"
    FAILED = "failed"
    IGNORED = "ignored"  # 2xx, but the request parameter had no observable effect
    SKIPPED = "skipped"
    ERROR = "error"  # inconclusive: transport, timeout, 429/5xx, or the check crashed


class Claim(str, Enum):
    """What the provider's documentation says about a feature."""

    SUPPORTED = "supported"
    PARTIAL = "partial"
    UNSUPPORTED = "unsupported"
    UNDOCUMENTED = "undocumented"


class Agreement(str, Enum):
    """How an observed verdict compares with the documented claim."""

    AGREES = "agrees"
    BETTER = "better"  # undocumented support: claimed unsupported, observed working
    BROKEN = "broken"  # the claim does not hold
    INCONCLUSIVE = "inconclusive"
    NOT_APPLICABLE = "n/a"
