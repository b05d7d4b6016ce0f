"""Responses API requests and flows: a request stores a response only when its row reads it back (retrieve, chain,
stream replay, background); every other one sends `store: false`, so nothing is left to delete. Every stored
response a probe creates is tracked and deleted."""

from __future__ import annotations

from functools import partial
from typing import Any

from openai.types.responses import Response

from ..catalogue.invalid import RESPONSES_CASES, UNKNOWN_MODEL
from ..grading import NO_ROUTE_STATUSES
from . import material as m
from ._flows import attempt, confirm_deleted, poll, refusal, status_is, track_response
from ._io import ProbeIO
from ._registry import request

TERMINAL = ("completed", "failed", "incomplete", "cancelled")
CANCEL_LIMIT = 200  # the response to cancel: long enough to be still running when the cancel arrives


def _create(io: ProbeIO, **params: Any) -> Any:
    """responses.create with the flow's model, greedy sampling and a token cap unless given."""
    params.setdefault("max_output_tokens", 32)
    params.setdefault("temperature", 0)
    return io.client.responses.create(model=io.model, **params)


def _tracked(io: ProbeIO, **params: Any) -> Any:
    """Create a response and track it for deletion."""
    response = _create(io, **params)
    track_response(io, response.id)
    return response


def _unstored(io: ProbeIO, **params: Any) -> Any:
    """Create a response with `store: false` (OAS CreateResponse.store): its row reads only this answer."""
    return _create(io, store=False, **params)


@request("responses.stream", "chat", retry=False, calls=3, max_tokens=32, prompt_tokens=100)
def stream(io: ProbeIO) -> Any:
    """The basic request streamed, then step `retrieve` fetches what was stored."""
    events, ident = [], None
    for event in _create(io, input=m.HELLO, stream=True):
        events.append(event)
        carried = getattr(event, "response", None)
        if ident is None and carried is not None and getattr(carried, "id", None):
            ident = carried.id
            track_response(io, ident)
    if ident:
        with io.step("retrieve"):
            attempt(lambda: io.client.responses.retrieve(ident))
    return events


@request("responses.lifecycle", "chat", retry=False, calls=7, max_tokens=32, prompt_tokens=100)
def lifecycle(io: ProbeIO) -> Any:
    """Steps create (a plain text response: the responses.basic row), retrieve, input_items, delete, after_delete
    (must be 404)."""
    with io.step("create"):
        created = _tracked(io, input=m.HELLO)
    ident = created.id
    with io.step("retrieve"):
        attempt(lambda: io.client.responses.retrieve(ident))
    with io.step("input_items"):
        attempt(lambda: io.client.responses.input_items.list(ident))
    with io.step("delete"):
        attempt(lambda: io.client.responses.delete(ident))
    confirm_deleted(io, "response", ident, lambda: io.client.responses.retrieve(ident),
                    lambda: io.client.responses.delete(ident))
    return created


@request("responses.previous", "chat", retry=False, calls=3, max_tokens=64, prompt_tokens=350)
def previous(io: ProbeIO) -> Any:
    """Step first gives a code word; step second asks for it with previous_response_id only."""
    with io.step("first"):
        first = _tracked(io, input=m.REMEMBER)
    with io.step("second"):
        return attempt(lambda: _unstored(io, input=m.RECALL, previous_response_id=first.id))


@request("responses.instructions", "chat", retry=False, max_tokens=32, prompt_tokens=170)
def instructions(io: ProbeIO) -> Any:
    """instructions carry a code word the answer must contain."""
    return _unstored(io, input=m.HELLO, instructions=m.INSTRUCTIONS)


@request("responses.function_round", "tools", retry=False, calls=3, max_tokens=128, prompt_tokens=1500)
def function_round(io: ProbeIO) -> Any:
    """Step call must yield a function_call; step result sends its function_call_output back."""
    with io.step("call"):
        first = _tracked(io, input=m.WEATHER, tools=m.TOOLS, max_output_tokens=64)
    calls = [item for item in first.output if getattr(item, "type", None) == "function_call"]
    if not calls:
        return first
    output = [{"type": "function_call_output", "call_id": calls[0].call_id, "output": m.TOOL_OUTPUT}]
    with io.step("result"):
        return attempt(lambda: _unstored(io, input=output, previous_response_id=first.id, tools=m.TOOLS,
                                         max_output_tokens=64))


@request("responses.tool_choice", "tools", retry=False, calls=2, max_tokens=128, prompt_tokens=1430)
def tool_choice(io: ProbeIO) -> Any:
    """Step named forces add_numbers on a weather prompt; step required forces some call."""
    with io.step("named"):
        attempt(lambda: _unstored(io, input=m.WEATHER, tools=m.TOOLS, max_output_tokens=64,
                                  tool_choice={"type": "function", "name": "add_numbers"}))
    with io.step("required"):
        return attempt(lambda: _unstored(io, input=m.WEATHER, tools=m.TOOLS, max_output_tokens=64,
                                         tool_choice="required"))


@request("responses.text_format", "structured", retry=False, calls=2, max_tokens=128, prompt_tokens=550)
def text_format(io: ProbeIO) -> Any:
    """Steps json_schema (strict) and json_object of text.format."""
    with io.step("json_schema"):
        attempt(lambda: _unstored(io, input=m.PERSON, text={"format": m.PERSON_FORMAT}, max_output_tokens=64))
    with io.step("json_object"):
        return attempt(lambda: _unstored(io, input=m.JSON_OK, text={"format": {"type": "json_object"}},
                                         max_output_tokens=64))


@request("responses.max_output_tokens", "chat", retry=False, max_tokens=16, prompt_tokens=120)
def max_output_tokens(io: ProbeIO) -> Any:
    """A long answer capped at 16 tokens (OpenAI's minimum) must end incomplete."""
    return _unstored(io, input=m.COUNT, max_output_tokens=16)


@request("responses.truncation", "chat", retry=False, max_tokens=32, prompt_tokens=120)
def truncation(io: ProbeIO) -> Any:
    """truncation auto."""
    return _unstored(io, input=m.HELLO, truncation="auto")


@request("responses.temperature", "chat", retry=False, max_tokens=32, prompt_tokens=100)
def temperature(io: ProbeIO) -> Any:
    """temperature 1.5: inside OpenAI's 0-2, outside a 0-1 range."""
    return _unstored(io, input=m.HELLO, temperature=1.5)


@request("responses.background", "chat", retry=False, calls=6, polls=1, max_tokens=32 + CANCEL_LIMIT, prompt_tokens=250)
def background(io: ProbeIO) -> Any:
    """Step create (background), polls until terminal; step cancel cancels a second background response (when the
    cancel is refused for a reason other than a missing route, step after_cancel retrieves it)."""
    with io.step("create"):
        queued = _tracked(io, input=m.HELLO, background=True)
    poll(io, "poll", lambda: io.client.responses.retrieve(queued.id), status_is(*TERMINAL))
    with io.step("cancel_create"):
        other = attempt(lambda: _tracked(io, input=m.COUNT, background=True, max_output_tokens=CANCEL_LIMIT))
    if other is not None:
        with io.step("cancel"):
            refused = refusal(lambda: io.client.responses.cancel(other.id))
        if refused is not None and refused not in NO_ROUTE_STATUSES:
            # refused, not absent: step after_cancel tells "already finished" from "refused while running"
            with io.step("after_cancel"):
                attempt(lambda: io.client.responses.retrieve(other.id))
    return queued


@request("responses.invalid", "chat", expects_error=True, retry=False, max_tokens=32, prompt_tokens=120)
def invalid(io: ProbeIO) -> Any:
    """An input message with a role that does not exist must be refused with 4xx."""
    return _unstored(io, input=[{"role": "wizard", "content": "hi"}])


def _invalid_body(io: ProbeIO, label: str) -> dict[str, Any]:
    """The body of one invalid Responses case (catalogue.invalid.RESPONSES_CASES)."""
    valid: dict[str, Any] = {"model": io.model, "input": m.HELLO, "max_output_tokens": 16, "store": False}
    if label == "missing_required":
        return {k: v for k, v in valid.items() if k != "model"}
    if label == "wrong_type":
        return {**valid, "input": 42}
    if label == "out_of_range":
        return {**valid, "temperature": 5}
    return {**valid, "model": UNKNOWN_MODEL}


@request("responses.invalid_cases", "chat", expects_error=True, retry=False, calls=4, max_tokens=64,
         prompt_tokens=300)  # four cases, none stored
def invalid_cases(io: ProbeIO) -> Any:
    """One step per invalid case, sent with client.post so that the server has to refuse it (store false: a server
    that answers one anyway keeps nothing)."""
    for case in RESPONSES_CASES:
        with io.step(case.label):
            attempt(partial(io.client.post, "/responses", body=_invalid_body(io, case.label), cast_to=Response))
