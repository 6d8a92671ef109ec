"""Staff review: the queue of submitted listings and waiting revisions, approval and rejection with a reason."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from exchange.errors import ValidationError
from exchange.listings.duplicates import listing_warnings
from exchange.listings.editing import (
    approve_revision,
    get_revision,
    pending_revisions,
    reject_revision,
    revision_changes,
)
from exchange.listings.moderation import (
    QueueFilter,
    approve_listing,
    count_waiting,
    reject_listing,
    review_queue,
)
from exchange.listings.permissions import is_staff, require_staff
from exchange.listings.services import get_listing
from exchange.models import Field, ListingKind, Locality
from exchange.web.auth import current_actor, login_required
from exchange.web.context import db_session
from exchange.web.forms.accounts import ConfirmForm
from exchange.web.forms.listings import ReasonForm
from exchange.web.i18n import t

bp = Blueprint("moderation", __name__, url_prefix="/duyet-tin")


def _filters() -> QueueFilter:
    args = request.args
    kind = args.get("loai")
    days = args.get("cho-tu", "")
    return QueueFilter(kind=ListingKind(kind) if kind in ("offer", "need") else None,
                       field_code=args.get("linh-vuc") or None, locality_code=args.get("dia-phuong") or None,
                       min_days=int(days) if days.isdigit() and int(days) < 10_000 else None,
                       new_organization=args.get("to-chuc-moi") == "1")


@bp.get("")
@login_required
def queue():  # type: ignore[no-untyped-def]
    """Hàng chờ duyệt: tin mới gửi và bản sửa của tin đang công bố, cũ nhất trước."""
    session, actor = db_session(), current_actor()
    filters = _filters()
    rows = review_queue(session, actor=actor, filters=filters)
    fields = list(session.execute(select(Field.code, Field.name).order_by(Field.name)))
    localities = list(session.execute(select(Locality.code, Locality.name).order_by(Locality.name)))
    return render_template("moderation/queue.html", rows=rows, revisions=pending_revisions(session, actor=actor),
                           filters=filters, fields=fields, localities=localities)


@bp.get("/<int:listing_id>")
@login_required
def review(listing_id: int, form: ReasonForm | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    """Xem xét một tin: toàn bộ nội dung, cảnh báo trùng lặp, duyệt hoặc từ chối."""
    session = db_session()
    require_staff(current_actor())
    listing = get_listing(session, listing_id)
    return render_template("moderation/review.html", listing=listing, warnings=listing_warnings(session, listing),
                           form=form or ReasonForm(), confirm=ConfirmForm()), status


@bp.post("/<int:listing_id>/duyet")
@login_required
def approve(listing_id: int):  # type: ignore[no-untyped-def]
    """Duyệt và công bố tin (365 ngày)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    listing = approve_listing(db_session(), actor=current_actor(), listing_id=listing_id)
    db_session().commit()
    flash(_("Đã duyệt và công bố tin %(ref)s; gợi ý đang được cập nhật.", ref=listing.ref), "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/<int:listing_id>/tu-choi")
@login_required
def reject(listing_id: int):  # type: ignore[no-untyped-def]
    """Từ chối tin với lý do (gửi cho người đăng)."""
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        listing = reject_listing(db_session(), actor=current_actor(), listing_id=listing_id, reason=form.reason.data)
    except ValidationError as exc:
        form.reason.errors = [t(exc.fields.get("reason", exc.message)), t(exc.message)]
        return review(listing_id, form, 422)
    db_session().commit()
    flash(_("Đã trả lại tin %(ref)s cho người đăng kèm lý do.", ref=listing.ref), "success")
    return redirect(url_for("moderation.queue"))


@bp.get("/ban-sua/<int:revision_id>")
@login_required
def revision(revision_id: int, form: ReasonForm | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    """Bản sửa của tin đang công bố: bản đang hiển thị và bản sửa cạnh nhau, mục đổi được đánh dấu."""
    require_staff(current_actor())
    rev = get_revision(db_session(), revision_id)
    field_names = dict(db_session().execute(select(Field.code, Field.name)).all())
    return render_template("moderation/revision.html", revision=rev, changes=revision_changes(rev),
                           field_names=field_names, form=form or ReasonForm(), confirm=ConfirmForm()), status


@bp.post("/ban-sua/<int:revision_id>/duyet")
@login_required
def approve_edit(revision_id: int):  # type: ignore[no-untyped-def]
    """Duyệt bản sửa: nội dung mới được công bố."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rev = approve_revision(db_session(), actor=current_actor(), revision_id=revision_id)
    db_session().commit()
    flash(_("Đã duyệt bản sửa của tin %(ref)s.", ref=rev.listing.ref), "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/ban-sua/<int:revision_id>/tu-choi")
@login_required
def reject_edit(revision_id: int):  # type: ignore[no-untyped-def]
    """Từ chối bản sửa với lý do; tin giữ nguyên như đang công bố."""
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        rev = reject_revision(db_session(), actor=current_actor(), revision_id=revision_id, reason=form.reason.data)
    except ValidationError as exc:
        form.reason.errors = [t(exc.fields.get("reason", exc.message))]
        return revision(revision_id, form, 422)
    db_session().commit()
    flash(_("Đã từ chối bản sửa của tin %(ref)s.", ref=rev.listing.ref), "success")
    return redirect(url_for("moderation.queue"))


def waiting_badge() -> dict[str, int | None]:
    """How many listings wait for review, on the staff menu of every page (None for everyone else)."""
    actor = current_actor()
    if actor is None or not is_staff(actor):
        return {"waiting_listings": None}
    return {"waiting_listings": count_waiting(db_session())}
