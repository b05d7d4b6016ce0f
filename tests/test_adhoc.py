"""One line against any endpoint: ad-hoc targets from flags, `conformance init`, profile `extends` and `base_url`."""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.errors import ProfileError, UsageError
from conformance.profiles import TargetFlags, adhoc_profile, adjust, load_profile
from conformance.refserver import RefServer
from conformance.servers import start_server

from .test_replay_cli import conformance

HAVE_LLAMACPP = all(importlib.util.find_spec(m) is not None for m in ("xllamacpp", "gguf", "numpy"))


@pytest.fixture(scope="module")
def server() -> Iterator[RefServer]:
    """A reference server the ad-hoc runs point at."""
    with RefServer() as ref:
        yield ref


def report(directory: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((directory / "compat.json").read_text(encoding="utf-8"))


def test_one_line_against_a_server_with_no_profile_file(server: RefServer, tmp_path: Path) -> None:
    out = conformance("run", "--base-url", server.url, "--model", "ref-chat-1", "--embedding-model", "ref-embed-1",
                      "--surface", "models,chat,embeddings", "--report-dir", str(tmp_path))
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    doc = report(tmp_path)
    (target,) = doc["targets"]
    assert target["name"] == "ad-hoc" and target["mode"] == "live" and target["requests_sent"] > 0
    assert target["title"] == f"ad-hoc target at 127.0.0.1:{server.port}" and "no profile file" in target["origin"]
    rows = {r["feature"]: r for r in doc["results"]}
    assert {r["claim"] for r in rows.values()} == {"undocumented"}
    assert rows["chat.basic"]["verdict"] == rows["embeddings.float"]["verdict"] == "PASS"
    assert "ad-hoc" in out.stdout and "compatibility matrix" in out.stdout
    assert not (Path.cwd() / "cassettes" / "ad-hoc").exists()


def test_claims_from_a_bundled_profile_and_fail_on_fail(server: RefServer, tmp_path: Path) -> None:
    out = conformance("run", "--base-url", server.url, "--model", "ref-chat-1", "--claims", "openai", "-k",
                      "chat.basic or chat.tool_choice.first", "--report-dir", str(tmp_path), "--fail-on", "fail")
    assert out.returncode == 0, out.stdout[-2000:]
    rows = {r["feature"]: r for r in report(tmp_path)["results"]}
    assert rows["chat.basic"]["claim"] == "supported" and rows["chat.basic"]["agreement"] == "agrees"
    assert rows["chat.tool_choice.first"]["verdict"] == "REJECTED"


def test_a_surface_that_answers_404_is_rejected_with_the_reason(server: RefServer, tmp_path: Path) -> None:
    wrong = server.url.replace("/v1", "/v9")
    out = conformance("run", "--base-url", wrong, "--model", "ref-chat-1", "--surface", "files", "--report-dir",
                      str(tmp_path))
    row = report(tmp_path)["results"][0]
    # issue 11's rule: a route the server lacks is "endpoint absent" (REJECTED), with the answer quoted
    assert row["verdict"] == "REJECTED" and row["reason"].startswith("endpoint absent: HTTP 404"), row
    assert "Invalid URL" in row["reason"], row
    assert out.returncode == 0  # nothing was claimed, and REJECTED is not a FAIL


def test_auth_none_sends_no_authorization_header(server: RefServer, tmp_path: Path) -> None:
    out = conformance("run", "--base-url", server.url, "--model", "ref-chat-1", "--auth", "none", "-k",
                      "models.list", "--report-dir", str(tmp_path))
    row = report(tmp_path)["results"][0]
    # The server's 401 says no key arrived; a 401 is no verdict on a feature (issues 11 and 12): ERROR, named
    assert row["verdict"] == "ERROR" and "authentication failed" in row["reason"], out.stdout[-2000:]
    assert "didn't provide an API key" in row["reason"], row["reason"]


def test_header_values_are_sent_but_never_recorded(server: RefServer, tmp_path: Path) -> None:
    os.environ["CONFORMANCE_TEST_HEADER"] = "env-secret-value-42"
    try:
        out = conformance("record", "--base-url", server.url, "--model", "ref-chat-1", "-k", "chat.basic",
                          "--header", "X-Literal=literal-secret-value-1", "--header",
                          "X-From-Env=${CONFORMANCE_TEST_HEADER}", "--cassette-dir", str(tmp_path / "c"),
                          "--report-dir", str(tmp_path / "r"), env={**os.environ})
    finally:
        del os.environ["CONFORMANCE_TEST_HEADER"]
    assert out.returncode == 0, out.stdout[-2000:]
    text = (tmp_path / "c" / "ad-hoc" / "chat" / "chat.basic.yaml").read_text(encoding="utf-8")
    assert "literal-secret-value-1" not in text and "env-secret-value-42" not in text
    assert "<X_LITERAL>" in text and "<CONFORMANCE_TEST_HEADER>" in text


@pytest.mark.parametrize(("args", "says"), [
    (["--base-url", "http://127.0.0.1:9/v1"], "needs --model M"),
    (["--model", "m"], "--model needs --base-url"),
    (["--target", "reference", "--claims", "openai"], "--claims is for an ad-hoc target"),
    (["--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--surface", "chat,nope"], "--surface nope"),
    (["--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--header", "no-equals"], "expected NAME=VALUE"),
    (["--base-url", "ftp://x", "--model", "m"], "expected an http(s) URL"),
])
def test_bad_ad_hoc_flags_are_one_line(args: list[str], says: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--report-dir", str(tmp_path), "-q", *args]) == 2
    captured = capsys.readouterr()
    lines = [ln for ln in (captured.out + captured.err).splitlines() if ln.strip()]
    assert len(lines) == 1 and says in lines[0], lines[:5]


def test_flags_adjust_a_profile_and_build_an_ad_hoc_one() -> None:
    profile = adjust(load_profile("openai"), TargetFlags(model="m1", embedding_model="e1", api_key_env="K",
                                                         auth="api-key"))
    assert profile.models["chat"] == profile.models["tools"] == "m1" and profile.models["embeddings"] == "e1"
    assert profile.key_env == ("K",) and profile.auth_scheme == "api-key" and profile.claims
    adhoc = adhoc_profile(TargetFlags(base_url="http://h:1/v1", model="m"))
    assert adhoc.claims == {} and adhoc.base_url("chat") == "http://h:1/v1" and adhoc.default_key
    with pytest.raises(UsageError, match="--auth 'magic'"):
        adjust(adhoc, TargetFlags(auth="magic"))


def test_a_profile_extends_a_bundled_one_with_a_single_base_url(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('extends = "openai"\n\n[target]\nname = "mine"\ntitle = "Mine"\nbase_url = "http://h:1/v1"\n\n'
                    '[models]\nchat = "my-model"\n\n[claims]\n"chat.basic" = { claim = "partial", source = "me" }\n',
                    encoding="utf-8")
    mine, base = load_profile(str(path)), load_profile("openai")
    assert mine.name == "mine" and mine.endpoints == {"default": {"base_url": "http://h:1/v1"}}
    assert mine.models["chat"] == "my-model" and mine.models["embeddings"] == base.models["embeddings"]
    assert mine.claim("chat.basic").value == "partial" and mine.claim("chat.stream") == base.claim("chat.stream")
    assert mine.key_env == base.key_env and not mine.local_server


def test_extends_a_local_server_profile_drops_the_server(tmp_path: Path) -> None:
    path = tmp_path / "ref.toml"
    path.write_text('extends = "reference"\n[target]\nname = "r2"\ntitle = "R2"\nbase_url = "http://h:2/v1"\n',
                    encoding="utf-8")
    profile = load_profile(str(path))
    assert profile.local_server == "" and profile.default_key == "sk-reference-not-a-secret"


@pytest.mark.parametrize(("text", "key"), [
    ('extends = "nope"\n', "[extends]"),
    ('extends = 3\n', "[extends]"),
    ('[target]\nname = "x"\ntitle = "x"\nbase_url = "http://h/v1"\n[auth]\nscheme = "bearer"\n'
     '[endpoints]\ndefault = "a"\n[endpoints.a]\nbase_url = "http://h/v1"\n', "[target.base_url]"),
    ('[target]\nname = "x"\ntitle = "x"\nbase_ulr = "http://h/v1"\n[auth]\nscheme = "bearer"\n', "[target.base_ulr]"),
])
def test_profile_mistakes_are_one_line(text: str, key: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=key.replace("[", r"\[").replace("]", r"\]")) as info:
        load_profile(str(path))
    assert "\n" not in str(info.value)


def test_extends_cycle_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="levels"):
        load_profile(str(tmp_path / "a.toml"))


def test_init_writes_a_commented_profile_that_runs(server: RefServer, tmp_path: Path) -> None:
    out_file = tmp_path / "mine.toml"
    out = conformance("init", "--base-url", server.url, "--out", str(out_file))
    assert out.returncode == 0, out.stdout + out.stderr
    text = out_file.read_text(encoding="utf-8")
    assert "# Discovery" in text and "chat           POST /chat/completions: answers (HTTP 200)" in text
    profile = load_profile(str(out_file))
    assert profile.models == {"chat": "ref-chat-1", "embeddings": "ref-embed-1"} and profile.claims == {}
    assert conformance("init", "--base-url", server.url, "--out", str(out_file)).returncode == 2  # no overwrite
    run = conformance("run", "--target", str(out_file), "--mode", "live", "-k", "chat.basic", "--report-dir",
                      str(tmp_path / "r"))
    assert run.returncode == 0 and report(tmp_path / "r")["results"][0]["verdict"] == "PASS", run.stdout[-2000:]


def test_init_against_nothing_is_one_line(tmp_path: Path) -> None:
    out = conformance("init", "--base-url", "http://127.0.0.1:9/v1", "--out", str(tmp_path / "x.toml"))
    assert out.returncode == 2 and "does not answer" in out.stderr and "\n" not in out.stderr.strip()


def test_targets_prints_each_bundled_profile_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    for name in ("reference", "openai", "yandex-ai-studio"):
        path = Path(next(ln.strip() for ln in out.splitlines() if ln.strip().endswith(f"{name}.toml")))
        assert path.is_file() and load_profile(str(path)).name == name


def test_bundled_local_server_takes_a_port(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = start_server("reference", port=port)
    try:
        assert server.url("chat") == f"http://127.0.0.1:{port}/v1"
        taken = conformance("run", "--target", "reference", "--mode", "live", "--port", str(port), "-k",
                            "models.list", "--report-dir", str(tmp_path))
        assert taken.returncode == 2 and f"127.0.0.1:{port}" in taken.stdout + taken.stderr
    finally:
        server.stop()


@pytest.mark.skipif(not HAVE_LLAMACPP, reason="llama.cpp extra not installed (pip install -e '.[llamacpp]')")
def test_one_line_against_llamacpps_real_server(tmp_path: Path) -> None:
    llama = start_server("llamacpp", tmp_path / "cache")
    try:
        out = conformance("run", "--base-url", llama.url("chat"), "--model", "conformance-tiny-llama", "--surface",
                          "models,chat,files", "-k", "models or chat.basic or files", "--report-dir", str(tmp_path))
    finally:
        llama.stop()
    rows = {r["feature"]: r for r in report(tmp_path)["results"]}
    assert rows["chat.basic"]["verdict"] == "PASS" and rows["models.list"]["verdict"] == "PASS", out.stdout[-3000:]
    assert rows["files.crud"]["verdict"] in ("REJECTED", "FAIL") and "404" in rows["files.crud"]["reason"]
    assert out.returncode == 0
