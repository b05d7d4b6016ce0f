"""Result records (plain dataclasses) that reports are built from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..failures import Evidence
from ..grading import not_discriminating, server_share
from ..verdicts import Agreement, Claim, Outcome, Severity, Verdict

NOT_DISCRIMINATING = "not discriminating"


@dataclass
class CheckResult:
    """The outcome of one check on one feature and target; `not_discriminating` says why it could not have failed."""

    id: str
    severity: Severity
    outcome: Outcome
    title: str = ""
    evidence: Evidence | None = None
    not_discriminating: str = ""
    also_affected_by: str = ""  # a surface-wide shape finding this strict result shows (principle 6)

    def to_dict(self) -> dict[str, Any]:
        """JSON-report form; a strict result set aside as a surface's shape finding keeps its evidence."""
        found = {
            "id": self.id,
            "severity": self.severity.value,
            "outcome": self.outcome.value,
            "title": self.title,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }
        if self.also_affected_by:
            found.update(strict_outcome=Outcome.FAILED.value, also_affected_by=self.also_affected_by)
        return found


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
    not_discriminating: str = ""
    model_dependent: list[str] = field(default_factory=list)
    server_verdict: Verdict | None = None  # with model-dependent checks: the grade of the server's own checks
    also_affected_by: list[str] = field(default_factory=list)
    reproduce: str = ""  # a non-PASS cell: the redacted curl command (or Python snippet) resending its request

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
            "not_discriminating": self.not_discriminating,
            "model_dependent": self.model_dependent,
            "server_verdict": self.server_verdict.value if self.server_verdict is not None else None,
            "also_affected_by": self.also_affected_by,
            "reproduce": self.reproduce,
        }

    def annotate(self, model_dependent: tuple[str, ...]) -> FeatureResult:
        """Say what the verdict rests on: a PASS that could not have failed (grading.not_discriminating), the
        non-passing checks whose outcome depends on the model's choice (the catalogue row's `model_dependent`), and
        then what the server's own checks give without them (grading.server_share)."""
        self.not_discriminating = not_discriminating(self.verdict, ((c.severity, c.not_discriminating)
                                                                    for c in self.checks))
        self.model_dependent = [c.id for c in self.checks if c.id in model_dependent
                                and c.outcome in (Outcome.FAILED, Outcome.IGNORED)]
        self.server_verdict = server_share(((c.id, c.severity, c.outcome) for c in self.checks), self.model_dependent)
        return self

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
    not_stored: list[str] = field(default_factory=list)  # deletes answered 404: the create never stored it
    interactions: dict[str, Any] = field(default_factory=dict)  # passive: {graded, skipped{reason: n}, unreadable}
    prompt_tokens: int = 0
    completion_tokens: int = 0
    usage: dict[str, dict[str, int]] = field(default_factory=dict)  # per surface: requests and reported tokens
    budget: dict[str, Any] | None = None  # live/record with a limit: runner.budget.Budget.summary()
    label: str = ""  # the report column's label ("" = the name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-report form."""
        return asdict(self)
