"""Where a signed-in user lands: members see their listings, notifications and suggestions; staff the review queue."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from exchange.brokering.queries import suggestions_for
from exchange.listings.mine import my_listings, status_counts
from exchange.listings.permissions import is_staff
from exchange.listings.queries import newest_published
from exchange.models import ListingKind, ListingStatus
from exchange.notifications.services import list_notifications
from exchange.web.auth import current_actor, login_required
from exchange.web.context import db_session, state

bp = Blueprint("dashboard", __name__)


@bp.get("/bang-tin")
@login_required
def home():  # type: ignore[no-untyped-def]
    """Bảng tin: tin của tôi, thông báo mới, gợi ý cho các tin đang công bố."""
    session, actor = db_session(), current_actor()
    if is_staff(actor):
        return redirect(url_for("moderation.queue"))
    notes = list_notifications(session, user=actor, page=1, per_page=5).results
    if actor.organization_id is None:  # brokers: the newest listings until their queue exists
        return render_template("dashboard.html", rows=[], counts={}, notes=notes, suggestions=[],
                               newest={k: newest_published(session, k, 5) for k in ListingKind})
    rows = my_listings(session, actor=actor)
    published = [r.listing for r in rows if r.listing.status is ListingStatus.published][:5]
    threshold = state().config.match_threshold  # the dashboard shows only suggestions worth a look
    suggestions = [(listing, [s for s in suggestions_for(session, listing, limit=3) if s.match.score >= threshold])
                   for listing in published]
    return render_template("dashboard.html", rows=rows[:10], counts=status_counts(session, actor=actor),
                           notes=notes, suggestions=suggestions, newest={})
