"""A tiny, deterministic Hugging Face model directory (Llama architecture) for servers that load `from_pretrained`.

No model hub is reachable, so vLLM, transformers serve and their kin run on a model written here: `config.json`,
`model.safetensors` with a few hand-set weights, a byte-level BPE `tokenizer.json` assembled locally with the
`tokenizers` library from a fixed vocabulary (the 256 byte symbols plus the merges of two words), and a ChatML
chat template of this project's own that renders tools, tool calls and tool results in the Hermes style
(`<tool_call>{"name": ..., "arguments": ...}</tool_call>`, what vLLM's `hermes` tool parser reads).

Attention and MLP outputs are zero, so the last hidden state is the normalised embedding of the current token
and the model is a bigram table `lm_head . rmsnorm(embed[token])`, as in `tiny_gguf` (llama.cpp's model):

- chain: after the prompt's final newline (the generation prompt `<|im_start|>assistant\\n`) it says
  "Hello there." and then wants `<|im_end|>`;
- second choice after ".": `<tool_call>`, so a grammar that forbids the end token gets the tool-call marker;
- background preference for every other context: `<|im_end|>`, then `"`, `}`, `]`, `:`, `,`, `0`, `{`, `[`;
  under a JSON grammar (structured outputs, forced tool calls) strings close at once and objects close as soon as
  the grammar allows, so forced output is short, valid and always the same.

Logit gaps are at least 20 logits wide, so sampling at any temperature a check uses (up to 2) picks the same
tokens.
The structural dimensions sit at the end of the hidden vector and the first ones carry a small seeded
pseudo-random part that the output ignores: embeddings (mean pooling) of different texts differ, also when a
client truncates them (`dimensions`).

What the model cannot do (the verdicts that depend on it are the model's, not the server's): it never calls a
tool unless a grammar forces it (tool_choice auto gets prose), it ignores instructions, images and prompts
(always the same answer), and its embeddings carry no meaning. The same recipe always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

RECIPE_VERSION = 1
HIDDEN = 128
HEADS = 2
INTERMEDIATE = 256
LAYERS = 1
MAX_POSITIONS = 4096
SEED = 20261126
MODEL_NAME = "conformance-tiny-hf"

END = "<|im_end|>"
PAD = "<|endoftext|>"
START = "<|im_start|>"
SPECIAL = (PAD, START, END)
# Not special: they must survive detokenisation with skip_special_tokens so a tool parser can read them.
MARKERS = ("<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>")
WORDS = ("Hello", "Ġthere")  # byte-level symbols: "Ġ" is the space byte
NEWLINE = "Ċ"  # byte-level symbol of "\n"

# Logits after the final norm (the weights are divided by the norm's scale).
_CHAIN_NEXT = 250.0
_SECOND = 200.0
_BASELINE = -40.0
BACKGROUND = ((END, 160.0), ('"', 140.0), ("}", 120.0), ("]", 100.0), (":", 80.0), (",", 60.0), ("0", 40.0),
              ("{", 20.0), ("[", 0.0))
CHAIN = ((NEWLINE, "Hello"), ("Hello", "Ġthere"), ("Ġthere", "."))
SECOND = (".", "<tool_call>")
_NOISE = 0.02


def chat_template() -> str:
    """The ChatML template: system text, a Hermes-style tool list, tool calls and tool results."""
    return "".join((
        "{%- macro text(content) -%}",
        "{%- if content is string -%}{{ content }}",
        "{%- elif content -%}{%- for part in content -%}{%- if part.type == 'text' -%}{{ part.text }}"
        "{%- endif -%}{%- endfor -%}{%- endif -%}",
        "{%- endmacro -%}",
        "{%- set first = messages[0] if messages else none -%}",
        "{%- set has_system = first is not none and first.role in ('system', 'developer') -%}",
        "{%- if tools -%}",
        "{{ '<|im_start|>system\\n' }}{%- if has_system -%}{{ text(first.content) + '\\n\\n' }}{%- endif -%}",
        "{{ 'You can call these functions:\\n<tools>\\n' }}",
        "{%- for tool in tools -%}{{ (tool.function if tool.function is defined else tool) | tojson + '\\n' }}"
        "{%- endfor -%}",
        "{{ '</tools>\\nTo call one, answer <tool_call>{\"name\": ..., \"arguments\": {...}}</tool_call>.'"
        " + '<|im_end|>\\n' }}",
        "{%- elif has_system -%}{{ '<|im_start|>system\\n' + text(first.content) + '<|im_end|>\\n' }}",
        "{%- endif -%}",
        "{%- for message in messages -%}",
        "{%- if loop.first and has_system -%}",
        "{%- elif message.role == 'assistant' -%}",
        "{{ '<|im_start|>assistant\\n' + text(message.content) }}",
        "{%- for call in message.tool_calls or [] -%}",
        "{%- set fn = call.function if call.function is defined else call -%}",
        "{%- set args = fn.arguments if fn.arguments is string else fn.arguments | tojson -%}",
        "{{ '<tool_call>{\"name\": ' + fn.name | tojson + ', \"arguments\": ' + args + '}</tool_call>' }}",
        "{%- endfor -%}",
        "{{ '<|im_end|>\\n' }}",
        "{%- elif message.role == 'tool' -%}",
        "{{ '<|im_start|>user\\n<tool_response>\\n' + text(message.content) + '\\n</tool_response><|im_end|>\\n' }}",
        "{%- else -%}",
        "{{ '<|im_start|>' + message.role + '\\n' + text(message.content) + '<|im_end|>\\n' }}",
        "{%- endif -%}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}",
    ))


def recipe() -> dict[str, Any]:
    """What the model is made of, for provenance stamps."""
    return {
        "recipe": f"conformance.servers.tiny_hf v{RECIPE_VERSION}",
        "architecture": "LlamaForCausalLM",
        "hidden_size": HIDDEN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
        "intermediate_size": INTERMEDIATE, "seed": SEED,
        "tokenizer": f"byte-level BPE, 256 byte symbols + merges of {' '.join(WORDS)}; special {' '.join(SPECIAL)}; "
                     f"markers {' '.join(MARKERS)}",
        "chat_template": f"ChatML with Hermes-style tools, sha256:{_sha256(chat_template().encode())[:16]}",
        "weights": "hand-set bigram, attention and MLP outputs zero, float32",
        "bigram": " ".join(f"{a}->{b}" for a, b in (*CHAIN, (SECOND[0], END))),
        "second_choice": f"{SECOND[0]}->{SECOND[1]}",
        "background": " ".join(f"{piece}={bias}" for piece, bias in BACKGROUND),
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _byte_symbols() -> list[str]:
    """The byte-level alphabet (GPT-2's printable stand-in for each byte), indexed by byte value."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    symbols: dict[int, str] = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in symbols:
            symbols[b] = chr(256 + extra)
            extra += 1
    return [symbols[b] for b in range(256)]


def vocabulary() -> tuple[dict[str, int], list[tuple[str, str]]]:
    """BPE vocab (byte symbols by byte value, then each word's prefixes) and its merges, in a fixed order."""
    vocab = {sym: i for i, sym in enumerate(_byte_symbols())}
    merges: list[tuple[str, str]] = []
    for word in WORDS:
        piece = word[0]
        for ch in word[1:]:
            merges.append((piece, ch))
            piece += ch
            vocab.setdefault(piece, len(vocab))
    return vocab, merges


def token_ids() -> dict[str, int]:
    """Every token's id: the BPE vocab, then the special tokens, then the markers (as the tokenizer numbers them)."""
    vocab, _ = vocabulary()
    ids = dict(vocab)
    for tok in (*SPECIAL, *MARKERS):
        ids[tok] = len(ids)
    return ids


def build_tokenizer() -> Any:
    """The `tokenizers.Tokenizer` (byte-level BPE with the special tokens and markers added)."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    vocab, merges = vocabulary()
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in SPECIAL])
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for t in MARKERS])
    return tok


def _norm_scale() -> float:
    """What the final RMS norm turns a unit structural entry into (two unit entries, tiny noise elsewhere)."""
    return float((HIDDEN / 2) ** 0.5)


def weights(ids: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """embed_tokens and lm_head matrices, both (vocab, HIDDEN) float32."""
    import numpy as np

    n_vocab = len(ids)
    chain_tokens = sorted({ids[a] for a, _ in CHAIN} | {ids[SECOND[0]]})
    bias_dim, shared_dim = HIDDEN - 1, HIDDEN - 2
    dim = {tok: HIDDEN - 3 - i for i, tok in enumerate(chain_tokens)}
    n_free = HIDDEN - 2 - len(chain_tokens)
    rng = np.random.default_rng(SEED)
    embd = np.zeros((n_vocab, HIDDEN), dtype=np.float32)
    embd[:, :n_free] = rng.uniform(-_NOISE, _NOISE, size=(n_vocab, n_free)).astype(np.float32)
    embd[:, bias_dim] = 1.0
    embd[:, shared_dim] = 1.0
    for tok, d in dim.items():
        embd[tok, shared_dim] = 0.0
        embd[tok, d] = 1.0
    scale = _norm_scale()
    out = np.zeros((n_vocab, HIDDEN), dtype=np.float32)
    background = np.full(n_vocab, _BASELINE, dtype=np.float32)
    for piece, bias in BACKGROUND:
        background[ids[piece]] = bias
    out[:, bias_dim] = background / scale
    for src, nxt in CHAIN:
        out[ids[nxt], dim[ids[src]]] = (_CHAIN_NEXT - background[ids[nxt]]) / scale
    out[ids[END], dim[ids[SECOND[0]]]] = (_CHAIN_NEXT - background[ids[END]]) / scale
    out[ids[SECOND[1]], dim[ids[SECOND[0]]]] = (_SECOND - background[ids[SECOND[1]]]) / scale
    return embd, out


def config(ids: dict[str, int]) -> dict[str, Any]:
    """config.json of the Llama model."""
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": HIDDEN, "intermediate_size": INTERMEDIATE, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": HEADS, "head_dim": HIDDEN // HEADS,
        "hidden_act": "silu", "max_position_embeddings": MAX_POSITIONS, "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0, "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": False,
        "vocab_size": len(ids), "bos_token_id": ids[PAD], "eos_token_id": ids[END], "pad_token_id": ids[PAD],
        "torch_dtype": "float32",
    }


def _files(ids: dict[str, int]) -> dict[str, bytes]:
    """Every small file of the model directory (all but the weights), as bytes."""
    def dump(obj: Any) -> bytes:
        return (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()

    added = {str(ids[t]): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                           "single_word": False, "special": t in SPECIAL} for t in (*SPECIAL, *MARKERS)}
    tokenizer_config = {
        "tokenizer_class": "PreTrainedTokenizerFast", "added_tokens_decoder": added,
        "bos_token": None, "eos_token": END, "pad_token": PAD, "unk_token": None,
        "add_bos_token": False, "add_eos_token": False, "clean_up_tokenization_spaces": False,
        "model_max_length": MAX_POSITIONS, "chat_template": chat_template(),
    }
    return {
        "config.json": dump(config(ids)),
        "generation_config.json": dump({"bos_token_id": ids[PAD], "eos_token_id": [ids[END], ids[PAD]]}),
        "tokenizer.json": (build_tokenizer().to_str(pretty=True) + "\n").encode(),
        "tokenizer_config.json": dump(tokenizer_config),
        "special_tokens_map.json": dump({"eos_token": END, "pad_token": PAD}),
        "recipe.json": dump(recipe()),
    }


def build(path: Path) -> Path:
    """Write the model directory to `path` (deterministic bytes; built beside it, then renamed) and return it."""
    import numpy as np
    from safetensors.numpy import save_file

    ids = token_ids()
    tmp = path.with_name(path.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, data in _files(ids).items():
        (tmp / name).write_bytes(data)
    embd, out = weights(ids)
    tensors = {"model.embed_tokens.weight": embd, "lm_head.weight": out,
               "model.norm.weight": np.ones(HIDDEN, dtype=np.float32)}
    square = np.zeros((HIDDEN, HIDDEN), dtype=np.float32)
    for layer in range(LAYERS):
        blk = f"model.layers.{layer}"
        tensors[f"{blk}.input_layernorm.weight"] = np.ones(HIDDEN, dtype=np.float32)
        tensors[f"{blk}.post_attention_layernorm.weight"] = np.ones(HIDDEN, dtype=np.float32)
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            tensors[f"{blk}.self_attn.{name}.weight"] = square
        tensors[f"{blk}.mlp.gate_proj.weight"] = np.zeros((INTERMEDIATE, HIDDEN), dtype=np.float32)
        tensors[f"{blk}.mlp.up_proj.weight"] = np.zeros((INTERMEDIATE, HIDDEN), dtype=np.float32)
        tensors[f"{blk}.mlp.down_proj.weight"] = np.zeros((HIDDEN, INTERMEDIATE), dtype=np.float32)
    save_file(tensors, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    if path.exists():
        shutil.rmtree(path)
    tmp.replace(path)
    return path


def digest(path: Path) -> str:
    """sha256 over the directory's files (name and bytes, sorted by name)."""
    h = hashlib.sha256()
    for file in sorted(p for p in path.iterdir() if p.is_file()):
        h.update(file.name.encode() + b"\0" + _sha256(file.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def fingerprint() -> str:
    """Short hash of everything that decides the model's bytes (names the cached directory)."""
    return _sha256(json.dumps(recipe(), sort_keys=True).encode() + chat_template().encode())[:12]


def ensure_model(cache_dir: Path) -> Path:
    """The cached model directory for the current recipe, built on first use."""
    path = cache_dir / f"{MODEL_NAME}-{fingerprint()}"
    return path if (path / "model.safetensors").is_file() else build(path)
