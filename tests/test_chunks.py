"""Streams replay as they were sent: chunk boundaries recorded under vcrpy, replayed piece by piece to the SDK."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.refserver import RefServer
from conformance.wire.chunks import decode, encode, split
from conformance.wire.sse import SSEParser, parse_sse

SHIPPED = Path(__file__).resolve().parent.parent / "cassettes" / "reference" / "chat"


def shipped_streams() -> list[bytes]:
    """Every streamed body in the shipped reference cassettes."""
    bodies = []
    for path in sorted(SHIPPED.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            body = item["response"]["body"]["string"]
            if isinstance(body, str) and body.startswith("data:"):
                bodies.append(body.encode("utf-8"))
    return bodies


def test_chunk_log_round_trips_and_splits_proportionally() -> None:
    log = [(0.01, 3), (0.02, 5)]
    assert decode(encode(log)) == log
    assert split(b"abcdefgh", log) == [b"abc", b"defgh"]
    assert b"".join(split(b"x" * 16, log)) == b"x" * 16  # sizes of a gzip wire body: re-split, nothing lost


def record_then_replay(tmp_path: Path, request: str, *faults: str) -> tuple:  # type: ignore[type-arg]
    profile = load_profile("reference")
    with RefServer(faults=set(faults)) as server:
        settings = RunSettings(Mode.RECORD, base_url=server.url, cassette_root=tmp_path, policy=AttemptPolicy(0))
        recorder = TargetRun(profile, settings)
        recorded = recorder.send(request).exchange
    replayer = TargetRun(profile, RunSettings(Mode.REPLAY, cassette_root=tmp_path))
    return recorded, replayer.send(request).exchange, replayer


def test_replay_feeds_the_recorded_pieces_and_keeps_the_usage_chunk(tmp_path: Path) -> None:
    recorded, replayed, _ = record_then_replay(tmp_path, "chat.stream_usage")
    assert len(replayed.chunks) == len(recorded.wire_chunks) > 1
    assert [n for _, n in replayed.wire_chunks] == [n for _, n in recorded.wire_chunks]
    assert replayed.body == recorded.body and b'"choices":[]' in replayed.body
    assert "x-conformance-chunks" not in replayed.response_headers


def test_mid_stream_error_survives_record_and_replay(tmp_path: Path) -> None:
    recorded, replayed, replayer = record_then_replay(tmp_path, "chat.stream", "sdk_unparsable_stream")
    assert recorded.sdk_error and replayed.sdk_error == recorded.sdk_error
    result = replayer.run_feature(FEATURES.get("chat.stream"))
    assert result.verdict is Verdict.FAIL
    assert {c.id for c in result.problems()} >= {"sdk.parse", "stream.chunk_schema"}


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_recorded_streams_parse_identically_however_they_are_resplit(data: st.DataObject) -> None:
    for body in shipped_streams():
        body = body.replace(b"\n", data.draw(st.sampled_from([b"\n", b"\r\n"])))
        cuts = sorted(set(data.draw(st.lists(st.integers(0, len(body)), max_size=20))))
        parser = SSEParser()
        for start, end in zip([0, *cuts], [*cuts, len(body)], strict=True):
            parser.feed(body[start:end])
        parser.finish()
        assert [e.data for e in parser.events] == [e.data for e in parse_sse(body.replace(b"\r\n", b"\n")).events]
