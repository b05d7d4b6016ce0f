"""Responses requests of issue 13 (part C): what `store: false` and `previous_response_id` leave behind, and a
forced function call streamed and then answered through the chain (each stored response is tracked and deleted;
a response nobody reads back is sent with store false)."""

from __future__ import annotations

from typing import Any

from . import material as m
from ._flows import attempt, gone, track_response
from ._io import ProbeIO
from ._registry import request

# A well-formed response id no server has issued (hex after `resp_`, as OpenAI's ids are).
UNKNOWN_RESPONSE_ID = "resp_" + "0" * 48
WEATHER_CHOICE = {"type": "function", "name": "get_weather"}
WEATHER_ONLY = [t for t in m.TOOLS if t["name"] == "get_weather"]  # the one tool forced: less prompt to pay for


def _create(io: ProbeIO, **params: Any) -> Any:
    """responses.create with the flow's model, greedy sampling and the smallest token cap OpenAI accepts."""
    params.setdefault("max_output_tokens", 16)
    params.setdefault("temperature", 0)
    return io.client.responses.create(model=io.model, **params)


def _tracked(io: ProbeIO, **params: Any) -> Any:
    """Create a response and track it for deletion (a refusal is evidence: None)."""
    response = attempt(lambda: _create(io, **params))
    if response is not None:
        track_response(io, response.id)
    return response


@request("responses.state", "chat", retry=False, calls=7, max_tokens=48, prompt_tokens=400)
def state(io: ProbeIO) -> Any:
    """Step unstored (store false), retrieve_unstored (must be 404), chain_unstored (previous_response_id at it:
    must be 4xx), chain_unknown (an id nobody issued: must be 4xx). Whatever a server stores anyway is deleted."""
    with io.step("unstored"):
        unstored = attempt(lambda: _create(io, input=m.HELLO, store=False))
    if unstored is not None:
        ident = unstored.id
        with io.step("retrieve_unstored"):
            if not gone(lambda: io.client.responses.retrieve(ident)):
                track_response(io, ident)  # stored anyway (or refused otherwise): the cleanup deletes it
        with io.step("chain_unstored"):
            _tracked(io, input=m.HELLO, previous_response_id=ident)
    with io.step("chain_unknown"):
        return _tracked(io, input=m.HELLO, previous_response_id=UNKNOWN_RESPONSE_ID)


def _streamed_call(events: list[Any]) -> tuple[str | None, Any]:
    """The streamed response's id and its first function_call item (from output_item.done or the final response)."""
    ident, call = None, None
    for event in events:
        carried = getattr(event, "response", None)
        if carried is not None and getattr(carried, "id", None):
            ident = carried.id
            call = call or next((i for i in carried.output or [] if getattr(i, "type", None) == "function_call"),
                                None)
        item = getattr(event, "item", None)
        if event.type == "response.output_item.done" and getattr(item, "type", None) == "function_call":
            call = call or item
    return ident, call


@request("responses.tool_stream", "tools", retry=False, calls=3, max_tokens=64, prompt_tokens=1050)
def tool_stream(io: ProbeIO) -> Any:
    """Step call streams a call forced by name; step answer sends its function_call_output with only
    previous_response_id pointing at the streamed response (the chain must still hold the function_call)."""
    with io.step("call"):
        events = attempt(lambda: list(_create(io, input=m.WEATHER, tools=WEATHER_ONLY, tool_choice=WEATHER_CHOICE,
                                              max_output_tokens=32, stream=True))) or []
    ident, call = _streamed_call(events)
    if ident is None:
        return events
    track_response(io, ident)
    if call is None:
        return events
    output = [{"type": "function_call_output", "call_id": call.call_id, "output": m.TOOL_OUTPUT}]
    with io.step("answer"):  # store false: only the streamed response is read back (through the chain)
        attempt(lambda: _create(io, input=output, previous_response_id=ident, tools=WEATHER_ONLY,
                                max_output_tokens=32, store=False))
    return events


# A finished two-turn history to compact, as easy input messages (the OAS example sends the same two turns).
COMPACT_INPUT = [{"role": "user", "content": m.REMEMBER}, {"role": "assistant", "content": "OK."}]


@request("responses.compact", "chat", calls=1, max_tokens=64, prompt_tokens=150)
def compact(io: ProbeIO) -> Any:
    """POST /responses/compact on a two-item history (stores nothing; /responses/compact takes no output limit, so
    max_tokens is an estimate of a compaction summary of two short items)."""
    return io.client.responses.compact(model=io.model, input=COMPACT_INPUT)  # type: ignore[arg-type]
