"""A tiny, deterministic BERT embedding model as a Hugging Face folder, for embedding servers (infinity).

No model hub is reachable, so the model is written here from nothing: `config.json` (BertModel, 1 layer, 32
dimensions), `model.safetensors` with weights from a fixed-seed legacy NumPy generator (whose stream NumPy keeps
frozen), a WordPiece `vocab.txt` built from a fixed word and character list, the tokenizer config, and the
sentence-transformers module files (Transformer + mean pooling). The weights are serialised by the safetensors
library (pinned in the `peers` extra), so the same recipe always gives the same bytes.

What the model cannot do: its embeddings carry no meaning (similar texts are not close), and it has no
matryoshka training (a truncated vector is just the first dimensions).
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

from .recipe import ModelInfo, tree_sha256

RECIPE_VERSION = 2
HIDDEN = 32
LAYERS = 1
HEADS = 2
INTERMEDIATE = 64
MAX_POSITIONS = 128
SEED = 20261126
INIT_STD = 0.02
SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
# Whole words the suite embeds (probes.fixtures) and a few common ones; anything else splits into characters.
WORDS = ("the", "quick", "brown", "fox", "first", "second", "third", "input", "hello", "world", "a", "an", "and",
         "of", "to", "is", "in", "it", "that", "for", "on", "with", "as", "this", "cat", "cats", "dog", "text",
         "embedding", "vector", "search", "document", "query", "file", "sentence")


def vocabulary() -> list[str]:
    """The WordPiece vocabulary: special tokens, characters, `##` continuations, then whole words."""
    chars = string.ascii_lowercase + string.digits + string.punctuation
    tokens = [*SPECIAL, *chars, *(f"##{c}" for c in string.ascii_lowercase + string.digits), *WORDS]
    return list(dict.fromkeys(tokens))  # a word that is also a character ("a") is listed once


def recipe() -> dict[str, Any]:
    """What defines the model, stamped into cassette provenance."""
    return {"generator": "conformance.servers.peers.tiny_bert", "version": RECIPE_VERSION,
            "architecture": "BertModel", "hidden_size": HIDDEN, "layers": LAYERS, "heads": HEADS,
            "intermediate_size": INTERMEDIATE, "vocab_size": len(vocabulary()), "seed": SEED,
            "init": f"numpy RandomState({SEED}).standard_normal * {INIT_STD}, LayerNorm 1/0",
            "pooling": "mean (sentence-transformers modules.json)"}


def _shapes(vocab_size: int) -> list[tuple[str, tuple[int, ...]]]:
    """Every tensor of a BertModel with this config, in a fixed order (names as transformers saves them)."""
    shapes: list[tuple[str, tuple[int, ...]]] = [
        ("embeddings.word_embeddings.weight", (vocab_size, HIDDEN)),
        ("embeddings.position_embeddings.weight", (MAX_POSITIONS, HIDDEN)),
        ("embeddings.token_type_embeddings.weight", (2, HIDDEN)),
        ("embeddings.LayerNorm.weight", (HIDDEN,)),
        ("embeddings.LayerNorm.bias", (HIDDEN,)),
    ]
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        for part in ("query", "key", "value"):
            shapes += [(f"{p}attention.self.{part}.weight", (HIDDEN, HIDDEN)), (f"{p}attention.self.{part}.bias",
                                                                                 (HIDDEN,))]
        shapes += [(f"{p}attention.output.dense.weight", (HIDDEN, HIDDEN)), (f"{p}attention.output.dense.bias",
                                                                             (HIDDEN,)),
                   (f"{p}attention.output.LayerNorm.weight", (HIDDEN,)),
                   (f"{p}attention.output.LayerNorm.bias", (HIDDEN,)),
                   (f"{p}intermediate.dense.weight", (INTERMEDIATE, HIDDEN)),
                   (f"{p}intermediate.dense.bias", (INTERMEDIATE,)),
                   (f"{p}output.dense.weight", (HIDDEN, INTERMEDIATE)), (f"{p}output.dense.bias", (HIDDEN,)),
                   (f"{p}output.LayerNorm.weight", (HIDDEN,)), (f"{p}output.LayerNorm.bias", (HIDDEN,))]
    shapes += [("pooler.dense.weight", (HIDDEN, HIDDEN)), ("pooler.dense.bias", (HIDDEN,))]
    return shapes


def tensors() -> list[tuple[str, tuple[int, ...], bytes]]:
    """(name, shape, little-endian float32 bytes) of every weight: LayerNorm 1/0, biases 0, the rest seeded."""
    import numpy as np

    rng = np.random.RandomState(SEED)
    out = []
    for name, shape in _shapes(len(vocabulary())):
        if "LayerNorm.weight" in name:
            values = np.ones(shape)
        elif name.endswith(".bias") or "LayerNorm" in name:
            values = np.zeros(shape)
        else:
            values = rng.standard_normal(shape) * INIT_STD
        out.append((name, shape, values.astype("<f4").tobytes()))
    return out


def safetensors_bytes(items: list[tuple[str, tuple[int, ...], bytes]]) -> bytes:
    """The safetensors serialization of float32 tensors, by the safetensors library (as tiny_hf writes its model)."""
    import numpy as np
    from safetensors.numpy import save

    arrays = {name: np.frombuffer(data, dtype="<f4").reshape(shape) for name, shape, data in items}
    return save(arrays, metadata={"format": "pt"})


def files() -> dict[str, bytes]:
    """Every file of the model folder, by relative path."""
    vocab = vocabulary()

    def js(value: Any) -> bytes:
        return (json.dumps(value, indent=1, sort_keys=True) + "\n").encode()

    config = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": len(vocab),
              "hidden_size": HIDDEN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "intermediate_size": INTERMEDIATE, "hidden_act": "gelu", "hidden_dropout_prob": 0.0,
              "attention_probs_dropout_prob": 0.0, "max_position_embeddings": MAX_POSITIONS, "type_vocab_size": 2,
              "initializer_range": INIT_STD, "layer_norm_eps": 1e-12, "pad_token_id": 0,
              "position_embedding_type": "absolute", "torch_dtype": "float32"}
    tokenizer = {"tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": MAX_POSITIONS,
                 "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                 "mask_token": "[MASK]", "tokenize_chinese_chars": True, "strip_accents": None,
                 "clean_up_tokenization_spaces": True}
    return {
        "config.json": js(config),
        "model.safetensors": safetensors_bytes(tensors()),
        "vocab.txt": ("\n".join(vocab) + "\n").encode(),
        "tokenizer_config.json": js(tokenizer),
        "special_tokens_map.json": js({k: tokenizer[k] for k in ("unk_token", "sep_token", "pad_token",
                                                                 "cls_token", "mask_token")}),
        "modules.json": js([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                            {"idx": 1, "name": "1", "path": "1_Pooling",
                             "type": "sentence_transformers.models.Pooling"}]),
        "sentence_bert_config.json": js({"max_seq_length": MAX_POSITIONS, "do_lower_case": False}),
        "1_Pooling/config.json": js({"word_embedding_dimension": HIDDEN, "pooling_mode_cls_token": False,
                                     "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                                     "pooling_mode_mean_sqrt_len_tokens": False}),
        "recipe.json": js(recipe()),
    }


def build_model(cache: Path) -> ModelInfo:
    """Write (or keep, when identical) the model folder `cache/tiny-bert` and return it with its hash."""
    folder = cache / "tiny-bert"
    for rel, data in files().items():
        path = folder / rel
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return ModelInfo(folder, recipe(), tree_sha256(folder))
