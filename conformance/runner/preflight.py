"""The preflight of a live target: one cheap GET /models with a short deadline before its first row.

It tells a dead, unreachable or silent server (no status in time) and refused credentials (401/403) apart from
everything else within seconds, before any row is sent. Only the status is read, plus a little of a refusal's body.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx2

from ..wire.cookies import no_cookies
from .policy import first_line

_BODY_LIMIT = 4096


@dataclass(frozen=True)
class Preflight:
    """What the preflight saw: the status (None: no answer in time) and the error or the refusal's message."""

    url: str
    status: int | None
    detail: str
    elapsed: float

    @property
    def refused_key(self) -> bool:
        """401 or 403: the target refused the credentials."""
        return self.status in (401, 403)


def _message(raw: bytes) -> str:
    try:
        message = json.loads(raw)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = raw.decode("utf-8", "replace")
    return " ".join(str(message).split())[:200]


def preflight(url: str, headers: Mapping[str, str], timeout: float) -> Preflight:
    """GET `url` with `timeout` for connecting and for each read; never raises."""
    started = time.monotonic()
    try:
        with httpx2.Client(timeout=timeout, cookies=no_cookies()) as client, \
                client.stream("GET", url, headers=dict(headers)) as response:
            raw = b""
            if response.status_code in (401, 403):
                for chunk in response.iter_bytes():
                    raw += chunk
                    if len(raw) >= _BODY_LIMIT or time.monotonic() - started > timeout:
                        break
            return Preflight(url, response.status_code, _message(raw) if raw else "", time.monotonic() - started)
    except httpx2.HTTPError as exc:
        return Preflight(url, None, first_line(exc), time.monotonic() - started)
