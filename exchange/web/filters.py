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

    app.add_template_filter(label, "label")
    register_record_filters(app)


def label(value: object) -> str:
    """The label of a code (enum or its value) in the page's language; unknown codes as they are."""
    key = str(getattr(value, "value", value))
    return gettext(LABELS[key]) if key in LABELS else key


def filesize(size: int) -> str:
    """1234 → '1,2 KB' (bytes under 1 KB, MB from 1 MB)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def register_record_filters(app: Flask) -> None:
    """The listing record's labels (TRL levels, IP statuses, transfer forms) and how its values are shown."""
    from exchange.web.forms.listings import (
        IP_STATUSES,
        RECORD_LABELS,
        TRANSFER_MODES,
        TRL_LEVELS,
    )

    ip_statuses = {k.value: v for k, v in IP_STATUSES.items()}
    modes = {k.value: v for k, v in TRANSFER_MODES.items()}
    app.jinja_env.globals.update(trl_levels=TRL_LEVELS, record_labels=RECORD_LABELS, transfer_modes=modes,
                                 ip_statuses={**ip_statuses, **dict(IP_STATUSES)})

    @app.template_filter("record_value")
    def record_value(value: object, key: str, field_names: dict[str, str] | None = None) -> str:
        """A value of the listing record as pages show it: labels for codes, grouped money, lists joined."""
        if value is None or value == "" or value == []:
            return "—"
        if key in ("kind", "product_type"):
            return label(value)
        if key == "trl":
            return str(TRL_LEVELS.get(int(value), value))  # type: ignore[call-overload]
        if key == "ip_status":
            return str(ip_statuses.get(str(value), value))
        if key == "transfer_modes":
            return "; ".join(str(modes.get(m, m)) for m in value)  # type: ignore[attr-defined]
        if key == "field":
            return (field_names or {}).get(str(value), str(value))
        if key in ("price_min_vnd", "price_max_vnd"):
            return format_vnd(value)  # type: ignore[arg-type]
        if isinstance(value, list):
            return "; ".join(map(str, value))
        return str(value)

    app.add_template_filter(filesize, "filesize")
