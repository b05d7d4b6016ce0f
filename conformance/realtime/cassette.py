"""The readable WebSocket cassette: one YAML file per realtime session, never a header value or a key.

Layout (version 2)::

    version: 2
    kind: realtime-websocket
    request: realtime.text                 # the named request (conformance.probes)
    url: ws://target.invalid/v1/realtime?model=ref-realtime-1   # the SDK's handshake, host rebased, scrubbed
    status: 101                            # handshake status; a refused handshake keeps its body in `body`
    frames:                                # in wire order; t = seconds since the handshake
    - {dir: server, t: 0.0012, event: {type: session.created, ...}}
    - {dir: client, t: 0.0020, event: {type: session.update, ...}}
    close: {code: 1000, reason: '', by: client}   # last: a file cut anywhere before it lacks it

Version 2 puts `close` after the frames, so a cassette truncated mid-session (a cut file can still be valid YAML)
is told apart from a session that ended early: an upgraded session without a complete `close` record is an
unreadable recording (ERROR), never graded. Version 1 (close first) is still read, without that guarantee.

Base64 audio longer than 64 characters is stored as `{$blob: {sha256, length, head}}` (digest and length of the
decoded bytes, the first 16 bytes in base64). Replay sends the head padded with zero bytes to the recorded length;
a replayed client frame matches when its audio has the same digest. Non-JSON text frames keep `text`, binary
frames keep `binary` (a blob). Every string is scrubbed before writing and restored on load.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import CassetteError
from .events import AUDIO_KEYS, VOLATILE_KEYS, event_type, is_audio_event
from .frames import CLIENT, SERVER, Frame, WsSession

VERSION = 2
VERSIONS = (1, 2)  # read; VERSION is written
CLOSE_KEYS = ("code", "reason", "by")
KIND = "realtime-websocket"
BLOB = "$blob"
BLOB_MIN = 64
HEAD = 16
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: replay parses many frames
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _blob(raw: bytes) -> dict[str, Any]:
    return {BLOB: {"sha256": hashlib.sha256(raw).hexdigest(), "length": len(raw),
                   "head": base64.b64encode(raw[:HEAD]).decode()}}


def _decode(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def blobify(value: Any, audio_delta: bool = False) -> Any:
    """Replace long base64 audio strings (keys `audio`, and `delta` of audio events) by their blob form."""
    if isinstance(value, list):
        return [blobify(v, audio_delta) for v in value]
    if not isinstance(value, dict):
        return value
    audio_delta = audio_delta or is_audio_event(event_type(value))
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in AUDIO_KEYS and isinstance(item, str) and len(item) > BLOB_MIN and (key == "audio" or audio_delta):
            raw = _decode(item)
            out[key] = _blob(raw) if raw is not None else item
        else:
            out[key] = blobify(item, audio_delta and key != "item")
    return out


def _is_blob(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {BLOB} and isinstance(value[BLOB], dict)


def blob_bytes(blob: dict[str, Any]) -> bytes:
    """Deterministic stand-in bytes for a blob: its head padded with zeros to the recorded length."""
    head = base64.b64decode(str(blob.get("head", "")))
    length = int(blob.get("length", len(head)))
    return (head + bytes(max(0, length - len(head))))[:length]


def unblob(value: Any) -> Any:
    """Turn blobs back into base64 strings of the recorded length."""
    if _is_blob(value):
        return base64.b64encode(blob_bytes(value[BLOB])).decode()
    if isinstance(value, list):
        return [unblob(v) for v in value]
    if isinstance(value, dict):
        return {k: unblob(v) for k, v in value.items()}
    return value


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """Apply fn to every string (values and keys) of a JSON value."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {fn(k): map_strings(v, fn) for k, v in value.items()}
    return value


def strip_volatile(value: Any) -> Any:
    """The value without event ids and per-session ids (what strict replay compares)."""
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    return value


def diff(recorded: Any, sent: Any, path: str = "$", limit: int = 5) -> list[str]:
    """Human lines naming where two JSON values differ (at most `limit`)."""
    found: list[str] = []
    if isinstance(recorded, dict) and isinstance(sent, dict):
        for key in sorted(set(recorded) | set(sent)):
            if key not in sent:
                found.append(f"{path}.{key}: recorded {json.dumps(recorded[key])[:80]}, not sent")
            elif key not in recorded:
                found.append(f"{path}.{key}: sent {json.dumps(sent[key])[:80]}, not recorded")
            else:
                found += diff(recorded[key], sent[key], f"{path}.{key}", limit)
            if len(found) >= limit:
                break
    elif isinstance(recorded, list) and isinstance(sent, list) and len(recorded) == len(sent):
        for i, (a, b) in enumerate(zip(recorded, sent, strict=True)):
            found += diff(a, b, f"{path}[{i}]", limit)
    elif recorded != sent:
        found.append(f"{path}: recorded {json.dumps(recorded)[:80]}, sent {json.dumps(sent)[:80]}")
    return found[:limit]


@dataclass
class WsCassette:
    """A loaded cassette: handshake, frames (events with blobs) and close."""

    request: str
    url: str
    status: int
    body: str = ""
    close: dict[str, Any] = field(default_factory=dict)
    frames: list[dict[str, Any]] = field(default_factory=list)

    def wire(self, frame: dict[str, Any]) -> str | bytes:
        """The message to send for a recorded frame."""
        if "event" in frame:
            return json.dumps(unblob(frame["event"]), separators=(",", ":"), ensure_ascii=False)
        if "binary" in frame:
            return blob_bytes(frame["binary"][BLOB])
        return str(frame.get("text", ""))


def frame_record(frame: Frame, scrub: Callable[[str], str]) -> dict[str, Any]:
    """The cassette form of one frame."""
    record: dict[str, Any] = {"dir": frame.dir, "t": frame.t}
    if frame.binary:
        record["binary"] = _blob(bytes.fromhex(frame.text))
    elif frame.event is not None:
        record["event"] = map_strings(blobify(frame.event), scrub)
    else:
        record["text"] = scrub(frame.text)
    return record


def dump(session: WsSession, scrub: Callable[[str], str]) -> str:
    """Cassette text for a session (scrubbed; deterministic for a refused handshake)."""
    doc: dict[str, Any] = {"version": VERSION, "kind": KIND, "request": session.name, "url": scrub(session.url),
                           "status": session.status}
    if session.response_body:
        doc["body"] = scrub(session.response_body.decode("utf-8", "replace"))
    if session.status == 101:
        doc["frames"] = [frame_record(f, scrub) for f in session.frames]
        doc["close"] = {"code": session.close_code, "reason": scrub(session.close_reason), "by": session.closed_by}
    return yaml.dump(doc, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=120)


def _check_frames(frames: Any) -> list[dict[str, Any]]:
    if not isinstance(frames, list):
        raise ValueError("frames must be a list")
    for i, frame in enumerate(frames):
        if not isinstance(frame, dict) or frame.get("dir") not in (CLIENT, SERVER):
            raise ValueError(f"frame {i} has no dir client|server")
        if not ({"event", "text", "binary"} & set(frame)):
            raise ValueError(f"frame {i} has no event, text or binary")
    return frames


def _check_complete(doc: dict[str, Any]) -> None:
    """A version-2 upgraded session must end with its whole `close` record: else the file was cut."""
    if doc["version"] < 2 or doc.get("status") != 101:
        return
    close = doc.get("close")
    if "frames" not in doc or not isinstance(close, dict) or any(k not in close for k in CLOSE_KEYS):
        count = len(doc["frames"]) if isinstance(doc.get("frames"), list) else 0
        raise ValueError(f"truncated: the session has no complete close record after its {count} frame(s)")


def load(path: Path, restore: dict[str, str] | None = None) -> WsCassette | None:
    """Read a cassette; None when missing, one-line CassetteError when malformed."""
    if not path.is_file():
        return None

    def put_back(text: str) -> str:
        for placeholder, value in (restore or {}).items():
            text = text.replace(placeholder, value)
        return text

    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        if not isinstance(doc, dict) or doc.get("kind") != KIND:
            raise ValueError(f"not a {KIND} cassette")
        if doc.get("version") not in VERSIONS:
            raise ValueError(f"unsupported version {doc.get('version')!r}")
        _check_complete(doc)
        frames = [map_strings(f, put_back) for f in _check_frames(doc.get("frames", []))]
        return WsCassette(str(doc["request"]), put_back(str(doc["url"])), int(doc["status"]),
                          put_back(str(doc.get("body", ""))), dict(doc.get("close") or {}), frames)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, UnicodeDecodeError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CassetteError(str(path), f"unreadable ({first})") from None


def write(path: Path, text: str) -> Path:
    """Write a cassette to `<path>.partial` (the engine commits or discards it)."""
    partial = Path(str(path) + ".partial")
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text(text, encoding="utf-8")
    return partial
