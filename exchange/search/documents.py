"""The Whoosh schema and the conversion of SearchDocument into index fields."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from exchange.search.analysis import folded_analyzer, syllables_analyzer, words_analyzer
from exchange.search.backend import FACETS, SearchDocument

# Indexed text parts: prefix of the three sub-fields → attribute of FieldTokens.
TEXT_PARTS: dict[str, str] = {"title": "title", "kw": "keywords", "body": "description"}


def key_text(doc_type: str, doc_id: int) -> str:
    """The unique key term of a document: "listing:42"."""
    return f"{doc_type}:{int(doc_id)}"


def _text_fields() -> dict[str, Any]:
    """Three sub-fields per text part: _w words, _s syllables, _f folded syllables."""
    fields: dict[str, Any] = {}
    for part in TEXT_PARTS:
        # Phrases are matched on syllables, so only the word field can skip positions.
        fields[f"{part}_w"] = TEXT(analyzer=words_analyzer(), phrase=False)
        fields[f"{part}_s"] = TEXT(analyzer=syllables_analyzer())
        fields[f"{part}_f"] = TEXT(analyzer=folded_analyzer())
    return fields


def make_schema() -> Schema:
    """The schema of every generation of the index."""
    facets = {name: ID(sortable=True) for name in FACETS}
    return Schema(
        key=ID(unique=True, stored=True),
        doc_type=ID(sortable=True),
        doc_id=NUMERIC(int, bits=64, sortable=True, stored=True),
        version=ID(sortable=True),
        trl=NUMERIC(int),
        published_at=DATETIME(sortable=True),
        title=STORED(),
        summary=STORED(),
        body=STORED(),
        **facets,
        **_text_fields(),
    )


def _naive_utc(moment: datetime | None) -> datetime | None:
    """Whoosh stores naive datetimes; aware ones are converted to UTC first."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def to_fields(doc: SearchDocument) -> dict[str, Any]:
    """The Whoosh fields of a document, from its cached tokens (never re-segmented)."""
    fields: dict[str, Any] = {
        "key": key_text(doc.doc_type, doc.doc_id),
        "doc_type": doc.doc_type,
        "doc_id": int(doc.doc_id),
        "version": doc.version,
        "title": doc.title or "",
        "summary": doc.summary or "",
        "body": doc.body or "",
    }
    for part, attribute in TEXT_PARTS.items():
        text = " ".join(getattr(doc.tokens, attribute) or ())
        fields[f"{part}_w"] = fields[f"{part}_s"] = fields[f"{part}_f"] = text
    for name in FACETS:
        value = getattr(doc, name)
        if value:
            fields[name] = str(value)
    if doc.trl is not None:
        fields["trl"] = int(doc.trl)
    if doc.published_at is not None:
        fields["published_at"] = _naive_utc(doc.published_at)
    return fields


def fields_to_json(fields: dict[str, Any]) -> dict[str, Any]:
    """Index fields as JSON-safe values (for the rebuild journal)."""
    data = dict(fields)
    if data.get("published_at") is not None:
        data["published_at"] = data["published_at"].isoformat()
    return data


def fields_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """The inverse of fields_to_json."""
    fields = dict(data)
    if fields.get("published_at") is not None:
        fields["published_at"] = datetime.fromisoformat(fields["published_at"])
    return fields
