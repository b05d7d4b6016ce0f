"""Local third-party targets: llama.cpp (tiny model, profile, replay, real server live) and the Prism cross-check."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.errors import ProfileError
from conformance.probes import REQUESTS
from conformance.profiles import parse_profile
from conformance.profiles.model import PEER_KINDS
from conformance.servers import KINDS, LocalServerError, missing_requirement, start_server

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "cassettes"
HAVE_GGUF = importlib.util.find_spec("gguf") is not None and importlib.util.find_spec("numpy") is not None
HAVE_SERVER = HAVE_GGUF and importlib.util.find_spec("xllamacpp") is not None
needs_gguf = pytest.mark.skipif(not HAVE_GGUF, reason="gguf/numpy not installed (pip install -e '.[llamacpp]')")
needs_server = pytest.mark.skipif(not HAVE_SERVER, reason="xllamacpp not installed (pip install -e '.[llamacpp]')")
SURFACES = ("chat", "embeddings", "models")


@needs_gguf
def test_tiny_model_is_deterministic_and_small(tmp_path: Path) -> None:
    from conformance.servers.tiny_gguf import build

    first = build(tmp_path / "a.gguf").read_bytes()
    second = build(tmp_path / "b.gguf").read_bytes()
    assert first == second
    assert len(first) < 6 * 1024 * 1024
    assert first[:4] == b"GGUF"


@needs_gguf
def test_tiny_model_weights_encode_the_documented_chain() -> None:
    """After the prompt's newline the top token is ' Hello'; after '.' the end token, then '<' second."""
    from conformance.servers import tiny_gguf as t

    tokens, _, _, ids = t._vocab()
    embd, out = t.weights(ids, len(tokens))

    def ranked(piece: str) -> list[int]:
        x = embd[ids[piece]]
        logits = out @ (x / (x @ x / len(x)) ** 0.5)
        return [int(i) for i in logits.argsort()[::-1][:2]]

    assert ranked("<0x0A>")[0] == ids["▁Hello"]
    assert ranked(".") == [ids["</s>"], ids["<"]]
    assert ranked("▁the")[0] == ids["</s>"]


def test_recipe_names_its_sources_by_hash() -> None:
    from conformance.servers.tiny_gguf import recipe

    stamp = recipe()
    assert stamp["vocab"].startswith("llama.cpp models/ggml-vocab-llama-spm.gguf sha256:")
    assert "Qwen-Qwen2.5-7B-Instruct.jinja" in stamp["chat_template"]
    assert (ROOT / "conformance" / "servers" / "data" / "LICENSE-llama.cpp").read_text().startswith("MIT License")


def test_llamacpp_profile_loads_with_sourced_claims() -> None:
    profile = load_profile("llamacpp")
    assert profile.local_server == "llamacpp"
    assert profile.base_url("embeddings") != profile.base_url("chat")
    assert profile.claims and all(e.source for entries in profile.claims.values() for e in entries)
    assert all(e.source.startswith(("README", "FC")) for entries in profile.claims.values() for e in entries)


def test_reference_profile_names_its_local_server() -> None:
    assert load_profile("reference").local_server == "reference"
    assert set(KINDS) == {"reference", "llamacpp", "prism", "yandex-stand-in", *PEER_KINDS}
    assert load_profile("prism").local_server == "prism"


def test_unknown_local_server_is_a_one_line_profile_error() -> None:
    data = {"target": {"name": "x", "title": "X", "local_server": "ollama"}, "auth": {"scheme": "bearer"},
            "endpoints": {"default": "v1", "v1": {"base_url": "http://127.0.0.1:1/v1"}}}
    with pytest.raises(ProfileError) as err:
        parse_profile(data, "x.toml")
    message = str(err.value)
    assert "[target.local_server]" in message and "'ollama'" in message and "\n" not in message


def test_missing_extra_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from conformance.servers import llamacpp

    monkeypatch.setattr(llamacpp, "_version", lambda dist: "" if dist == "xllamacpp" else "1.0")
    problem = missing_requirement("llamacpp")
    assert problem is not None and "xllamacpp" in problem and ".[llamacpp]" in problem
    with pytest.raises(LocalServerError, match=r"\.\[llamacpp\]"):
        start_server("llamacpp")
    assert missing_requirement("reference") is None


def test_shipped_llamacpp_cassettes_are_stamped() -> None:
    meta = json.loads((SHIPPED / "llamacpp" / "_meta.json").read_text(encoding="utf-8"))
    stamp = meta["local_server"]
    assert stamp["xllamacpp"] and stamp["xllamacpp"] in meta["recorded_against"]
    assert stamp["model_recipe"]["recipe"].startswith("conformance.servers.tiny_gguf v")
    assert "127.0.0.1" in meta["recorded_against"]


def test_replay_of_shipped_llamacpp_cassettes_gives_a_verdict_for_every_core_surface_row() -> None:
    run = TargetRun(load_profile("llamacpp"), RunSettings(Mode.REPLAY, cassette_root=SHIPPED))
    rows = [f for f in FEATURES if f.surface.value in SURFACES]
    results = {f.id: run.run_feature(f) for f in rows}
    assert len(results) >= 20
    assert all(r.verdict is not Verdict.SKIP for r in results.values())
    # Generated (hypothesis) requests replay through their own machinery; every other row must be conclusive.
    plain = [f for f in rows if not any(REQUESTS.get(n.partition(":")[0]).generated for n in f.requests)]
    errors = {f.id: results[f.id].reason for f in plain if results[f.id].verdict is Verdict.ERROR}
    assert not errors
    assert run.info.requests_sent == 0


def _port_open(url: str) -> bool:
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, int(port))) == 0


@needs_server
def test_llamacpp_servers_start_answer_and_stop_by_pid(tmp_path: Path) -> None:
    server = start_server("llamacpp", tmp_path)
    try:
        chat, embed = server.url("chat"), server.url("embeddings")
        assert chat != embed and all(u.startswith("http://127.0.0.1:") for u in (chat, embed))
        for url in (chat, embed):
            with urllib.request.urlopen(url.removesuffix("/v1") + "/health", timeout=5) as resp:
                assert resp.status == 200
        run = TargetRun(load_profile("llamacpp"),
                        RunSettings(Mode.LIVE, policy=AttemptPolicy(0)), local_urls=server.urls)
        for fid in ("models.list", "chat.basic", "embeddings.float"):
            assert run.run_feature(FEATURES.get(fid)).verdict is Verdict.PASS, fid
        assert server.provenance["xllamacpp"]
    finally:
        server.stop()
    assert not _port_open(chat) and not _port_open(embed)
    server.stop()  # idempotent


def test_prism_replies_pass_the_wire_validators_on_files_and_vector_stores() -> None:
    """Prism answers from OpenAI's own spec: the suite's shape checks must accept every one of its replies."""
    run = TargetRun(load_profile("prism"), RunSettings(Mode.REPLAY, cassette_root=SHIPPED))
    rows = [f for f in FEATURES if f.surface.value in ("files", "vector_stores")]
    assert rows
    for feature in rows:
        result = run.run_feature(feature)
        outcomes = {c.id: c.outcome.value for c in result.checks}
        assert outcomes.get("schema.flow") == "passed", (feature.id, result.reason, outcomes)
    meta = json.loads((SHIPPED / "prism" / "_meta.json").read_text(encoding="utf-8"))
    assert "prism-cli" in meta["local_server"]["server"] and "sha256:" in meta["local_server"]["spec"]


def _can_isolate() -> bool:
    if not shutil.which("unshare") or not shutil.which("ip") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10, check=False)
    return probe.returncode == 0


@needs_server
@pytest.mark.skipif(not _can_isolate(), reason="needs root and unshare -n (a private network namespace)")
def test_llamacpp_live_run_needs_no_network_beyond_loopback(tmp_path: Path) -> None:
    """In a network namespace with only loopback, the live llama.cpp target still answers: nothing goes outside."""
    script = (f"ip link set lo up && {sys.executable} -m conformance run --mode live --target llamacpp "
              f"-k 'models or chat.basic or embeddings.float' --report-dir {tmp_path} -q")
    env = {**os.environ, "CONFORMANCE_CACHE_DIR": str(ROOT / ".cache")}
    out = subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True, timeout=300,
                         cwd=ROOT, env=env, check=False)
    doc = json.loads((tmp_path / "compat.json").read_text(encoding="utf-8"))
    verdicts = {r["feature"]: r["verdict"] for r in doc["results"]}
    assert verdicts["chat.basic"] == "PASS" and verdicts["embeddings.float"] == "PASS", out.stdout[-2000:]
    assert verdicts["models.list"] == "PASS"
