"""Realtime event vocabulary: GA names, the legacy (beta) names some servers still send, and id keys."""

from __future__ import annotations

from typing import Any

# The SDK's path segments of the two WebSocket APIs, after its websocket_base_url: the Realtime API
# (client.realtime.connect) and the Responses API's WebSocket mode (client.responses.connect).
REALTIME = "realtime"
RESPONSES = "responses"
# Server events whose `response` is a finished response with its usage: Realtime's response.done, and the terminal
# events of the Responses stream (the Responses WebSocket mode sends the same events as its HTTP stream).
USAGE_EVENTS = frozenset({"response.done", "response.completed", "response.incomplete", "response.failed"})

# Legacy beta event name -> the GA name that replaced it (OpenAI Realtime GA, 2025-08; Yandex kept some, TP-RT §1).
LEGACY_NAMES: dict[str, str] = {
    "conversation.item.created": "conversation.item.added",
    "response.text.delta": "response.output_text.delta",
    "response.text.done": "response.output_text.done",
    "response.audio.delta": "response.output_audio.delta",
    "response.audio.done": "response.output_audio.done",
    "response.audio_transcript.delta": "response.output_audio_transcript.delta",
    "response.audio_transcript.done": "response.output_audio_transcript.done",
}
GA_TO_LEGACY: dict[str, str] = {ga: legacy for legacy, ga in LEGACY_NAMES.items()}

# Keys whose values the server or SDK mint per session: ignored when a replayed client frame is compared.
VOLATILE_KEYS = frozenset({"event_id", "id", "item_id", "previous_item_id", "response_id", "conversation_id"})
# Keys that carry base64 audio: stored in cassettes by hash, length and head.
AUDIO_KEYS = frozenset({"audio", "delta"})


def canonical(event_type: str) -> str:
    """The GA name of an event type (legacy names mapped, others unchanged)."""
    return LEGACY_NAMES.get(event_type, event_type)


def event_type(event: Any) -> str:
    """The `type` of a decoded frame ('' when it is not an object with a string type)."""
    if isinstance(event, dict) and isinstance(event.get("type"), str):
        return str(event["type"])
    return ""


def is_audio_event(kind: str) -> bool:
    """True for events whose `delta`/`audio` field is base64 audio, not text."""
    kind = canonical(kind)
    return kind in ("input_audio_buffer.append", "response.output_audio.delta")
