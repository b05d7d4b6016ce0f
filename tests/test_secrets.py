"""Recording never writes a secret: a planted key, folder id and cookie appear in no cassette or report."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conformance.profiles import BUILTIN_DIR
from conformance.recording.scrub import Scrubber
from conformance.refserver import RefServer

from .test_replay_cli import conformance

KEY = "sk-plantedKEY0123456789abcdefXYZ"
FOLDER = "b1gPLANTEDfolder42"
COOKIE = "session=PLANTEDcookie77"


def secret_profile(tmp_path: Path) -> Path:
    """The reference profile plus a secret folder variable used in headers and model ids, and a cookie."""
    text = (BUILTIN_DIR / "reference.toml").read_text(encoding="utf-8")
    text = text.replace('name = "reference"', 'name = "secret-probe"')
    text = text.replace('key_env = ["CONFORMANCE_REFERENCE_KEY"]', 'key_env = ["PROBE_KEY"]')
    text = text.replace('default_key = "sk-reference-not-a-secret"\n',
                        'default_key = "sk-reference-not-a-secret"\n\n[vars]\n'
                        'folder = { env = "PROBE_FOLDER", secret = true, placeholder = "<FOLDER_ID>" }\n\n'
                        f'[headers]\nOpenAI-Project = "{{folder}}"\nx-folder-id = "{{folder}}"\nCookie = "{COOKIE}"\n')
    text = text.replace('chat = "ref-chat-1"', 'chat = "gpt://{folder}/ref-chat-1"')
    path = tmp_path / "secret-probe.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_planted_secrets_never_reach_cassettes_or_reports(tmp_path: Path) -> None:
    env = {**os.environ, "PROBE_KEY": KEY, "PROBE_FOLDER": FOLDER}
    profile = secret_profile(tmp_path)
    with RefServer() as server:
        out = conformance("record", "--target", str(profile), "--base-url", server.url, "--cassette-dir",
                          str(tmp_path / "cassettes"), "--report-dir", str(tmp_path / "reports"), env=env)
    assert (tmp_path / "cassettes" / "secret-probe" / "chat" / "chat.basic.yaml").exists(), out.stdout[-2000:]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in {".yaml", ".json", ".md", ".xml"}]
    assert len(written) > 20
    for path in written:
        text = path.read_text(encoding="utf-8")
        for secret in (KEY, FOLDER, "PLANTEDcookie77"):
            assert secret not in text, f"{secret} leaked into {path}"
    for stream in (out.stdout, out.stderr):
        assert KEY not in stream and FOLDER not in stream
    cassette = (tmp_path / "cassettes" / "secret-probe" / "chat" / "chat.basic.yaml").read_text(encoding="utf-8")
    assert "gpt://<FOLDER_ID>/ref-chat-1" in cassette


def test_replay_restores_the_folder_in_model_ids(tmp_path: Path) -> None:
    env = {**os.environ, "PROBE_KEY": KEY, "PROBE_FOLDER": FOLDER}
    profile = secret_profile(tmp_path)
    cassettes = tmp_path / "cassettes"
    with RefServer() as server:
        conformance("record", "--target", str(profile), "--base-url", server.url, "--cassette-dir", str(cassettes),
                    "--report-dir", str(tmp_path / "rec"), "-k", "chat_basic or chat.basic", env=env)
    out = conformance("run", "--target", str(profile), "--cassette-dir", str(cassettes), "--report-dir",
                      str(tmp_path / "rep"), "-k", "chat.basic", env=env)
    doc = json.loads((tmp_path / "rep" / "compat.json").read_text(encoding="utf-8"))
    row = next(r for r in doc["results"] if r["feature"] == "chat.basic")
    assert row["verdict"] == "PASS", out.stdout[-2000:]


def test_scrubber_drops_secret_headers_and_key_shaped_text() -> None:
    scrub = Scrubber({"b1gfolder": "<FOLDER_ID>"}, ("https://ai.api.cloud.yandex.net/v1",))
    headers = scrub.headers({"Set-Cookie": ["a=b"], "Authorization": "Bearer x", "x-folder-id": "f", "Accept": "*/*"})
    assert headers == {"Accept": "*/*"}
    assert scrub.text("key AQVN" + "x" * 30 + " iam t1." + "y" * 30) == "key <REDACTED> iam <REDACTED>"
    assert scrub.uri("https://ai.api.cloud.yandex.net/v1/models/gpt://b1gfolder/x") == \
        "https://target.invalid/models/gpt://<FOLDER_ID>/x"
