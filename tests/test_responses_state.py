"""Issue 13 (part C): a 404 about the previous response a request names is about that reference, not a route."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.grading import is_endpoint_absent
from conformance.wire.exchange import Exchange, error_about_reference

CHAIN = {"model": "m", "input": "hi", "previous_response_id": "resp_abc123"}


def _answer(status: int, body: dict[str, Any], request: dict[str, Any] = CHAIN) -> Exchange:
    return Exchange("responses.state:chain_unknown", "POST", "http://127.0.0.1/v1/responses",
                    request_body=json.dumps(request).encode(), status=status, raw=bytearray(json.dumps(body).encode()))


@pytest.mark.parametrize("error", [
    {"message": "Previous response with id 'resp_abc123' not found.", "type": "invalid_request_error"},
    {"message": "not found", "type": "invalid_request_error", "param": "previous_response_id"},
    {"message": "not found", "type": "invalid_request_error", "code": "previous_response_not_found"},
])
def test_a_404_naming_the_previous_response_is_not_a_missing_route(error: dict[str, Any]) -> None:
    answer = _answer(404, {"error": error})
    assert error_about_reference(answer)
    assert not is_endpoint_absent(404, names_resource=False, about_model=error_about_reference(answer))


def test_a_404_about_the_url_is_still_a_missing_route() -> None:
    answer = _answer(404, {"error": {"message": "Invalid URL (POST /v1/responses)", "type": "invalid_request_error"}})
    assert not error_about_reference(answer)
    assert is_endpoint_absent(404, names_resource=False, about_model=error_about_reference(answer))


def test_a_request_without_a_previous_response_names_nothing_more() -> None:
    answer = _answer(404, {"error": {"message": "Not Found", "type": "not_found_error"}},
                     {"model": "m", "input": "hi"})
    assert not error_about_reference(answer)
