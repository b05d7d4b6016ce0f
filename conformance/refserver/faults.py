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
    ("json_schema_not_enforced", "json_schema is answered with plain text",
     ("chat.json_schema_valid", "generated.json_schema_valid")),
    ("json_schema_wrong_type", "json_schema is answered with JSON whose `age` is a string",
     ("chat.json_schema_valid",)),
    ("json_object_not_json", "json_object is answered with plain text", ("chat.json_object_valid",)),
    # tools
    ("tool_choice_ignored", "Any tool_choice (even invalid) is accepted and answered with plain text",
     ("tools.forced_call", "tools.named_call", "stream.tool_deltas", "tools.auto_called")),
    ("tool_wrong_name", "A named tool_choice calls a different declared tool", ("tools.named_call",)),
    ("tool_choice_none_ignored", "tool_choice none still calls a tool", ("tools.none_no_call",)),
    ("tool_args_object", "function.arguments is a JSON object instead of a string", ("tools.call_shape",)),
    ("tool_args_invalid", "function.arguments misses required properties",
     ("tools.call_shape", "generated.tool_args_valid")),
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

# realtime (conformance/refserver/realtime_ws.py): each bends one WebSocket session
_REALTIME: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("rt_no_session_created", "The realtime session never sends session.created", ("realtime.session_created_first",)),
    ("rt_non_json_frame", "A bare `keepalive` text frame follows session.created", ("realtime.frames_json",)),
    ("rt_schema_violation", "response.done says status `finished`", ("realtime.schema",)),
    ("rt_delta_before_created", "The first delta of a response comes before response.created",
     ("realtime.state_machine",)),
    ("rt_close_mid_response", "The connection drops (no close frame) after the first delta",
     ("realtime.response_done",)),
    ("rt_empty_response", "Responses are completed with no output item", ("realtime.text_answer",)),
    ("rt_deltas_dont_join", "A delta is missing: joined deltas differ from the done text", ("realtime.deltas_join",)),
    ("rt_tool_call_ignored", "A forced tool_choice is answered with text", ("realtime.forced_tool_call",)),
    ("rt_tool_output_ignored", "The response after function_call_output fails with no output",
     ("realtime.tool_round",)),
    ("rt_session_update_ignored", "session.update changes nothing; session.updated echoes the old session",
     ("realtime.session_updated_reflects",)),
    ("rt_commit_ignored", "input_audio_buffer.commit is never answered with .committed", ("realtime.audio_committed",)),
    ("rt_audio_odd_bytes", "PCM16 audio deltas carry an odd number of bytes", ("realtime.audio_whole_samples",)),
    ("rt_no_error_event", "Invalid client events are ignored silently", ("realtime.error_event",)),
    ("rt_error_no_event_id", "Error events do not name the client event_id", ("realtime.error_references_event",)),
    ("rt_error_closes", "The server closes the session after an error event", ("realtime.session_survives",)),
    ("rt_legacy_event_names", "Beta names: conversation.item.created, response.text.delta, response.audio.delta ...",
     ("realtime.ga_event_names",)),
    ("rt_auth_not_checked", "A realtime handshake without Authorization is accepted", ("realtime.auth_required",)),
)
for _name, _description, _kills in _REALTIME:
    FAULTS.register(Fault(_name, _description, _kills))

# responses, conversations, files, vector stores (conformance/refserver/*_api.py, responses_events.py)
_RESOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("resource_created_at_string", "created_at is a string in Responses, Conversations, Files and Vector Store bodies",
     ("schema.flow", "schema.body")),
    ("retrieve_id_differs", "Retrieving an object returns a different id than the one created and asked for",
     ("lifecycle.retrieve_matches", "responses.stream.matches_retrieve", "conversations.item_retrieved")),
    ("delete_not_acknowledged", "Deletes answer deleted: false (while deleting)", ("lifecycle.deleted_ack",)),
    ("delete_does_not_delete", "Deletes answer deleted: true but keep the object",
     ("lifecycle.gone_after_delete", "conversations.item_deleted", "vector_stores.file_detached")),
    ("responses_output_chat_shape", "The output message's content is a bare string (Chat style)",
     ("responses.output_text", "schema.body")),
    ("responses_status_missing", "Responses carry no status", ("responses.status_completed",)),
    ("responses_usage_null", "usage is null on responses", ("responses.usage",)),
    ("responses_bare_uuid", "The response id is a bare UUID without resp_", ("responses.id_format",)),
    ("responses_created_at_ms", "created_at of responses is in milliseconds, as a float",
     ("responses.created_at_seconds",)),
    ("instructions_ignored", "instructions are neither applied nor echoed",
     ("responses.instructions_applied", "responses.instructions_echo")),
    ("truncation_ignored", "truncation is echoed as disabled whatever was asked", ("responses.truncation_echo",)),
    ("temperature_clamped", "temperature above 1 is clamped to 1", ("responses.temperature_echo",)),
    ("input_items_empty", "input_items lists nothing", ("responses.input_items",)),
    ("previous_response_id_ignored", "previous_response_id is accepted but neither used nor echoed",
     ("responses.previous_context", "responses.previous_echo")),
    ("responses_tool_choice_ignored", "Responses never call a function tool, whatever tool_choice says",
     ("responses.function_call", "responses.named_call", "responses.required_call")),
    ("tool_output_ignored", "A function_call_output is answered with the same function_call again",
     ("responses.tool_result_answer",)),
    ("responses_call_id_is_name", "function_call items carry call_id = the function name (as Yandex was seen to)",
     ("responses.call_ids",)),
    ("text_format_ignored", "text.format is ignored: plain text answers", ("responses.json_schema_valid",
                                                                           "responses.json_object_valid")),
    ("max_output_tokens_ignored", "max_output_tokens is ignored: full answer, status completed",
     ("responses.incomplete_max_tokens",)),
    ("background_ignored", "background=true runs synchronously and answers completed",
     ("responses.background_queued",)),
    ("background_stuck", "Background responses stay queued forever", ("responses.background_completes",)),
    ("cancel_ignored", "cancel answers the response unchanged (still queued)", ("responses.background_cancel",)),
    ("file_search_ignored", "The file_search tool is never run", ("responses.file_search_call",
                                                                  "responses.file_search_answer")),
    ("stream_event_schema_broken", "output_text.delta events lack logprobs", ("responses.stream.event_schema",)),
    ("stream_event_name_wrong", "Every SSE event: line says `message`", ("responses.stream.event_names",)),
    ("stream_created_not_first", "response.in_progress comes before response.created",
     ("responses.stream.created_first",)),
    ("stream_sequence_repeated", "The fourth event repeats the third's sequence_number",
     ("responses.stream.sequence",)),
    ("stream_events_out_of_order", "content_part.added comes before its output_item.added",
     ("responses.stream.items",)),
    ("stream_deltas_dont_join", "The last output_text.delta is dropped", ("responses.stream.deltas_join",)),
    ("stream_missing_terminal", "The stream ends without response.completed", ("responses.stream.terminal",)),
    ("conversation_metadata_dropped", "Conversations always answer metadata {}", ("conversations.created",)),
    ("update_ignored", "Updates of conversations and vector stores change nothing",
     ("conversations.update_applied", "vector_stores.update_applied")),
    ("conversation_items_not_stored", "Added conversation items are answered but not kept",
     ("conversations.items_listed",)),
    ("conversation_ignored", "responses.create ignores conversation: no context, no items, no echo",
     ("conversations.response_items", "conversations.response_context", "conversations.response_echo")),
    ("file_bytes_wrong", "The file object's bytes is one more than uploaded", ("files.uploaded",)),
    ("list_omits_new", "Lists of files, vector stores and store files omit the newest object",
     ("files.listed", "vector_stores.listed", "vector_stores.files_listed")),
    ("file_content_altered", "File content downloads upper-cased", ("files.content_roundtrip",)),
    ("vector_store_name_dropped", "Vector stores answer name \"\"", ("vector_stores.created",)),
    ("attach_wrong_store_id", "Vector store files name another vector_store_id", ("vector_stores.file_attached",)),
    ("vector_store_never_completes", "Vector store indexing stays in_progress forever",
     ("vector_stores.indexing_completes",)),
    ("batch_drops_file", "A file batch only indexes its first file", ("vector_stores.batch_files",)),
    ("search_returns_nothing", "Vector store search finds nothing", ("vector_stores.search_hits",)),
)
for _name, _description, _kills in _RESOURCES:
    FAULTS.register(Fault(_name, _description, _kills))
