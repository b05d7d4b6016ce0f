"""Synthetic audio: the suite makes its own short PCM16 tone, so no recording or model data is needed."""

from __future__ import annotations

import math
import sys
from array import array

PCM_RATE = 24000
SAMPLE_BYTES = {"audio/pcm": 2, "audio/pcmu": 1, "audio/pcma": 1}


def tone_pcm16(seconds: float = 0.5, rate: int = PCM_RATE, freq: float = 440.0, level: float = 0.3) -> bytes:
    """A mono sine tone as 16-bit little-endian PCM."""
    count = int(seconds * rate)
    samples = array("h", (int(level * 32767 * math.sin(2 * math.pi * freq * i / rate)) for i in range(count)))
    if sys.byteorder != "little":
        samples.byteswap()
    return samples.tobytes()


def chunks(raw: bytes, size: int) -> list[bytes]:
    """Split audio into pieces of at most `size` bytes (whole samples when size is even)."""
    return [raw[i:i + size] for i in range(0, len(raw), size)]
