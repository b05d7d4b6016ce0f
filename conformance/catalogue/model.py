"""Frozen data types of the feature catalogue; no logic, no I/O.

Fields of a Feature:
    id          stable catalogue id, `<surface>.<name>`; used by profiles, cassettes and reports.
    surface     API family the row belongs to (Surface).
    title       one-line human description.
    tier        CORE (every OpenAI-compatible server should have it), OPTIONAL (documented OpenAI feature many
                servers lack), EXTENSION (provider-specific values such as Yandex's `tool_choice: "first"`).
    source      where the feature comes from: seed page, provider docs key (claims.md) or OpenAI spec section.
    requests    named requests (conformance.probes) whose exchanges the checks read; the first is primary and
                decides REJECTED / ERROR; later ones are auxiliary (compared with, not graded on status). For an
                `expects_error` row the second is the surface's *witness*: a valid request of the same surface.
                The row can only PASS when the surface answers the witness (refusing everything is not validating).
    checks      ids of registered checks (conformance.checks), run in this order.
    expects_error  True for rows whose request is deliberately invalid (a 4xx is the expected answer).
    model_dependent  ids of the row's checks whose outcome depends on the model's choice (an unforced tool call,
                following instructions, recalling context): reports mark such a cell "model-dependent", and the
                forced variants (tool_choice required / named, text.format) carry the server's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Surface(str, Enum):
    """API families; later issues fill responses..realtime."""

    MODELS = "models"
    CHAT = "chat"
    EMBEDDINGS = "embeddings"
    RESPONSES = "responses"
    CONVERSATIONS = "conversations"
    FILES = "files"
    VECTOR_STORES = "vector_stores"
    REALTIME = "realtime"
    OTHER = "other"  # the rest of OpenAI's surface: one existence row per endpoint (catalogue.other_rows)


class Tier(str, Enum):
    """How central a feature is to OpenAI compatibility."""

    CORE = "core"
    OPTIONAL = "optional"
    EXTENSION = "extension"


@dataclass(frozen=True)
class Feature:
    """One row of the compatibility matrix."""

    id: str
    surface: Surface
    title: str
    tier: Tier
    source: str
    requests: tuple[str, ...]
    checks: tuple[str, ...]
    expects_error: bool = False
    model_dependent: tuple[str, ...] = ()

    @property
    def primary(self) -> str:
        """Name of the request whose status decides REJECTED / ERROR."""
        return self.requests[0]

    @property
    def witness(self) -> str | None:
        """For an expects_error row, the valid request of its surface that must be answered (None otherwise)."""
        return self.requests[1] if self.expects_error and len(self.requests) > 1 else None
