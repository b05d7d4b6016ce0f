"""Response descriptions and the OpenAI error envelope, with the faults that bend bodies and errors applied."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.vocabulary import EVENT_STREAM
from . import faults as F
from .fault_types import ActiveFaults

JSON = "application/json"
# ansi_error_message: clear screen, cursor home, window title (OSC 0 ... BEL), BEL, NUL, red as a C1 CSI character.
ESCAPES = "\x1b[2J\x1b[H\x1b]0;conformance-pwned\x07\x07\x00\u009b31m"
SSE = EVENT_STREAM
CREATED = 1700000000


@dataclass
class Response:
    """What to send: status, headers, and either a whole body or a list of SSE byte chunks."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunks: list[bytes] | None = None

    @property
    def is_stream(self) -> bool:
        """True when the body is sent chunk by chunk."""
        return self.chunks is not None

    def json(self) -> Any:
        """The whole body parsed as JSON (tests and debugging)."""
        return json.loads(self.body)


class ApiError(Exception):
    """An error answered with OpenAI's envelope {"error": {message, type, param, code}}."""

    def __init__(self, status: int, message: str, *, param: str | None = None, code: str | None = None,
                 kind: str = "invalid_request_error", headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.kind = kind
        self.headers = headers or {}

    def envelope(self) -> dict[str, Any]:
        """The OpenAI error body."""
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# What an endpoint handler answers: a Response as it is, or a JSON object for a 200 that the dispatcher encodes.
Reply = Response | dict[str, Any]


def error_response(err: ApiError, faults: ActiveFaults) -> Response:
    """The error as a response; error_no_envelope, ansi_error_message and error_missing_code bend it."""
    headers = dict(err.headers)
    if faults.has(F.ERROR_NO_ENVELOPE):
        headers["Content-Type"] = "text/plain; charset=utf-8"
        return Response(err.status, headers, b"bad request")
    body = err.envelope()
    if faults.has(F.ANSI_ERROR_MESSAGE):
        body["error"]["message"] = f"{ESCAPES}{err.message}{ESCAPES}"
    if faults.has(F.ERROR_MISSING_CODE):
        del body["error"]["param"], body["error"]["code"]
    headers["Content-Type"] = JSON
    return Response(err.status, headers, dumps(body))


def _mangle(body: dict[str, Any], faults: ActiveFaults) -> dict[str, Any]:
    """created_string and missing_object on a top-level body and its data items."""
    body = dict(body)
    if faults.has(F.CREATED_STRING):
        if "created" in body:
            body["created"] = str(body["created"])
        if isinstance(body.get("data"), list):
            body["data"] = [{**i, "created": str(i["created"])} if "created" in i else i for i in body["data"]]
    if faults.has(F.MISSING_OBJECT):
        body.pop("object", None)
    return body


def json_response(body: dict[str, Any], faults: ActiveFaults, status: int = 200) -> Response:
    """A 2xx JSON answer; created_string, missing_object, invalid_json_body, wrong_content_type bend it."""
    raw = dumps(_mangle(body, faults))
    if faults.has(F.INVALID_JSON_BODY):
        raw = raw[: len(raw) // 2]
    kind = "text/plain; charset=utf-8" if faults.has(F.WRONG_CONTENT_TYPE) else JSON
    return Response(status, {"Content-Type": kind}, raw)


def encode(reply: Reply, faults: ActiveFaults) -> Response:
    """A handler's reply as a Response: a JSON object becomes a 200 JSON answer with the body faults applied."""
    return reply if isinstance(reply, Response) else json_response(reply, faults)
