"""A tiny, deterministic llama-architecture GGUF whose few hand-set weights make a conformance-friendly model.

No model hub is reachable, so the llama.cpp target runs on a model built here from llama.cpp's own test files
(MIT; see data/README.md): the SentencePiece vocab `models/ggml-vocab-llama-spm.gguf` and the chat template
`models/templates/Qwen-Qwen2.5-7B-Instruct.jinja` (Hermes-style `<tool_call>` markers).

Attention and feed-forward outputs are zero, so the last hidden state is the normalised embedding of the current
token and the model is a bigram table `W_out . rmsnorm(embd[token])`. Every embedding has unit weight on a shared
bias dimension and on one identity dimension (its own for the few "chain" tokens, a shared one for all others):

- chain: after the prompt's final newline it says " Hello there." and then wants the end token;
- second choice after ".": `<tool_call>`, so a grammar that forbids the end token (tool_choice required) gets
  the tool-call marker instead of more prose;
- background preference (the bias dimension) for every other context: end token, then `"`, `}`, `]`, `:`,
  `</`, `,`, `0`, `{`: under a JSON grammar strings close at once, objects close as soon as the grammar allows
  and a tool call is closed rather than followed by another.

Free dimensions carry a seeded pseudo-random part that the output ignores, so embeddings of different texts
differ. The same recipe always gives the same bytes (checked by the self-tests).

What the model cannot do, so verdicts that depend on it are the model's, not the server's: it never calls a tool
unless a grammar forces it (tool_choice auto gets prose), it ignores instructions and prompts (always the same
4-token answer), and its embeddings carry no meaning.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DATA = Path(__file__).resolve().parent / "data"
VOCAB = DATA / "ggml-vocab-llama-spm.gguf"
TEMPLATE = DATA / "Qwen-Qwen2.5-7B-Instruct.jinja"
RECIPE_VERSION = 1

N_EMBD = 32
N_LAYER = 2
N_HEAD = 2
N_FF = 64
N_CTX = 2048
SEED = 20261121

_CHAIN_NEXT = 20.0
_SECOND = 18.0
_BASELINE = -8.0
_END_BIAS = 6.0
# Token pieces of the llama-spm vocab; the chain follows how llama.cpp tokenises the same text.
CHAIN = (("<0x0A>", "▁Hello"), ("▁Hello", "▁there"), ("▁there", "."), ("<", "tool"), ("tool", "_"),
         ("_", "call"), ("call", ">"), (">", "<0x0A>"))
SECOND = (".", "<")
END = "</s>"
BACKGROUND = (('"', 5.0), ("}", 4.5), ("]", 4.0), (":", 3.8), ("</", 3.7), (",", 3.6), ("0", 3.4), ("{", 3.0))


def recipe() -> dict[str, Any]:
    """What the model is made of, for provenance stamps (the vocab and template by content hash)."""
    return {
        "recipe": f"conformance.servers.tiny_gguf v{RECIPE_VERSION}",
        "architecture": "llama",
        "n_embd": N_EMBD, "n_layer": N_LAYER, "n_head": N_HEAD, "n_ff": N_FF, "seed": SEED,
        "vocab": f"llama.cpp models/{VOCAB.name} sha256:{_sha256(VOCAB.read_bytes())[:16]}",
        "chat_template": f"llama.cpp models/templates/{TEMPLATE.name} sha256:{_sha256(TEMPLATE.read_bytes())[:16]}",
        "weights": "hand-set bigram, attention and FFN outputs zero, mean pooling, no SentencePiece space prefix",
        "bigram": " ".join(f"{a}->{b}" for a, b in (*CHAIN, (SECOND[0], END))),
        "second_choice": f"{SECOND[0]}->{SECOND[1]}",
        "background": " ".join(f"{piece}={bias}" for piece, bias in ((END, _END_BIAS), *BACKGROUND)),
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _vocab() -> tuple[list[str], list[float], list[int], dict[str, int]]:
    from gguf import GGUFReader

    reader = GGUFReader(VOCAB)
    tokens = [str(t) for t in reader.fields["tokenizer.ggml.tokens"].contents()]
    scores = [float(s) for s in reader.fields["tokenizer.ggml.scores"].contents()]
    types = [int(t) for t in reader.fields["tokenizer.ggml.token_type"].contents()]
    ids: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        ids.setdefault(tok, i)
    return tokens, scores, types, ids


def weights(ids: dict[str, int], n_vocab: int) -> tuple[np.ndarray, np.ndarray]:
    """token_embd and output matrices, both (n_vocab, N_EMBD) float32."""
    import numpy as np

    chain_tokens = sorted({ids[a] for a, _ in CHAIN} | {ids[SECOND[0]]})
    dim = {tok: 2 + i for i, tok in enumerate(chain_tokens)}
    free = range(2 + len(chain_tokens), N_EMBD)
    rng = np.random.default_rng(SEED)
    embd = np.zeros((n_vocab, N_EMBD), dtype=np.float32)
    embd[:, 0] = 1.0
    embd[:, 1] = 1.0
    for tok, d in dim.items():
        embd[tok, 1] = 0.0
        embd[tok, d] = 1.0
    embd[:, free.start:] = rng.uniform(-0.25, 0.25, size=(n_vocab, len(free))).astype(np.float32)
    out = np.zeros((n_vocab, N_EMBD), dtype=np.float32)
    out[:, 0] = _BASELINE
    out[ids[END], 0] = _END_BIAS
    for piece, bias in BACKGROUND:
        out[ids[piece], 0] = bias
    for src, nxt in CHAIN:
        out[ids[nxt], dim[ids[src]]] = _CHAIN_NEXT
    out[ids[END], dim[ids[SECOND[0]]]] = _CHAIN_NEXT
    out[ids[SECOND[1]], dim[ids[SECOND[0]]]] = _SECOND
    return embd, out


def build(path: Path) -> Path:
    """Write the model to `path` (deterministic bytes) and return it."""
    import gguf
    import numpy as np

    tokens, scores, types, ids = _vocab()
    n_vocab = len(tokens)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    writer = gguf.GGUFWriter(str(tmp), "llama")
    writer.add_name("conformance-tiny-llama")
    writer.add_description(json.dumps(recipe(), sort_keys=True))
    writer.add_context_length(N_CTX)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(N_LAYER)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD)
    writer.add_rope_dimension_count(N_EMBD // N_HEAD)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(n_vocab)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(ids[END])
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    # The server feeds the generation prompt through the grammar: no SentencePiece space may be prefixed.
    writer.add_add_space_prefix(False)
    writer.add_chat_template(TEMPLATE.read_text(encoding="utf-8"))
    embd, out = weights(ids, n_vocab)
    writer.add_tensor("token_embd.weight", embd.astype(np.float16))
    writer.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    writer.add_tensor("output.weight", out.astype(np.float16))
    square = np.zeros((N_EMBD, N_EMBD), dtype=np.float16)
    for layer in range(N_LAYER):
        blk = f"blk.{layer}"
        writer.add_tensor(f"{blk}.attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"{blk}.{name}.weight", square)
        writer.add_tensor(f"{blk}.ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        writer.add_tensor(f"{blk}.ffn_gate.weight", np.zeros((N_FF, N_EMBD), dtype=np.float16))
        writer.add_tensor(f"{blk}.ffn_up.weight", np.zeros((N_FF, N_EMBD), dtype=np.float16))
        writer.add_tensor(f"{blk}.ffn_down.weight", np.zeros((N_EMBD, N_FF), dtype=np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)
    return path


def fingerprint() -> str:
    """Short hash of everything that decides the model's bytes (names the cached file)."""
    material = json.dumps(recipe(), sort_keys=True).encode() + VOCAB.read_bytes() + TEMPLATE.read_bytes()
    return _sha256(material)[:12]


def ensure_model(cache_dir: Path) -> Path:
    """The cached model for the current recipe, built on first use."""
    path = cache_dir / f"tiny-llama-{fingerprint()}.gguf"
    return path if path.is_file() else build(path)
