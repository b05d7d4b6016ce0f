"""Profiles: bundled ones load; a malformed one is a single line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import Claim, ProfileError, load_profile
from conformance.profiles import builtin_names

GOOD = """
[target]
name = "custom"
title = "Custom"
[auth]
scheme = "bearer"
key_env = ["CUSTOM_KEY"]
[endpoints]
default = "main"
[endpoints.main]
base_url = "http://127.0.0.1:9/v1"
[models]
chat = "m"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "custom.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_profiles_load() -> None:
    assert {"openai", "reference", "yandex-ai-studio"} <= set(builtin_names())
    for name in builtin_names():
        assert load_profile(name).claims


def test_yandex_records_both_tool_choice_claims() -> None:
    entries = load_profile("yandex-ai-studio").claim_entries("chat.tool_choice.first")
    assert [e.claim for e in entries] == [Claim.SUPPORTED, Claim.UNSUPPORTED]
    assert "SEED" in entries[0].source and "OC-" in entries[1].source


def test_yandex_endpoint_generations_are_selectable() -> None:
    profile = load_profile("yandex-ai-studio")
    assert profile.base_url("chat") == "https://ai.api.cloud.yandex.net/v1"
    assert profile.base_url("chat", "legacy") == "https://llm.api.cloud.yandex.net/v1"
    assert profile.base_url("responses", "legacy") == "https://rest-assistant.api.cloud.yandex.net/v1"


def test_folder_templating_uses_placeholder_in_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YC_FOLDER_ID", raising=False)
    profile = load_profile("yandex-ai-studio")
    values = profile.var_values(replay=True)
    assert profile.render(profile.models["embeddings"], values) == "emb://<FOLDER_ID>/text-search-doc/latest"
    monkeypatch.setenv("YC_FOLDER_ID", "b1gfolder")
    assert profile.render(profile.models["chat"], profile.var_values(replay=False)) == "gpt://b1gfolder/yandexgpt/latest"


def test_user_profile_path_loads(tmp_path: Path) -> None:
    profile = load_profile(str(write(tmp_path, GOOD)))
    assert profile.name == "custom" and profile.claim("chat.basic") is Claim.UNDOCUMENTED


@pytest.mark.parametrize(
    ("mutation", "key"),
    [
        (lambda t: t.replace('scheme = "bearer"', 'scheme = "magic"'), "[auth.scheme]"),
        (lambda t: t.replace('default = "main"', 'default = "nope"'), "[endpoints.default]"),
        (lambda t: t + '[claims]\n"chat.nope" = { claim = "supported" }\n', "[claims.chat.nope]"),
        (lambda t: t + '[claims]\n"chat.basic" = { claim = "maybe" }\n', "[claims.chat.basic.claim]"),
        (lambda t: t.replace('chat = "m"', 'telepathy = "m"'), "[models.telepathy]"),
        (lambda t: t + "[extras]\n", "[extras]"),
        (lambda t: t.replace("[target]", "[target"), "[toml]"),
        (lambda t: t.replace('title = "Custom"', "title = 3"), "[target.title]"),
        (lambda t: t + "[budget]\nmax_requests = 0\n", "[budget.max_requests]"),
        (lambda t: t + "[budget]\nmax_coins = 3\n", "[budget.max_coins]"),
        (lambda t: t.replace('title = "Custom"', 'title = "Custom"\nextends = "no-such-parent"'), "[target.extends]"),
    ],
)
def test_malformed_profile_is_one_line_naming_file_and_key(tmp_path: Path, mutation, key: str) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, mutation(GOOD))
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message and key in message


def test_unknown_profile_name_lists_bundled_ones() -> None:
    with pytest.raises(ProfileError, match=r"bundled: .*openai, .*reference, .*yandex-ai-studio"):
        load_profile("no-such-target")


def test_extends_inherits_everything_but_the_target_identity(tmp_path: Path) -> None:
    child = write(tmp_path, '[target]\nname = "child"\ntitle = "Child"\nlabel = "Child column"\n'
                            'extends = "yandex-ai-studio"\nlocal_server = "reference"\n[options]\npoll_timeout = 2\n')
    parent, profile = load_profile("yandex-ai-studio"), load_profile(str(child))
    assert (profile.name, profile.title, profile.column, profile.local_server) == \
        ("child", "Child", "Child column", "reference")
    assert profile.claims == parent.claims and profile.models == parent.models and profile.headers == parent.headers
    assert profile.endpoints == parent.endpoints and profile.auth_scheme == parent.auth_scheme
    assert profile.options == {**parent.options, "poll_timeout": 2} and profile.budget == parent.budget
    assert parent.column == "yandex-ai-studio"


def test_budget_defaults_come_from_the_profile(tmp_path: Path) -> None:
    profile = load_profile(str(write(tmp_path, GOOD + "[budget]\nmax_requests = 7\nmax_tokens = 900\n")))
    assert (profile.budget.max_requests, profile.budget.max_tokens) == (7, 900)
    assert load_profile("reference").budget.max_requests is None
    yandex = load_profile("yandex-ai-studio").budget
    assert yandex.max_requests and yandex.max_tokens, "Yandex is billed: its profile sets a default budget"


def test_auth_header_forms() -> None:
    profile = load_profile("yandex-ai-studio")
    assert profile.auth_header("k") == "Bearer k"
    headers = profile.request_headers({"folder": "f"}, "k")
    assert headers == {"OpenAI-Project": "f"}
