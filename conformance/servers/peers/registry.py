"""The registry of peers: which module defines each kind's RECIPE, loaded only when that peer is used."""

from __future__ import annotations

import importlib
import importlib.util

from ..base import LocalServerError
from .recipe import PeerRecipe

# kind -> module defining RECIPE. Every peer kind of profiles.model.LOCAL_SERVER_KINDS is listed here.
RECIPES: dict[str, str] = {
    "infinity": "conformance.servers.peers.infinity",
    "vllm": "conformance.servers.peers.vllm",
    "transformers-serve": "conformance.servers.peers.transformers_serve",
    "litellm": "conformance.servers.peers.litellm",
    "llama-cpp-python": "conformance.servers.peers.llama_cpp_python",
    "open-responses-server": "conformance.servers.peers.open_responses_server",
}


def load_recipe(name: str) -> PeerRecipe:
    """The RECIPE of a registered peer (LocalServerError naming the kind when unknown or not yet shipped)."""
    module_name = RECIPES.get(name)
    if module_name is None:
        raise LocalServerError(f"unknown peer {name!r} (known: {', '.join(RECIPES)})")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise LocalServerError(f"peer {name!r} has no recipe in this build ({module_name} is missing)") from None
    recipe = getattr(module, "RECIPE", None)
    if not isinstance(recipe, PeerRecipe) or recipe.name != name:
        raise LocalServerError(f"{module_name}.RECIPE must be a PeerRecipe named {name!r}")
    return recipe


def registry_has(name: str) -> bool:
    """Whether this build ships the recipe module of peer `name`."""
    module_name = RECIPES.get(name)
    return module_name is not None and importlib.util.find_spec(module_name) is not None
