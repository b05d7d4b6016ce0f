"""The other endpoints' existence requests: one POST of an empty JSON object each (catalogue.other_rows).

`{}` lacks every required field of each request schema, so a server that has the endpoint refuses it as invalid
before generating, transcribing, moderating, batching or uploading anything; one without it answers 404/405.
`client.post` sends it as is (the SDK's typed methods would refuse to build such a request).
"""

from __future__ import annotations

from typing import Any

import httpx2

from ..catalogue.other_rows import ENDPOINTS
from ._io import ProbeIO
from ._registry import request


def _existence(path: str) -> Any:
    def call(io: ProbeIO) -> Any:
        return io.client.post(path, body={}, cast_to=httpx2.Response)

    call.__doc__ = f"POST {path} with an empty JSON object."
    return call


for _path, _name, _schema in ENDPOINTS:
    request(_name, "none", expects_error=True, skip_unrecorded=True)(_existence(_path))
