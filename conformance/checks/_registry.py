"""The check registry: each check is a named function `(ctx) -> None` that raises Failure, Ignored or Skip."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..verdicts import Severity
from .context import CheckContext
from .needs import UNRECORDED, Need

CheckFn = Callable[[CheckContext], None]


@dataclass(frozen=True)
class Check:
    """A registered check: id, severity, one-line title, the function and what it reads (None: not declared)."""

    id: str
    severity: Severity
    title: str
    fn: CheckFn
    needs: frozenset[Need] | None = None

    @property
    def recordable(self) -> bool:
        """True when one recorded exchange can meet its needs (declared, and none of them UNRECORDED)."""
        return self.needs is not None and not self.needs & UNRECORDED

    def runs_on(self, provided: frozenset[Need]) -> bool:
        """True when a recorded exchange providing `provided` meets every declared need."""
        return self.needs is not None and self.needs <= provided


class CheckRegistry:
    """Name-unique registry; a duplicate id raises."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def register(self, check_id: str, severity: Severity, title: str,
                 needs: Iterable[Need] | None = None) -> Callable[[CheckFn], CheckFn]:
        """Decorator that registers a check function and what it reads (`needs`, see checks.needs)."""

        def wrap(fn: CheckFn) -> CheckFn:
            if check_id in self._checks:
                raise ValueError(f"duplicate check id {check_id!r}")
            declared = frozenset(Need(n) for n in needs) if needs is not None else None
            self._checks[check_id] = Check(check_id, severity, title, fn, declared)
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
