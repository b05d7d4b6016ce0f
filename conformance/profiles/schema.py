"""The target profile format, declared once: the loader checks keys against it and the README reference is made from it.

`python -m conformance.docs` renders `reference_markdown()` into the README ("Profile reference"); a self-test
keeps the two in sync, so every key a profile may hold is documented where users look.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..verdicts import Claim
from .model import PEER_KINDS


@dataclass(frozen=True)
class Key:
    """One key of a table: its TOML type, whether it is required, what it means, an example value."""

    name: str
    kind: str
    doc: str
    required: bool = False
    example: str = ""


@dataclass(frozen=True)
class Table:
    """One table of a profile ("" is the top level). `free` describes keys the user names (headers, claims)."""

    name: str
    doc: str
    keys: tuple[Key, ...] = ()
    free: str = ""
    required: bool = False

    @property
    def key_names(self) -> tuple[str, ...]:
        """The declared key names, in documentation order."""
        return tuple(k.name for k in self.keys)


# Model capabilities a profile can name a model for; tools and structured fall back to chat.
CAPABILITIES = ("chat", "tools", "structured", "embeddings", "embeddings_query", "realtime", "vision", "reasoning")
AUTH_SCHEMES = ("bearer", "api-key", "none")

SCHEMA: tuple[Table, ...] = (
    Table("", "Top-level keys, before the first table.", (
        Key("extends", "string", "Start from another profile: a bundled name (`openai`, `reference`, …) or a path "
            "relative to this file. Tables are merged key by key and this file wins; `[endpoints]` (or "
            "`[target] base_url`) replaces the base's endpoints as a whole; the base's identity (`name`, `title`, "
            "`label`, `origin`, `local_server`) is not inherited. `[target] extends` is the same key.",
            example='"openai"'),
    )),
    Table("target", "Who the target is and where its recordings come from.", (
        Key("name", "string", "Column name in the matrix and folder name under `cassettes/`.", True, '"my-server"'),
        Key("title", "string", "Human-readable name shown in reports.", True, '"My inference server"'),
        Key("base_url", "string", "The one base URL of every surface, for a target with a single endpoint; it "
            "replaces the `[endpoints]` table (give one or the other).", example='"http://127.0.0.1:8000/v1"'),
        Key("docs", "string", "Where the target's documentation lives (claims cite it).",
            example='"https://example.com/docs"'),
        Key("origin", "string", "Where recordings come from, printed beside every report column.",
            example='"staging deployment, model X"'),
        Key("local_server", "string", "A bundled local server started on free loopback ports for live and record "
            "runs: `reference`, `llamacpp`, `prism`, `yandex-stand-in`, or a real server installed by "
            "`python -m conformance.servers.peers prepare NAME` (" + ", ".join(f"`{k}`" for k in PEER_KINDS)
            + ").", example='"reference"'),
        Key("label", "string", "The report column's label, when it should say more than `name` (e.g. that a "
            "column is simulated, not the provider).", example='"My server (staging)"'),
    ), required=True),
    Table("auth", "How the API key is sent.", (
        Key("scheme", "string", "`bearer` (`Authorization: Bearer <key>`, what the SDK sends), `api-key` "
            "(`Authorization: Api-Key <key>`) or `none` (no Authorization header at all).", True, '"bearer"'),
        Key("key_env", "list of strings", "Environment variables to read the key from, first set wins. Live and "
            "record runs stop with one line when none is set (unless `default_key` is given).",
            example='["MY_API_KEY"]'),
        Key("default_key", "string", "A key used when no `key_env` variable is set, for local servers that accept "
            "any key. It is not a secret: it is not scrubbed from recordings.", example='"sk-local-not-a-secret"'),
        Key("keys", "table", "Credential kinds by prefix, for `conformance doctor`: `[auth.keys] \"<prefix>\" = "
            "{ kind = \"API key\", schemes = [\"bearer\", \"api-key\"], source = \"…\" }`.",
            example='{ "AQVN" = { kind = "API key", schemes = ["api-key", "bearer"] } }'),
        Key("roles", "string", "The roles or scopes a key needs, named by `conformance doctor --ping` on a 403.",
            example='"ai.languageModels.user"'),
    ), required=True),
    Table("vars", "Template variables `{name}` used in `[headers]`, `[endpoints]` and `[models]`, read from the "
          "environment. Secret ones are replaced by their placeholder in every recording and restored on replay.",
          free="`<name> = { env = \"ENV_VAR\", secret = true, placeholder = \"<NAME>\", default = \"…\", "
               "pattern = \"regex\", kind = \"…\" }`; `secret` defaults to true, `placeholder` to `<NAME>`; "
               "`pattern` and `kind` let `conformance doctor` say whether a value looks right."),
    Table("headers", "Extra request headers; values may use `{var}` templates.",
          free="`<Header-Name> = \"value\"`, e.g. `OpenAI-Project = \"{folder}\"`."),
    Table("endpoints", "Endpoint generations, for a target with more than one base URL; "
          "`--endpoint NAME` picks one.", (
              Key("default", "string", "The generation used when `--endpoint` is not given.", True, '"current"'),
          ), free="`[endpoints.<generation>]` with `base_url` plus optional per-surface overrides (`responses`, "
                  "`files`, `vector_stores`, `conversations`, `realtime`, …), each a URL string."),
    Table("models", "One model per capability; rows whose capability has no model are SKIP (not applicable).",
          tuple(Key(cap, "string", doc, example=ex) for cap, doc, ex in (
              ("chat", "Chat Completions and Responses rows.", '"gpt-4o-mini"'),
              ("tools", "Tool-calling rows (falls back to `chat`).", '"gpt-4o-mini"'),
              ("structured", "Structured-output rows (falls back to `chat`).", '"gpt-4o-mini"'),
              ("embeddings", "Embeddings rows.", '"text-embedding-3-small"'),
              ("embeddings_query", "A query-side embedding model, where the provider has one.",
               '"text-embedding-3-small"'),
              ("realtime", "Realtime (WebSocket) rows.", '"gpt-realtime"'),
              ("vision", "A model that reads image content parts (`chat.image_input`; no fallback).", '"gpt-4o-mini"'),
              ("reasoning", "A reasoning model that takes `reasoning_effort` (`chat.reasoning`; no fallback).",
               '"o4-mini"'),
          ))),
    Table("options", "Per-target knobs of the requests.", (
        Key("embedding_dimensions", "integer", "The `dimensions` asked for by `embeddings.dimensions`.", example="16"),
        Key("poll_timeout", "number", "Seconds a flow keeps polling (background responses, vector-store "
            "indexing); default 60.", example="5"),
        Key("realtime_model", "string", "Realtime model, when `[models] realtime` is not set.",
            example='"gpt-realtime"'),
        Key("chat_models", "list of strings", "Glob patterns (fnmatch, case-sensitive) of the `GET /models` ids that "
            "are chat models: `chat.models_usable` tries each matching id (none set: that row is SKIP).",
            example='["gpt-4o*", "gpt-4.1*"]'),
        Key("models_usable_max", "integer", "How many matching ids `chat.models_usable` tries, sorted by id, one "
            "tiny request each (0 to 5; default 3).", example="3"),
    )),
    Table("budget", "Default limits of a live or record run (`--max-requests` / `--max-tokens` override them).", (
        Key("max_requests", "integer", "Never send a request that could take the run past this many requests.",
            example="400"),
        Key("max_tokens", "integer", "Never send a request whose token bound could take the run past this many "
            "tokens.", example="30000"),
    )),
    Table("model_limits", "Rows the local server's tiny generated model cannot exercise, with the reason; the "
          "README's \"Compatibility of popular servers\" lists them per server. A verdict of such a row describes "
          "the model's limits, not the server's.",
          free="`\"<feature id>\" = \"why the tiny model cannot exercise it\"`, e.g. `\"chat.parallel_tool_calls\" = "
               "\"the model only ever answers one tool call\"`."),
    Table("claims", "What the target's documentation says, one entry per catalogue feature id; a feature "
          "without an entry is `undocumented`. The first entry is graded; all are shown with their sources.",
          free="`\"<feature id>\" = { claim = \"supported\", source = \"where it says so\" }`, or a list of such "
               f"tables. Claims: {', '.join(f'`{c.value}`' for c in Claim)}."),
)

TABLES = {t.name: t for t in SCHEMA}


def reference_markdown() -> str:
    """The README's profile reference: every table and key, generated from SCHEMA."""
    out = ["| table | key | type | required | meaning | example |", "|---|---|---|---|---|---|"]
    for table in SCHEMA:
        where = f"`[{table.name}]`" if table.name else "(top level)"
        out.append(f"| {where} | | table | {'yes' if table.required else 'no'} | {table.doc} | |")
        for key in table.keys:
            example = f"`{key.name} = {key.example}`" if key.example else ""
            out.append(f"| {where} | `{key.name}` | {key.kind} | {'yes' if key.required else 'no'} | {key.doc} | "
                       f"{example} |")
        if table.free:
            out.append(f"| {where} | *any* | | no | {table.free} | |")
    return "\n".join(out)
