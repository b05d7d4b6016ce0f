"""What never reaches a lint report: key-shaped strings (the recorder's patterns) and Yandex Cloud folder ids."""

from __future__ import annotations

import re

from ..recording.scrub import Scrubber

_SCRUBBER = Scrubber({})
_FOLDER = re.compile(r"\bb1g[a-z0-9]{17}\b")  # Yandex Cloud folder ids, e.g. in gpt://<folder>/yandexgpt
FOLDER_PLACEHOLDER = "<FOLDER_ID>"


def scrub(text: str) -> str:
    """Key-shaped strings redacted, folder ids replaced by their placeholder."""
    return _FOLDER.sub(FOLDER_PLACEHOLDER, _SCRUBBER.text(text))
