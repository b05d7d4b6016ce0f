"""The budget of a live or record run (--max-requests / --max-tokens): checked before each named request, charged after.

Each named request declares what it may cost beside its code (`RequestSpec`: calls, polls, max_tokens,
prompt_tokens). `bound()` turns that declaration into requests and tokens for one run: polls up to `poll_timeout`,
every retry of a retryable request, every generated case. Before a request is sent, the budget refuses it when its
bound could take the run past a limit (its rows are SKIP "budget"). After it, the budget charges the requests really
sent and, for tokens, the larger of what the provider reported and the bound (a stream may report no usage at all).
Requests and reported tokens are also kept per surface for the report, in every mode.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..probes import RequestSpec, max_polls
from ..probes.generation import REPLAY_EXAMPLES
from ..profiles import TargetProfile
from .policy import AttemptPolicy
from .results import TargetInfo
from .settings import GENERATED_CASES, RunSettings

DEFAULT_POLL_TIMEOUT = 60.0  # probes' default for `poll_timeout` (conformance.probes._flows.poll)


@dataclass(frozen=True)
class Bound:
    """What one named request may cost in one run: `requests` at most, `expected` without retries or long polls."""

    requests: int
    expected: int
    completion: int
    prompt: int

    @property
    def tokens(self) -> int:
        """Completion limits plus the prompt estimate."""
        return self.completion + self.prompt


def cases(spec: RequestSpec, options: Mapping[str, Any]) -> int:
    """How many times a request's declared cost counts: its generated cases (explore N live, else the fixed
    examples --generated-cases sends), else once."""
    if not spec.generated:
        return 1
    return int(options.get("explore") or 0) or min(int(options.get("generated_cases") or GENERATED_CASES),
                                                   REPLAY_EXAMPLES)


def bound(spec: RequestSpec, options: Mapping[str, Any], policy: AttemptPolicy) -> Bound:
    """The bound of one named request under these run options (poll_timeout, explore) and retry policy."""
    n = cases(spec, options)
    polls = spec.polls * max_polls(float(options.get("poll_timeout", DEFAULT_POLL_TIMEOUT)))
    attempts = policy.retries + 1 if spec.retry else 1
    return Bound(requests=n * (spec.calls + polls) * attempts, expected=n * (spec.calls + spec.polls),
                 completion=n * spec.max_tokens, prompt=n * spec.prompt_tokens)


def surface_of(request: str) -> str:
    """The surface a named request belongs to (`responses.basic` -> responses)."""
    return request.split(".", 1)[0]


@dataclass
class Budget:
    """Limits (None: none) and what has been charged; `active` only for live and record runs with a limit."""

    max_requests: int | None
    max_tokens: int | None
    live: bool
    options: Mapping[str, Any]
    policy: AttemptPolicy
    requests: int = 0
    tokens: int = 0
    skipped: list[str] = field(default_factory=list)

    @classmethod
    def for_run(cls, profile: TargetProfile, settings: RunSettings, options: Mapping[str, Any]) -> Budget:
        """The run's budget: the flags win over the profile's `[budget]` defaults."""
        return cls(settings.max_requests or profile.budget.max_requests,
                   settings.max_tokens or profile.budget.max_tokens, settings.live, options, settings.policy)

    @property
    def active(self) -> bool:
        """True when requests go to the target and some limit is set."""
        return self.live and (self.max_requests is not None or self.max_tokens is not None)

    def bound(self, spec: RequestSpec) -> Bound:
        """The bound of a named request in this run."""
        return bound(spec, self.options, self.policy)

    def refusal(self, spec: RequestSpec) -> str:
        """Why `spec` may not be sent ("" when it may): its bound would pass a limit."""
        if not self.active:
            return ""
        need = self.bound(spec)
        over = []
        if self.max_requests is not None and self.requests + need.requests > self.max_requests:
            over.append(f"up to {need.requests} request(s) with {self.requests} of --max-requests "
                        f"{self.max_requests} spent")
        if self.max_tokens is not None and self.tokens + need.tokens > self.max_tokens:
            over.append(f"up to {need.tokens} tokens with {self.tokens} of --max-tokens {self.max_tokens} spent")
        if not over:
            return ""
        self.skipped.append(spec.name)
        return f"budget: {spec.name} was not sent: it could need {' and '.join(over)}"

    @contextmanager
    def meter(self, spec: RequestSpec, info: TargetInfo) -> Iterator[None]:
        """Charge what the block sent (info's counters before and after) to the budget and to the surface."""
        before = (info.requests_sent, info.prompt_tokens, info.completion_tokens)
        try:
            yield
        finally:
            sent = info.requests_sent - before[0]
            prompt, completion = info.prompt_tokens - before[1], info.completion_tokens - before[2]
            usage = info.usage.setdefault(surface_of(spec.name),
                                          {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0})
            usage["requests"] += sent
            usage["prompt_tokens"] += prompt
            usage["completion_tokens"] += completion
            if self.active and sent:
                self.requests += sent
                self.tokens += max(prompt + completion, self.bound(spec).tokens)
            if self.active:
                info.budget = self.summary()

    def charge(self, surface: str, info: TargetInfo, *, requests: int) -> None:
        """Charge requests sent outside a named request (the preflight) to the surface and, when active, the budget."""
        usage = info.usage.setdefault(surface, {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0})
        usage["requests"] += requests
        if self.active:
            self.requests += requests
            info.budget = self.summary()

    def summary(self) -> dict[str, Any]:
        """The report's budget entry: limits, what was charged, which requests were not sent."""
        return {"max_requests": self.max_requests, "max_tokens": self.max_tokens, "charged_requests": self.requests,
                "charged_tokens": self.tokens, "not_sent": list(self.skipped)}
