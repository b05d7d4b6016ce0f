"""Prism (Stoplight's OpenAPI mock server, from npm) serving OpenAI's own openapi.yaml on 127.0.0.1.

Prism answers every operation with a schema-shaped, stateless reply built from the spec: an independent check of
the suite's validators on shapes (Files, Vector Stores) that the reference server builds itself. It is installed
with npm into .cache/prism on first use, serves at the root (no /v1), and is stopped by its own process id.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

from .base import LocalServer, LocalServerError, network_scope
from .process import stop_process

PACKAGE = "@stoplight/prism-cli"
VERSION = "5.16.0"
START_TIMEOUT = 120.0
STOP_TIMEOUT = 10.0
SPEC_ENV = "CONFORMANCE_OPENAI_SPEC"
_REPO = Path(__file__).resolve().parents[2]


def spec_path() -> Path:
    """$CONFORMANCE_OPENAI_SPEC, else ../shared/reference/openai/openapi.yaml beside the checkout."""
    return Path(os.environ.get(SPEC_ENV) or _REPO.parent / "shared" / "reference" / "openai" / "openapi.yaml")


def missing_requirement() -> str | None:
    """One line naming what is missing (node/npm, the OpenAI spec), or None."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "the prism local server needs node and npm (e.g. apt-get install nodejs npm)"
    if not spec_path().is_file():
        return f"the prism local server needs OpenAI's openapi.yaml: set {SPEC_ENV} (looked at {spec_path()})"
    return None


def ensure_prism(root: Path) -> Path:
    """The prism executable, installed with npm into `root` (pinned version) on first use."""
    exe = root / "node_modules" / ".bin" / "prism"
    marker = root / f".installed-{VERSION}"
    if exe.exists() and marker.exists():
        return exe
    root.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["npm", "install", "--prefix", str(root), "--no-audit", "--no-fund", "--loglevel=error",
                           f"{PACKAGE}@{VERSION}"], capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0 or not exe.exists():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1][:160]
        raise LocalServerError(f"npm could not install {PACKAGE}@{VERSION} into {root}: {last}")
    marker.write_text(VERSION, encoding="utf-8")
    return exe


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer (Prism says 401 without a key) means it is serving
    except (urllib.error.URLError, OSError):
        return False


def start_prism(cache_dir: Path | None = None, port: int | None = None) -> LocalServer:
    """Install (once) and start Prism on `port` (else a free loopback port); wait until it answers."""
    problem = missing_requirement()
    if problem:
        raise LocalServerError(problem)
    from .llamacpp import default_cache_dir

    cache = (cache_dir or default_cache_dir().parent / "prism").resolve()  # ./.cache/prism by default
    exe = ensure_prism(cache)
    spec = spec_path()
    port = port or _free_port()
    log_path = cache / "logs" / "prism.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log: IO[str] = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen([str(exe), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)], stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def stop() -> None:
        stop_process(proc, STOP_TIMEOUT)
        log.close()

    deadline = time.monotonic() + START_TIMEOUT
    while not _answers(f"{url}/models"):
        if proc.poll() is not None or time.monotonic() > deadline:
            status = f"exited with {proc.poll()}" if proc.poll() is not None else "timed out"
            stop()
            raise LocalServerError(f"prism did not start ({status}; log {log_path})")
        time.sleep(0.5)
    return LocalServer("prism", {"base_url": url}, provenance(spec), stop)


def provenance(spec: Path) -> dict[str, Any]:
    """What the cassettes were recorded against: the Prism version and the spec file."""
    import hashlib

    digest = hashlib.sha256(spec.read_bytes()).hexdigest()[:16]
    return {
        "summary": f"{PACKAGE} {VERSION} (npm) mocking openai openapi.yaml sha256:{digest}",
        "server": f"{PACKAGE} {VERSION} from npm, `prism mock` (static examples, stateless)",
        "spec": f"{spec.name} sha256:{digest}",
        "network": network_scope(),
    }
