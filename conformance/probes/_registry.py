"""Registry of named requests: each is one SDK call whose exchange any number of checks may read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._io import ProbeIO

Call = Callable[[ProbeIO], Any]


@dataclass(frozen=True)
class RequestSpec:
    """A named request (or flow of requests): the capability whose model it uses and the SDK calls it makes.

    A flow labels its exchanges with `io.step(label)`; features then name them `<request>:<label>`.
    `retry` is False for flows that create resources (a retried flow would duplicate them).
    `kind` is "http" (captured by the engine's transport) or "ws" (a realtime session: conformance.realtime).
    `generated` marks flows whose requests come from hypothesis: a replay mismatch means the examples drifted.
    """

    name: str
    capability: str
    call: Call
    expects_error: bool = False
    retry: bool = True
    kind: str = "http"
    generated: bool = False


class Requests:
    """Name-unique registry of RequestSpecs."""

    def __init__(self) -> None:
        self._specs: dict[str, RequestSpec] = {}

    def register(self, name: str, capability: str, expects_error: bool = False,
                 retry: bool = True, kind: str = "http", generated: bool = False) -> Callable[[Call], Call]:
        """Decorator registering a request function under a unique name."""

        def wrap(fn: Call) -> Call:
            if name in self._specs:
                raise ValueError(f"duplicate request {name!r}")
            self._specs[name] = RequestSpec(name, capability, fn, expects_error, retry, kind, generated)
            return fn

        return wrap

    def get(self, name: str) -> RequestSpec:
        """The spec registered under this name."""
        return self._specs[name]

    def names(self) -> list[str]:
        """All registered names."""
        return list(self._specs)


REQUESTS = Requests()
request = REQUESTS.register
