"""A peer's own cached virtual environment and folders under $CONFORMANCE_CACHE_DIR/peers/<name>/.

The venv folder is keyed by the recipe's install_key (a hash of requirements, pip arguments and post-install
steps), so a changed pin builds a new venv beside the old one and an unchanged recipe reuses it. A venv counts
as prepared only once `prepared.json` was written after every step succeeded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base import LocalServerError
from .recipe import PeerRecipe

PREPARED = "prepared.json"


def cache_root() -> Path:
    """$CONFORMANCE_CACHE_DIR/peers, else ./.cache/peers (gitignored)."""
    return Path(os.environ.get("CONFORMANCE_CACHE_DIR") or ".cache") / "peers"


@dataclass(frozen=True)
class PeerPaths:
    """The folders of one peer: its root, venv (by install key), model, logs and private HOME."""

    root: Path
    venv: Path

    @classmethod
    def of(cls, recipe: PeerRecipe, cache_dir: Path | None = None) -> PeerPaths:
        """The paths of `recipe` under `cache_dir` (default: cache_root()/<name>)."""
        root = (cache_dir or cache_root() / recipe.name).resolve()
        return cls(root, root / f"venv-{recipe.install_key}")

    @property
    def python(self) -> Path:
        """The venv's interpreter."""
        return self.venv / "bin" / "python"

    @property
    def model(self) -> Path:
        """The folder the recipe's build_model writes to."""
        return self.root / "model"

    @property
    def logs(self) -> Path:
        """Process logs (and connect() traces unless a record run names its own folder)."""
        return self.root / "logs"

    @property
    def home(self) -> Path:
        """The private HOME every peer process gets (its caches stay inside the peer's folder)."""
        return self.root / "home"

    def portable(self, text: str) -> str:
        """`text` with this machine's peer folder written as `$PEER_DIR` (provenance that does not name a path)."""
        return text.replace(str(self.root), "$PEER_DIR").replace(sys.executable, "$PROJECT_PYTHON")


def prepared_info(paths: PeerPaths) -> dict[str, Any] | None:
    """What `prepare` wrote about the venv (version, size, time), or None when it is not (completely) prepared."""
    try:
        info = json.loads((paths.venv / PREPARED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and paths.python.exists() else None


def expand(args: tuple[str, ...], paths: PeerPaths) -> list[str]:
    """Pip arguments with `$PEER_DIR` replaced by the peer's folder (the install key hashes them unexpanded)."""
    return [arg.replace("$PEER_DIR", str(paths.root)) for arg in args]


def _run(argv: list[str], what: str, log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(argv)}\n")
        out.flush()
        code = subprocess.call(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if code != 0:
        raise LocalServerError(f"{what} failed with exit code {code} (log {log})")


def folder_size(path: Path) -> int:
    """Bytes of every regular file under `path` (symlinks not followed)."""
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            file = Path(dirpath) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def prepare_venv(recipe: PeerRecipe, paths: PeerPaths) -> dict[str, Any]:
    """Create (or reuse) the peer's venv with its pinned requirements and post-install steps; return its info."""
    info = prepared_info(paths)
    if info is not None:
        return {**info, "reused": True}
    if paths.venv.exists():
        shutil.rmtree(paths.venv)  # a half-built venv of this same key: never used, rebuilt
    paths.root.mkdir(parents=True, exist_ok=True)
    log = paths.root / f"prepare-{recipe.install_key}.log"
    log.write_text("", encoding="utf-8")
    started = time.monotonic()
    _run([sys.executable, "-m", "venv", str(paths.venv)], "creating the venv", log)
    python = str(paths.python)
    _run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], "upgrading pip", log)
    _run([python, "-m", "pip", "install", "-q", *expand(recipe.pip_args, paths), *recipe.requirements], "pip install",
         log)
    for step in recipe.post_install:
        _run([python, "-m", "pip", *expand(step, paths)], f"post-install step `pip {' '.join(step)}`", log)
    version = subprocess.run([python, "-c", f"from importlib.metadata import version; print(version("
                              f"{recipe.distribution!r}))"], capture_output=True, text=True, check=False)
    freeze = subprocess.run([python, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=False)
    info = {"name": recipe.name, "distribution": recipe.distribution, "version": version.stdout.strip(),
            "install_key": recipe.install_key, "requirements": list(recipe.requirements),
            "post_install": [list(s) for s in recipe.post_install], "install_seconds": round(time.monotonic()
                                                                                               - started, 1),
            "installed_bytes": folder_size(paths.venv), "freeze": freeze.stdout.splitlines()}
    (paths.venv / PREPARED).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return {**info, "reused": False}
