"""Apply change entries (index / delete / clear) to a Whoosh index with one writer.

Entries are compacted first, last change per key wins, because a Whoosh writer
cannot delete a document it added itself before committing.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from whoosh.index import LockError
from whoosh.writing import CLEAR

from exchange.search.backend import IndexBusy
from exchange.search.documents import fields_from_json

logger = logging.getLogger(__name__)


def index_entry(fields: dict[str, Any]) -> dict[str, Any]:
    """An entry adding or replacing one document (fields as JSON-safe values)."""
    return {"op": "index", "fields": fields}


def delete_entry(keys: list[str]) -> dict[str, Any]:
    """An entry removing documents by key text."""
    return {"op": "delete", "keys": keys}


CLEAR_ENTRY: dict[str, Any] = {"op": "clear"}


def compact(entries: Iterable[dict[str, Any]]) -> tuple[bool, dict[str, dict[str, Any] | None]]:
    """Whether the index is cleared first, and the final fields (None: deleted) per key."""
    is_clear = False
    final: dict[str, dict[str, Any] | None] = {}
    for entry in entries:
        if entry["op"] == "clear":
            is_clear, final = True, {}
        elif entry["op"] == "delete":
            final.update(dict.fromkeys(entry["keys"]))
        else:
            final[entry["fields"]["key"]] = entry["fields"]
    return is_clear, final


def apply_entries(ix, entries: Iterable[dict[str, Any]], timeout: float) -> None:
    """Apply the entries to the index in one commit; IndexBusy if the lock stays taken."""
    is_clear, final = compact(entries)
    if not is_clear and not final:
        return
    try:
        writer = ix.writer(timeout=timeout)
    except LockError as error:
        raise IndexBusy(f"index writer still locked after {timeout} s") from error
    try:
        for key, fields in final.items():
            if fields is None:
                if not is_clear:
                    writer.delete_by_term("key", key)
            else:
                writer.update_document(**fields_from_json(fields))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=CLEAR) if is_clear else writer.commit()
