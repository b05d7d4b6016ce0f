"""Local servers a profile can ask for (`[target] local_server = "<kind>"`), started for live and record runs.

Each kind starts its server(s) on free 127.0.0.1 ports and returns a LocalServer: base URLs per surface,
provenance for the cassette stamp, and a stop() that ends exactly what it started.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..profiles.model import LOCAL_SERVER_KINDS as KINDS
from ..profiles.model import PEER_KINDS
from .base import LocalServer, LocalServerError, network_scope


def missing_requirement(kind: str) -> str | None:
    """Why `kind` cannot start here (one line), or None when it can."""
    if kind == "llamacpp":
        from .llamacpp import missing_requirement as llamacpp_missing

        return llamacpp_missing()
    if kind == "prism":
        from .prism import missing_requirement as prism_missing

        return prism_missing()
    if kind in PEER_KINDS:
        from .peers import missing_requirement as peer_missing

        return peer_missing(kind)
    return None


def start_server(kind: str, cache_dir: Path | None = None, port: int | None = None) -> LocalServer:
    """Start a local server of a registered kind (LocalServerError when it cannot).

    `port` is the first port to listen on (a kind with two servers takes `port` and `port + 1`); None picks free
    ports. A port that is taken is one LocalServerError line.
    """
    if kind == "reference":
        from ..refserver import RefServer

        ref = RefServer(port=port or 0)
        try:
            ref.start()
        except OSError as exc:
            raise LocalServerError(f"reference server cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
        return LocalServer(kind, {"base_url": ref.url}, {}, ref.stop)
    if kind == "yandex-stand-in":
        from ..refserver import YandexStandIn

        # The stand-in's service account owns the folder the run is configured with (YC_FOLDER_ID).
        stand_in = YandexStandIn(folder=os.environ.get("YC_FOLDER_ID") or None).start()
        return LocalServer(kind, stand_in.origins, stand_in.provenance(), stand_in.stop)
    if kind == "llamacpp":
        from .llamacpp import start_llamacpp

        return start_llamacpp(cache_dir, port)
    if kind == "prism":
        from .prism import start_prism

        return start_prism(cache_dir, port)
    if kind in PEER_KINDS:
        from .peers import start_peer

        return start_peer(kind, cache_dir, port)
    raise LocalServerError(f"unknown local server kind {kind!r} (known: {', '.join(KINDS)})")


__all__ = ["KINDS", "LocalServer", "LocalServerError", "missing_requirement", "network_scope", "start_server"]
