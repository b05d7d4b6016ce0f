"""nox sessions: tests (self-tests), conformance (the main job: replay every bundled target), record, lint, schemas,
drift (what the newest allowed SDK would change), examples (the cached generated examples), peer/peers (record
real servers in a loopback-only namespace)."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests", "conformance"]


@nox.session
def tests(session: nox.Session) -> None:
    """The suite's own self-tests (mutation score, replay, secrets, CLI)."""
    session.install("-c", "constraints.txt", "-e", ".[dev]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def newest(session: nox.Session) -> None:
    """The self-tests against the newest versions pyproject.toml allows (CI pins constraints.txt instead)."""
    session.install("--upgrade", "-e", ".[dev]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def conformance(session: nox.Session) -> None:
    """The main job: replay every bundled target (network blocked), regenerate reports/, fail only on regressions."""
    session.install("-c", "constraints.txt", "-e", ".")
    session.run("conformance", "run", *session.posargs)


@nox.session
def regression(session: nox.Session) -> None:
    """CI regression check: the main job's comparison with reports/compat.json, writing into build/ci-reports."""
    session.install("-c", "constraints.txt", "-e", ".")
    session.run("conformance", "run", "--baseline", "reports/compat.json", "--report-dir", "build/ci-reports",
                *session.posargs)


@nox.session
def drift(session: nox.Session) -> None:
    """With the newest SDK allowed: which wire types changed shape, and which shipped cells that would change.

    Exit 1 from the script means "something would change" (listed); the session reports it without failing.
    """
    session.install("--upgrade", "-e", ".")
    session.run("python", "-m", "conformance.drift", success_codes=[0, 1])


@nox.session
def examples(session: nox.Session) -> None:
    """Recompute the cached hypothesis examples (conformance/probes/generated_examples.json) in a clean interpreter."""
    session.install("-c", "constraints.txt", "-e", ".")
    session.run("python", "-c", "from conformance.probes.examples import write_cache; print(write_cache())")


@nox.session
def record(session: nox.Session) -> None:
    """Re-record cassettes: `nox -s record -- --target reference` (default) or any live target."""
    session.install("-e", ".")
    args = session.posargs or ["--target", "reference"]
    session.run("conformance", "record", *args)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the package, tests and this file."""
    session.install("ruff==0.17.6")
    session.run("ruff", "check", "conformance", "tests", "noxfile.py")


@nox.session
def schemas(session: nox.Session) -> None:
    """Regenerate schemas/ from the pinned SDK types."""
    session.install("-e", ".")
    session.run("python", "-m", "conformance.schemagen")


@nox.session
def llamacpp(session: nox.Session) -> None:
    """Record the llamacpp target live: llama.cpp's real server (xllamacpp wheel), tiny generated model, 127.0.0.1.

    `nox -s llamacpp` rewrites cassettes/llamacpp; `nox -s llamacpp -- --cassette-dir DIR` records elsewhere (CI).
    A broken documented claim (exit 1) is a finding, not a failure of the session; ERROR only (exit 3) fails it.
    """
    session.install("-e", ".[llamacpp]")
    session.run("conformance", "record", "--target", "llamacpp", *session.posargs, success_codes=[0, 1])


@nox.session
def peer(session: nox.Session) -> None:
    """Prepare and record one real server: `nox -s peer -- vllm [more conformance record arguments]`.

    The peer gets its own cached venv and tiny model under $CONFORMANCE_CACHE_DIR/peers/<name>/ (prepare needs the
    package registries); recording runs inside a loopback-only network namespace (`unshare -n`) and fails on any
    outward connect(). Never part of .ci/run: CI replays the shipped cassettes.
    """
    if not session.posargs:
        session.error("name the peer: nox -s peer -- NAME (python -m conformance.servers.peers record --help)")
    name, *args = session.posargs
    session.install("-c", "constraints.txt", "-e", ".[llamacpp]")
    session.run("python", "-m", "conformance.servers.peers", "prepare", name)
    session.run("python", "-m", "conformance.servers.peers", "record", name, *args)


@nox.session
def peers(session: nox.Session) -> None:
    """Prepare and record every real server this build ships a recipe for (`nox -s peer -- NAME` for one)."""
    session.install("-c", "constraints.txt", "-e", ".[llamacpp]")
    session.run("python", "-m", "conformance.servers.peers", "prepare", "all")
    session.run("python", "-m", "conformance.servers.peers", "record", "all", *session.posargs)
