"""schemas/ is exactly what the generator produces from the pinned SDK, and relaxations are reviewed."""

from __future__ import annotations

from conformance import schemagen
from conformance.schemas import schema_dir, violations


def test_schemas_dir_is_in_sync_with_the_generator() -> None:
    built = schemagen.build()
    on_disk = {p.stem for p in schema_dir().glob("*.json")}
    assert on_disk == set(built), "run: python -m conformance.schemagen"
    for name, schema in built.items():
        assert (schema_dir() / f"{name}.json").read_text(encoding="utf-8") == schemagen.render(schema), name


def test_every_relaxation_has_a_reason() -> None:
    assert all(len(reason) > 20 for *_rest, reason in schemagen.RELAXATIONS)


def test_vendor_extra_fields_are_allowed_but_types_are_not() -> None:
    good = {"object": "list", "data": [{"id": "m", "object": "model", "created": 0, "owned_by": "x", "extra": 1}]}
    assert violations("models.list", good) == []
    bad = {"object": "list", "data": [{"id": "m", "object": "model", "created": "0", "owned_by": "x"}]}
    assert violations("models.list", bad)[0][0] == "$.data[0].created"
