"""`python -m conformance.servers.peers prepare|record|determinism NAME`: build, record and re-record a peer.

`prepare` needs the package registries and runs on the machine's network; `record` re-executes itself inside a
fresh network namespace with only `lo` up (`unshare -n`), where `conformance record --target NAME` starts the peer
under connect() tracing; any outward connect() attempt fails the recording with one line naming the destination.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ...grading import EXIT_BROKEN, EXIT_OK, EXIT_USAGE, peer_record_exit
from ..base import LocalServerError
from .compare import compare_runs
from .registry import RECIPES, load_recipe, registry_has
from .runtime import TRACE_DIR_ENV, loopback_only
from .venv import PeerPaths, prepare_venv

IN_NAMESPACE_ENV = "CONFORMANCE_PEER_IN_NAMESPACE"


def _say(line: str) -> None:
    print(f"peers: {line}", file=sys.stderr, flush=True)


def prepare(name: str) -> dict[str, Any]:
    """Build (or reuse) the peer's venv and tiny model; returns what was done, for the one-line summary."""
    recipe = load_recipe(name)
    paths = PeerPaths.of(recipe)
    info = prepare_venv(recipe, paths)
    started = time.monotonic()
    model = recipe.build_model(paths.model)
    (paths.root / "model.json").write_text(json.dumps({"recipe": model.recipe, "sha256": model.sha256}, indent=1)
                                           + "\n", encoding="utf-8")
    size = info.get("installed_bytes", 0) / 2**20
    how = "reused" if info.get("reused") else f"built in {info.get('install_seconds', 0):.0f} s"
    _say(f"{name}: {recipe.distribution} {info.get('version', '?')}, venv {how} ({size:.0f} MiB, "
         f"{paths.venv}); model sha256 {model.sha256[:16]} in {time.monotonic() - started:.1f} s ({model.path})")
    return info


def namespace_argv(argv: list[str]) -> list[str]:
    """This command again, inside a new network namespace (`unshare -n`; `-r` maps root when not root)."""
    flags = "-n" if os.geteuid() == 0 else "-rn"
    return ["unshare", flags, "--", sys.executable, "-m", "conformance.servers.peers", *argv]


def _with_default(args: list[str], flag: str, value: str) -> list[str]:
    """`args` plus `flag value` unless the flag is already given (as `flag v` or `flag=v`)."""
    if any(a == flag or a.startswith(f"{flag}=") for a in args):
        return args
    return [*args, flag, value]


def record(name: str, args: list[str]) -> int:
    """Record the peer's cassettes inside a loopback-only namespace; fail on any outward connection attempt."""
    load_recipe(name)
    if not loopback_only():
        if os.environ.get(IN_NAMESPACE_ENV):
            _say("the new network namespace still has interfaces other than lo: refusing to record")
            return EXIT_USAGE
        if shutil.which("unshare") is None:
            _say("recording a peer needs `unshare` (util-linux) to create a loopback-only network namespace")
            return EXIT_USAGE
        env = {**os.environ, IN_NAMESPACE_ENV: "1"}
        return subprocess.call(namespace_argv(["record", name, *args]), env=env)
    if subprocess.call(["ip", "link", "set", "lo", "up"]) != 0:
        _say("cannot bring the loopback interface up in the namespace (`ip link set lo up` failed)")
        return EXIT_USAGE
    paths = PeerPaths.of(load_recipe(name))
    args = _with_default(args, "--report-dir", str(paths.root / "report"))
    trace_dir = Path(tempfile.mkdtemp(prefix=f"conformance-{name}-trace-"))
    started = time.monotonic()
    try:
        code = subprocess.call([sys.executable, "-m", "conformance", "record", "--target", name, *args],
                               env={**os.environ, TRACE_DIR_ENV: str(trace_dir)})
        try:
            network = json.loads((trace_dir / "network.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            network = None
        keep = paths.logs / "last-record"
        if keep.exists():
            shutil.rmtree(keep)
        shutil.copytree(trace_dir, keep)
    finally:
        shutil.rmtree(trace_dir, ignore_errors=True)
    elapsed = time.monotonic() - started
    if network is None:
        _say(f"{name}: the peer never reported its connect() trace (did it start? conformance record exited "
             f"{code}; logs in {paths.logs})")
        return peer_record_exit(code, None)
    away = network.get("outward", [])
    if code == EXIT_USAGE:
        _say(f"{name}: recording failed (conformance record exited {code}; logs in {paths.logs}); outward "
             f"connection attempts: {len(away)}")
    elif away:
        _say(f"{name}: {len(away)} outward connection attempt(s), first to {away[0]}: recording failed "
             f"(traces in {keep})")
    else:
        _say(f"{name}: recorded in {elapsed:.0f} s, loopback only, outward connection attempts: 0 "
             f"({network.get('connect_calls', 0)} connect() calls traced; conformance record exited {code})")
    return peer_record_exit(code, len(away))


def determinism(name: str, args: list[str]) -> int:
    """Record the peer twice into temporary folders and compare verdicts cell by cell and bodies per interaction."""
    runs = []
    with tempfile.TemporaryDirectory(prefix=f"conformance-{name}-determinism-") as tmp:
        for label in ("first", "second"):
            root = Path(tmp) / label
            code = record(name, [*args, "--cassette-dir", str(root / "cassettes"), "--report-dir",
                                 str(root / "report"), "--baseline", "none"])
            if code not in (EXIT_OK, 1) or not (root / "report" / "compat.json").exists():
                _say(f"{name}: the {label} recording failed (exit {code}); nothing to compare")
                return code or EXIT_USAGE
            runs.append(root)
        result = compare_runs(runs[0], runs[1], name)
    for line in result.lines():
        print(line)
    return EXIT_OK if result.same_verdicts else 1


def shipped() -> list[str]:
    """The peers whose recipe this build ships (a line for each that it does not)."""
    names = []
    for name in RECIPES:
        if registry_has(name):
            names.append(name)
        else:
            _say(f"{name}: no recipe in this build, skipped")
    return names


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m conformance.servers.peers`."""
    parser = argparse.ArgumentParser(prog="python -m conformance.servers.peers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_prepare = sub.add_parser("prepare", help="build the peer's venv and tiny model (needs the package registries)")
    p_prepare.add_argument("name", help=f"a peer ({', '.join(RECIPES)}) or `all`")
    for command, text in (("record", "record the peer's cassettes in a loopback-only namespace"),
                          ("determinism", "record twice and compare verdicts and bodies")):
        p = sub.add_parser(command, help=text)
        p.add_argument("name", choices=[*sorted(RECIPES), *(["all"] if command == "record" else [])])
        p.add_argument("args", nargs=argparse.REMAINDER, help="more `conformance record` arguments")
    ns = parser.parse_args(argv)
    try:
        if ns.command == "prepare":
            if ns.name != "all":
                prepare(ns.name)
                return EXIT_OK
            for name in shipped():
                prepare(name)
            return EXIT_OK
        if ns.command == "record" and ns.name == "all":
            codes = [record(name, ns.args) for name in shipped()]
            return max(codes, key=lambda c: (c == EXIT_BROKEN, c == EXIT_USAGE, c)) if codes else EXIT_USAGE
        if ns.command == "record":
            return record(ns.name, ns.args)
        return determinism(ns.name, ns.args)
    except LocalServerError as exc:
        _say(str(exc))
        return EXIT_USAGE
