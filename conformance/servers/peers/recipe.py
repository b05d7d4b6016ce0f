"""The peer contract: how a real OpenAI-compatible server is installed, given a tiny model, and started.

A peer module (`conformance/servers/peers/<module>.py`) defines one module-level `RECIPE = PeerRecipe(...)`.
The peers layer (`conformance.servers.peers`) builds the recipe's own virtual environment (cached, keyed by a
hash of `requirements` + `post_install`), builds its model with `build_model(<cache dir>)`, starts every
`ProcessSpec` that `processes(ctx)` returns under connect() tracing inside a loopback-only network namespace,
and stops each by its pid.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Surfaces a process can serve: "base_url" is every surface not named separately (runner.endpoints).
SURFACES = ("base_url", "chat", "responses", "embeddings", "files", "vector_stores", "conversations", "realtime")


@dataclass(frozen=True)
class ModelInfo:
    """A tiny model built for a peer: where it is, the recipe that made it (stamped in provenance), its hash."""

    path: Path
    recipe: dict[str, Any]
    sha256: str


@dataclass(frozen=True)
class PeerContext:
    """What a recipe's `processes` gets: the peer venv's interpreter, the built model, folders and free ports."""

    python: Path
    model: ModelInfo
    cache: Path
    logs: Path
    ports: list[int]


@dataclass(frozen=True)
class ProcessSpec:
    """One server process of a peer.

    `argv` is a full argv: `ctx.python` runs in the peer's venv, `sys.executable` in the project's own venv.
    `env` is added to the recipe's `env`. The process must listen on 127.0.0.1:`port`; it is healthy once
    GET `health_path` answers 200. `surfaces` names what it serves (SURFACES); each gets
    `http://127.0.0.1:<port><base_path>` as its base URL.
    """

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str]
    port: int
    health_path: str
    surfaces: tuple[str, ...]
    start_timeout: float = 120.0
    base_path: str = "/v1"

    @property
    def base_url(self) -> str:
        """The base URL every surface of this process uses."""
        return f"http://127.0.0.1:{self.port}{self.base_path}"

    def command_line(self) -> str:
        """The argv as one line for provenance (paths as given)."""
        return " ".join(self.argv)


@dataclass(frozen=True)
class PeerRecipe:
    """How to install, model and start one real server (see the module docstring).

    `name` is the local-server kind and the bundled profile's name; `distribution` is the package whose
    installed version is stamped; `requirements` are exact pins installed into the peer's own venv;
    `post_install` are extra pip argv run in that venv afterwards (e.g. `("uninstall", "-y", "torchvision")`);
    `env` is set for every process (offline and telemetry switches); `ports` is how many free ports
    `processes` gets in `ctx.ports`; `pip_args` are extra arguments of the requirements' `pip install`.
    `$PEER_DIR` in `pip_args` and `post_install` stands for the peer's folder (e.g. a wheel cache beside the venv).
    """

    name: str
    title: str
    distribution: str
    requirements: tuple[str, ...]
    build_model: Callable[[Path], ModelInfo]
    processes: Callable[[PeerContext], list[ProcessSpec]]
    post_install: tuple[tuple[str, ...], ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    ports: int = 1
    pip_args: tuple[str, ...] = ()

    @property
    def install_key(self) -> str:
        """A short hash of what is installed (requirements, pip arguments, post-install steps): the venv's key."""
        spec = json.dumps([list(self.requirements), list(self.pip_args), [list(s) for s in self.post_install]])
        return hashlib.sha256(spec.encode()).hexdigest()[:16]


def tree_sha256(path: Path) -> str:
    """A sha256 over a file, or over a folder's relative file names and contents (sorted): a model's identity."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        digest.update(str(file.relative_to(path) if file != path else file.name).encode() + b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


__all__ = ["SURFACES", "ModelInfo", "PeerContext", "PeerRecipe", "ProcessSpec", "tree_sha256"]
