"""Listings and experts (ORM rows, read by attribute only) as SearchDocuments.

No SQLAlchemy import: these functions read attributes, so a test can pass any
object with the same names. Only published listings and public experts belong
in the index. Tokens come from the rows' token cache, never from re-segmenting.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from exchange.search.backend import SearchDocument
from exchange.text import FieldTokens, normalize

# Bump when what goes into the index changes, so search-check reports every document stale.
INDEX_LAYOUT = "1"


def _value(member: Any) -> Any:
    """An enum's value, or the value itself."""
    return getattr(member, "value", member)


def fingerprint(doc: SearchDocument) -> str:
    """A short hash of everything indexed about a document (its version)."""
    data = dataclasses.asdict(dataclasses.replace(doc, version=""))
    text = json.dumps([INDEX_LAYOUT, data], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _versioned(doc: SearchDocument) -> SearchDocument:
    """The document with its fingerprint as version."""
    return dataclasses.replace(doc, version=fingerprint(doc))


def is_listing_searchable(listing: Any) -> bool:
    """Only published listings are searchable."""
    return _value(listing.status) == "published"


def is_expert_searchable(expert: Any) -> bool:
    """Only public experts are searchable."""
    return bool(expert.is_public)


def listing_document(listing: Any) -> SearchDocument:
    """The index document of a listing (reads the organization relationship)."""
    organization = listing.organization.name if listing.organization is not None else None
    return _versioned(SearchDocument(
        doc_type="listing", doc_id=listing.id, kind=_value(listing.kind), title=listing.title or "",
        summary=listing.summary or "", body=listing.description or "", tokens=listing.cached_tokens(),
        version="", field=listing.field_code, locality=listing.locality_code,
        product_type=_value(listing.product_type), trl=listing.trl, organization=organization,
        published_at=listing.published_at,
    ))


def _name_tokens(name: str) -> tuple[str, ...]:
    """A person's name as lower-case syllables (names have no compounds to segment)."""
    return tuple(normalize(name).lower().split())


def expert_document(expert: Any) -> SearchDocument:
    """The index document of an expert: name and title, specialties, bio."""
    cached = expert.cached_tokens()
    heading = " ".join(part for part in (expert.title, expert.full_name) if part)
    tokens = FieldTokens(_name_tokens(heading) + cached.title, cached.keywords, cached.description)
    return _versioned(SearchDocument(
        doc_type="expert", doc_id=expert.id, title=heading, summary="; ".join(expert.specialties or []),
        body=expert.bio or "", tokens=tokens, version="",
        field=(expert.field_codes or [None])[0], organization=expert.organization_name,
        published_at=expert.created_at,
    ))
