"""The reference server's Responses API WebSocket mode: GET /v1/responses upgraded on the REST port.

Each `response.create` client event is a Responses create body (without `stream`): it is answered by POST
/responses itself (routes.reply: the same validation, faults, store and previous_response_id chains) and its
response is sent as the same events its HTTP stream carries (responses_events.events), one JSON text frame each.
A `store: false` response is kept in the connection's memory only, so previous_response_id still finds it on
this socket (OpenAI's WebSocket mode works with store=false) and nothing is left stored.
A refused create is one `error` event (`status` and OpenAI's error object), and the session goes on. Turns are
sequential: the next client event is read once a turn's events are sent. Faults named `responses_ws_*` bend it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from websockets.sync.server import ServerConnection

from . import faults as F
from . import hooks, routes
from .auth import authorize
from .calls import Call, Endpoint
from .fault_types import ActiveFaults, Phase, Scope
from .responses import ApiError, Reply
from .responses_events import events
from .sockets import receive
from .store import Store, StoredResponse

PATH = "/v1/responses"
SCOPES = frozenset({Scope.EVERY_REQUEST, Scope.EVERY_VALID_REQUEST, Scope.RESPONSES, Scope.RESPONSES_WEBSOCKET})
TRANSPORT_ONLY = ("type", "stream", "stream_id")  # the envelope of response.create, not the create body


def wanted(path: str) -> bool:
    """True when an upgrade request asks for the Responses WebSocket (not the Realtime API)."""
    return path.split("?", 1)[0].rstrip("/") == PATH


def admit(headers: Mapping[str, str], faults: ActiveFaults) -> None:
    """Check the upgrade like a REST request (401, 429, the route and 5xx faults); ApiError refuses it."""
    authorize(headers, faults)
    hooks.refuse(Phase.ADMIT, SCOPES, faults)
    if faults.has(F.RESPONSES_WS_ABSENT):
        raise ApiError(404, f"Invalid URL (GET {PATH})")
    hooks.refuse(Phase.ROUTE, SCOPES, faults)
    hooks.refuse(Phase.BEFORE, SCOPES, faults)


class ResponsesSocket:
    """One WebSocket session: sequential response.create turns against the server's store."""

    def __init__(self, conn: ServerConnection, faults: ActiveFaults, store: Store, headers: Mapping[str, str]) -> None:
        self.conn, self.faults, self.store, self.headers = conn, faults, store, headers
        self.first_id: str | None = None
        self.memory: dict[str, StoredResponse] = {}  # store: false responses, for previous_response_id on this socket
        self.sequence = 0

    def run(self) -> None:
        """Answer client events until the client leaves or the session expires."""
        receive(self.conn, self.handle)

    def send(self, event: dict[str, Any]) -> None:
        """One server event as a JSON text frame."""
        self.conn.send(json.dumps(event, ensure_ascii=False))

    def error(self, err: ApiError) -> None:
        """OpenAI's WebSocket `error` event: the HTTP status and the error object of the refusal."""
        self.send({"type": "error", "status": err.status, "error": err.envelope()["error"]})

    def handle(self, raw: str | bytes) -> None:
        """One client event: a response.create is one turn; anything else is an `error` event."""
        try:
            event = json.loads(raw)
        except ValueError:
            self.error(ApiError(400, "The event is not valid JSON.", code="invalid_json"))
            return
        kind = event.get("type") if isinstance(event, dict) else None
        if kind != "response.create":
            self.error(ApiError(400, f"Invalid value: '{kind}'. Supported values are: 'response.create'.",
                                param="type", code="invalid_value"))
            return
        if event.get("background"):
            self.error(ApiError(400, "background is not supported over WebSocket.", param="background"))
            return
        try:
            final = self.create({k: v for k, v in event.items() if k not in TRANSPORT_ONLY})
        except ApiError as err:
            self.error(err)
            return
        self.stream(final)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /responses for one turn (its faults, validation and store); the finished Response object."""
        asked = body.get("previous_response_id")
        if asked and self.faults.has(F.RESPONSES_WS_CHAIN_REFUSED):
            raise ApiError(400, "previous_response_id is not supported over this WebSocket.",
                           param="previous_response_id", code="unsupported_parameter")
        if asked and self.faults.has(F.RESPONSES_WS_PREVIOUS_IGNORED):
            body = {k: v for k, v in body.items() if k != "previous_response_id"}
        unstored = body.get("store") is False
        kept = {**body, "store": True} if unstored else body
        endpoint, call = routes.call_for("POST", PATH, self.headers, json.dumps(kept).encode(), self.faults,
                                         self.store)
        with self.store.lock:
            final = self.reply(endpoint, call)
            if unstored and isinstance(final, dict):  # kept in this connection's memory only, never stored
                self.memory[str(final["id"])] = self.store.responses.pop(str(final["id"]))
                final = {**final, "store": False}
        if not isinstance(final, dict):
            raise ApiError(500, "The server had an error while processing your request.", kind="server_error")
        final = dict(final)
        if asked and self.faults.has(F.RESPONSES_WS_PREVIOUS_IGNORED) and "previous_response_id" in final:
            final["previous_response_id"] = asked
        self.first_id = self.first_id or str(final.get("id"))
        if self.faults.has(F.RESPONSES_WS_SAME_ID):
            final["id"] = self.first_id
        if self.faults.has(F.RESPONSES_WS_FAILED):
            final.update(status="failed", error={"code": "server_error", "message": "The model failed."})
        return final

    def reply(self, endpoint: Endpoint, call: Call) -> Reply:
        """POST /responses with this connection's unstored responses visible to previous_response_id."""
        lent = {k: v for k, v in self.memory.items() if k not in self.store.responses}
        self.store.responses.update(lent)
        try:
            return routes.reply(endpoint, call)
        finally:
            for key in lent:
                self.store.responses.pop(key, None)

    def stream(self, final: dict[str, Any]) -> None:
        """The turn's events, as its HTTP stream sends them, with the `responses_ws_*` faults applied."""
        found = events(final, self.faults)
        if self.faults.has(F.RESPONSES_WS_KEEPALIVE_TEXT):
            self.conn.send("keepalive")
        if self.faults.has(F.RESPONSES_WS_NO_CREATED):
            found = [e for e in found if e["type"] != "response.created"]
        for event in found:
            if self.faults.has(F.RESPONSES_WS_PART_UNTYPED) and isinstance(event.get("part"), dict):
                event = {**event, "part": {k: v for k, v in event["part"].items() if k != "type"}}
            if self.faults.has(F.RESPONSES_WS_SEQUENCE_CONTINUES):
                event = {**event, "sequence_number": self.sequence}
                self.sequence += 1
            self.send(event)
