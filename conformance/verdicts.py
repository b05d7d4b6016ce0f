"""Verdict vocabulary and the single grading policy: check outcomes x severity x claim -> verdict.

Imports nothing from the package; every other layer speaks these enums.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def grade(outcomes: Iterable[tuple[Severity, Outcome]]) -> Verdict:
    """Fold check outcomes into a verdict (REJECTED/ERROR/SKIP for whole requests are decided by the engine)."""
    items = list(outcomes)
    if not items:
        return Verdict.SKIP
    must = [o for s, o in items if s is Severity.MUST]
    should = [o for s, o in items if s is Severity.SHOULD]
    if Outcome.FAILED in must:
        return Verdict.FAIL
    if Outcome.ERROR in must or Outcome.ERROR in should:
        return Verdict.ERROR
    if Outcome.IGNORED in must:
        return Verdict.IGNORED
    if Outcome.FAILED in should or Outcome.IGNORED in should:
        return Verdict.DEVIATION
    if all(o is Outcome.SKIPPED for _, o in items):
        return Verdict.SKIP
    return Verdict.PASS


_AGREE: dict[Claim, dict[Verdict, Agreement]] = {
    Claim.SUPPORTED: {
        Verdict.FLAKY: Agreement.BROKEN,
        Verdict.PASS: Agreement.AGREES,
        Verdict.DEVIATION: Agreement.AGREES,
        Verdict.IGNORED: Agreement.BROKEN,
        Verdict.REJECTED: Agreement.BROKEN,
        Verdict.FAIL: Agreement.BROKEN,
    },
    Claim.PARTIAL: {
        Verdict.FLAKY: Agreement.AGREES,
        Verdict.PASS: Agreement.AGREES,
        Verdict.DEVIATION: Agreement.AGREES,
        Verdict.IGNORED: Agreement.AGREES,
        Verdict.REJECTED: Agreement.AGREES,
        Verdict.FAIL: Agreement.BROKEN,
    },
    Claim.UNSUPPORTED: {
        Verdict.FLAKY: Agreement.BETTER,
        Verdict.PASS: Agreement.BETTER,
        Verdict.DEVIATION: Agreement.BETTER,
        Verdict.IGNORED: Agreement.AGREES,
        Verdict.REJECTED: Agreement.AGREES,
        Verdict.FAIL: Agreement.AGREES,
    },
    Claim.UNDOCUMENTED: {
        Verdict.FLAKY: Agreement.BETTER,
        Verdict.PASS: Agreement.BETTER,
        Verdict.DEVIATION: Agreement.BETTER,
        Verdict.IGNORED: Agreement.AGREES,
        Verdict.REJECTED: Agreement.AGREES,
        Verdict.FAIL: Agreement.AGREES,
    },
}


def assess(claim: Claim, verdict: Verdict) -> Agreement:
    """Compare a verdict with the documented claim (the policy table is documented in the README)."""
    if verdict is Verdict.ERROR:
        return Agreement.INCONCLUSIVE
    if verdict is Verdict.SKIP:
        return Agreement.NOT_APPLICABLE
    return _AGREE[claim][verdict]
