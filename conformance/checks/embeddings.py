"""Embeddings checks: float vectors, count and order, consistent dimension, base64, dimensions."""

from __future__ import annotations

import base64
import binascii
import math
import struct
from typing import Any

from ..failures import Ignored
from ..verdicts import Severity
from ._registry import check
from .context import CheckContext
from .needs import Need


def items(ctx: CheckContext) -> list[dict[str, Any]]:
    """$.data as a list of objects."""
    data = ctx.body().get("data")
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ctx.fail("$.data", "a list of embedding objects", data)
    return data


def inputs(ctx: CheckContext) -> list[Any]:
    """The request's inputs as a list."""
    raw = ctx.primary.request_json.get("input")
    return raw if isinstance(raw, list) else [raw]


def float_vector(ctx: CheckContext, i: int, item: dict[str, Any]) -> list[float]:
    """data[i].embedding as a list of numbers; Failure otherwise."""
    vector = item.get("embedding")
    if not isinstance(vector, list) or not vector:
        raise ctx.fail(f"$.data[{i}].embedding", "a non-empty list of floats (encoding_format=float)",
                       type(vector).__name__ if not isinstance(vector, list) else "[]")
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in vector):
        raise ctx.fail(f"$.data[{i}].embedding", "numbers only", vector[:5])
    return vector


@check("embeddings.float_vectors", Severity.MUST, "encoding_format float returns lists of numbers",
       needs=(Need.ANSWER,))
def float_vectors(ctx: CheckContext) -> None:
    """A base64 string where floats were asked breaks users."""
    for i, item in enumerate(items(ctx)):
        float_vector(ctx, i, item)


@check("embeddings.count_index", Severity.MUST, "One embedding per input, index 0..n-1 in order", needs=(Need.ANSWER,))
def count_index(ctx: CheckContext) -> None:
    """Clients zip inputs with data by index."""
    data = items(ctx)
    expected = len(inputs(ctx))
    if len(data) != expected:
        raise ctx.fail("$.data", f"{expected} embeddings", len(data))
    indices = [d.get("index") for d in data]
    if indices != list(range(expected)):
        raise ctx.fail("$.data[*].index", list(range(expected)), indices)


@check("embeddings.usage", Severity.SHOULD, "usage has integer prompt_tokens and total_tokens", needs=(Need.ANSWER,))
def usage(ctx: CheckContext) -> None:
    """Billing needs the counts."""
    usage = ctx.body().get("usage")
    if not isinstance(usage, dict) or not all(isinstance(usage.get(k), int) for k in ("prompt_tokens",
                                                                                       "total_tokens")):
        raise ctx.fail("$.usage", "integer prompt_tokens and total_tokens", usage)


@check("embeddings.consistent_dim", Severity.MUST, "All vectors of one response have the same dimension",
       needs=(Need.ANSWER,))
def consistent_dim(ctx: CheckContext) -> None:
    """Vectors of one model are comparable only at one dimension."""
    dims = [len(float_vector(ctx, i, item)) for i, item in enumerate(items(ctx))]
    if len(set(dims)) > 1:
        raise ctx.fail("$.data[*].embedding", "one dimension", dims)


def plausible(raw: bytes, fmt: str) -> bool:
    """Whether bytes read as little-endian `fmt` ('f' float32, 'd' float64) look like an embedding: every value
    finite and of a size an embedding has (|x| <= 1e3), not mostly the denormal noise of a misread width."""
    size = struct.calcsize(fmt)
    if not raw or len(raw) % size:
        return False
    values = struct.unpack(f"<{len(raw) // size}{fmt}", raw)
    tiny = sum(1 for x in values if x != 0 and abs(x) < 1e-30)
    return all(math.isfinite(x) and abs(x) <= 1e3 for x in values) and tiny * 2 < len(values)


@check("embeddings.base64_decodes", Severity.MUST, "encoding_format base64 returns base64 float32 of the float "
       "dimension", needs=(Need.ANSWER,))
def base64_decodes(ctx: CheckContext) -> None:
    """Decodes to little-endian float32 values that look like an embedding (float64 sent as base64 does not: half
    its bytes read as float32 are noise); the dimension matches `dimensions` or the float answer when there is one."""
    wanted = ctx.primary.request_json.get("dimensions")
    for i, item in enumerate(items(ctx)):
        vector = item.get("embedding")
        if isinstance(vector, list):
            raise Ignored(f"$.data[{i}].embedding", "a base64 string", "a list of floats", ctx.primary.summary())
        try:
            raw = base64.b64decode(vector or "", validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise ctx.fail(f"$.data[{i}].embedding", "valid base64", vector) from None
        if not raw or len(raw) % 4:
            raise ctx.fail(f"$.data[{i}].embedding", "a whole number of float32 values", f"{len(raw)} bytes")
        if not plausible(raw, "f"):
            as64 = f"; read as float64 they are {len(raw) // 8} plausible values (float64 sent as base64?)" \
                if plausible(raw, "d") else ""
            raise ctx.fail(f"$.data[{i}].embedding", "little-endian float32 values of an embedding",
                           f"{len(raw)} bytes that do not read as float32 embedding values{as64}")
        if isinstance(wanted, int) and not isinstance(wanted, bool) and len(raw) != 4 * wanted:
            raise ctx.fail(f"$.data[{i}].embedding", f"{wanted} float32 values ({4 * wanted} bytes, dimensions)",
                           f"{len(raw)} bytes")
        try:
            floats = ctx.auxiliary("embeddings.float").json()["data"][0]["embedding"]
        except Exception:  # noqa: BLE001 - no comparison possible, decoding was checked
            continue
        if isinstance(floats, list) and len(floats) != len(raw) // 4:
            raise ctx.fail(f"$.data[{i}].embedding", f"{len(floats)} float32 values (as with float)",
                           len(raw) // 4)


@check("embeddings.dimensions_applied", Severity.MUST, "dimensions=N returns vectors of length N", needs=(Need.ANSWER,))
def dimensions_applied(ctx: CheckContext) -> None:
    """A 200 with the native length means the parameter was ignored."""
    wanted = ctx.primary.request_json.get("dimensions")
    for i, item in enumerate(items(ctx)):
        got = len(float_vector(ctx, i, item))
        if got != wanted:
            raise Ignored(f"$.data[{i}].embedding", f"length {wanted}", f"length {got}", ctx.primary.summary())
