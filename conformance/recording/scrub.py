"""Secret scrubbing applied in both directions before anything is written (cassettes, reports, logs)."""

from __future__ import annotations

import re
from typing import Any

SECRET_HEADERS = frozenset({
    "authorization", "proxy-authorization", "api-key", "x-api-key", "openai-organization", "openai-project",
    "x-folder-id", "cookie", "set-cookie", "x-goog-api-key",
})
_PATTERNS = (
    re.compile(r"sk-(?:proj-|or-v1-)?[A-Za-z0-9_\-]{16,}"),  # OpenAI / OpenRouter keys
    re.compile(r"AQVN[A-Za-z0-9_\-]{20,}"),  # Yandex Cloud API keys
    re.compile(r"\bt1\.[A-Za-z0-9_\-.]{20,}"),  # Yandex IAM tokens
    re.compile(r"\b(?:gsk|xai|hf)_[A-Za-z0-9]{16,}"),
    re.compile(r"(?i)(bearer|api-key)\s+[A-Za-z0-9_\-.~+/]{8,}=*"),
)
REDACTED = "<REDACTED>"
# A placeholder (`<FOLDER_ID>`) the SDK percent-encoded into a URL path, as a replay without the secret sends it.
_ENCODED_PLACEHOLDER = re.compile(r"%3C([A-Z][A-Z0-9_]*)%3E", re.IGNORECASE)
COOKIE = "<COOKIE>"
COOKIE_MIN = 8  # shorter cookie values (`lang=en`) are not secrets and would scrub ordinary words
# Request headers that only add noise to diffs between recordings (ports, lengths, client platform).
NOISE_HEADERS = frozenset({"host", "content-length", "connection", "accept-encoding"})


class Scrubber:
    """Replace known secret values by placeholders and anything key-shaped by <REDACTED>."""

    def __init__(self, secrets: dict[str, str], base_urls: tuple[str, ...] = ()) -> None:
        self._secrets = sorted(((v, p) for v, p in secrets.items() if v), key=lambda kv: -len(kv[0]))
        self._bases = sorted({b.rstrip("/") for b in base_urls if b}, key=len, reverse=True)

    def learn(self, value: str, placeholder: str = COOKIE) -> None:
        """Scrub `value` from now on (a secret seen on the wire, e.g. a cookie the server set)."""
        if len(value) >= COOKIE_MIN and all(value != known for known, _ in self._secrets):
            self._secrets = sorted([*self._secrets, (value, placeholder)], key=lambda kv: -len(kv[0]))

    def learn_cookies(self, headers: Any) -> None:
        """Learn every cookie value a response sets (`Set-Cookie: name=value; ...`) or a request sends (`Cookie`).

        `headers` is any mapping whose `get_list`/`items`/list values hold the header lines (httpx2, vcrpy, dict).
        """
        for name, value in _header_lines(headers):
            lower = name.lower()
            if lower == "set-cookie":
                pairs = [value.split(";", 1)[0]]
            elif lower == "cookie":
                pairs = value.split(";")
            else:
                continue
            for pair in pairs:
                _, sep, cookie = pair.strip().partition("=")
                if sep:
                    self.learn(cookie.strip().strip('"'))

    def text(self, value: str) -> str:
        """Scrub a string."""
        for secret, placeholder in self._secrets:
            value = value.replace(secret, placeholder)
        for pattern in _PATTERNS:
            value = pattern.sub(REDACTED, value)
        return value

    def data(self, value: bytes | str | None) -> bytes | str | None:
        """Scrub a body that may be bytes or text (undecodable bytes are kept, secrets are not text-shaped)."""
        if isinstance(value, bytes):
            try:
                return self.text(value.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                return value
        return self.text(value) if isinstance(value, str) else value

    def uri(self, uri: str) -> str:
        """Scrub and rebase a URI so cassettes replay at any base URL; encoded placeholders are written plainly."""
        for base in self._bases:
            if uri.startswith(base):
                uri = "https://target.invalid" + uri[len(base):]
                break
        return _ENCODED_PLACEHOLDER.sub(lambda m: f"<{m.group(1)}>", self.text(uri))

    def headers(self, headers: dict[str, Any], request: bool = False) -> dict[str, Any]:
        """Drop secret-bearing headers (and, for requests, noisy ones), scrub the values of the rest.

        Cookie values are learnt first, so the body written next to these headers is scrubbed of them too.
        """
        self.learn_cookies(headers)
        kept: dict[str, Any] = {}
        for name, value in headers.items():
            lower = name.lower()
            if lower in SECRET_HEADERS:
                continue
            if request and (lower in NOISE_HEADERS or (lower.startswith("x-stainless-") and
                                                       lower != "x-stainless-package-version")):
                continue
            if isinstance(value, list):
                kept[name] = [self.text(str(v)) for v in value]
            else:
                kept[name] = self.text(str(value))
        return kept


def _header_lines(headers: Any) -> list[tuple[str, str]]:
    """(name, value) per header line, from httpx2.Headers (multi_items), or a mapping of values or value lists."""
    multi = getattr(headers, "multi_items", None)
    if callable(multi):
        return [(str(k), str(v)) for k, v in multi()]
    lines: list[tuple[str, str]] = []
    for name, value in dict(headers).items():
        for item in value if isinstance(value, list) else [value]:
            lines.append((str(name), str(item)))
    return lines
