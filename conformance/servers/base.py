"""What every local server kind returns: a LocalServer (URLs, provenance, stop) or a LocalServerError."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConformanceError


class LocalServerError(ConformanceError):
    """A local server cannot be started (missing extra, start-up failure, health timeout)."""


@dataclass
class LocalServer:
    """A started local server: `urls` maps "base_url" (and any surface that differs) to a base URL, or, for a
    stand-in of the profile's own hosts, each origin (`https://host`) to a local one (runner.endpoints)."""

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
