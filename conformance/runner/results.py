"""Result records (plain dataclasses) that reports are built from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..failures import Evidence
from ..verdicts import Agreement, Claim, Outcome, Severity, Verdict


@dataclass
class CheckResult:
    """The outcome of one check on one feature and target."""

    id: str
    severity: Severity
    outcome: Outcome
    title: str = ""
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-report form."""
        return {
            "id": self.id,
            "severity": self.severity.value,
            "outcome": self.outcome.value,
            "title": self.title,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass
class FeatureResult:
    """A cell of the matrix: one feature on one target, with the claim and every check."""

    target: str
    feature: str
    claim: Claim
    verdict: Verdict
    agreement: Agreement
    checks: list[CheckResult] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    reason: str = ""
    claim_sources: list[dict[str, str]] = field(default_factory=list)
    repeat: dict[str, Any] | None = None
    not_sent: bool = False  # its requests were never sent (target stopped, --max-time reached); not in the report

    def to_dict(self) -> dict[str, Any]:
        """JSON-report form."""
        return {
            "target": self.target,
            "feature": self.feature,
            "claim": self.claim.value,
            "claim_sources": self.claim_sources,
            "verdict": self.verdict.value,
            "agreement": self.agreement.value,
            "reason": self.reason,
            "requests": self.requests,
            "checks": [c.to_dict() for c in self.checks],
            "repeat": self.repeat,
        }

    def problems(self) -> list[CheckResult]:
        """Checks that did not pass or skip."""
        return [c for c in self.checks if c.outcome not in (Outcome.PASSED, Outcome.SKIPPED)]


@dataclass
class TargetInfo:
    """Per-target facts for the report: mode, where cassettes came from, what the run cost."""

    name: str
    title: str
    mode: str
    endpoint: str
    origin: str = ""
    cassettes: dict[str, Any] = field(default_factory=dict)
    requests_sent: int = 0
    leftovers: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    usage: dict[str, dict[str, int]] = field(default_factory=dict)  # per surface: requests and reported tokens
    budget: dict[str, Any] | None = None  # live/record with a limit: runner.budget.Budget.summary()
    label: str = ""  # the report column's label ("" = the name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-report form."""
        return asdict(self)
