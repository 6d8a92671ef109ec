"""Application factory."""
from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import Flask

from exchange.brokering.model_store import ModelStore
from exchange.config import Config
from exchange.db import make_engine, make_session_factory
from exchange.search.sync import SearchSync
from exchange.web import errors, filters
from exchange.web.context import ExchangeState, SearchHolder, close_session

log = logging.getLogger(__name__)


def create_app(config: Config | None = None, *, serving: bool = False, **overrides: Any) -> Flask:
    """Build the Flask app from a Config (default: the `EXCHANGE_*` environment plus overrides)."""
    cfg = config or Config.from_env(**overrides)
    if serving:
        check_serving(cfg)
    app = Flask(__name__, instance_path=str(cfg.instance_dir), instance_relative_config=False)
    # Outside production a missing key gets a random one per process (sessions end on restart); never a fixed value.
    app.config.update(SECRET_KEY=cfg.secret_key or secrets.token_hex(32), TESTING=cfg.env == "test",
                      MAX_CONTENT_LENGTH=cfg.max_upload_mb * 1024 * 1024)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    engine = make_engine(cfg.database_url)
    factory = make_session_factory(engine)
    search = SearchHolder(str(cfg.index_dir / "search"))
    # Committed changes to published listings and public experts reach the index; rollbacks never do.
    SearchSync(search).install(factory)  # type: ignore[arg-type]
    app.extensions["exchange"] = ExchangeState(config=cfg, engine=engine, session_factory=factory, search=search,
                                               models=ModelStore.under(cfg.index_dir))
    app.teardown_appcontext(close_session)
    errors.register(app)
    filters.register(app, cfg.timezone)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from exchange.web.views import api, listings, public, search

    app.register_blueprint(public.bp)
    app.register_blueprint(listings.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(api.bp)


def check_serving(cfg: Config) -> None:
    """Refuse to serve in production without a secret key (every other command works without one)."""
    if cfg.env == "production" and not cfg.secret_key:
        raise RuntimeError("Không thể phục vụ ở môi trường production khi chưa đặt EXCHANGE_SECRET_KEY "
                           "(production refuses to serve without EXCHANGE_SECRET_KEY).")
