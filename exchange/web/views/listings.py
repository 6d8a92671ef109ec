"""The page of a listing: public once published; before that (and after) for its organization, brokers and staff."""
from __future__ import annotations

from flask import Blueprint, render_template

from exchange.brokering.pending import is_refresh_pending
from exchange.brokering.queries import experts_for, suggestions_for
from exchange.listings.attachments import visible_attachments
from exchange.listings.editing import pending_revision
from exchange.listings.mine import ACTIONS
from exchange.listings.permissions import can_read_private
from exchange.listings.services import visible_listing
from exchange.models import ListingStatus
from exchange.web.auth import current_actor
from exchange.web.context import db_session, state
from exchange.web.forms.accounts import ConfirmForm
from exchange.web.forms.listings import AttachmentForm

bp = Blueprint("listings", __name__)


@bp.get("/tin/<int:listing_id>")
def listing_page(listing_id: int) -> str:
    """Chi tiết tin, tệp đính kèm và các gợi ý phù hợp."""
    session, actor = db_session(), current_actor()
    listing = visible_listing(session, actor, listing_id)
    private = can_read_private(actor, listing)
    published = listing.status is ListingStatus.published
    return render_template(
        "listing.html", listing=listing, private=private,
        actions=ACTIONS[listing.status] if private else (),
        revision=pending_revision(session, listing.id) if private else None,
        attachments=visible_attachments(session, actor, listing),
        refreshing=is_refresh_pending(session, listing.id),
        suggestions=suggestions_for(session, listing) if published else [],
        experts=experts_for(session, listing) if published else [],
        threshold=state().config.match_threshold, confirm=ConfirmForm(), upload=AttachmentForm())
