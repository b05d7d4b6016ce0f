"""Cassette provenance: per-cassette entries, re-recording some keeps the others' stamps, atomic writes; hygiene."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conformance.recording import hygiene
from conformance.recording.meta import META, cassette_entries, read_meta, report_meta, write_meta

SHIPPED = Path(__file__).resolve().parent.parent / "cassettes"
T1 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
T2 = datetime(2026, 5, 6, 7, 8, 9, tzinfo=timezone.utc)


def test_re_recording_some_cassettes_keeps_the_others_provenance(tmp_path: Path) -> None:
    write_meta(tmp_path, "t", "http://127.0.0.1:1/v1", "local", "origin", ["a", "b"], now=T1)
    write_meta(tmp_path, "t", "https://api.example.com/v1", "prod", "origin", ["b"], present=["a", "b"], now=T2)
    meta = read_meta(tmp_path)
    entries = cassette_entries(meta)
    assert entries["a"]["recorded_at"] == "2026-01-02T03:04:05Z" and "local server" in entries["a"]["recorded_against"]
    assert entries["b"]["recorded_at"] == "2026-05-06T07:08:09Z" and entries["b"]["recorded_against"] == \
        "api.example.com"
    assert meta["recorded_at"] == "2026-01-02T03:04:05Z..2026-05-06T07:08:09Z"  # a range, not today's date
    assert "cassettes" not in report_meta(tmp_path) and report_meta(tmp_path)["requests"] == ["a", "b"]


def test_a_deleted_cassette_loses_its_entry(tmp_path: Path) -> None:
    write_meta(tmp_path, "t", "http://h/v1", "e", "", ["a", "b"], now=T1)
    write_meta(tmp_path, "t", "http://h/v1", "e", "", ["a"], present=["a"], now=T2)
    assert sorted(cassette_entries(read_meta(tmp_path))) == ["a"]


def test_an_old_meta_file_without_entries_is_read_as_one_stamp_per_request(tmp_path: Path) -> None:
    doc = json.loads((SHIPPED / "reference" / META).read_text(encoding="utf-8"))
    doc.pop("cassettes")  # the format before per-cassette entries (the shipped file has them)
    (tmp_path / META).write_text(json.dumps(doc), encoding="utf-8")
    old = read_meta(tmp_path)
    entries = cassette_entries(old)
    assert set(entries) == set(old["requests"]) and entries["chat.basic"]["recorded_at"] == old["recorded_at"]
    write_meta(tmp_path, "reference", "http://127.0.0.1:1/v1", "local", "o", ["chat.basic"], now=T2)
    assert cassette_entries(read_meta(tmp_path))["models.list"]["recorded_at"] == old["recorded_at"]


def test_meta_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_meta(tmp_path, "t", "http://h/v1", "e", "", ["a"], now=T1)
    before = (tmp_path / META).read_text(encoding="utf-8")

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(OSError):
        write_meta(tmp_path, "t", "http://h/v1", "e", "", ["b"], now=T2)
    assert (tmp_path / META).read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == [META]  # no temporary file left behind


def test_unused_and_stale_cassettes(tmp_path: Path) -> None:
    (tmp_path / "chat").mkdir()
    for name in ("chat.basic", "chat.old"):
        (tmp_path / "chat" / f"{name}.yaml").write_text("interactions: []\n", encoding="utf-8")
    assert hygiene.unused(tmp_path, {"chat.basic"}) == ["chat.old"]
    meta = {"cassettes": {"chat.basic": {"recorded_at": "2026-01-02T03:04:05Z", "openai_sdk": "3.54.0"}}}
    now = datetime(2026, 6, 1, tzinfo=timezone.utc)
    reasons = hygiene.stale(meta, "3.57.1", now)
    assert len(reasons) == 2 and "days ago" in reasons[0] and "3.54.0" in reasons[1]
    assert hygiene.stale(meta, "3.54.9", datetime(2026, 1, 3, tzinfo=timezone.utc)) == []


def test_shipped_meta_files_are_valid_json_objects() -> None:
    for target in ("reference", "llamacpp", "prism"):
        assert isinstance(json.loads((SHIPPED / target / META).read_text(encoding="utf-8")), dict)
