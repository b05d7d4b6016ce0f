"""Wire schemas of realtime server events, one per `type`, generated from the pinned SDK's pydantic types.

`conformance.schemagen` writes them as schemas/realtime.server.<type>.json; checks validate each server frame
against the schema named by its type (legacy beta names use their GA twin's schema).
"""

from __future__ import annotations

import typing
from typing import Any

from .events import canonical

PREFIX = "realtime.server."


def server_event_models() -> dict[str, Any]:
    """SDK model class per server event type, read from the RealtimeServerEvent discriminated union."""
    from openai.types.realtime.realtime_server_event import RealtimeServerEvent  # schemagen only: checks read files

    union = typing.get_args(RealtimeServerEvent)[0]
    models: dict[str, Any] = {}
    for member in typing.get_args(union):
        (kind,) = typing.get_args(member.model_fields["type"].annotation)
        models[kind] = member
    return models


def realtime_schemas() -> dict[str, dict[str, Any]]:
    """`realtime.server.<type>` -> JSON schema of that event (prose is stripped by schemagen)."""
    return {PREFIX + kind: model.model_json_schema() for kind, model in server_event_models().items()}


def schema_name(event_type: str, known: typing.Collection[str]) -> str | None:
    """The schema for an event type: its own, else its GA twin's; None for types the SDK does not know."""
    for kind in (event_type, canonical(event_type)):
        if PREFIX + kind in known:
            return PREFIX + kind
    return None
