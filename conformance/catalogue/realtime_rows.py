"""Feature rows of the Realtime API over WebSocket (provenance in `source`, added 2026-11-22).

Source keys are those of shared claims.md: OC-C = current compatibility page ("full support for the Realtime
API"), RT / RT-HOWTO / RT-SE / RT-CE = Yandex realtime concept, tutorial, server- and client-event references,
TP-RT = third-party observations of the live wire, OAS = OpenAI's RealtimeClientEvent / RealtimeServerEvent.
"""

from __future__ import annotations

from .model import Feature, Surface, Tier

FRAMES = ("realtime.frames_json", "realtime.schema")
RESPONSE = (*FRAMES, "realtime.state_machine", "realtime.response_done")

ROWS: tuple[Feature, ...] = (
    Feature("realtime.connect", Surface.REALTIME, "WebSocket handshake with the Authorization header; session.created "
            "first", Tier.CORE, "OC-C; RT; claims.md §11 (auth only in the Authorization header); OAS",
            ("realtime.connect", "realtime.noauth"),
            (*FRAMES, "realtime.session_created_first", "realtime.state_machine", "realtime.auth_required")),
    Feature("realtime.session_update", Surface.REALTIME, "session.update is reflected in session.updated", Tier.CORE,
            "RT-HOWTO; RT-SU (a patch answered by session.updated); OAS", ("realtime.session_update",),
            (*FRAMES, "realtime.state_machine", "realtime.session_updated_reflects")),
    Feature("realtime.text", Surface.REALTIME, "Text in, text out: response.created, items, deltas, response.done",
            Tier.CORE, "RT-HOWTO; RT-SE marks output_text deltas NOT SUPPORTED; OAS", ("realtime.text",),
            (*RESPONSE, "realtime.text_answer", "realtime.deltas_join")),
    Feature("realtime.tools", Surface.REALTIME, "Function-call round under a forced tool_choice", Tier.CORE,
            "RT-HOWTO (function_call via response.output_item.done, function_call_output); OAS", ("realtime.tools",),
            (*RESPONSE, "realtime.forced_tool_call", "realtime.tool_round", "realtime.deltas_join")),
    Feature("realtime.audio", Surface.REALTIME, "PCM16 append + commit; audio deltas decode to whole samples",
            Tier.CORE, "RT (PCM 16-bit base64); RT-HOWTO; TP-RT (44.1 kHz output); OAS", ("realtime.audio",),
            (*RESPONSE, "realtime.audio_committed", "realtime.audio_whole_samples")),
    Feature("realtime.errors", Surface.REALTIME, "An invalid client event gives an error event; the session survives",
            Tier.CORE, "RT-ERR; OAS RealtimeErrorEvent", ("realtime.invalid",),
            (*FRAMES, "realtime.error_event", "realtime.error_references_event", "realtime.session_survives")),
    Feature("realtime.event_names", Surface.REALTIME, "GA event names, not the legacy beta names", Tier.OPTIONAL,
            "TP-RT §1 (conversation.item.created); OAS GA names", ("realtime.text", "realtime.tools", "realtime.audio"),
            ("realtime.ga_event_names",)),
)
