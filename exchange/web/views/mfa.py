"""The second factor: turn TOTP on (QR code, confirm a code, recovery codes shown once) or off.

The secret waits in the signed session cookie until a code proves the app has it; only
then does it reach the database. The same steps serve a role that must set it up at sign-in.
"""
from __future__ import annotations

import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from exchange.accounts.mfa import disable_totp, enable_totp, new_secret, provisioning_uri, regenerate_recovery_codes
from exchange.accounts.signin import Step
from exchange.accounts.throttle import record_attempt
from exchange.errors import DomainError
from exchange.web.auth import current_actor, login_required, request_client, sign_in
from exchange.web.context import db_session
from exchange.web.forms.accounts import ConfirmForm, SecondFactorForm
from exchange.web.navigation import safe_next
from exchange.web.views.accounts import PENDING, pending_user
from exchange.web.views.formtools import show_errors

bp = Blueprint("mfa", __name__)
SECRET = "totp_setup_secret"


def _setup_context(email: str) -> dict:
    """The secret being set up (a new one if none waits) and its QR code as a data URI."""
    secret = session.get(SECRET) or new_secret()
    session[SECRET] = secret
    uri = provisioning_uri(secret, email)
    return {"secret": secret, "qr": segno.make(uri, error="m").svg_data_uri(scale=4), "uri": uri}


def _setup_step(user, *, forced: bool = False):  # type: ignore[no-untyped-def]
    """The QR page, or (after a right code) TOTP turned on: (response, recovery codes or None)."""
    form = SecondFactorForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return (render_template("accounts/mfa_setup.html", form=form, forced=forced,
                                **_setup_context(user.email)), status), None
    try:
        codes = enable_totp(db_session(), user=user, secret=session.get(SECRET, ""), code=form.code.data)
    except DomainError as exc:
        show_errors(form, exc)
        return (render_template("accounts/mfa_setup.html", form=form, forced=forced,
                                **_setup_context(user.email)), 422), None
    session.pop(SECRET, None)
    return None, codes


@bp.route("/tai-khoan/xac-thuc-hai-buoc", methods=["GET", "POST"])
@login_required
def settings():  # type: ignore[no-untyped-def]
    """Bật, tắt xác thực hai bước; tạo lại mã khôi phục."""
    user = current_actor()
    if user.has_mfa:
        return render_template("accounts/mfa_on.html", form=SecondFactorForm(), regenerate=ConfirmForm())
    page, codes = _setup_step(user)
    if page is not None:
        return page
    db_session().commit()
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.post("/tai-khoan/xac-thuc-hai-buoc/tat")
@login_required
def disable():  # type: ignore[no-untyped-def]
    """Tắt xác thực hai bước (cần một mã hiện tại hoặc mã khôi phục)."""
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            disable_totp(db_session(), user=current_actor(), code=form.code.data)
        except DomainError as exc:
            show_errors(form, exc)
            return render_template("accounts/mfa_on.html", form=form, regenerate=ConfirmForm()), 422
        db_session().commit()
        flash(_("Đã tắt xác thực hai bước."), "notice")
    return redirect(url_for("profile.profile"))


@bp.post("/tai-khoan/xac-thuc-hai-buoc/ma-khoi-phuc")
@login_required
def recovery_codes():  # type: ignore[no-untyped-def]
    """Tạo lại mã khôi phục (các mã cũ hết hiệu lực)."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("mfa.settings"))
    codes = regenerate_recovery_codes(db_session(), user=current_actor())
    db_session().commit()
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.route("/dang-nhap/thiet-lap-xac-thuc", methods=["GET", "POST"])
def forced_setup():  # type: ignore[no-untyped-def]
    """Vai trò của bạn bắt buộc xác thực hai bước: thiết lập ngay trước khi vào Sàn."""
    user, pending = pending_user()
    if user is None or pending.get("step") != Step.setup_second_factor.value:
        return redirect(url_for("accounts.login"))
    page, codes = _setup_step(user, forced=True)
    if page is not None:
        return page
    record_attempt(db_session(), email=user.email, client=request_client(), is_success=True, step="second_factor")
    db_session().commit()
    next_target = safe_next(pending.get("next"))
    session.pop(PENDING, None)
    sign_in(user)
    return render_template("accounts/recovery_codes.html", codes=codes, next=next_target)
