"""Chat requests of issue 13 part B: an image content part, reasoning_effort streamed, every listed chat model.

The image is a tiny PNG made here (8x8 pixels, one colour), so the request and its cassette are deterministic and
nothing is read from disk or the network.
"""

from __future__ import annotations

import base64
import struct
import zlib
from fnmatch import fnmatchcase
from functools import partial
from typing import Any

from openai.types.chat import ChatCompletionMessageParam

from ..profiles.options import MODELS_USABLE_DEFAULT, MODELS_USABLE_MOST
from . import fixtures as fx
from ._flows import attempt
from ._io import ProbeIO
from ._registry import request


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def tiny_png(size: int = 8, rgb: tuple[int, int, int] = (220, 30, 30)) -> bytes:
    """A valid size x size RGB PNG of one colour (deterministic bytes)."""
    row = b"\x00" + bytes(rgb) * size  # filter type 0, then the pixels
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * size, 9))
            + _chunk(b"IEND", b""))


IMAGE_URL = "data:image/png;base64," + base64.b64encode(tiny_png()).decode("ascii")


def image_messages() -> list[ChatCompletionMessageParam]:
    """chat.basic's messages with the image added to the user turn: the text is the same, so its prompt tokens are."""
    system, user = fx.HELLO
    return [system, {"role": "user", "content": [
        {"type": "text", "text": str(user["content"])},
        {"type": "image_url", "image_url": {"url": IMAGE_URL, "detail": "low"}},
    ]}]


@request("chat.image_input", "vision", max_tokens=16, prompt_tokens=600)
def image_input(io: ProbeIO) -> Any:
    """chat.basic's request with a tiny PNG beside its text: the image must count in the prompt."""
    return io.client.chat.completions.create(model=io.model, messages=image_messages(), max_tokens=16,
                                             temperature=0)


@request("chat.reasoning", "reasoning", max_tokens=64, prompt_tokens=250)
def reasoning(io: ProbeIO) -> Any:
    """reasoning_effort low, streamed; max_completion_tokens (reasoning models refuse max_tokens and temperature)."""
    return list(io.client.chat.completions.create(model=io.model, messages=fx.HELLO, stream=True,
                                                  reasoning_effort="low", max_completion_tokens=64))


def chat_capable(ids: list[str], options: dict[str, Any]) -> list[str]:
    """The listed ids the profile marks chat-capable (`[options] chat_models` globs), sorted, at most the cap."""
    patterns = options.get("chat_models") or []
    cap = int(options.get("models_usable_max", MODELS_USABLE_DEFAULT))
    return sorted(i for i in set(ids) if any(fnmatchcase(i, p) for p in patterns))[:cap]


@request("chat.models_usable", "chat", calls=1 + MODELS_USABLE_MOST, max_tokens=MODELS_USABLE_MOST,
         prompt_tokens=100 * MODELS_USABLE_MOST)
def models_usable(io: ProbeIO) -> Any:
    """List the models, then one tiny chat request per chat-capable listed id, with the id exactly as listed."""
    with io.step("list"):
        listed = attempt(io.client.models.list)
    if listed is None:
        return None
    for ident in chat_capable([m.id for m in listed.data], io.options):
        with io.step(f"model:{ident}"):
            attempt(partial(io.client.chat.completions.create, model=ident, messages=fx.HELLO, max_tokens=1))
    return listed
