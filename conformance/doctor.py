"""`conformance doctor`: what a live run of one target would send, checked offline; `--ping` sends one cheap request.

It shows, per surface, the URL, the auth header form and the extra headers (secrets masked), the model per
capability and the Realtime WebSocket URL with its query; which environment variables it read and whether each
looks right; and the live plan: every request the selected rows would send, with its bound (runner.budget), against
the budget. Nothing is sent unless `--ping` asks for the models list; its usual failures get one line each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .catalogue import FEATURES, Feature
from .grading import doctor_exit_code, is_transient
from .options import RunOptions
from .probes import REQUESTS
from .profiles import TargetProfile, load_profile
from .realtime.proxy import map_url, realtime_url
from .runner import AttemptPolicy, Mode, TargetRun, resolve_endpoints
from .runner.budget import Bound, bound, surface_of
from .runner.policy import first_line

SUITE_DIR = Path(__file__).resolve().parent / "suite"
AUTHORIZATION = "Authorization"
KEY_PLACEHOLDER = "<API_KEY>"

PREFLIGHT = 1  # a live run first sends one short GET /models (runner.preflight); it spends the budget too


@dataclass(frozen=True)
class SurfaceView:
    """One surface: the base URL its requests are sent to and the model of each capability its requests use."""

    surface: str
    url: str
    models: dict[str, str]


@dataclass(frozen=True)
class EnvView:
    """One environment variable: whether it is set and what its value looks like (never the value)."""

    env: str
    state: str
    note: str
    problem: bool = False


@dataclass(frozen=True)
class Step:
    """One named request of the plan, the rows that read it and its bound."""

    request: str
    rows: tuple[str, ...]
    bound: Bound


@dataclass
class Diagnosis:
    """Everything `doctor` found out without sending anything."""

    profile: TargetProfile
    endpoint: str
    auth: str
    headers: dict[str, str]
    surfaces: list[SurfaceView]
    realtime: str
    env: list[EnvView]
    plan: list[Step]
    repeat: int
    max_requests: int | None
    max_tokens: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def totals(self) -> Bound:
        """The whole plan (times --repeat): requests at most and expected, output limits, prompt estimate."""
        k = self.repeat
        return Bound(requests=PREFLIGHT + k * sum(s.bound.requests for s in self.plan),
                     expected=PREFLIGHT + k * sum(s.bound.expected for s in self.plan),
                     completion=k * sum(s.bound.completion for s in self.plan),
                     prompt=k * sum(s.bound.prompt for s in self.plan))

    def not_sent(self) -> list[str]:
        """Requests the budget would refuse, as the engine does: in run order, each charged at its bound."""
        spent_requests, spent_tokens = PREFLIGHT, 0
        refused = []
        for _ in range(self.repeat):
            for step in self.plan:
                over_requests = self.max_requests is not None and \
                    spent_requests + step.bound.requests > self.max_requests
                over_tokens = self.max_tokens is not None and spent_tokens + step.bound.tokens > self.max_tokens
                if over_requests or over_tokens:
                    refused.append(step.request)
                    continue
                spent_requests += step.bound.requests
                spent_tokens += step.bound.tokens
        return refused

    @property
    def problems(self) -> list[str]:
        """What a live run would trip over (one line each)."""
        found = [f"{e.env}: {e.note}" for e in self.env if e.problem]
        refused = self.not_sent()
        if refused:
            found.append(f"the budget would leave {len(refused)} request(s) unsent (first: {refused[0]}); raise "
                         "--max-requests / --max-tokens or select fewer rows with -k")
        return found

    def lines(self) -> list[str]:
        """The human-readable report."""
        p = self.profile
        out = [f"target {p.name} ({p.title}), endpoint generation {self.endpoint}"]
        out += [f"  note: {n}" for n in self.notes]
        extra = "; ".join(f"{k}: {v}" for k, v in self.headers.items()) or "none"
        out += ["", "every request carries (secrets masked):", f"  {AUTHORIZATION}: {self.auth}",
                f"  extra headers: {extra}", "", "surfaces:"]
        for view in self.surfaces:
            models = ", ".join(f"{cap} {m}" for cap, m in view.models.items()) or "no model"
            out.append(f"  {view.surface:14} {view.url}")
            out.append(f"  {'':14} models: {models}")
        if self.realtime:
            out.append(f"  {'realtime':14} {self.realtime}")
        out += ["", "environment:"]
        out += [f"  {e.env:22} {e.state:8} {'PROBLEM: ' if e.problem else ''}{e.note}" for e in self.env] or \
            ["  (the profile reads no environment variable)"]
        total = self.totals
        out += ["", f"live plan: {len(self.plan)} named requests for "
                    f"{len({r for s in self.plan for r in s.rows})} rows"
                    + (f", each row {self.repeat} times (--repeat)" if self.repeat > 1 else "")]
        out.append(f"  {'request':32} {'sends':>6} {'at most':>8} {'output':>7} {'prompt':>7}  rows")
        out.append(f"  {'(preflight GET /models)':32} {PREFLIGHT:>6} {PREFLIGHT:>8} {0:>7} {0:>7}  "
                   "before the first row")
        for step in self.plan:
            b = step.bound
            out.append(f"  {step.request:32} {b.expected:>6} {b.requests:>8} {b.completion:>7} {b.prompt:>7}  "
                       f"{', '.join(step.rows)}")
        out.append(f"  {'total':32} {total.expected:>6} {total.requests:>8} {total.completion:>7} {total.prompt:>7}")
        out.append(f"  requests: {total.expected} (at most {total.requests}, with every retry and every poll "
                   f"running to poll_timeout); tokens: at most {total.tokens} ({total.completion} of output limits "
                   f"+ {total.prompt} of prompt estimate, one token per byte of prompt material)")
        limits = f"--max-requests {self.max_requests or 'none'}, --max-tokens {self.max_tokens or 'none'}"
        refused = self.not_sent()
        out.append(f"  budget: {limits}: " + ("the whole plan fits" if not refused else
                                              f"{len(refused)} request(s) would not be sent: {', '.join(refused)}"))
        return out


# --- environment ------------------------------------------------------------------------------------------------


def _value_shape(value: str) -> str:
    return f"{len(value)} characters"


def _var_view(var: Any) -> EnvView:
    value = os.environ.get(var.env)
    what = var.kind or f"the {{{var.name}}} variable"
    if not value:
        if var.default:
            return EnvView(var.env, "unset", f"the profile's default is used for {what}")
        return EnvView(var.env, "MISSING", f"needed for {what} (live and record runs refuse to start)", True)
    if value != value.strip() or any(c in value for c in "\"'<>"):
        return EnvView(var.env, "set", f"{_value_shape(value)} with spaces, quotes or <> around {what}", True)
    if var.pattern and not re.fullmatch(var.pattern, value):
        return EnvView(var.env, "set", f"{_value_shape(value)}: does not look like {what} "
                                       f"(expected {var.pattern})", True)
    looks = f", looks like {what}" if var.pattern else ""
    secret = "; secret: replaced by " + var.placeholder + " in recordings and reports" if var.secret else ""
    return EnvView(var.env, "set", f"{_value_shape(value)}{looks}{secret}")


def _key_views(profile: TargetProfile) -> list[EnvView]:
    views = []
    chosen = next((e for e in profile.key_env if os.environ.get(e)), None)
    for env in profile.key_env:
        value = os.environ.get(env, "")
        if not value:
            state = "unset" if chosen or profile.default_key else "MISSING"
            note = "not read (another key variable is set)" if chosen else \
                ("the profile's default key is used" if profile.default_key else
                 f"one of {', '.join(profile.key_env)} is needed for live and record runs")
            views.append(EnvView(env, state, note, state == "MISSING" and env == profile.key_env[-1]))
            continue
        if env != chosen:
            views.append(EnvView(env, "set", f"ignored: {chosen} comes first"))
            continue
        kind = profile.key_kind(value)
        scheme = "api-key" if profile.auth_scheme == "api-key" else "bearer"
        if not profile.key_kinds:
            views.append(EnvView(env, "set", f"{_value_shape(value)}, sent as {AUTHORIZATION}: "
                                             f"{profile.auth_header(KEY_PLACEHOLDER)}"))
        elif kind is None:
            known = "; ".join(f"{k.prefix}… is {k.kind}" for k in profile.key_kinds)
            views.append(EnvView(env, "set", f"{_value_shape(value)}: its prefix matches no known kind ({known})",
                                 True))
        elif scheme not in kind.schemes:
            views.append(EnvView(env, "set", f"{kind.kind} ({kind.prefix}…), which goes with "
                                             f"{' or '.join(kind.schemes)} ({kind.source}), but the profile sends "
                                             f"[auth] scheme {scheme}", True))
        else:
            views.append(EnvView(env, "set", f"{kind.kind} ({kind.prefix}…, {len(value)} characters): sent as "
                                             f"{profile.auth_header(KEY_PLACEHOLDER)}, which it accepts "
                                             f"({kind.source})"))
    return views


# --- selection ----------------------------------------------------------------------------------------------------


class _Collector:
    """A pytest plugin that keeps the feature ids of the collected suite items."""

    def __init__(self) -> None:
        self.features: list[str] = []

    def pytest_collection_finish(self, session: Any) -> None:
        """Remember every selected item's feature id."""
        for item in session.items:
            feature = getattr(item, "callspec", None)
            if feature is not None and "feature" in feature.params:
                self.features.append(feature.params["feature"].id)


def selected_rows(target: str, keyword: str | None) -> list[Feature]:
    """The catalogue rows `conformance run -k KEYWORD --target TARGET` would run (pytest's own -k, collect only)."""
    if not keyword:
        return list(FEATURES)
    import pytest

    collector = _Collector()
    argv = [str(SUITE_DIR), "--collect-only", "-qq", "-p", "no:cacheprovider", "--rootdir", str(SUITE_DIR),
            "-c", str(SUITE_DIR / "pytest.ini"), "--conformance-target", target, "--conformance-mode", "replay",
            "-k", keyword]
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(argv, plugins=[collector])
    wanted = set(collector.features)
    return [f for f in FEATURES if f.id in wanted]


# --- the diagnosis ------------------------------------------------------------------------------------------------


def masked_values(profile: TargetProfile) -> dict[str, str]:
    """Template values for display: secret variables as their placeholder, others as set (or `<unset ENV>`)."""
    values = {}
    for var in profile.variables:
        value = os.environ.get(var.env) or var.default
        values[var.name] = var.placeholder if var.secret or not value else value
    return values


def realtime_handshake(base: str, model: str) -> str:
    """The WebSocket URL a run opens: the target's realtime URL with the SDK's `?model=` (target keys win).

    The SDK percent-encodes the model; a placeholder in it (`<FOLDER_ID>`) is shown plainly.
    """
    url = map_url(realtime_url(base), "/realtime?" + urlencode({"model": model}))
    return re.sub(r"%3C([A-Z][A-Z0-9_]*)%3E", r"<\1>", url)


def diagnose(options: RunOptions, keyword: str | None = None) -> Diagnosis:
    """What a live run of the one target in `options` would send (nothing is sent)."""
    profile = load_profile(options.target[0])
    endpoints = resolve_endpoints(profile, options.endpoint, base_url=options.base_url)
    values = masked_values(profile)
    run_options: dict[str, Any] = {**profile.options, "explore": options.explore,
                                   "generated_cases": options.generated_cases}
    headers = profile.request_headers(values, KEY_PLACEHOLDER)
    auth = headers.pop(AUTHORIZATION, None) or f"{profile.auth_header(KEY_PLACEHOLDER)} (the SDK's scheme)"
    rows = selected_rows(options.target[0], keyword)
    requests: dict[str, list[str]] = {}
    for feature in rows:
        for name in feature.requests:
            requests.setdefault(name.partition(":")[0], []).append(feature.id)
    policy = options.settings(Mode.LIVE, Path(".")).policy
    plan = [Step(name, tuple(dict.fromkeys(ids)), bound(REQUESTS.get(name), run_options, policy))
            for name, ids in requests.items()]
    surfaces: dict[str, dict[str, str]] = {}
    for step in plan:
        spec = REQUESTS.get(step.request)
        template = profile.model_template(spec.capability)
        for surface in (surface_of(step.request), *spec.surfaces):  # a shared flow calls each at its own URL
            used = surfaces.setdefault(surface, {})
            if template and spec.capability != "realtime":
                used[spec.capability] = profile.render(template, values)
    realtime_model = profile.render(str(profile.models.get("realtime") or profile.options.get("realtime_model") or ""),
                                    values)
    views = [SurfaceView(s, endpoints.url(s), used) for s, used in surfaces.items() if s != "realtime"]
    realtime = realtime_handshake(endpoints.url("realtime"), realtime_model) \
        if "realtime" in surfaces and realtime_model else ""
    limits = (options.max_requests or profile.budget.max_requests, options.max_tokens or profile.budget.max_tokens)
    diagnosis = Diagnosis(profile, endpoints.generation, auth, headers, views, realtime,
                          [_var_view(v) for v in profile.variables] + _key_views(profile), plan, options.repeat,
                          *limits)
    if profile.local_server and not options.base_url:
        diagnosis.notes.append(f"live and record runs start the local server {profile.local_server!r}: it serves "
                               "these URLs on 127.0.0.1 ports")
    if options.base_url:
        diagnosis.notes.append(f"--base-url sends every surface to {options.base_url}")
    return diagnosis


# --- ping ---------------------------------------------------------------------------------------------------------


def _message(text: str) -> str:
    try:
        error = json.loads(text).get("error")
        message = error.get("message") if isinstance(error, dict) else error
    except (ValueError, AttributeError):
        message = None
    return str(message or text.strip() or "(empty body)").splitlines()[0][:200]


def _listed_folders(profile: TargetProfile, body: str) -> tuple[list[str], set[str]]:
    """The model ids listed, and every value a variable takes in ids shaped like the profile's model templates."""
    try:
        ids = [str(m.get("id")) for m in json.loads(body).get("data") or [] if isinstance(m, dict)]
    except (ValueError, AttributeError):
        return [], set()
    seen: set[str] = set()
    for var in profile.variables:
        for template in profile.models.values():
            head, mark, tail = template.partition(f"{{{var.name}}}")
            if mark:
                shape = re.compile(re.escape(head) + r"([^/?#]+)" + re.escape(tail[:1]))
                seen.update(m.group(1) for i in ids if (m := shape.match(i)))
    return ids, seen


def explain(profile: TargetProfile, url: str, status: int | None, body: str, problem: str,
            configured: Mapping[str, str], generations: Mapping[str, str], endpoint: str) -> tuple[str, bool, bool]:
    """One line for a models-list answer; and whether it is a problem, and whether it is inconclusive."""
    if status is None:
        return f"no answer from {url}: {problem or 'transport error'}", False, True
    message = _message(body)
    others = ", ".join(f"{g} {u}" for g, u in generations.items() if g != endpoint)
    if status == 401:
        kinds = "; ".join(f"{k.kind} ({k.prefix}…) goes as {' or '.join(k.schemes)} ({k.source})"
                          for k in profile.key_kinds)
        return (f"401 Unauthorized ({message}): the key or its scheme was refused; {profile.auth_scheme} sends "
                f"{profile.auth_header(KEY_PLACEHOLDER)}; check {' or '.join(profile.key_env) or 'the key'}"
                + (f"; {kinds}" if kinds else "")), True, False
    if status == 403:
        roles = profile.roles or "check the key's permissions for this endpoint"
        return f"403 Forbidden ({message}): the key is valid but lacks a role or scope: {roles}", True, False
    if status == 404:
        hint = f"; the profile's other endpoint generations: {others} (--endpoint)" if others else ""
        return (f"404 Not Found ({message}) at {url}: nothing serves the models list there: a wrong endpoint "
                f"generation or base URL{hint}"), True, False
    if status >= 400 and "folder" in message.lower():
        return (f"{status} ({message}): the folder in the model URIs is not the key's folder: set "
                f"{', '.join(v.env for v in profile.variables)} to the folder the key belongs to"), True, False
    if is_transient(status):
        return f"{status} ({message}): inconclusive (rate limit or server error); try again later", False, True
    if status >= 400:
        return f"HTTP {status} ({message}): the models list was refused", True, False
    ids, folders = _listed_folders(profile, body)
    mine = {v for v in configured.values() if v}
    if folders and mine and not folders & mine:
        return (f"200 OK, but the {len(ids)} listed models are in another folder than "
                f"{', '.join(v.env for v in profile.variables)} names: the folder in the model URIs is not the "
                "key's folder; set it to the key's folder"), True, False
    return f"200 OK: {len(ids)} models listed at {url}", False, False


def ping(options: RunOptions) -> tuple[str, bool, bool]:
    """Send the models list once, live, as a run would (local server included); explain the answer in one line."""
    profile = load_profile(options.target[0])
    local = None
    stop = None
    if profile.local_server and options.base_url is None:
        from .servers import start_server

        server = start_server(profile.local_server)
        local, stop = server.urls, server.stop
    try:
        settings = dataclasses.replace(options.settings(Mode.LIVE, Path(".")), timeout=15.0, policy=AttemptPolicy(0),
                                       preflight=False)
        run = TargetRun(profile, settings, local_urls=local)
        sent = run.send("models.list")
        ex = sent.exchange
        configured = {v.name: os.environ.get(v.env, "") for v in profile.variables if v.secret}
        generations = {g: urls["base_url"] for g, urls in profile.endpoints.items()}
        real_url = resolve_endpoints(profile, options.endpoint, base_url=options.base_url).url("models") + "/models"
        line, problem, inconclusive = explain(profile, real_url, ex.status if ex else None, ex.text if ex else "",
                                              sent.problem, configured, generations, run.endpoint)
        return run.scrubber.text(line), problem, inconclusive
    except Exception as exc:  # noqa: BLE001 - one line, whatever went wrong on the way
        return f"ping failed before an answer: {first_line(exc)}", False, True
    finally:
        if stop is not None:
            stop()


def run_doctor(options: RunOptions, keyword: str | None, send_ping: bool) -> tuple[list[str], int]:
    """The report lines and the exit code (grading.doctor_exit_code)."""
    diagnosis = diagnose(options, keyword)
    lines = diagnosis.lines()
    problems = diagnosis.problems
    inconclusive = False
    if send_ping:
        line, failed, inconclusive = ping(options)
        lines += ["", f"ping (GET models, one request): {line}"]
        problems = [*problems, line] if failed else problems
    lines += ["", f"doctor: {len(problems)} problem(s)" + (": " + "; ".join(problems) if problems else "")]
    return lines, doctor_exit_code(len(problems), inconclusive)
