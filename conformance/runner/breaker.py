"""The circuit breaker of one target: after a few consecutive transport failures (or a failed preflight or
authentication) the target is stopped, and every request not yet sent is ERROR with the one reason why.

It never closes again within a run: a target that stopped answering is reported, not probed row after row.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..grading import Problem

THRESHOLD = 3  # consecutive transport failures (connection errors, timeouts, missed deadlines) that stop a target


@dataclass
class Breaker:
    """Per-target state: consecutive transport failures so far, and why the target was stopped ('' = running)."""

    threshold: int = THRESHOLD
    failures: int = 0
    last: str = ""
    reason: str = ""
    problem: Problem | None = None

    @property
    def open(self) -> bool:
        """True once the target is stopped: nothing more is sent to it."""
        return self.problem is not None

    def answered(self) -> None:
        """The target answered with an HTTP status (any status): the failure streak ends."""
        self.failures, self.last = 0, ""

    def failed(self, why: str) -> None:
        """One transport failure; the threshold-th in a row stops the target."""
        self.failures += 1
        self.last = why
        if self.failures >= self.threshold and not self.open:
            self.stop(Problem.NOT_ANSWERING,
                      f"target not answering: {self.failures} consecutive transport failures (last: {why})")

    def stop(self, problem: Problem, reason: str) -> None:
        """Stop the target now (preflight failure, authentication failure, or the failure streak)."""
        if not self.open:
            self.problem, self.reason = problem, reason
