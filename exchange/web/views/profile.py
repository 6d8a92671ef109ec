"""The signed-in user's own pages: profile, password, sign out everywhere, language."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from exchange.accounts.mfa import recovery_codes_left
from exchange.accounts.sessions import sign_out_everywhere
from exchange.accounts.users import change_password, set_language
from exchange.errors import ValidationError
from exchange.web.auth import current_actor, login_required, request_client, sign_in, sign_out
from exchange.web.context import db_session
from exchange.web.forms.accounts import ChangePasswordForm, ConfirmForm, LanguageForm
from exchange.web.i18n import LANGUAGES
from exchange.web.navigation import redirect_next
from exchange.web.views.formtools import show_errors

bp = Blueprint("profile", __name__)


@bp.get("/tai-khoan")
@login_required
def profile() -> str:
    """Tài khoản của tôi."""
    user = current_actor()
    return render_template("accounts/profile.html", user=user, form=ConfirmForm(),
                           codes_left=recovery_codes_left(db_session(), user) if user.has_mfa else 0)


@bp.route("/tai-khoan/mat-khau", methods=["GET", "POST"])
@login_required
def password():  # type: ignore[no-untyped-def]
    """Đổi mật khẩu (mọi phiên khác kết thúc; phiên này được mở lại)."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/password.html", form=form), 400 if request.method == "POST" else 200
    user = current_actor()
    try:
        change_password(db_session(), user=user, current=form.current.data, new=form.password.data)
    except ValidationError as exc:
        show_errors(form, exc)
        return render_template("accounts/password.html", form=form), 422
    db_session().commit()
    sign_in(user)  # every session ended with the old version; this browser gets a fresh one
    flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."), "success")
    return redirect(url_for("profile.profile"))


@bp.post("/tai-khoan/dang-xuat-moi-noi")
@login_required
def logout_everywhere():  # type: ignore[no-untyped-def]
    """Đăng xuất khỏi mọi thiết bị và thu hồi mọi token API."""
    if ConfirmForm().validate_on_submit():
        sign_out_everywhere(db_session(), user=current_actor(), client=request_client())
        db_session().commit()
        sign_out()
        flash(_("Bạn đã đăng xuất khỏi mọi nơi; mọi token API đã bị thu hồi."), "notice")
    return redirect(url_for("public.home"))


@bp.post("/ngon-ngu")
def language():  # type: ignore[no-untyped-def]
    """Chọn ngôn ngữ giao diện (được ghi nhớ)."""
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
        user = current_actor()
        if user is not None:
            set_language(db_session(), user=user, language=form.lang.data)
            db_session().commit()
    return redirect_next(form.next.data)
