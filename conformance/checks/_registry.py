"""The check registry: each check is a named function `(ctx) -> None` that raises Failure, Ignored or Skip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..verdicts import Severity
from .context import CheckContext

CheckFn = Callable[[CheckContext], None]


@dataclass(frozen=True)
class Check:
    """A registered check: id, severity, one-line title and the function."""

    id: str
    severity: Severity
    title: str
    fn: CheckFn


class CheckRegistry:
    """Name-unique registry; a duplicate id raises."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def register(self, check_id: str, severity: Severity, title: str) -> Callable[[CheckFn], CheckFn]:
        """Decorator that registers a check function."""

        def wrap(fn: CheckFn) -> CheckFn:
            if check_id in self._checks:
                raise ValueError(f"duplicate check id {check_id!r}")
            self._checks[check_id] = Check(check_id, severity, title, fn)
            return fn

        return wrap

    def get(self, check_id: str) -> Check:
        """The check with this id."""
        return self._checks[check_id]

    def __contains__(self, check_id: object) -> bool:
        return check_id in self._checks

    def all(self) -> list[Check]:
        """Every registered check."""
        return list(self._checks.values())


CHECKS = CheckRegistry()
check = CHECKS.register
