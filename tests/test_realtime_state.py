"""The realtime session state machine and frame helpers, on hand-made sessions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.checks.realtime_events import state_problem
from conformance.realtime.events import canonical
from conformance.realtime.frames import Frame, WsSession

RID, IID = "resp_1", "item_1"
WHERE = {"response_id": RID, "item_id": IID, "output_index": 0, "content_index": 0}


def session(*events: dict[str, Any]) -> WsSession:
    """A 101 session whose server sent these events in order."""
    return WsSession("t", "ws://x/v1/realtime?model=m", 101,
                     [Frame.of("server", i / 100, json.dumps(e)) for i, e in enumerate(events)])


def good_turn() -> list[dict[str, Any]]:
    """A well-formed text response."""
    item = {"id": IID, "type": "message"}
    return [
        {"type": "session.created", "session": {}},
        {"type": "response.created", "response": {"id": RID}},
        {"type": "response.output_item.added", "response_id": RID, "output_index": 0, "item": item},
        {"type": "response.output_text.delta", **WHERE, "delta": "Hi"},
        {"type": "response.output_text.done", **WHERE, "text": "Hi"},
        {"type": "response.output_item.done", "response_id": RID, "output_index": 0, "item": item},
        {"type": "response.done", "response": {"id": RID}},
    ]


def test_a_well_formed_turn_has_no_problem() -> None:
    assert state_problem(session(*good_turn())) is None


def test_legacy_names_follow_the_same_machine() -> None:
    events = good_turn()
    events[3]["type"] = "response.text.delta"
    assert canonical("response.text.delta") == "response.output_text.delta"
    assert state_problem(session(*events)) is None


@pytest.mark.parametrize(("mutate", "where", "observed"), [
    (lambda ev: ev.insert(1, ev.pop(3)), "server frame #2 (response.output_text.delta)", "not in progress"),
    (lambda ev: ev.append(dict(ev[-1])), "server frame #8 (response.done)", "was not created or is done"),
    (lambda ev: ev.insert(5, ev.pop(4)), "server frame #6 (response.output_text.done)", "item item_1 is done"),
    (lambda ev: ev.insert(3, dict(ev[0])), "server frame #4 (session.created)", "session.created #2"),
    (lambda ev: ev.pop(2), "server frame #3 (response.output_text.delta)", "never announced"),
])
def test_out_of_order_events_are_named_with_their_frame(mutate, where: str, observed: str) -> None:  # type: ignore[no-untyped-def]
    events = good_turn()
    mutate(events)
    problem = state_problem(session(*events))
    assert problem is not None
    assert problem[0] == where and observed in problem[2]


def test_non_json_frames_are_kept_as_text() -> None:
    frame = Frame.of("server", 0.1, "keepalive")
    assert frame.event is None and frame.type == "" and frame.text == "keepalive"
    summary = WsSession("t", "ws://x/v1/realtime?model=m", 101, [Frame.of("client", 0, '{"type":"response.create"}')])
    assert summary.summary() == "WS /v1/realtime {model=m, events=response.create}"
