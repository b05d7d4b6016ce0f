"""Feature rows of the Conversations, Files and Vector Store APIs (added 2026-11-22, issue 3).

Each row grades the steps of a shared flow that it names (`<flow>:<stage>/<step>`): one conversation serves the
Conversations rows, one file and one vector store serve the Files and Vector Store rows; every flow deletes what it
created (claims.md §6-§8 keys).
"""

from __future__ import annotations

from .model import Feature, Surface, Tier


def _steps(flow: str, *labels: str) -> tuple[str, ...]:
    return tuple(f"{flow}:{label}" for label in labels)


DELETED = ("lifecycle.deleted_ack", "lifecycle.gone_after_delete")
# One flow per family shares its resources between rows (issue 13's live budget): each row names the steps it reads.
CONVERSATION = "conversations.shared"
STORE = "files.store"

ROWS: tuple[Feature, ...] = (
    Feature("conversations.crud", Surface.CONVERSATIONS, "Create, retrieve, update and delete a conversation",
            Tier.OPTIONAL, "CONV-REF create/get/update/delete; OAS /conversations",
            _steps(CONVERSATION, "conv/create", "conv/retrieve", "conv/update", "conv/delete", "conv/after_delete"),
            ("schema.flow", "conversations.created", "lifecycle.retrieve_matches", "conversations.update_applied",
             *DELETED)),
    Feature("conversations.items", Surface.CONVERSATIONS, "Add, list, get and delete conversation items",
            Tier.OPTIONAL, "CONV-REF item methods; CTX (items cannot be edited); OAS",
            _steps(CONVERSATION, "items/add", "items/list", "items/retrieve_item", "items/delete_item",
                   "items/list_after_delete"),
            ("schema.flow", "conversations.items_listed", "conversations.item_retrieved",
             "conversations.item_deleted")),
    Feature("conversations.with_responses", Surface.CONVERSATIONS, "Responses attached to a conversation share context",
            Tier.OPTIONAL, "CTX: responses.create(conversation=...); OAS conversation",
            _steps(CONVERSATION, "turns/first", "turns/second", "turns/items", "conv/create"),
            ("schema.flow", "conversations.response_items", "conversations.response_context",
             "conversations.response_echo"), model_dependent=("conversations.response_context",)),
    Feature("files.crud", Surface.FILES, "Upload, list, retrieve, download and delete a file", Tier.OPTIONAL,
            "FILES createFile/listFiles/retrieveFile/downloadFile (no delete page); OAS /files",
            _steps(STORE, "files/upload", "files/list", "files/retrieve", "files/content", "files/delete",
                   "files/after_delete"),
            ("schema.flow", "files.uploaded", "files.listed", "lifecycle.retrieve_matches", "files.content_roundtrip",
             *DELETED)),
    Feature("vector_stores.crud", Surface.VECTOR_STORES, "Create, retrieve, update, list and delete a vector store",
            Tier.OPTIONAL, "VS-IDX; VS-CREATE (expires_after required); OAS /vector_stores",
            _steps(STORE, "store/create", "store/retrieve", "store/update", "store/list", "store/delete",
                   "store/after_delete"),
            ("schema.flow", "vector_stores.created", "lifecycle.retrieve_matches", "vector_stores.update_applied",
             "vector_stores.listed", *DELETED)),
    Feature("vector_stores.files", Surface.VECTOR_STORES, "Attach a file, wait for indexing, list, detach",
            Tier.OPTIONAL, "VS-IDX files create/list/retrieve/delete; OAS",
            _steps(STORE, "attach/attach", "attach/poll", "attach/list", "attach/detach", "attach/list_after_detach",
                   "files/upload", "store/create"),
            ("schema.flow", "vector_stores.file_attached", "vector_stores.indexing_completes",
             "vector_stores.files_listed", "lifecycle.deleted_ack", "vector_stores.file_detached")),
    Feature("vector_stores.file_batches", Surface.VECTOR_STORES, "A file batch indexes all its files", Tier.OPTIONAL,
            "VS-IDX file_batches create/retrieve/list files; OAS",
            _steps(STORE, "batch/batch", "batch/poll", "batch/list_files", "batch/upload"),
            ("schema.flow", "vector_stores.indexing_completes", "vector_stores.batch_files")),
    Feature("vector_stores.search", Surface.VECTOR_STORES, "Search finds what only the uploaded file says",
            Tier.OPTIONAL, "VS-SEARCH; SEARCHIDX; OAS /vector_stores/{id}/search",
            _steps(STORE, "search/search", "attach/poll", "files/upload"),
            ("schema.flow", "vector_stores.indexing_completes", "vector_stores.search_hits")),
)
