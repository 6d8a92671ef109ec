"""Shared fixtures: migrated throwaway databases on SQLite and PostgreSQL, sessions, app, CLI runner."""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from exchange.config import Config
from exchange.db import Base, make_engine
from exchange.reference.data import sync_reference_data
from exchange.schema import upgrade_schema

# Speed is measured in bench/, never asserted: no per-example deadline (a loaded CI machine is slow).
settings.register_profile("exchange", deadline=None)
settings.load_profile("exchange")

POSTGRES_URL = os.environ.get("EXCHANGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REFERENCE_TABLES = {"locality", "field", "alembic_version"}
BACKENDS = ["sqlite", "postgresql"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _postgres_database() -> Iterator[str]:
    """Create a throwaway database on the server, yield its URL, drop it afterwards."""
    admin_url = make_url(POSTGRES_URL)
    name = f"exchange_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    except Exception as exc:  # any connection failure
        if _in_ci():
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {POSTGRES_URL}: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_URL}: {exc}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty, migrated database with reference data, per backend, for the whole run."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"])
    else:
        urls = _postgres_database()
    url = next(urls)
    engine = make_engine(url)
    upgrade_schema(engine)
    with Session(engine) as session, session.begin():
        sync_reference_data(session)
    engine.dispose()
    yield url
    next(urls, None)  # lets the generator drop the PostgreSQL database


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The engine of the backend under test."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


def wipe(engine: Engine) -> None:
    """Delete every row but the reference data (tests that commit clean up with this)."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                conn.execute(table.delete())


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (commits become SAVEPOINT releases)."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def committed(engine: Engine) -> Iterator[Engine]:
    """For tests that commit for real (app, CLI): every row they leave is deleted afterwards."""
    wipe(engine)
    yield engine
    wipe(engine)


@pytest.fixture
def config(database_url: str, tmp_path: Path) -> Config:
    """A test configuration on the backend under test, with its own instance folder."""
    return Config.from_env(environ={}, ENV="test", DATABASE_URL=database_url, INSTANCE_DIR=str(tmp_path),
                           QUEUE_URL="immediate")


@pytest.fixture
def app(config: Config, committed: Engine):  # type: ignore[no-untyped-def]
    """The Flask app on the backend under test."""
    from exchange.web.app import create_app

    application = create_app(config)
    yield application
    application.extensions["exchange"].close()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):  # type: ignore[no-untyped-def]
    """Invoke `exchange` commands against the app under test."""
    from exchange.cli import main

    cli_runner = app.test_cli_runner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return cli_runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def make_listing(db_session: Session):  # type: ignore[no-untyped-def]
    """Factory: a flushed Listing with sensible Vietnamese defaults, any column overridable."""
    from exchange.models import Listing, ListingKind, ListingStatus

    counter = iter(range(1, 1_000_000))

    def make(**overrides):  # type: ignore[no-untyped-def]
        n = next(counter)
        values = dict(source="test", ref=f"T-{n:03}", kind=ListingKind.offer, status=ListingStatus.published,
                      title=f"Hệ thống sấy bơm nhiệt số {n}", description="Sấy nông sản tiết kiệm điện.")
        values.update(overrides)
        listing = Listing(**values)
        db_session.add(listing)
        db_session.flush()
        return listing

    return make


@pytest.fixture
def factory(app):  # type: ignore[no-untyped-def]
    """The app's session factory (commits follow into the index and the queue)."""
    return app.extensions["exchange"].session_factory


@pytest.fixture
def people(factory):  # type: ignore[no-untyped-def]
    """One committed user per role (enterprise with its organization), a deactivated one, by role name."""
    from tests.support import add_person

    made = {role: add_person(factory, role) for role in ("enterprise", "broker", "staff")}
    made["deactivated"] = add_person(factory, "enterprise", email="khoa@thu.vn", is_active=False)
    return made


@pytest.fixture
def signed_in(app, people):  # type: ignore[no-untyped-def]
    """signed_in(role) → a test client signed in through the login form as that role's user."""
    from tests.support import sign_in

    clients = {}

    def client_for(role: str):  # type: ignore[no-untyped-def]
        if role not in clients:
            client = app.test_client()
            response = sign_in(client, people[role].email)
            assert response.status_code == 302, response.get_data(as_text=True)
            clients[role] = client
        return clients[role]

    return client_for


@pytest.fixture
def token_for(client, people):  # type: ignore[no-untyped-def]
    """token_for(role) → a bearer token of that role's user, from POST /api/tokens."""
    from tests.support import PASSWORD

    tokens = {}

    def token(role: str) -> str:
        if role not in tokens:
            response = client.post("/api/tokens", json={"email": people[role].email, "password": PASSWORD})
            assert response.status_code == 201, response.get_json()
            tokens[role] = response.get_json()["token"]
        return tokens[role]

    return token
