"""The one attempt/retry policy of the runner, shared by the HTTP and WebSocket paths."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..grading import is_transient


def first_line(exc: BaseException) -> str:
    """`Type: first line of the message`, at most 300 characters."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


@dataclass(frozen=True)
class AttemptPolicy:
    """Bounded retries of transient answers (429/5xx, transport errors), honouring Retry-After up to a cap."""

    retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 10.0

    def again(self, attempt: int, status: int | None, failed_transport: bool, retryable: bool) -> bool:
        """Whether attempt number `attempt` (1-based) is followed by another one."""
        transient = is_transient(status) or (status is None and failed_transport)
        return transient and retryable and attempt <= self.retries

    def delay(self, headers: Mapping[str, str], attempt: int) -> float:
        """Seconds to wait before the next attempt: Retry-After when it is a number, else exponential backoff."""
        try:
            return min(float(headers.get("retry-after", "").strip()), self.max_delay)
        except ValueError:
            return min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
