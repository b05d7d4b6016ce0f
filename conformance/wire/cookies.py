"""No cookie jar: a conformance client keeps no cookie from one request to the next and sends none.

A provider that needs session cookies to work is a finding, not something the suite papers over; and a cookie that
is never stored cannot be echoed back into a recording.
"""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy


class _RefuseAll(DefaultCookiePolicy):
    """A cookie policy that accepts nothing and returns nothing."""

    def set_ok(self, cookie: object, request: object) -> bool:
        """Never store a cookie."""
        return False

    def return_ok(self, cookie: object, request: object) -> bool:
        """Never send a stored cookie."""
        return False


def no_cookies() -> CookieJar:
    """A cookie jar for httpx2.Client(cookies=...) that stores and sends nothing."""
    return CookieJar(policy=_RefuseAll())
