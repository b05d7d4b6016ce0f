"""Run options, declared once: the `conformance` command and the pytest plugin both build their flags from here.

`RUN_OPTIONS` is the single declaration; `add_cli_options` / `add_pytest_options` turn it into argparse flags
(`--retries`) and pytest options (`--conformance-retries`); `RunOptions` is the typed value both produce.
This module imports nothing of the package at import time: pytest loads the plugin, and with it these
declarations, in every project of the environment (tests/test_plugin.py keeps the choices equal to the enums).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .grading import FailOn
    from .profiles.adhoc import TargetFlags
    from .runner.settings import Mode, RunSettings

MODES = ("replay", "record", "live")  # runner.settings.Mode
FAIL_ON = ("broken-claim", "fail", "deviation")  # grading.FailOn
AUTH = ("bearer", "api-key", "none")  # profiles.schema.AUTH_SCHEMES
DEFAULT_TIMEOUT = 60.0  # runner.settings.DEFAULT_TIMEOUT (tests/test_plugin.py keeps them equal)
GENERATED_CASES = 2  # runner.settings.GENERATED_CASES (tests/test_budget_goal.py keeps them equal)
AUTO_BASELINE = "auto"  # the command's default: the report the run replaces, when there is one
NO_BASELINE = "none"


@dataclass(frozen=True)
class Option:
    """One option: its name (attribute and flag stem), help, value type and default.

    `kind` is "str", "int", "float", "path", "flag" (store_true) or "list" (repeatable); `cli_default` differs from
    `default` where the command has a friendlier default than plain pytest (reports/ is written by default by the
    command).
    """

    name: str
    help: str
    kind: str = "str"
    default: Any = None
    cli_default: Any = None
    choices: tuple[str, ...] = ()
    short: str = ""
    metavar: str | None = None
    cli: bool = True

    @property
    def flag(self) -> str:
        """The command's flag, e.g. --cassette-dir."""
        return "--" + self.name.replace("_", "-")

    @property
    def pytest_flag(self) -> str:
        """The pytest option, e.g. --conformance-cassette-dir."""
        return "--conformance-" + self.name.replace("_", "-")


_TYPES: dict[str, Callable[[str], Any]] = {"str": str, "int": int, "path": Path, "float": float}

RUN_OPTIONS: tuple[Option, ...] = (
    Option("target", "target profile (bundled name or TOML path); repeatable. Default: every bundled target with "
           "cassettes (replay)", "list", short="-t", metavar="NAME|PATH"),
    Option("mode", "replay cassettes (default; live for an ad-hoc target), record them, or run live without "
           "writing", choices=MODES),
    Option("base_url", "override the target's base URL (every surface)"),
    Option("endpoint", "endpoint generation from the profile (e.g. legacy)"),
    Option("cassette_dir", "cassette root (default: ./cassettes, else the checkout's)", "path"),
    Option("report_dir", "write compat.json, compat.md and junit.xml here", "path", cli_default=Path("reports")),
    Option("skip_missing", "a request with no recording is SKIP instead of ERROR", "flag", default=False),
    Option("retries", "bounded retries for 429/5xx/transport errors, honouring Retry-After (default 2)", "int",
           default=2),
    Option("repeat", "live only: run each feature K times; report pass@k, pass^k and FLAKY", "int", default=1,
           metavar="K"),
    Option("explore", "live only: N random hypothesis examples per generated row (never recorded)", "int",
           default=0, metavar="N"),
    # issue 13: the live budget goal; the same cases in every mode, so replay reads exactly what record wrote
    Option("generated_cases", f"how many of the fixed hypothesis examples each generated row sends, in every mode "
           f"(default {GENERATED_CASES}; replay needs cassettes recorded with at least as many)", "int",
           default=GENERATED_CASES, metavar="N"),
    # issue 15: the hard budget of live and record runs (defaults from the profile's [budget]; ignored in replay)
    Option("max_requests", "live/record: never send a request that could take the run past N requests (default: the "
           "profile's [budget]); rows left out are SKIP budget", "int", metavar="N"),
    Option("max_tokens", "live/record: never send a request whose token bound could take the run past T tokens "
           "(default: the profile's [budget])", "int", metavar="T"),
    # issue 12
    Option("timeout", f"total deadline of one exchange (request and body, stream, WebSocket session) in seconds; "
           f"the idle deadline (next byte, stream event or frame) is half of it (default {DEFAULT_TIMEOUT:g})",
           "float", default=DEFAULT_TIMEOUT, metavar="SECONDS"),
    Option("max_time", "stop sending after this many seconds of the run: rows not sent by then are ERROR "
           "(default: no limit)", "float", metavar="SECONDS"),
    # issue 10: one line against any endpoint; what fails a run; which surfaces run; where local servers listen.
    Option("model", "chat model; with --base-url and no --target this makes an ad-hoc target (no profile file)",
           metavar="M"),
    Option("embedding_model", "embedding model (embeddings rows are SKIP without one on an ad-hoc target)",
           metavar="E"),
    Option("api_key_env", "read the API key from this environment variable (ad-hoc default: send a dummy key)",
           metavar="VAR"),
    Option("auth", "how the key is sent: bearer (default), api-key, or none (no Authorization header)",
           choices=AUTH),
    Option("header", "extra request header NAME=VALUE, repeatable; VALUE may be ${ENV_VAR}; values of 8+ "
           "characters are scrubbed from recordings", "list", metavar="NAME=VALUE"),
    Option("claims", "ad-hoc target: take the documented claims of this profile (e.g. openai) instead of "
           "'undocumented'", metavar="PROFILE"),
    Option("surface", "only these surfaces, comma-separated (e.g. chat,embeddings); -k still works", "list",
           metavar="S[,S...]"),
    Option("fail_on", "what fails the run: a broken documented claim (default), also any FAIL verdict, or also "
           "any verdict below PASS", choices=FAIL_ON, default=FAIL_ON[0]),
    Option("baseline", "a known report: cells it has fail the run only when they get worse; 'none' turns it off. "
           "Default for the command: the report this run replaces (<report-dir>/compat.json), if any",
           metavar="FILE|none", cli_default=AUTO_BASELINE),
    Option("strict", "judge every cell by --fail-on, even cells the baseline has (third-party broken claims fail "
           "the run)", "flag", default=False),
    Option("port", "first port for a bundled local server (live/record; default: any free port)", "int",
           metavar="PORT"),
)


@dataclass(frozen=True)
class RunOptions:
    """What a run was asked to do, whichever entry point asked; `mode` None means "from pytest-recording's flags"."""

    target: tuple[str, ...] = ()
    mode: Mode | None = None
    base_url: str | None = None
    endpoint: str | None = None
    cassette_dir: Path | None = None
    report_dir: Path | None = None
    skip_missing: bool = False
    retries: int = 2
    repeat: int = 1
    explore: int = 0
    generated_cases: int = GENERATED_CASES
    max_requests: int | None = None
    max_tokens: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_time: float | None = None
    # issue 10 (None: the defaults, TargetFlags() and FailOn.BROKEN_CLAIM)
    flags: TargetFlags | None = None
    surface: tuple[str, ...] = ()
    fail_on: FailOn | None = None
    baseline: str | None = None
    strict: bool = False
    port: int | None = None

    @property
    def target_flags(self) -> TargetFlags:
        """The flags that describe an ad-hoc target or adjust --target's profile."""
        from .profiles.adhoc import TargetFlags

        return self.flags or TargetFlags()

    @property
    def policy(self) -> FailOn:
        """What fails the run (--fail-on)."""
        from .grading import FailOn

        return self.fail_on or FailOn.BROKEN_CLAIM

    @property
    def adhoc(self) -> bool:
        """An ad-hoc target: a --base-url and no --target (no profile file)."""
        return bool(self.base_url) and not self.target

    def problems(self, mode: Mode) -> list[str]:
        """Every bad value, one line each naming the option (checked before anything is sent or replayed)."""
        from .catalogue.model import Surface
        from .runner.settings import Mode

        found = []
        if self.retries < 0:
            found.append(f"--retries {self.retries}: must be 0 or more")
        if self.repeat < 1 or (self.repeat > 1 and mode is not Mode.LIVE):
            found.append("--repeat K needs K >= 1, and K > 1 only in live mode (cassettes hold one run)")
        if self.explore < 0 or (self.explore and mode is not Mode.LIVE):
            found.append("--explore N is live only: random examples are never recorded or replayed")
        from .probes.generation import REPLAY_EXAMPLES

        if not 1 <= self.generated_cases <= REPLAY_EXAMPLES:
            found.append(f"--generated-cases {self.generated_cases}: must be 1 to {REPLAY_EXAMPLES} (the fixed "
                         f"examples there are)")
        for flag, value in (("--max-requests", self.max_requests), ("--max-tokens", self.max_tokens)):
            if value is not None and value < 1:
                found.append(f"{flag} {value}: must be 1 or more (it limits what a live run may send)")
        if not 0 < self.timeout < float("inf"):
            found.append(f"--timeout {self.timeout:g}: must be a number of seconds above 0")
        if self.max_time is not None and not 0 < self.max_time < float("inf"):
            found.append(f"--max-time {self.max_time:g}: must be a number of seconds above 0")
        if mode is Mode.REPLAY and self.cassette_dir is not None and not self.cassette_dir.is_dir():
            found.append(f"--cassette-dir {self.cassette_dir}: no such folder (replay reads cassettes from it)")
        known = sorted(s.value for s in Surface)
        found += [f"--surface {s}: no such surface (known: {', '.join(known)})" for s in self.surface if s not in known]
        if self.base_url and len(self.target) > 1:
            found.append("--base-url points one target at a URL: give at most one --target")
        if self.port is not None and not 0 < self.port < 65536:
            found.append(f"--port {self.port}: must be a TCP port (1-65535)")
        flags = self.target_flags
        if self.adhoc and not flags.model:
            found.append("an ad-hoc target (--base-url without --target) needs --model M (the chat model)")
        if not self.adhoc and not self.target and flags.adjusting():
            found.append(f"{flags.adjusting()[0]} needs --base-url (an ad-hoc target) or --target")
        return found

    def settings(self, mode: Mode, cassette_root: Path, run_ends: float | None = None) -> RunSettings:
        """The runner's settings for these options; `run_ends` is when --max-time runs out (a monotonic time)."""
        from .runner.policy import AttemptPolicy
        from .runner.settings import RunSettings

        return RunSettings(mode=mode, base_url=self.base_url, endpoint=self.endpoint, cassette_root=cassette_root,
                           skip_missing=self.skip_missing, policy=AttemptPolicy(self.retries), explore=self.explore,
                           generated_cases=self.generated_cases, max_requests=self.max_requests,
                           max_tokens=self.max_tokens, timeout=self.timeout, run_ends=run_ends, max_time=self.max_time)

    def baseline_path(self) -> Path | None:
        """The baseline report: --baseline FILE, or (the command's default) the report this run replaces."""
        if self.baseline in (None, "", NO_BASELINE):
            return None
        if self.baseline == AUTO_BASELINE:
            replaced = (self.report_dir or Path("reports")) / "compat.json"
            return replaced if replaced.is_file() else None
        return Path(self.baseline)


def _kwargs(opt: Option, default: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"help": opt.help, "default": default}
    if opt.kind == "flag":
        kwargs["action"] = "store_true"
    elif opt.kind == "list":
        kwargs.update(action="append", default=[])
    else:
        kwargs["type"] = _TYPES[opt.kind]
    if opt.choices:
        kwargs["choices"] = opt.choices
    if opt.metavar:
        kwargs["metavar"] = opt.metavar
    return kwargs


def add_cli_options(parser: argparse.ArgumentParser, *, skip: tuple[str, ...] = ()) -> None:
    """Add every run option to a subcommand's parser (`skip` names options the subcommand fixes itself)."""
    for opt in RUN_OPTIONS:
        if opt.cli and opt.name not in skip:
            default = opt.cli_default if opt.cli_default is not None else opt.default
            flags = (opt.flag, opt.short) if opt.short else (opt.flag,)
            parser.add_argument(*flags, dest=opt.name, **_kwargs(opt, default))


def add_pytest_options(group: Any) -> None:
    """Register every run option on a pytest option group as --conformance-<name>."""
    for opt in RUN_OPTIONS:
        group.addoption(opt.pytest_flag, dest=f"conformance_{opt.name}", **_kwargs(opt, opt.default))


def _items(values: Any) -> tuple[str, ...]:
    """A repeatable option's values, comma-separated ones split (`--surface chat,embeddings`)."""
    return tuple(part.strip() for value in values or () for part in str(value).split(",") if part.strip())


def run_options(values: Callable[[str], Any], mode: Mode | None = None) -> RunOptions:
    """Typed options from a getter by option name (argparse namespace or pytest config); `mode` fixes the mode."""
    from .grading import FailOn
    from .profiles.adhoc import TargetFlags
    from .runner.settings import Mode

    got = {opt.name: values(opt.name) for opt in RUN_OPTIONS}
    chosen = mode or (Mode(got["mode"]) if got.get("mode") else None)
    flags = TargetFlags(base_url=got["base_url"], model=got["model"], embedding_model=got["embedding_model"],
                        api_key_env=got["api_key_env"], auth=got["auth"], headers=tuple(got["header"] or ()),
                        claims=got["claims"])
    return RunOptions(
        target=tuple(got["target"] or ()), mode=chosen, base_url=got["base_url"], endpoint=got["endpoint"],
        cassette_dir=got["cassette_dir"], report_dir=got["report_dir"], skip_missing=bool(got["skip_missing"]),
        retries=int(got["retries"]), repeat=int(got["repeat"]), explore=int(got["explore"]),
        generated_cases=int(got["generated_cases"]),
        max_requests=_optional_int(got["max_requests"]), max_tokens=_optional_int(got["max_tokens"]),
        timeout=float(got["timeout"]), max_time=None if got["max_time"] is None else float(got["max_time"]),
        flags=flags, surface=_items(got["surface"]), fail_on=FailOn(got["fail_on"] or FailOn.BROKEN_CLAIM.value),
        baseline=got["baseline"], strict=bool(got["strict"]), port=got["port"],
    )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def from_namespace(args: argparse.Namespace, mode: Mode | None = None) -> RunOptions:
    """Typed options from the command's parsed arguments."""
    return run_options(lambda name: getattr(args, name, None), mode)


def from_pytest(config: Any) -> RunOptions:
    """Typed options from pytest's --conformance-* options."""
    return run_options(lambda name: config.getoption(f"conformance_{name}"))
