"""The Yandex profile follows claims.md: every cited source key is defined there, and §0's endpoints are the profile's.

claims.md lives in the shared reference material, beside the clone as ../shared (as in CI); without it these tests
skip and say why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.profiles import load_profile

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CLAIMS = SHARED / "reference" / "yandex" / "claims.md"
SEEDS = SHARED / "seeds"
# A source key: capitals, digits and hyphens (OC-C, TP-COMPILED, RESP-REF); `OC-A/B/C` cites three keys.
_KEY = re.compile(r"(?<![\w.-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)((?:/[A-Z0-9])*)(?![\w.-])")

needs_claims = pytest.mark.skipif(not CLAIMS.is_file(), reason=f"{CLAIMS} is absent (the shared reference material "
                                  "is expected beside the clone as ../shared)")


def keys_in(text: str) -> list[str]:
    """Source keys named in `text`, with `OC-A/B/C` expanded to OC-A, OC-B, OC-C."""
    found = []
    for stem, more in _KEY.findall(text):
        found.append(stem)
        prefix = stem.rsplit("-", 1)[0]
        found += [f"{prefix}-{suffix}" for suffix in more.split("/") if suffix]
    return [k for k in found if len(k) > 1]


def defined_keys(claims: str) -> set[str]:
    """The keys of claims.md's Sources table (a row may define several: `RESP-IDX, MODELS-REF, ...`)."""
    table = claims.split("## Sources", 1)[1]
    keys: set[str] = set()
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] not in ("key", "") and not cells[0].startswith("---"):
            keys.update(keys_in(cells[0]))
    return keys


def cited_keys(source: str) -> list[str]:
    """Keys a profile claim cites: in the head of each `;`-separated clause (before its first `:`), parentheses
    included; what follows the colon quotes the docs (their `[CURRENTLY NOT SUPPORTED]` markers are not keys)."""
    cited = []
    for clause in source.split(";"):
        head = clause.split(":", 1)[0]
        outside = re.sub(r"\([^)]*\)", " ", head)
        inside = " ".join(re.findall(r"\(([^)]*)\)", head))
        cited += keys_in(outside) + [k for k in keys_in(inside) if "-" in k]
    return cited


def test_key_parsing_reads_ranges_and_skips_quoted_doc_text() -> None:
    assert keys_in("OC-A/B/C: values") == ["OC-A", "OC-B", "OC-C"]
    assert cited_keys("RESP-REF: truncation [CURRENTLY NOT SUPPORTED] (reasoning too)") == ["RESP-REF"]
    assert cited_keys("OC-C (FULL); RT-HOWTO and EX read it; auth only in the header (TP-RT §2)") == \
        ["OC-C", "RT-HOWTO", "EX", "TP-RT"]
    assert cited_keys("claims.md §4: the union is copied") == []


@needs_claims
def test_every_claim_source_key_is_defined_in_claims_md() -> None:
    defined = defined_keys(CLAIMS.read_text(encoding="utf-8"))
    assert {"OC-C", "OC-B", "OC-A", "AUTH", "TP-RT", "RESP-REF", "CHAT-REF"} <= defined
    if SEEDS.is_dir():
        defined.add("SEED")  # the seed pages (../shared/seeds), which claims.md quotes as "the seed"
    profile = load_profile("yandex-ai-studio")
    cited = {(fid, key) for fid, entries in profile.claims.items() for e in entries for key in cited_keys(e.source)}
    assert len({k for _, k in cited}) >= 15, "the parser found too few keys: has the source format changed?"
    undefined = sorted((fid, key) for fid, key in cited if key not in defined)
    assert not undefined, f"profile claims cite keys claims.md does not define: {undefined}"


def test_an_undefined_key_is_caught() -> None:
    defined = {"OC-C", "SEED"}
    assert [k for k in cited_keys("OC-C; NOPE-REF: made up") if k not in defined] == ["NOPE-REF"]


def _section0(claims: str) -> str:
    return claims.split("## 0.", 1)[1].split("\n## ", 1)[0]


@needs_claims
def test_profile_endpoints_follow_claims_section_0() -> None:
    section = _section0(CLAIMS.read_text(encoding="utf-8"))
    line = {tag: next(ln for ln in section.splitlines() if ln.strip().startswith(tag)) for tag in ("- B:", "- C:")}
    moved = next(ln for ln in section.splitlines() if "(2026) Realtime moved" in ln)
    urls = {tag: re.findall(r"`((?:https|wss)://[^`?]+)[^`]*`", text) for tag, text in {**line, "2026": moved}.items()}
    profile = load_profile("yandex-ai-studio")
    current, legacy = profile.endpoints["current"], profile.endpoints["legacy"]
    assert current["base_url"] == urls["- C:"][0]  # "All services are available at ..."
    assert current["realtime"] == urls["2026"][0]  # the 2026 move: /v1/realtime?model=..., no /openai
    assert "2026-05-12" in moved and current["realtime"].endswith("/v1/realtime")
    completions, assistant, realtime = urls["- B:"]
    assert legacy["base_url"] == completions
    assert {legacy[s] for s in ("responses", "vector_stores", "files", "conversations")} == {assistant}
    assert legacy["realtime"] == realtime


@needs_claims
def test_profile_records_both_tool_choice_claims_of_section_0() -> None:
    section = _section0(CLAIMS.read_text(encoding="utf-8"))
    assert "`auto` and `first`" in section and "`auto` and `none`" in section
    profile = load_profile("yandex-ai-studio")
    first = profile.claim_entries("chat.tool_choice.first")
    none = profile.claim_entries("chat.tool_choice.none")
    assert [e.claim.value for e in first] == ["supported", "unsupported"] and "SEED" in first[0].source
    assert none[0].claim.value == "supported" and "OC-C" in none[0].source and "SEED" in none[1].source
