"""The single grading policy and the claim comparison table."""

from __future__ import annotations

import pytest

from conformance import Agreement, Claim, Outcome, Severity, Verdict, assess, grade

M, S = Severity.MUST, Severity.SHOULD
P, F, IG, K, E = Outcome.PASSED, Outcome.FAILED, Outcome.IGNORED, Outcome.SKIPPED, Outcome.ERROR


@pytest.mark.parametrize(
    ("outcomes", "verdict"),
    [
        ([(M, P), (S, P)], Verdict.PASS),
        ([(M, P), (S, F)], Verdict.DEVIATION),
        ([(M, P), (S, IG)], Verdict.DEVIATION),
        ([(M, IG), (S, P)], Verdict.IGNORED),
        ([(M, IG), (M, F)], Verdict.FAIL),
        ([(M, F), (S, E)], Verdict.FAIL),
        ([(M, P), (S, E)], Verdict.ERROR),
        ([(M, K), (S, K)], Verdict.SKIP),
        ([(M, P), (M, K)], Verdict.PASS),
        ([], Verdict.SKIP),
    ],
)
def test_grade_folds_outcomes_by_severity(outcomes: list[tuple[Severity, Outcome]], verdict: Verdict) -> None:
    assert grade(outcomes) is verdict


@pytest.mark.parametrize(
    ("claim", "verdict", "agreement"),
    [
        (Claim.SUPPORTED, Verdict.PASS, Agreement.AGREES),
        (Claim.SUPPORTED, Verdict.FAIL, Agreement.BROKEN),
        (Claim.SUPPORTED, Verdict.IGNORED, Agreement.BROKEN),
        (Claim.SUPPORTED, Verdict.REJECTED, Agreement.BROKEN),
        (Claim.UNSUPPORTED, Verdict.PASS, Agreement.BETTER),
        (Claim.UNSUPPORTED, Verdict.REJECTED, Agreement.AGREES),
        (Claim.PARTIAL, Verdict.IGNORED, Agreement.AGREES),
        (Claim.UNDOCUMENTED, Verdict.PASS, Agreement.BETTER),
        (Claim.SUPPORTED, Verdict.ERROR, Agreement.INCONCLUSIVE),
        (Claim.SUPPORTED, Verdict.SKIP, Agreement.NOT_APPLICABLE),
    ],
)
def test_assess_compares_verdict_with_claim(claim: Claim, verdict: Verdict, agreement: Agreement) -> None:
    assert assess(claim, verdict) is agreement


def test_every_claim_has_a_rule_for_every_graded_verdict() -> None:
    graded = set(Verdict) - {Verdict.ERROR, Verdict.SKIP}
    for claim in Claim:
        assert {v for v in graded if isinstance(assess(claim, v), Agreement)} == graded
