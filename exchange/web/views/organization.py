"""A member's organization: colleagues, pending invitations, inviting someone, removing a colleague."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from exchange.accounts.invitations import invite, own_organization
from exchange.accounts.users import remove_colleague
from exchange.errors import ValidationError
from exchange.web.auth import current_actor, login_required
from exchange.web.context import db_session, state
from exchange.web.forms.accounts import ConfirmForm, InviteForm
from exchange.web.views.formtools import show_errors

bp = Blueprint("organization", __name__)


def _page(form: InviteForm, status: int = 200):  # type: ignore[no-untyped-def]
    overview = own_organization(db_session(), actor=current_actor())
    return render_template("accounts/organization.html", overview=overview, form=form, confirm=ConfirmForm()), status


@bp.get("/to-chuc")
@login_required
def members():  # type: ignore[no-untyped-def]
    """Tổ chức của tôi: thành viên và lời mời."""
    return _page(InviteForm())


@bp.post("/to-chuc/moi")
@login_required
def send_invitation():  # type: ignore[no-untyped-def]
    """Mời một người vào tổ chức (lời mời dùng một lần, hiệu lực 7 ngày)."""
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        invite(db_session(), actor=current_actor(), email=form.email.data, base_url=state().config.base_url)
    except ValidationError as exc:
        show_errors(form, exc)
        return _page(form, 422)
    db_session().commit()
    flash(_("Đã gửi lời mời tới %(email)s.", email=form.email.data), "success")
    return redirect(url_for("organization.members"))


@bp.post("/to-chuc/thanh-vien/<int:user_id>/go")
@login_required
def remove(user_id: int):  # type: ignore[no-untyped-def]
    """Gỡ một đồng nghiệp khỏi tổ chức (tài khoản bị khoá, mọi phiên kết thúc)."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("organization.members"))
    removed = remove_colleague(db_session(), actor=current_actor(), user_id=user_id)
    db_session().commit()
    flash(_("Đã gỡ %(email)s khỏi tổ chức.", email=removed.email), "notice")
    return redirect(url_for("organization.members"))
