"""Fold per-interaction check results into one FeatureResult per (provider, feature)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..catalogue import FEATURES
from ..grading import PROBLEM_OUTCOMES, assess, grade, merge_decided, status_decides, worst_outcome
from ..profiles import TargetProfile
from ..runner.results import CheckResult, FeatureResult
from ..verdicts import Claim, Outcome, Verdict

_SHOWN_REFS = 3


@dataclass
class Cell:
    """Everything observed for one feature of one provider."""

    checks: dict[str, list[tuple[str, CheckResult]]] = field(default_factory=dict)
    decided: list[tuple[Verdict, str, str]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    reproduce: dict[str, str] = field(default_factory=dict)  # ref -> the command resending that recorded request

    def add(self, ref: str, results: list[CheckResult], verdict: Verdict | None, reason: str,
            reproduce: str = "") -> None:
        """Record one interaction: its check results, or the verdict its status decided (unless a check failed)."""
        if ref not in self.refs:
            self.refs.append(ref)
        if reproduce:
            self.reproduce.setdefault(ref, reproduce)
        if verdict is not None and status_decides(r.outcome for r in results):
            self.decided.append((verdict, reason, ref))
            return
        for result in results:
            self.checks.setdefault(result.id, []).append((ref, result))


def _fold_check(results: list[tuple[str, CheckResult]]) -> CheckResult:
    worst = worst_outcome(r.outcome for _, r in results)
    same = [(ref, r) for ref, r in results if r.outcome is worst]
    first = same[0][1]
    folded = CheckResult(first.id, first.severity, worst, first.title, first.evidence,
                         first.not_discriminating if worst is Outcome.SKIPPED else "")
    if worst in PROBLEM_OUTCOMES and first.evidence is not None:
        others = [ref for ref, _ in same[1:_SHOWN_REFS + 1]]
        also = f"; also {', '.join(others)}" if others else ""
        more = f" and {len(same) - 1 - len(others)} more" if len(same) - 1 > len(others) else ""
        where = f"{first.evidence.where} ({len(same)} of {len(results)} interactions{also}{more})"
        folded.evidence = replace(first.evidence, where=where)
    elif worst is Outcome.PASSED:
        folded.evidence = None
    return folded


def _ordered(feature_id: str, ids: list[str]) -> list[str]:
    order = FEATURES.get(feature_id).checks if feature_id in FEATURES else ()
    return sorted(ids, key=lambda c: (order.index(c) if c in order else len(order), ids.index(c)))


def _reason(cell: Cell, verdict: Verdict) -> str:
    head = f"passive: {len(cell.refs)} recorded interaction(s)"
    if not cell.decided:
        return head
    v, why, ref = next((d for d in cell.decided if d[0] is verdict), cell.decided[0])
    return f"{head}; {len(cell.decided)} decided by their status, e.g. {v.value} {why} [{ref}]"


def fold(target: str, feature_id: str, cell: Cell, profile: TargetProfile | None) -> FeatureResult:
    """The matrix cell: folded checks, graded, status-decided verdicts merged, claim compared."""
    checks = [_fold_check(cell.checks[c]) for c in _ordered(feature_id, list(cell.checks))]
    verdict = grade((c.severity, c.outcome) for c in checks) if checks else Verdict.SKIP
    verdict = merge_decided(verdict, (d[0] for d in cell.decided))
    claim = profile.claim(feature_id) if profile else Claim.UNDOCUMENTED
    sources = [{"claim": e.claim.value, "source": e.source} for e in profile.claim_entries(feature_id)] if profile \
        else []
    shown = cell.refs[:20] + ([f"... and {len(cell.refs) - 20} more"] if len(cell.refs) > 20 else [])
    result = FeatureResult(target, feature_id, claim, verdict, assess(claim, verdict), checks, shown,
                           _reason(cell, verdict), sources)
    if verdict not in (Verdict.PASS, Verdict.SKIP):
        named = [c.evidence.request.split(": ", 1)[0] for c in checks
                 if c.outcome in PROBLEM_OUTCOMES and c.evidence is not None and c.evidence.request]
        refs = [*named, *(d[2] for d in cell.decided), *cell.reproduce]
        result.reproduce = next((cell.reproduce[r] for r in refs if r in cell.reproduce), "")
    return result.annotate(FEATURES.get(feature_id).model_dependent if feature_id in FEATURES else ())
