"""The public page of a listing, with its suggested counterparts and experts."""
from __future__ import annotations

from flask import Blueprint, render_template

from exchange.brokering.queries import experts_for, suggestions_for
from exchange.listings.public import get_published_listing
from exchange.web.context import db_session, state

bp = Blueprint("listings", __name__)


@bp.get("/tin/<int:listing_id>")
def listing_page(listing_id: int) -> str:
    """Chi tiết tin và các gợi ý phù hợp."""
    session = db_session()
    listing = get_published_listing(session, listing_id)
    return render_template("listing.html", listing=listing, suggestions=suggestions_for(session, listing),
                           experts=experts_for(session, listing), threshold=state().config.match_threshold)
