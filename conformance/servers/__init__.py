"""Local servers a profile can ask for (`[target] local_server = "<kind>"`), started for live and record runs.

Each kind starts its server(s) on free 127.0.0.1 ports and returns a LocalServer: base URLs per surface,
provenance for the cassette stamp, and a stop() that ends exactly what it started.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConformanceError
from ..profiles.model import LOCAL_SERVER_KINDS as KINDS


class LocalServerError(ConformanceError):
    """A local server cannot be started (missing extra, start-up failure, health timeout)."""


@dataclass
class LocalServer:
    """A started local server: `urls` maps "base_url" (and any surface that differs) to a base URL."""

    kind: str
    urls: dict[str, str]
    provenance: dict[str, Any] = field(default_factory=dict)
    stopper: Callable[[], None] | None = None

    def url(self, surface: str) -> str:
        """Base URL for a surface."""
        return self.urls.get(surface) or self.urls["base_url"]

    def stop(self) -> None:
        """Stop what this server started (idempotent)."""
        stopper, self.stopper = self.stopper, None
        if stopper is not None:
            stopper()


def network_scope() -> str:
    """Which network interfaces this run could use, for provenance ("loopback only" inside `unshare -n`)."""
    try:
        names = sorted(name for _, name in socket.if_nameindex())
    except OSError:
        return "unknown"
    others = [n for n in names if n != "lo"]
    return "loopback only (no other network interface)" if not others else f"interfaces {', '.join(others)} present"


def missing_requirement(kind: str) -> str | None:
    """Why `kind` cannot start here (one line), or None when it can."""
    if kind == "llamacpp":
        from .llamacpp import missing_requirement as llamacpp_missing

        return llamacpp_missing()
    if kind == "prism":
        from .prism import missing_requirement as prism_missing

        return prism_missing()
    return None


def start_server(kind: str, cache_dir: Path | None = None) -> LocalServer:
    """Start a local server of a registered kind (LocalServerError when it cannot)."""
    if kind == "reference":
        from ..refserver import RefServer

        ref = RefServer()
        ref.start()
        return LocalServer(kind, {"base_url": ref.url}, {}, ref.stop)
    if kind == "llamacpp":
        from .llamacpp import start_llamacpp

        return start_llamacpp(cache_dir)
    if kind == "prism":
        from .prism import start_prism

        return start_prism(cache_dir)
    raise LocalServerError(f"unknown local server kind {kind!r} (known: {', '.join(KINDS)})")


__all__ = ["KINDS", "LocalServer", "LocalServerError", "missing_requirement", "start_server"]
