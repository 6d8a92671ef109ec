"""Schema and demo data: init-db, demo."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from exchange.cli_commands.common import CLI_ACTOR, transaction
from exchange.cli_commands.listings import rebuild_everything
from exchange.demo import load_demo
from exchange.reference.data import sync_reference_data
from exchange.schema import upgrade_schema
from exchange.web.context import state


def init_database() -> None:
    """Upgrade the schema to head and bring the reference tables in step."""
    revision = upgrade_schema(state().engine)
    with transaction() as session:
        report = sync_reference_data(session)
    click.echo(f"Cơ sở dữ liệu ở phiên bản {revision}; danh mục: {report.localities} địa phương, "
               f"{report.fields} lĩnh vực được thêm hoặc cập nhật.")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Tạo hoặc nâng cấp lược đồ cơ sở dữ liệu (create or upgrade the schema)."""
    init_database()


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """init-db + dữ liệu mẫu tiếng Việt + lập chỉ mục (what `make run` uses); không chạy ở production."""
    if state().config.is_production:
        raise click.ClickException("Không chạy dữ liệu mẫu ở môi trường production: lệnh này in ra mật khẩu "
                                   "của các tài khoản demo (exchange demo refuses to run in production).")
    init_database()
    report = load_demo(state().session_factory, CLI_ACTOR)
    lst = report.listings
    click.echo(f"Dữ liệu mẫu: {lst.total} tin ({lst.created} mới, {lst.updated} cập nhật, "
               f"{lst.unchanged} không đổi), {report.experts} chuyên gia.")
    rebuild_everything()
    click.echo("Tài khoản demo (e-mail / mật khẩu):")
    for role, email, password in report.logins:
        click.echo(f"  {role:10} {email} / {password}")


COMMANDS = (init_db_command, demo_command)
