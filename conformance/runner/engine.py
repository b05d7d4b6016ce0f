"""TargetRun: send each named request once (live, record or replay), run each feature's checks, grade it."""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import openai

from ..catalogue import Feature
from ..checks import CheckContext
from ..checks.common import SHAPE_CHECKS, SHAPE_REFERENCE, shape_schema
from ..errors import CassetteError
from ..failures import Evidence
from ..grading import (
    Decided,
    Problem,
    assess,
    extension_socket_problem,
    grade,
    is_refusal,
    is_transient,
    no_socket_route,
    problem_verdict,
    refusal_verdict,
    status_problem,
    surface_shape_only,
    transient_problem,
    unsent,
    witness_problem,
)
from ..probes import REQUESTS, ProbeIO, RequestSpec
from ..profiles import TargetProfile
from ..profiles.model import MODEL_FALLBACK as _FALLBACK
from ..realtime.events import REALTIME, RESPONSES, USAGE_EVENTS
from ..realtime.frames import SERVER, WsSession
from ..recording.cassettes import Recorder, commit, discard
from ..recording.scrub import SECRET_HEADERS, Scrubber
from ..schemas import defects, violations
from ..verdicts import Outcome, Verdict
from ..wire.capture import CaptureTransport
from ..wire.chunks import ChunkLog, LoggingPool
from ..wire.cookies import no_cookies
from ..wire.deadlines import DeadlinePool, Limits
from ..wire.endpoints import names_resource
from ..wire.exchange import Exchange, error_about_reference
from ..wire.reproduce import Access, curl, realtime_snippet
from .breaker import Breaker
from .budget import Budget
from .checking import placeholder, run_check
from .endpoints import Endpoints, resolve_endpoints
from .policy import first_line
from .preflight import preflight
from .results import CheckResult, FeatureResult, TargetInfo
from .settings import Mode, RunSettings
from .ws import WsTarget, run_ws

_ENVELOPE_CHECKS = ("errors.envelope", "errors.envelope_complete")
_NO_RECORDING = "CannotOverwriteExistingCassetteException"
CLEANUP = "cleanup"


@dataclass
class Sent:
    """The final exchange of a named request, or why there is none (verdict SKIP or ERROR).

    `steps` holds a flow's labelled exchanges under `<request>:<label>` (last one per label); `kind` says which
    Problem made it ERROR or SKIP (None when the request got an answer to check); `unconfigured` the steps a flow
    left out for want of a model (`<request>:<label>` -> why).
    """

    exchange: Exchange | None
    problem: str = ""
    verdict: Verdict | None = None
    steps: dict[str, Exchange] = field(default_factory=dict)
    kind: Problem | None = None
    unconfigured: dict[str, str] = field(default_factory=dict)


def failed(kind: Problem, problem: str, exchange: Exchange | None = None, *, skip_missing: bool = False) -> Sent:
    """A request that produced nothing to check, with its verdict from grading's policy."""
    return Sent(exchange, problem, problem_verdict(kind, skip_missing=skip_missing), kind=kind)


def _drop_authorization(request: httpx2.Request) -> None:
    """Auth scheme "none": the request goes without an Authorization header (the SDK always builds one)."""
    request.headers.pop("Authorization", None)


def _cleanup(name: str) -> bool:
    """The exchanges of a flow's cleanup: never a check's evidence."""
    return name.endswith(f":{CLEANUP}")


def _no_recording(exc: BaseException) -> bool:
    while exc is not None:
        if type(exc).__name__ == _NO_RECORDING:
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def _cassette_error(exc: BaseException) -> CassetteError | None:
    while exc is not None:
        if isinstance(exc, CassetteError):
            return exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return None


class TargetRun:
    """One target in one mode: a request cache shared by all features, and per-target stats.

    `settings` are resolved by the entry point; `local_urls` are the base URLs of a local server it started.
    """

    def __init__(self, profile: TargetProfile, settings: RunSettings | None = None, *,
                 local_urls: Mapping[str, str] | None = None) -> None:
        self.profile = profile
        self.settings = settings = settings or RunSettings()
        self.mode = settings.mode
        self.endpoints: Endpoints = resolve_endpoints(profile, settings.endpoint, base_url=settings.base_url,
                                                      local=local_urls)
        self.endpoint = self.endpoints.generation
        self._values = profile.var_values(replay=settings.replay)
        self.models = {cap: profile.render(m, self._values) for cap, m in profile.models.items()}
        self.options: dict[str, Any] = dict(profile.options)
        self.options["model.chat"] = self.models.get("chat")
        self.options["explore"] = settings.explore
        self.options["generated_cases"] = settings.generated_cases
        self._key = profile.api_key(replay=settings.replay)
        self._headers = profile.request_headers(self._values, self._key)
        self.scrubber = Scrubber(profile.secrets(replay=settings.replay), self.endpoints.known)
        inner = httpx2.HTTPTransport()
        if settings.live:  # below vcrpy, which reads a recorded body whole before the SDK sees it
            limits = Limits(settings.timeout, settings.idle, settings.run_ends)
            inner._pool = DeadlinePool(inner._pool, limits)  # type: ignore[assignment]
        chunk_log = ChunkLog() if settings.records else None
        if chunk_log is not None:
            inner._pool = LoggingPool(inner._pool, chunk_log)  # type: ignore[assignment]  # vcrpy hides chunks
        self.capture = CaptureTransport(inner, chunk_log, on_headers=self.scrubber.learn_cookies)
        self._clients: dict[str, openai.OpenAI] = {}
        self._cache: dict[str, Sent] = {}
        self.recorded: list[str] = []
        self.breaker = Breaker()
        self._preflown = not (settings.live and settings.preflight)
        self.restore = {ph: val for val, ph in profile.secrets(replay=False).items()} if settings.replay else {}
        self.recorder: Recorder | None = None
        if settings.mode is not Mode.LIVE:
            root = (settings.cassette_root or Path("cassettes")) / profile.name
            self.recorder = Recorder(root, self.scrubber, self.restore, "none" if settings.replay else "all",
                                     chunk_log)
        self.info = TargetInfo(profile.name, profile.title, settings.mode.value, self.endpoint, profile.origin,
                               label=profile.label)
        self.budget = Budget.for_run(profile, settings, self.options)

    def base_url(self, surface: str) -> str:
        """Base URL used for a surface."""
        return self.endpoints.url(surface)

    def client(self, surface: str) -> openai.OpenAI:
        """The SDK client for a surface (one per distinct base URL): retries off (the suite retries itself), the idle
        deadline as httpx's timeout (the total one is the pool's), and no cookie jar."""
        base = self.base_url(surface)
        idle = self.settings.idle
        if base not in self._clients:
            hooks = {"request": [_drop_authorization]} if self.profile.auth_scheme == "none" else {}
            http = httpx2.Client(transport=self.capture, timeout=idle, cookies=no_cookies(), event_hooks=hooks)
            self._clients[base] = openai.OpenAI(
                api_key=self._key or "missing", base_url=base, max_retries=0, timeout=idle,
                default_headers=self._headers, http_client=http,
            )
        return self._clients[base]

    def model_for(self, capability: str) -> str | None:
        """Configured model for a capability, with tools/structured falling back to chat."""
        if capability == "none":
            return ""
        return self.models.get(capability) or self.models.get(_FALLBACK.get(capability, ""))

    def forget(self, names: tuple[str, ...]) -> None:
        """Drop cached results so the next run of these requests goes to the target again (--repeat)."""
        for name in names:
            self._cache.pop(name.partition(":")[0], None)

    @property
    def stopped(self) -> str:
        """Why nothing more is sent to this target ('' while it runs): breaker, preflight or authentication."""
        return self.breaker.reason

    def _preflight(self) -> None:
        """Before a live target's first request: a short GET /models; no answer or a refused key stops the target."""
        self._preflown = True
        headers = {"Authorization": f"Bearer {self._key or 'missing'}", **self._headers}  # as the SDK sends
        if self.profile.auth_scheme == "none":  # as the SDK's clients send it here: no Authorization at all
            headers.pop("Authorization", None)
        seen = preflight(self.base_url("models").rstrip("/") + "/models", headers, self.settings.preflight_timeout)
        self.info.requests_sent += 1
        self.budget.charge("models", self.info, requests=1)  # the preflight spends the budget like any request
        where = f"preflight GET {self.scrubber.uri(seen.url).replace('https://target.invalid', '')}"
        if seen.status is None:
            self.breaker.stop(Problem.NOT_ANSWERING, self.scrubber.text(
                f"target not answering: {where}: {seen.detail} after {seen.elapsed:.1f} s"))
        elif seen.refused_key:
            self.breaker.stop(Problem.AUTH_FAILED, self.scrubber.text(
                f"authentication failed (scheme {self.profile.auth_scheme}, key from {self.profile.key_source()}): "
                f"HTTP {seen.status} on {where}" + (f": {seen.detail}" if seen.detail else "")))

    def _gate(self) -> Sent | None:
        """A Sent standing for the request when nothing may be sent: the target is stopped or the run is out of time."""
        if self.settings.out_of_time():
            return failed(Problem.OUT_OF_TIME, f"not sent: the run reached its --max-time of "
                                               f"{self.settings.max_time or 0:g} s")
        if not self._preflown:
            self._preflight()
        if self.breaker.open:
            return failed(self.breaker.problem or Problem.NOT_ANSWERING, self.breaker.reason)
        return None

    def send(self, name: str, stand_in: bool = True, related: tuple[str, ...] = ()) -> Sent:
        """Send (or replay) a named request once per run; `flow:label` names one step of a flow.

        A step the flow never sent is, for a row's primary request (`stand_in`), the refusal that stopped the flow
        (graded REJECTED): the first refused step among the row's own (`related`), else the flow's first; for any
        other request it is missing: a check never reads another step's answer.
        """
        base, _, label = name.partition(":")
        if base not in self._cache:
            gated = self._gate()  # the target stopped or the run's time is up: nothing is sent
            if gated is not None:
                self._cache[base] = gated
            else:
                spec = REQUESTS.get(base)
                over = self.budget.refusal(spec)  # checked before anything is sent, with the request's own bound
                with self.budget.meter(spec, self.info):
                    self._cache[base] = failed(Problem.BUDGET, over) if over else self._send(base)
        sent = self._cache[base]
        if not label or sent.verdict is not None:
            return sent
        step = sent.steps.get(name)
        if step is None and name in sent.unconfigured:
            return failed(Problem.NOT_CONFIGURED, sent.unconfigured[name])
        if step is None:
            # The refusal that stopped the flow grades this row (REJECTED); cleanup is never a row's evidence.
            refused = [ex for key, ex in sorted(sent.steps.items(), key=lambda kv: kv[0] not in related)
                       if not _cleanup(key) and ex.status is not None and 400 <= ex.status < 500]
            if refused and stand_in:
                return Sent(refused[0], steps=sent.steps)
            return failed(Problem.MISSING_STEP, f"flow {base} sent no {label!r} request (the step this row reads)")
        return Sent(step, steps=sent.steps)

    def _send(self, name: str) -> Sent:
        spec = REQUESTS.get(name)
        if spec.kind == "ws":
            return self._send_ws(spec)
        model = self.model_for(spec.capability)
        if model is None:
            return failed(Problem.NOT_CONFIGURED, f"no model configured for capability {spec.capability!r}")
        surface = name.split(".", 1)[0]
        client = self.client("models" if surface == "models" else surface)
        if self.recorder is None:
            return self._attempts(spec, client, model)
        path = self.recorder.path_for(name)
        try:
            with self.recorder.cassette(name):
                sent = self._attempts(spec, client, model)
        except CassetteError as exc:
            return failed(Problem.UNREADABLE, str(exc))
        if self.settings.records:
            answered = sent.exchange is not None and sent.exchange.status is not None
            # A conclusive answer replaces the cassette. An inconclusive one (a 5xx after retries) never replaces a
            # previous recording (nothing recorded is lost), but with none to keep it is written, so that replay
            # shows the server's answer (a persistent 500 and its body) instead of "no recording".
            keep = answered and (sent.verdict is None or not path.exists())
            if keep and commit(path):
                self.recorded.append(name)
            else:
                discard(path)
        elif sent.problem == "no recording":
            where = path.relative_to(path.parents[2]) if len(path.parents) > 2 else path
            sent.problem = f"no recording for {name} in {where}"
            if spec.generated:
                sent.problem += ("; its hypothesis-generated requests differ from the recorded ones (hypothesis, "
                                 f"Python or the strategies changed): re-record with `conformance record --target "
                                 f"{self.profile.name}`")
            sent.verdict = problem_verdict(Problem.NO_RECORDING,
                                           skip_missing=self.settings.skip_missing or spec.skip_unrecorded)
            sent.kind = Problem.NO_RECORDING
        return sent

    def _send_ws(self, spec: RequestSpec) -> Sent:
        """A WebSocket session (runner.ws): the Realtime API, or the Responses API's WebSocket mode for a request of
        the responses surface; its WsSession stands in for the Exchange."""
        segment = RESPONSES if spec.name.split(".", 1)[0] == RESPONSES else REALTIME
        model = (self.models.get("realtime") or self.options.get("realtime_model")) if segment == REALTIME else \
            self.model_for(spec.capability)

        def sent() -> None:
            self.info.requests_sent += 1

        target = WsTarget(
            settings=self.settings, client=self.client("chat" if segment == REALTIME else segment),
            model=self.profile.render(str(model), self._values) if model else None,
            models=dict(self.models), options=self.options, base_url=self.base_url(segment),
            cassette=self.recorder.path_for(spec.name) if self.recorder is not None else None,
            scrub=self.scrubber.text, restore=self.restore, sent=sent, recorded=self.recorded.append, segment=segment,
        )
        outcome = run_ws(target, spec)
        for frame in outcome.session.server_frames() if outcome.session is not None else []:
            if frame.kind in USAGE_EVENTS and isinstance(frame.event, dict):
                response = frame.event.get("response")
                self._add_usage(response.get("usage") if isinstance(response, dict) else None)
        self._observe(outcome.kind, outcome.problem,
                      outcome.session is not None and outcome.session.status is not None)
        return Sent(outcome.session, outcome.problem, outcome.verdict, kind=outcome.kind)  # type: ignore[arg-type]

    def _observe(self, kind: Problem | None, problem: str, answered: bool) -> None:
        """Feed the breaker one live attempt: a transport failure, or an answer with a status."""
        if not self.settings.live:
            return
        if kind is Problem.TRANSPORT:
            self.breaker.failed(problem)
        elif answered:
            self.breaker.answered()

    def _attempts(self, spec: RequestSpec, client: openai.OpenAI, model: str) -> Sent:
        policy = self.settings.policy
        attempt = 0
        while True:
            attempt += 1
            sent = self._once(spec, client, model)
            ex = sent.exchange
            self._observe(sent.kind, sent.problem, ex is not None and ex.status is not None)
            retryable = spec.retry and sent.kind is not Problem.NO_RECORDING and not self.breaker.open
            if ex is None or not policy.again(attempt, ex.status, sent.verdict is not None, retryable):
                break
            self.settings.wait(policy.delay(ex.response_headers, attempt))
            if self.settings.out_of_time():
                break
        if sent.exchange is not None:
            sent.exchange.attempts = attempt
            if is_transient(sent.exchange.status) and sent.verdict is None:
                sent.problem = transient_problem(sent.exchange.status, attempt)
                sent.verdict, sent.kind = problem_verdict(Problem.TRANSIENT), Problem.TRANSIENT
        return sent

    def _probe_io(self, spec: RequestSpec, client: openai.OpenAI, model: str) -> ProbeIO:
        def label(step: str) -> None:
            self.capture.label = f"{spec.name}:{step}" if step else spec.name

        label("")
        models = {cap: m for cap in self.models if (m := self.model_for(cap))}
        return ProbeIO(client, model, self.options, models, self.settings.replay, label, self.settings.sleep,
                       clients=self.client)

    def _cleanup(self, io: ProbeIO) -> None:
        """Delete what a flow left behind; anything that will not go is listed in the report.

        A delete answered 404 finds nothing to delete: the create answered without storing (`not_stored`), nothing
        was left behind.
        """
        with io.step(CLEANUP):
            for resource in reversed(io.resources):
                try:
                    resource.delete()
                except openai.NotFoundError:
                    self.info.not_stored.append(f"{resource.kind} {resource.id}")
                except Exception as exc:  # noqa: BLE001 - the leftover is reported, the run goes on
                    self.info.leftovers.append(f"{resource.kind} {resource.id}: {first_line(exc)}")

    def _once(self, spec: RequestSpec, client: openai.OpenAI, model: str) -> Sent:
        self.capture.take()
        problem, kind, sdk_error, result = "", None, None, None
        io = self._probe_io(spec, client, model)
        try:
            try:
                result = spec.call(io)
            finally:
                self._cleanup(io)
        except openai.APIStatusError:
            pass
        except openai.APIConnectionError as exc:
            cassette = _cassette_error(exc)
            if cassette is not None:
                problem, kind = str(cassette), Problem.UNREADABLE
            elif _no_recording(exc):
                problem, kind = "no recording", Problem.NO_RECORDING
            elif isinstance(exc.__cause__, httpx2.DecodingError):
                # The whole answer arrived but its Content-Encoding lies: the server's fault, not the network's.
                sdk_error = f"body does not match its Content-Encoding ({first_line(exc.__cause__)})"
            else:
                cause = exc.__cause__ or exc
                problem, kind = f"transport error: {first_line(cause)}", Problem.TRANSPORT
        except Exception as exc:  # noqa: BLE001 - whatever the SDK raised while parsing is evidence
            if _no_recording(exc):
                problem, kind = "no recording", Problem.NO_RECORDING
            else:
                sdk_error = first_line(exc)
        exchanges = self.capture.take()
        if not problem and any((ex.transport_error or "").startswith(_NO_RECORDING) for ex in exchanges):
            # a flow swallowed the miss; still no recording
            problem, kind = "no recording", Problem.NO_RECORDING
        for ex in exchanges:
            ex.replayed = self.settings.replay
            self._count_tokens(ex)
            self.info.requests_sent += self.settings.live
        steps = {ex.name: ex for ex in exchanges if ex.name != spec.name}
        plain = [ex for ex in exchanges if ex.name == spec.name]
        evidence = [ex for ex in exchanges if not _cleanup(ex.name)]  # cleanup is never a check's evidence
        exchange = plain[-1] if plain else (evidence[-1] if evidence else None)
        if sdk_error and evidence:
            evidence[-1].sdk_error = sdk_error  # the step the SDK was reading when it gave up
        if exchange is not None:
            exchange.sdk_error = exchange.sdk_error or sdk_error
            exchange.sdk_result = result
            if exchange.status is None and not problem:
                problem, kind = exchange.transport_error or "no response", Problem.TRANSPORT
        elif not problem:
            problem, kind = sdk_error or "no request was sent", Problem.TRANSPORT
        verdict = problem_verdict(kind) if kind is not None else None
        unconfigured = {f"{spec.name}:{label}": why for label, why in io.unconfigured.items()}
        return Sent(exchange, problem, verdict, steps, kind, unconfigured)

    def _count_tokens(self, exchange: Exchange) -> None:
        """Add an answer's usage to the target's totals, whatever the surface: Chat and Embeddings name it
        prompt/completion_tokens, Responses (body, or the terminal stream event's response) input/output_tokens."""
        usage: Any = None
        try:
            if exchange.is_stream:
                for event in reversed(exchange.sse().events):
                    if event.data != "[DONE]":
                        value = json.loads(event.data)
                        carried = value.get("response")
                        usage = value.get("usage") or (carried.get("usage") if isinstance(carried, dict) else None)
                        break
            else:
                usage = exchange.json().get("usage")
        except (ValueError, AttributeError):
            return
        self._add_usage(usage)

    def _add_usage(self, usage: Any) -> None:
        if not isinstance(usage, dict):
            return
        for total, keys in (("prompt_tokens", ("prompt_tokens", "input_tokens")),
                            ("completion_tokens", ("completion_tokens", "output_tokens"))):
            count = next((usage[k] for k in keys if isinstance(usage.get(k), int) and not isinstance(usage[k], bool)),
                         0)
            setattr(self.info, total, getattr(self.info, total) + count)

    def run_feature(self, feature: Feature) -> FeatureResult:
        """Send the feature's requests, run its checks, grade and compare with the claim; never raises.

        Whatever goes wrong in loading, replaying, checking or grading makes the cell ERROR with a one-line reason:
        a report always holds every selected cell.
        """
        try:
            return self._run_feature(feature)
        except Exception as exc:  # noqa: BLE001 - the cell stays, as ERROR, with where it broke
            return self._scrubbed(crashed(self.profile, feature, exc))

    def _run_feature(self, feature: Feature) -> FeatureResult:
        claim = self.profile.claim(feature.id)
        sources = [{"claim": e.claim.value, "source": e.source} for e in self.profile.claim_entries(feature.id)]
        sents = {name: self.send(name, stand_in=name == feature.primary, related=feature.requests)
                 for name in feature.requests}
        primary = sents[feature.primary]
        result = FeatureResult(self.profile.name, feature.id, claim, Verdict.SKIP, assess(claim, Verdict.SKIP),
                               claim_sources=sources)
        result.requests = [s.exchange.summary() + (f" [{s.exchange.timing()}]" if s.exchange.is_stream else "")
                           for s in sents.values() if s.exchange is not None]
        exchanges = {n: s.exchange for n, s in sents.items() if s.exchange is not None}
        for sent in sents.values():
            exchanges.update({n: ex for n, ex in sent.steps.items() if n not in exchanges})
        ctx = CheckContext(feature, exchanges, self.options)
        decided = self._decided(feature, sents)
        if decided is not None:
            outcome = Outcome.SKIPPED if decided.verdict in (Verdict.SKIP, Verdict.REJECTED) else Outcome.ERROR
            result.verdict, result.reason = decided.verdict, decided.reason
            result.not_sent = unsent(primary.kind)
            shown = primary.exchange.summary() if primary.exchange is not None else ""
            result.checks = [placeholder(cid, outcome, decided.reason, shown) for cid in feature.checks]
        elif self._refused(primary.exchange) and not feature.expects_error:
            result.verdict, result.reason, result.checks = self._rejected(ctx)
        else:
            result.checks = [run_check(cid, ctx) for cid in feature.checks]
            self._shape_findings(feature, result, exchanges)
            result.verdict = grade((c.severity, c.outcome) for c in result.checks)
            if primary.exchange is not None and primary.exchange.status and primary.exchange.status >= 400:
                result.reason = f"HTTP {primary.exchange.status}"
        result.agreement = assess(claim, result.verdict)
        result.reproduce = self._reproduction(feature, result, exchanges)
        return self._scrubbed(result.annotate(feature.model_dependent))

    def _scrubbed(self, result: FeatureResult) -> FeatureResult:
        """Evidence quotes live traffic: scrub it like a cassette before any report or log sees it."""
        text = self.scrubber.text
        result.reason = text(result.reason)
        result.reproduce = text(result.reproduce)
        result.requests = [text(r) for r in result.requests]
        for chk in result.checks:
            if chk.evidence is not None:
                ev = chk.evidence
                chk.evidence = Evidence(text(ev.request), text(ev.where), text(ev.expected), text(ev.observed),
                                        tuple(text(d) for d in ev.details))
        return result

    def access(self) -> Access:
        """How a reproduction authenticates: the profile's key variable and scheme; every secret value and its
        recording placeholder become the environment variable that holds it."""
        refs: dict[str, str] = {}
        for var in self.profile.variables:
            if var.secret:
                refs[var.placeholder] = var.env
                if self._values.get(var.name):
                    refs[self._values[var.name]] = var.env
        key_env = self.profile.key_env[0] if self.profile.key_env else "OPENAI_API_KEY"
        if self._key:
            refs[self._key] = key_env
        headers = {k: v for k, v in self._headers.items() if k.lower() != "authorization"}
        for name, value in headers.items():  # a secret header not built from a variable: its own reference
            if name.lower() in SECRET_HEADERS and not any(secret and secret in value for secret in refs):
                refs[value] = re.sub(r"\W", "_", name).upper()
        prefix = "Api-Key " if self.profile.auth_scheme == "api-key" else "Bearer "
        return Access(key_env, "Authorization", prefix, headers, refs)

    def _reproduction(self, feature: Feature, result: FeatureResult, exchanges: dict[str, Any]) -> str:
        """Every non-PASS cell: the command that resends the request its evidence names (principle 1, §2)."""
        if result.verdict in (Verdict.PASS, Verdict.SKIP):
            return ""
        wanted = [c.evidence.request for c in result.problems() if c.evidence is not None and c.evidence.request]
        found = [ex for ex in exchanges.values() if any(ex.summary() == w for w in wanted)]
        ex = found[0] if found else exchanges.get(feature.primary) or next(iter(exchanges.values()), None)
        if ex is None:
            return (f"conformance run --mode live --target {self.profile.name} -k {feature.id}  "
                    "# no request was sent or recorded for this row")
        access = self.access()
        if isinstance(ex, Exchange):
            return curl(ex.method, ex.url, ex.request_body, access)
        events = [f.event for f in ex.client_frames()]
        return realtime_snippet(self.base_url(ex.channel), ex.model, events, access, ex.channel)

    def _shape_findings(self, feature: Feature, result: FeatureResult, exchanges: dict[str, Exchange]) -> None:
        """Principle 6: a schema failure whose every defect the surface's basic answer shows too is one shape
        finding of that surface (its basic row FAILs on it); here it passes, `also affected by` that finding, and
        the strict result (outcome, evidence) stays in the JSON."""
        for chk in result.checks:
            if chk.id not in SHAPE_CHECKS or chk.outcome is not Outcome.FAILED:
                continue
            names = [feature.primary] if chk.id == "schema.body" else list(feature.requests)
            found = [self._surface_finding(name, exchanges.get(name)) for name in names]
            if None in found:
                continue  # some answer breaks its schema in a way of its own: the strict FAIL stands
            findings = [f for f in dict.fromkeys(found) if f]
            if findings:
                chk.outcome, chk.also_affected_by = Outcome.PASSED, findings[0]
                result.also_affected_by += findings

    def _surface_finding(self, name: str, ex: Exchange | None) -> str | None:
        """"" when this answer breaks no schema; the surface finding it shows; None when it is the row's own."""
        schema = shape_schema(ex)
        if ex is None or schema is None:
            return ""
        try:
            own = defects(schema, ex.json())
        except ValueError:
            return None
        if not own:
            return ""
        basic = SHAPE_REFERENCE.get(schema)
        reference = self.send(basic).exchange if basic and basic not in (name, name.partition(":")[0]) else None
        if reference is None or shape_schema(reference) != schema:
            return None
        if not surface_shape_only(own, defects(schema, reference.json())):
            return None
        shown = "; ".join(f"{path}: {message}" for path, message in violations(schema, ex.json()))
        return f"{schema} shape finding of this surface (FAIL on {basic}): {shown}"

    @staticmethod
    def _decided(feature: Feature, sents: dict[str, Sent]) -> Decided | None:
        """A verdict decided before any check: the request produced nothing, its status says nothing about the
        feature (auth failure, endpoint absent), or an errors row's surface does not answer a valid request."""
        for name in (feature.primary, feature.witness):
            sent = sents.get(name) if name else None
            if sent is None:
                continue
            if sent.verdict is not None:
                why = sent.problem if name == feature.primary else f"the surface's valid request {name}: {sent.problem}"
                return Decided(sent.verdict, why)
            ex = sent.exchange
            if ex is None:
                continue
            if isinstance(ex, WsSession) and ex.channel == RESPONSES:
                closed = ex.close_code if ex.closed_by == SERVER else None
                decided = extension_socket_problem(ex.status, not ex.body.strip(), ex.refusal(), closed,
                                                   _what(ex) if closed is None else f"reason {ex.close_reason!r}")
            else:
                upgrade = no_socket_route(ex.status, not ex.body.strip(), _what(ex)) \
                    if isinstance(ex, WsSession) else None
                decided = upgrade or status_problem(ex.status, names_resource=names_resource(ex.endpoint),
                                                    about_model=error_about_reference(ex), what=_what(ex))
            if decided is None and name != feature.primary:
                decided = witness_problem(ex.status, ex.ok, _what(ex))
            if decided is not None:
                return decided
        return None

    @staticmethod
    def _refused(exchange: Exchange | None) -> bool:
        return exchange is not None and is_refusal(exchange.status)

    def _rejected(self, ctx: CheckContext) -> tuple[Verdict, str, list[CheckResult]]:
        checks = [run_check(cid, ctx) for cid in _ENVELOPE_CHECKS]
        skipped = [placeholder(cid, Outcome.SKIPPED, "request refused") for cid in ctx.feature.checks]
        reason = f"HTTP {ctx.primary.status}: {_message(ctx.primary)}"
        return refusal_verdict(checks[0].outcome is Outcome.PASSED), reason, checks + skipped


def error_cell(profile: TargetProfile, feature: Feature, reason: str, kind: Problem = Problem.CRASHED) -> FeatureResult:
    """The ERROR cell of a feature that has no result of its own, with the one-line reason on every check."""
    claim = profile.claim(feature.id)
    verdict = problem_verdict(kind)
    checks = []
    for cid in feature.checks:
        try:
            checks.append(placeholder(cid, Outcome.ERROR, reason))
        except Exception:  # noqa: BLE001 - an unknown check id must not lose the cell
            continue
    return FeatureResult(profile.name, feature.id, claim, verdict, assess(claim, verdict), checks=checks,
                         reason=reason, claim_sources=[{"claim": e.claim.value, "source": e.source}
                                                       for e in profile.claim_entries(feature.id)])


def crashed(profile: TargetProfile, feature: Feature, exc: BaseException) -> FeatureResult:
    """The ERROR cell of a feature whose run raised: the exception's first line and the innermost frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return error_cell(profile, feature, f"{Problem.CRASHED.value}{where}: {first_line(exc)}")
def _message(ex: Exchange) -> str:
    """The error message of an answer (its body's start when it has no envelope)."""
    try:
        message = str(ex.json()["error"]["message"])
    except (ValueError, KeyError, TypeError, AttributeError):
        message = ex.text[:160]
    return message[:200]


def _what(ex: Exchange) -> str:
    """`HTTP 404 to POST /v1/files: File Not Found` for a reason line."""
    message = _message(ex)
    return f"HTTP {ex.status} to {ex.method} {ex.path}" + (f": {message}" if message else "")
