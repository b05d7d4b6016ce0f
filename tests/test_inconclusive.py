"""A flow step that answered 429/5xx makes its checks Inconclusive: outcome ERROR, never a pass or a fail."""

from __future__ import annotations

import pytest

from conformance import FEATURES, CheckContext, Failure, Inconclusive, Outcome, Skip
from conformance.runner.checking import run_check
from conformance.wire.exchange import Exchange

DELETE = "responses.lifecycle:delete"


def test_inconclusive_sits_beside_skip_outside_the_failures() -> None:
    assert issubclass(Inconclusive, Exception)
    assert not issubclass(Inconclusive, (Failure, Skip))


@pytest.mark.parametrize("status", [429, 503, None])
def test_a_transient_delete_step_grades_its_checks_error(status: int | None) -> None:
    delete = Exchange(DELETE, "DELETE", "https://target.invalid/v1/responses/resp_1", status=status,
                      transport_error=None if status else "connection reset")
    ctx = CheckContext(FEATURES.get("responses.delete"), {DELETE: delete})
    for check_id in ("lifecycle.deleted_ack", "lifecycle.gone_after_delete"):
        result = run_check(check_id, ctx)
        assert result.outcome is Outcome.ERROR
        assert result.evidence is not None and result.evidence.observed.startswith("Inconclusive: ")
