"""Template filters: local time (dd/mm/yyyy), VND amounts (1.250.000.000 đ), labels of codes."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import gettext

from exchange.notifications.kinds import notification_text
from exchange.web.labels import LABELS


def format_vnd(amount: int | None) -> str:
    """120000000 → '120.000.000 đ'."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đ"


def register(app: Flask, tz_name: str) -> None:
    """Install the filters."""
    zone = ZoneInfo(tz_name)

    @app.template_filter("localtime")
    def localtime(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
        return value.astimezone(zone).strftime(fmt) if value else ""

    app.add_template_filter(format_vnd, "vnd")

    @app.template_filter("notification_text")
    def note_text(note: object) -> str:
        return notification_text(note.kind, note.params, gettext)  # type: ignore[attr-defined]

    @app.template_filter("record_value")
    def record_value(value: object) -> str:
        """A record value as the revision page shows it (lists joined, money grouped)."""
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, list):
            return "; ".join(map(str, value))
        if isinstance(value, int) and value >= 10_000:
            return format_vnd(value)
        return str(value)

    from exchange.web.forms.listings import (
        IP_STATUSES,
        RECORD_LABELS,
        TRANSFER_MODES,
        TRL_LEVELS,
    )

    app.jinja_env.globals.update(
        trl_levels=TRL_LEVELS, record_labels=RECORD_LABELS,
        ip_statuses={getattr(k, "value", k): v for k, v in IP_STATUSES.items()} | dict(IP_STATUSES),
        transfer_modes={getattr(k, "value", k): v for k, v in TRANSFER_MODES.items()})

    @app.template_filter("label")
    def label(value: object) -> str:
        key = str(getattr(value, "value", value))
        return gettext(LABELS[key]) if key in LABELS else key
