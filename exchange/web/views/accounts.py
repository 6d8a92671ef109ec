"""Signing in and out, registering, resetting a password, activating an account, accepting an invitation."""
from __future__ import annotations

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from exchange.accounts.invitations import accept_invitation, open_invitation
from exchange.accounts.organizations import Registration, register_organization
from exchange.accounts.sessions import end_session
from exchange.accounts.signin import BAD_CODE, Step, check_password, check_second_factor
from exchange.accounts.users import activate_account, get_user, request_password_reset, reset_password
from exchange.errors import DomainError, RateLimited, ValidationError
from exchange.reference.localities import locality_choices
from exchange.web.auth import current_actor, request_client, sign_in, sign_out
from exchange.web.context import db_session, state
from exchange.web.forms.accounts import (
    AcceptInvitationForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
    SecondFactorForm,
)
from exchange.web.i18n import t
from exchange.web.navigation import redirect_next, safe_next
from exchange.web.views.formtools import show_errors

bp = Blueprint("accounts", __name__)
PENDING = "pending_sign_in"  # the user id, session version and next step between password and second factor
PENDING_SECONDS = 600  # the second step must follow the password within ten minutes


def _landing(next_target: str | None):  # type: ignore[no-untyped-def]
    return redirect_next(next_target, "dashboard.home")


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    """Đăng nhập bằng e-mail và mật khẩu."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_actor() is not None and request.method == "GET":
        return _landing(form.next.data)
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 400 if request.method == "POST" else 200
    session_db, cfg = db_session(), state().config
    try:
        outcome = check_password(session_db, email=form.email.data, password=form.password.data,
                                 client=request_client(), mfa_required_roles=cfg.mfa_required_roles)
    except RateLimited as exc:
        form.form_errors.append(t(exc.message))
        return render_template("accounts/login.html", form=form), 429, {"Retry-After": str(exc.retry_after)}
    session_db.commit()
    if outcome.user is None:
        form.form_errors.append(t(outcome.problem))
        return render_template("accounts/login.html", form=form), 401
    if outcome.step is Step.done:
        sign_in(outcome.user)
        return _landing(form.next.data)
    session[PENDING] = {"user": outcome.user.id, "version": outcome.user.session_version, "at": int(time.time()),
                        "step": outcome.step.value, "next": safe_next(form.next.data)}
    endpoint = "accounts.second_factor" if outcome.step is Step.second_factor else "mfa.forced_setup"
    return redirect(url_for(endpoint))


def pending_user():  # type: ignore[no-untyped-def]
    """The user between password and second factor, if the pending sign-in is still current."""
    pending = session.get(PENDING)
    if not pending or time.time() - float(pending.get("at") or 0) > PENDING_SECONDS:
        return None, None
    try:
        user = get_user(db_session(), int(pending["user"]))
    except (DomainError, KeyError, TypeError, ValueError):
        return None, None
    if not user.is_active or user.session_version != pending.get("version"):
        return None, None
    return user, pending


@bp.route("/dang-nhap/xac-thuc", methods=["GET", "POST"])
def second_factor():  # type: ignore[no-untyped-def]
    """Bước hai: mã từ ứng dụng xác thực (hoặc một mã khôi phục)."""
    user, pending = pending_user()
    if user is None or pending.get("step") != Step.second_factor.value:
        flash(_("Vui lòng đăng nhập lại."), "notice")
        return redirect(url_for("accounts.login"))
    form = SecondFactorForm()
    if not form.validate_on_submit():
        return render_template("accounts/second_factor.html", form=form), 400 if request.method == "POST" else 200
    try:
        is_valid = check_second_factor(db_session(), user=user, code=form.code.data, client=request_client())
    except RateLimited as exc:
        form.form_errors.append(t(exc.message))
        return render_template("accounts/second_factor.html", form=form), 429, {"Retry-After": str(exc.retry_after)}
    db_session().commit()
    if not is_valid:
        form.form_errors.append(t(BAD_CODE))
        return render_template("accounts/second_factor.html", form=form), 401
    next_target = pending.get("next")
    session.pop(PENDING, None)
    sign_in(user)
    return _landing(next_target)


@bp.post("/dang-xuat")
def logout():  # type: ignore[no-untyped-def]
    """Đăng xuất trình duyệt này (chỉ bằng POST)."""
    form = ConfirmForm()
    if form.validate_on_submit() and current_actor() is not None:
        end_session(db_session(), key=current_user.key, client=request_client())
        db_session().commit()
    sign_out()
    flash(_("Bạn đã đăng xuất."), "notice")
    return redirect(url_for("public.home"))


@bp.route("/dang-ky", methods=["GET", "POST"])
def register():  # type: ignore[no-untyped-def]
    """Đăng ký một tổ chức mới và thành viên đầu tiên."""
    form = RegisterForm()
    form.locality_code.choices = [SelectChoice("", _("— Chọn địa phương —"))] + [
        SelectChoice(code, name) for code, name in locality_choices(db_session())]
    if not form.validate_on_submit():
        return render_template("accounts/register.html", form=form), 400 if request.method == "POST" else 200
    data = {name: getattr(form, name).data or "" for name in Registration.__dataclass_fields__}
    try:
        member = register_organization(db_session(), form=Registration(**data), client=request_client())
    except ValidationError as exc:
        show_errors(form, exc)
        return render_template("accounts/register.html", form=form), 422
    db_session().commit()
    sign_in(member)
    flash(_("Đã đăng ký tổ chức. Tổ chức sẽ được cán bộ Sở xác minh; trong lúc chờ bạn vẫn dùng Sàn bình thường."),
          "success")
    return redirect(url_for("profile.profile"))


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
def forgot_password():  # type: ignore[no-untyped-def]
    """Quên mật khẩu: gửi liên kết đặt lại (cùng một câu trả lời dù e-mail có tài khoản hay không)."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot.html", form=form), 400 if request.method == "POST" else 200
    cfg = state().config
    request_password_reset(db_session(), email=form.email.data, secret=current_app.secret_key,
                           base_url=cfg.base_url, client_address=request_client().address)
    db_session().commit()
    return render_template("accounts/forgot_sent.html")


def _password_page(template: str, form: NewPasswordForm, apply, success: str, **context):  # type: ignore[no-untyped-def]
    """Shared flow of the reset, activation and invitation pages: validate, apply, sign in."""
    if not form.validate_on_submit():
        return render_template(template, form=form, **context), 400 if request.method == "POST" else 200
    try:
        user = apply(form)
    except ValidationError as exc:
        show_errors(form, exc)
        return render_template(template, form=form, **context), 422
    db_session().commit()
    sign_in(user)
    flash(success, "success")
    return redirect(url_for("profile.profile"))


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
def reset(token: str):  # type: ignore[no-untyped-def]
    """Đặt mật khẩu mới từ liên kết trong thư (hiệu lực 1 giờ, dùng một lần)."""
    return _password_page("accounts/new_password.html", NewPasswordForm(),
                          lambda form: reset_password(db_session(), token=token, password=form.password.data,
                                                      secret=current_app.secret_key),
                          _("Đã đặt mật khẩu mới; các phiên đăng nhập cũ đã kết thúc."),
                          heading=_("Đặt lại mật khẩu"))


@bp.route("/kich-hoat/<token>", methods=["GET", "POST"])
def activate(token: str):  # type: ignore[no-untyped-def]
    """Kích hoạt tài khoản do cán bộ Sở tạo: đặt mật khẩu đầu tiên."""
    return _password_page("accounts/new_password.html", NewPasswordForm(),
                          lambda form: activate_account(db_session(), token=token, password=form.password.data,
                                                        secret=current_app.secret_key),
                          _("Tài khoản đã được kích hoạt."), heading=_("Kích hoạt tài khoản"))


@bp.route("/loi-moi/<token>", methods=["GET", "POST"])
def invitation(token: str):  # type: ignore[no-untyped-def]
    """Nhận lời mời tham gia một tổ chức."""
    try:
        found = open_invitation(db_session(), token)
    except ValidationError as exc:
        return render_template("error.html", status=400, message=t(exc.message), fields={}), 400
    return _password_page("accounts/invitation.html", AcceptInvitationForm(),
                          lambda form: accept_invitation(db_session(), token=token, full_name=form.full_name.data,
                                                         password=form.password.data),
                          _("Chào mừng bạn đến với Sàn Giao dịch công nghệ."), invitation=found)
