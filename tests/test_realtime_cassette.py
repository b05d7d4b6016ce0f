"""WebSocket cassettes: readable, audio by hash, round trip intact, secrets never written, bad files one line."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from conformance import FEATURES, AttemptPolicy, CassetteError, Mode, RunSettings, TargetRun, load_profile
from conformance.realtime.audio import tone_pcm16
from conformance.realtime.cassette import BLOB, dump, load
from conformance.realtime.frames import Frame, WsSession
from conformance.recording.scrub import Scrubber
from conformance.refserver import RefServer

from .test_secrets import FOLDER, KEY, secret_profile

TONE = tone_pcm16(0.25)


def sample_session() -> WsSession:
    """A session with a folder id in the model, input and output audio, and a non-JSON frame."""
    audio = base64.b64encode(TONE).decode()
    events = [
        ("server", {"type": "session.created", "event_id": "e1", "session": {"model": f"gpt://{FOLDER}/speech"}}),
        ("client", {"type": "input_audio_buffer.append", "audio": audio}),
        ("server", {"type": "response.output_audio.delta", "event_id": "e2", "response_id": "r", "item_id": "i",
                    "output_index": 0, "content_index": 0, "delta": audio}),
    ]
    frames = [Frame.of(d, 0.01 * i, json.dumps(e)) for i, (d, e) in enumerate(events)]
    frames.append(Frame.of("server", 0.5, "keepalive"))
    return WsSession("realtime.audio", f"ws://target.invalid/v1/realtime?model=gpt://{FOLDER}/speech", 101, frames,
                     1000, "", "client")


def test_round_trip_keeps_frames_and_stores_audio_by_hash(tmp_path: Path) -> None:
    scrub = Scrubber({FOLDER: "<FOLDER_ID>"}).text
    path = tmp_path / "s.yaml"
    path.write_text(dump(sample_session(), scrub), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert FOLDER not in text and "<FOLDER_ID>" in text and len(text) < 2000
    loaded = load(path, {"<FOLDER_ID>": FOLDER})
    assert loaded is not None and loaded.status == 101 and loaded.close == {"code": 1000, "reason": "", "by": "client"}
    blob = loaded.frames[1]["event"]["audio"][BLOB]
    assert blob == {"sha256": hashlib.sha256(TONE).hexdigest(), "length": len(TONE),
                    "head": base64.b64encode(TONE[:16]).decode()}
    assert json.loads(loaded.wire(loaded.frames[0]))["session"]["model"] == f"gpt://{FOLDER}/speech"
    delta = base64.b64decode(json.loads(loaded.wire(loaded.frames[2]))["delta"])
    assert len(delta) == len(TONE) and delta[:16] == TONE[:16]
    assert loaded.wire(loaded.frames[3]) == "keepalive"


@pytest.mark.parametrize("content", ["frames: [\n  - {dir: ", "kind: realtime-websocket\nversion: 9\n",
                                     "version: 1\nkind: realtime-websocket\nrequest: x\nurl: u\nstatus: 101\n"
                                     "frames: [{dir: sideways, event: {}}]\n"])
def test_a_malformed_cassette_is_one_line(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CassetteError) as err:
        load(path)
    assert str(err.value).startswith(f"cassette {path}: unreadable (") and "\n" not in str(err.value)


def test_a_missing_cassette_loads_as_none(tmp_path: Path) -> None:
    assert load(tmp_path / "absent.yaml") is None


def test_recorded_realtime_cassettes_hold_no_key_folder_or_header(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBE_KEY", KEY)
    monkeypatch.setenv("PROBE_FOLDER", FOLDER)
    profile = load_profile(str(secret_profile(tmp_path)))
    with RefServer() as server:
        settings = RunSettings(Mode.RECORD, base_url=server.url, cassette_root=tmp_path / "c", policy=AttemptPolicy(0))
        run = TargetRun(profile, settings)
        verdicts = {f.id: run.run_feature(f).verdict.value for f in FEATURES.by_surface("realtime")}
    written = list((tmp_path / "c").rglob("*.yaml"))
    assert len(written) == 7, verdicts
    for path in written:
        text = path.read_text(encoding="utf-8")
        for secret in (KEY, FOLDER, "PLANTEDcookie77", "Bearer sk-", "OpenAI-Project", "x-folder-id", "headers:"):
            assert secret not in text, f"{secret} in {path.name}"
