"""Evidence and the exceptions a check raises: Failure (must/should fail), Ignored, Skip, Inconclusive.

Exception tree::

    AssertionError
     └── Failure            a check observed something other than expected
          └── Ignored       2xx, but the request parameter had no observable effect
    Exception
     ├── Skip               the check does not apply to what was observed
     └── Inconclusive       a step answered 429/5xx or broke off: outcome ERROR, like any other exception
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

_MAX = 300


def short(value: Any) -> str:
    """Render an observed value compactly for evidence (JSON, truncated)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX else text[: _MAX - 3] + "..."


@dataclass(frozen=True)
class Evidence:
    """What a non-passing check saw: the request, where, expected vs observed."""

    request: str = ""
    where: str = ""
    expected: str = ""
    observed: str = ""

    def to_dict(self) -> dict[str, str]:
        """Plain dict for the JSON report."""
        return asdict(self)

    def line(self) -> str:
        """One human line: request @ where: expected X, observed Y."""
        parts = [p for p in (self.request, self.where) if p]
        head = " @ ".join(parts)
        body = f"expected {self.expected}; observed {self.observed}" if self.expected or self.observed else ""
        return f"{head}: {body}" if head and body else head or body


class Failure(AssertionError):
    """A check saw something other than what the request or the spec requires."""

    def __init__(self, where: str, expected: Any, observed: Any, request: str = "") -> None:
        self.evidence = Evidence(request=request, where=where, expected=short(expected), observed=short(observed))
        super().__init__(self.evidence.line())


class Ignored(Failure):
    """The server answered 2xx but the parameter under test had no observable effect."""


class Skip(Exception):
    """The check does not apply (e.g. nothing to compare with); carries the reason."""


class Inconclusive(Exception):
    """A step answered 429/5xx or broke off: the check cannot conclude (graded ERROR, never a pass or a fail)."""
