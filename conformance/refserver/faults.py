"""The catalogue of the reference server's faults: one module constant per fault, registered in FAULTS in order.

Code tests a fault through its constant, `call.has(F.STREAM_NO_DONE)` (with `from . import faults as F`), never by
its name: a misspelt constant is an AttributeError (and a mypy error), not a check that is silently false. Tests and
the command line select faults by name (`RefServer(faults={"stream_no_done"})`, `--fault stream_no_done`).
"""

from __future__ import annotations

from .fault_types import ActiveFaults, Fault, FaultRegistry, Phase, Scope

__all__ = ["FAULTS", "NO_FAULTS", "ActiveFaults", "Fault", "FaultRegistry", "Phase", "Scope"]

FAULTS = FaultRegistry()


def _fault(name: str, description: str, kills: tuple[str, ...], scope: Scope, phase: Phase | None = None) -> Fault:
    """Register a fault in FAULTS; its module constant is its name upper-cased."""
    return FAULTS.register(Fault(name, description, kills, scope, phase))


_SB = ("schema.body",)

# non-streamed bodies
CREATED_STRING = _fault("created_string", "`created` is a string in non-streamed bodies", _SB, Scope.JSON_BODIES)
MISSING_OBJECT = _fault(
    "missing_object", "The `object` field is dropped from non-streamed chat, embeddings and model bodies",
    _SB, Scope.JSON_BODIES)
INVALID_JSON_BODY = _fault(
    "invalid_json_body", "2xx non-streamed JSON bodies are truncated mid-document",
    ("sdk.parse", "schema.body"), Scope.JSON_BODIES)
WRONG_CONTENT_TYPE = _fault(
    "wrong_content_type", "Non-streamed JSON is sent as Content-Type text/plain",
    ("http.json_content_type",), Scope.JSON_BODIES)

# models
MODELS_EMPTY = _fault(
    "models_empty", "GET /models lists no model",
    ("models.nonempty", "models.configured_listed"), Scope.MODELS)
MODEL_ID_MISMATCH = _fault(
    "model_id_mismatch", "GET /models/{id} returns a different id",
    ("models.retrieve_id",), Scope.MODELS)

# chat
BARE_UUID_IDS = _fault(
    "bare_uuid_ids", "The completion id is a bare UUID without chatcmpl-",
    ("chat.id_format",), Scope.CHAT)
NOT_ASSISTANT = _fault(
    "not_assistant", "The message role is `model` instead of assistant",
    ("chat.assistant_message",), Scope.CHAT)
USAGE_WRONG_TOTAL = _fault("usage_wrong_total", "usage.total_tokens is off by one", ("chat.usage",), Scope.CHAT)
MAX_TOKENS_IGNORED = _fault(
    "max_tokens_ignored", "max_tokens is ignored: full answer, finish_reason stop",
    ("chat.finish_length",), Scope.CHAT)
JSON_SCHEMA_NOT_ENFORCED = _fault(
    "json_schema_not_enforced", "json_schema is answered with plain text",
    ("chat.json_schema_valid", "generated.json_schema_valid"), Scope.CHAT)
JSON_SCHEMA_WRONG_TYPE = _fault(
    "json_schema_wrong_type", "json_schema is answered with JSON whose `age` is a string",
    ("chat.json_schema_valid",), Scope.CHAT)
JSON_OBJECT_NOT_JSON = _fault(
    "json_object_not_json", "json_object is answered with plain text",
    ("chat.json_object_valid",), Scope.CHAT)

# tools
TOOL_CHOICE_IGNORED = _fault(
    "tool_choice_ignored", "Any tool_choice (even invalid) is accepted and answered with plain text",
    ("tools.forced_call", "tools.named_call", "stream.tool_deltas", "tools.auto_called"), Scope.CHAT)
TOOL_WRONG_NAME = _fault(
    "tool_wrong_name", "A named tool_choice calls a different declared tool",
    ("tools.named_call",), Scope.CHAT)
TOOL_CHOICE_NONE_IGNORED = _fault(
    "tool_choice_none_ignored", "tool_choice none still calls a tool",
    ("tools.none_no_call",), Scope.CHAT)
TOOL_ARGS_OBJECT = _fault(
    "tool_args_object", "function.arguments is a JSON object instead of a string",
    ("tools.call_shape",), Scope.CHAT)
TOOL_ARGS_INVALID = _fault(
    "tool_args_invalid", "function.arguments misses required properties",
    ("tools.call_shape", "generated.tool_args_valid"), Scope.CHAT)
TOOL_FINISH_STOP = _fault(
    "tool_finish_stop", "finish_reason stop on an answer with tool calls",
    ("tools.finish_reason",), Scope.CHAT)
TOOL_ID_IS_NAME = _fault(
    "tool_id_is_name", "The tool call id equals the function name",
    ("tools.unique_ids",), Scope.CHAT)
ACCEPT_TOOL_CHOICE_FIRST = _fault(
    "accept_tool_choice_first", 'tool_choice "first" is accepted and calls the first declared tool',
    (), Scope.CHAT)
FIRST_CALLS_LAST = _fault(
    "first_calls_last", 'tool_choice "first" is accepted but calls the last declared tool',
    ("tools.first_called",), Scope.CHAT)

# streaming
STREAM_NO_DONE = _fault("stream_no_done", "The stream ends without data: [DONE]", ("sse.done",), Scope.CHAT_STREAMS)
STREAM_DONE_TWICE = _fault("stream_done_twice", "data: [DONE] is sent twice", ("sse.done",), Scope.CHAT_STREAMS)
STREAM_BAD_FRAMING = _fault(
    "stream_bad_framing", "Chunks are bare JSON lines without the data: prefix",
    ("sse.framing",), Scope.SSE_STREAMS)
STREAM_TRUNCATED = _fault(
    "stream_truncated", "The stream is cut mid-event, without [DONE]",
    ("sse.framing", "sse.done"), Scope.CHAT_STREAMS)
STREAM_WRONG_CONTENT_TYPE = _fault(
    "stream_wrong_content_type", "Streams are sent as Content-Type application/json",
    ("sse.framing",), Scope.SSE_STREAMS)
STREAM_CHUNK_OBJECT_WRONG = _fault(
    "stream_chunk_object_wrong", "Chunks say object chat.completion",
    ("stream.chunk_schema",), Scope.CHAT_STREAMS)
STREAM_ID_CHANGES = _fault(
    "stream_id_changes", "Each chunk gets a different id",
    ("stream.same_id",), Scope.CHAT_STREAMS)
STREAM_FINISH_TWICE = _fault(
    "stream_finish_twice", "finish_reason is set on two chunks",
    ("stream.finish_once",), Scope.CHAT_STREAMS)
STREAM_ROLE_EVERY_CHUNK = _fault(
    "stream_role_every_chunk", "Every delta carries role assistant",
    ("stream.role_first_only",), Scope.CHAT_STREAMS)
STREAM_USAGE_UNASKED = _fault(
    "stream_usage_unasked", "A usage chunk is sent even without include_usage",
    ("stream.no_usage_unasked",), Scope.CHAT_STREAMS)
STREAM_USAGE_MISSING = _fault(
    "stream_usage_missing", "The usage chunk is never sent",
    ("stream.usage_chunk",), Scope.CHAT_STREAMS)
STREAM_CONTENT_DIFFERS = _fault(
    "stream_content_differs", "Streamed words differ from the non-streamed answer",
    ("stream.joined_matches",), Scope.CHAT_STREAMS)
STREAM_TOOL_ARGS_BROKEN = _fault(
    "stream_tool_args_broken", "Streamed tool-call argument pieces do not join to JSON",
    ("stream.tool_deltas",), Scope.CHAT_STREAMS)
STREAM_TOOL_EMPTY_STRINGS = _fault(
    "stream_tool_empty_strings", "Continuation tool-call deltas carry empty id/type/name strings",
    ("stream.tool_delta_keys",), Scope.CHAT_STREAMS)
SDK_UNPARSABLE_STREAM = _fault(
    "sdk_unparsable_stream", "A data event with an in-band error object is sent mid-stream",
    ("sdk.parse", "stream.chunk_schema"), Scope.CHAT_STREAMS)

# errors
ERROR_STATUS_200 = _fault(
    "error_status_200", "Invalid roles and tool_choice values are answered 200 with a completion",
    ("errors.status_4xx",), Scope.MESSAGE_VALIDATION)
ERROR_NO_ENVELOPE = _fault(
    "error_no_envelope", "Error responses are plain text `bad request`",
    ("errors.envelope", "errors.envelope_complete"), Scope.ERROR_BODIES)
ERROR_MISSING_CODE = _fault(
    "error_missing_code", "The error envelope has no param and code keys",
    ("errors.envelope_complete", "errors.cases_envelope_complete"), Scope.ERROR_BODIES)

# embeddings
EMBEDDINGS_BASE64_WHEN_FLOAT = _fault(
    "embeddings_base64_when_float", "Base64 strings are returned even when floats are asked",
    ("embeddings.float_vectors", "embeddings.consistent_dim"), Scope.EMBEDDINGS)
EMBEDDINGS_FLOAT_WHEN_BASE64 = _fault(
    "embeddings_float_when_base64", "encoding_format base64 is ignored (floats returned)",
    ("embeddings.base64_decodes",), Scope.EMBEDDINGS)
EMBEDDINGS_BASE64_GARBAGE = _fault(
    "embeddings_base64_garbage", "The base64 answer is not valid base64",
    ("embeddings.base64_decodes",), Scope.EMBEDDINGS)
EMBEDDINGS_WRONG_COUNT = _fault(
    "embeddings_wrong_count", "One embedding too few for lists; index 1 for a single string",
    ("embeddings.count_index",), Scope.EMBEDDINGS)
EMBEDDINGS_DIM_INCONSISTENT = _fault(
    "embeddings_dim_inconsistent", "Vectors of one batch have different lengths",
    ("embeddings.consistent_dim",), Scope.EMBEDDINGS)
EMBEDDINGS_DIMENSIONS_IGNORED = _fault(
    "embeddings_dimensions_ignored", "The dimensions parameter is ignored",
    ("embeddings.dimensions_applied",), Scope.EMBEDDINGS)
EMBEDDINGS_USAGE_MISSING = _fault(
    "embeddings_usage_missing", "usage is dropped from embeddings answers",
    ("embeddings.usage",), Scope.EMBEDDINGS)

# inconclusive: cross-cutting, applied by the dispatcher (hooks.py) at their phase
SERVER_ERROR = _fault(
    "server_error", "Every valid request is answered 500 with an error envelope (graded ERROR)",
    (), Scope.EVERY_VALID_REQUEST, Phase.BEFORE)
RATE_LIMITED = _fault(
    "rate_limited", "Every request is answered 429 with Retry-After: 0 (graded ERROR)",
    (), Scope.EVERY_REQUEST, Phase.ADMIT)

# nondeterminism: proven by the --repeat self-test (FLAKY), not by a single mutation run
FLAKY_TOOL_CHOICE = _fault("flaky_tool_choice", "tool_choice is ignored on every second request", (), Scope.CHAT)

# hostile servers (hostile.py): the suite must end with a verdict in bounded time
HANG_BEFORE_HEADERS = _fault(
    "hang_before_headers", "Nothing is sent for 3 s (longer than the client timeout)",
    (), Scope.TRANSPORT)
STALL_MID_STREAM = _fault("stall_mid_stream", "A stream stalls 3 s after its first event", (), Scope.TRANSPORT)
GARBAGE_BODY = _fault(
    "garbage_body", "2xx answers carry bytes that are not JSON",
    ("sdk.parse", "schema.body", "sse.framing"), Scope.TRANSPORT)
HUGE_BODY = _fault("huge_body", "Non-streamed 2xx answers are a 50 MB JSON document", (), Scope.TRANSPORT)
GZIP_LIE = _fault("gzip_lie", "Content-Encoding: gzip on a body that is not gzip", ("sdk.parse",), Scope.TRANSPORT)
UNAVAILABLE = _fault("unavailable", "Valid requests are answered 503 with Retry-After: 0", (), Scope.TRANSPORT)
TOOL_ARGS_NOT_JSON = _fault(
    "tool_args_not_json", "Tool-call arguments are not JSON text",
    ("tools.call_shape",), Scope.CHAT)

# chat parameters
PARALLEL_IGNORED = _fault(
    "parallel_ignored", "parallel_tool_calls false is ignored: a prompt naming two cities gets two tool calls",
    ("tools.parallel_false",), Scope.CHAT)
UNKNOWN_PARAMS_ACCEPTED = _fault(
    "unknown_params_accepted", "Unknown top-level chat parameters (top_k) are accepted silently",
    ("errors.unknown_param_rejected",), Scope.CHAT)

# realtime (realtime_ws.py): each bends one WebSocket session
RT_NO_SESSION_CREATED = _fault(
    "rt_no_session_created", "The realtime session never sends session.created",
    ("realtime.session_created_first",), Scope.REALTIME)
RT_NON_JSON_FRAME = _fault(
    "rt_non_json_frame", "A bare `keepalive` text frame follows session.created",
    ("realtime.frames_json",), Scope.REALTIME)
RT_SCHEMA_VIOLATION = _fault(
    "rt_schema_violation", "response.done says status `finished`",
    ("realtime.schema",), Scope.REALTIME)
RT_DELTA_BEFORE_CREATED = _fault(
    "rt_delta_before_created", "The first delta of a response comes before response.created",
    ("realtime.state_machine",), Scope.REALTIME)
RT_CLOSE_MID_RESPONSE = _fault(
    "rt_close_mid_response", "The connection drops (no close frame) after the first delta",
    ("realtime.response_done",), Scope.REALTIME)
RT_EMPTY_RESPONSE = _fault(
    "rt_empty_response", "Responses are completed with no output item",
    ("realtime.text_answer",), Scope.REALTIME)
RT_DELTAS_DONT_JOIN = _fault(
    "rt_deltas_dont_join", "A delta is missing: joined deltas differ from the done text",
    ("realtime.deltas_join",), Scope.REALTIME)
RT_TOOL_CALL_IGNORED = _fault(
    "rt_tool_call_ignored", "A forced tool_choice is answered with text",
    ("realtime.forced_tool_call",), Scope.REALTIME)
RT_TOOL_OUTPUT_IGNORED = _fault(
    "rt_tool_output_ignored", "The response after function_call_output fails with no output",
    ("realtime.tool_round",), Scope.REALTIME)
RT_SESSION_UPDATE_IGNORED = _fault(
    "rt_session_update_ignored", "session.update changes nothing; session.updated echoes the old session",
    ("realtime.session_updated_reflects",), Scope.REALTIME)
RT_COMMIT_IGNORED = _fault(
    "rt_commit_ignored", "input_audio_buffer.commit is never answered with .committed",
    ("realtime.audio_committed",), Scope.REALTIME)
RT_AUDIO_ODD_BYTES = _fault(
    "rt_audio_odd_bytes", "PCM16 audio deltas carry an odd number of bytes",
    ("realtime.audio_whole_samples",), Scope.REALTIME)
RT_NO_ERROR_EVENT = _fault(
    "rt_no_error_event", "Invalid client events are ignored silently",
    ("realtime.error_event",), Scope.REALTIME)
RT_ERROR_NO_EVENT_ID = _fault(
    "rt_error_no_event_id", "Error events do not name the client event_id",
    ("realtime.error_references_event",), Scope.REALTIME)
RT_ERROR_CLOSES = _fault(
    "rt_error_closes", "The server closes the session after an error event",
    ("realtime.session_survives",), Scope.REALTIME)
RT_LEGACY_EVENT_NAMES = _fault(
    "rt_legacy_event_names", "Beta names: conversation.item.created, response.text.delta, response.audio.delta ...",
    ("realtime.ga_event_names",), Scope.REALTIME)
RT_AUTH_NOT_CHECKED = _fault(
    "rt_auth_not_checked", "A realtime handshake without Authorization is accepted",
    ("realtime.auth_required",), Scope.REALTIME)

# responses, conversations, files, vector stores (*_api.py, responses_events.py)
RESOURCE_CREATED_AT_STRING = _fault(
    "resource_created_at_string", "created_at is a string in Responses, Conversations, Files and Vector Store bodies",
    ("schema.flow", "schema.body"), Scope.STORED_OBJECTS)
RETRIEVE_ID_DIFFERS = _fault(
    "retrieve_id_differs", "Retrieving an object returns a different id than the one created and asked for",
    ("lifecycle.retrieve_matches", "responses.stream.matches_retrieve", "conversations.item_retrieved"),
    Scope.OBJECT_RETRIEVES, Phase.AFTER)
DELETE_NOT_ACKNOWLEDGED = _fault(
    "delete_not_acknowledged", "Deletes answer deleted: false (while deleting)",
    ("lifecycle.deleted_ack",), Scope.OBJECT_DELETES)
DELETE_DOES_NOT_DELETE = _fault(
    "delete_does_not_delete", "Deletes answer deleted: true but keep the object",
    ("lifecycle.gone_after_delete", "conversations.item_deleted", "vector_stores.file_detached"), Scope.OBJECT_DELETES)
RESPONSES_OUTPUT_CHAT_SHAPE = _fault(
    "responses_output_chat_shape", "The output message's content is a bare string (Chat style)",
    ("responses.output_text", "schema.body"), Scope.RESPONSES)
RESPONSES_STATUS_MISSING = _fault(
    "responses_status_missing", "Responses carry no status",
    ("responses.status_completed",), Scope.RESPONSES)
RESPONSES_USAGE_NULL = _fault(
    "responses_usage_null", "usage is null on responses",
    ("responses.usage",), Scope.RESPONSES)
RESPONSES_BARE_UUID = _fault(
    "responses_bare_uuid", "The response id is a bare UUID without resp_",
    ("responses.id_format",), Scope.RESPONSES)
RESPONSES_CREATED_AT_MS = _fault(
    "responses_created_at_ms", "created_at of responses is in milliseconds, as a float",
    ("responses.created_at_seconds",), Scope.RESPONSES)
INSTRUCTIONS_IGNORED = _fault(
    "instructions_ignored", "instructions are neither applied nor echoed",
    ("responses.instructions_applied", "responses.instructions_echo"), Scope.RESPONSES)
TRUNCATION_IGNORED = _fault(
    "truncation_ignored", "truncation is echoed as disabled whatever was asked",
    ("responses.truncation_echo",), Scope.RESPONSES)
TEMPERATURE_CLAMPED = _fault(
    "temperature_clamped", "temperature above 1 is clamped to 1",
    ("responses.temperature_echo",), Scope.RESPONSES)
INPUT_ITEMS_EMPTY = _fault(
    "input_items_empty", "input_items lists nothing",
    ("responses.input_items",), Scope.RESPONSES)
PREVIOUS_RESPONSE_ID_IGNORED = _fault(
    "previous_response_id_ignored", "previous_response_id is accepted but neither used nor echoed",
    ("responses.previous_context", "responses.previous_echo"), Scope.RESPONSES)
RESPONSES_TOOL_CHOICE_IGNORED = _fault(
    "responses_tool_choice_ignored", "Responses never call a function tool, whatever tool_choice says",
    ("responses.function_call", "responses.named_call", "responses.required_call"), Scope.RESPONSES)
TOOL_OUTPUT_IGNORED = _fault(
    "tool_output_ignored", "A function_call_output is answered with the same function_call again",
    ("responses.tool_result_answer", "responses.chain_reply"), Scope.RESPONSES)
RESPONSES_CALL_ID_IS_NAME = _fault(
    "responses_call_id_is_name", "function_call items carry call_id = the function name (as Yandex was seen to)",
    ("responses.call_ids",), Scope.RESPONSES)
TEXT_FORMAT_IGNORED = _fault(
    "text_format_ignored", "text.format is ignored: plain text answers",
    ("responses.json_schema_valid", "responses.json_object_valid"), Scope.RESPONSES)
MAX_OUTPUT_TOKENS_IGNORED = _fault(
    "max_output_tokens_ignored", "max_output_tokens is ignored: full answer, status completed",
    ("responses.incomplete_max_tokens",), Scope.RESPONSES)
BACKGROUND_IGNORED = _fault(
    "background_ignored", "background=true runs synchronously and answers completed",
    ("responses.background_queued",), Scope.RESPONSES)
BACKGROUND_STUCK = _fault(
    "background_stuck", "Background responses stay queued forever",
    ("responses.background_completes",), Scope.RESPONSES)
CANCEL_IGNORED = _fault(
    "cancel_ignored", "cancel answers the response unchanged (still queued)",
    ("responses.background_cancel",), Scope.RESPONSES)
FILE_SEARCH_IGNORED = _fault(
    "file_search_ignored", "The file_search tool is never run",
    ("responses.file_search_call", "responses.file_search_answer"), Scope.RESPONSES)
STREAM_EVENT_SCHEMA_BROKEN = _fault(
    "stream_event_schema_broken", "output_text.delta events lack logprobs",
    ("responses.stream.event_schema",), Scope.RESPONSES_STREAMS)
STREAM_EVENT_NAME_WRONG = _fault(
    "stream_event_name_wrong", "Every SSE event: line says `message`",
    ("responses.stream.event_names",), Scope.RESPONSES_STREAMS)
STREAM_CREATED_NOT_FIRST = _fault(
    "stream_created_not_first", "response.in_progress comes before response.created",
    ("responses.stream.created_first",), Scope.RESPONSES_STREAMS)
STREAM_SEQUENCE_REPEATED = _fault(
    "stream_sequence_repeated", "The fourth event repeats the third's sequence_number",
    ("responses.stream.sequence",), Scope.RESPONSES_STREAMS)
STREAM_EVENTS_OUT_OF_ORDER = _fault(
    "stream_events_out_of_order", "content_part.added comes before its output_item.added",
    ("responses.stream.items",), Scope.RESPONSES_STREAMS)
STREAM_DELTAS_DONT_JOIN = _fault(
    "stream_deltas_dont_join", "The last output_text.delta is dropped",
    ("responses.stream.deltas_join",), Scope.RESPONSES_STREAMS)
STREAM_MISSING_TERMINAL = _fault(
    "stream_missing_terminal", "The stream ends without response.completed",
    ("responses.stream.terminal",), Scope.RESPONSES_STREAMS)
CONVERSATION_METADATA_DROPPED = _fault(
    "conversation_metadata_dropped", "Conversations always answer metadata {}",
    ("conversations.created",), Scope.CONVERSATIONS)
UPDATE_IGNORED = _fault(
    "update_ignored", "Updates of conversations and vector stores change nothing",
    ("conversations.update_applied", "vector_stores.update_applied"), Scope.OBJECT_UPDATES)
CONVERSATION_ITEMS_NOT_STORED = _fault(
    "conversation_items_not_stored", "Added conversation items are answered but not kept",
    ("conversations.items_listed",), Scope.CONVERSATIONS)
CONVERSATION_IGNORED = _fault(
    "conversation_ignored", "responses.create ignores conversation: no context, no items, no echo",
    ("conversations.response_items", "conversations.response_context", "conversations.response_echo"), Scope.RESPONSES)
FILE_BYTES_WRONG = _fault(
    "file_bytes_wrong", "The file object's bytes is one more than uploaded",
    ("files.uploaded",), Scope.FILES)
LIST_OMITS_NEW = _fault(
    "list_omits_new", "Lists of files, vector stores and store files omit the newest object",
    ("files.listed", "vector_stores.listed", "vector_stores.files_listed"), Scope.OBJECT_LISTS)
FILE_CONTENT_ALTERED = _fault(
    "file_content_altered", "File content downloads upper-cased",
    ("files.content_roundtrip",), Scope.FILES)
VECTOR_STORE_NAME_DROPPED = _fault(
    "vector_store_name_dropped", 'Vector stores answer name ""',
    ("vector_stores.created",), Scope.VECTOR_STORES)
ATTACH_WRONG_STORE_ID = _fault(
    "attach_wrong_store_id", "Vector store files name another vector_store_id",
    ("vector_stores.file_attached",), Scope.VECTOR_STORES)
VECTOR_STORE_NEVER_COMPLETES = _fault(
    "vector_store_never_completes", "Vector store indexing stays in_progress forever",
    ("vector_stores.indexing_completes",), Scope.VECTOR_STORES)
BATCH_DROPS_FILE = _fault(
    "batch_drops_file", "A file batch only indexes its first file",
    ("vector_stores.batch_files",), Scope.VECTOR_STORES)
SEARCH_RETURNS_NOTHING = _fault(
    "search_returns_nothing", "Vector store search finds nothing",
    ("vector_stores.search_hits",), Scope.VECTOR_STORES)

# issue 12: hostile servers that must end bounded (deadlines, circuit breaker) and leak nothing (hostile.py)
SSE_COMMENT_DRIP = _fault(
    "sse_comment_drip", "Streams send only `: keepalive` comment lines, one every DRIP_SECONDS, never an event",
    (), Scope.SSE_STREAMS)
BYTE_DRIP = _fault(
    "byte_drip", "Non-streamed 2xx bodies are sent one byte every DRIP_SECONDS", (), Scope.TRANSPORT)
BLACK_HOLE = _fault(
    "black_hole", "Connections are accepted and requests read, but nothing is ever answered", (), Scope.TRANSPORT)
ANSI_ERROR_MESSAGE = _fault(
    "ansi_error_message", "Error messages carry terminal escapes (clear screen, window title, BEL, NUL, C1 CSI)",
    (), Scope.ERROR_BODIES)
COOKIE_ECHO = _fault(
    "cookie_echo", "Every answer sets a session cookie; JSON bodies echo it and the request's Cookie header",
    (), Scope.TRANSPORT)
KEY_REFUSED = _fault(
    "key_refused", "Every key is refused with OpenAI's 401 invalid_api_key (wrong credentials)",
    (), Scope.EVERY_REQUEST)
# issue 11: faithful variants (a verdict must not change: FAITHFUL) and the deviations the hidden servers showed
ECHO_OMITTED = _fault(
    "echo_omitted", "Responses omit the optional echoes instructions, temperature, truncation, previous_response_id "
    "and conversation (the SDK's Response type makes them optional): faithful", (), Scope.RESPONSES)
SHORT_ANSWER = _fault(
    "short_answer", "The model answers briefly ('Hello.'; counting stops at 3), under every token limit: faithful",
    (), Scope.EVERY_VALID_REQUEST)
UNAUTHORIZED_EMBEDDINGS = _fault(
    "unauthorized_embeddings", "The key may not use embeddings: 401 insufficient permissions (no verdict on them)",
    (), Scope.EMBEDDINGS, Phase.ROUTE)
RESPONSES_ABSENT = _fault(
    "responses_absent", "There is no Responses API: every /responses route answers 404 Invalid URL",
    (), Scope.RESPONSES, Phase.ROUTE)
ACCEPTS_MISSING_REQUIRED = _fault(
    "accepts_missing_required", "A request without its required field (chat messages, Responses model) is answered",
    ("errors.cases_refused",), Scope.MESSAGE_VALIDATION)
ACCEPTS_WRONG_TYPE = _fault(
    "accepts_wrong_type", "A field of the wrong type (messages a string, input a number) is coerced and answered",
    ("errors.cases_refused",), Scope.MESSAGE_VALIDATION)
ACCEPTS_OUT_OF_RANGE = _fault(
    "accepts_out_of_range", "temperature outside OpenAI's 0..2 is accepted silently",
    ("errors.values_refused",), Scope.MESSAGE_VALIDATION)
ACCEPTS_UNKNOWN_MODEL = _fault(
    "accepts_unknown_model", "A model the server does not serve is answered by the one it does",
    ("errors.values_refused",), Scope.MESSAGE_VALIDATION)
EMBEDDINGS_BASE64_FLOAT64 = _fault(
    "embeddings_base64_float64", "encoding_format base64 carries float64 values (twice the bytes of float32)",
    ("embeddings.base64_decodes",), Scope.EMBEDDINGS)
RESPONSES_USAGE_SHAPE = _fault(
    "responses_usage_shape", "Every response's usage lacks output_tokens_details (one surface-wide shape defect)",
    ("schema.body",), Scope.RESPONSES)
# Faults that must not change any conclusive verdict (tests/test_mutation.py counts them in the mutation score).
FAITHFUL: tuple[Fault, ...] = (ECHO_OMITTED, SHORT_ANSWER, UNAUTHORIZED_EMBEDDINGS)

NO_FAULTS = FAULTS.active()


# issue 15: the Yandex AI Studio stand-in (yandex.py): Yandex's documented and recorded behaviour, switched on together
# by yandex.STAND_IN; each names its source in claims.md or the recordings' INDEX.md.
YANDEX_AUTH = _fault(
    "yandex_auth", "Yandex's auth: Api-Key <API key>, Bearer <API key> or Bearer <IAM token>; an IAM token sent as "
    "Api-Key, or an unknown key, is 401 (claims.md §1 AUTH, OC-C)", (), Scope.EVERY_REQUEST)
YANDEX_MODEL_URIS = _fault(
    "yandex_model_uris", "Models are gpt://<folder>/... and emb://<folder>/... URIs of the key's folder: another "
    "form is 400 invalid model_uri, another folder 400 (claims.md §0, §2); /models lists the recorded catalogue",
    (), Scope.EVERY_VALID_REQUEST)
YANDEX_PERMISSION_DENIED = _fault(
    "yandex_permission_denied", "Every request is 403 Permission denied, as for a service account without the role "
    "(claims.md §1-§2); not part of the stand-in's default behaviour", (), Scope.EVERY_REQUEST)
YANDEX_CHAT_SHAPE = _fault(
    "yandex_chat_shape", "Y-native chat bodies (INDEX.md): no system_fingerprint, logprobs or refusal keys, no null "
    "finish_reason in chunks, content \"\" beside tool calls, an index on non-streamed tool calls", (), Scope.CHAT)
YANDEX_EMBEDDINGS_LIMITS = _fault(
    "yandex_embeddings_limits", "Embeddings only for one string (a list of one works) with encoding_format float; "
    "more inputs or base64 are 400 (SEED)", (), Scope.EMBEDDINGS)
YANDEX_TEMPERATURE_0_1 = _fault(
    "yandex_temperature_0_1", "Responses refuse temperature above 1 with 400 (RESP-REF: between 0 and 1)", (),
    Scope.RESPONSES)
YANDEX_VALID_FIELDS = _fault(
    "yandex_valid_fields", "\"valid\": true on every Responses object and nested object (docs-examples)", (),
    Scope.RESPONSES)
YANDEX_RT_FIELD_REPORTS = _fault(
    "yandex_rt_field_reports", "Realtime as field reports saw it (TP-RT §1-§3): conversation.item.created instead of "
    ".added; session events say output_modalities [text, audio] and audio rate null whatever was asked",
    ("realtime.ga_event_names", "realtime.session_updated_reflects"), Scope.REALTIME)


# issue 13 (part C): Responses state (store false, previous_response_id chains) and streamed function calls.
STORE_FALSE_IGNORED = _fault(
    "store_false_ignored", "store: false is ignored: the response is stored, retrievable and can be continued",
    ("responses.unstored_not_retrievable", "responses.unstored_chain_refused"), Scope.RESPONSES)
PREVIOUS_NOT_FOUND_ANSWERED = _fault(
    "previous_not_found_answered", "An unknown previous_response_id is ignored: a fresh answer with 200",
    ("errors.status_4xx",), Scope.RESPONSES)
PREVIOUS_NOT_FOUND_CODE_MISSING = _fault(
    "previous_not_found_code_missing", "An unknown previous_response_id is refused with 400 whose code is null",
    ("responses.previous_not_found_code",), Scope.RESPONSES)
STREAM_CALL_AS_TEXT = _fault(
    "stream_call_as_text", "A streamed function call comes as output_text deltas of a message item (the final "
    "response still holds the function_call)", ("responses.stream.function_call_events",), Scope.RESPONSES)
CHAIN_DROPS_FUNCTION_CALLS = _fault(
    "chain_drops_function_calls", "previous_response_id carries only messages: a function_call_output finds no "
    "call to answer and is refused with 400", ("responses.chain_call_answered",), Scope.RESPONSES)
PREVIOUS_NOT_FOUND_404 = _fault(
    "previous_not_found_404", "An unknown previous_response_id is refused with 404 (code previous_response_not_found, "
    "the id in the message) instead of 400: faithful", (), Scope.RESPONSES)
FAITHFUL = (*FAITHFUL, PREVIOUS_NOT_FOUND_404)
COMPACT_NOT_COMPACTED = _fault(
    "compact_not_compacted", "/responses/compact hands the history back unchanged, without a compaction item",
    ("responses.compacted",), Scope.RESPONSES)
COMPACT_ABSENT = _fault(
    "compact_absent", "There is no /responses/compact route (404 Invalid URL), as on a provider that does not "
    "document it", (), Scope.RESPONSES)
# issue 13 (part B): image input, reasoning streams, the SDK's tool-call join, usage placement, listed models, and
# the other endpoints' existence
IMAGE_IGNORED = _fault(
    "image_ignored", "Image content parts are dropped silently: the prompt is charged for its text only",
    ("chat.image_counted",), Scope.CHAT)
REASONING_DETAILS_UNINDEXED = _fault(
    "reasoning_details_unindexed", "A reasoning_effort stream sends reasoning_details lists without index, which the "
    "SDK's accumulator cannot join", ("stream.reasoning_join",), Scope.CHAT_STREAMS)
REASONING_CONTENT_STREAMED = _fault(
    "reasoning_content_streamed", "Chat streams carry delta.reasoning_content before the answer (as vLLM, DeepSeek "
    "and llama.cpp stream reasoning): faithful", (), Scope.CHAT_STREAMS)
STREAM_TOOL_REPEATED_ID = _fault(
    "stream_tool_repeated_id", "Every tool-call delta repeats the call's id and function name",
    ("stream.tool_join", "stream.tool_delta_keys", "stream.tool_deltas"), Scope.CHAT_STREAMS)
STREAM_TOOL_NO_INDEX = _fault(
    "stream_tool_no_index", "Tool-call deltas carry no index", ("stream.tool_join", "stream.tool_deltas"),
    Scope.CHAT_STREAMS)
STREAM_TOOL_ARGS_DIFFER = _fault(
    "stream_tool_args_differ", "Streamed tool-call arguments name another city than the same call not streamed",
    ("stream.tool_join_matches",), Scope.CHAT_STREAMS)
STREAM_USAGE_EVERY_CHUNK = _fault(
    "stream_usage_every_chunk", "With include_usage every chunk carries the running usage, not only the last",
    ("stream.usage_shape",), Scope.CHAT_STREAMS)
LISTED_MODEL_UNUSABLE = _fault(
    "listed_model_unusable", "GET /models lists ref-chat-0, which chat completions answer 404 model_not_found",
    ("models.usable",), Scope.MODELS)
OTHER_CATCH_ALL = _fault(
    "other_catch_all", "The other endpoints answer 200 with an HTML page (a catch-all route, not the endpoint)",
    ("other.route_present",), Scope.OTHER_ENDPOINTS)
OTHER_VALIDATION_422 = _fault(
    "other_validation_422", "The other endpoints refuse an invalid body with 422 and a FastAPI-style detail list, "
    "not OpenAI's 400 envelope: faithful (the endpoint is there)", (), Scope.OTHER_ENDPOINTS)
FAITHFUL = (*FAITHFUL, REASONING_CONTENT_STREAMED, OTHER_VALIDATION_422)
# issue 13 (part A): Chat Completions parameters (refserver/chat_params.py applies them).
DEVELOPER_IGNORED = _fault(
    "developer_ignored", "`developer` messages are accepted but dropped: their instructions do not steer the answer",
    ("chat.developer_applied",), Scope.CHAT)
MAX_COMPLETION_TOKENS_IGNORED = _fault(
    "max_completion_tokens_ignored", "max_completion_tokens is ignored (only max_tokens limits the answer)",
    ("chat.finish_length",), Scope.CHAT)
N_IGNORED = _fault("n_ignored", "n > 1 is answered with one choice", ("chat.n_choices",), Scope.CHAT)
STOP_IGNORED = _fault(
    "stop_ignored", "stop sequences are ignored: the full answer, stop sequence included", ("chat.stop_applied",),
    Scope.CHAT)
SEED_IGNORED = _fault(
    "seed_ignored", "A seeded request at temperature 0 gets a different answer each time", ("chat.seed_repeatable",),
    Scope.CHAT)
LOGPROBS_ABSENT = _fault(
    "logprobs_absent", "logprobs true is answered with logprobs null", ("chat.logprobs_shape", "chat.top_logprobs"),
    Scope.CHAT)
TOP_LOGPROBS_IGNORED = _fault(
    "top_logprobs_ignored", "top_logprobs is ignored: every token's top_logprobs is empty", ("chat.top_logprobs",),
    Scope.CHAT)
TOP_P_OUT_OF_RANGE_ACCEPTED = _fault(
    "top_p_out_of_range_accepted", "top_p outside OpenAI's 0..1 is clamped silently (200)",
    ("chat.sampling_out_of_range_refused",), Scope.CHAT)
EMPTY_CONTENT = _fault(
    "empty_content", "Text answers arrive with content \"\" while usage counts the tokens and finish_reason is stop",
    ("chat.empty_answer",), Scope.CHAT)
N_REFUSED = _fault(
    "n_refused", "n > 1 is refused with a clean 400 (a faithful refusal of an optional parameter: chat.n REJECTED)",
    (), Scope.CHAT)
# issue 13 (websocket): the Responses API's WebSocket mode (refserver/responses_ws.py applies them).
_WS = Scope.RESPONSES_WEBSOCKET
RESPONSES_WS_KEEPALIVE_TEXT = _fault(
    "responses_ws_keepalive_text", "The Responses WebSocket sends a non-JSON text frame `keepalive` before each turn's "
    "events", ("realtime.frames_json",), _WS)
RESPONSES_WS_PART_UNTYPED = _fault(
    "responses_ws_part_untyped", "On the Responses WebSocket, content_part events carry a part without its `type`",
    ("responses.ws.event_schema",), _WS)
RESPONSES_WS_NO_CREATED = _fault(
    "responses_ws_no_created", "On the Responses WebSocket, a turn's events start without response.created",
    ("responses.ws.turn_events",), _WS)
RESPONSES_WS_FAILED = _fault(
    "responses_ws_failed", "On the Responses WebSocket, every turn ends with response.failed (a server_error) instead "
    "of response.completed", ("responses.ws.completed",), _WS)
RESPONSES_WS_PREVIOUS_IGNORED = _fault(
    "responses_ws_previous_ignored", "On the Responses WebSocket, previous_response_id is echoed but not applied: the "
    "turn is answered without the earlier one (its input tokens do not grow)", ("responses.ws.continuation",), _WS)
RESPONSES_WS_SAME_ID = _fault(
    "responses_ws_same_id", "On the Responses WebSocket, every turn is answered under the session's first response "
    "id", ("responses.ws.continuation",), _WS)
RESPONSES_WS_ABSENT = _fault(
    "responses_ws_absent", "GET /v1/responses is not upgraded to a WebSocket (404 Invalid URL), as on a provider "
    "without WebSocket mode: responses.websocket is REJECTED (endpoint absent), never FAIL", (), _WS)
RESPONSES_WS_CHAIN_REFUSED = _fault(
    "responses_ws_chain_refused", "On the Responses WebSocket, a response.create with previous_response_id is refused "
    "with a clean `error` event (status 400): responses.websocket is REJECTED, never FAIL", (), _WS)
RESPONSES_WS_SEQUENCE_CONTINUES = _fault(
    "responses_ws_sequence_continues", "On the Responses WebSocket, sequence_number counts on across the session's "
    "turns instead of restarting per response: faithful", (), _WS)
FAITHFUL = (*FAITHFUL, RESPONSES_WS_SEQUENCE_CONTINUES)

# issue 13 (budget): a refused cancel is judged by what the response was afterwards (refserver/responses_api.py).
CANCEL_REFUSED = _fault(
    "cancel_refused", "cancel of a queued background response answers 400 (it stays queued)",
    ("responses.background_cancel",), Scope.RESPONSES)
CANCEL_FINISHED_REFUSED = _fault(
    "cancel_finished_refused", "A background response finishes before its cancel arrives, and the cancel of a "
    "finished response answers 400 (as vLLM does): faithful", (), Scope.RESPONSES)
FAITHFUL = (*FAITHFUL, CANCEL_FINISHED_REFUSED)
