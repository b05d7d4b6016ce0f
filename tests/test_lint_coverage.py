"""Passive coverage is derived from the catalogue: every check declares what it needs, every row is covered or
listed as active-only / not routed yet with its reason."""

from __future__ import annotations

import json

import pytest

from conformance.catalogue import FEATURES, Catalogue, Feature, Surface, Tier
from conformance.checks import CHECKS, Need
from conformance.lint import coverage, derive
from conformance.lint.coverage import ACTIVE_ONLY, NOT_ROUTED_YET, covered_checks
from conformance.lint.derive import passive_checks, refusal_checks
from conformance.lint.exchanges import RecordedExchange, recorded_exchange
from conformance.lint.model import Format, Interaction
from conformance.lint.readings import CAN_PROVIDE, readings
from conformance.lint.routes import ROUTES, Form, Route
from conformance.wire.endpoints import Endpoint

HOW = ("add a route in conformance/lint/routes.py, or list it with its reason in ACTIVE_ONLY / NOT_ROUTED_YET "
       "(conformance/lint/coverage.py)")


def coverage_problems(features: Catalogue) -> list[str]:
    """One line per row that is neither covered nor listed, or listed although covered."""
    problems = []
    for row in features:
        listed = row.id in ACTIVE_ONLY or row.id in NOT_ROUTED_YET
        if covered_checks(row.id) and listed:
            problems.append(f"{row.id}: lint covers it; remove it from coverage.py")
        elif not covered_checks(row.id) and not listed:
            problems.append(f"{row.id}: no passive coverage ({HOW})")
    return problems


def graded_on(surface: Surface) -> set[str]:
    """Checks lint grades under the covered rows of one surface."""
    return {c for row in FEATURES.by_surface(surface) for c in covered_checks(row.id)}


def test_every_check_declares_what_it_needs() -> None:
    undeclared = [c.id for c in CHECKS.all() if c.needs is None]
    assert undeclared == [], f"declare needs=... on @check for {undeclared} (see conformance/checks/needs.py)"


def test_every_row_is_covered_or_listed_with_a_reason() -> None:
    assert coverage_problems(FEATURES) == []
    assert set(ACTIVE_ONLY).isdisjoint(NOT_ROUTED_YET)
    unknown = [fid for fid in (*ACTIVE_ONLY, *NOT_ROUTED_YET) if fid not in FEATURES]
    assert unknown == [], f"coverage.py lists rows the catalogue does not have: {unknown}"
    assert all(len(reason) > 20 for reason in (*ACTIVE_ONLY.values(), *NOT_ROUTED_YET.values()))


@pytest.mark.parametrize("feature_id", list(ACTIVE_ONLY))
def test_active_only_rows_have_no_check_a_recording_could_add(feature_id: str) -> None:
    row = FEATURES.get(feature_id)
    graded = graded_on(row.surface)
    could = [c for c in row.checks if CHECKS.get(c).recordable and c not in graded]
    assert could == [], f"{feature_id}: {could} could run on one recording; move it to NOT_ROUTED_YET"


@pytest.mark.parametrize("feature_id", list(NOT_ROUTED_YET))
def test_rows_not_routed_yet_have_a_check_a_recording_could_add(feature_id: str) -> None:
    row = FEATURES.get(feature_id)
    graded = graded_on(row.surface)
    assert [c for c in row.checks if CHECKS.get(c).recordable and c not in graded], \
        f"{feature_id}: no check a recording could add; move it to ACTIVE_ONLY"


def test_routes_name_catalogue_rows() -> None:
    named = [*ROUTES, *(r for route in ROUTES.values() for r in route.refines)]
    assert [fid for fid in named if fid not in FEATURES] == []


def test_a_new_row_gets_derived_checks_once_routed(monkeypatch: pytest.MonkeyPatch) -> None:
    row = Feature("chat.logit_bias", Surface.CHAT, "logit_bias applies", Tier.OPTIONAL, "OAS", ("chat.logit_bias",),
                  ("sdk.parse", "schema.body", "http.json_content_type", "chat.usage"))
    catalogue = Catalogue((*FEATURES, row))
    for module in (coverage, derive):
        monkeypatch.setattr(module, "FEATURES", catalogue)
    assert coverage_problems(catalogue) == [f"chat.logit_bias: no passive coverage ({HOW})"]
    routes = {**ROUTES, row.id: Route(frozenset({Endpoint.CHAT_COMPLETIONS}), frozenset({Form.BODY}),
                                      lambda req: req.get("logit_bias") is not None)}
    for module in (coverage, derive):
        monkeypatch.setattr(module, "ROUTES", routes)
    assert covered_checks(row.id) == ("schema.body", "http.json_content_type", "chat.usage")
    assert coverage_problems(catalogue) == []


def test_assembled_stream_drops_checks_that_need_the_body_as_sent() -> None:
    assert passive_checks("chat.tool_choice.required", CAN_PROVIDE[Form.ASSEMBLED]) == \
        ("tools.forced_call", "tools.finish_reason", "tools.unique_ids")


def test_a_refining_row_leaves_the_checks_of_the_rows_it_refines() -> None:
    assert passive_checks("chat.parallel_tool_calls", CAN_PROVIDE[Form.BODY]) == ("tools.parallel_false",)


def test_errors_row_runs_what_the_exchange_shows() -> None:
    error, invalid = frozenset({Need.ERROR_ANSWER}), frozenset({Need.INVALID_REQUEST})
    assert passive_checks("chat.errors", error) == ("errors.envelope", "errors.envelope_complete")
    assert passive_checks("chat.errors", error | invalid) == ("errors.status_4xx", "errors.envelope",
                                                               "errors.envelope_complete")  # the cases: a flow
    assert passive_checks("chat.errors", frozenset({Need.BODY, Need.ANSWER}) | invalid) == ("errors.status_4xx",)
    assert refusal_checks(FEATURES.get("chat.errors").checks) == ("errors.envelope",)


def _exchange(request: dict, status: int, body: bytes, content_type: str) -> RecordedExchange:
    item = Interaction("mem.yaml", 1, Format.VCR_PLAIN, "POST", "https://api.example.test/v1/chat/completions",
                       request_body=json.dumps(request).encode(), status=status,
                       response_headers={"content-type": content_type}, body=body)
    return recorded_exchange(item)


_CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
          "choices": [{"index": 0, "delta": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}]}
_COMPLETION = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
               "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}]}


@pytest.mark.parametrize(("stream", "status", "invalid"), [(s, st, i) for s in (False, True) for st in (200, 400)
                                                           for i in (False, True)])
def test_readings_meet_only_what_their_form_can(stream: bool, status: int, invalid: bool) -> None:
    body = (f"data: {json.dumps(_CHUNK)}\n\ndata: [DONE]\n\n".encode() if stream else json.dumps(_COMPLETION).encode())
    ex = _exchange({"model": "m", "messages": [], "stream": stream, "tool_choice": "required", "tools": [{}]},
                   status, body, "text/event-stream" if stream else "application/json")
    found = readings(ex, Endpoint.CHAT_COMPLETIONS, invalid)
    assert [r.form for r in found] == ([Form.STREAM, Form.ASSEMBLED] if stream and status == 200 else
                                       [Form.STREAM] if stream else [Form.BODY])
    assert all(r.provided <= CAN_PROVIDE[r.form] for r in found)
