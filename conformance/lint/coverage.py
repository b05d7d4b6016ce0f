"""Which catalogue rows passive lint grades, and why the others are not graded (tests/test_lint_coverage.py).

A row is covered when a route (lint.routes) sends recorded exchanges to it and at least one of its checks can run
on a reading of that form. Every other row is listed here with its reason: ACTIVE_ONLY when no recording of one
exchange can show what its own checks need (flow steps, generated cases, the probe's script), NOT_ROUTED_YET when
its checks could read one recorded exchange but lint does not route that traffic yet.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..catalogue import FEATURES
from ..catalogue.other_rows import ENDPOINTS as OTHER_ENDPOINTS
from .derive import passive_checks
from .readings import CAN_PROVIDE
from .routes import ROUTES

_FLOW = "every check reads the labelled steps of a flow ({steps}); one recorded exchange has none of them"
_GENERATED = ("its check reads the hypothesis-generated cases of one run (`{flow}:caseN`); a single recorded "
              "request of that kind is graded under {row}")
_RESPONSES = ("lint does not route Responses API traffic yet (counted as `responses.create: no passive checks "
              "yet`); {what} read one recorded answer and could be graded passively")
_SESSION = ("a session log is graded as a whole under realtime.connect and realtime.event_names; which probe "
            "script it follows ({script}) is not told apart yet, though {checks} read only the log")

ACTIVE_ONLY: Mapping[str, str] = {
    "chat.json_schema.generated": _GENERATED.format(flow="chat.generated_json", row="chat.json_schema"),
    "chat.tools.generated": _GENERATED.format(flow="chat.generated_tools", row="chat.tool_choice.named"),
    "responses.retrieve": _FLOW.format(steps="create, retrieve"),
    "responses.delete": _FLOW.format(steps="create, delete, retrieve after the delete"),
    "responses.input_items": _FLOW.format(steps="create, list its input items"),
    "responses.previous_response_id": _FLOW.format(steps="two turns linked by previous_response_id"),
    "responses.tools.function": _FLOW.format(steps="function_call, then function_call_output"),
    "responses.tool_choice": _FLOW.format(steps="a named and a required tool_choice request"),
    "responses.text_format": _FLOW.format(steps="a json_schema and a json_object request"),
    "responses.background": _FLOW.format(steps="create, poll, cancel"),
    "responses.file_search": _FLOW.format(steps="files.store's upload, attach and poll, then a file_search turn"),
    "conversations.crud": _FLOW.format(steps="create, retrieve, update, delete"),
    "conversations.items": _FLOW.format(steps="add, list, retrieve and delete items"),
    "conversations.with_responses": _FLOW.format(steps="a conversation and two responses in it"),
    "files.crud": _FLOW.format(steps="upload, list, retrieve, download, delete"),
    "vector_stores.crud": _FLOW.format(steps="create, retrieve, update, list, delete"),
    "vector_stores.files": _FLOW.format(steps="upload, attach, poll, list, detach"),
    "vector_stores.file_batches": _FLOW.format(steps="a file batch, polled, its files listed"),
    "vector_stores.search": _FLOW.format(steps="upload, poll, search"),
    "responses.store_false": _FLOW.format(steps="a store-false create, its retrieve, a chain on it"),
    "responses.previous_with_tools": _FLOW.format(steps="a streamed forced call, then its function_call_output"),
    "chat.models_usable": _FLOW.format(steps="GET /models, then one chat request per chat-capable listed id"),
    "chat.seed": "its check compares two answers to the same seeded request (flow steps first, second); one "
                 "recorded exchange is one answer",
    "chat.sampling_ranges": "its check reads its flow's out-of-range step (top_p 1.5) and chat.errors' temperature 5 "
                            "case; one recorded exchange cannot tell a clamped value from a refused one's twin",
    "realtime.session_update": "its own check compares session.updated with what the probe's session.update set; "
                               "the frame checks it shares are graded on every log under realtime.connect",
    "realtime.errors": "its own checks look for the error answering the probe's invalid event (by its event_id); "
                       "the frame checks it shares are graded on every log under realtime.connect",
}

_OTHER = ("lint classifies no request to POST {path} yet (wire.endpoints: unknown); other.route_present reads one "
          "recorded answer and could be graded passively")

NOT_ROUTED_YET: Mapping[str, str] = {
    **{name: _OTHER.format(path=path) for path, name, _schema in OTHER_ENDPOINTS},
    "responses.basic": _RESPONSES.format(what="its output, status, usage, id and created_at checks"),
    "responses.stream": _RESPONSES.format(what="its event checks (not matches_retrieve, a flow step)"),
    "responses.instructions": _RESPONSES.format(what="schema.body and instructions_echo"),
    "responses.max_output_tokens": _RESPONSES.format(what="schema.body and incomplete_max_tokens"),
    "responses.truncation": _RESPONSES.format(what="schema.body and truncation_echo"),
    "responses.temperature_range": _RESPONSES.format(what="schema.body and temperature_echo"),
    "responses.errors": _RESPONSES.format(what="errors.status_4xx and the envelope checks"),
    "responses.previous_not_found": _RESPONSES.format(what="errors.status_4xx, the envelope checks and "
                                                        "previous_not_found_code"),
    "responses.stream.tool_call_events": _RESPONSES.format(what="its event checks and function_call_events"),
    "responses.compact": _RESPONSES.format(what="schema.body and compacted"),
    "responses.websocket": "lint reads WebSocket session logs as Realtime sessions (graded under realtime.connect); "
                           "a Responses WebSocket log (GET /v1/responses upgraded) is not told apart yet, though "
                           "its checks (event schema, turn events, completed, continuation) read only the log",
    "realtime.text": _SESSION.format(script="text in, text out", checks="response_done and deltas_join"),
    "realtime.tools": _SESSION.format(script="a forced tool call round", checks="response_done, deltas_join and "
                                      "tool_round"),
    "realtime.audio": _SESSION.format(script="audio append and commit", checks="response_done and audio_committed"),
}


def covered_checks(feature_id: str) -> tuple[str, ...]:
    """The row's checks lint can grade on some reading its route admits (empty: not covered)."""
    route = ROUTES.get(feature_id)
    if route is None:
        return ()
    found = [c for form in route.forms for c in passive_checks(feature_id, CAN_PROVIDE[form])]
    return tuple(c for c in FEATURES.get(feature_id).checks if c in found)
