"""Fold k live runs of one feature into one cell: pass@k, pass^k and the FLAKY verdict."""

from __future__ import annotations

from ..verdicts import Verdict, assess
from .results import FeatureResult

PASSING = (Verdict.PASS, Verdict.DEVIATION)


def combine(runs: list[FeatureResult]) -> FeatureResult:
    """All conclusive runs pass -> that verdict; some pass -> FLAKY; none -> the first failing run's verdict.

    ERROR runs are inconclusive and do not count unless every run is ERROR.
    """
    verdicts = [r.verdict.value for r in runs]
    conclusive = [r for r in runs if r.verdict is not Verdict.ERROR] or runs
    passing = [r for r in conclusive if r.verdict in PASSING]
    failing = [r for r in conclusive if r.verdict not in PASSING]
    cell = failing[0] if failing else conclusive[0]
    if passing and failing:
        cell.verdict = Verdict.FLAKY
        cell.reason = f"{len(passing)}/{len(conclusive)} runs passed; a failing run's evidence follows"
    cell.repeat = {
        "k": len(runs),
        "conclusive": len(conclusive),
        "passed": len(passing),
        "pass_at_k": bool(passing),
        "pass_all_k": bool(passing) and not failing,
        "verdicts": verdicts,
    }
    cell.agreement = assess(cell.claim, cell.verdict)
    return cell
