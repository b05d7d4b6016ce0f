"""Real OpenAI-compatible servers ("peers") as local targets: one recipe module per server, loaded lazily.

`RECIPES` maps a local-server kind to the module whose `RECIPE` (a PeerRecipe) installs, models and starts it.
Build a peer with `python -m conformance.servers.peers prepare NAME`; record it with
`python -m conformance.servers.peers record NAME` (inside a loopback-only network namespace).
"""

from __future__ import annotations

from pathlib import Path

from ..base import LocalServer
from .recipe import ModelInfo, PeerContext, PeerRecipe, ProcessSpec, tree_sha256
from .registry import RECIPES, load_recipe


def missing_requirement(name: str) -> str | None:
    """Why peer `name` cannot start here (one line), or None when it can."""
    from .runtime import missing_requirement as runtime_missing

    return runtime_missing(name)


def start_peer(name: str, cache_dir: Path | None = None, port: int | None = None) -> LocalServer:
    """Start a prepared peer's processes (traced, loopback only) and return them as one LocalServer."""
    from .runtime import start_peer as runtime_start

    return runtime_start(name, cache_dir, port)


__all__ = ["RECIPES", "ModelInfo", "PeerContext", "PeerRecipe", "ProcessSpec", "load_recipe",
           "missing_requirement", "start_peer", "tree_sha256"]
