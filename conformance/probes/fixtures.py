"""Fixed request material shared by probes and checks: prompts, tools, schemas (no model wording is asserted)."""

from __future__ import annotations

from typing import Any

from openai.types.chat import ChatCompletionFunctionToolParam, ChatCompletionMessageParam

Messages = list[ChatCompletionMessageParam]  # a Chat Completions `messages` value, as the SDK types it

SYSTEM = "You are a terse assistant. Answer in at most five words."
HELLO: Messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Say hello."}]

WEATHER_TOOL: ChatCompletionFunctionToolParam = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}},
            "required": ["city"],
            "additionalProperties": False,
        },
    },
}
ADD_TOOL: ChatCompletionFunctionToolParam = {
    "type": "function",
    "function": {
        "name": "add_numbers",
        "description": "Add two integers.",
        "parameters": {
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "required": ["a", "b"],
            "additionalProperties": False,
        },
    },
}
TOOLS: list[ChatCompletionFunctionToolParam] = [WEATHER_TOOL, ADD_TOOL]
WEATHER_ASK: Messages = [{"role": "user", "content": "What is the weather in Paris right now? Use the tool."}]
ADD_ASK: Messages = [{"role": "user", "content": "Please add 2 and 3 with the tool."}]

PERSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "additionalProperties": False,
}
PERSON_ASK: Messages = [{"role": "user", "content": "Invent a person. Reply as JSON with name and age."}]
JSON_ASK: Messages = [{"role": "user", "content": "Reply with a JSON object with a key \"ok\" set to true."}]

EMBED_ONE = "The quick brown fox."
EMBED_MANY = ["first input", "second input", "third input"]
