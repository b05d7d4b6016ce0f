"""The LiteLLM (in front of llama.cpp) and llama-cpp-python recipes: processes, configs and their profiles agree."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from conformance.profiles.load import load_profile
from conformance.servers.peers import load_recipe
from conformance.servers.peers.recipe import ModelInfo, PeerContext
from conformance.servers.peers.venv import PeerPaths, expand


def _ctx(tmp_path: Path, ports: list[int]) -> PeerContext:
    model = ModelInfo(tmp_path / "tiny.gguf", {"recipe": "test"}, "0" * 64)
    return PeerContext(tmp_path / "venv" / "bin" / "python", model, tmp_path, tmp_path / "logs", ports)


def test_litellm_fronts_llamacpp_backends_started_with_the_projects_interpreter(tmp_path: Path) -> None:
    recipe = load_recipe("litellm")
    ctx = _ctx(tmp_path, [19300, 19301, 19302][: recipe.ports])
    backends_and_proxy = recipe.processes(ctx)
    chat, embed, proxy = backends_and_proxy
    # The backends start first (the proxy is stopped first) and run llama.cpp in the project's own venv.
    assert [spec.name for spec in backends_and_proxy] == ["llamacpp-chat", "llamacpp-embeddings", "proxy"]
    for spec, port in ((chat, 19301), (embed, 19302)):
        assert spec.argv[:3] == (sys.executable, "-m", "conformance.servers.llamacpp_proc")
        assert spec.port == port and spec.surfaces == () and spec.health_path == "/health"
    assert "--embedding" in embed.argv and "--embedding" not in chat.argv
    # Only the proxy is talked to, from the peer's venv, on loopback.
    assert proxy.argv[0] == str(ctx.python) and proxy.surfaces == ("base_url",)
    assert proxy.argv[proxy.argv.index("--host") + 1] == "127.0.0.1"
    assert proxy.argv[proxy.argv.index("--port") + 1] == "19300"
    config = yaml.safe_load(Path(proxy.argv[proxy.argv.index("--config") + 1]).read_text(encoding="utf-8"))
    routes = {m["model_name"]: m["litellm_params"] for m in config["model_list"]}
    profile = load_profile("litellm")
    assert set(routes) == {profile.models["chat"], profile.models["embeddings"]}
    assert routes[profile.models["chat"]]["api_base"] == "http://127.0.0.1:19301/v1"
    assert routes[profile.models["embeddings"]]["api_base"] == "http://127.0.0.1:19302/v1"
    # The profile sends the proxy's master key: a fixed public test value.
    assert config["general_settings"]["master_key"] == profile.default_key
    assert recipe.env["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"


def test_litellm_column_says_it_fronts_llamacpp() -> None:
    profile = load_profile("litellm")
    assert "LiteLLM" in profile.column and "llama.cpp" in profile.column
    assert profile.local_server == "litellm"


def test_llama_cpp_python_serves_both_aliases_from_one_process(tmp_path: Path) -> None:
    recipe = load_recipe("llama-cpp-python")
    (spec,) = recipe.processes(_ctx(tmp_path, [19310]))
    assert spec.argv[1:4] == ("-m", "llama_cpp.server", "--config_file")
    config = json.loads(Path(spec.argv[4]).read_text(encoding="utf-8"))
    assert (config["host"], config["port"]) == ("127.0.0.1", 19310)
    models = {m["model_alias"]: m for m in config["models"]}
    profile = load_profile("llama-cpp-python")
    assert set(models) == {profile.models["chat"], profile.models["embeddings"]}
    assert models[profile.models["chat"]]["chat_format"] == "chatml-function-calling"
    assert models[profile.models["embeddings"]]["embedding"] is True
    assert all(m["model"] == str(tmp_path / "tiny.gguf") for m in config["models"])


def test_peer_dir_in_pip_arguments_names_the_peers_folder_but_not_its_install_key(tmp_path: Path) -> None:
    recipe = load_recipe("llama-cpp-python")
    paths = PeerPaths.of(recipe, tmp_path)
    assert expand(recipe.pip_args, paths) == ["--find-links", f"{tmp_path.resolve()}/wheels"]
    other = PeerPaths.of(recipe, tmp_path / "elsewhere")
    assert expand(recipe.pip_args, other) != expand(recipe.pip_args, paths)
    assert other.venv.name == paths.venv.name  # the install key hashes `$PEER_DIR`, not this machine's folder
