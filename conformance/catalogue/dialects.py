"""Dialects that are still OpenAI (principle 4): what a strict reading would flag, but the OpenAPI spec or the SDK's
own types and code make valid. Data only; the checks that apply each rule name its id.

Each rule holds for every provider and in every mode (active runs and passive lint alike): it is derived from the
spec or the SDK, never from one recording. `conformance lint` keeps no per-recording exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """One documented rule: what is accepted, where it is applied, and the spec or SDK location justifying it."""

    id: str
    accepts: str
    applied_by: tuple[str, ...]
    justification: str


DIALECTS: tuple[Dialect, ...] = (
    Dialect("answer-forms",
            "an assistant message whose content is null while refusal, audio, tool_calls or function_call carries "
            "the answer (a refusal replaces the JSON of a structured output: nothing to validate)",
            ("chat.assistant_message", "chat.json_schema_valid", "chat.json_object_valid"),
            "SDK openai.types.chat.ChatCompletionMessage: content, refusal, audio, tool_calls and function_call are "
            "all Optional; OAS ChatCompletionResponseMessage.content is anyOf [string, null]"),
    Dialect("azure-deployment-routing",
            "no `model` in the body of a request whose URL routes by deployment (/deployments/{name}/...)",
            ("lint: an invalid request",),
            "SDK openai/lib/azure.py `_deployments_endpoints`: AzureOpenAI moves `model` into "
            "/deployments/{model}/ for /chat/completions, /embeddings, /completions, audio and images"),
    Dialect("azure-filter-annotations",
            "stream events whose `object` is \"\" (asynchronous content-filter annotations) are not chunks",
            ("stream.*", "lint: assembled streams"),
            "SDK openai/lib/streaming/chat/_completions.py `_is_valid_chat_completion_chunk_weak`: the stream "
            "helper skips exactly these events"),
    Dialect("realtime-out-of-band",
            "a Realtime session attached to an existing call (`call_id`, sideband / WebRTC) starts without "
            "session.created; a log that records no URL and no session.created at all cannot tell, so it is not "
            "graded on it",
            ("realtime.session_created_first",),
            "SDK client.realtime.connect(call_id=...): 'To join an existing call, set call_id instead' of model"),
    Dialect("error-fields-nullable",
            "an error object whose `type`, `param` or `code` is null (never another type)",
            ("errors.envelope", "errors.envelope_complete"),
            "SDK openai._exceptions.APIError: type, param and code are Optional[str]; OAS Error: code and param "
            "anyOf [string, null]"),
    Dialect("named-tool-choice-stop",
            "finish_reason stop on an answer whose tool_choice named the function",
            ("tools.finish_reason",),
            "SDK ChatCompletion Choice.finish_reason allows stop; OpenAI answers a named tool_choice with stop "
            "(the call was forced, not chosen)"),
)


def dialect(dialect_id: str) -> Dialect:
    """The rule with this id (KeyError names it)."""
    for rule in DIALECTS:
        if rule.id == dialect_id:
            return rule
    raise KeyError(dialect_id)
