"""Chat Completions requests: small token limits, temperature 0, one call per name."""

from __future__ import annotations

from typing import Any

from openai import OpenAI

from . import fixtures as fx
from ._registry import request


def _stream(client: OpenAI, **params: Any) -> list[Any]:
    return list(client.chat.completions.create(stream=True, **params))


@request("chat.basic", "chat")
def basic(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """Plain non-streamed completion."""
    return client.chat.completions.create(model=model, messages=fx.HELLO, max_tokens=16, temperature=0)


@request("chat.max_tokens", "chat")
def max_tokens(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """max_tokens=1 must stop the answer with finish_reason length."""
    return client.chat.completions.create(model=model, messages=fx.HELLO, max_tokens=1, temperature=0)


@request("chat.stream", "chat")
def stream(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """The chat.basic request, streamed."""
    return _stream(client, model=model, messages=fx.HELLO, max_tokens=16, temperature=0)


@request("chat.stream_usage", "chat")
def stream_usage(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """Streamed with stream_options.include_usage."""
    return _stream(client, model=model, messages=fx.HELLO, max_tokens=16, temperature=0,
                   stream_options={"include_usage": True})


@request("chat.json_schema", "structured")
def json_schema(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """Strict json_schema response_format."""
    fmt = {"type": "json_schema", "json_schema": {"name": "person", "strict": True, "schema": fx.PERSON_SCHEMA}}
    return client.chat.completions.create(model=model, messages=fx.PERSON_ASK, max_tokens=64, temperature=0,
                                          response_format=fmt)


@request("chat.json_object", "structured")
def json_object(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """json_object response_format."""
    return client.chat.completions.create(model=model, messages=fx.JSON_ASK, max_tokens=32, temperature=0,
                                          response_format={"type": "json_object"})


def _tools(client: OpenAI, model: str, choice: Any, messages: list[dict[str, Any]] = fx.WEATHER_ASK) -> Any:
    return client.chat.completions.create(model=model, messages=messages, max_tokens=64, temperature=0,
                                          tools=fx.TOOLS, tool_choice=choice)


@request("chat.tools_auto", "tools")
def tools_auto(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """tool_choice auto with a prompt that needs the weather tool."""
    return _tools(client, model, "auto")


@request("chat.tool_none", "tools")
def tool_none(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """tool_choice none with the same prompt: no tool call allowed."""
    return _tools(client, model, "none")


@request("chat.tool_required", "tools")
def tool_required(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """tool_choice required: some tool call is mandatory."""
    return _tools(client, model, "required")


@request("chat.tool_named", "tools")
def tool_named(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """tool_choice names add_numbers while the prompt is about weather: the name must win."""
    return _tools(client, model, {"type": "function", "function": {"name": "add_numbers"}})


@request("chat.tool_first", "tools")
def tool_first(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """Yandex's seed value tool_choice "first", read as: call the first declared tool."""
    return _tools(client, model, "first", fx.ADD_ASK)


@request("chat.stream_tools", "tools")
def stream_tools(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """Streamed tool call under tool_choice required."""
    return _stream(client, model=model, messages=fx.WEATHER_ASK, max_tokens=64, temperature=0,
                   tools=fx.TOOLS, tool_choice="required")


@request("chat.invalid", "chat", expects_error=True)
def invalid(client: OpenAI, model: str, opts: dict[str, Any]) -> Any:
    """A message with a role that does not exist must be refused with 4xx."""
    return client.chat.completions.create(model=model, max_tokens=4,
                                          messages=[{"role": "wizard", "content": "hi"}])  # type: ignore[list-item,misc]
