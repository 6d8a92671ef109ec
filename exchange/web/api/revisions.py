"""Revisions of published listings and attachments in the API (the same services as the pages)."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint

from exchange.errors import ValidationError
from exchange.i18n import N_
from exchange.listings import editing
from exchange.listings.attachments import (
    attachment_for_download,
    remove_attachment,
    stored_path,
)
from exchange.listings.editing import (
    approve_revision,
    reject_revision,
    revision_changes,
    visible_revision,
)
from exchange.listings.services import visible_listing
from exchange.models import ListingRevision, RevisionStatus
from exchange.web.api import errors
from exchange.web.api.listing_schemas import (
    AttachmentFormSchema,
    AttachmentSchema,
    ReasonSchema,
    RevisionArgs,
    RevisionPageSchema,
    RevisionSchema,
    RevisionView,
)
from exchange.web.auth import current_actor, signed_in_actor
from exchange.web.context import db_session, state
from exchange.web.pages import page_of
from exchange.web.views.files import send_stored, upload_to

bp = Blueprint("api_revisions", __name__, url_prefix="/api", description="Revisions and attachments")



def _view(revision: ListingRevision) -> RevisionView:
    changed = [c.key for c in revision_changes(revision) if c.changed] if revision.status is RevisionStatus.pending \
        else []
    return RevisionView(revision, changed)


@bp.route("/revisions", methods=["GET"])
@bp.arguments(RevisionArgs, location="query", error_status_code=400)
@bp.response(200, RevisionPageSchema)
@errors(bp, 400, 403)
def list_revisions(args: dict[str, Any]) -> Any:
    """Revisions of published listings: staff see all, members their organization's; oldest first."""
    revisions = editing.list_revisions(db_session(), actor=signed_in_actor(), status=RevisionStatus(args["status"]))
    rows = [_view(r) for r in revisions]
    return page_of(rows, page=args["page"], per_page=args["per_page"])


@bp.route("/revisions/<int:revision_id>", methods=["GET"])
@bp.response(200, RevisionSchema)
@errors(bp, 404)
def get_revision(revision_id: int) -> Any:
    """One revision (its listing's organization and staff)."""
    return _view(visible_revision(db_session(), signed_in_actor(), revision_id))


@bp.route("/revisions/<int:revision_id>/approve", methods=["POST"])
@bp.response(200, RevisionSchema)
@errors(bp, 403, 404, 409)
def approve(revision_id: int) -> Any:
    """Staff: publish the revision (search and suggestions follow)."""
    revision = approve_revision(db_session(), actor=signed_in_actor(), revision_id=revision_id)
    db_session().commit()
    return _view(revision)


@bp.route("/revisions/<int:revision_id>/reject", methods=["POST"])
@bp.arguments(ReasonSchema)
@bp.response(200, RevisionSchema)
@errors(bp, 400, 403, 404, 409, 422)
def reject(body: dict[str, Any], revision_id: int) -> Any:
    """Staff: refuse the revision with a reason; the listing stays as published."""
    revision = reject_revision(db_session(), actor=signed_in_actor(), revision_id=revision_id,
                               reason=body.get("reason", ""))
    db_session().commit()
    return _view(revision)


@bp.route("/listings/<int:listing_id>/attachments", methods=["POST"])
@bp.arguments(AttachmentFormSchema, location="form")
@bp.response(201, AttachmentSchema)
@errors(bp, 400, 403, 404, 413, 422)
def add_attachment(form: dict[str, Any], listing_id: int) -> Any:
    """Attach a file (multipart field `file`): PDF, JPEG/PNG/WebP, DOCX or XLSX; type read from the bytes."""
    actor = signed_in_actor()
    visible_listing(db_session(), actor, listing_id)
    storage = request.files.get("file")
    if storage is None:
        raise ValidationError(N_("Hãy chọn một tệp."), {"file": N_("Thiếu trường bắt buộc.")})
    attachment = upload_to(listing_id, storage, form.get("visibility"))
    db_session().commit()
    return attachment


@bp.route("/attachments/<int:attachment_id>", methods=["GET"])
@bp.response(200, description="the file, as an attachment")
@errors(bp, 403, 404)
def download(attachment_id: int) -> Any:
    """Download an attachment (public ones: whoever may read the listing; the others after an accepted contact)."""
    attachment = attachment_for_download(db_session(), current_actor(), attachment_id)
    return send_stored(stored_path(state().config.upload_dir, attachment.stored_name), attachment.mime_type,
                       attachment.original_name)


@bp.route("/attachments/<int:attachment_id>", methods=["DELETE"])
@bp.response(204)
@errors(bp, 403, 404)
def delete(attachment_id: int) -> Any:
    """Remove an attachment and its file (the owner or staff)."""
    actor = signed_in_actor()
    attachment_for_download(db_session(), actor, attachment_id)
    remove_attachment(db_session(), actor=actor, attachment_id=attachment_id)
    db_session().commit()
    return None
