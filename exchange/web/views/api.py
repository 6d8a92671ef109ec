"""The JSON API: the same services as the pages, through explicit serializers."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

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


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document of the JSON API."""
    return jsonify(openapi_document())
