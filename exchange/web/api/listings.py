"""Listings in the API: search with facets, a published listing, its suggestions and experts."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from exchange.brokering.queries import experts_for, suggestions_for
from exchange.listings.public import get_published_listing
from exchange.listings.searching import search_listings
from exchange.web.api import errors
from exchange.web.api.schemas import (
    ExpertSuggestionPageSchema,
    PageArgs,
    PublicListingSchema,
    SearchArgs,
    SearchPageSchema,
    SuggestionPageSchema,
)
from exchange.web.context import db_session, state
from exchange.web.pages import page_of
from exchange.web.search_params import to_search_query

bp = Blueprint("api_listings", __name__, url_prefix="/api", description="Published listings")


@bp.route("/listings", methods=["GET"])
@bp.arguments(SearchArgs, location="query", error_status_code=400)
@bp.response(200, SearchPageSchema)
@errors(bp, 400, 503)
def list_listings(args: dict[str, Any]) -> Any:
    """Search published listings with filters, facets and highlights (an empty q browses, newest first)."""
    return search_listings(db_session(), state().search.get(), to_search_query(args))


@bp.route("/listings/<int:listing_id>", methods=["GET"])
@bp.response(200, PublicListingSchema)
@errors(bp, 404)
def get_listing(listing_id: int) -> Any:
    """One published listing (public fields only: never contact or confidential details)."""
    return get_published_listing(db_session(), listing_id)


@bp.route("/listings/<int:listing_id>/matches", methods=["GET"])
@bp.arguments(PageArgs, location="query", error_status_code=400)
@bp.response(200, SuggestionPageSchema)
@errors(bp, 400, 404)
def listing_matches(args: dict[str, Any], listing_id: int) -> Any:
    """Suggested counterparts of a published listing, best first, with Vietnamese reasons."""
    session = db_session()
    return page_of(suggestions_for(session, get_published_listing(session, listing_id)), **args)


@bp.route("/listings/<int:listing_id>/experts", methods=["GET"])
@bp.arguments(PageArgs, location="query", error_status_code=400)
@bp.response(200, ExpertSuggestionPageSchema)
@errors(bp, 400, 404)
def listing_experts(args: dict[str, Any], listing_id: int) -> Any:
    """Experts suggested for a published need (no contact details)."""
    session = db_session()
    return page_of(experts_for(session, get_published_listing(session, listing_id)), **args)
