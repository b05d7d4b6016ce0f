"""The rest of OpenAI's surface, one cheap existence row per endpoint (issue 13 part B, group "other endpoints").

Each row sends one empty JSON object (`{}`) to the endpoint: every required field is missing (OAS `required` of the
request schema named in `source`), so a server that has the endpoint refuses it without generating or billing
anything. PRESENT (2xx, or a 4xx about the body) is PASS; ABSENT (404/405 on the route) is REJECTED "endpoint absent";
anything else is ERROR (429/5xx, 401/403) or FAIL (a catch-all page that is not the endpoint).
"""

from __future__ import annotations

from .model import Feature, Surface, Tier

# (endpoint path, request name, the OAS request schema whose required fields `{}` lacks)
ENDPOINTS: tuple[tuple[str, str, str], ...] = (
    ("/completions", "other.completions", "CreateCompletionRequest (model, prompt)"),
    ("/audio/speech", "other.audio_speech", "CreateSpeechRequest (model, input, voice)"),
    ("/audio/transcriptions", "other.audio_transcriptions", "CreateTranscriptionRequest (file, model; multipart)"),
    ("/images/generations", "other.images_generations", "CreateImageRequest (prompt)"),
    ("/moderations", "other.moderations", "CreateModerationRequest (input)"),
    ("/batches", "other.batches", "POST /batches body (input_file_id, endpoint, completion_window)"),
    ("/uploads", "other.uploads", "CreateUploadRequest (filename, purpose, bytes, mime_type)"),
)

ROWS: tuple[Feature, ...] = tuple(
    Feature(name, Surface.OTHER, f"POST {path} exists (an empty body is refused as invalid, not as no route)",
            Tier.OPTIONAL, f"OAS POST {path}; {schema}", (name,), ("other.route_present",), expects_error=True)
    for path, name, schema in ENDPOINTS
)
