"""The reference server's Realtime API: WebSocket upgrades of GET /v1/realtime on the REST port, GA events.

Same origin as the REST API, as OpenAI serves it: the SDK derives ws://127.0.0.1:PORT/v1/realtime from the
base URL, so `TargetRun(base_url=refserver.url)` needs no second address. The HTTP handler hands the upgrade
here; the socket then speaks WebSocket (websockets' sans-I/O protocol) for one deterministic session.
Faults named `rt_*` bend the session; `server_error` and `rate_limited` refuse the handshake (500 / 429).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.http11 import Request
from websockets.protocol import CONNECTING
from websockets.server import ServerProtocol
from websockets.sync.server import ServerConnection

from ..realtime.audio import chunks, tone_pcm16
from ..realtime.events import GA_TO_LEGACY
from . import faults as F
from . import hooks, responses_ws, yandex
from .auth import authorize
from .chat import tokens
from .fault_types import ActiveFaults, Fault, Phase, Scope
from .instances import instance
from .responses import ApiError, error_response
from .sockets import SESSION_SECONDS, receive

REALTIME_MODEL = "ref-realtime-1"
ANSWER = "Hello from the reference realtime server."
CLIENT_EVENTS = ("session.update", "input_audio_buffer.append", "input_audio_buffer.commit",
                 "input_audio_buffer.clear", "conversation.item.create", "response.create", "response.cancel")
_ITEM_TYPES = ("message", "function_call", "function_call_output")
SCOPES = frozenset({Scope.EVERY_REQUEST, Scope.EVERY_VALID_REQUEST, Scope.REALTIME})


def admit(path: str, headers: dict[str, str], faults: ActiveFaults, host: yandex.Host | None = None,
          account: yandex.Account | None = None) -> str:
    """Check the upgrade request like the REST API checks a request; the model on success, else ApiError.

    As a host of the Yandex stand-in it checks Yandex's paths, auth and model URI instead (yandex.NotServed: 404).
    """
    if yandex.stands_in(faults, host):
        _surface, folder = yandex.admit("GET", path, headers, b"", faults, host, account, authorize)
        hooks.refuse(Phase.ADMIT, SCOPES, faults)
        model = yandex.realtime_model(path, folder) if faults.has(F.YANDEX_MODEL_URIS) else REALTIME_MODEL
        hooks.refuse(Phase.BEFORE, SCOPES, faults)
        return model
    parts = urlsplit(path)
    if parts.path.rstrip("/") != "/v1/realtime":
        raise ApiError(404, f"Invalid URL (GET {parts.path})")
    if not faults.has(F.RT_AUTH_NOT_CHECKED):
        authorize(headers, faults)
    hooks.refuse(Phase.ADMIT, SCOPES, faults)
    model = (parse_qs(parts.query).get("model") or [""])[0]
    if not model:
        raise ApiError(400, "Missing required parameter: 'model'.", param="model", code="missing_required_parameter")
    if model != REALTIME_MODEL:
        raise ApiError(404, f"The model '{model}' does not exist or you do not have access to it.",
                       code="model_not_found")
    hooks.refuse(Phase.BEFORE, SCOPES, faults)
    return model


def serve_upgrade(handler: Any) -> None:
    """Answer an `Upgrade: websocket` request on the REST port (refusals are plain HTTP error envelopes): GET
    /v1/responses is the Responses API's WebSocket mode (responses_ws), any other path the Realtime API."""
    owner = handler.server.owner
    owner._count()
    faults = F.FAULTS.active(owner.faults)
    handler.close_connection = True
    headers = {k.lower(): v for k, v in handler.headers.items()}
    responses = responses_ws.wanted(handler.path)
    if responses and yandex.stands_in(faults, owner.host):
        handler._send(yandex.not_found())  # SEED: Yandex's Responses API is REST; only the Realtime API is WebSocket
        return
    try:
        if responses:
            responses_ws.admit(headers, faults)
            model = ""
        else:
            model = admit(handler.path, headers, faults, owner.host, owner.account)
    except ApiError as err:
        handler._send(error_response(err, faults))
        return
    except yandex.NotServed:
        handler._send(yandex.not_found())
        return
    raw = handler.raw_requestline + b"".join(f"{k}: {v}\r\n".encode("latin-1") for k, v in handler.headers.items())
    protocol = ServerProtocol(max_size=None)
    protocol.receive_data(raw + b"\r\n")
    request = next((e for e in protocol.events_received() if isinstance(e, Request)), None)
    if request is None:
        handler._send(error_response(ApiError(400, "Malformed WebSocket upgrade request."), faults))
        return
    response = protocol.accept(request)
    if response.status_code != 101:
        handler.connection.sendall(response.serialize())
        return
    sock = handler.connection
    sock.settimeout(None)
    conn = ServerConnection(sock, protocol, ping_interval=None, close_timeout=2)
    conn.request, conn.response = request, response
    with conn.send_context(expected_state=CONNECTING):
        protocol.send_response(response)
    try:
        if responses:
            responses_ws.ResponsesSocket(conn, faults, owner.store, headers).run()
        else:
            RealtimeSession(conn, faults, model).run()
    except Exception as exc:  # noqa: BLE001 - kept for RefServer.check(); the connection is closed below
        owner.errors.append(exc)
    finally:
        conn.close()
        conn.recv_events_thread.join(timeout=5)


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in patch.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


class RealtimeSession:
    """One deterministic session: GA events, ids counted per session, the active `rt_*` faults applied."""

    def __init__(self, conn: ServerConnection, faults: ActiveFaults, model: str) -> None:
        self.conn, self.faults = conn, faults
        self.count = 0
        self.items: list[dict[str, Any]] = []
        self.audio = bytearray()
        fmt = {"type": "audio/pcm", "rate": 24000}
        self.session: dict[str, Any] = {
            "type": "realtime", "object": "realtime.session", "id": self.mint("sess"), "model": model,
            "output_modalities": ["audio"], "instructions": "", "tools": [], "tool_choice": "auto",
            "max_output_tokens": "inf", "tracing": None, "truncation": "auto", "prompt": None,
            "expires_at": 1700000000 + int(SESSION_SECONDS), "include": None,
            "audio": {"input": {"format": fmt, "transcription": None, "noise_reduction": None,
                                "turn_detection": None},
                      "output": {"format": fmt, "voice": "alloy", "speed": 1.0}},
        }
        self.conversation = self.mint("conv")

    def mint(self, prefix: str) -> str:
        """A deterministic id: prefix_000N."""
        self.count += 1
        return f"{prefix}_{self.count:04d}"

    def has(self, fault: Fault) -> bool:
        """Whether a fault (a constant of faults.py) is active."""
        return self.faults.has(fault)

    def emit(self, kind: str, **fields: Any) -> None:
        """Send one server event (legacy beta names under rt_legacy_event_names)."""
        if self.has(F.RT_LEGACY_EVENT_NAMES):
            kind = GA_TO_LEGACY.get(kind, kind)
        if self.has(F.YANDEX_RT_FIELD_REPORTS):
            kind = "conversation.item.created" if kind == "conversation.item.added" else kind
            if isinstance(fields.get("session"), dict):
                fields = {**fields, "session": yandex.realtime_session(fields["session"])}
        self.conn.send(json.dumps({"type": kind, "event_id": self.mint("event"), **fields}))

    def run(self) -> None:
        """session.created, then answer client events until the client leaves or the session expires."""
        if not self.has(F.RT_NO_SESSION_CREATED):
            self.emit("session.created", session=self.session)
        if self.has(F.RT_NON_JSON_FRAME):
            self.conn.send("keepalive")
        receive(self.conn, self.handle)

    def error(self, message: str, param: str | None, code: str, event_id: Any) -> bool:
        """An `error` event answering a client event; False when the session must end (rt_error_closes)."""
        if self.has(F.RT_NO_ERROR_EVENT):
            return True
        ref = None if self.has(F.RT_ERROR_NO_EVENT_ID) else event_id
        self.emit("error", error={"type": "invalid_request_error", "code": code, "message": message, "param": param,
                                  "event_id": ref})
        if self.has(F.RT_ERROR_CLOSES):
            self.conn.close(1008, "invalid client event")
            return False
        return True

    def handle(self, raw: str | bytes) -> bool:
        """Dispatch one client event; False ends the session."""
        try:
            event = json.loads(raw)
        except ValueError:
            return self.error("The event is not valid JSON.", None, "invalid_json", None)
        kind = event.get("type") if isinstance(event, dict) else None
        if kind not in CLIENT_EVENTS:
            allowed = ", ".join(f"'{c}'" for c in CLIENT_EVENTS)
            return self.error(f"Invalid value: '{kind}'. Supported values are: {allowed}.", "type", "invalid_value",
                              event.get("event_id") if isinstance(event, dict) else None)
        return getattr(self, "on_" + str(kind).replace(".", "_"))(event)

    def on_session_update(self, event: dict[str, Any]) -> bool:
        """Patch the session (unless rt_session_update_ignored) and echo the whole of it."""
        patch = event.get("session")
        if not isinstance(patch, dict) or patch.get("type", "realtime") != "realtime":
            return self.error("session must be an object of type 'realtime'.", "session", "invalid_value",
                              event.get("event_id"))
        if not self.has(F.RT_SESSION_UPDATE_IGNORED):
            self.session = _merge(self.session, {k: v for k, v in patch.items() if k not in ("id", "object")})
        self.emit("session.updated", session=self.session)
        return True

    def add_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """Store a completed conversation item and announce it (conversation.item.added, .done)."""
        previous = self.items[-1]["id"] if self.items else None
        item = {"id": self.mint("item"), **{k: v for k, v in item.items() if k != "id"}, "status": "completed"}
        self.items.append(item)
        self.emit("conversation.item.added", previous_item_id=previous, item=item)
        self.emit("conversation.item.done", previous_item_id=previous, item=item)
        return item

    def on_conversation_item_create(self, event: dict[str, Any]) -> bool:
        """Add a message, function_call or function_call_output item."""
        item = event.get("item")
        if not isinstance(item, dict) or item.get("type") not in _ITEM_TYPES:
            return self.error("Invalid conversation item type.", "item.type", "invalid_value", event.get("event_id"))
        self.add_item(item)
        return True

    def on_input_audio_buffer_append(self, event: dict[str, Any]) -> bool:
        """Append base64 audio to the input buffer."""
        try:
            self.audio += base64.b64decode(str(event.get("audio", "")), validate=True)
        except (binascii.Error, ValueError):
            return self.error("audio is not valid base64.", "audio", "invalid_value", event.get("event_id"))
        return True

    def on_input_audio_buffer_clear(self, event: dict[str, Any]) -> bool:
        """Empty the input buffer."""
        self.audio.clear()
        self.emit("input_audio_buffer.cleared")
        return True

    def on_input_audio_buffer_commit(self, event: dict[str, Any]) -> bool:
        """Turn the buffer into a user audio item (input_audio_buffer.committed unless rt_commit_ignored)."""
        if not self.audio:
            return self.error("Error committing input audio buffer: buffer is empty.", None,
                              "input_audio_buffer_commit_empty", event.get("event_id"))
        previous = self.items[-1]["id"] if self.items else None
        seconds = len(self.audio) / 2 / 24000
        self.audio.clear()
        item_id = f"item_{self.count + 1:04d}"
        if not self.has(F.RT_COMMIT_IGNORED):
            self.emit("input_audio_buffer.committed", previous_item_id=previous, item_id=item_id)
        self.add_item({"type": "message", "role": "user",
                       "content": [{"type": "input_audio", "transcript": f"({seconds:.2f} seconds of audio)"}]})
        return True

    def on_response_cancel(self, event: dict[str, Any]) -> bool:
        """Nothing is ever in progress between events: cancelling is an error."""
        return self.error("Cancellation failed: no active response found", None, "response_cancel_not_active",
                          event.get("event_id"))

    def on_response_create(self, event: dict[str, Any]) -> bool:
        """One response: a forced function call, the answer to a tool output, or a text/audio message."""
        asked = event.get("response")
        params: dict[str, Any] = asked if isinstance(asked, dict) else {}
        modalities = params.get("output_modalities") or self.session["output_modalities"]
        choice = params.get("tool_choice", self.session["tool_choice"])
        tools = [t for t in params.get("tools", self.session["tools"]) or [] if isinstance(t, dict)]
        last = self.items[-1] if self.items else {}
        rid = self.mint("resp")
        if last.get("type") == "function_call_output":
            if self.has(F.RT_TOOL_OUTPUT_IGNORED):
                return self.send_response(rid, modalities, [], "failed")
            return self.answer(rid, modalities, f"The tool said: {last.get('output', '')}")
        forced = choice == "required" or (isinstance(choice, dict) and choice.get("type") == "function")
        if forced and tools and not self.has(F.RT_TOOL_CALL_IGNORED):
            name = choice.get("name") if isinstance(choice, dict) else None
            tool = next((t for t in tools if t.get("name") == name), tools[0])
            return self.call(rid, modalities, tool)
        return self.answer(rid, modalities, "" if self.has(F.RT_EMPTY_RESPONSE) else ANSWER)

    def send_response(self, rid: str, modalities: list[str], events: list[tuple[str, dict[str, Any]]],
                      status: str = "completed", output: list[dict[str, Any]] | None = None) -> bool:
        """response.created, the events, response.done; the response-shaped faults are applied here."""
        head = self.response(rid, "in_progress", [], modalities, None)
        done = self.response(rid, status, output or [], modalities, {"total_tokens": 12, "input_tokens": 7,
                                                                      "output_tokens": 5})
        if status == "failed":
            done["status_details"] = {"type": "failed", "error": {"type": "server_error", "code": "tool_output"}}
        if self.has(F.RT_SCHEMA_VIOLATION):
            done["status"] = "finished"
        sequence = [("response.created", {"response": head}), *events, ("response.done", {"response": done})]
        deltas = [i for i, (kind, _) in enumerate(sequence) if kind.endswith(".delta")]
        if deltas and self.has(F.RT_DELTA_BEFORE_CREATED):
            sequence.insert(0, sequence.pop(deltas[0]))
        for index, (kind, fields) in enumerate(sequence):
            self.emit(kind, **fields)
            if deltas and index == deltas[0] and self.has(F.RT_CLOSE_MID_RESPONSE):
                self.conn.close_socket()
                return False
        return True

    def response(self, rid: str, status: str, output: list[dict[str, Any]], modalities: list[str],
                 usage: dict[str, int] | None) -> dict[str, Any]:
        """A realtime.response object."""
        out_audio = self.session["audio"]["output"]
        return {"object": "realtime.response", "id": rid, "status": status, "status_details": None, "output": output,
                "conversation_id": self.conversation, "output_modalities": modalities, "max_output_tokens": "inf",
                "audio": {"output": {"format": out_audio["format"], "voice": out_audio["voice"]}}, "usage": usage,
                "metadata": None}

    def _item_events(self, rid: str, item: dict[str, Any], done: dict[str, Any],
                     middle: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        previous = self.items[-1]["id"] if self.items else None
        self.items.append(done)
        where = {"response_id": rid, "output_index": 0}
        return [("response.output_item.added", {**where, "item": item}),
                ("conversation.item.added", {"previous_item_id": previous, "item": item}), *middle,
                ("conversation.item.done", {"previous_item_id": previous, "item": done}),
                ("response.output_item.done", {**where, "item": done})]

    def answer(self, rid: str, modalities: list[str], text: str) -> bool:
        """An assistant message streamed as text, or as audio with its transcript."""
        iid = self.mint("item")
        audio = "audio" in modalities
        item = {"id": iid, "type": "message", "status": "in_progress", "role": "assistant", "content": []}
        part = {"type": "audio", "transcript": text} if audio else {"type": "text", "text": text}
        content = {"type": "output_audio", "transcript": text} if audio else {"type": "output_text", "text": text}
        done = {**item, "status": "completed", "content": [content]}
        where = {"response_id": rid, "item_id": iid, "output_index": 0, "content_index": 0}
        pieces = tokens(text)
        if self.has(F.RT_DELTAS_DONT_JOIN) and len(pieces) > 1:
            pieces = pieces[:1] + pieces[2:]
        middle: list[tuple[str, dict[str, Any]]] = [
            ("response.content_part.added", {**where, "part": {**part, "text" if not audio else "transcript": ""}})]
        if audio:
            for raw in chunks(tone_pcm16(0.2, freq=660.0), 4800):
                raw = raw[:-1] if self.has(F.RT_AUDIO_ODD_BYTES) else raw
                middle.append(("response.output_audio.delta", {**where, "delta": base64.b64encode(raw).decode()}))
            middle += [("response.output_audio_transcript.delta", {**where, "delta": p}) for p in pieces]
            middle += [("response.output_audio.done", where),
                       ("response.output_audio_transcript.done", {**where, "transcript": text})]
        else:
            middle += [("response.output_text.delta", {**where, "delta": p}) for p in pieces]
            middle.append(("response.output_text.done", {**where, "text": text}))
        middle.append(("response.content_part.done", {**where, "part": part}))
        output = [] if not text and self.has(F.RT_EMPTY_RESPONSE) else [done]
        events = self._item_events(rid, item, done, middle) if output else []
        return self.send_response(rid, modalities, events, output=output)

    def call(self, rid: str, modalities: list[str], tool: dict[str, Any]) -> bool:
        """A function_call item whose arguments are streamed in three pieces."""
        iid, call_id = self.mint("item"), self.mint("call")
        arguments = json.dumps(instance(tool.get("parameters") or {}))
        item = {"id": iid, "type": "function_call", "status": "in_progress", "name": tool.get("name", ""),
                "call_id": call_id, "arguments": ""}
        done = {**item, "status": "completed", "arguments": arguments}
        where = {"response_id": rid, "item_id": iid, "output_index": 0, "call_id": call_id}
        third = max(1, len(arguments) // 3)
        pieces = [arguments[:third], arguments[third:2 * third], arguments[2 * third:]]
        if self.has(F.RT_DELTAS_DONT_JOIN):
            pieces = pieces[:1] + pieces[2:]
        middle: list[tuple[str, dict[str, Any]]] = [("response.function_call_arguments.delta", {**where, "delta": p})
                                                    for p in pieces]
        middle.append(("response.function_call_arguments.done", {**where, "name": item["name"],
                                                                 "arguments": arguments}))
        return self.send_response(rid, modalities, self._item_events(rid, item, done, middle), output=[done])
