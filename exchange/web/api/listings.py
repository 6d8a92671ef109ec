"""Listings in the API: search, one listing, posting (create, edit, submit, close, renew), moderation.

The same services as the pages: the record validation, the permission checks and the status rules
live there; this module only moves JSON in and out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import jsonify
from flask_smorest import Blueprint

from exchange.brokering.queries import experts_for, suggestions_for
from exchange.errors import ValidationError
from exchange.i18n import N_
from exchange.listings.duplicates import listing_warnings
from exchange.listings.editing import merged_record, revision_changes, update_listing
from exchange.listings.mine import my_listings
from exchange.listings.moderation import approve_listing, reject_listing
from exchange.listings.permissions import can_read_private
from exchange.listings.public import get_published_listing
from exchange.listings.searching import search_listings
from exchange.listings.services import (
    close_listing,
    create_listing,
    renew_listing,
    submit_listing,
    visible_listing,
)
from exchange.models import Listing, ListingRevision
from exchange.web.api import errors
from exchange.web.api.listing_schemas import (
    IGNORED,
    READ_ONLY,
    ListingBodySchema,
    ListingPatchSchema,
    ListingSchema,
    ReasonSchema,
    RevisionSchema,
    RevisionView,
    listing_json,
)
from exchange.web.api.schemas import (
    ExpertSuggestionPageSchema,
    PageArgs,
    SearchArgs,
    SearchPageSchema,
    SuggestionPageSchema,
)
from exchange.web.auth import current_actor, signed_in_actor
from exchange.web.context import db_session, state
from exchange.web.i18n import t
from exchange.web.pages import page_of
from exchange.web.search_params import to_search_query

bp = Blueprint("api_listings", __name__, url_prefix="/api", description="Listings: search, posting, moderation")
READ_ONLY_CHANGED = N_("Trường chỉ đọc: chỉ được gửi lại đúng giá trị hiện có.")


@dataclass(frozen=True)
class MineHit:
    """A listing of the caller's organization in the search page's shape (no score, no highlight)."""

    listing: Listing
    hit: None = None
    fragments: list[tuple[str, bool]] = field(default_factory=list)



def _mine(args: dict[str, Any]) -> dict[str, Any]:
    rows = my_listings(db_session(), actor=signed_in_actor())
    page = page_of([MineHit(r.listing) for r in rows], page=args["page"], per_page=args["per_page"])
    return {"hits": page.results, "total": page.total, "query": {"page": page.page, "per_page": page.per_page},
            "facets": {}}


@bp.route("/listings", methods=["GET"])
@bp.arguments(SearchArgs, location="query", error_status_code=400)
@bp.response(200, SearchPageSchema)
@errors(bp, 400, 503)
def list_listings(args: dict[str, Any]) -> Any:
    """Search published listings with filters, facets and highlights (an empty q browses, newest first);
    mine=1 lists the caller's organization's listings in every status instead."""
    if args.get("mine"):
        return _mine(args)
    return search_listings(db_session(), state().search.get(), to_search_query(args))


def _answer(listing: Listing) -> dict[str, Any]:
    return listing_json(listing, private=can_read_private(current_actor(), listing))


@bp.route("/listings", methods=["POST"])
@bp.arguments(ListingBodySchema)
@bp.response(201, ListingSchema)
@errors(bp, 400, 403, 422)
def post_listing(body: dict[str, Any]) -> Any:
    """Post a listing of the caller's organization as a draft (submit it with /submit); ref is assigned."""
    listing = create_listing(db_session(), actor=signed_in_actor(), data=body)
    warnings = listing_warnings(db_session(), listing)
    db_session().commit()
    return {**_answer(listing), "warnings": [t(w) for w in warnings]}


@bp.route("/listings/<int:listing_id>", methods=["GET"])
@bp.response(200, ListingSchema)
@errors(bp, 404)
def get_listing(listing_id: int) -> Any:
    """One listing: published ones for anyone; the others for the owner's organization, brokers and staff.
    Contact, confidential and review fields only for the owner and staff."""
    return _answer(visible_listing(db_session(), current_actor(), listing_id))


def _without_read_only(listing: Listing, body: dict[str, Any]) -> dict[str, Any]:
    current = _answer(listing)
    changed = {key: READ_ONLY_CHANGED for key in READ_ONLY
               if key in body and not _same(body[key], current.get(key))}
    if changed:
        raise ValidationError(N_("Tin chưa hợp lệ, vui lòng sửa các mục được đánh dấu."), changed)
    return {key: value for key, value in body.items() if key not in READ_ONLY and key not in IGNORED}


def _same(sent: Any, current: Any) -> bool:
    if hasattr(current, "isoformat"):
        return isinstance(sent, str) and sent.replace("Z", "+00:00")[:19] == current.isoformat()[:19]
    return sent == current


@bp.route("/listings/<int:listing_id>", methods=["PATCH"])
@bp.arguments(ListingPatchSchema)
@bp.response(200, ListingSchema)
@bp.alt_response(202, schema=RevisionSchema, description="published listing: the edit waits as a revision")
@errors(bp, 400, 403, 404, 422)
def patch_listing(body: dict[str, Any], listing_id: int) -> Any:
    """Change the keys given (null clears one); a published listing keeps showing its published text and the
    edit waits for staff as a revision (202)."""
    session, actor = db_session(), signed_in_actor()
    listing = visible_listing(session, actor, listing_id)
    changes = _without_read_only(listing, body)
    result = update_listing(session, actor=actor, listing_id=listing.id, data=merged_record(listing, changes))
    session.commit()
    if isinstance(result, ListingRevision):
        view = RevisionView(result, [c.key for c in revision_changes(result) if c.changed])
        response = jsonify(RevisionSchema().dump(view))  # a Response passes the 200 schema untouched
        response.status_code = 202
        return response
    return _answer(result)


def _transition(listing_id: int, service: Any, **kwargs: Any) -> Any:
    session, actor = db_session(), signed_in_actor()
    visible_listing(session, actor, listing_id)
    listing = service(session, actor=actor, listing_id=listing_id, **kwargs)
    session.commit()
    return _answer(listing)


@bp.route("/listings/<int:listing_id>/submit", methods=["POST"])
@bp.response(200, ListingSchema)
@errors(bp, 403, 404, 409)
def submit(listing_id: int) -> Any:
    """Send a draft or a rejected listing for review."""
    return _transition(listing_id, submit_listing)


@bp.route("/listings/<int:listing_id>/approve", methods=["POST"])
@bp.response(200, ListingSchema)
@errors(bp, 403, 404, 409)
def approve(listing_id: int) -> Any:
    """Staff: publish a submitted listing for 365 days (suggestions follow in the background)."""
    return _transition(listing_id, approve_listing)


@bp.route("/listings/<int:listing_id>/reject", methods=["POST"])
@bp.arguments(ReasonSchema)
@bp.response(200, ListingSchema)
@errors(bp, 400, 403, 404, 409, 422)
def reject(body: dict[str, Any], listing_id: int) -> Any:
    """Staff: send a submitted listing back with a reason (409 when it no longer waits, checked first)."""
    return _transition(listing_id, reject_listing, reason=body.get("reason", ""))


@bp.route("/listings/<int:listing_id>/close", methods=["POST"])
@bp.response(200, ListingSchema)
@errors(bp, 403, 404, 409)
def close(listing_id: int) -> Any:
    """The owner or staff: take the listing out of search and suggestions."""
    return _transition(listing_id, close_listing)


@bp.route("/listings/<int:listing_id>/renew", methods=["POST"])
@bp.response(200, ListingSchema)
@errors(bp, 403, 404, 409)
def renew(listing_id: int) -> Any:
    """The owner or staff: publish a published (expiring) or expired listing for another 365 days."""
    return _transition(listing_id, renew_listing)


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
