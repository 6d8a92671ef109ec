"""Notifications: the list, marking read, and the mail preference of each kind."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.errors import ValidationError
from exchange.models import Delivery, NotificationKind
from exchange.notifications.kinds import kind_label, notification_text
from exchange.notifications.services import list_notifications, mark_read, preferences, set_preferences, unread_count
from exchange.web.auth import current_actor, login_required
from exchange.web.context import db_session
from exchange.web.forms.accounts import ConfirmForm
from exchange.web.i18n import translate_fields
from exchange.web.navigation import safe_next
from exchange.web.pages import page_number

bp = Blueprint("notifications", __name__)


@bp.get("/thong-bao")
@login_required
def index() -> str:
    """Thông báo của tôi, mới nhất trước."""
    page = list_notifications(db_session(), user=current_actor(), page=page_number(request.args), per_page=30)
    items = [(note, notification_text(note.kind, note.params, _)) for note in page.results]
    return render_template("notifications/index.html", page=page, items=items, form=ConfirmForm(),
                           page_count=max(1, -(-page.total // page.per_page)))


@bp.post("/thong-bao/<int:notification_id>/da-doc")
@login_required
def read_one(notification_id: int):  # type: ignore[no-untyped-def]
    """Đánh dấu một thông báo đã đọc, rồi mở nơi nó dẫn tới (nếu có)."""
    if ConfirmForm().validate_on_submit():
        mark_read(db_session(), user=current_actor(), ids=[notification_id])
        db_session().commit()
    return redirect(safe_next(request.form.get("next")) or url_for("notifications.index"))


@bp.post("/thong-bao/da-doc-tat-ca")
@login_required
def read_all():  # type: ignore[no-untyped-def]
    """Đánh dấu mọi thông báo đã đọc."""
    if ConfirmForm().validate_on_submit():
        mark_read(db_session(), user=current_actor())
        db_session().commit()
        flash(_("Đã đánh dấu mọi thông báo là đã đọc."), "notice")
    return redirect(url_for("notifications.index"))


@bp.route("/thong-bao/cai-dat", methods=["GET", "POST"])
@login_required
def settings():  # type: ignore[no-untyped-def]
    """Cách nhận e-mail cho từng loại thông báo: gửi ngay, gộp hằng ngày, hoặc không gửi."""
    user, form, problems = current_actor(), ConfirmForm(), {}
    if request.method == "POST" and form.validate_on_submit():
        choices = {kind.value: request.form.get(kind.value, "") for kind in NotificationKind
                   if kind.value in request.form}
        try:
            set_preferences(db_session(), user=user, choices=choices)
            db_session().commit()
            flash(_("Đã lưu cách nhận thông báo."), "success")
            return redirect(url_for("notifications.settings"))
        except ValidationError as exc:
            problems = translate_fields(exc.fields)
    rows = [(kind, kind_label(kind, _), delivery) for kind, delivery in preferences(db_session(), user).items()]
    return render_template("notifications/settings.html", rows=rows, deliveries=list(Delivery), form=form,
                           problems=problems), 422 if problems else 200


def bell() -> dict[str, int | None]:
    """The unread count shown on every page (None for a visitor)."""
    user = current_actor()
    return {"unread_notifications": unread_count(db_session(), user) if user is not None else None}
