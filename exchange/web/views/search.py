"""The search page: query box, facet sidebar with counts, highlighted results, pagination."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from exchange.errors import MalformedInput
from exchange.listings.searching import search_listings
from exchange.search import SearchUnavailable
from exchange.web.context import db_session, state
from exchange.web.i18n import t, translate_fields
from exchange.web.search_params import parse_search_args

bp = Blueprint("search", __name__)


@bp.get("/tim-kiem")
def search_page() -> tuple[str, int] | str:
    """Tìm kiếm công nghệ chào bán và nhu cầu công nghệ."""
    try:
        query = parse_search_args(request.args)
        page = search_listings(db_session(), state().search.get(), query)
    except MalformedInput as exc:
        return render_template("search.html", page=None, q=request.args.get("q", ""),
                               problems=translate_fields(exc.fields)), 400
    except SearchUnavailable as exc:
        return render_template("search.html", page=None, q=request.args.get("q", ""),
                               unavailable=t(exc.message_vi)), 503
    return render_template("search.html", page=page, q=query.text)
