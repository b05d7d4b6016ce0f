"""Rows whose requests hypothesis generates (replayable: derandomized, fixed count; added 2026-11-22)."""

from __future__ import annotations

from .model import Feature, Surface, Tier

ROWS: tuple[Feature, ...] = (
    Feature("chat.json_schema.generated", Surface.CHAT, "Generated strict json_schema cases (Unicode prompts, "
            "documented parameter ranges) validate", Tier.OPTIONAL, "SEED (response_format); OAS strict subset",
            ("chat.generated_json",), ("generated.json_schema_valid",)),
    Feature("chat.tools.generated", Surface.CHAT, "Generated tool definitions forced by name get valid arguments",
            Tier.OPTIONAL, "OAS tools / named tool_choice", ("chat.generated_tools",), ("generated.tool_args_valid",)),
)
