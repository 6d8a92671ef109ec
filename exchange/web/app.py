"""Application factory."""
from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import Flask

from exchange.config import Config
from exchange.runtime import build_runtime
from exchange.web import api, auth, errors, filters, i18n, security
from exchange.web.context import close_session

log = logging.getLogger(__name__)


def create_app(config: Config | None = None, *, serving: bool = False, **overrides: Any) -> Flask:
    """Build the Flask app from a Config (default: the `EXCHANGE_*` environment plus overrides)."""
    cfg = config or Config.from_env(**overrides)
    if serving:
        check_serving(cfg)
    app = Flask(__name__, instance_path=str(cfg.instance_dir), instance_relative_config=False)
    # Outside production a missing key gets a random one per process (sessions end on restart); never a fixed value.
    app.config.update(SECRET_KEY=cfg.secret_key or secrets.token_hex(32), TESTING=cfg.env == "test",
                      # One file of the allowed size plus the form around it; the service checks the file itself.
                      MAX_CONTENT_LENGTH=(cfg.max_upload_mb + 1) * 1024 * 1024)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["exchange"] = build_runtime(cfg)
    app.teardown_appcontext(close_session)
    security.register(app, cfg)
    i18n.register(app)
    auth.register(app)
    errors.register(app)
    filters.register(app, cfg.timezone)
    _register_blueprints(app)
    api.register(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from exchange.web.views import (accounts, admin, dashboard, files, listings, mfa, moderation, notifications,
                                    organization, posting, profile, public, search)

    for module in (public, listings, posting, files, dashboard, moderation, search, accounts, profile, mfa,
                   organization, notifications, admin):
        app.register_blueprint(module.bp)
    app.context_processor(notifications.bell)
    app.context_processor(moderation.waiting_badge)


def check_serving(cfg: Config) -> None:
    """Refuse to serve in production without a secret key (every other command works without one)."""
    if cfg.env == "production" and not cfg.secret_key:
        raise RuntimeError("Không thể phục vụ ở môi trường production khi chưa đặt EXCHANGE_SECRET_KEY "
                           "(production refuses to serve without EXCHANGE_SECRET_KEY).")
