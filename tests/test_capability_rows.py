"""Issue 13 part B rows: the request material, the chat-capable selection, and the verdicts real recordings earn
(llama.cpp's 404/501 answers to the other endpoints, a refused image, a replay without the existence cassettes)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.catalogue import Surface
from conformance.probes.capabilities import IMAGE_URL, chat_capable, tiny_png
from conformance.refserver import RefServer

SHIPPED = Path(__file__).resolve().parent.parent / "cassettes"


def test_the_image_is_a_valid_8x8_png_sent_as_a_data_url() -> None:
    png = tiny_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (8, 8)
    length = struct.unpack(">I", png[33:37])[0]
    pixels = zlib.decompress(png[41:41 + length])
    assert len(pixels) == 8 * (1 + 8 * 3)  # a filter byte and 8 RGB pixels per row
    assert IMAGE_URL.startswith("data:image/png;base64,") and len(IMAGE_URL) < 200


def test_chat_capable_ids_are_the_matching_listed_ids_sorted_and_capped() -> None:
    listed = ["gpt-z", "text-embedding-3", "gpt-a", "gpt-m", "gpt-a", "dall-e-3"]
    assert chat_capable(listed, {"chat_models": ["gpt-*"]}) == ["gpt-a", "gpt-m", "gpt-z"]
    assert chat_capable(listed, {"chat_models": ["gpt-*"], "models_usable_max": 1}) == ["gpt-a"]
    assert chat_capable(listed, {"chat_models": ["GPT-*"]}) == []  # case-sensitive, as ids are
    assert chat_capable(listed, {}) == []


def test_existence_rows_grade_llamacpps_recorded_404_and_501_answers() -> None:
    run = TargetRun(load_profile("llamacpp"), RunSettings(Mode.REPLAY, cassette_root=SHIPPED))
    results = {f.id: run.run_feature(f) for f in FEATURES.by_surface(Surface.OTHER)}
    assert results["other.completions"].verdict is Verdict.PASS  # POST /v1/completions refuses {} with 400
    absent = results["other.moderations"]
    assert absent.verdict is Verdict.REJECTED and absent.reason.startswith("endpoint absent: HTTP 404")
    not_implemented = results["other.audio_transcriptions"]
    assert not_implemented.verdict is Verdict.SKIP and "HTTP 501" in not_implemented.checks[0].evidence.where
    assert run.info.requests_sent == 0


def test_existence_rows_without_a_recording_are_skipped_in_replay(tmp_path: Path) -> None:
    run = TargetRun(load_profile("reference"), RunSettings(Mode.REPLAY, cassette_root=tmp_path))
    results = [run.run_feature(f) for f in FEATURES.by_surface(Surface.OTHER)]
    assert {r.verdict for r in results} == {Verdict.SKIP}
    assert all("no recording" in r.reason for r in results)
    missing = run.run_feature(FEATURES.get("chat.reasoning"))  # any other row still says it is missing
    assert missing.verdict is Verdict.ERROR


def test_a_model_that_refuses_the_image_cleanly_is_rejected_not_failed(tmp_path: Path) -> None:
    profile = tmp_path / "no-vision.toml"
    profile.write_text('extends = "reference"\n[target]\nname = "no-vision"\ntitle = "No vision"\n'
                       '[models]\nvision = "ref-text-only"\n', encoding="utf-8")
    with RefServer() as server:
        run = TargetRun(load_profile(str(profile)),
                        RunSettings(Mode.LIVE, base_url=server.url, policy=AttemptPolicy(0)))
        result = run.run_feature(FEATURES.get("chat.image_input"))
    assert result.verdict is Verdict.REJECTED, result.reason
    assert "HTTP 404" in result.reason
