"""The `exchange` command: a Flask CLI group, so `exchange run` serves the app."""
from __future__ import annotations

import logging
import sys

import click
from flask.cli import FlaskGroup, routes_command, run_command, shell_command

from exchange.cli_commands import data, jobs, listings, matching, users
from exchange.config import Config
from exchange.web.app import check_serving, create_app


def _create_app():  # type: ignore[no-untyped-def]
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """Sàn Giao dịch công nghệ Quảng Nam — lệnh quản trị."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@click.command("run", context_settings={"ignore_unknown_options": True})
@click.pass_context
def serve_command(ctx: click.Context, **_: object) -> None:
    """Phục vụ ứng dụng web (Flask's development server; production needs EXCHANGE_SECRET_KEY)."""
    try:
        check_serving(Config.from_env())
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    ctx.forward(run_command)


serve_command.params = list(run_command.params)
for command in (serve_command, routes_command, shell_command, *data.COMMANDS, *jobs.COMMANDS, *listings.COMMANDS,
                *matching.COMMANDS, *users.COMMANDS):
    main.add_command(command)
