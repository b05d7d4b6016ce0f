"""Feature rows of the Responses API (added 2026-11-22, issue 3).

Source keys are those of shared claims.md (RESP-REF, RESP-IDX, CTX, BG, FS-AGENT, FUNC-AGENT, EX, ...) and
OAS = the OpenAI OpenAPI spec. Rows whose first request is a flow step (`<flow>:<label>`) grade that step.
"""

from __future__ import annotations

from .invalid import case_steps
from .model import Feature, Surface, Tier
from .rows import ERROR_CHECKS

JSON_BODY = ("sdk.parse", "schema.body", "http.json_content_type")
RESPONSE = (*JSON_BODY, "responses.output_text", "responses.status_completed")
STREAM = ("sdk.parse", "sse.framing", "responses.stream.event_schema", "responses.stream.event_names",
          "responses.stream.created_first", "responses.stream.sequence", "responses.stream.items",
          "responses.stream.deltas_join", "responses.stream.terminal", "responses.stream.matches_retrieve")
R = Surface.RESPONSES

ROWS: tuple[Feature, ...] = (
    Feature("responses.basic", R, "Plain text response", Tier.CORE,
            "OC-C (full support); RESP-REF; OAS POST /responses", ("responses.lifecycle:create",),
            (*RESPONSE, "responses.usage", "responses.id_format", "responses.created_at_seconds")),
    Feature("responses.stream", R, "Streamed response: typed events as a consistent state machine", Tier.CORE,
            "EX; TP-COMPILED §7.6; OAS ResponseStreamEvent", ("responses.stream", "responses.stream:retrieve"),
            STREAM),
    Feature("responses.retrieve", R, "Retrieve a stored response", Tier.CORE, "RESP-IDX getResponse; OAS",
            ("responses.lifecycle:retrieve", "responses.lifecycle:create"),
            ("schema.flow", "lifecycle.retrieve_matches")),
    Feature("responses.delete", R, "Delete a stored response; it is gone afterwards", Tier.CORE,
            "RESP-IDX deleteResponse; OAS", ("responses.lifecycle:delete", "responses.lifecycle:after_delete"),
            ("schema.flow", "lifecycle.deleted_ack", "lifecycle.gone_after_delete")),
    Feature("responses.input_items", R, "List a response's input items", Tier.OPTIONAL, "RESP-IDX listInputItems; OAS",
            ("responses.lifecycle:input_items", "responses.lifecycle:create"),
            ("schema.flow", "responses.input_items")),
    Feature("responses.previous_response_id", R, "previous_response_id carries the earlier turn", Tier.CORE,
            "CTX; EX; OAS previous_response_id", ("responses.previous:second", "responses.previous:first"),
            ("schema.flow", "responses.previous_context", "responses.previous_echo"),
            model_dependent=("responses.previous_context",)),
    Feature("responses.instructions", R, "instructions steer the answer and are echoed", Tier.CORE,
            "PROMPT; EX; OAS instructions", ("responses.instructions",),
            (*JSON_BODY, "responses.instructions_applied", "responses.instructions_echo"),
            model_dependent=("responses.instructions_applied",)),
    Feature("responses.tools.function", R, "Function tool round: function_call, then function_call_output", Tier.CORE,
            "FUNC-AGENT; EX; OAS FunctionTool", ("responses.function_round:call", "responses.function_round:result"),
            ("schema.flow", "responses.function_call", "responses.call_ids", "responses.tool_result_answer"),
            model_dependent=("responses.function_call", "responses.tool_result_answer")),
    Feature("responses.tool_choice", R, "Named and required tool_choice force a function_call", Tier.CORE,
            "RESP-REF (full union, copied from OpenAI); OAS ToolChoice",
            ("responses.tool_choice:named", "responses.tool_choice:required"),
            ("schema.flow", "responses.named_call", "responses.required_call")),
    Feature("responses.text_format", R, "text.format json_schema (strict) and json_object", Tier.CORE,
            "RESP-REF text.format; OAS", ("responses.text_format:json_schema", "responses.text_format:json_object"),
            ("schema.flow", "responses.json_schema_valid", "responses.json_object_valid")),
    Feature("responses.max_output_tokens", R, "A tiny max_output_tokens ends incomplete (reason max_output_tokens)",
            Tier.CORE, "PROMPT; EX; RESP-REF IncompleteDetails.reason", ("responses.max_output_tokens",),
            (*JSON_BODY, "responses.incomplete_max_tokens")),
    Feature("responses.background", R, "background: queued, completed by polling; cancel", Tier.OPTIONAL,
            "BG; RESP-IDX cancelResponse; OAS background",
            ("responses.background:create", "responses.background:poll", "responses.background:cancel_create",
             "responses.background:cancel", "responses.background:after_cancel"),
            ("schema.flow", "responses.background_queued", "responses.background_completes",
             "responses.background_cancel")),
    Feature("responses.file_search", R, "file_search over one vector store holding an uploaded file", Tier.OPTIONAL,
            "FS-AGENT; PRECHUNK; TP-COMPILED §5.3 (one index per request); OAS FileSearchTool",
            ("files.store:file_search/search", "files.store:files/upload", "files.store:attach/attach",
             "files.store:attach/poll"),
            ("schema.flow", "responses.file_search_call", "responses.file_search_answer"),
            model_dependent=("responses.file_search_answer",)),
    Feature("responses.truncation", R, "truncation auto is accepted and applied", Tier.OPTIONAL,
            "RESP-REF (marked NOT SUPPORTED); OAS truncation", ("responses.truncation",),
            (*JSON_BODY, "responses.truncation_echo")),
    Feature("responses.temperature_range", R, "temperature 1.5 (OpenAI range 0-2) is accepted and applied",
            Tier.OPTIONAL, "RESP-REF (0-1); OAS temperature 0-2", ("responses.temperature",),
            (*JSON_BODY, "responses.temperature_echo")),
    Feature("responses.errors", R, "Invalid requests (an invalid role, a missing field, a wrong type, an "
            "out-of-range value, an unknown model) give 4xx with an OpenAI error envelope", Tier.CORE,
            "OAS ErrorResponse; RESP-REF error object", ("responses.invalid", "responses.lifecycle:create",
                                                         *case_steps("responses")), ERROR_CHECKS,
            expects_error=True),
)
