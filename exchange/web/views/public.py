"""Public pages: the home page with the newest published offers and needs."""
from __future__ import annotations

from flask import Blueprint, render_template

from exchange.listings.queries import count_published, newest_published
from exchange.models import ListingKind
from exchange.web.context import db_session

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    """Trang chủ: công nghệ chào bán và nhu cầu công nghệ mới nhất."""
    session = db_session()
    return render_template(
        "home.html",
        offers=newest_published(session, ListingKind.offer),
        needs=newest_published(session, ListingKind.need),
        counts=count_published(session),
    )
