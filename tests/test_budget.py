"""The hard budget of live runs: each request's declared bound, checked before it is sent; SKIP "budget" after that."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import FEATURES, AttemptPolicy, Mode, RunSettings, TargetRun, Verdict, load_profile
from conformance.probes import REQUESTS, max_polls
from conformance.refserver import RefServer
from conformance.runner.budget import bound
from conformance.runner.settings import GENERATED_CASES

from .test_replay_cli import conformance, report


def test_bound_counts_retries_polls_and_generated_cases() -> None:
    one = bound(REQUESTS.get("chat.n"), {}, AttemptPolicy(2))
    assert (one.requests, one.expected, one.completion) == (3, 1, 16)  # two retries of a retryable request
    background = REQUESTS.get("responses.background")
    polled = bound(background, {"poll_timeout": 60}, AttemptPolicy(2))
    assert polled.requests == background.calls + max_polls(60) and polled.expected == background.calls + 1
    assert polled.completion == 232  # 32 for the polled response + 200 for the one it cancels
    generated = REQUESTS.get("chat.generated_json")
    assert bound(generated, {}, AttemptPolicy(0)).requests == GENERATED_CASES == 2  # --generated-cases' default
    assert bound(generated, {"generated_cases": 4}, AttemptPolicy(0)).requests == 4
    assert bound(generated, {"explore": 50}, AttemptPolicy(0)).completion == 50 * generated.max_tokens


def live_run(server: RefServer, **limits: int) -> TargetRun:
    settings = RunSettings(Mode.LIVE, base_url=server.url, policy=AttemptPolicy(0), **limits)  # type: ignore[arg-type]
    return TargetRun(load_profile("reference"), settings)


def test_budget_stops_a_live_run_at_the_request_limit() -> None:
    rows = [f for f in FEATURES if f.surface.value in ("chat", "responses")]
    with RefServer() as server:
        run = live_run(server, max_requests=12)
        results = [run.run_feature(f) for f in rows]
    assert run.info.requests_sent <= 12
    assert server.requests == run.info.requests_sent  # nothing the budget refused reached the server
    skipped = [r for r in results if r.verdict is Verdict.SKIP]
    sent = [r for r in results if r.verdict is not Verdict.SKIP]
    assert sent and skipped, [r.verdict for r in results]
    assert all(r.reason.startswith("budget: ") and "--max-requests 12" in r.reason for r in skipped)
    assert run.info.budget is not None and run.info.budget["charged_requests"] == run.info.requests_sent
    assert run.info.budget["not_sent"] and run.info.budget["max_requests"] == 12
    assert sum(u["requests"] for u in run.info.usage.values()) == run.info.requests_sent
    # models: the live preflight (GET /models) and models.list (chat.models_usable's list); files: the files.store
    # flow that responses.file_search is a stage of
    assert set(run.info.usage) <= {"chat", "responses", "models", "files"}


def test_budget_stops_a_live_run_at_the_token_limit() -> None:
    rows = [f for f in FEATURES if f.surface.value == "chat"]
    with RefServer() as server:
        run = live_run(server, max_tokens=1000)
        results = [run.run_feature(f) for f in rows]
    assert run.info.budget is not None and run.info.budget["charged_tokens"] <= 1000
    skipped = [r for r in results if r.verdict is Verdict.SKIP]
    assert skipped and all("--max-tokens 1000" in r.reason for r in skipped)
    assert run.info.prompt_tokens + run.info.completion_tokens <= run.info.budget["charged_tokens"]


def test_the_profile_gives_the_default_and_replay_ignores_the_budget() -> None:
    profile = load_profile("yandex-ai-studio")
    run = TargetRun(profile, RunSettings(Mode.REPLAY))
    assert run.budget.max_requests == profile.budget.max_requests and not run.budget.active
    flagged = TargetRun(profile, RunSettings(Mode.REPLAY, max_requests=5))
    assert flagged.budget.max_requests == 5


def test_cli_budget_skips_rows_and_reports_usage_per_surface(tmp_path: Path) -> None:
    out = conformance("run", "--mode", "live", "--target", "reference", "--max-requests", "4", "--report-dir",
                      str(tmp_path), "-k", "chat or embeddings")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    doc = report(tmp_path)
    target = doc["targets"][0]
    assert target["budget"]["charged_requests"] <= 4 and target["requests_sent"] <= 4
    assert any(r["verdict"] == "SKIP" and r["reason"].startswith("budget") for r in doc["results"])
    markdown = (tmp_path / "compat.md").read_text(encoding="utf-8")
    assert "per surface: chat " in markdown and "budget charged" in markdown and "of 4 requests" in markdown


@pytest.mark.parametrize("flag", ["--max-requests", "--max-tokens"])
def test_a_budget_below_one_is_a_usage_error(tmp_path: Path, flag: str) -> None:
    out = conformance("run", "--mode", "live", "--target", "reference", flag, "0", "--report-dir", str(tmp_path))
    assert out.returncode == 2
    assert f"{flag} 0: must be 1 or more" in out.stderr and len(out.stderr.strip().splitlines()) == 1
