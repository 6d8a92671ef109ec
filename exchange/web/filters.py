"""Template filters: local time (dd/mm/yyyy), VND amounts (1.250.000.000 đ), labels of codes."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import gettext

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

    @app.template_filter("label")
    def label(value: object) -> str:
        key = str(getattr(value, "value", value))
        return gettext(LABELS[key]) if key in LABELS else key
