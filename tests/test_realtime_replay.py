"""Realtime replay: recorded sessions replay offline; a client frame that differs is an ERROR with a diff, fast."""

from __future__ import annotations

import contextlib
import shutil
import time
from pathlib import Path

import pytest
import yaml
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.realtime.cassette import WsCassette
from conformance.realtime.replay import ReplayServer
from conformance.refserver import RefServer

REALTIME = FEATURES.by_surface("realtime")


def record_reference(root: Path) -> None:
    """Record every realtime request of the reference target into root/reference/realtime/."""
    with RefServer() as server:
        run = TargetRun(load_profile("reference"),
                        RunSettings(Mode.RECORD, base_url=server.url, cassette_root=root, policy=AttemptPolicy(0)))
        for feature in REALTIME:
            run.run_feature(feature)
        server.check()


def replay(root: Path, feature_id: str) -> tuple[object, float]:
    """Replay one realtime row; (result, seconds)."""
    started = time.monotonic()
    run = TargetRun(load_profile("reference"), RunSettings(Mode.REPLAY, cassette_root=root, policy=AttemptPolicy(0)))
    return run.run_feature(FEATURES.get(feature_id)), time.monotonic() - started


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private set of realtime cassettes, recorded once for this module."""
    root = tmp_path_factory.mktemp("cassettes")
    record_reference(root)
    return root


def edit(root: Path, request: str, change) -> None:  # type: ignore[no-untyped-def]
    """Load a cassette as YAML, let `change` modify it, write it back."""
    path = root / "reference" / "realtime" / f"{request}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def test_recorded_sessions_replay_offline_with_their_verdicts(recorded: Path, connects: list[object]) -> None:
    run = TargetRun(load_profile("reference"),
                    RunSettings(Mode.REPLAY, cassette_root=recorded, policy=AttemptPolicy(0)))
    results = {f.id: run.run_feature(f) for f in REALTIME}
    assert {fid: r.verdict for fid, r in results.items()} == {f.id: Verdict.PASS for f in REALTIME}
    assert connects and all(isinstance(p, tuple) and p[0] == "127.0.0.1" for p in connects)
    assert run.info.requests_sent == 0


def test_a_differing_client_frame_is_error_with_a_diff_in_bounded_time(tmp_path: Path, recorded: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(recorded, root)

    def reword(doc: dict) -> None:  # type: ignore[type-arg]
        for frame in doc["frames"]:
            if frame["dir"] == "client" and frame["event"]["type"] == "conversation.item.create":
                frame["event"]["item"]["content"][0]["text"] = "Say goodbye."

    edit(root, "realtime.text", reword)
    result, seconds = replay(root, "realtime.text")
    assert result.verdict is Verdict.ERROR  # type: ignore[attr-defined]
    reason = result.reason  # type: ignore[attr-defined]
    assert "client frame #2 (conversation.item.create) differs" in reason
    assert "$.item.content[0].text: recorded \"Say goodbye.\", sent \"Say hello in five words.\"" in reason
    assert seconds < 5


def test_a_client_frame_sent_before_session_created_is_not_a_mismatch(tmp_path: Path, recorded: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(recorded, root)

    def client_first(doc: dict) -> None:  # type: ignore[type-arg]
        frames = doc["frames"]
        first_client = next(i for i, f in enumerate(frames) if f["dir"] == "client")
        frames.insert(0, frames.pop(first_client))

    edit(root, "realtime.connect", client_first)
    result, _ = replay(root, "realtime.connect")
    assert result.verdict is Verdict.PASS, result.reason  # type: ignore[attr-defined]


def test_an_unrecorded_client_frame_is_error(tmp_path: Path, recorded: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(recorded, root)

    def drop_last_client(doc: dict) -> None:  # type: ignore[type-arg]
        frames = doc["frames"]
        last = max(i for i, f in enumerate(frames) if f["dir"] == "client")
        del frames[last:]

    edit(root, "realtime.invalid", drop_last_client)
    result, seconds = replay(root, "realtime.errors")
    assert result.verdict is Verdict.ERROR  # type: ignore[attr-defined]
    assert "is not in the recording" in result.reason and seconds < 5  # type: ignore[attr-defined]


def test_a_client_that_never_sends_the_recorded_frame_ends_at_the_deadline() -> None:
    cassette = WsCassette("t", "ws://target.invalid/v1/realtime?model=m", 101, close={"by": "client"}, frames=[
        {"dir": "server", "t": 0.0, "event": {"type": "session.created", "event_id": "e1", "session": {}}},
        {"dir": "client", "t": 0.1, "event": {"type": "session.update", "session": {"type": "realtime"}}},
    ])
    started = time.monotonic()
    with ReplayServer(cassette, deadline=1.0) as server, connect(server.url + "/realtime?model=m") as ws:
        assert '"session.created"' in str(ws.recv(timeout=2))
        with pytest.raises(Exception, match="1008"):
            ws.recv(timeout=5)
    assert server.mismatch is not None and "timed out" in server.mismatch
    assert time.monotonic() - started < 4


def test_a_missing_recording_is_a_readable_error(tmp_path: Path) -> None:
    result, _ = replay(tmp_path, "realtime.text")
    assert result.verdict is Verdict.ERROR  # type: ignore[attr-defined]
    assert result.reason == "no recording for realtime.text in reference/realtime/realtime.text.yaml"  # type: ignore[attr-defined]


def test_client_frames_after_a_server_closed_recording_are_dropped_as_live() -> None:
    """A server that rejects the session and closes (a gateway whose upstream refused) never read what came next."""
    cassette = WsCassette("t", "ws://target.invalid/v1/realtime?model=m", 101,
                          close={"by": "server", "code": 1011, "reason": "upstream rejected"}, frames=[
        {"dir": "server", "t": 0.0, "event": {"type": "error", "error": {"type": "server_error", "message": "no"}}},
    ])
    received: list[str] = []
    with ReplayServer(cassette, deadline=2.0) as server:
        ws = connect(server.url + "/realtime?model=m")
        try:
            with contextlib.suppress(ConnectionClosed):  # the close may already have arrived, as it did live
                ws.send('{"type": "session.update", "session": {"type": "realtime"}}')
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    received.append(str(ws.recv(timeout=5)))
        finally:
            ws.close()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011  # the recorded close, not 1008
    assert any('"error"' in message for message in received)
    assert server.mismatch is None
    assert [f.dir for f in server.capture.frames] == ["server"]
