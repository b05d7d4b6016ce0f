"""Fold k live runs of one feature into one cell: pass@k, pass^k and the FLAKY verdict (policy: grading)."""

from __future__ import annotations

from ..grading import assess, fold_repeats
from ..verdicts import Verdict
from .results import FeatureResult


def combine(runs: list[FeatureResult]) -> FeatureResult:
    """One cell from k runs, graded by `grading.fold_repeats`; a failing run's evidence is shown."""
    verdicts = [r.verdict.value for r in runs]
    fold = fold_repeats([r.verdict for r in runs])
    cell = runs[fold.shown]
    if fold.verdict is Verdict.FLAKY:
        cell.verdict = Verdict.FLAKY
        cell.reason = f"{fold.passed}/{fold.conclusive} runs passed; a failing run's evidence follows"
        cell.not_discriminating = ""
    cell.repeat = {
        "k": len(runs),
        "conclusive": fold.conclusive,
        "passed": fold.passed,
        "pass_at_k": bool(fold.passed),
        "pass_all_k": bool(fold.passed) and not fold.failed,
        "verdicts": verdicts,
    }
    cell.agreement = assess(cell.claim, cell.verdict)
    return cell
