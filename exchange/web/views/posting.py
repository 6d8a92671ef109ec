"""Posting: a new listing, editing, preview, submit, close, renew, and "Tin của tôi"."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from exchange.errors import DomainError, ValidationError
from exchange.listings.duplicates import listing_warnings
from exchange.listings.editing import pending_revision, update_listing
from exchange.listings.lookups import record_values
from exchange.listings.mine import my_listings, status_counts
from exchange.listings.services import (
    close_listing,
    create_listing,
    editable_listing,
    preview_listing,
    renew_listing,
    require_can_post,
    submit_listing,
)
from exchange.models import (
    Field,
    ListingRevision,
    ListingStatus,
    Locality,
)
from exchange.web.auth import current_actor, login_required
from exchange.web.context import db_session
from exchange.web.forms.accounts import ConfirmForm
from exchange.web.forms.listings import ListingForm
from exchange.web.views.formtools import show_errors

bp = Blueprint("posting", __name__)
ACTIONS = ("draft", "preview", "submit")


def _form(**kwargs: Any) -> ListingForm:
    form = ListingForm(**kwargs)
    form.set_fields(list(db_session().execute(select(Field.code, Field.name).order_by(Field.name))))
    return form


def _localities() -> list[str]:
    return list(db_session().scalars(select(Locality.name).order_by(Locality.name)))


def _render(form: ListingForm, *, listing: Any = None, preview: Any = None, warnings: list[str] | None = None,
            status: int = 200):  # type: ignore[no-untyped-def]
    return render_template("posting/form.html", form=form, listing=listing, preview=preview,
                           warnings=warnings or [], localities=_localities(), invalid=status == 422), status


@bp.get("/dang-tin")
@login_required
def new_listing():  # type: ignore[no-untyped-def]
    """Đăng tin mới: công nghệ chào bán hoặc nhu cầu công nghệ."""
    require_can_post(current_actor())
    form = _form(formdata=None)
    form.kind.data = request.args.get("loai") if request.args.get("loai") in ("offer", "need") else "offer"
    return _render(form)


@bp.post("/dang-tin")
@login_required
def create():  # type: ignore[no-untyped-def]
    """Lưu nháp, xem trước hoặc gửi duyệt một tin mới."""
    form, action = _form(), request.form.get("action", "draft")
    if not form.validate_on_submit() or action not in ACTIONS:
        return _render(form, status=400)
    try:
        if action == "preview":
            preview = preview_listing(db_session(), actor=current_actor(), data=form.record())
            return _render(form, preview=preview, warnings=listing_warnings(db_session(), preview))
        listing = create_listing(db_session(), actor=current_actor(), data=form.record(), submit=action == "submit")
    except ValidationError as exc:
        show_errors(form, exc)
        return _render(form, status=422)
    warnings = listing_warnings(db_session(), listing)
    db_session().commit()
    flash(_("Đã gửi tin %(ref)s để cán bộ Sở duyệt.", ref=listing.ref) if action == "submit"
          else _("Đã lưu bản nháp %(ref)s.", ref=listing.ref), "success")
    for warning in warnings:
        flash(warning, "notice")
    return redirect(url_for("listings.listing_page", listing_id=listing.id))


@bp.get("/tin/<int:listing_id>/sua")
@login_required
def edit(listing_id: int):  # type: ignore[no-untyped-def]
    """Sửa tin (tin đang công bố: bản sửa chờ cán bộ Sở duyệt)."""
    listing = editable_listing(db_session(), current_actor(), listing_id)
    form = _form(formdata=None)
    revision = pending_revision(db_session(), listing.id)
    form.fill(revision.data if revision is not None else record_values(listing))
    return _render(form, listing=listing)


@bp.post("/tin/<int:listing_id>/sua")
@login_required
def save(listing_id: int):  # type: ignore[no-untyped-def]
    """Lưu bản sửa, xem trước, hoặc lưu rồi gửi duyệt."""
    session, actor = db_session(), current_actor()
    listing = editable_listing(session, actor, listing_id)
    form, action = _form(), request.form.get("action", "draft")
    if not form.validate_on_submit() or action not in ACTIONS:
        return _render(form, listing=listing, status=400)
    try:
        if action == "preview":
            preview = preview_listing(session, actor=actor, data=form.record(), listing=listing)
            return _render(form, listing=listing, preview=preview, warnings=listing_warnings(session, preview))
        result = update_listing(session, actor=actor, listing_id=listing.id, data=form.record())
        if action == "submit" and listing.status in (ListingStatus.draft, ListingStatus.rejected):
            submit_listing(session, actor=actor, listing_id=listing.id)
    except ValidationError as exc:
        show_errors(form, exc)
        return _render(form, listing=listing, status=422)
    session.commit()
    if isinstance(result, ListingRevision):
        flash(_("Đã gửi bản sửa; tin vẫn hiển thị như cũ cho tới khi cán bộ Sở duyệt bản sửa."), "success")
    elif listing.status is ListingStatus.published:
        flash(_("Không có thay đổi nào so với tin đang công bố."), "notice")
    elif listing.status is ListingStatus.submitted:
        flash(_("Đã lưu và gửi tin để cán bộ Sở duyệt."), "success")
    else:
        flash(_("Đã lưu tin."), "success")
    return redirect(url_for("listings.listing_page", listing_id=listing.id))


def _act(listing_id: int, service: Any, done: str):  # type: ignore[no-untyped-def]
    if not ConfirmForm().validate_on_submit():
        abort(400)
    editable_listing(db_session(), current_actor(), listing_id)
    try:
        listing = service(db_session(), actor=current_actor(), listing_id=listing_id)
    except DomainError as exc:
        if exc.http_status != 409:
            raise
        flash(_("Không thực hiện được: tin đã đổi trạng thái."), "error")
        return redirect(url_for("listings.listing_page", listing_id=listing_id))
    db_session().commit()
    flash(done % {"ref": listing.ref}, "success")
    return redirect(request.form.get("back") == "mine" and url_for("posting.mine")
                    or url_for("listings.listing_page", listing_id=listing_id))


@bp.post("/tin/<int:listing_id>/gui-duyet")
@login_required
def submit(listing_id: int):  # type: ignore[no-untyped-def]
    """Gửi tin nháp hoặc tin bị từ chối (đã sửa) để duyệt."""
    return _act(listing_id, submit_listing, _("Đã gửi tin %(ref)s để cán bộ Sở duyệt."))


@bp.post("/tin/<int:listing_id>/dong")
@login_required
def close(listing_id: int):  # type: ignore[no-untyped-def]
    """Đóng tin: tin rời tìm kiếm và gợi ý ngay."""
    return _act(listing_id, close_listing, _("Đã đóng tin %(ref)s."))


@bp.post("/tin/<int:listing_id>/gia-han")
@login_required
def renew(listing_id: int):  # type: ignore[no-untyped-def]
    """Gia hạn tin thêm 365 ngày."""
    return _act(listing_id, renew_listing, _("Đã gia hạn tin %(ref)s thêm 365 ngày."))


@bp.get("/tin-cua-toi")
@login_required
def mine():  # type: ignore[no-untyped-def]
    """Tin của tôi: các tin của tổ chức theo trạng thái."""
    actor, wanted = current_actor(), request.args.get("trang-thai", "")
    status = ListingStatus(wanted) if wanted in {s.value for s in ListingStatus} else None
    rows = my_listings(db_session(), actor=actor, status=status)
    return render_template("posting/mine.html", rows=rows, counts=status_counts(db_session(), actor=actor),
                           status=status, confirm=ConfirmForm())
