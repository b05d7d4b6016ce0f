"""ProbeIO: what a probe gets to talk to the target: the SDK client, the model, labelled steps, cleanup, time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from openai import OpenAI


@dataclass
class Resource:
    """Something a flow created on the provider and must delete."""

    kind: str
    id: str
    delete: Callable[[], Any]


@dataclass
class ProbeIO:
    """Passed to every probe; `step(label)` names the exchanges sent inside it (`<request>:<label>`)."""

    client: OpenAI
    model: str
    options: dict[str, Any]
    models: dict[str, str]
    replay: bool
    label: Callable[[str], None]
    sleep_fn: Callable[[float], None]
    resources: list[Resource] = field(default_factory=list)
    clients: Callable[[str], OpenAI] | None = None
    unconfigured: dict[str, str] = field(default_factory=dict)

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Label every exchange sent in this block; the engine files them under `<request>:<label>`."""
        self.label(label)
        try:
            yield
        finally:
            self.label("")

    def client_for(self, surface: str) -> OpenAI:
        """The client of another surface the flow calls (declared in its RequestSpec.surfaces), at that URL."""
        return self.clients(surface) if self.clients is not None else self.client

    def not_configured(self, label: str, capability: str) -> None:
        """Step `label` was not sent: the profile configures no model for `capability` (its rows are SKIP)."""
        self.unconfigured[label] = f"no model configured for capability {capability!r}"

    def sleep(self, seconds: float) -> None:
        """Wait between polls live; never in replay (cassettes already hold every poll)."""
        if not self.replay:
            self.sleep_fn(seconds)

    def track(self, kind: str, ident: str, delete: Callable[[], Any]) -> None:
        """Register a created resource; the engine deletes whatever is still tracked when the flow ends."""
        self.resources.append(Resource(kind, ident, delete))

    def untrack(self, ident: str, kind: str | None = None) -> None:
        """The flow deleted this resource itself (of this kind: a shared flow holds several kinds, whose ids a
        stateless mock may repeat)."""
        self.resources = [r for r in self.resources if r.id != ident or (kind is not None and r.kind != kind)]
