"""Attachments: upload, remove, download (always as an attachment, never rendered by the browser)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _

from exchange.errors import TooLarge, ValidationError
from exchange.listings.attachments import (
    Upload,
    add_attachment,
    attachment_for_download,
    remove_attachment,
    stored_path,
)
from exchange.listings.services import editable_listing
from exchange.models import AttachmentVisibility
from exchange.web.auth import current_actor, login_required
from exchange.web.context import db_session, state
from exchange.web.forms.accounts import ConfirmForm
from exchange.web.forms.listings import AttachmentForm
from exchange.web.i18n import t

bp = Blueprint("files", __name__)


def read_upload(storage) -> Upload:  # type: ignore[no-untyped-def]
    """The uploaded file's name and bytes (at most the configured size plus one byte is read)."""
    limit = state().config.max_upload_mb * 1024 * 1024
    return Upload(filename=storage.filename or "", data=storage.stream.read(limit + 1))


def upload_to(listing_id: int, storage, visibility: str | None):  # type: ignore[no-untyped-def]
    """Add an uploaded file to a listing through the attachment service (pages and the API)."""
    cfg = state().config
    editable_listing(db_session(), current_actor(), listing_id)  # 404 while hidden from the actor, else 403
    return add_attachment(db_session(), actor=current_actor(), listing_id=listing_id, upload=read_upload(storage),
                          upload_dir=cfg.upload_dir, max_bytes=cfg.max_upload_mb * 1024 * 1024,
                          visibility=AttachmentVisibility(visibility) if visibility else None)


@bp.post("/tin/<int:listing_id>/tep")
@login_required
def upload(listing_id: int):  # type: ignore[no-untyped-def]
    """Thêm tệp đính kèm cho tin."""
    form = AttachmentForm()
    back = url_for("listings.listing_page", listing_id=listing_id) + "#tep"
    if not form.validate_on_submit():
        flash(_("Biểu mẫu không hợp lệ, vui lòng thử lại."), "error")
        return redirect(back)
    if not form.file.data:
        flash(_("Hãy chọn một tệp."), "error")
        return redirect(back)
    try:
        attachment = upload_to(listing_id, form.file.data, form.visibility.data)
    except (ValidationError, TooLarge) as exc:
        flash(t(exc.fields.get("file", exc.message)), "error")
        return redirect(back)
    db_session().commit()
    flash(_("Đã thêm tệp %(name)s.", name=attachment.original_name), "success")
    return redirect(back)


@bp.post("/tep/<int:attachment_id>/xoa")
@login_required
def remove(attachment_id: int):  # type: ignore[no-untyped-def]
    """Gỡ tệp đính kèm (tệp bị xoá khỏi máy chủ)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attachment = attachment_for_download(db_session(), current_actor(), attachment_id)
    listing_id = attachment.listing_id
    remove_attachment(db_session(), actor=current_actor(), attachment_id=attachment_id)
    db_session().commit()
    flash(_("Đã gỡ tệp."), "success")
    return redirect(url_for("listings.listing_page", listing_id=listing_id) + "#tep")


@bp.get("/tep/<int:attachment_id>")
def download(attachment_id: int):  # type: ignore[no-untyped-def]
    """Tải tệp đính kèm."""
    attachment = attachment_for_download(db_session(), current_actor(), attachment_id)
    path = stored_path(state().config.upload_dir, attachment.stored_name)
    return send_stored(path, attachment.mime_type, attachment.original_name)


@bp.get("/tep/<int:attachment_id>/anh-nho")
def thumbnail(attachment_id: int):  # type: ignore[no-untyped-def]
    """Ảnh thu nhỏ của một ảnh đính kèm."""
    attachment = attachment_for_download(db_session(), current_actor(), attachment_id)
    if not attachment.thumbnail_name:
        abort(404)
    path = stored_path(state().config.upload_dir, attachment.thumbnail_name)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_stored(path, mime: str, name: str):  # type: ignore[no-untyped-def]
    """A stored file as a download: never rendered inline, never sniffed, never cached by others."""
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=mime, as_attachment=True, download_name=name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
