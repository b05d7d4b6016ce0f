"""Mode resolution follows pytest-recording's flags; --conformance-mode wins."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.runner import Mode
from conformance.session import resolve_mode


class FakeConfig:
    """Just enough of pytest.Config for resolve_mode."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def getoption(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@pytest.mark.parametrize(
    ("options", "mode"),
    [
        ({}, Mode.REPLAY),
        ({"--record-mode": "none"}, Mode.REPLAY),
        ({"--record-mode": "rewrite"}, Mode.RECORD),
        ({"--record-mode": "all"}, Mode.RECORD),
        ({"--disable-recording": True}, Mode.LIVE),
        ({"--record-mode": "all", "--conformance-mode": "live"}, Mode.LIVE),
    ],
)
def test_mode_follows_recording_flags(options: dict[str, Any], mode: Mode) -> None:
    assert resolve_mode(FakeConfig(**options)) is mode  # type: ignore[arg-type]
