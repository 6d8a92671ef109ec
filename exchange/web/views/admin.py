"""Staff pages: users (create broker/staff accounts, deactivate, reactivate, role), organizations, audit log."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.accounts.audit_log import audit_actions, list_events
from exchange.accounts.invitations import invite
from exchange.accounts.organizations import list_organizations, verify_organization
from exchange.accounts.permissions import require_staff
from exchange.accounts.users import change_role, invite_staff_account, list_users, set_active
from exchange.errors import ValidationError
from exchange.web.auth import current_actor, login_required
from exchange.web.context import db_session, state
from exchange.web.forms.accounts import ConfirmForm, InviteForm, RoleForm, StaffAccountForm
from exchange.web.i18n import t
from exchange.web.pages import page_number
from exchange.web.views.formtools import show_errors

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")
PER_PAGE = 50


def _users_page(form: StaffAccountForm, status: int = 200):  # type: ignore[no-untyped-def]
    query, role = request.args.get("q", "")[:200], request.args.get("role", "")
    users, total = list_users(db_session(), actor=current_actor(), query=query, role=role,
                              page=page_number(request.args), per_page=PER_PAGE)
    return render_template("admin/users.html", users=users, total=total, form=form, confirm=ConfirmForm(),
                           role_form=RoleForm(), q=query, role=role, page=page_number(request.args),
                           page_count=max(1, -(-total // PER_PAGE))), status


@bp.get("/nguoi-dung")
@login_required
def users():  # type: ignore[no-untyped-def]
    """Người dùng: tìm, tạo tài khoản môi giới / cán bộ, khoá và mở khoá."""
    return _users_page(StaffAccountForm())


@bp.post("/nguoi-dung")
@login_required
def create_account():  # type: ignore[no-untyped-def]
    """Tạo tài khoản môi giới hoặc cán bộ Sở; người dùng tự đặt mật khẩu qua liên kết kích hoạt."""
    require_staff(current_actor())
    form = StaffAccountForm()
    if not form.validate_on_submit():
        return _users_page(form, 400)
    try:
        created = invite_staff_account(db_session(), actor=current_actor(), email=form.email.data,
                                       role=form.role.data, full_name=form.full_name.data,
                                       secret=current_app.secret_key, base_url=state().config.base_url)
    except ValidationError as exc:
        show_errors(form, exc)
        return _users_page(form, 422)
    db_session().commit()
    flash(_("Đã tạo tài khoản %(email)s và gửi liên kết kích hoạt.", email=created.email), "success")
    return redirect(url_for("admin.users"))


def _set_active(user_id: int, is_active: bool, done: str):  # type: ignore[no-untyped-def]
    if ConfirmForm().validate_on_submit():
        user = set_active(db_session(), actor=current_actor(), user_id=user_id, is_active=is_active)
        db_session().commit()
        flash(done % {"email": user.email}, "notice")
    return redirect(url_for("admin.users"))


@bp.post("/nguoi-dung/<int:user_id>/khoa")
@login_required
def deactivate(user_id: int):  # type: ignore[no-untyped-def]
    """Khoá một tài khoản: mọi phiên và token của nó chấm dứt."""
    return _set_active(user_id, False, _("Đã khoá tài khoản %(email)s."))


@bp.post("/nguoi-dung/<int:user_id>/mo-khoa")
@login_required
def reactivate(user_id: int):  # type: ignore[no-untyped-def]
    """Mở khoá một tài khoản."""
    return _set_active(user_id, True, _("Đã mở khoá tài khoản %(email)s."))


@bp.post("/nguoi-dung/<int:user_id>/vai-tro")
@login_required
def role(user_id: int):  # type: ignore[no-untyped-def]
    """Đổi vai trò của một người dùng (mọi phiên của người đó kết thúc)."""
    form = RoleForm()
    if form.validate_on_submit():
        try:
            user = change_role(db_session(), actor=current_actor(), user_id=user_id, role=form.role.data)
        except ValidationError as exc:
            flash(" ".join(t(why) for why in exc.fields.values()) or t(exc.message), "error")
            return redirect(url_for("admin.users"))
        db_session().commit()
        flash(_("Đã đổi vai trò của %(email)s.", email=user.email), "notice")
    return redirect(url_for("admin.users"))


@bp.get("/to-chuc")
@login_required
def organizations():  # type: ignore[no-untyped-def]
    """Tổ chức: tổ chức mới đăng ký (chưa xác minh) đứng đầu."""
    rows = list_organizations(db_session(), actor=current_actor(),
                              unverified_only=request.args.get("chua_xac_minh") == "1")
    return render_template("admin/organizations.html", organizations=rows, confirm=ConfirmForm(),
                           invite_form=InviteForm(), unverified_only=request.args.get("chua_xac_minh") == "1")


@bp.post("/to-chuc/<int:organization_id>/xac-minh")
@login_required
def verify(organization_id: int):  # type: ignore[no-untyped-def]
    """Đánh dấu tổ chức đã được xác minh."""
    if ConfirmForm().validate_on_submit():
        org = verify_organization(db_session(), actor=current_actor(), organization_id=organization_id)
        db_session().commit()
        flash(_("Đã xác minh %(name)s.", name=org.name), "success")
    return redirect(url_for("admin.organizations"))


@bp.post("/to-chuc/<int:organization_id>/moi")
@login_required
def invite_to(organization_id: int):  # type: ignore[no-untyped-def]
    """Cán bộ Sở mời một người vào một tổ chức."""
    require_staff(current_actor())
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invite(db_session(), actor=current_actor(), email=form.email.data, base_url=state().config.base_url,
                   organization_id=organization_id)
        except ValidationError as exc:
            flash(" ".join(t(why) for why in exc.fields.values()) or t(exc.message), "error")
            return redirect(url_for("admin.organizations"))
        db_session().commit()
        flash(_("Đã gửi lời mời tới %(email)s.", email=form.email.data), "success")
    return redirect(url_for("admin.organizations"))


@bp.get("/nhat-ky")
@login_required
def audit():  # type: ignore[no-untyped-def]
    """Nhật ký: ai đã làm gì, khi nào (lọc theo người dùng và thao tác)."""
    user, action = request.args.get("user", "")[:254], request.args.get("action", "")[:60]
    events, total = list_events(db_session(), actor=current_actor(), user=user, action=action,
                                page=page_number(request.args), per_page=PER_PAGE)
    return render_template("admin/audit.html", events=events, total=total, user=user, action=action,
                           actions=audit_actions(db_session(), actor=current_actor()), page=page_number(request.args),
                           page_count=max(1, -(-total // PER_PAGE)))
