"""What the realtime probes send (sessions, tools, an invalid event), shared with the checks that read it back."""

from __future__ import annotations

import json
from typing import Any

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "name": "get_weather",
    "description": "Look up the weather for a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                   "additionalProperties": False},
}
FORCED_CHOICE: dict[str, Any] = {"type": "function", "name": "get_weather"}
UPDATE_SESSION: dict[str, Any] = {
    "type": "realtime",
    "instructions": "You are a conformance probe. Answer in one short sentence.",
    "output_modalities": ["text"],
    "tools": [WEATHER_TOOL],
    "tool_choice": "required",
}
# Sessions that ask for a response cap its output tokens (the live plan's bound; Yandex bills Realtime per token).
TEXT_SESSION: dict[str, Any] = {"type": "realtime", "output_modalities": ["text"],
                                "instructions": "Answer in one short sentence.", "max_output_tokens": 64}
TOOLS_SESSION: dict[str, Any] = {**TEXT_SESSION, "tools": [WEATHER_TOOL], "tool_choice": FORCED_CHOICE}
AUDIO_SESSION: dict[str, Any] = {
    "type": "realtime",
    "output_modalities": ["audio"],
    "max_output_tokens": 256,
    "audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000}, "turn_detection": None},
              "output": {"format": {"type": "audio/pcm", "rate": 24000}}},
}
INVALID_EVENT_ID = "evt_conformance_invalid"
INVALID_EVENT: dict[str, Any] = {"type": "conformance.no_such_event", "event_id": INVALID_EVENT_ID}
TOOL_OUTPUT = json.dumps({"city": "Paris", "forecast": "sunny", "celsius": 21})
TONE_SECONDS = 0.5
