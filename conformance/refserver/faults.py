"""Named faults of the reference server, as data: what each breaks and which check ids it must kill."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """A switchable deviation; `kills` are the check ids it must make fail (outcome failed or ignored)."""

    name: str
    description: str
    kills: tuple[str, ...]


class FaultRegistry:
    """Name-unique registry of faults; a duplicate name raises ValueError."""

    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}

    def register(self, fault: Fault) -> Fault:
        """Add a fault; ValueError when its name is taken."""
        if fault.name in self._faults:
            raise ValueError(f"duplicate fault name {fault.name!r}")
        self._faults[fault.name] = fault
        return fault

    def get(self, name: str) -> Fault:
        """The fault with this name; ValueError naming it when unknown."""
        try:
            return self._faults[name]
        except KeyError:
            raise ValueError(f"unknown fault {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._faults

    def all(self) -> list[Fault]:
        """Every registered fault, in registration order."""
        return list(self._faults.values())

    def names(self) -> list[str]:
        """Every registered fault name, in registration order."""
        return list(self._faults)

    def validate(self, names: Iterable[str]) -> set[str]:
        """The names as a set; ValueError naming the first unknown one."""
        found = set()
        for name in names:
            self.get(name)
            found.add(name)
        return found


FAULTS = FaultRegistry()

_SB = ("schema.body",)
_DEFINITIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # non-streamed bodies
    ("created_string", "`created` is a string in non-streamed bodies", _SB),
    ("missing_object", "The `object` field is dropped from non-streamed chat, embeddings and model bodies", _SB),
    ("invalid_json_body", "2xx non-streamed JSON bodies are truncated mid-document", ("sdk.parse", "schema.body")),
    ("wrong_content_type", "Non-streamed JSON is sent as Content-Type text/plain", ("http.json_content_type",)),
    # models
    ("models_empty", "GET /models lists no model", ("models.nonempty", "models.configured_listed")),
    ("model_id_mismatch", "GET /models/{id} returns a different id", ("models.retrieve_id",)),
    # chat
    ("bare_uuid_ids", "The completion id is a bare UUID without chatcmpl-", ("chat.id_format",)),
    ("not_assistant", "The message role is `model` instead of assistant", ("chat.assistant_message",)),
    ("usage_wrong_total", "usage.total_tokens is off by one", ("chat.usage",)),
    ("max_tokens_ignored", "max_tokens is ignored: full answer, finish_reason stop", ("chat.finish_length",)),
    ("json_schema_not_enforced", "json_schema is answered with plain text", ("chat.json_schema_valid",)),
    ("json_schema_wrong_type", "json_schema is answered with JSON whose `age` is a string",
     ("chat.json_schema_valid",)),
    ("json_object_not_json", "json_object is answered with plain text", ("chat.json_object_valid",)),
    # tools
    ("tool_choice_ignored", "Any tool_choice (even invalid) is accepted and answered with plain text",
     ("tools.forced_call", "tools.named_call", "stream.tool_deltas", "tools.auto_called")),
    ("tool_wrong_name", "A named tool_choice calls a different declared tool", ("tools.named_call",)),
    ("tool_choice_none_ignored", "tool_choice none still calls a tool", ("tools.none_no_call",)),
    ("tool_args_object", "function.arguments is a JSON object instead of a string", ("tools.call_shape",)),
    ("tool_args_invalid", "function.arguments misses required properties", ("tools.call_shape",)),
    ("tool_finish_stop", "finish_reason stop on an answer with tool calls", ("tools.finish_reason",)),
    ("tool_id_is_name", "The tool call id equals the function name", ("tools.unique_ids",)),
    ("accept_tool_choice_first", "tool_choice \"first\" is accepted and calls the first declared tool", ()),
    ("first_calls_last", "tool_choice \"first\" is accepted but calls the last declared tool", ("tools.first_called",)),
    # streaming
    ("stream_no_done", "The stream ends without data: [DONE]", ("sse.done",)),
    ("stream_done_twice", "data: [DONE] is sent twice", ("sse.done",)),
    ("stream_bad_framing", "Chunks are bare JSON lines without the data: prefix", ("sse.framing",)),
    ("stream_truncated", "The stream is cut mid-event, without [DONE]", ("sse.framing", "sse.done")),
    ("stream_wrong_content_type", "Streams are sent as Content-Type application/json", ("sse.framing",)),
    ("stream_chunk_object_wrong", "Chunks say object chat.completion", ("stream.chunk_schema",)),
    ("stream_id_changes", "Each chunk gets a different id", ("stream.same_id",)),
    ("stream_finish_twice", "finish_reason is set on two chunks", ("stream.finish_once",)),
    ("stream_role_every_chunk", "Every delta carries role assistant", ("stream.role_first_only",)),
    ("stream_usage_unasked", "A usage chunk is sent even without include_usage", ("stream.no_usage_unasked",)),
    ("stream_usage_missing", "The usage chunk is never sent", ("stream.usage_chunk",)),
    ("stream_content_differs", "Streamed words differ from the non-streamed answer", ("stream.joined_matches",)),
    ("stream_tool_args_broken", "Streamed tool-call argument pieces do not join to JSON", ("stream.tool_deltas",)),
    ("stream_tool_empty_strings", "Continuation tool-call deltas carry empty id/type/name strings",
     ("stream.tool_delta_keys",)),
    ("sdk_unparsable_stream", "A data event with an in-band error object is sent mid-stream",
     ("sdk.parse", "stream.chunk_schema")),
    # errors
    ("error_status_200", "Invalid roles and tool_choice values are answered 200 with a completion",
     ("errors.status_4xx",)),
    ("error_no_envelope", "Error responses are plain text `bad request`",
     ("errors.envelope", "errors.envelope_complete")),
    ("error_missing_code", "The error envelope has no param and code keys", ("errors.envelope_complete",)),
    # embeddings
    ("embeddings_base64_when_float", "Base64 strings are returned even when floats are asked",
     ("embeddings.float_vectors", "embeddings.consistent_dim")),
    ("embeddings_float_when_base64", "encoding_format base64 is ignored (floats returned)",
     ("embeddings.base64_decodes",)),
    ("embeddings_base64_garbage", "The base64 answer is not valid base64", ("embeddings.base64_decodes",)),
    ("embeddings_wrong_count", "One embedding too few for lists; index 1 for a single string",
     ("embeddings.count_index",)),
    ("embeddings_dim_inconsistent", "Vectors of one batch have different lengths", ("embeddings.consistent_dim",)),
    ("embeddings_dimensions_ignored", "The dimensions parameter is ignored", ("embeddings.dimensions_applied",)),
    ("embeddings_usage_missing", "usage is dropped from embeddings answers", ("embeddings.usage",)),
    # inconclusive
    ("server_error", "Every valid request is answered 500 with an error envelope (graded ERROR)", ()),
    ("rate_limited", "Every request is answered 429 with Retry-After: 0 (graded ERROR)", ()),
    # nondeterminism: proven by the --repeat self-test (FLAKY), not by a single mutation run
    ("flaky_tool_choice", "tool_choice is ignored on every second request", ()),
    # hostile servers (conformance/refserver/hostile.py): the suite must end with a verdict in bounded time
    ("hang_before_headers", "Nothing is sent for 3 s (longer than the client timeout)", ()),
    ("stall_mid_stream", "A stream stalls 3 s after its first event", ()),
    ("garbage_body", "2xx answers carry bytes that are not JSON", ("sdk.parse", "schema.body", "sse.framing")),
    ("huge_body", "Non-streamed 2xx answers are a 50 MB JSON document", ()),
    ("gzip_lie", "Content-Encoding: gzip on a body that is not gzip", ("sdk.parse",)),
    ("unavailable", "Valid requests are answered 503 with Retry-After: 0", ()),
    ("tool_args_not_json", "Tool-call arguments are not JSON text", ("tools.call_shape",)),
)

for _name, _description, _kills in _DEFINITIONS:
    FAULTS.register(Fault(_name, _description, _kills))

FAULTS.register(Fault("parallel_ignored", "parallel_tool_calls false is ignored: a prompt naming two cities gets two "
                      "tool calls", ("tools.parallel_false",)))
FAULTS.register(Fault("unknown_params_accepted", "Unknown top-level chat parameters (top_k) are accepted silently",
                      ("errors.unknown_param_rejected",)))
