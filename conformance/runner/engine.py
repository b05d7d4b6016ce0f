"""TargetRun: send each named request once (live, record or replay), run each feature's checks, grade it."""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import httpx2
import openai

from ..catalogue import Feature
from ..checks import CHECKS, CheckContext
from ..errors import CassetteError
from ..failures import Evidence, Failure, Ignored, Skip
from ..probes import REQUESTS
from ..profiles import TargetProfile
from ..recording.cassettes import Recorder, commit, discard
from ..recording.scrub import Scrubber
from ..verdicts import Outcome, Verdict, assess, grade
from ..wire.capture import CaptureTransport
from ..wire.exchange import Exchange
from .results import CheckResult, FeatureResult, TargetInfo

_FALLBACK = {"tools": "chat", "structured": "chat"}
_TRANSIENT = {429, 500, 502, 503, 504}
_ENVELOPE_CHECKS = ("errors.envelope", "errors.envelope_complete")


class Mode(str, Enum):
    """replay: cassettes only; record: live and write cassettes; live: live, write nothing."""

    REPLAY = "replay"
    RECORD = "record"
    LIVE = "live"


@dataclass
class Sent:
    """The final exchange of a named request, or why there is none (verdict SKIP or ERROR)."""

    exchange: Exchange | None
    problem: str = ""
    verdict: Verdict | None = None


def _no_recording(exc: BaseException) -> bool:
    while exc is not None:
        if type(exc).__name__ == "CannotOverwriteExistingCassetteException":
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def _cassette_error(exc: BaseException) -> CassetteError | None:
    while exc is not None:
        if isinstance(exc, CassetteError):
            return exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


class TargetRun:
    """One target in one mode: a request cache shared by all features, and per-target stats."""

    def __init__(
        self,
        profile: TargetProfile,
        mode: Mode = Mode.REPLAY,
        *,
        base_url: str | None = None,
        endpoint: str | None = None,
        cassette_root: Path | None = None,
        skip_missing: bool = False,
        timeout: float = 30.0,
        retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.profile = profile
        self.mode = mode
        self.endpoint = endpoint or profile.default_endpoint
        if self.endpoint not in profile.endpoints:
            raise CassetteError(profile.path, f"no endpoint generation {self.endpoint!r}")
        replay = mode is Mode.REPLAY
        values = profile.var_values(replay=replay)
        self.models = {cap: profile.render(m, values) for cap, m in profile.models.items()}
        self.options: dict[str, Any] = dict(profile.options)
        self.options["model.chat"] = self.models.get("chat")
        self._headers = {k: profile.render(v, values) for k, v in profile.headers.items()}
        self._key = profile.api_key(replay=replay)
        if profile.auth_scheme == "api-key":
            self._headers["Authorization"] = f"Api-Key {self._key}"
        self._base_override = base_url
        self._skip_missing = skip_missing
        self._timeout = timeout
        self._retries = retries
        self._sleep = sleep
        self.capture = CaptureTransport(httpx2.HTTPTransport())
        self._clients: dict[str, openai.OpenAI] = {}
        self._cache: dict[str, Sent] = {}
        self.recorded: list[str] = []
        bases = (*(url for gen in profile.endpoints.values() for url in gen.values()), base_url or "")
        self.scrubber = Scrubber(profile.secrets(replay=replay), bases)
        restore = {ph: val for val, ph in profile.secrets(replay=False).items()} if replay else {}
        self.recorder: Recorder | None = None
        if mode is not Mode.LIVE:
            root = (cassette_root or Path("cassettes")) / profile.name
            self.recorder = Recorder(root, self.scrubber, restore, "none" if replay else "all")
        self.info = TargetInfo(profile.name, profile.title, mode.value, self.endpoint, profile.origin)

    def base_url(self, surface: str) -> str:
        """Base URL used for a surface."""
        return self._base_override or self.profile.base_url(surface, self.endpoint)

    def client(self, surface: str) -> openai.OpenAI:
        """The SDK client for a surface (one per distinct base URL), retries off: the suite retries itself."""
        base = self.base_url(surface)
        if base not in self._clients:
            self._clients[base] = openai.OpenAI(
                api_key=self._key or "missing", base_url=base, max_retries=0, timeout=self._timeout,
                default_headers=self._headers, http_client=httpx2.Client(transport=self.capture, timeout=self._timeout),
            )
        return self._clients[base]

    def model_for(self, capability: str) -> str | None:
        """Configured model for a capability, with tools/structured falling back to chat."""
        if capability == "none":
            return ""
        return self.models.get(capability) or self.models.get(_FALLBACK.get(capability, ""))

    def send(self, name: str) -> Sent:
        """Send (or replay) a named request once per run; later calls reuse the result."""
        if name not in self._cache:
            self._cache[name] = self._send(name)
        return self._cache[name]

    def _send(self, name: str) -> Sent:
        spec = REQUESTS.get(name)
        model = self.model_for(spec.capability)
        if model is None:
            return Sent(None, f"no model configured for capability {spec.capability!r}", Verdict.SKIP)
        surface = name.split(".", 1)[0]
        client = self.client("models" if surface == "models" else surface)
        if self.recorder is None:
            return self._attempts(name, spec.call, client, model)
        path = self.recorder.path_for(name)
        try:
            with self.recorder.cassette(name):
                sent = self._attempts(name, spec.call, client, model)
        except CassetteError as exc:
            return Sent(None, str(exc), Verdict.ERROR)
        if self.mode is Mode.RECORD:
            conclusive = sent.exchange is not None and sent.exchange.status is not None and sent.verdict is None
            if conclusive and commit(path):
                self.recorded.append(name)
            else:
                discard(path)
        elif sent.problem == "no recording" :
            where = path.relative_to(path.parents[2]) if len(path.parents) > 2 else path
            sent.problem = f"no recording for {name} in {where}"
            if self._skip_missing:
                sent.verdict = Verdict.SKIP
        return sent

    def _attempts(self, name: str, call: Any, client: openai.OpenAI, model: str) -> Sent:
        self.capture.label = name
        attempt = 0
        while True:
            attempt += 1
            sent = self._once(call, client, model)
            if self.mode is not Mode.REPLAY:
                self.info.requests_sent += 1
            ex = sent.exchange
            transient = ex is not None and (ex.status in _TRANSIENT or (ex.status is None and sent.verdict))
            if not transient or attempt > self._retries or sent.problem == "no recording":
                break
            if self.mode is not Mode.REPLAY:
                self._sleep(self._delay(ex, attempt))
        if sent.exchange is not None:
            sent.exchange.attempts = attempt
            self._count_tokens(sent.exchange)
            if sent.exchange.status in _TRANSIENT and sent.verdict is None:
                sent.problem = f"HTTP {sent.exchange.status} after {attempt} attempt(s) (inconclusive)"
                sent.verdict = Verdict.ERROR
        return sent

    def _once(self, call: Any, client: openai.OpenAI, model: str) -> Sent:
        self.capture.take()
        problem, verdict, sdk_error, result = "", None, None, None
        try:
            result = call(client, model, self.options)
        except openai.APIStatusError:
            pass
        except openai.APIConnectionError as exc:
            cassette = _cassette_error(exc)
            if cassette is not None:
                problem, verdict = str(cassette), Verdict.ERROR
            elif _no_recording(exc):
                problem, verdict = "no recording", Verdict.ERROR
            else:
                cause = exc.__cause__ or exc
                problem, verdict = f"transport error: {_first_line(cause)}", Verdict.ERROR
        except Exception as exc:  # noqa: BLE001 - whatever the SDK raised while parsing is evidence
            if _no_recording(exc):
                problem, verdict = "no recording", Verdict.ERROR
            else:
                sdk_error = _first_line(exc)
        exchanges = self.capture.take()
        exchange = exchanges[-1] if exchanges else None
        if exchange is not None:
            exchange.sdk_error = sdk_error
            exchange.sdk_result = result
            if exchange.status is None and not problem:
                problem, verdict = exchange.transport_error or "no response", Verdict.ERROR
        elif not problem:
            problem, verdict = sdk_error or "no request was sent", Verdict.ERROR
        return Sent(exchange, problem, verdict)

    @staticmethod
    def _delay(exchange: Exchange | None, attempt: int) -> float:
        header = (exchange.response_headers.get("retry-after", "") if exchange else "").strip()
        try:
            return min(float(header), 10.0)
        except ValueError:
            return min(0.5 * 2 ** (attempt - 1), 10.0)

    def _count_tokens(self, exchange: Exchange) -> None:
        usage: Any = None
        try:
            if exchange.is_stream:
                for event in reversed(exchange.sse().events):
                    if event.data != "[DONE]":
                        usage = json.loads(event.data).get("usage")
                        break
            else:
                usage = exchange.json().get("usage")
        except (ValueError, AttributeError):
            return
        if isinstance(usage, dict):
            prompt = usage.get("prompt_tokens")
            completion = usage.get("completion_tokens")
            self.info.prompt_tokens += prompt if isinstance(prompt, int) else 0
            self.info.completion_tokens += completion if isinstance(completion, int) else 0

    def run_feature(self, feature: Feature) -> FeatureResult:
        """Send the feature's requests, run its checks, grade and compare with the claim."""
        claim = self.profile.claim(feature.id)
        sources = [{"claim": e.claim.value, "source": e.source} for e in self.profile.claim_entries(feature.id)]
        sents = {name: self.send(name) for name in feature.requests}
        primary = sents[feature.primary]
        result = FeatureResult(self.profile.name, feature.id, claim, Verdict.SKIP, assess(claim, Verdict.SKIP),
                               claim_sources=sources)
        result.requests = [s.exchange.summary() for s in sents.values() if s.exchange is not None]
        exchanges = {n: s.exchange for n, s in sents.items() if s.exchange is not None}
        ctx = CheckContext(feature, exchanges, self.options)
        if primary.verdict is not None:
            outcome = Outcome.SKIPPED if primary.verdict is Verdict.SKIP else Outcome.ERROR
            result.verdict, result.reason = primary.verdict, primary.problem
            result.checks = [self._placeholder(cid, outcome, primary.problem) for cid in feature.checks]
        elif self._refused(primary.exchange) and not feature.expects_error:
            result.verdict, result.reason, result.checks = self._rejected(ctx)
        else:
            result.checks = [self._run_check(cid, ctx) for cid in feature.checks]
            result.verdict = grade((c.severity, c.outcome) for c in result.checks)
            if primary.exchange is not None and primary.exchange.status and primary.exchange.status >= 400:
                result.reason = f"HTTP {primary.exchange.status}"
        result.agreement = assess(claim, result.verdict)
        return self._scrubbed(result)

    def _scrubbed(self, result: FeatureResult) -> FeatureResult:
        """Evidence quotes live traffic: scrub it like a cassette before any report or log sees it."""
        text = self.scrubber.text
        result.reason = text(result.reason)
        result.requests = [text(r) for r in result.requests]
        for chk in result.checks:
            if chk.evidence is not None:
                ev = chk.evidence
                chk.evidence = Evidence(text(ev.request), text(ev.where), text(ev.expected), text(ev.observed))
        return result

    @staticmethod
    def _refused(exchange: Exchange | None) -> bool:
        return exchange is not None and exchange.status is not None and (
            400 <= exchange.status < 500 or exchange.status == 501)

    def _rejected(self, ctx: CheckContext) -> tuple[Verdict, str, list[CheckResult]]:
        checks = [self._run_check(cid, ctx) for cid in _ENVELOPE_CHECKS]
        skipped = [self._placeholder(cid, Outcome.SKIPPED, "request refused") for cid in ctx.feature.checks]
        ex = ctx.primary
        try:
            message = str(ex.json()["error"]["message"])
        except (ValueError, KeyError, TypeError):
            message = ex.text[:160]
        reason = f"HTTP {ex.status}: {message[:200]}"
        clean = checks[0].outcome is Outcome.PASSED
        return (Verdict.REJECTED if clean else Verdict.FAIL), reason, checks + skipped

    def _run_check(self, check_id: str, ctx: CheckContext) -> CheckResult:
        chk = CHECKS.get(check_id)
        result = CheckResult(chk.id, chk.severity, Outcome.PASSED, chk.title)
        try:
            chk.fn(ctx)
        except Ignored as exc:
            result.outcome, result.evidence = Outcome.IGNORED, exc.evidence
        except Failure as exc:
            result.outcome, result.evidence = Outcome.FAILED, exc.evidence
        except Skip as exc:
            result.outcome, result.evidence = Outcome.SKIPPED, Evidence(where=str(exc))
        except Exception as exc:  # noqa: BLE001 - a crashing check is inconclusive, never a pass
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            result.outcome = Outcome.ERROR
            result.evidence = Evidence(request=ctx.primary.summary(), where=f"check crashed at {frame.name}:"
                                       f"{frame.lineno}", observed=_first_line(exc))
        return result

    @staticmethod
    def _placeholder(check_id: str, outcome: Outcome, why: str) -> CheckResult:
        chk = CHECKS.get(check_id)
        return CheckResult(chk.id, chk.severity, outcome, chk.title, Evidence(where=why))
