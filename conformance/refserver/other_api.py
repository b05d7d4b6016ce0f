"""The rest of OpenAI's surface, as far as the existence rows need it: each endpoint validates its body's required
fields (OAS `required`) and refuses what lacks them; a valid body is answered 501, since the reference server
generates no audio, images, moderations, batches or uploads."""

from __future__ import annotations

from . import faults as F
from .calls import Call, Endpoint, Handler, Validator, parse_json
from .fault_types import Scope
from .responses import JSON, ApiError, Reply, Response, dumps

# path -> required fields of its request body (OAS: CreateCompletionRequest, CreateSpeechRequest, ...)
REQUIRED: dict[str, tuple[str, ...]] = {
    "/completions": ("model", "prompt"),
    "/audio/speech": ("model", "input", "voice"),
    "/images/generations": ("prompt",),
    "/moderations": ("input",),
    "/batches": ("input_file_id", "endpoint", "completion_window"),
    "/uploads": ("filename", "purpose", "bytes", "mime_type"),
}
MULTIPART = "/audio/transcriptions"  # file and model, sent as multipart/form-data
CATCH_ALL_PAGE = b"<!doctype html><html><head><title>App</title></head><body><div id=root></div></body></html>"


def _lenient(call: Call) -> bool:
    """Faults that answer before (or instead of) OpenAI's validation."""
    return call.faults.any(F.OTHER_CATCH_ALL, F.OTHER_VALIDATION_422)


def _missing(path: str, call: Call) -> list[str]:
    """The required fields the request lacks (for the multipart endpoint: a body that is not multipart lacks all)."""
    if path == MULTIPART:
        multipart = call.headers.get("content-type", call.headers.get("Content-Type", ""))
        return [] if multipart.lower().startswith("multipart/form-data") else ["file", "model"]
    body = parse_json(call.body)
    return [key for key in REQUIRED[path] if key not in body]


def _validator(path: str) -> Validator:
    def validate(call: Call) -> None:
        """400 naming the first missing required field, as OpenAI answers."""
        if _lenient(call):
            return
        missing = _missing(path, call)
        if missing:
            raise ApiError(400, f"Missing required parameter: '{missing[0]}'.", param=missing[0],
                           code="missing_required_parameter")

    return validate


def _handler(path: str) -> Handler:
    def handle(call: Call) -> Reply:
        """The catch-all page (other_catch_all), FastAPI's 422 (other_validation_422), else 501 for a valid body."""
        if call.has(F.OTHER_CATCH_ALL):
            return Response(200, {"Content-Type": "text/html; charset=utf-8"}, CATCH_ALL_PAGE)
        missing = _missing(path, call)
        if call.has(F.OTHER_VALIDATION_422) and missing:
            detail = [{"type": "missing", "loc": ["body", key], "msg": "Field required", "input": {}}
                      for key in missing]
            return Response(422, {"Content-Type": JSON}, dumps({"detail": detail}))
        raise ApiError(501, f"POST {path} is not implemented by the reference server", kind="server_error",
                       code="not_implemented")

    return handle


ROUTES: tuple[Endpoint, ...] = tuple(
    Endpoint("POST", path, _handler(path), Scope.OTHER_ENDPOINTS, validate=_validator(path), stateful=False)
    for path in (*REQUIRED, MULTIPART)
)
