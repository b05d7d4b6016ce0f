"""Fixed request material of the Responses, Conversations, Files and Vector Store probes (no wording is asserted).

Behaviour is made observable structurally: a code word the model must carry between turns, a synthetic file with
a fact nothing else holds. Everything is constant so that requests (and so cassettes) are deterministic.
"""

from __future__ import annotations

from typing import Any

from openai.types.chat import ChatCompletionFunctionToolParam
from openai.types.file_create_params import ExpiresAfter

from . import fixtures as fx

HELLO = "Say hello."
CODE_WORD = "VELVET-4172-ORBIT"
REMEMBER = f"The code word is {CODE_WORD}. Reply with OK."
RECALL = "What is the code word? Reply with the code word only."
INSTRUCTED_WORD = "MAPLE-2291-DELTA"
INSTRUCTIONS = f"Reply with the code word {INSTRUCTED_WORD} and nothing else."
COUNT = "Count from 1 to 200, separated by spaces."
WEATHER = "What is the weather in Paris right now? Use the tool."
TOOL_OUTPUT = '{"city": "Paris", "temperature_c": 17, "sky": "clear"}'
PERSON = "Invent a person. Reply as JSON with name and age."
JSON_OK = "Reply with a JSON object with a key \"ok\" set to true."


def flat_tool(chat_tool: ChatCompletionFunctionToolParam) -> dict[str, Any]:
    """A Chat Completions function tool in the flat Responses format."""
    fn = chat_tool["function"]
    return {"type": "function", "name": fn["name"], "description": fn["description"], "parameters": fn["parameters"],
            "strict": True}


TOOLS = [flat_tool(t) for t in fx.TOOLS]
PERSON_FORMAT = {"type": "json_schema", "name": "person", "strict": True, "schema": fx.PERSON_SCHEMA}

# Synthetic files: small, generated here, never user data.
HERON_NAME = "conformance-heron.txt"
HERON = (b"Conformance suite synthetic document.\n"
         b"The launch code of project Heron is QZX-4817-KITE.\n"
         b"This line only pads the file.\n")
HERON_CODE = "QZX-4817-KITE"
HERON_ASK = "What is the launch code of project Heron? Use file search."
OSPREY_NAME = "conformance-osprey.txt"
OSPREY = (b"Conformance suite synthetic document two.\n"
          b"The harbour of project Osprey opens at dawn.\n")
FILE_EXPIRY: ExpiresAfter = {"anchor": "created_at", "seconds": 3600}
STORE_EXPIRY = {"anchor": "last_active_at", "days": 1}
METADATA = {"suite": "conformance"}
UPDATED_METADATA = {"suite": "conformance", "step": "updated"}
