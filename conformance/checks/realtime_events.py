"""Helpers for realtime checks: frames of a WsSession, response contents, and the session state machine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..failures import Skip
from ..realtime.frames import Frame, WsSession
from .context import CheckContext

Problem = tuple[str, str, str]  # where, expected, observed


def ws(ctx: CheckContext, name: str | None = None) -> WsSession:
    """The feature's (or a named) realtime session; Skip when it is not one or was not upgraded."""
    session = ctx.exchanges.get(name) if name else ctx.primary
    if not isinstance(session, WsSession):
        raise Skip(f"{name or ctx.feature.primary} is not a realtime session")
    if session.status != 101:
        raise Skip(f"{session.name}: handshake answered {session.status}")
    return session


def numbered(session: WsSession) -> Iterator[tuple[int, Frame]]:
    """Server frames with their 1-based number."""
    yield from enumerate(session.server_frames(), start=1)


def at(number: int, frame: Frame) -> str:
    """Evidence location of a server frame."""
    return f"server frame #{number} ({frame.type or 'non-JSON'})"


def after(session: WsSession, frame: Frame) -> list[tuple[int, Frame]]:
    """Numbered server frames that came after a given frame (client or server) on the wire."""
    position = session.frames.index(frame)
    later = {id(f) for f in session.frames[position + 1:]}
    return [(n, f) for n, f in numbered(session) if id(f) in later]


def client_frame(session: WsSession, kind: str, **match: Any) -> Frame | None:
    """The first client frame of a GA kind whose top-level fields match."""
    for frame in session.client_frames():
        if frame.kind == kind and all(frame.event.get(k) == v for k, v in match.items()):
            return frame
    return None


def dones(frames: list[tuple[int, Frame]]) -> list[tuple[int, dict[str, Any]]]:
    """(number, response object) of each response.done among numbered frames."""
    return [(n, f.event.get("response") or {}) for n, f in frames if f.kind == "response.done"]


def items(response: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Output items of a response of one type."""
    return [i for i in response.get("output") or [] if isinstance(i, dict) and i.get("type") == kind]


def texts(response: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(output_text texts, output_audio transcripts) of the assistant messages of a response."""
    text, transcript = [], []
    for item in items(response, "message"):
        for part in item.get("content") or []:
            if not isinstance(part, dict):
                continue
            if part.get("type") in ("output_text", "text") and isinstance(part.get("text"), str):
                text.append(part["text"])
            elif part.get("type") in ("output_audio", "audio") and isinstance(part.get("transcript"), str):
                transcript.append(part["transcript"])
    return text, transcript


def state_problem(session: WsSession) -> Problem | None:
    """The first violation of the realtime session state machine, or None.

    session.created at most once; response.created opens a response id that response.done closes; events
    naming a response_id come while it is open; item-level events name an item announced by
    response.output_item.added and not yet closed by response.output_item.done.
    """
    created, open_ids, closed_ids = 0, set(), set()
    item_state: dict[str, str] = {}
    for number, frame in numbered(session):
        kind, event, where = frame.kind, frame.event, at(number, frame)
        if not isinstance(event, dict):
            continue
        if kind == "session.created":
            created += 1
            if created > 1:
                return where, "session.created once per connection", f"session.created #{created}"
        elif kind in ("response.created", "response.done"):
            rid = (event.get("response") or {}).get("id")
            if kind == "response.created":
                if rid in open_ids or rid in closed_ids:
                    return where, "a new response id", f"response {rid} already used"
                open_ids.add(rid)
            elif rid not in open_ids:
                return where, "response.done for a response in progress", f"response {rid} was not created or is done"
            else:
                open_ids.discard(rid)
                closed_ids.add(rid)
        elif kind.startswith("response.") and "response_id" in event:
            rid = event["response_id"]
            if rid not in open_ids:
                return where, f"{kind} between response.created and response.done", f"response {rid} not in progress"
            problem = _item_problem(kind, event, item_state)
            if problem:
                return where, *problem
    return None


def _item_problem(kind: str, event: dict[str, Any], state: dict[str, str]) -> tuple[str, str] | None:
    if kind == "response.output_item.added":
        state[str((event.get("item") or {}).get("id"))] = "open"
        return None
    if kind == "response.output_item.done":
        iid = str((event.get("item") or {}).get("id"))
        if state.get(iid) != "open":
            return "response.output_item.done for an announced, open item", f"item {iid} is {state.get(iid, 'unknown')}"
        state[iid] = "done"
        return None
    if "item_id" in event:
        iid = str(event["item_id"])
        if state.get(iid) != "open":
            return f"{kind} for an item opened by response.output_item.added", f"item {iid} is " \
                f"{state.get(iid, 'never announced')}"
    return None
