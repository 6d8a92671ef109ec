"""The OpenAPI 3.1 document served at /api/openapi.json (the reference of the JSON API)."""
from __future__ import annotations

from typing import Any

from exchange.search.backend import MAX_PER_PAGE, SORTS

ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "fields"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string", "description": "Vietnamese message"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}},
}
FACET_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
RESULT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "ref": {"type": "string"}, "kind": {"enum": ["offer", "need"]},
        "title": {"type": "string"}, "summary": {"type": "string"}, "field": {"type": ["string", "null"]},
        "locality": {"type": ["string", "null"]}, "organization": {"type": ["string", "null"]},
        "published_at": {"type": ["string", "null"], "format": "date-time"}, "score": {"type": "number"},
        "highlight": {"type": "array", "description": "fragments [text, is_match]; no HTML",
                      "items": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "boolean"}]}},
    },
}


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


LISTING_PARAMS = [
    _param("q", {"type": "string"}, "words, with or without diacritics; \"quoted phrase\"; empty = browse"),
    _param("kind", {"enum": ["offer", "need"]}, "listing kind"),
    _param("field", {"type": "string"}, "field code, e.g. nong-nghiep"),
    _param("locality", {"type": "string"}, "locality code"),
    _param("product_type", {"enum": ["technology", "equipment", "ip", "ocop"]}, "product type"),
    _param("trl_min", {"type": "integer", "minimum": 1, "maximum": 9}, "lowest TRL"),
    _param("trl_max", {"type": "integer", "minimum": 1, "maximum": 9}, "highest TRL"),
    _param("page", {"type": "integer", "minimum": 1, "default": 1}, "page, from 1"),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20}, "page size"),
    _param("sort", {"enum": list(SORTS), "default": "relevance"}, "order of results"),
    _param("typing", {"type": "boolean", "default": False},
           "search as you type: the last word (from its second letter) also matches as a prefix"),
]


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def openapi_document() -> dict[str, Any]:
    """The whole document."""
    page = {"type": "object", "required": ["total", "page", "per_page", "results", "facets"], "properties": {
        "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/ListingResult"}},
        "facets": {"type": "object", "properties": {k: FACET_COUNTS for k in
                                                    ("kind", "field", "locality", "product_type")}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sàn Giao dịch công nghệ Quảng Nam — API", "version": "1"},
        "paths": {"/api/listings": {"get": {
            "summary": "Search published listings (facets, highlights, pagination)",
            "parameters": LISTING_PARAMS,
            "responses": {
                "200": {"description": "one page of results; an unknown facet value or a page past the end "
                                       "gives no results",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListingPage"}}}},
                "400": _error_response("a malformed parameter"),
                "503": _error_response("the search index is being rebuilt"),
            }}}},
        "components": {"schemas": {"Error": ERROR, "ListingResult": RESULT, "ListingPage": page}},
    }
