"""A row's passive checks, derived from its catalogue row and the needs its checks declare (never listed here).

Rules, the same for every row:
- a check runs on a reading only when the reading meets every need it declares (so an SDK call, a second request,
  a flow or the probe's script never; the raw body's checks not on an assembled stream; the error checks only on
  an error answer; `errors.status_4xx` only for an invalid request);
- a check runs once per reading: under the first row (in route order) that lists it;
- a row that refines others (its route's `refines`) leaves their checks to them;
- a row left with no check on a reading is not graded on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..catalogue import FEATURES
from ..checks import CHECKS
from ..checks.needs import Need
from ..verdicts import Severity
from .readings import Reading
from .routes import ROUTES


def passive_checks(feature_id: str, provided: frozenset[Need], graded: Iterable[str] = ()) -> tuple[str, ...]:
    """The row's checks, in row order, that a reading meeting `provided` runs (none already `graded` on it)."""
    route = ROUTES.get(feature_id)
    theirs = {c for other in route.refines for c in FEATURES.get(other).checks} if route else set()
    skip = theirs | set(graded)
    return tuple(c for c in FEATURES.get(feature_id).checks
                 if c in CHECKS and CHECKS.get(c).runs_on(provided) and c not in skip)


def jobs_for(routed: list[tuple[str, Reading]]) -> list[tuple[str, tuple[str, ...], Reading]]:
    """(feature, checks, reading) for every routed row left with a check, each check graded once per reading."""
    graded: dict[int, set[str]] = {}
    found = []
    for feature_id, reading in routed:
        done = graded.setdefault(id(reading), set())
        checks = passive_checks(feature_id, reading.provided, done)
        if checks:
            done.update(checks)
            found.append((feature_id, checks, reading))
    return found


def refusal_checks(error_checks: Iterable[str]) -> tuple[str, ...]:
    """The MUST checks of an error answer: a refused valid request is REJECTED when they pass, FAIL otherwise."""
    return tuple(dict.fromkeys(c for c in error_checks if CHECKS.get(c).severity is Severity.MUST
                               and Need.ERROR_ANSWER in (CHECKS.get(c).needs or ())))
