"""The JSON API: the same services as the pages, through explicit serializers."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from exchange.brokering.queries import (experts_for, serialize_expert_suggestion, serialize_suggestion,
                                        suggestions_for)
from exchange.listings.public import get_published_listing, serialize_listing
from exchange.listings.searching import search_listings, serialize_page
from exchange.search import SearchUnavailable
from exchange.web.context import db_session, state
from exchange.web.errors import error_response
from exchange.web.openapi import openapi_document
from exchange.web.search_params import parse_search_args

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/listings")
def list_listings() -> Response | tuple[Response | str, int]:
    """Search published listings with filters, facets and highlights."""
    query = parse_search_args(request.args)
    try:
        page = search_listings(db_session(), state().search.get(), query)
    except SearchUnavailable as exc:
        return error_response(503, "search_unavailable", exc.message_vi)
    return jsonify(serialize_page(page))


@bp.get("/listings/<int:listing_id>")
def get_listing(listing_id: int) -> Response:
    """One published listing (public fields only)."""
    return jsonify(serialize_listing(get_published_listing(db_session(), listing_id)))


@bp.get("/listings/<int:listing_id>/matches")
def listing_matches(listing_id: int) -> Response:
    """Suggested counterparts of a published listing, best first, with Vietnamese reasons."""
    session = db_session()
    listing = get_published_listing(session, listing_id)
    matches = [serialize_suggestion(item) for item in suggestions_for(session, listing)]
    return jsonify({"listing": listing.ref, "matches": matches})


@bp.get("/listings/<int:listing_id>/experts")
def listing_experts(listing_id: int) -> Response:
    """Experts suggested for a published need."""
    session = db_session()
    listing = get_published_listing(session, listing_id)
    return jsonify({"listing": listing.ref,
                    "experts": [serialize_expert_suggestion(e) for e in experts_for(session, listing)]})


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document of the JSON API."""
    return jsonify(openapi_document())
