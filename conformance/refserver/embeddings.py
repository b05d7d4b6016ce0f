"""Embeddings without HTTP: request validation and deterministic unit vectors from sha256, float or base64 float32."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import struct
from typing import Any

from ..catalogue.vocabulary import EMBEDDING_FORMATS
from . import faults as F
from .fault_types import ActiveFaults
from .responses import ApiError

DIMENSION = 48
FORMATS = EMBEDDING_FORMATS


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _valid_item(item: Any) -> bool:
    if isinstance(item, str):
        return item != ""
    if isinstance(item, list):
        return bool(item) and all(_is_int(x) for x in item)
    return False


def inputs(req: dict[str, Any]) -> tuple[list[Any], bool]:
    """The inputs as a list and whether the request sent a list; 400 when empty or malformed."""
    raw = req.get("input")
    if raw is None:
        raise ApiError(400, "Missing required parameter: 'input'.", param="input", code="missing_required_parameter")
    if isinstance(raw, list) and raw and all(_is_int(x) for x in raw):
        return [raw], False
    items, is_list = (raw, True) if isinstance(raw, list) else ([raw], False)
    if not items or not all(_valid_item(i) for i in items):
        raise ApiError(400, "'input' cannot be an empty string or array, and must hold strings or token arrays.",
                       param="input", code="invalid_value")
    return items, is_list


def _dimensions(req: dict[str, Any]) -> int | None:
    dims = req.get("dimensions")
    if dims is None:
        return None
    if not _is_int(dims) or not 1 <= dims <= DIMENSION:
        raise ApiError(400, f"Invalid value for 'dimensions': must be an integer from 1 to {DIMENSION}.",
                       param="dimensions", code="invalid_value")
    return dims


def validate(req: dict[str, Any]) -> tuple[list[Any], bool, int | None, str]:
    """(inputs, sent as a list, dimensions, encoding format) of a valid request."""
    if not isinstance(req.get("model"), str):
        raise ApiError(400, "you must provide a model parameter", param="model", code="missing_required_parameter")
    items, is_list = inputs(req)
    fmt = req.get("encoding_format") or "float"
    if fmt not in FORMATS:
        raise ApiError(400, f"Invalid value: '{fmt}'. Supported values are: 'float' and 'base64'.",
                       param="encoding_format", code="invalid_value")
    return items, is_list, _dimensions(req), fmt


def _normalise(values: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def vector(item: Any, dims: int | None = None) -> list[float]:
    """A unit vector of the native dimension (or `dims`, renormalised) derived from sha256 of the input."""
    seed = json.dumps(item, ensure_ascii=False).encode("utf-8")
    raw = b"".join(hashlib.sha256(seed + bytes([block])).digest() for block in range(3))
    values = [int.from_bytes(raw[2 * i : 2 * i + 2], "little") / 32767.5 - 1.0 for i in range(DIMENSION)]
    return _normalise(_normalise(values)[: dims or DIMENSION])


def encode(values: list[float]) -> str:
    """Base64 of little-endian float32."""
    return base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode("ascii")


def count_tokens(item: Any) -> int:
    """The usage count of one input: its tokens, or its words (at least one)."""
    return len(item) if isinstance(item, list) else max(1, len(item.split()))


def embedding(i: int, item: Any, dims: int | None, fmt: str, faults: ActiveFaults) -> Any:
    """The `i`th embedding of a batch, as floats or base64, with the per-vector embeddings faults applied."""
    if faults.has(F.EMBEDDINGS_DIM_INCONSISTENT):
        dims = max(1, (dims or DIMENSION) - i)
    values = vector(item, dims)
    as_base64 = fmt == "base64"
    if as_base64 and faults.has(F.EMBEDDINGS_FLOAT_WHEN_BASE64):
        as_base64 = False
    elif not as_base64 and faults.has(F.EMBEDDINGS_BASE64_WHEN_FLOAT):
        as_base64 = True
    if as_base64 and faults.has(F.EMBEDDINGS_BASE64_GARBAGE):
        return "!!!not base64!!!"
    if as_base64 and faults.has(F.EMBEDDINGS_BASE64_FLOAT64):
        return base64.b64encode(struct.pack(f"<{len(values)}d", *values)).decode("ascii")
    return encode(values) if as_base64 else values
