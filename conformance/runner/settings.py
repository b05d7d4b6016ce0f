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


@dataclass(frozen=True)
class RunSettings:
    """Settings of a target run, resolved once by the entry point and read (never mutated) by the runner.

    `base_url` overrides every surface's URL (a server the user points at); `endpoint` names a profile generation.
    """

    mode: Mode = Mode.REPLAY
    base_url: str | None = None
    endpoint: str | None = None
    cassette_root: Path | None = None
    skip_missing: bool = False
    timeout: float = 30.0
    policy: AttemptPolicy = field(default_factory=AttemptPolicy)
    sleep: Callable[[float], None] = time.sleep
    explore: int = 0
    max_requests: int | None = None  # budget of a live/record run; None: the profile's [budget] default
    max_tokens: int | None = None

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
