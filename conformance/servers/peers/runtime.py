"""Starting prepared peers: traced processes on loopback ports, refused outside a loopback-only namespace.

Every process runs under `strace -f --seccomp-bpf -e trace=connect` (C code and child processes included). On
stop, each trace is parsed (conformance.servers.peers.trace) and the count of outward connect() attempts is
written into the provenance stamped in `_meta.json`, and into `$CONFORMANCE_PEER_TRACE_DIR/network.json` when the
`record` command set that folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..base import LocalServer, LocalServerError
from .recipe import PeerContext, ProcessSpec
from .registry import load_recipe
from .trace import Attempt, outward, parse_trace
from .venv import PeerPaths, prepared_info

STOP_TIMEOUT = 20.0
# Set to "allow" to start a peer outside a loopback-only namespace (your own install, your own risk): the
# stamp then says the network was not isolated.
ALLOW_NETWORK_ENV = "CONFORMANCE_PEER_NETWORK"
TRACE_DIR_ENV = "CONFORMANCE_PEER_TRACE_DIR"
# What a peer process inherits from the caller; everything else comes from the recipe (no keys, no tokens).
_INHERITED = ("PATH", "LANG", "LC_ALL", "TZ", "TMPDIR")


def loopback_only() -> bool:
    """Whether this process's network namespace has no interface but `lo`."""
    try:
        return all(name == "lo" for _, name in socket.if_nameindex())
    except OSError:
        return False


def network_allowed() -> bool:
    """Whether the user explicitly allowed starting a peer with the machine's network (CONFORMANCE_PEER_NETWORK)."""
    return os.environ.get(ALLOW_NETWORK_ENV, "") == "allow"


def missing_requirement(name: str, cache_dir: Path | None = None) -> str | None:
    """Why peer `name` cannot start here (one line), or None when it can."""
    if not network_allowed() and not loopback_only():
        return (f"peer {name!r} starts only inside a loopback-only network namespace: record it with "
                f"`python -m conformance.servers.peers record {name}` (or set {ALLOW_NETWORK_ENV}=allow to run "
                "your own install with the network)")
    try:
        recipe = load_recipe(name)
    except LocalServerError as exc:
        return str(exc)
    if shutil.which("strace") is None:
        return "peers run under strace to log every connect(): install strace (apt-get install strace)"
    paths = PeerPaths.of(recipe, cache_dir)
    if prepared_info(paths) is None:
        return f"peer {name!r} is not prepared: python -m conformance.servers.peers prepare {name}"
    return None


def free_ports(count: int) -> list[int]:
    """`count` distinct free 127.0.0.1 ports (bound to port 0, then released)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def process_env(recipe_env: dict[str, str], spec_env: dict[str, str], home: Path) -> dict[str, str]:
    """A peer process's environment: a few inherited basics, a private HOME, then the recipe's and the spec's."""
    env = {k: os.environ[k] for k in _INHERITED if k in os.environ}
    env.update({"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "PYTHONUNBUFFERED": "1",
                "NO_PROXY": "*", "no_proxy": "*"})
    env.update(recipe_env)
    env.update(spec_env)
    return env


@dataclass
class TracedProcess:
    """One peer process started under strace; stopped by the server's own pid (strace's child)."""

    spec: ProcessSpec
    proc: subprocess.Popen[bytes]
    trace: Path
    log: IO[bytes]

    def server_pid(self) -> int | None:
        """The traced server's pid: strace's first child (None once it exited)."""
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            return None
        return int(children[0]) if children else None

    def stop(self) -> None:
        """SIGTERM the server by its pid, SIGKILL this process group if it lingers; strace exits with it."""
        pid = self.server_pid()
        if pid is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # the session started for this strace, by its id
            self.proc.wait(timeout=STOP_TIMEOUT)
        self.log.close()


def _wait_healthy(traced: TracedProcess, log_path: Path) -> None:
    spec = traced.spec
    deadline = time.monotonic() + spec.start_timeout
    url = f"http://127.0.0.1:{spec.port}{spec.health_path}"
    while time.monotonic() < deadline:
        if traced.proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    code = traced.proc.poll()
    status = f"exited with {code}" if code is not None else f"not healthy after {spec.start_timeout:g} s"
    raise LocalServerError(f"peer process {spec.name} {status} (log {log_path}){_tail(log_path)}")


def _tail(log_path: Path) -> str:
    try:
        lines = [ln for ln in log_path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return f"; last log line: {lines[-1][:200]}" if lines else ""


def network_stamp(attempts: list[Attempt], isolated: bool) -> str:
    """The provenance line about the network: where the peer ran and how many outward connect() attempts it made."""
    scope = "loopback only" if isolated else f"NOT isolated ({ALLOW_NETWORK_ENV}=allow)"
    return f"{scope}, outward connection attempts: {len(outward(attempts))}"


def start_peer(name: str, cache_dir: Path | None = None, port: int | None = None) -> LocalServer:
    """Start a prepared peer's processes (traced; refused outside a loopback-only namespace) as one LocalServer."""
    problem = missing_requirement(name, cache_dir)
    if problem:
        raise LocalServerError(problem)
    recipe = load_recipe(name)
    paths = PeerPaths.of(recipe, cache_dir)
    info = prepared_info(paths) or {}
    model = recipe.build_model(paths.model)
    ports = [port + i for i in range(recipe.ports)] if port else free_ports(recipe.ports)
    ctx = PeerContext(paths.python, model, paths.root, paths.logs, ports)
    specs = recipe.processes(ctx)
    trace_dir = Path(os.environ[TRACE_DIR_ENV]) if os.environ.get(TRACE_DIR_ENV) else paths.logs
    paths.logs.mkdir(parents=True, exist_ok=True)
    trace_dir.mkdir(parents=True, exist_ok=True)
    isolated = loopback_only()
    started: list[TracedProcess] = []
    provenance: dict[str, Any] = {
        "summary": f"{recipe.distribution} {info.get('version', '?')} in its own venv, tiny model "
                   f"{model.recipe.get('generator', model.path.name)} sha256 {model.sha256[:12]}",
        "server": recipe.title,
        "distribution": recipe.distribution,
        "version": info.get("version", ""),
        "requirements": list(recipe.requirements),
        "model_recipe": model.recipe,
        "model_sha256": model.sha256,
        "processes": {s.name: paths.portable(s.command_line()) for s in specs},
        "network": "not yet known: counted when the server stops",
    }

    def stop() -> None:
        for traced in reversed(started):
            traced.stop()
        attempts = [a for t in started for a in parse_trace(t.trace)]
        away = outward(attempts)
        provenance["network"] = network_stamp(attempts, isolated)
        provenance["outward_connection_attempts"] = [a.line() for a in away]
        if os.environ.get(TRACE_DIR_ENV):
            (trace_dir / "network.json").write_text(json.dumps(
                {"isolated": isolated, "connect_calls": len(attempts), "outward": [a.line() for a in away]}))

    try:
        for spec in specs:
            log_path = paths.logs / f"{spec.name}.log"
            trace = trace_dir / f"{spec.name}.strace"
            log = log_path.open("wb")
            argv = ["strace", "-f", "--seccomp-bpf", "-qq", "-e", "trace=connect", "-e", "signal=none",
                    "-o", str(trace), "--", *spec.argv]
            env = process_env(dict(recipe.env), dict(spec.env), paths.home)
            proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    cwd=paths.root, start_new_session=True)
            started.append(TracedProcess(spec, proc, trace, log))
            _wait_healthy(started[-1], log_path)
    except BaseException:
        stop()
        raise
    urls: dict[str, str] = {}
    for spec in specs:
        for surface in spec.surfaces:
            urls.setdefault(surface, spec.base_url)
    urls.setdefault("base_url", specs[0].base_url)
    return LocalServer(name, urls, provenance, stop)
