"""Genuine OpenAI and Azure realtime sessions (shared recordings) satisfy the suite's schemas and state machine.

Documented relaxations: none are needed today. The recordings truncate base64 audio to 32 decoded bytes (still
whole PCM16 samples and still a string, so schemas hold) and keep `max_output_tokens: "inf"` as a string, which the
SDK's type allows (`int | "inf"`). A future violation must be added to RELAXED with its reason, not ignored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conformance.checks.realtime_events import state_problem
from conformance.realtime.frames import Frame, WsSession
from conformance.realtime.schemas import PREFIX, schema_name
from conformance.schemas import schema_dir, violations

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CASSETTES = SHARED / "reference" / "recordings" / "pydantic-ai" / "tests" / "realtime" / "cassettes"
# (event type, JSON path) -> why the genuine frame may differ from the SDK type. Empty: nothing to excuse.
RELAXED: dict[tuple[str, str], str] = {}


def sessions() -> list[Path]:
    """The WebSocket recordings (OpenAI GA and Azure)."""
    return sorted(CASSETTES.glob("test_*_ws/*.yaml"))


def as_session(path: Path) -> WsSession:
    """A pydantic-ai realtime cassette (format 9 in FORMATS.md) as a WsSession."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    frames = [Frame.of("server" if i["direction"] == "received" else "client", n / 100, json.dumps(i["data"]))
              for n, i in enumerate(doc.get("interactions") or []) if i.get("kind") == "message"]
    return WsSession(path.stem, "ws://recorded/v1/realtime", 101, frames)


pytestmark = pytest.mark.skipif(not CASSETTES.is_dir(), reason=f"shared recordings not found at {CASSETTES}")


def test_genuine_server_frames_have_no_schema_violation() -> None:
    known = {p.stem for p in schema_dir().glob(PREFIX + "*.json")}
    checked, problems = 0, []
    for path in sessions():
        for number, frame in enumerate(as_session(path).server_frames(), start=1):
            name = schema_name(frame.type, known)
            assert name is not None, f"{path.name} #{number}: unknown event type {frame.type}"
            for where, message in violations(name, frame.event):
                if (frame.type, where) not in RELAXED:
                    problems.append(f"{path.parent.name}/{path.name} #{number} {frame.type} {where}: {message}")
            checked += 1
    assert checked > 300
    assert problems == []


def test_genuine_sessions_follow_the_state_machine() -> None:
    found = [p for p in sessions() if as_session(p).server_frames()]
    assert len(found) >= 6
    assert {p.name: state_problem(as_session(p)) for p in found} == {p.name: None for p in found}


def test_every_relaxation_has_a_reason() -> None:
    assert all(len(reason) > 20 for reason in RELAXED.values())
