"""llama.cpp's real server (the xllamacpp wheel) as a local target: a chat process and an embedding process.

Both run the tiny model from tiny_gguf on free 127.0.0.1 ports, are waited for on /health with a bounded
timeout, and are stopped by their own process ids. Logs go to <cache>/logs/ for post-mortems.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from .base import LocalServer, LocalServerError, network_scope
from .process import stop_process

CHAT_ALIAS = "conformance-tiny-llama"
EMBED_ALIAS = "conformance-tiny-llama-embed"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0
_REQUIRED = ("xllamacpp", "gguf", "numpy")


def default_cache_dir() -> Path:
    """$CONFORMANCE_CACHE_DIR/llamacpp, else ./.cache/llamacpp (gitignored)."""
    return Path(os.environ.get("CONFORMANCE_CACHE_DIR") or ".cache") / "llamacpp"


def missing_requirement() -> str | None:
    """One line naming the missing packages, or None."""
    missing = [name for name in _REQUIRED if not _version(name)]
    if not missing:
        return None
    return (f"the llamacpp local server needs {', '.join(missing)}: "
            "pip install -e '.[llamacpp]' (or: nox -s llamacpp)")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def provenance(model: Path) -> dict[str, Any]:
    """What the cassettes were recorded against: server build and model recipe."""
    from .tiny_gguf import RECIPE_VERSION, recipe

    return {
        "summary": f"xllamacpp {_version('xllamacpp')} wheel, model {model.name} "
                   f"(conformance.servers.tiny_gguf v{RECIPE_VERSION})",
        "server": f"llama.cpp HTTP server from the xllamacpp {_version('xllamacpp')} wheel (PyPI)",
        "xllamacpp": _version("xllamacpp"),
        "gguf": _version("gguf"),
        "model_file": model.name,
        "model_recipe": recipe(),
        "processes": {"chat": f"--jinja, alias {CHAT_ALIAS}", "embeddings": f"--embedding, alias {EMBED_ALIAS}"},
        "network": network_scope(),
    }


def server_argv(model: Path, alias: str, port: int, embedding: bool) -> list[str]:
    """argv of one llama.cpp server child (this interpreter, conformance.servers.llamacpp_proc) on `port`."""
    argv = [sys.executable, "-m", "conformance.servers.llamacpp_proc", "--model", str(model), "--alias", alias,
            "--port", str(port)]
    return [*argv, "--embedding"] if embedding else argv


class ServerProcess:
    """One llama.cpp server child process on a free loopback port."""

    def __init__(self, model: Path, alias: str, embedding: bool, log_path: Path, port: int = 0) -> None:
        self.model = model
        self.port = port
        self.alias = alias
        self.embedding = embedding
        self.log_path = log_path
        self.url = ""
        self._proc: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id (None before start)."""
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout: float = START_TIMEOUT) -> ServerProcess:
        """Launch, read the bound URL from the child, wait for /health; LocalServerError on failure."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w", encoding="utf-8")
        cmd = server_argv(self.model, self.alias, self.port, self.embedding)
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._log, stdin=subprocess.DEVNULL,
                                      text=True)
        deadline = time.monotonic() + timeout
        try:
            self.url = self._read_url(deadline)
            self._wait_healthy(deadline)
        except LocalServerError:
            self.stop()
            raise
        return self

    def _read_url(self, deadline: float) -> str:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.2)
            if ready:
                line = proc.stdout.readline()
                if line.startswith("LISTENING http://127.0.0.1:"):
                    return line.split(" ", 1)[1].strip()
                if not line:
                    break
            elif proc.poll() is not None:
                break
        raise LocalServerError(self._why("did not report a listening address"))

    def _wait_healthy(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise LocalServerError(self._why("did not become healthy"))

    def _why(self, problem: str) -> str:
        code = self._proc.poll() if self._proc is not None else None
        status = f"exited with {code}" if code is not None else "still running"
        tail = ""
        try:
            lines = [ln for ln in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines() if ln]
            tail = f"; last log line: {lines[-1][:160]}" if lines else ""
        except OSError:
            pass
        return f"llama.cpp server ({self.alias}) {problem} ({status}; log {self.log_path}){tail}"

    def stop(self) -> None:
        """SIGTERM this child by its pid, SIGKILL it if it lingers (idempotent)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process(proc, STOP_TIMEOUT)
            if proc.stdout is not None:
                proc.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None


def start_llamacpp(cache_dir: Path | None = None, port: int | None = None) -> LocalServer:
    """Build (or reuse) the tiny model and start the chat and embedding servers (on `port`, `port + 1` if given)."""
    problem = missing_requirement()
    if problem:
        raise LocalServerError(problem)
    from .tiny_gguf import ensure_model

    cache = cache_dir or default_cache_dir()
    model = ensure_model(cache)
    chat = ServerProcess(model, CHAT_ALIAS, False, cache / "logs" / "chat.log", port or 0).start()
    try:
        embed = ServerProcess(model, EMBED_ALIAS, True, cache / "logs" / "embeddings.log",
                              port + 1 if port else 0).start()
    except LocalServerError:
        chat.stop()
        raise

    def stop() -> None:
        embed.stop()
        chat.stop()

    urls = {"base_url": f"{chat.url}/v1", "embeddings": f"{embed.url}/v1"}
    return LocalServer("llamacpp", urls, provenance(model), stop)
