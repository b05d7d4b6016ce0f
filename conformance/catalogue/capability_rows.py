"""Chat rows of issue 13 part B: image input, reasoning, the SDK's stream joins, usage placement, listed models.

Source keys: OAS = the OpenAI OpenAPI spec (shared reference/openai/openapi.yaml); SDK = the pinned openai package.
"""

from __future__ import annotations

from .model import Feature, Surface, Tier
from .rows import JSON_BODY, STREAM

C = Surface.CHAT

ROWS: tuple[Feature, ...] = (
    Feature("chat.image_input", C, "An image content part (a tiny PNG data URL) is read by a vision model",
            Tier.OPTIONAL, "OAS ChatCompletionRequestMessageContentPartImage (image_url data URL); SDK "
            "ChatCompletionContentPartImageParam", ("chat.image_input", "chat.basic"),
            (*JSON_BODY, "chat.assistant_message", "chat.image_counted")),
    Feature("chat.reasoning", C, "reasoning_effort is accepted; streamed reasoning deltas join with the SDK",
            Tier.OPTIONAL, "OAS CreateChatCompletionRequest.reasoning_effort (ReasoningEffort); SDK "
            "lib/streaming/_deltas.accumulate_delta", ("chat.reasoning",), (*STREAM, "stream.reasoning_join")),
    Feature("chat.stream.tool_join", C, "Streamed tool calls joined as the SDK joins them equal the non-streamed "
            "call", Tier.OPTIONAL, "OAS ChatCompletionMessageToolCallChunk (index required); SDK accumulate_delta",
            ("chat.stream_tools", "chat.tool_required"), ("stream.tool_join", "stream.tool_join_matches"),
            model_dependent=("stream.tool_join_matches",)),
    Feature("chat.stream.usage_shape", C, "include_usage: usage null until a last choices [] chunk; none unasked",
            Tier.OPTIONAL, "OAS ChatCompletionStreamOptions.include_usage; SDK ChatCompletionChunk.usage",
            ("chat.stream_usage", "chat.stream"), ("stream.usage_chunk", "stream.usage_shape")),
    Feature("chat.models_usable", C, "Every chat-capable id GET /models lists works unchanged as model",
            Tier.OPTIONAL, "OAS GET /models (Model.id) and CreateChatCompletionRequest.model",
            ("models.list",), ("models.usable",)),
)
