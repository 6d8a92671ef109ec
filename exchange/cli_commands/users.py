"""Users and the plan from the command line: user add, plan show."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.users import create_user
from exchange.cli_commands.common import CLI_ACTOR, fail, read_only, transaction
from exchange.errors import DomainError
from exchange.models import OrganizationType
from exchange.plans.report import plan_lines
from exchange.plans.services import get_plan


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Tài khoản người dùng."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["enterprise", "broker", "staff"]), required=True)
@click.option("--organization", help="tên tổ chức (tạo mới nếu chưa có)")
@click.option("--organization-type", type=click.Choice([t.value for t in OrganizationType]), default="enterprise",
              show_default=True, help="loại tổ chức khi tổ chức được tạo mới")
@click.option("--full-name", help="họ và tên")
@click.option("--password-stdin", is_flag=True, required=True, help="đọc mật khẩu từ stdin")
def user_add_command(email: str, role: str, organization: str | None, organization_type: str,
                     full_name: str | None, password_stdin: bool) -> None:
    """Thêm một tài khoản; mật khẩu đọc từ stdin; tổ chức được tạo khi dùng lần đầu."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        with transaction() as session:
            org = None
            if organization:
                org = get_or_create_organization(session, actor=CLI_ACTOR, name=organization, type=organization_type)
            user = create_user(session, actor=CLI_ACTOR, email=email, role=role, password=password,
                               organization=org, full_name=full_name)
    except DomainError as exc:
        raise fail(exc) from None
    click.echo(f"Đã tạo tài khoản {user.email} ({role}).")


@click.group("plan", cls=AppGroup)
def plan_group() -> None:
    """Kế hoạch hoạt động thông tin KH&CN."""


@plan_group.command("show")
@click.option("--year", type=int, required=True)
def plan_show_command(year: int) -> None:
    """In kế hoạch của một năm với các chỉ tiêu và kết quả đã ghi nhận."""
    try:
        with read_only() as session:
            for line in plan_lines(get_plan(session, year)):
                click.echo(line)
    except DomainError as exc:
        raise fail(exc) from None


COMMANDS = (user_group, plan_group)
