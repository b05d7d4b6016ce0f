"""Running one registered check against a context and turning whatever happens into a CheckResult."""

from __future__ import annotations

import traceback

from ..checks import CHECKS, CheckContext
from ..failures import Evidence, Failure, Ignored, NotDiscriminating, Skip
from ..verdicts import Outcome
from .policy import first_line
from .results import NOT_DISCRIMINATING, CheckResult


def run_check(check_id: str, ctx: CheckContext) -> CheckResult:
    """Run a check: pass, Failure -> failed, Ignored -> ignored, Skip -> skipped, anything else -> error."""
    chk = CHECKS.get(check_id)
    result = CheckResult(chk.id, chk.severity, Outcome.PASSED, chk.title)
    try:
        chk.fn(ctx)
    except Ignored as exc:
        result.outcome, result.evidence = Outcome.IGNORED, exc.evidence
    except Failure as exc:
        result.outcome, result.evidence = Outcome.FAILED, exc.evidence
    except NotDiscriminating as exc:
        result.outcome, result.evidence = Outcome.SKIPPED, Evidence(where=f"{NOT_DISCRIMINATING}: {exc}")
        result.not_discriminating = str(exc)
    except Skip as exc:
        result.outcome, result.evidence = Outcome.SKIPPED, Evidence(where=str(exc))
    except Exception as exc:  # noqa: BLE001 - a crashing check is inconclusive, never a pass
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        result.outcome = Outcome.ERROR
        result.evidence = Evidence(request=ctx.primary.summary(), where=f"check crashed at {frame.name}:{frame.lineno}",
                                   observed=first_line(exc))
    return result


def placeholder(check_id: str, outcome: Outcome, why: str, request: str = "") -> CheckResult:
    """A check that was not run (request skipped, errored or refused), with the reason (and request) as evidence."""
    chk = CHECKS.get(check_id)
    return CheckResult(chk.id, chk.severity, outcome, chk.title, Evidence(request=request, where=why))
