"""The Chat Completions parameter rows of issue 13 part A (provenance in `source`, added 2026-11-26).

OAS = OpenAI's OpenAPI spec (CreateChatCompletionRequest), SDK = the pinned openai package's types. Every row that
expects text also carries `chat.empty_answer` (a SHOULD: a 200 with neither content nor tool calls).
"""

from __future__ import annotations

from .model import Feature, Surface, Tier

JSON_BODY = ("sdk.parse", "schema.body", "http.json_content_type")
EMPTY = "chat.empty_answer"
C = Surface.CHAT

ROWS: tuple[Feature, ...] = (
    Feature("chat.developer_role", C, "A developer message is accepted and steers like a system message", Tier.CORE,
            "OAS ChatCompletionRequestDeveloperMessage; SDK ChatCompletionDeveloperMessageParam", ("chat.developer",),
            (*JSON_BODY, "chat.assistant_message", "chat.developer_applied", EMPTY),
            model_dependent=("chat.developer_applied",)),
    Feature("chat.max_completion_tokens", C, "max_completion_tokens=1 cuts the answer like max_tokens (finish_reason "
            "length)", Tier.CORE, "OAS max_completion_tokens (max_tokens is deprecated)",
            ("chat.max_completion_tokens",), (*JSON_BODY, "chat.finish_length")),
    Feature("chat.n", C, "n=2 gives two choices (indexes 0 and 1) or a clean refusal", Tier.OPTIONAL,
            "OAS n (1..128)", ("chat.n",), (*JSON_BODY, "chat.n_choices", EMPTY)),
    Feature("chat.stop", C, "A stop sequence ends the answer before it (not echoed; finish_reason stop)", Tier.CORE,
            "OAS StopConfiguration ('The returned text will not contain the stop sequence')",
            ("chat.basic:stop", "chat.basic"), ("schema.flow", "chat.stop_applied", EMPTY)),
    Feature("chat.seed", C, "seed is accepted; the same seeded request at temperature 0 gets the same answer",
            Tier.OPTIONAL, "OAS seed (Beta, deprecated: best effort per system_fingerprint)",
            ("chat.seed:first", "chat.seed:second"), ("schema.flow", "chat.seed_repeatable", EMPTY),
            model_dependent=("chat.seed_repeatable",)),
    Feature("chat.logprobs", C, "logprobs true, with and without top_logprobs, gives the logprobs structure",
            Tier.OPTIONAL, "OAS logprobs, top_logprobs (0..20); SDK ChoiceLogprobs",
            ("chat.logprobs:plain", "chat.logprobs:top"),
            ("schema.flow", "chat.logprobs_shape", "chat.top_logprobs", EMPTY)),
    Feature("chat.sampling_ranges", C, "temperature 2 and top_p 1 (documented bounds) are accepted; top_p 1.5 and "
            "temperature 5 are refused with 400", Tier.CORE, "OAS temperature (0..2), top_p (0..1)",
            ("chat.sampling:bounds", "chat.sampling:top_p_over", "chat.invalid_cases:out_of_range"),
            ("schema.flow", "chat.sampling_out_of_range_refused")),
)
