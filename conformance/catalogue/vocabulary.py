"""OpenAI request vocabulary the catalogue's rows are about: roles, tool_choice values, formats (data only).

One place for the values passive lint judges recorded requests by and the reference server validates against;
provider extensions are listed apart from OpenAI's own values, each with who sends it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..schemas import schema

# Chat Completions message roles OpenAI accepts ("function" is deprecated but still accepted).
CHAT_ROLES: tuple[str, ...] = ("system", "developer", "user", "assistant", "tool", "function")
# Roles of input messages in the Responses API.
RESPONSES_INPUT_ROLES: tuple[str, ...] = ("user", "assistant", "system", "developer")

# tool_choice string values OpenAI accepts (besides a named function object).
TOOL_CHOICES: tuple[str, ...] = ("none", "auto", "required")
# String values providers send that OpenAI does not, graded elsewhere rather than called invalid.
TOOL_CHOICE_EXTENSIONS: Mapping[str, str] = MappingProxyType({
    "first": "Yandex AI Studio seed value: call the first declared tool (own row chat.tool_choice.first)",
    "any": "Mistral: the same as required",
})
KNOWN_TOOL_CHOICES: tuple[str, ...] = TOOL_CHOICES + tuple(TOOL_CHOICE_EXTENSIONS)

# Chat Completions response_format types.
RESPONSE_FORMATS: tuple[str, ...] = ("text", "json_object", "json_schema")
# Embeddings encoding_format values.
EMBEDDING_FORMATS: tuple[str, ...] = ("float", "base64")
# The media type of a streamed (SSE) answer.
EVENT_STREAM = "text/event-stream"


def _listed(name: str) -> frozenset[str]:
    """The parameter names schemagen listed from the SDK's request types (schemas/<name>.json)."""
    return frozenset(schema(name)["propertyNames"]["enum"])


# Top-level request parameters the official SDK knows, per endpoint (wire.endpoints value): OpenAI accepts these;
# anything else was sent through `extra_body` (shown as such in evidence; chat.unknown_params grades it).
CHAT_PARAMS: frozenset[str] = _listed("chat.completion.params")
KNOWN_PARAMS: Mapping[str, frozenset[str]] = MappingProxyType({
    "chat.completions": CHAT_PARAMS,
    "responses.create": _listed("responses.create.params"),
    "embeddings": _listed("embeddings.create.params"),
})
