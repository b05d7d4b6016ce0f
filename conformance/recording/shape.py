"""The shape a vcrpy cassette must have before vcrpy reads it: a wrong type is one line naming where, never a crash.

vcrpy trusts the file: `body: {string: [1, 2]}` reaches its byte conversion and raises deep inside the SDK call.
`problem(doc)` names the first field of the wrong type (e.g. `interactions[0].response.body.string: expected text,
bytes or null, got list`), or '' when the document has the shape vcrpy writes.
"""

from __future__ import annotations

from typing import Any

_TEXT = (str, bytes)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _headers(value: Any, where: str) -> str:
    if not isinstance(value, dict):
        return f"{where}: expected a map of header names, got {_kind(value)}"
    for name, item in value.items():
        items = item if isinstance(item, list) else [item]
        if not isinstance(name, str) or not all(isinstance(v, str) for v in items):
            return f"{where}.{name}: expected text or a list of text, got {_kind(item)}"
    return ""


def _request(value: Any, where: str) -> str:
    if not isinstance(value, dict):
        return f"{where}: expected a map, got {_kind(value)}"
    for key in ("method", "uri"):
        if not isinstance(value.get(key), str):
            return f"{where}.{key}: expected text, got {_kind(value.get(key))}"
    body = value.get("body")
    if body is not None and not isinstance(body, _TEXT) and not hasattr(body, "read"):  # vcrpy keeps BytesIO bodies
        return f"{where}.body: expected text, bytes or null, got {_kind(body)}"
    return _headers(value.get("headers"), f"{where}.headers")


def _response(value: Any, where: str) -> str:
    if not isinstance(value, dict):
        return f"{where}: expected a map, got {_kind(value)}"
    status = value.get("status")
    if not isinstance(status, dict) or type(status.get("code")) is not int:
        shown = _kind(status.get("code")) if isinstance(status, dict) else _kind(status)
        return f"{where}.status.code: expected an integer, got {shown}"
    if not 100 <= status["code"] <= 599:
        return f"{where}.status.code: {status['code']} is not an HTTP status"
    if status.get("message") is not None and not isinstance(status["message"], str):
        return f"{where}.status.message: expected text, got {_kind(status['message'])}"
    body = value.get("body")
    if not isinstance(body, dict):
        return f"{where}.body: expected a map with `string`, got {_kind(body)}"
    if body.get("string") is not None and not isinstance(body["string"], _TEXT):
        return f"{where}.body.string: expected text, bytes or null, got {_kind(body['string'])}"
    return _headers(value.get("headers"), f"{where}.headers")


def problem(doc: Any) -> str:
    """The first field of a parsed cassette that vcrpy could not use, or ''."""
    if not isinstance(doc, dict):
        return f"expected a map with `interactions`, got {_kind(doc)}"
    interactions = doc.get("interactions")
    if not isinstance(interactions, list):
        return f"interactions: expected a list, got {_kind(interactions)}"
    for index, item in enumerate(interactions):
        where = f"interactions[{index}]"
        if not isinstance(item, dict):
            return f"{where}: expected a map with request and response, got {_kind(item)}"
        found = _request(item.get("request"), f"{where}.request") or _response(item.get("response"),
                                                                             f"{where}.response")
        if found:
            return found
    return ""
