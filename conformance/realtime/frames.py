"""WsSession: one WebSocket session (Realtime API or Responses WebSocket mode) as it went over the wire, standing in
for an HTTP Exchange."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from ..wire.endpoints import Endpoint
from .events import REALTIME, RESPONSES, canonical, event_type

CLIENT = "client"
SERVER = "server"
ACCEPTED = 101


@dataclass
class Frame:
    """One message: who sent it, when (seconds since the handshake), its text and its decoded JSON."""

    dir: str
    t: float
    text: str
    binary: bool = False
    event: Any = None

    @classmethod
    def of(cls, direction: str, t: float, data: str | bytes) -> Frame:
        """A frame from a websockets message (text frames decoded as JSON when they are JSON)."""
        if isinstance(data, bytes):
            return cls(direction, round(t, 4), data.hex(), binary=True)
        try:
            event = json.loads(data)
        except ValueError:
            event = None
        return cls(direction, round(t, 4), data, event=event)

    @property
    def type(self) -> str:
        """The event type ('' for non-JSON or untyped frames)."""
        return event_type(self.event)

    @property
    def kind(self) -> str:
        """The GA event type (legacy beta names mapped)."""
        return canonical(self.type)


@dataclass
class WsSession:
    """A realtime session: handshake status, ordered frames, close; the attributes the engine reads on an Exchange."""

    name: str
    url: str
    status: int | None = None
    frames: list[Frame] = field(default_factory=list)
    close_code: int | None = None
    close_reason: str = ""
    closed_by: str = ""
    response_body: bytes = b""
    response_headers: dict[str, str] = field(default_factory=dict)
    transport_error: str | None = None
    sdk_error: str | None = None
    sdk_result: Any = None
    attempts: int = 1
    elapsed: float = 0.0
    method: str = "WS"
    is_stream: bool = False
    url_recorded: ClassVar[bool] = True  # a session log read by lint may not record its URL (RecordedSession)

    @property
    def path(self) -> str:
        """URL path of the SDK's handshake."""
        return urlsplit(self.url).path

    @property
    def channel(self) -> str:
        """The WebSocket API of the session: `responses` (the Responses API's WebSocket mode) or `realtime`."""
        return RESPONSES if self.path.rstrip("/").endswith("/" + RESPONSES) else REALTIME

    @property
    def endpoint(self) -> Endpoint:
        """Realtime is not one of the REST endpoints."""
        return Endpoint.UNKNOWN

    @property
    def model(self) -> str:
        """The `model` query parameter of the handshake, else the model of the first client event that names one."""
        found = dict(parse_qsl(urlsplit(self.url).query)).get("model", "")
        return found or next((str(f.event["model"]) for f in self.client_frames() if f.event.get("model")), "")

    @property
    def ok(self) -> bool:
        """Upgraded (101) without a transport error."""
        return self.transport_error is None and self.status == ACCEPTED

    @property
    def request_json(self) -> dict[str, Any]:
        """What the client asked for: the model and the session settings it sent (session.update events merged);
        on the Responses WebSocket, the response.create bodies it sent, in order."""
        if self.channel == RESPONSES:
            return {"model": self.model, "response.create": [
                {k: v for k, v in f.event.items() if k != "type"} for f in self.client_frames()
                if f.type == "response.create"]}
        session: dict[str, Any] = {}
        for frame in self.client_frames():
            if frame.kind == "session.update" and isinstance(frame.event.get("session"), dict):
                session.update(frame.event["session"])
        return {"model": self.model, "session": session}

    @property
    def content_type(self) -> str:
        """Media type of a refused handshake's body."""
        return self.response_headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def body(self) -> bytes:
        """Body of a refused handshake (empty once upgraded)."""
        return self.response_body

    @property
    def text(self) -> str:
        """Refused handshake body as text."""
        return self.response_body.decode("utf-8", "replace")

    def json(self) -> Any:
        """Refused handshake body as JSON (ValueError when it is not JSON)."""
        return json.loads(self.response_body)

    def server_frames(self) -> list[Frame]:
        """Frames the server sent, in order."""
        return [f for f in self.frames if f.dir == SERVER]

    def client_frames(self) -> list[Frame]:
        """Frames the client sent, in order."""
        return [f for f in self.frames if f.dir == CLIENT and isinstance(f.event, dict)]

    def refusal(self) -> tuple[int, str] | None:
        """The first `error` event of a Responses WebSocket session: (its `status`, 0 when it has none; a line
        naming the server frame, the turn's request and the error's message); None without one."""
        sent: dict[str, Any] = {}
        number = 0
        for frame in self.frames:
            if frame.dir == CLIENT:
                sent = frame.event if isinstance(frame.event, dict) else sent
                continue
            number += 1
            if frame.type != "error":
                continue
            status = frame.event.get("status")
            error = frame.event.get("error") if isinstance(frame.event.get("error"), dict) else frame.event
            message = str(error.get("message") or error.get("code") or "")[:200]
            asked = ", ".join(f"{k}={sent[k]}" for k in ("previous_response_id",) if sent.get(k))
            request = f"{sent.get('type') or 'a client event'}" + (f" ({asked})" if asked else "")
            code = status if isinstance(status, int) and not isinstance(status, bool) else 0
            shown = f"status {code}" if code else "no status"
            return code, f"error event at server frame #{number} ({shown}) answering {request}: {message}"
        return None

    def summary(self) -> str:
        """One secret-free line: the handshake path, model and the client event types sent."""
        sent: list[str] = []
        for frame in self.client_frames():
            if frame.type and frame.type not in sent:
                sent.append(frame.type)
        parts = [f"model={self.model}"] if self.model else []
        if sent:
            parts.append(f"events={','.join(sent)}")
        suffix = f" {{{', '.join(parts)}}}" if parts else ""
        return f"WS {self.path}{suffix}"
