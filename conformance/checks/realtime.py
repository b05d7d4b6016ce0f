"""Realtime checks: frames, schemas per event type, the session state machine and request-forced behaviour."""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from functools import cache
from urllib.parse import parse_qsl, urlsplit

from ..failures import Failure, Ignored, Skip, grouped
from ..realtime.audio import SAMPLE_BYTES
from ..realtime.events import LEGACY_NAMES
from ..realtime.frames import WsSession
from ..realtime.material import INVALID_EVENT_ID, UPDATE_SESSION, WEATHER_TOOL
from ..realtime.schemas import PREFIX, schema_name
from ..schemas import schema_dir, violations
from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .needs import Need
from .realtime_events import after, at, client_frame, dones, items, numbered, state_problem, texts, ws


@cache
def _known() -> frozenset[str]:
    return frozenset(p.stem for p in schema_dir().glob(PREFIX + "*.json"))


@check("realtime.frames_json", Severity.MUST, "Every server frame is a JSON text frame with a string `type`",
       needs=(Need.SESSION,))
def frames_json(ctx: CheckContext) -> None:
    """The SDK dispatches on `type`; anything else is unparseable for it."""
    for number, frame in numbered(ws(ctx)):
        if frame.binary or not frame.type:
            raise ctx.fail(f"server frame #{number}", "a JSON object with a string type",
                           "binary frame" if frame.binary else frame.text[:80])


@check("realtime.schema", Severity.MUST, "Every server event validates against the schema of its `type`",
       needs=(Need.SESSION,))
def schema(ctx: CheckContext) -> None:
    """Schemas generated from the SDK's realtime types; legacy names use their GA twin's; unknown types pass."""
    found: list[tuple[str, str]] = []
    first: tuple[str, str, str] | None = None
    for number, frame in numbered(ws(ctx)):
        name = schema_name(frame.type, _known())
        if name is None:
            continue
        event = {**frame.event, "type": name[len(PREFIX):]}  # a legacy name is judged by ga_event_names
        for path, message in violations(name, event):
            first = first or (f"{at(number, frame)} {path}", f"valid per {name}", message)
            found.append((f"server frame #{number} {path}", message))
    if first is not None:
        raise Failure(*first, ctx.primary.summary(), grouped(found) if len(found) > 1 else ())


@check("realtime.session_created_first", Severity.MUST, "The server's first event is session.created",
       needs=(Need.SESSION,))
def session_created_first(ctx: CheckContext) -> None:
    """Clients wait for session.created to learn the session defaults (dialect realtime-out-of-band: not a session
    attached to an existing call, and not a log that records neither its URL nor any session.created)."""
    session = ws(ctx)
    frames = session.server_frames()
    if out_of_band(session):
        raise Skip("the session joins an existing call (call_id, dialect realtime-out-of-band): it starts without "
                   "session.created")
    if not any(f.kind == "session.created" for f in frames) and not session.url_recorded:
        raise Skip("the log records no URL and no session.created: a session attached out of band (call_id) starts "
                   "without one, so its absence here is not evidence (dialect realtime-out-of-band)")
    if not frames or frames[0].kind != "session.created":
        raise ctx.fail("server frame #1", "session.created", frames[0].type or frames[0].text[:80] if frames else
                       "no server frame")


def out_of_band(session: WsSession) -> bool:
    """A session that joins an existing call (the SDK's connect(call_id=...)) rather than starting one."""
    return "call_id" in dict(parse_qsl(urlsplit(session.url).query))


@check("realtime.state_machine", Severity.MUST, "Events follow the session state machine (responses, items)",
       needs=(Need.SESSION,))
def state_machine(ctx: CheckContext) -> None:
    """response.created .. response.done brackets every response event; item events follow output_item.added."""
    problem = state_problem(ws(ctx))
    if problem:
        raise ctx.fail(*problem)


@check("realtime.auth_required", Severity.MUST, "A connection without credentials is refused",
       needs=(Need.SESSION, Need.SECOND_REQUEST))
def auth_required(ctx: CheckContext) -> None:
    """401/403 at the handshake, or an error event and a server close before any session.created."""
    session = ctx.exchanges.get("realtime.noauth")
    if not isinstance(session, WsSession) or session.status is None:
        raise Skip("the connection without credentials was not attempted")
    if session.status in (401, 403):
        return
    kinds = [f.kind for f in session.server_frames()]
    if session.status == 101 and "session.created" not in kinds and kinds[:1] == ["error"] and \
            session.closed_by == "server":
        return
    observed = f"HTTP {session.status}" + (f", events {kinds[:3]}" if kinds else "")
    raise Failure("handshake without Authorization", "401/403, or error then close", observed, session.summary())


@check("realtime.session_updated_reflects", Severity.MUST, "session.updated shows what session.update set",
       needs=(Need.SESSION, Need.PROBE))
def session_updated_reflects(ctx: CheckContext) -> None:
    """instructions, output_modalities, tool_choice and tool names set by the probe come back in session.updated."""
    session = ws(ctx)
    sent = client_frame(session, "session.update")
    if sent is None:
        raise Skip("no session.update was sent")
    updated = [f for _, f in after(session, sent) if f.kind == "session.updated"]
    if not updated:
        raise ctx.fail("after session.update", "a session.updated event", "none")
    got = updated[0].event.get("session") or {}
    for key in ("instructions", "output_modalities", "tool_choice"):
        if got.get(key) != UPDATE_SESSION[key]:
            raise Ignored(f"session.updated.session.{key}", UPDATE_SESSION[key], got.get(key, "(absent)"),
                          session.summary())
    names = [t.get("name") for t in got.get("tools") or [] if isinstance(t, dict)]
    if names != [WEATHER_TOOL["name"]]:
        raise Ignored("session.updated.session.tools", [WEATHER_TOOL["name"]], names, session.summary())


@check("realtime.response_done", Severity.MUST, "Every response.create ends in response.done before the close",
       needs=(Need.SESSION,))
def response_done(ctx: CheckContext) -> None:
    """A connection dropped mid-response leaves the client waiting forever."""
    session = ws(ctx)
    asked = sum(1 for f in session.client_frames() if f.kind == "response.create")
    finished = len(dones(list(numbered(session))))
    if finished < asked:
        closed = f"closed by {session.closed_by or 'nobody'} with code {session.close_code}"
        raise ctx.fail("session end", f"{asked} response.done", f"{finished} response.done; {closed}")


@check("realtime.text_answer", Severity.MUST, "A text-only response carries an assistant message with output_text",
       needs=(Need.SESSION, Need.PROBE))
def text_answer(ctx: CheckContext) -> None:
    """Text in, text out: the last response.done is completed with non-empty output_text."""
    found = dones(list(numbered(ws(ctx))))
    if not found:
        raise ctx.fail("response.done", "a response.done", "none")
    number, response = found[-1]
    if response.get("status") != "completed":
        raise ctx.fail(f"server frame #{number} response.status", "completed", response.get("status"))
    text, transcript = texts(response)
    if any(t.strip() for t in text):
        return
    if any(t.strip() for t in transcript):
        raise Ignored(f"server frame #{number} response.output", "output_text (output_modalities [text])",
                      "audio with a transcript", ws(ctx).summary())
    raise ctx.fail(f"server frame #{number} response.output", "an assistant message with output_text",
                   [i.get("type") for i in response.get("output") or [] if isinstance(i, dict)])


@check("realtime.deltas_join", Severity.MUST, "Joined deltas equal the done text (text, transcript, arguments)",
       needs=(Need.SESSION,))
def deltas_join(ctx: CheckContext) -> None:
    """output_text, audio transcript and function-call argument deltas join to their .done value."""
    session = ws(ctx)
    joined: dict[tuple[str, str, object], str] = defaultdict(str)
    finals: dict[str, str] = {}
    pairs = {"response.output_text": "text", "response.output_audio_transcript": "transcript",
             "response.function_call_arguments": "arguments"}
    checked = 0
    for number, frame in numbered(session):
        family, _, stage = frame.kind.rpartition(".")
        if family not in pairs or not isinstance(frame.event, dict):
            continue
        key = (family, str(frame.event.get("item_id")), frame.event.get("content_index"))
        if stage == "delta":
            joined[key] += str(frame.event.get("delta", ""))
        elif stage == "done":
            checked += 1
            final = frame.event.get(pairs[family])
            if joined[key] != final:
                raise ctx.fail(f"{at(number, frame)}.{pairs[family]}", final, f"deltas joined: {joined[key]!r}")
            finals[key[1]] = str(final)
    if not checked:
        raise Skip("no streamed text, transcript or arguments in this session")
    for number, response in dones(list(numbered(session))):
        for item in items(response, "message"):
            text, transcript = texts({"output": [item]})
            whole = "".join(text or transcript)
            if str(item.get("id")) in finals and whole != finals[str(item["id"])]:
                raise ctx.fail(f"server frame #{number} response.output[{item.get('id')}]",
                               finals[str(item["id"])], whole)


@check("realtime.forced_tool_call", Severity.MUST, "A forced tool_choice yields a call of that function",
       needs=(Need.SESSION, Need.PROBE))
def forced_tool_call(ctx: CheckContext) -> None:
    """tool_choice {type: function, name: get_weather}: the first response calls it with JSON-object arguments."""
    found = dones(list(numbered(ws(ctx))))
    if not found:
        raise ctx.fail("response.done", "a response.done", "none")
    number, response = found[0]
    calls = items(response, "function_call")
    if not calls:
        kinds = [i.get("type") for i in response.get("output") or [] if isinstance(i, dict)]
        raise Ignored(f"server frame #{number} response.output", "a function_call item", kinds, ws(ctx).summary())
    call = calls[0]
    if call.get("name") != WEATHER_TOOL["name"]:
        raise ctx.fail(f"server frame #{number} function_call.name", WEATHER_TOOL["name"], call.get("name"))
    try:
        args = json.loads(call.get("arguments") or "")
    except (TypeError, ValueError):
        args = None
    if not isinstance(args, dict) or not isinstance(args.get("city"), str):
        raise ctx.fail(f"server frame #{number} function_call.arguments", "a JSON object with a string city",
                       call.get("arguments"))


@check("realtime.tool_round", Severity.MUST, "After function_call_output the model answers with a message",
       needs=(Need.SESSION,))
def tool_round(ctx: CheckContext) -> None:
    """The response created after the tool output carries non-empty assistant text."""
    session = ws(ctx)
    outputs = [f for f in session.client_frames() if f.kind == "conversation.item.create"
               and (f.event.get("item") or {}).get("type") == "function_call_output"]
    if not outputs:
        raise Skip("there was no function call to answer")
    later = dones(after(session, outputs[0]))
    if not later:
        raise ctx.fail("after function_call_output", "a response.done", "none")
    number, response = later[-1]
    text, transcript = texts(response)
    if not any(t.strip() for t in text + transcript):
        raise ctx.fail(f"server frame #{number} response", "an assistant message with text",
                       {"status": response.get("status"), "output": len(response.get("output") or [])})


@check("realtime.audio_committed", Severity.MUST, "input_audio_buffer.commit is answered with .committed",
       needs=(Need.SESSION,))
def audio_committed(ctx: CheckContext) -> None:
    """The appended tone becomes a conversation item."""
    session = ws(ctx)
    commit = client_frame(session, "input_audio_buffer.commit")
    if commit is None:
        raise Skip("no commit was sent")
    for number, frame in after(session, commit):
        if frame.kind == "input_audio_buffer.committed":
            if not isinstance(frame.event.get("item_id"), str):
                raise ctx.fail(f"{at(number, frame)}.item_id", "a string", frame.event.get("item_id"))
            return
        if frame.kind == "error":
            raise ctx.fail(at(number, frame), "input_audio_buffer.committed", frame.event.get("error"))
    raise ctx.fail("after input_audio_buffer.commit", "input_audio_buffer.committed", "none")


@check("realtime.audio_whole_samples", Severity.MUST, "Audio deltas are base64 of whole samples of the format",
       needs=(Need.SESSION, Need.PROBE))
def audio_whole_samples(ctx: CheckContext) -> None:
    """output_audio deltas decode; PCM16 (audio/pcm) deltas hold an even number of bytes."""
    session = ws(ctx)
    fmt = "audio/pcm"
    deltas = 0
    for number, frame in numbered(session):
        if frame.kind == "session.updated":
            out = ((frame.event.get("session") or {}).get("audio") or {}).get("output") or {}
            fmt = str((out.get("format") or {}).get("type") or fmt)
        if frame.kind != "response.output_audio.delta":
            continue
        deltas += 1
        try:
            raw = base64.b64decode(str(frame.event.get("delta", "")), validate=True)
        except (binascii.Error, ValueError):
            raise ctx.fail(f"{at(number, frame)}.delta", "base64", str(frame.event.get("delta"))[:40]) from None
        size = SAMPLE_BYTES.get(fmt, 1)
        if len(raw) % size:
            raise ctx.fail(f"{at(number, frame)}.delta", f"a multiple of {size} bytes ({fmt})", f"{len(raw)} bytes")
    if not deltas:
        raise ctx.fail("response", "response.output_audio.delta events (output_modalities [audio])", "none")


def _error_after_invalid(ctx: CheckContext) -> tuple[WsSession, int, dict[str, object]]:
    session = ws(ctx)
    bad = client_frame(session, "conformance.no_such_event", event_id=INVALID_EVENT_ID)
    if bad is None:
        raise Skip("the invalid event was not sent")
    for number, frame in after(session, bad):
        if frame.kind == "error":
            return session, number, frame.event
        if frame.kind == "session.updated":
            break
    raise ctx.fail("after the invalid client event", "an error event", "none before the next session.updated")


@check("realtime.error_event", Severity.MUST, "An invalid client event is answered with an `error` event",
       needs=(Need.SESSION, Need.PROBE))
def error_event(ctx: CheckContext) -> None:
    """error.type and error.message are strings."""
    _, number, event = _error_after_invalid(ctx)
    error = event.get("error")
    if not isinstance(error, dict) or not all(isinstance(error.get(k), str) for k in ("type", "message")):
        raise ctx.fail(f"server frame #{number} error", "{type: str, message: str, ...}", error)


@check("realtime.error_references_event", Severity.SHOULD, "The error event names the client event_id",
       needs=(Need.SESSION, Need.PROBE))
def error_references_event(ctx: CheckContext) -> None:
    """error.event_id lets a client tell which of its events failed."""
    _, number, event = _error_after_invalid(ctx)
    error = event.get("error")
    observed = error.get("event_id") if isinstance(error, dict) else None
    if observed != INVALID_EVENT_ID:
        raise ctx.fail(f"server frame #{number} error.event_id", INVALID_EVENT_ID, observed)


@check("realtime.session_survives", Severity.MUST, "The session goes on after an error event",
       needs=(Need.SESSION, Need.PROBE))
def session_survives(ctx: CheckContext) -> None:
    """The session.update sent after the invalid event still gets session.updated."""
    session = ws(ctx)
    bad = client_frame(session, "conformance.no_such_event", event_id=INVALID_EVENT_ID)
    if bad is None:
        raise Skip("the invalid event was not sent")
    if any(f.kind == "session.updated" for _, f in after(session, bad)):
        return
    raise ctx.fail("after the invalid client event", "session.updated for the next session.update",
                   f"none; closed by {session.closed_by or 'nobody'} with code {session.close_code}")


@check("realtime.ga_event_names", Severity.SHOULD, "Server events use the GA names, not the legacy beta names",
       needs=(Need.SESSION,))
def ga_event_names(ctx: CheckContext) -> None:
    """conversation.item.created, response.text.delta, response.audio.delta ... are the pre-GA names."""
    for name, session in ctx.exchanges.items():
        if not isinstance(session, WsSession):
            continue
        legacy = [(n, f.type) for n, f in numbered(session) if f.type in LEGACY_NAMES]
        if legacy:
            number, kind = legacy[0]
            raise Failure(f"{name} server frame #{number}", LEGACY_NAMES[kind],
                          f"{kind} ({len(legacy)} legacy-named events)", session.summary())
