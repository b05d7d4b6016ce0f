"""The feature rows for Models, Chat Completions and Embeddings (provenance in `source`, added 2026-11-21).

Source keys are those of shared claims.md: SEED = the seed page (AI Studio OpenAI compatibility, 2025-10-09),
OC-C = current public compatibility page, CHAT-REF = generated chat reference, OAS = OpenAI OpenAPI spec 2.3.0.
"""

from __future__ import annotations

from .invalid import case_steps
from .model import Feature, Surface, Tier

JSON_BODY = ("sdk.parse", "schema.body", "http.json_content_type")
STREAM = ("sdk.parse", "sse.framing", "sse.done", "stream.chunk_schema", "stream.same_id", "stream.finish_once")
TOOL_CALL = ("tools.call_shape", "tools.finish_reason", "tools.unique_ids")
EMPTY = "chat.empty_answer"  # a SHOULD on every row that expects text (issue 13)
# An errors row: its primary invalid request, then every case of catalogue.invalid, each refused with an envelope.
ERROR_CHECKS = ("errors.status_4xx", "errors.envelope", "errors.envelope_complete", "errors.cases_refused",
                "errors.values_refused", "errors.cases_envelope_complete")

ROWS: tuple[Feature, ...] = (
    Feature("models.list", Surface.MODELS, "List models", Tier.CORE, "SEED; OC-C; MODELS-REF; OAS GET /models",
            ("models.list",), (*JSON_BODY, "models.nonempty", "models.configured_listed")),
    Feature("models.retrieve", Surface.MODELS, "Retrieve the configured chat model", Tier.OPTIONAL,
            "OAS GET /models/{model}", ("models.retrieve",), (*JSON_BODY, "models.retrieve_id")),
    Feature("chat.basic", Surface.CHAT, "Non-streamed chat completion", Tier.CORE, "SEED; OC-C; CHAT-REF",
            ("chat.basic",), (*JSON_BODY, "chat.assistant_message", "chat.usage", "chat.id_format", EMPTY)),
    Feature("chat.max_tokens", Surface.CHAT, "max_tokens=1 ends with finish_reason length", Tier.CORE,
            "SEED (max_tokens); CHAT-REF", ("chat.max_tokens",), (*JSON_BODY, "chat.finish_length")),
    Feature("chat.stream", Surface.CHAT, "SSE streaming", Tier.CORE, "SEED (stream); CHAT-REF",
            ("chat.stream", "chat.basic"),
            (*STREAM, "stream.role_first_only", "stream.no_usage_unasked", "stream.joined_matches")),
    Feature("chat.stream.include_usage", Surface.CHAT, "stream_options.include_usage sends a usage chunk",
            Tier.OPTIONAL, "CHAT-REF (marked NOT SUPPORTED); OAS", ("chat.stream_usage",),
            (*STREAM, "stream.usage_chunk")),
    Feature("chat.json_schema", Surface.CHAT, "response_format json_schema (strict) output validates", Tier.CORE,
            "SEED (response_format); CHAT-REF", ("chat.json_schema",), (*JSON_BODY, "chat.json_schema_valid", EMPTY)),
    Feature("chat.json_object", Surface.CHAT, "response_format json_object returns a JSON object", Tier.OPTIONAL,
            "CHAT-REF (text|json_schema|json_object)", ("chat.json_object",),
            (*JSON_BODY, "chat.json_object_valid", EMPTY)),
    Feature("chat.tools.auto", Surface.CHAT, "Function tools with tool_choice auto", Tier.CORE,
            "SEED (auto, first); OC-C (auto, none)", ("chat.tools_auto",),
            (*JSON_BODY, "tools.auto_called", *TOOL_CALL), model_dependent=("tools.auto_called",)),
    Feature("chat.tool_choice.none", Surface.CHAT, "tool_choice none produces no tool call", Tier.CORE,
            "OC-C (auto, none); absent from SEED", ("chat.tool_none", "chat.tools_auto"),
            (*JSON_BODY, "tools.none_no_call", EMPTY)),
    Feature("chat.tool_choice.required", Surface.CHAT, "tool_choice required forces a tool call", Tier.CORE,
            "OAS; SDK docstring; not in SEED or OC-C", ("chat.tool_required",),
            (*JSON_BODY, "tools.forced_call", *TOOL_CALL)),
    Feature("chat.tool_choice.named", Surface.CHAT, "Named tool_choice forces that function", Tier.CORE,
            "OAS; SDK docstring; not in SEED or OC-C", ("chat.tool_named",),
            (*JSON_BODY, "tools.named_call", *TOOL_CALL)),
    Feature("chat.tool_choice.first", Surface.CHAT, "tool_choice \"first\" (Yandex seed value) calls the first tool",
            Tier.EXTENSION, "SEED (auto, first); not an OpenAI value", ("chat.tool_first",),
            (*JSON_BODY, "tools.first_called", *TOOL_CALL)),
    Feature("chat.stream.tools", Surface.CHAT, "Tool calls streamed as deltas", Tier.OPTIONAL, "CHAT-REF; OAS",
            ("chat.stream_tools",), (*STREAM, "stream.tool_deltas", "stream.tool_delta_keys")),
    Feature("chat.errors", Surface.CHAT, "Invalid requests (an invalid role, a missing field, a wrong type, an "
            "out-of-range value, an unknown model) give 4xx with an OpenAI error envelope", Tier.CORE,
            "OAS ErrorResponse; claims.md §2", ("chat.invalid", "chat.basic", *case_steps("chat")), ERROR_CHECKS,
            expects_error=True),
    Feature("chat.parallel_tool_calls", Surface.CHAT, "parallel_tool_calls false yields at most one tool call",
            Tier.OPTIONAL, "OAS parallel_tool_calls; CHAT-REF (NOT SUPPORTED BY ALL MODELS)", ("chat.parallel_false",),
            (*JSON_BODY, "tools.forced_call", "tools.parallel_false", *TOOL_CALL)),
    Feature("chat.unknown_params", Surface.CHAT, "An unknown top-level parameter (top_k) is refused with 400",
            Tier.EXTENSION, "OpenAI answers 400 Unrecognized request argument; Yandex SDK test_extra_query",
            ("chat.unknown_param", "chat.basic"), ("errors.unknown_param_rejected",), expects_error=True),
    Feature("embeddings.float", Surface.EMBEDDINGS, "Float embeddings for a single string", Tier.CORE,
            "SEED (single strings, float)", ("embeddings.float",),
            (*JSON_BODY, "embeddings.float_vectors", "embeddings.count_index", "embeddings.usage")),
    Feature("embeddings.batch", Surface.EMBEDDINGS, "Embeddings for a list of inputs", Tier.OPTIONAL,
            "OAS; SEED says single strings", ("embeddings.batch",),
            (*JSON_BODY, "embeddings.float_vectors", "embeddings.count_index", "embeddings.consistent_dim")),
    Feature("embeddings.base64", Surface.EMBEDDINGS, "encoding_format base64", Tier.OPTIONAL,
            "OAS; SEED says float only", ("embeddings.base64", "embeddings.float"),
            (*JSON_BODY, "embeddings.base64_decodes")),
    Feature("embeddings.dimensions", Surface.EMBEDDINGS, "dimensions shortens the vector", Tier.OPTIONAL,
            "OAS; undocumented by Yandex", ("embeddings.dimensions",), (*JSON_BODY, "embeddings.dimensions_applied")),
)
