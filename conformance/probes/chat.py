"""Chat Completions requests: small token limits, temperature 0, one call per name."""

from __future__ import annotations

from contextlib import suppress
from functools import partial
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from openai.types.shared_params import ResponseFormatJSONSchema

from ..catalogue.invalid import CHAT_CASES, UNKNOWN_MODEL
from . import fixtures as fx
from ._flows import attempt
from ._io import ProbeIO
from ._registry import request
from .chat_params import stop_word


def _stream(io: ProbeIO, **params: Any) -> list[Any]:
    return list(io.client.chat.completions.create(stream=True, **params))


@request("chat.basic", "chat", calls=2, max_tokens=32, prompt_tokens=400)
def basic(io: ProbeIO) -> Any:
    """Plain non-streamed completion; then step stop (the chat.stop row): the same request with the plain answer's
    second word as stop sequence, so the plain answer is the witness of what the stop must cut."""
    plain = io.client.chat.completions.create(model=io.model, messages=fx.HELLO, max_tokens=16, temperature=0)
    with io.step("stop"), suppress(openai.APIError):  # the stop step's answer is the stop row's, never basic's
        io.client.chat.completions.create(model=io.model, messages=fx.HELLO, max_tokens=16, temperature=0,
                                          stop=[stop_word(plain)])
    return plain


@request("chat.max_tokens", "chat", max_tokens=1, prompt_tokens=200)
def max_tokens(io: ProbeIO) -> Any:
    """max_tokens=1 must stop the answer with finish_reason length."""
    return io.client.chat.completions.create(model=io.model, messages=fx.HELLO, max_tokens=1, temperature=0)


@request("chat.stream", "chat", max_tokens=16, prompt_tokens=200)
def stream(io: ProbeIO) -> Any:
    """The chat.basic request, streamed."""
    return _stream(io, model=io.model, messages=fx.HELLO, max_tokens=16, temperature=0)


@request("chat.stream_usage", "chat", max_tokens=16, prompt_tokens=250)
def stream_usage(io: ProbeIO) -> Any:
    """Streamed with stream_options.include_usage."""
    return _stream(io, model=io.model, messages=fx.HELLO, max_tokens=16, temperature=0,
                   stream_options={"include_usage": True})


@request("chat.json_schema", "structured", max_tokens=64, prompt_tokens=400)
def json_schema(io: ProbeIO) -> Any:
    """Strict json_schema response_format."""
    fmt: ResponseFormatJSONSchema = {"type": "json_schema",
                                     "json_schema": {"name": "person", "strict": True, "schema": fx.PERSON_SCHEMA}}
    return io.client.chat.completions.create(model=io.model, messages=fx.PERSON_ASK, max_tokens=64, temperature=0,
                                          response_format=fmt)


@request("chat.json_object", "structured", max_tokens=32, prompt_tokens=200)
def json_object(io: ProbeIO) -> Any:
    """json_object response_format."""
    return io.client.chat.completions.create(model=io.model, messages=fx.JSON_ASK, max_tokens=32, temperature=0,
                                          response_format={"type": "json_object"})


def _tools(io: ProbeIO, choice: Any, messages: fx.Messages = fx.WEATHER_ASK) -> Any:
    return io.client.chat.completions.create(model=io.model, messages=messages, max_tokens=64, temperature=0,
                                          tools=fx.TOOLS, tool_choice=choice)


@request("chat.tools_auto", "tools", max_tokens=64, prompt_tokens=700)
def tools_auto(io: ProbeIO) -> Any:
    """tool_choice auto with a prompt that needs the weather tool."""
    return _tools(io, "auto")


@request("chat.tool_none", "tools", max_tokens=64, prompt_tokens=700)
def tool_none(io: ProbeIO) -> Any:
    """tool_choice none with the same prompt: no tool call allowed."""
    return _tools(io, "none")


@request("chat.tool_required", "tools", max_tokens=64, prompt_tokens=700)
def tool_required(io: ProbeIO) -> Any:
    """tool_choice required: some tool call is mandatory."""
    return _tools(io, "required")


@request("chat.tool_named", "tools", max_tokens=64, prompt_tokens=750)
def tool_named(io: ProbeIO) -> Any:
    """tool_choice names add_numbers while the prompt is about weather: the name must win."""
    return _tools(io, {"type": "function", "function": {"name": "add_numbers"}})


@request("chat.tool_first", "tools", max_tokens=64, prompt_tokens=700)
def tool_first(io: ProbeIO) -> Any:
    """Yandex's seed value tool_choice "first", read as: call the first declared tool."""
    return _tools(io, "first", fx.ADD_ASK)


@request("chat.stream_tools", "tools", max_tokens=64, prompt_tokens=750)
def stream_tools(io: ProbeIO) -> Any:
    """Streamed tool call under tool_choice required."""
    return _stream(io, model=io.model, messages=fx.WEATHER_ASK, max_tokens=64, temperature=0,
                   tools=fx.TOOLS, tool_choice="required")


@request("chat.invalid", "chat", expects_error=True, max_tokens=4, prompt_tokens=100)
def invalid(io: ProbeIO) -> Any:
    """A message with a role that does not exist must be refused with 4xx."""
    # Deliberately invalid: no SDK message type has the role "wizard" (hence the ignore below).
    return io.client.chat.completions.create(model=io.model, max_tokens=4,
                                          messages=[{"role": "wizard", "content": "hi"}])  # type: ignore[list-item,misc]


TWO_CITIES: fx.Messages = [{"role": "user", "content": "What is the weather in Paris and in Tokyo right now? Use the "
                            "tool for each city."}]


@request("chat.parallel_false", "tools", max_tokens=64, prompt_tokens=800)
def parallel_false(io: ProbeIO) -> Any:
    """Two cities, tool_choice required, parallel_tool_calls false: at most one call may come back."""
    return io.client.chat.completions.create(model=io.model, messages=TWO_CITIES, max_tokens=64, temperature=0,
                                          tools=fx.TOOLS, tool_choice="required", parallel_tool_calls=False)


@request("chat.unknown_param", "chat", expects_error=True, max_tokens=16, prompt_tokens=200)
def unknown_param(io: ProbeIO) -> Any:
    """top_k is no OpenAI parameter: OpenAI answers 400 naming it."""
    return io.client.chat.completions.create(model=io.model, messages=fx.HELLO, max_tokens=16, temperature=0,
                                          extra_body={"top_k": 3})


def _invalid_body(io: ProbeIO, label: str) -> dict[str, Any]:
    """The body of one invalid chat case (catalogue.invalid.CHAT_CASES): a valid request with one part broken."""
    valid: dict[str, Any] = {"model": io.model, "messages": fx.HELLO, "max_tokens": 4}
    if label == "missing_required":
        return {k: v for k, v in valid.items() if k != "messages"}
    if label == "wrong_type":
        return {**valid, "messages": "Say hello."}
    if label == "out_of_range":
        return {**valid, "temperature": 5}
    return {**valid, "model": UNKNOWN_MODEL}


@request("chat.invalid_cases", "chat", expects_error=True, calls=4, max_tokens=16, prompt_tokens=450)
def invalid_cases(io: ProbeIO) -> Any:
    """One step per invalid case; each request bypasses the SDK's own argument checks (client.post) so that the
    server, not the client, has to refuse it."""
    for case in CHAT_CASES:
        with io.step(case.label):
            attempt(partial(io.client.post, "/chat/completions", body=_invalid_body(io, case.label),
                            cast_to=ChatCompletion))
