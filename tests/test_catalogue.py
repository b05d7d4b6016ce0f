"""The catalogue is data: ids unique, every check and request resolves, the issue's ids are all present."""

from __future__ import annotations

from conformance import CHECKS, FEATURES, Surface
from conformance.probes import REQUESTS

REQUIRED = {
    "models.list", "models.retrieve", "chat.basic", "chat.max_tokens", "chat.stream", "chat.stream.include_usage",
    "chat.json_schema", "chat.json_object", "chat.tools.auto", "chat.tool_choice.none", "chat.tool_choice.required",
    "chat.tool_choice.named", "chat.tool_choice.first", "chat.errors", "embeddings.float", "embeddings.batch",
    "embeddings.base64", "embeddings.dimensions",
}


def test_required_feature_ids_are_present() -> None:
    assert set(FEATURES.ids()) >= REQUIRED


def test_every_row_resolves_its_checks_and_requests() -> None:
    for feature in FEATURES:
        assert feature.checks, feature.id
        assert all(c in CHECKS for c in feature.checks), feature.id
        assert all(r.partition(":")[0] in REQUESTS.names() for r in feature.requests), feature.id  # flow:step
        assert feature.id.startswith(feature.surface.value + "."), feature.id
        assert feature.source and feature.title


def test_every_registered_check_is_used_by_a_row() -> None:
    used = {c for f in FEATURES for c in f.checks}
    assert {c.id for c in CHECKS.all()} <= used | {"errors.envelope", "errors.envelope_complete"}


def test_later_surfaces_are_reserved() -> None:
    assert {s.value for s in Surface} >= {"responses", "conversations", "files", "vector_stores", "realtime"}
