"""Evidence and the exceptions a check raises: Failure (must/should fail), Ignored, Skip, Inconclusive.

Exception tree::

    AssertionError
     └── Failure            a check observed something other than expected
          └── Ignored       2xx, but the request parameter had no observable effect
    Exception
     ├── Skip               the check does not apply to what was observed
     │    └── NotDiscriminating  it could not have failed here (limit not reached, model never calls a tool)
     └── Inconclusive       a step answered 429/5xx or broke off: outcome ERROR, like any other exception
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

_MAX = 300
_DETAILS = 50  # every deviation is listed up to this many groups; the count of the rest is said, never hidden


def short(value: Any) -> str:
    """Render an observed value compactly for evidence (JSON, truncated)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX else text[: _MAX - 3] + "..."


def grouped(items: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """`where: what` lines, one per distinct `what`, with every `where` that showed it (in first-seen order).

    Consecutive event numbers fold into ranges (`events #3-#9`), so a defect on every chunk is one line that still
    names each event; past `_DETAILS` groups the rest are counted, not dropped silently.
    """
    groups: dict[str, list[str]] = {}
    for where, what in items:
        groups.setdefault(what, []).append(where)
    lines = [f"{_ranges(wheres)}: {what}" for what, wheres in groups.items()]
    if len(lines) > _DETAILS:
        lines = [*lines[:_DETAILS], f"... and {len(lines) - _DETAILS} more distinct deviation(s)"]
    return tuple(lines)


_NUMBERED = re.compile(r"^(.*#)(\d+)(.*)$")


def _ranges(wheres: list[str]) -> str:
    """`event #3, event #4, event #5` -> `events #3-#5`; other places are listed as they are."""
    numbered = [_NUMBERED.match(w) for w in wheres]
    if len(wheres) < 2 or not all(numbered):
        return ", ".join(dict.fromkeys(wheres))
    heads = {(m.group(1), m.group(3)) for m in numbered if m}
    if len(heads) != 1:
        return ", ".join(dict.fromkeys(wheres))
    head, tail = heads.pop()
    numbers = sorted({int(m.group(2)) for m in numbered if m})
    spans: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        spans.append(f"#{start}" if start == prev else f"#{start}-#{prev}")
        if n is not None:
            start = prev = n
    noun = head[:-1].rstrip()
    return f"{noun}{'s' if not noun.endswith('s') else ''} {', '.join(spans)}{tail}"


@dataclass(frozen=True)
class Evidence:
    """What a non-passing check saw: the request, where, expected vs observed, and every deviation (`details`)."""

    request: str = ""
    where: str = ""
    expected: str = ""
    observed: str = ""
    details: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for the JSON report (`details` lists every deviation, grouped; empty when there is one)."""
        found = asdict(self)
        found["details"] = list(self.details)
        return found

    def line(self) -> str:
        """One human line: request @ where: expected X, observed Y."""
        parts = [p for p in (self.request, self.where) if p]
        head = " @ ".join(parts)
        body = f"expected {self.expected}; observed {self.observed}" if self.expected or self.observed else ""
        return f"{head}: {body}" if head and body else head or body


class Failure(AssertionError):
    """A check saw something other than what the request or the spec requires; `details` lists every deviation."""

    def __init__(self, where: str, expected: Any, observed: Any, request: str = "",
                 details: Iterable[str] = ()) -> None:
        self.evidence = Evidence(request=request, where=where, expected=short(expected), observed=short(observed),
                                 details=tuple(details))
        super().__init__(self.evidence.line())


class Ignored(Failure):
    """The server answered 2xx but the parameter under test had no observable effect."""


class Skip(Exception):
    """The check does not apply (e.g. nothing to compare with); carries the reason."""


class NotDiscriminating(Skip):
    """The check could not have failed on what was observed (a limit not reached; a model that never calls a tool
    unforced): not graded, and a passing row says its PASS is not discriminating."""


class Inconclusive(Exception):
    """A step answered 429/5xx or broke off: the check cannot conclude (graded ERROR, never a pass or a fail)."""
