"""The one grading policy: every decision other layers delegate to conformance.grading, pinned case by case."""

from __future__ import annotations

import pytest

from conformance import grading
from conformance.grading import Problem
from conformance.verdicts import Agreement, Verdict


@pytest.mark.parametrize(("problem", "skip_missing", "verdict"), [
    (Problem.NOT_CONFIGURED, False, Verdict.SKIP),
    (Problem.NO_RECORDING, False, Verdict.ERROR),
    (Problem.NO_RECORDING, True, Verdict.SKIP),
    (Problem.UNREADABLE, True, Verdict.ERROR),
    (Problem.TRANSPORT, False, Verdict.ERROR),
    (Problem.TRANSIENT, False, Verdict.ERROR),
    (Problem.MISSING_STEP, False, Verdict.ERROR),
])
def test_a_request_that_produced_nothing(problem: Problem, skip_missing: bool, verdict: Verdict) -> None:
    assert grading.problem_verdict(problem, skip_missing=skip_missing) is verdict


def test_statuses() -> None:
    assert [s for s in (200, 400, 404, 429, 500, 501, 503) if grading.is_transient(s)] == [429, 500, 503]
    assert [s for s in (200, 400, 404, 429, 500, 501, None) if grading.is_refusal(s)] == [400, 404, 429, 501]
    assert grading.refusal_verdict(True) is Verdict.REJECTED and grading.refusal_verdict(False) is Verdict.FAIL


@pytest.mark.parametrize(("status", "reference", "verdict", "graded"), [
    (500, False, Verdict.ERROR, True),
    (429, True, Verdict.ERROR, True),
    (401, False, None, False),
    (404, False, None, False),
    (400, True, None, False),
    (400, False, Verdict.REJECTED, True),
    (422, False, Verdict.REJECTED, True),
])
def test_passive_status_decision(status: int, reference: bool, verdict: Verdict | None, graded: bool) -> None:
    decision = grading.passive_status_decision(status, provider_is_reference=reference)
    assert (decision.verdict, decision.graded) == (verdict, graded)


def test_merge_decided_prefers_checks_then_rejected() -> None:
    assert grading.merge_decided(Verdict.PASS, [Verdict.REJECTED]) is Verdict.PASS
    assert grading.merge_decided(Verdict.SKIP, [Verdict.ERROR, Verdict.REJECTED]) is Verdict.REJECTED
    assert grading.merge_decided(Verdict.SKIP, [Verdict.ERROR]) is Verdict.ERROR
    assert grading.merge_decided(Verdict.SKIP, []) is Verdict.SKIP


def test_fold_repeats() -> None:
    fold = grading.fold_repeats([Verdict.PASS, Verdict.ERROR, Verdict.IGNORED])
    assert (fold.verdict, fold.shown, fold.conclusive, fold.passed, fold.failed) == (Verdict.FLAKY, 2, 2, 1, 1)
    assert grading.fold_repeats([Verdict.ERROR, Verdict.ERROR]).verdict is Verdict.ERROR
    assert grading.fold_repeats([Verdict.FAIL, Verdict.IGNORED]).verdict is Verdict.FAIL


def test_ranking_and_regression_exit_codes() -> None:
    assert grading.regressed(Verdict.PASS, Verdict.DEVIATION) is True
    assert grading.regressed(Verdict.IGNORED, Verdict.REJECTED) is False  # same rank
    assert grading.regressed(Verdict.PASS, Verdict.ERROR) is None  # inconclusive, not worse
    assert grading.regressed(Verdict.ERROR, Verdict.FAIL) is False  # an unranked baseline compares with nothing
    assert grading.regressed(Verdict.PASS, Verdict.SKIP) is False
    assert grading.regression_exit_code(1, 5) == grading.EXIT_BROKEN
    assert grading.regression_exit_code(0, 1) == grading.EXIT_INCONCLUSIVE
    assert grading.regression_exit_code(0, 0) == grading.EXIT_OK


def test_claims_and_lint_exit_codes() -> None:
    assert grading.claims_exit_code([Agreement.AGREES, Agreement.BROKEN, Agreement.INCONCLUSIVE]) == 1
    assert grading.claims_exit_code([Agreement.AGREES, Agreement.INCONCLUSIVE]) == 3
    assert grading.claims_exit_code([Agreement.BETTER, Agreement.NOT_APPLICABLE]) == 0
    assert grading.lint_exit_code([Verdict.PASS, Verdict.FAIL]) == 1
    assert grading.lint_exit_code([Verdict.REJECTED, Verdict.ERROR]) == 0


# issue 10: what fails a run (--fail-on, --strict, the baseline).
FailOn, Judgement = grading.FailOn, grading.Judgement


@pytest.mark.parametrize(("fail_on", "verdict", "agreement", "fails"), [
    (FailOn.BROKEN_CLAIM, Verdict.FAIL, Agreement.AGREES, False),
    (FailOn.BROKEN_CLAIM, Verdict.REJECTED, Agreement.BROKEN, True),
    (FailOn.FAIL, Verdict.FAIL, Agreement.AGREES, True),
    (FailOn.FAIL, Verdict.IGNORED, Agreement.AGREES, False),
    (FailOn.FAIL, Verdict.PASS, Agreement.BROKEN, True),
    (FailOn.DEVIATION, Verdict.DEVIATION, Agreement.AGREES, True),
    (FailOn.DEVIATION, Verdict.REJECTED, Agreement.AGREES, True),
    (FailOn.DEVIATION, Verdict.PASS, Agreement.BETTER, False),
])
def test_fail_on_levels_include_the_ones_before(fail_on: grading.FailOn, verdict: Verdict, agreement: Agreement,
                                                fails: bool) -> None:
    assert grading.fails_policy(fail_on, verdict, agreement) is fails


@pytest.mark.parametrize(("verdict", "agreement", "before", "strict", "judgement"), [
    (Verdict.FAIL, Agreement.BROKEN, None, False, Judgement.FAILS),  # no baseline cell: the policy judges
    (Verdict.FAIL, Agreement.BROKEN, Verdict.FAIL, False, Judgement.KNOWN),  # as bad as before: known
    (Verdict.FAIL, Agreement.BROKEN, Verdict.FAIL, True, Judgement.FAILS),  # --strict: the policy judges
    (Verdict.IGNORED, Agreement.AGREES, Verdict.PASS, False, Judgement.FAILS),  # worse than before
    (Verdict.PASS, Agreement.AGREES, Verdict.FAIL, False, Judgement.OK),  # better than before
    (Verdict.FAIL, Agreement.BROKEN, Verdict.ERROR, False, Judgement.FAILS),  # an inconclusive baseline excuses nothing
    (Verdict.ERROR, Agreement.INCONCLUSIVE, Verdict.ERROR, False, Judgement.KNOWN),  # as inconclusive as before
    (Verdict.ERROR, Agreement.INCONCLUSIVE, Verdict.ERROR, True, Judgement.INCONCLUSIVE),  # --strict counts it
    (Verdict.ERROR, Agreement.INCONCLUSIVE, Verdict.PASS, False, Judgement.INCONCLUSIVE),  # became inconclusive
    (Verdict.ERROR, Agreement.INCONCLUSIVE, None, False, Judgement.INCONCLUSIVE),  # no baseline cell
    (Verdict.SKIP, Agreement.NOT_APPLICABLE, Verdict.PASS, False, Judgement.NOT_APPLICABLE),
])
def test_judging_a_cell(verdict: Verdict, agreement: Agreement, before: Verdict | None, strict: bool,
                        judgement: grading.Judgement) -> None:
    assert grading.judge(verdict, agreement, before=before, strict=strict) is judgement


def test_run_exit_code_from_judgements() -> None:
    assert grading.run_exit_code([Judgement.OK, Judgement.KNOWN, Judgement.NOT_APPLICABLE]) == 0
    assert grading.run_exit_code([Judgement.OK, Judgement.INCONCLUSIVE]) == 3
    assert grading.run_exit_code([Judgement.INCONCLUSIVE, Judgement.FAILS]) == 1
    assert grading.combine_exit_codes(0, 3) == 3 and grading.combine_exit_codes(3, 1) == 1
