"""How one target is run: the mode and every knob the HTTP and WebSocket paths share, as one frozen dataclass."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from .policy import AttemptPolicy


class Mode(str, Enum):
    """replay: cassettes only; record: live and write cassettes; live: live, write nothing."""

    REPLAY = "replay"
    RECORD = "record"
    LIVE = "live"


DEFAULT_TIMEOUT = 60.0  # seconds: the total deadline of one exchange (--timeout)
GENERATED_CASES = 2  # fixed generated examples each generated row sends (--generated-cases; issue 13's budget)
PREFLIGHT_TIMEOUT = 5.0  # seconds at most for the preflight request of a live target


@dataclass(frozen=True)
class RunSettings:
    """Settings of a target run, resolved once by the entry point and read (never mutated) by the runner.

    `base_url` overrides every surface's URL (a server the user points at); `endpoint` names a profile generation.
    `timeout` is the total deadline of one exchange (HTTP request and body, SSE stream, WebSocket session);
    `idle_timeout` (default: half of it) the longest wait for the next byte, stream event or WebSocket frame.
    `run_ends` is the monotonic time at which the whole run stops sending (--max-time), None for no limit.
    """

    mode: Mode = Mode.REPLAY
    base_url: str | None = None
    endpoint: str | None = None
    cassette_root: Path | None = None
    skip_missing: bool = False
    timeout: float = DEFAULT_TIMEOUT
    idle_timeout: float | None = None
    run_ends: float | None = None
    max_time: float | None = None
    policy: AttemptPolicy = field(default_factory=AttemptPolicy)
    sleep: Callable[[float], None] = time.sleep
    explore: int = 0
    generated_cases: int = GENERATED_CASES
    max_requests: int | None = None  # budget of a live/record run; None: the profile's [budget] default
    max_tokens: int | None = None
    preflight: bool = True  # live runs first send one short GET /models (doctor --ping is that request itself)

    @property
    def idle(self) -> float:
        """The idle deadline: no byte, event or frame for this long ends the exchange."""
        return self.idle_timeout if self.idle_timeout is not None else self.timeout / 2

    @property
    def preflight_timeout(self) -> float:
        """The short deadline of the preflight request."""
        return min(PREFLIGHT_TIMEOUT, self.idle)

    def out_of_time(self) -> bool:
        """True once the run's --max-time has passed."""
        return self.run_ends is not None and time.monotonic() >= self.run_ends

    @property
    def replay(self) -> bool:
        """True when nothing may go to the network: answers come from cassettes."""
        return self.mode is Mode.REPLAY

    @property
    def records(self) -> bool:
        """True when cassettes are (re)written."""
        return self.mode is Mode.RECORD

    @property
    def live(self) -> bool:
        """True when requests really go to the target (record or live)."""
        return self.mode is not Mode.REPLAY

    def wait(self, seconds: float) -> None:
        """Sleep between attempts, except in replay, which never waits."""
        if not self.replay:
            self.sleep(seconds)
