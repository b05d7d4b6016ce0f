"""The tiny Hugging Face model (conformance.servers.tiny_hf): deterministic bytes, the documented bigram, tokenizer."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path

import pytest

HAVE_LIBS = all(importlib.util.find_spec(m) is not None for m in ("numpy", "safetensors", "tokenizers"))
pytestmark = pytest.mark.skipif(not HAVE_LIBS, reason="numpy/safetensors/tokenizers not installed (pip install -e "
                                                      "'.[peers]')")


def test_model_directory_is_deterministic_and_small(tmp_path: Path) -> None:
    from conformance.servers.tiny_hf import build, digest

    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    assert digest(first) == digest(second)
    assert {p.name for p in first.iterdir()} >= {"config.json", "model.safetensors", "tokenizer.json",
                                                   "tokenizer_config.json", "generation_config.json"}
    assert sum(p.stat().st_size for p in first.iterdir()) < 2 * 1024 * 1024
    assert not (tmp_path / "a.tmp").exists()


def test_ensure_model_reuses_the_cached_directory(tmp_path: Path) -> None:
    from conformance.servers.tiny_hf import ensure_model

    path = ensure_model(tmp_path)
    stamp = (path / "model.safetensors").stat().st_mtime_ns
    assert ensure_model(tmp_path) == path
    assert (path / "model.safetensors").stat().st_mtime_ns == stamp


def _logits(token: str) -> tuple[list[int], dict[str, int]]:
    """Token ids ranked by the model's logits after `token`: a forward pass with zero attention and MLP."""
    import numpy as np

    from conformance.servers import tiny_hf as t

    ids = t.token_ids()
    embd, out = t.weights(ids)
    x = embd[ids[token]].astype(np.float64)
    h = x / np.sqrt((x * x).mean() + 1e-5)
    logits = out.astype(np.float64) @ h
    return [int(i) for i in logits.argsort()[::-1]], ids


def test_the_generation_prompt_leads_to_hello_there_then_the_end_token() -> None:
    from conformance.servers import tiny_hf as t

    ranked, ids = _logits(t.NEWLINE)
    assert ranked[0] == ids["Hello"]
    assert _logits("Hello")[0][0] == ids["Ġthere"]
    assert _logits("Ġthere")[0][0] == ids["."]
    after_dot = _logits(".")[0]
    assert after_dot[:2] == [ids[t.END], ids["<tool_call>"]]


def test_every_other_context_prefers_the_end_token_then_json_closers_with_wide_gaps() -> None:
    import numpy as np

    from conformance.servers import tiny_hf as t

    ids = t.token_ids()
    embd, out = t.weights(ids)
    x = embd[ids["q"]].astype(np.float64)
    logits = out.astype(np.float64) @ (x / np.sqrt((x * x).mean() + 1e-5))
    order = [ids[piece] for piece, _ in t.BACKGROUND]
    assert [int(i) for i in logits.argsort()[::-1][:len(order)]] == order
    gaps = [logits[a] - logits[b] for a, b in itertools.pairwise(order)]
    assert min(gaps) > 19.0  # at temperature 2 a flip has odds below e^-9.5 per token


def test_tokenizer_round_trips_and_keeps_tool_markers() -> None:
    from tokenizers import Tokenizer

    from conformance.servers import tiny_hf as t

    tok = Tokenizer.from_str(t.build_tokenizer().to_str())
    ids = t.token_ids()
    enc = tok.encode("<|im_start|>assistant\nHello there.<tool_call>{\"a\": 1}</tool_call><|im_end|>")
    assert enc.ids[0] == ids[t.START] and ids["Hello"] in enc.ids and ids["Ġthere"] in enc.ids
    assert enc.ids[-1] == ids[t.END]
    text = tok.decode(enc.ids, skip_special_tokens=True)
    assert text == "assistant\nHello there.<tool_call>{\"a\": 1}</tool_call>"
    assert tok.get_vocab_size() == len(ids)
    assert tok.decode([ids[c] for c in "ünï"]) != ""  # every byte has a symbol: no unknown token exists


def test_config_and_tokenizer_config_agree_on_ids(tmp_path: Path) -> None:
    from conformance.servers import tiny_hf as t

    path = t.build(tmp_path / "m")
    config = json.loads((path / "config.json").read_text())
    tok_config = json.loads((path / "tokenizer_config.json").read_text())
    ids = t.token_ids()
    assert config["vocab_size"] == len(ids)
    assert config["eos_token_id"] == ids[tok_config["eos_token"]]
    assert tok_config["added_tokens_decoder"][str(ids["<tool_call>"])]["special"] is False


def test_chat_template_renders_tools_calls_results_and_the_generation_prompt() -> None:
    import jinja2

    from conformance.servers.tiny_hf import chat_template

    env = jinja2.Environment()
    env.filters["tojson"] = json.dumps
    text = env.from_string(chat_template()).render(
        messages=[{"role": "system", "content": "Be brief."},
                  {"role": "user", "content": [{"type": "text", "text": "Weather?"}]},
                  {"role": "assistant", "content": None, "tool_calls": [
                      {"id": "c1", "type": "function", "function": {"name": "get", "arguments": "{\"x\": 1}"}}]},
                  {"role": "tool", "tool_call_id": "c1", "content": "42"}],
        tools=[{"type": "function", "function": {"name": "get", "parameters": {"type": "object"}}}],
        add_generation_prompt=True)
    assert text.startswith("<|im_start|>system\nBe brief.\n\n")
    assert '{"name": "get", "parameters": {"type": "object"}}' in text
    assert '<tool_call>{"name": "get", "arguments": {"x": 1}}</tool_call>' in text
    assert "<tool_response>\n42\n</tool_response>" in text
    assert "<|im_start|>user\nWeather?<|im_end|>" in text
    assert text.endswith("<|im_start|>assistant\n")
