"""`conformance doctor`: the plan offline with secrets masked, environment checks, and --ping's one-line answers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conformance.catalogue import FEATURES
from conformance.doctor import PREFLIGHT, diagnose, explain, run_doctor, selected_rows
from conformance.options import RunOptions
from conformance.profiles import load_profile
from conformance.refserver import YandexStandIn
from conformance.refserver.yandex import STAND_IN_FAULTS

from .test_replay_cli import conformance

FOLDER = "b1gdoctorfolder00001"
KEY = "AQVNdoctorFakeKey0123456789abcdef"


def yandex_env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("YC_", "YANDEX_"))}
    return {**clean, "YC_API_KEY": KEY, "YC_FOLDER_ID": FOLDER, **extra}


@pytest.mark.parametrize(("args", "hosts"), [
    ((), {"https://ai.api.cloud.yandex.net/v1", "wss://ai.api.cloud.yandex.net/v1/realtime?model="}),
    (("--endpoint", "legacy"), {"https://llm.api.cloud.yandex.net/v1", "https://rest-assistant.api.cloud.yandex.net/v1",
                                "wss://rest-assistant.api.cloud.yandex.net/v1/realtime/openai?model="}),
])
def test_doctor_prints_the_plan_offline_with_secrets_masked(args: tuple[str, ...], hosts: set[str]) -> None:
    out = conformance("doctor", "--target", "yandex-ai-studio", *args, env=yandex_env())
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    text = out.stdout
    assert KEY not in text and FOLDER not in text
    assert "Authorization: Bearer <API_KEY>" in text and "OpenAI-Project: <FOLDER_ID>" in text
    assert "gpt://<FOLDER_ID>/yandexgpt/latest" in text and "emb://<FOLDER_ID>/text-search-doc/latest" in text
    assert all(h in text for h in hosts), text
    assert "gpt%3A%2F%2F<FOLDER_ID>%2Fspeech-realtime-250923" in text
    assert "looks like a Yandex Cloud folder id" in text and "a service account API key (AQVN" in text
    named = len({r.partition(":")[0] for f in FEATURES for r in f.requests})  # every request the catalogue names
    assert f"live plan: {named} named requests for {len(FEATURES)} rows" in text and "the whole plan fits" in text
    assert "doctor: 0 problem(s)" in text


def test_the_plan_is_the_sum_of_the_declared_bounds() -> None:
    doctor = diagnose(RunOptions(target=("yandex-ai-studio",)))
    total = doctor.totals
    # the plan is the declared bounds plus the one preflight GET /models a live run sends first
    assert total.expected == PREFLIGHT + sum(s.bound.expected for s in doctor.plan)
    assert total.requests >= total.expected
    assert total.tokens == total.completion + total.prompt
    profile = load_profile("yandex-ai-studio")
    assert total.requests <= profile.budget.max_requests and total.tokens <= profile.budget.max_tokens  # type: ignore[operator]
    twice = diagnose(RunOptions(target=("yandex-ai-studio",), repeat=2))
    # --repeat 2 passes the default budget
    assert twice.totals.requests - PREFLIGHT == 2 * (total.requests - PREFLIGHT) and twice.not_sent()


def doctor_lines(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str, ping: bool = False,
                 **options: object) -> tuple[str, int]:
    """Run doctor in-process with exactly this Yandex environment; its text and exit code."""
    for name in [n for n in os.environ if n.startswith(("YC_", "YANDEX_"))]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    target = options.pop("target", "yandex-ai-studio")
    lines, code = run_doctor(RunOptions(target=(str(target),), **options), *args, ping)  # type: ignore[arg-type]
    return "\n".join(lines), code


def test_missing_and_malformed_environment_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, code = doctor_lines(monkeypatch, {}, None)
    assert code == 1 and "YC_FOLDER_ID           MISSING" in text and "YANDEX_CLOUD_API_KEY   MISSING" in text
    text, code = doctor_lines(monkeypatch, {"YC_API_KEY": KEY, "YC_FOLDER_ID": "my-folder"}, None)
    assert code == 1 and "does not look like a Yandex Cloud folder id" in text
    assert "my-folder" not in text  # shape and length only, never the value
    text, code = doctor_lines(monkeypatch, {"YC_API_KEY": "sk-what-is-this", "YC_FOLDER_ID": FOLDER}, None)
    assert code == 1 and "its prefix matches no known kind" in text
    profile = tmp_path / "apikey.toml"
    profile.write_text('[target]\nname = "apikey"\ntitle = "Api-Key scheme"\nextends = "yandex-ai-studio"\n'
                       '[auth]\nscheme = "api-key"\n', encoding="utf-8")
    text, code = doctor_lines(monkeypatch, {"YC_API_KEY": "t1.iamTokenValue.abc", "YC_FOLDER_ID": FOLDER}, None,
                              target=str(profile))
    assert code == 1 and "an IAM token (t1.…), which goes with bearer (AUTH), but the profile sends " \
                         "[auth] scheme api-key" in text
    assert "Authorization: Api-Key <API_KEY>" in text


def test_k_selects_the_rows_run_would_run() -> None:
    rows = [f.id for f in selected_rows("yandex-ai-studio", "tool_choice and not first")]
    assert rows == ["chat.tool_choice.none", "chat.tool_choice.required", "chat.tool_choice.named",
                    "responses.tool_choice"]
    out = conformance("doctor", "--target", "yandex-ai-studio", "-k", "embeddings", env=yandex_env())
    assert "live plan: 4 named requests for 4 rows" in out.stdout and "chat.basic" not in out.stdout


def test_doctor_needs_exactly_one_target() -> None:
    out = conformance("doctor")
    assert out.returncode == 2 and "exactly one --target" in out.stderr


@pytest.mark.parametrize(("faults", "env", "path", "expected"), [
    ((), {}, "/v1", "200 OK: 13 models listed"),
    ((), {"YC_API_KEY": "sk-not-a-yandex-key-000"}, "/v1", "401 Unauthorized (Unknown api key): the key or its scheme"),
    (("yandex_permission_denied",), {}, "/v1",
     "403 Forbidden (Permission denied): the key is valid but lacks a role or scope: text and embeddings need the "
     "role ai.languageModels.user"),
    ((), {}, "/foundationModels/v1", "404 Not Found (404 page not found) at "),
    ((), {"YC_FOLDER_ID": "b1gsomeotherfolder00"}, "/v1", "the folder in the model URIs is not the key's folder"),
])
def test_ping_explains_the_usual_failures_in_one_line(monkeypatch: pytest.MonkeyPatch, faults: tuple[str, ...],
                                                      env: dict[str, str], path: str, expected: str) -> None:
    with YandexStandIn([*STAND_IN_FAULTS, *faults], folder=FOLDER) as stand_in:
        base = stand_in.local("https://ai.api.cloud.yandex.net" + path)
        text, code = doctor_lines(monkeypatch, {"YC_API_KEY": KEY, "YC_FOLDER_ID": FOLDER, **env}, "models.list",
                                  ping=True, base_url=base)
    ping = [line for line in text.splitlines() if line.startswith("ping ")]
    assert len(ping) == 1 and expected in ping[0], text[-2000:]
    assert code == (0 if expected.startswith("200") else 1)
    assert KEY not in text and FOLDER not in text


def test_ping_starts_the_stand_in_of_the_stand_in_target() -> None:
    out = conformance("doctor", "--target", "yandex-stand-in", "--endpoint", "legacy", "--ping", "-k", "models.list",
                      env=yandex_env())
    assert out.returncode == 0, out.stdout[-2000:]
    assert "ping (GET models, one request): 200 OK: 13 models listed at https://llm.api.cloud.yandex.net/v1/models" \
        in out.stdout


def test_an_inconclusive_answer_is_not_a_problem() -> None:
    profile = load_profile("yandex-ai-studio")
    line, problem, inconclusive = explain(profile, "u", 503, "", "", {}, {}, "current")
    assert (problem, inconclusive) == (False, True) and "inconclusive" in line
    line, problem, inconclusive = explain(profile, "u", None, "", "transport error: refused", {}, {}, "current")
    assert (problem, inconclusive) == (False, True) and "no answer" in line
