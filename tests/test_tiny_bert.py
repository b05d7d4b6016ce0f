"""The tiny BERT for embedding peers: same bytes every time, a valid safetensors file, a usable WordPiece vocab."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from conformance.servers.peers import tiny_bert


def test_the_model_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = tiny_bert.build_model(tmp_path / "a")
    second = tiny_bert.build_model(tmp_path / "b")
    assert first.sha256 == second.sha256 and len(first.sha256) == 64
    assert tiny_bert.build_model(tmp_path / "a").sha256 == first.sha256  # rebuilding in place keeps it
    (first.path / "vocab.txt").write_text("changed")
    assert tiny_bert.build_model(tmp_path / "a").sha256 == first.sha256  # a damaged file is rewritten
    assert first.recipe["version"] == tiny_bert.RECIPE_VERSION


def test_the_safetensors_header_describes_every_tensor(tmp_path: Path) -> None:
    model = tiny_bert.build_model(tmp_path)
    raw = (model.path / "model.safetensors").read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + size])
    config = json.loads((model.path / "config.json").read_text())
    vocab = (model.path / "vocab.txt").read_text().splitlines()
    assert header["embeddings.word_embeddings.weight"]["shape"] == [len(vocab), config["hidden_size"]]
    end = max(spec["data_offsets"][1] for name, spec in header.items() if name != "__metadata__")
    assert len(raw) == 8 + size + end and size % 8 == 0
    assert all(spec["dtype"] == "F32" for name, spec in header.items() if name != "__metadata__")


def test_the_vocab_covers_the_suite_inputs() -> None:
    vocab = set(tiny_bert.vocabulary())
    assert {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"} <= vocab
    assert {"the", "quick", "brown", "fox", "first", "second", "third", "input", "."} <= vocab
    assert len(vocab) == len(tiny_bert.vocabulary())  # no duplicate token
