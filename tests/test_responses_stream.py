"""The Responses stream state machine on hand-built event lists: each rule passes a good stream, names the event."""

from __future__ import annotations

import copy
from typing import Any

from conformance.checks.responses_stream import created_first, deltas_join, items, sequence, terminal
from conformance.refserver.faults import NO_FAULTS
from conformance.refserver.responses_events import events as reference_events

MSG = "msg_1"


def _response(status: str, text: str | None = None) -> dict[str, Any]:
    output = [] if text is None else [{"id": MSG, "type": "message", "status": "completed", "role": "assistant",
                                       "content": [{"type": "output_text", "text": text, "annotations": []}]}]
    return {"id": "resp_1", "object": "response", "status": status, "output": output}


def good() -> list[dict[str, Any]]:
    """response.created ... response.completed for the text 'Hi there', numbered 0..n."""
    where = {"item_id": MSG, "output_index": 0, "content_index": 0}
    part = {"type": "output_text", "text": "", "annotations": []}
    rows = [
        {"type": "response.created", "response": _response("in_progress")},
        {"type": "response.in_progress", "response": _response("in_progress")},
        {"type": "response.output_item.added", "output_index": 0,
         "item": {"id": MSG, "type": "message", "status": "in_progress", "role": "assistant", "content": []}},
        {"type": "response.content_part.added", **where, "part": part},
        {"type": "response.output_text.delta", **where, "delta": "Hi"},
        {"type": "response.output_text.delta", **where, "delta": " there"},
        {"type": "response.output_text.done", **where, "text": "Hi there"},
        {"type": "response.content_part.done", **where, "part": dict(part, text="Hi there")},
        {"type": "response.output_item.done", "output_index": 0,
         "item": _response("completed", "Hi there")["output"][0]},
        {"type": "response.completed", "response": _response("completed", "Hi there")},
    ]
    return [dict(e, sequence_number=n) for n, e in enumerate(rows)]


RULES = (created_first, sequence, items, deltas_join, terminal)


def test_a_well_formed_stream_is_accepted_by_every_rule() -> None:
    assert [rule(good()) for rule in RULES] == [None] * len(RULES)


def test_the_reference_servers_own_stream_is_accepted_by_every_rule() -> None:
    final = _response("completed", "Hello from the reference server.")
    final["output"].insert(0, {"id": "fc_1", "type": "function_call", "status": "completed", "call_id": "call_1",
                               "name": "get_weather", "arguments": '{"city":"Paris"}'})
    stream = reference_events(final, NO_FAULTS)
    assert [rule(stream) for rule in RULES] == [None] * len(RULES)


def test_stream_not_starting_with_created_is_caught_at_event_0() -> None:
    stream = good()
    stream[0], stream[1] = stream[1], stream[0]
    problem = created_first(stream)
    assert problem is not None and problem.event == 0 and problem.observed == "response.in_progress"


def test_repeated_sequence_number_is_caught_where_it_repeats() -> None:
    stream = good()
    stream[4]["sequence_number"] = 3
    problem = sequence(stream)
    assert problem is not None and problem.event == 4 and problem.expected == "sequence_number > 3"


def test_missing_sequence_number_is_caught() -> None:
    stream = good()
    del stream[2]["sequence_number"]
    problem = sequence(stream)
    assert problem is not None and problem.event == 2


def test_content_part_before_its_item_is_out_of_order() -> None:
    stream = good()
    stream[2], stream[3] = stream[3], stream[2]
    problem = items(stream)
    assert problem is not None and problem.event == 2 and problem.observed == MSG


def test_delta_with_wrong_output_index_is_inconsistent() -> None:
    stream = good()
    stream[5]["output_index"] = 1
    problem = items(stream)
    assert problem is not None and problem.event == 5 and "output_index 0" in problem.expected


def test_delta_after_content_part_done_is_inconsistent() -> None:
    stream = good()
    stream.insert(8, copy.deepcopy(stream[5]))
    problem = items(stream)
    assert problem is not None and problem.event == 8


def test_item_done_while_its_part_is_open_is_inconsistent() -> None:
    stream = good()
    del stream[7]
    problem = items(stream)
    assert problem is not None and problem.event == 7 and "content_part.done" in problem.expected


def test_second_item_must_take_the_next_output_index() -> None:
    stream = good()
    added = copy.deepcopy(stream[2])
    added["item"]["id"] = "msg_2"
    added["output_index"] = 5
    stream.insert(9, added)
    problem = items(stream)
    assert problem is not None and problem.event == 9 and problem.observed == 5


def test_deltas_that_do_not_join_to_the_done_text_are_caught() -> None:
    stream = good()
    stream[5]["delta"] = " THERE"
    problem = deltas_join(stream)
    assert problem is not None and problem.event == 6 and problem.observed == "Hi there"


def test_final_response_text_must_equal_the_joined_deltas() -> None:
    stream = good()
    stream[-1]["response"]["output"][0]["content"][0]["text"] = "Something else"
    problem = deltas_join(stream)
    assert problem is not None and problem.observed == "Something else"


def test_two_terminal_events_are_caught_at_the_second() -> None:
    stream = good()
    stream.append(dict(copy.deepcopy(stream[-1]), type="response.failed", sequence_number=10))
    problem = terminal(stream)
    assert problem is not None and problem.event == 10 and problem.observed == "2 terminal events"


def test_missing_terminal_event_is_caught_at_the_end_of_stream() -> None:
    stream = good()[:-1]
    problem = terminal(stream)
    assert problem is not None and problem.event == len(stream) and problem.observed == "0 terminal events"


def test_events_after_the_terminal_event_are_caught() -> None:
    stream = good()
    stream.append({"type": "response.output_text.delta", "item_id": MSG, "output_index": 0, "content_index": 0,
                   "delta": "!", "sequence_number": 10})
    problem = terminal(stream)
    assert problem is not None and problem.event == 10


def test_terminal_event_about_another_response_is_caught() -> None:
    stream = good()
    stream[-1]["response"]["id"] = "resp_other"
    problem = terminal(stream)
    assert problem is not None and problem.observed == "resp_other"


def test_terminal_event_with_open_items_is_inconsistent() -> None:
    stream = good()
    del stream[8]
    problem = items(stream)
    assert problem is not None and problem.event == 8 and problem.observed == [MSG]
