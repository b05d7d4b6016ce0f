"""Endpoint resolution, done once per run: which base URL each surface is called at."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import UsageError
from ..profiles import TargetProfile


@dataclass(frozen=True)
class Endpoints:
    """The base URL per surface for one run; `known` lists every URL of the target (for scrubbing recordings)."""

    generation: str
    default: str
    surfaces: Mapping[str, str] = field(default_factory=dict)
    known: tuple[str, ...] = ()

    def url(self, surface: str) -> str:
        """Base URL for a surface."""
        return self.surfaces.get(surface) or self.default


def rebase(url: str, origins: Mapping[str, str]) -> str:
    """`url` with its origin replaced by the local one it maps to (unchanged when none matches)."""
    for origin, local in origins.items():
        if url.startswith(origin):
            return local + url[len(origin):]
    return url


def resolve_endpoints(profile: TargetProfile, generation: str | None = None, *, base_url: str | None = None,
                      local: Mapping[str, str] | None = None) -> Endpoints:
    """A user's `base_url` wins, then a started local server's URLs, then the profile's endpoint generation.

    A local server either serves every surface (`base_url`, per-surface URLs) or stands in for the profile's own
    hosts: then `local` maps origins (`https://host` -> `http://127.0.0.1:PORT`) and the generation's URLs keep
    their paths and queries on the local ports.
    """
    name = generation or profile.default_endpoint
    if name not in profile.endpoints:
        raise UsageError(f"profile {profile.name}: --endpoint {name!r} names no endpoint generation "
                         f"(have: {', '.join(sorted(profile.endpoints))})")
    known = tuple(url for gen in profile.endpoints.values() for url in gen.values())
    if base_url is not None:
        return Endpoints(name, base_url, {}, (*known, base_url))
    gen = profile.endpoints[name]
    if local is not None and "base_url" in local:
        surfaces = {k: v for k, v in local.items() if k != "base_url"}
        return Endpoints(name, local["base_url"], surfaces, (*known, *local.values()))
    if local is not None:  # a stand-in for the profile's hosts
        urls = {k: rebase(v, local) for k, v in gen.items()}
        mapped = tuple(rebase(url, local) for url in known)
        return Endpoints(name, urls["base_url"], {k: v for k, v in urls.items() if k != "base_url"}, (*known, *mapped))
    return Endpoints(name, gen["base_url"], {k: v for k, v in gen.items() if k != "base_url"}, known)
