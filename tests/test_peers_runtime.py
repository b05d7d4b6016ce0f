"""The peers runtime: connect() trace parsing, refusal outside a loopback-only namespace, record exit codes,
recording comparison, and (where `unshare -n` works) a traced peer whose outward connect() is counted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.grading import EXIT_BROKEN, EXIT_INCONCLUSIVE, EXIT_OK, EXIT_USAGE, peer_record_exit
from conformance.servers.peers import compare, runtime
from conformance.servers.peers.trace import outward, parse_line, parse_trace

_TRACE = """\
5020  connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.255.255.1")}, 16) = -1 ENETUNREACH \
(Network is unreachable)
5020  connect(4, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED \
(Connection refused)
5021  connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \
"2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH (Network is unreachable)
5021  connect(4, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", \
&sin6_addr), sin6_scope_id=0}, 28) = 0
5021  connect(5, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \
"::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}, 28) = 0
5022  connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)
5022  connect(3, {sa_family=AF_UNSPEC, sa_data="\\0\\0\\0\\0"}, 16) = 0
5023  connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("8.8.8.8")}, 16 <unfinished ...>
5023  <... connect resumed>)            = 0
5024  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---
"""


def test_the_parser_counts_only_connects_that_leave_loopback(tmp_path: Path) -> None:
    (tmp_path / "p.strace").write_text(_TRACE)
    attempts = parse_trace(tmp_path / "p.strace")
    assert [a.family for a in attempts] == ["AF_INET", "AF_INET", "AF_INET6", "AF_INET6", "AF_INET6", "AF_UNIX",
                                            "AF_INET"]
    away = outward(attempts)
    assert [a.line() for a in away] == ["10.255.255.1:80 (AF_INET, pid 5020, -1 ENETUNREACH)",
                                        "[2001:db8::1]:443 (AF_INET6, pid 5021, -1 ENETUNREACH)",
                                        "8.8.8.8:53 (AF_INET, pid 5023, unfinished)"]
    assert parse_line("5024  +++ exited with 0 +++") is None
    assert parse_trace(tmp_path / "absent.strace") == []


def test_a_peer_is_refused_outside_a_loopback_only_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "loopback_only", lambda: False)
    monkeypatch.delenv(runtime.ALLOW_NETWORK_ENV, raising=False)
    problem = runtime.missing_requirement("infinity")
    assert problem is not None and "\n" not in problem
    assert "loopback-only network namespace" in problem and "peers record infinity" in problem
    with pytest.raises(runtime.LocalServerError, match="loopback-only"):
        runtime.start_peer("infinity")


def test_the_network_override_is_explicit_and_stamped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "loopback_only", lambda: False)
    monkeypatch.setenv(runtime.ALLOW_NETWORK_ENV, "allow")
    problem = runtime.missing_requirement("infinity") or ""
    assert "loopback-only" not in problem
    assert runtime.network_stamp([], isolated=False).startswith("NOT isolated")
    assert runtime.network_stamp([], isolated=True) == "loopback only, outward connection attempts: 0"


def test_record_exit_codes() -> None:
    assert peer_record_exit(EXIT_OK, 0) == EXIT_OK
    assert peer_record_exit(EXIT_BROKEN, 0) == EXIT_OK  # a broken claim is a finding, the cassettes are there
    assert peer_record_exit(EXIT_OK, 2) == EXIT_BROKEN
    assert peer_record_exit(EXIT_INCONCLUSIVE, 0) == EXIT_INCONCLUSIVE
    assert peer_record_exit(EXIT_OK, None) == EXIT_USAGE
    assert peer_record_exit(EXIT_USAGE, 0) == EXIT_USAGE


def test_body_differences_are_explained() -> None:
    a = json.dumps({"id": "chatcmpl-1", "created": 1, "choices": [{"message": {"content": "hi"}}]})
    b = json.dumps({"id": "chatcmpl-2", "created": 2, "choices": [{"message": {"content": "hi"}}]})
    assert compare.explain(a, b) == (["created", "id"], "ids/timestamps")
    c = json.dumps({"id": "chatcmpl-2", "created": 2, "choices": [{"message": {"content": "ho"}}]})
    assert compare.explain(a, c) == (["choices[0].message.content", "created", "id"], "content")
    sse_a = 'data: {"id": "r1", "delta": "x"}\n\ndata: [DONE]\n\n'
    sse_b = 'data: {"id": "r2", "delta": "x"}\n\ndata: [DONE]\n\n'
    assert compare.explain(sse_a, sse_b) == (["[0].id"], "ids/timestamps")


def test_compare_runs_lists_verdict_and_body_changes(tmp_path: Path) -> None:
    for run, verdict, body in (("one", "PASS", '{"id": "a"}'), ("two", "FAIL", '{"id": "b"}')):
        (tmp_path / run / "report").mkdir(parents=True)
        (tmp_path / run / "report" / "compat.json").write_text(json.dumps(
            {"results": [{"target": "demo", "feature": "chat.basic", "verdict": verdict}]}))
        cassette = tmp_path / run / "cassettes" / "demo" / "chat" / "chat.basic.yaml"
        cassette.parent.mkdir(parents=True)
        cassette.write_text(json.dumps({"interactions": [{"response": {"body": {"string": body}}}]}))
    result = compare.compare_runs(tmp_path / "one", tmp_path / "two", "demo")
    assert not result.same_verdicts
    assert result.lines() == ["demo: 1 cells, 1 verdict(s) differ; 1 interactions, 1 response bodies differ",
                              "  verdict chat.basic: PASS then FAIL",
                              "  body chat/chat.basic.yaml#0: ids/timestamps (id)"]


# A demo peer run inside `unshare -n`: its process tries one outward connect() (unreachable in the namespace:
# no route, nothing leaves it), then serves HTTP on loopback; start_peer/stop must count exactly that attempt.
_DEMO = r'''
import json, os, sys
from pathlib import Path
from conformance.servers.peers import runtime
from conformance.servers.peers.recipe import ModelInfo, PeerRecipe, ProcessSpec

SERVER = (
    "import socket, sys\n"
    "s = socket.socket()\n"
    "try:\n    s.connect(('10.255.255.1', 80))\nexcept OSError:\n    pass\n"
    "from http.server import HTTPServer, SimpleHTTPRequestHandler\n"
    "HTTPServer(('127.0.0.1', int(sys.argv[1])), SimpleHTTPRequestHandler).serve_forever()\n"
)
recipe = PeerRecipe(
    name="demo", title="Demo", distribution="demo", requirements=(),
    build_model=lambda cache: ModelInfo(cache, {"kind": "none"}, "0" * 64),
    processes=lambda ctx: [ProcessSpec("web", (str(ctx.python), "-c", SERVER, str(ctx.ports[0])), {},
                                       ctx.ports[0], "/", ("base_url",), 30.0)],
)
root = Path(sys.argv[1])
venv = root / f"venv-{recipe.install_key}"
(venv / "bin").mkdir(parents=True)
(venv / "bin" / "python").symlink_to(sys.executable)
(venv / "prepared.json").write_text(json.dumps({"version": "0"}))
runtime.load_recipe = lambda name: recipe
os.environ[runtime.TRACE_DIR_ENV] = str(root / "trace")
server = runtime.start_peer("demo", root, int(sys.argv[2]))
server.stop()
print(json.dumps({"urls": server.urls, "provenance": server.provenance}))
'''


def _unshare_works() -> bool:
    if shutil.which("unshare") is None or shutil.which("strace") is None or shutil.which("ip") is None:
        return False
    flags = ["-n"] if _root() else ["-rn"]
    return subprocess.call(["unshare", *flags, "true"], stderr=subprocess.DEVNULL) == 0


def _root() -> bool:
    import os

    return os.geteuid() == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs unshare -n (network namespaces), strace and ip")
def test_an_outward_connect_inside_the_namespace_is_counted(tmp_path: Path) -> None:
    flags = "-n" if _root() else "-rn"
    script = tmp_path / "demo.py"
    script.write_text(_DEMO)
    out = subprocess.run(["unshare", flags, "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh",
                          sys.executable, str(script), str(tmp_path / "peer"), "19101"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["urls"] == {"base_url": "http://127.0.0.1:19101/v1"}
    assert result["provenance"]["network"] == "loopback only, outward connection attempts: 1"
    assert result["provenance"]["outward_connection_attempts"][0].startswith("10.255.255.1:80 (AF_INET, pid ")
    network = json.loads((tmp_path / "peer" / "trace" / "network.json").read_text())
    assert network["isolated"] is True and len(network["outward"]) == 1
    assert network["connect_calls"] >= 1  # every connect() is counted, the outward one among them


def _fake_record(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, network: dict[str, object] | None,
                 code: int) -> list[list[str]]:
    """Run `commands.record` with `conformance record` replaced by a stand-in that leaves `network.json`."""
    from conformance.servers.peers import commands

    calls: list[list[str]] = []

    def call(argv: list[str], env: dict[str, str] | None = None) -> int:
        calls.append(argv)
        if argv[:3] == ["ip", "link", "set"]:
            return 0
        if network is not None and env is not None:
            (Path(env[runtime.TRACE_DIR_ENV]) / "network.json").write_text(json.dumps(network))
        return code

    monkeypatch.setenv("CONFORMANCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(commands, "loopback_only", lambda: True)
    monkeypatch.setattr(commands.subprocess, "call", call)
    return calls


def test_record_fails_on_an_outward_attempt_naming_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from conformance.servers.peers import commands

    away = {"isolated": True, "connect_calls": 3, "outward": ["10.255.255.1:80 (AF_INET, pid 7, -1 ENETUNREACH)"]}
    calls = _fake_record(monkeypatch, tmp_path, away, EXIT_OK)
    assert commands.record("infinity", ["-q"]) == EXIT_BROKEN
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["peers: infinity: 1 outward connection attempt(s), first to 10.255.255.1:80 (AF_INET, pid 7, -1 "
                   f"ENETUNREACH): recording failed (traces in {tmp_path.resolve()}/peers/infinity/logs/last-record)"]
    record = calls[-1]
    assert record[1:6] == ["-m", "conformance", "record", "--target", "infinity"]
    assert "--report-dir" in record  # the peer's own report folder, never the shipped reports/


def test_record_passes_a_clean_recording_and_a_start_failure(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    from conformance.servers.peers import commands

    clean = {"isolated": True, "connect_calls": 2, "outward": []}
    _fake_record(monkeypatch, tmp_path, clean, EXIT_BROKEN)
    assert commands.record("infinity", []) == EXIT_OK  # a broken claim is a finding of the report
    _fake_record(monkeypatch, tmp_path, None, EXIT_USAGE)
    assert commands.record("infinity", []) == EXIT_USAGE
