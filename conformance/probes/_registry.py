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
    `surfaces` names the other surfaces a flow calls, each at that surface's own URL (`io.client_for`); the name's
    surface is the first.

    What it may cost, declared beside the code that sends it (the live plan and the budget read these; a self-test
    holds them against the recorded requests): `calls` HTTP requests (or WebSocket sessions) at most, cleanup
    included; `polls` polling loops, each up to `max_polls(poll_timeout)` more requests; `max_tokens` the sum of the
    output-token limits its calls set (max_tokens, max_output_tokens); `prompt_tokens` an upper estimate of the input
    tokens, one per byte of its prompt material (messages, input, instructions, tools, schemas, carried context).
    A generated request declares these per case.
    """

    name: str
    capability: str
    call: Call
    expects_error: bool = False
    retry: bool = True
    kind: str = "http"
    generated: bool = False
    calls: int = 1
    polls: int = 0
    max_tokens: int = 0
    prompt_tokens: int = 0
    surfaces: tuple[str, ...] = ()


class Requests:
    """Name-unique registry of RequestSpecs."""

    def __init__(self) -> None:
        self._specs: dict[str, RequestSpec] = {}

    def register(self, name: str, capability: str, expects_error: bool = False, retry: bool = True,
                 kind: str = "http", generated: bool = False, *, calls: int = 1, polls: int = 0, max_tokens: int = 0,
                 prompt_tokens: int = 0, surfaces: tuple[str, ...] = ()) -> Callable[[Call], Call]:
        """Decorator registering a request function under a unique name, with its declared cost."""

        def wrap(fn: Call) -> Call:
            if name in self._specs:
                raise ValueError(f"duplicate request {name!r}")
            self._specs[name] = RequestSpec(name, capability, fn, expects_error, retry, kind, generated, calls, polls,
                                            max_tokens, prompt_tokens, surfaces)
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
