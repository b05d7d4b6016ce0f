"""compat.html: self-contained, every cell present, and in a real headless Chromium the matrix renders and a cell
expands to its evidence (skipped, with the reason, where Chromium is not installed)."""

from __future__ import annotations

import re
import struct
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from conformance.report.html import render_html

from .browser import Browser, chromium_path
from .report_samples import hostile, shipped


class _Links(HTMLParser):
    """Every attribute that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetching: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data") and value and not value.startswith("#"):
                self.fetching.append(f"<{tag} {name}={value}>")


def test_page_is_one_self_contained_file() -> None:
    page = render_html(shipped())
    parser = _Links()
    parser.feed(page)
    assert parser.fetching == []
    assert "link" not in parser.tags and "iframe" not in parser.tags and "img" not in parser.tags
    assert not re.search(r"url\(|@import|https?://", page.split("<style>")[1].split("</style>")[0])
    assert "default-src 'none'" in page  # even injected markup could not load anything


def test_page_has_every_cell_filters_provenance_and_passive_columns() -> None:
    doc = shipped()
    page = render_html(doc)
    assert page.count('<button type="button" class="cell') == len(doc["results"])
    assert page.count('<tr class="detail"') == len(doc["results"])
    for name in ("surface", "verdict", "agreement", "target"):
        assert f'name="{name}"' in page
    assert 'class="mode passive">passive</span>' in page
    assert "recorded_against" in page and "live requests sent" in page
    assert "Re-run this cell" in page and "conformance run --target llamacpp -k &#39;chat.errors]&#39;" in page


def test_template_is_package_data() -> None:
    template = resources.files("conformance.report").joinpath("templates", "compat.html.j2")
    assert template.is_file()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed (Debian: apt-get install chromium)")
def test_matrix_renders_and_a_cell_expands_in_headless_chromium(tmp_path: Path) -> None:
    doc = hostile()
    page = tmp_path / "compat.html"
    page.write_text(render_html(doc), encoding="utf-8")
    browser = Browser(chromium_path() or "chromium", tmp_path / "profile")
    try:
        browser.open(page.as_uri())
        shown = browser.evaluate("[...document.querySelectorAll('button.cell')].filter(b => b.offsetHeight > 0)"
                                 ".length")
        assert shown == len(doc["results"])
        assert browser.evaluate("document.querySelector('#matrix').getBoundingClientRect().height") > 1000
        before = browser.screenshot(tmp_path / "matrix.png")
        assert _png_size(before) == (1400, 1000)

        cell = "tr[data-feature='chat.errors'] td[data-t='0'] button"
        detail = browser.evaluate(f"document.querySelector(\"{cell}\").getAttribute('aria-controls')")
        assert browser.evaluate(f"document.getElementById('{detail}').offsetHeight") == 0
        browser.click(cell)
        assert browser.evaluate(f"document.getElementById('{detail}').offsetHeight") > 100
        text = browser.evaluate(f"document.getElementById('{detail}').innerText")
        assert "errors.status_4xx" in text and "expected" in text.lower() and "Re-run this cell" in text
        after = browser.screenshot(tmp_path / "expanded.png")
        assert after != before

        # A hostile server's markup stays text: no element was injected, no title was set by an escape.
        assert browser.evaluate("typeof window.alert === 'function' && document.scripts.length") == 1
        assert browser.evaluate("document.title") == "OpenAI compatibility matrix"

        # Filters: only FAIL cells; one surface; one target.
        rows = "[...document.querySelectorAll('tr.row')].filter(r => r.offsetHeight > 0).length"
        everything = browser.evaluate(rows)
        offered = browser.evaluate("[...document.querySelectorAll('input[name=verdict]')].map(i => i.value)")
        assert "FAIL" in offered and "PASS" in offered
        for verdict in (v for v in offered if v != "FAIL"):  # every other verdict the shipped report holds
            browser.click(f"input[name=verdict][value={verdict}]")
        only_fail = browser.evaluate(rows)
        assert 0 < only_fail < everything
        assert browser.evaluate("[...document.querySelectorAll('td[data-verdict]:not(.dim)')]"
                                ".every(td => td.dataset.verdict === 'FAIL')")
        browser.click("input[name=surface][value=chat]")
        assert browser.evaluate("document.querySelector('tbody[data-surface=chat]').offsetHeight") == 0
        browser.click("input[name=target][value='0']")
        assert browser.evaluate("document.querySelector('th[data-t=\"0\"]').offsetHeight") == 0

        # Nothing but the file itself was requested.
        assert [u for u in browser.requested_urls() if not u.startswith(("file:", "data:", "about:"))] == []
    finally:
        browser.close()
