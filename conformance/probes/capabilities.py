"""Capability requests (issue 13 part B): an image content part, reasoning_effort streamed, and GET /models with
every listed chat model tried (the models.list request serves models.list and chat.models_usable).

The image is a tiny PNG made here (8x8 pixels, one colour), so the request and its cassette are deterministic and
nothing is read from disk or the network.
"""

from __future__ import annotations

import base64
import struct
import zlib
from contextlib import suppress
from fnmatch import fnmatchcase
from typing import Any

import openai
from openai.types.chat import ChatCompletionMessageParam

from ..profiles.options import MODELS_USABLE_DEFAULT, MODELS_USABLE_MOST
from . import fixtures as fx
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


@request("chat.image_input", "vision", max_tokens=16, prompt_tokens=450)
def image_input(io: ProbeIO) -> Any:
    """chat.basic's request with a tiny PNG beside its text: the image must count in the prompt."""
    return io.client.chat.completions.create(model=io.model, messages=image_messages(), max_tokens=16,
                                             temperature=0)


@request("chat.reasoning", "reasoning", max_tokens=64, prompt_tokens=250)
def reasoning(io: ProbeIO) -> Any:
    """reasoning_effort low, streamed; max_completion_tokens (reasoning models refuse max_tokens and temperature)."""
    return list(io.client.chat.completions.create(model=io.model, messages=fx.HELLO, stream=True,
                                                  reasoning_effort="low", max_completion_tokens=64))


HI: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Hi"}]  # the least a listed model must answer


def chat_capable(ids: list[str], options: dict[str, Any]) -> list[str]:
    """The listed ids the profile marks chat-capable (`[options] chat_models` globs), sorted, at most the cap."""
    patterns = options.get("chat_models") or []
    cap = int(options.get("models_usable_max", MODELS_USABLE_DEFAULT))
    return sorted(i for i in set(ids) if any(fnmatchcase(i, p) for p in patterns))[:cap]


@request("models.list", "none", calls=1 + MODELS_USABLE_MOST, max_tokens=MODELS_USABLE_MOST,
         prompt_tokens=80 * MODELS_USABLE_MOST, surfaces=("chat",))
def models_list(io: ProbeIO) -> Any:
    """GET /models (first page only); then steps model:<id> (the chat.models_usable row): one tiny chat request per
    chat-capable listed id, with the id exactly as listed."""
    listed = io.client.models.list()
    chat = io.client_for("chat").chat.completions
    for ident in chat_capable([m.id for m in listed.data], io.options):
        with io.step(f"model:{ident}"), suppress(openai.APIError):  # a step's answer is models_usable's evidence
            chat.create(model=ident, messages=HI, max_tokens=1)
    return listed
