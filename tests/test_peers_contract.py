"""The peers contract: recipe dataclasses, the lazy registry, the peer kinds, and the [model_limits] profile key."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conformance.errors import ProfileError
from conformance.profiles.load import parse_profile
from conformance.profiles.model import LOCAL_SERVER_KINDS, PEER_KINDS
from conformance.servers.base import LocalServerError
from conformance.servers.peers import RECIPES, load_recipe, registry
from conformance.servers.peers.recipe import ModelInfo, PeerContext, PeerRecipe, ProcessSpec, tree_sha256


def _recipe(**changes: object) -> PeerRecipe:
    def build(cache: Path) -> ModelInfo:
        return ModelInfo(cache, {"kind": "none"}, "0" * 64)

    def processes(ctx: PeerContext) -> list[ProcessSpec]:
        return [ProcessSpec("main", (str(ctx.python), "-m", "http.server", str(ctx.ports[0])), {}, ctx.ports[0],
                            "/", ("base_url",))]

    fields: dict[str, object] = {"name": "demo", "title": "Demo", "distribution": "demo",
                                 "requirements": ("demo==1.0",), "build_model": build, "processes": processes}
    fields.update(changes)
    return PeerRecipe(**fields)  # type: ignore[arg-type]


def test_every_peer_kind_is_a_local_server_kind_and_registered() -> None:
    assert set(PEER_KINDS) <= set(LOCAL_SERVER_KINDS)
    assert set(RECIPES) == set(PEER_KINDS)
    assert all(module.startswith("conformance.servers.peers.") for module in RECIPES.values())


def test_a_shipped_recipe_is_named_after_its_kind() -> None:
    shipped = [kind for kind, module in RECIPES.items()
               if (Path(__file__).parents[1] / (module.replace(".", "/") + ".py")).exists()]
    for kind in shipped:
        assert load_recipe(kind).name == kind


def test_unknown_or_missing_recipes_are_one_line_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(LocalServerError, match="unknown peer 'nope'"):
        load_recipe("nope")
    monkeypatch.setitem(registry.RECIPES, "vllm", "conformance.servers.peers.not_a_module")
    with pytest.raises(LocalServerError, match="has no recipe in this build"):
        load_recipe("vllm")


def test_install_key_changes_with_what_is_installed_only() -> None:
    base = _recipe()
    assert base.install_key == _recipe(title="Other title", env={"X": "1"}).install_key
    assert base.install_key != _recipe(requirements=("demo==1.1",)).install_key
    assert base.install_key != _recipe(post_install=(("uninstall", "-y", "torchvision"),)).install_key


def test_process_spec_gives_a_loopback_base_url() -> None:
    ctx = PeerContext(Path(sys.executable), ModelInfo(Path("."), {}, ""), Path("."), Path("."), [19101])
    (spec,) = _recipe().processes(ctx)
    assert spec.base_url == "http://127.0.0.1:19101/v1"
    assert spec.command_line().endswith("-m http.server 19101")


def test_tree_sha256_covers_names_and_contents(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "config.json").write_text("{}")
    first = tree_sha256(tmp_path / "a")
    (tmp_path / "a" / "config.json").write_text("{ }")
    assert tree_sha256(tmp_path / "a") != first
    (tmp_path / "a" / "config.json").write_text("{}")
    assert tree_sha256(tmp_path / "a") == first
    (tmp_path / "a" / "config.json").rename(tmp_path / "a" / "other.json")
    assert tree_sha256(tmp_path / "a") != first


_PROFILE = {"target": {"name": "t", "title": "T", "local_server": "infinity", "base_url": "http://127.0.0.1:1/v1"},
            "auth": {"scheme": "none"}}


def test_model_limits_are_parsed_and_validated() -> None:
    limits = {"chat.parallel_tool_calls": "the tiny model answers one tool call"}
    profile = parse_profile({**_PROFILE, "model_limits": limits}, "p.toml")
    assert profile.local_server == "infinity"
    assert profile.model_limits == limits
    with pytest.raises(ProfileError, match=r"model_limits\.chat\.nope"):
        parse_profile({**_PROFILE, "model_limits": {"chat.nope": "x"}}, "p.toml")
    with pytest.raises(ProfileError, match="non-empty string"):
        parse_profile({**_PROFILE, "model_limits": {"chat.basic": ""}}, "p.toml")
