"""Feature rows of issue 13 (part C): Responses state (store false, previous_response_id chains) and streamed calls.

Source keys: OAS = the OpenAI OpenAPI spec (path, schema or field named), SDK = the pinned openai SDK's types,
WS-MODE = OpenAI's "WebSocket mode" guide for the Responses API (wss://…/v1/responses, response.create events),
OPEN-RESP = the Open Responses specification (its 2026-04-24 version added the WebSocket transport of /v1/responses).
"""

from __future__ import annotations

from .model import Feature, Surface, Tier

R = Surface.RESPONSES
STREAM_MACHINE = ("sdk.parse", "sse.framing", "responses.stream.event_schema", "responses.stream.event_names",
                  "responses.stream.created_first", "responses.stream.sequence", "responses.stream.items",
                  "responses.stream.terminal")
JSON_BODY = ("sdk.parse", "schema.body", "http.json_content_type")
ENVELOPE = ("errors.status_4xx", "errors.envelope", "errors.envelope_complete")

ROWS: tuple[Feature, ...] = (
    Feature("responses.store_false", R, "store false keeps nothing: retrieve is 404, previous_response_id at it is "
            "refused", Tier.OPTIONAL, "OAS CreateResponse.store (default true); OAS GET /responses/{response_id}",
            ("responses.state:unstored", "responses.state:retrieve_unstored", "responses.state:chain_unstored",
             "responses.lifecycle:retrieve", "responses.previous:second"),
            ("schema.flow", "responses.unstored_not_retrievable", "responses.unstored_chain_refused",
             "responses.previous_not_found_code")),
    Feature("responses.previous_not_found", R, "An unknown previous_response_id gives a 4xx error envelope, not a "
            "fresh answer", Tier.CORE, "OAS previous_response_id; OAS ErrorResponse",
            ("responses.state:chain_unknown", "responses.previous:second"),
            (*ENVELOPE, "responses.previous_not_found_code"), expects_error=True),
    Feature("responses.stream.tool_call_events", R, "A forced function call streams as "
            "function_call_arguments.delta/done on a function_call item", Tier.OPTIONAL,
            "OAS ResponseFunctionCallArgumentsDeltaEvent / DoneEvent; SDK ResponseStreamEvent",
            ("responses.tool_stream:call",), (*STREAM_MACHINE, "responses.stream.function_call_events")),
    Feature("responses.previous_with_tools", R, "previous_response_id keeps the earlier function_call, so a "
            "function_call_output answers it", Tier.CORE,
            "OAS previous_response_id; OAS FunctionCallOutputItemParam.call_id",
            ("responses.tool_stream:call", "responses.tool_stream:answer", "responses.previous:second"),
            ("schema.flow", "responses.chain_call_answered", "responses.chain_reply"),
            model_dependent=("responses.chain_reply",)),
    Feature("responses.compact", R, "/responses/compact turns a history into its user messages and one compaction "
            "item", Tier.EXTENSION, "OAS POST /responses/compact (CompactResource); SDK CompactedResponse",
            ("responses.compact",), (*JSON_BODY, "responses.compacted")),
    Feature("responses.websocket", R, "The Responses API over a WebSocket: two sequential turns on one socket, the "
            "second continuing the first with previous_response_id", Tier.EXTENSION,
            "WS-MODE (persistent /v1/responses socket; response.create mirrors the create body; continue with "
            "previous_response_id, store=false too); OPEN-RESP 2026-04-24 (sequential turns, connection-local "
            "state, error events); SDK responses.connect, ResponsesServerEvent",
            ("responses.websocket",), ("realtime.frames_json", "responses.ws.event_schema", "responses.ws.turn_events",
                                       "responses.ws.completed", "responses.ws.continuation")),
)
