"""Each named request's declared cost (calls, polls, max_tokens, prompt_tokens) holds against what it really sent.

The reference cassettes hold the exact requests the probes send; llama.cpp's hold real token counts from a real
tokenizer. A probe that starts sending more, or without a token limit, fails here until its declaration follows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance import AttemptPolicy, load_profile
from conformance.probes import REQUESTS
from conformance.runner.budget import bound, cases

ROOT = Path(__file__).resolve().parent.parent / "cassettes"
GENERATING = ("/chat/completions", "/responses", "/embeddings")
LIMITS = ("max_tokens", "max_output_tokens", "max_completion_tokens")
HTTP = [n for n in REQUESTS.names() if REQUESTS.get(n).kind == "http"]
WS = [n for n in REQUESTS.names() if REQUESTS.get(n).kind == "ws"]


def interactions(target: str, name: str) -> list[dict[str, Any]]:
    path = ROOT / target / name.split(".", 1)[0] / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"] if path.exists() else []


def generating_bodies(items: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(endpoint, JSON body) of the calls that run a model: chat and responses creates, embeddings."""
    bodies = []
    for item in items:
        req = item["request"]
        endpoint = next((g for g in GENERATING if req["uri"].split("?")[0].endswith(g)), None)
        if req["method"] == "POST" and endpoint:
            try:
                bodies.append((endpoint, json.loads(req.get("body") or "")))
            except ValueError:
                continue
    return bodies


@pytest.mark.parametrize("name", HTTP)
def test_recorded_requests_stay_within_the_declared_cost(name: str) -> None:
    spec = REQUESTS.get(name)
    items = interactions("reference", name)
    assert items, f"no reference cassette for {name}"
    declared = bound(spec, load_profile("reference").options, AttemptPolicy(0))
    assert len(items) <= declared.requests, f"{name}: {len(items)} requests recorded, {declared.requests} declared"
    bodies = generating_bodies(items)
    generating = [body for endpoint, body in bodies if endpoint != "/embeddings"]
    unlimited = [body for body in generating if not any(k in body for k in LIMITS)]
    assert not unlimited, f"{name}: a generating call without an output-token limit: {unlimited[0]}"
    limits = sum(next(body[k] for k in LIMITS if k in body) for body in generating)
    assert limits <= declared.completion, f"{name}: the recorded calls set {limits} output tokens"
    prompt = sum(len(json.dumps({k: v for k, v in body.items() if k != "model"}, ensure_ascii=False).encode())
                 for _, body in bodies)
    assert prompt <= declared.prompt, f"{name}: {prompt} bytes of prompt material, {declared.prompt} declared"


@pytest.mark.parametrize("name", HTTP)
def test_real_token_counts_stay_within_the_declared_cost(name: str) -> None:
    spec = REQUESTS.get(name)
    reported_prompt = reported_completion = 0
    for item in interactions("llamacpp", name):
        try:
            usage = json.loads(item["response"]["body"].get("string") or "").get("usage") or {}
        except (ValueError, AttributeError):
            continue
        reported_prompt += usage.get("prompt_tokens") or usage.get("input_tokens") or 0
        reported_completion += usage.get("completion_tokens") or usage.get("output_tokens") or 0
    n = cases(spec, {})
    assert reported_completion <= n * spec.max_tokens
    assert reported_prompt <= n * spec.prompt_tokens, f"{name}: llama.cpp counted {reported_prompt} prompt tokens"


@pytest.mark.parametrize("name", WS)
def test_websocket_sessions_cap_every_response_they_ask_for(name: str) -> None:
    """Every response.create follows a session.update with max_output_tokens (Realtime) or sets its own (the
    Responses WebSocket: the create body); their sum is the declared bound."""
    spec = REQUESTS.get(name)
    path = ROOT / "reference" / name.split(".", 1)[0] / f"{name}.yaml"
    frames = yaml.safe_load(path.read_text(encoding="utf-8")).get("frames") or []
    cap, total = None, 0
    for frame in frames:
        event = frame.get("event") or {}
        if frame.get("dir") != "client":
            continue
        if event.get("type") == "session.update":
            cap = (event.get("session") or {}).get("max_output_tokens", cap)
        elif event.get("type") == "response.create":
            own = event.get("max_output_tokens", cap)
            assert isinstance(own, int), f"{name}: response.create without a max_output_tokens cap"
            total += own
    assert total <= spec.max_tokens, f"{name}: responses may use {total} tokens, {spec.max_tokens} declared"
