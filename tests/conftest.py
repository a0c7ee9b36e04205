"""Fixtures: every test runs on SQLite and again on a fresh PostgreSQL database.

PostgreSQL is used when it answers on 127.0.0.1:5432 (or TEST_POSTGRES_URL). Under CI=true a
missing PostgreSQL is a failure, not a skip.
"""

from __future__ import annotations

import os
import re
import threading
import uuid

import psycopg
import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models.history import APPEND_ONLY_SQLITE

pytest_plugins = ["tests.claim_set"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def unavailable(reason: str):
    """Skip locally; fail under CI, where every part must be present."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgresql_url():
    """A fresh PostgreSQL database for this run, dropped afterwards."""
    name = f"parallax_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield re.sub(r"/[^/]*$", f"/{name}", PG_ADMIN_URL)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


_schemas_created: set[str] = set()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    return request.getfixturevalue(f"{request.param}_url")


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and session), as in production,
    even though the test itself holds one open for its factories."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_app(database_url: str, tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEEDS_DIR": os.path.join(os.path.dirname(__file__), "..", "seeds"),
        "RATELIMIT_ENABLED": False,  # tests log in often; test_access turns it back on
        **overrides,
    }
    app = create_app(config)
    app.instance_path = str(tmp_path)
    app.test_client_class = FreshContextClient
    return app


def _empty_all_tables() -> None:
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        # The history refuses TRUNCATE (append-only); a test's teardown lifts that a moment.
        db.session.execute(text("ALTER TABLE history DISABLE TRIGGER history_no_truncate"))
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.execute(text("ALTER TABLE history ENABLE TRIGGER history_no_truncate"))
    else:
        # The history table refuses deletes (append-only); a test's teardown lifts that.
        for verb in ("update", "delete"):
            db.session.execute(text(f"DROP TRIGGER IF EXISTS history_no_{verb}"))
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        for ddl in APPEND_ONLY_SQLITE:
            db.session.execute(text(ddl.statement))
    db.session.commit()


# The app's commits, inside a test's outer transaction, release a savepoint; its rollbacks
# roll back to one (SQLAlchemy's "joining a session into an external transaction").
db.session.session_factory.configure(join_transaction_mode="create_savepoint")

# Tests whose requests run on other threads or processes need real commits: a live server,
# concurrent clients. Everything else runs in one transaction that is rolled back at the end.
COMMITTING_FIXTURES = {"live_server", "committing"}


@pytest.fixture
def committing():
    """Ask for this to commit for real (another connection or process must see the data)."""


def _begin_outer_transaction(app):
    """Bind the app to one connection holding an open transaction; return the undo."""
    engine = db.engines[None]
    connection = engine.connect()
    if engine.dialect.name == "sqlite":
        # pysqlite begins transactions on its own terms and breaks SAVEPOINT; let SQLAlchemy
        # emit BEGIN itself (the SQLAlchemy docs' pysqlite recipe).
        connection.connection.driver_connection.isolation_level = None
        event.listen(connection, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    outer = connection.begin()
    db.engines[None] = connection

    def undo() -> None:
        db.session.remove()
        outer.rollback()
        connection.close()
        db.engines[None] = engine

    return undo


@pytest.fixture
def app(request, database_url, tmp_path):
    """The app on an empty schema. Each test runs inside a transaction that is rolled back;
    a test with a live server commits for real, and its tables are emptied afterwards."""
    app = make_app(database_url, tmp_path)
    with app.app_context():
        if database_url not in _schemas_created:
            db.drop_all()
            db.create_all()  # tests only; the app itself uses migrations
            _schemas_created.add(database_url)
        committing = bool(COMMITTING_FIXTURES & set(request.fixturenames))
        undo = None if committing else _begin_outer_transaction(app)
        yield app
        if undo is not None:
            undo()
        else:
            db.session.remove()
            _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _closing_iterables(app):
    """Wrap a WSGI app so its response iterable is closed even when the client hangs up.

    Werkzeug's development server closes a response in a ``finally`` that first drains the
    socket; when the browser has reset the connection (it drops a favicon or a script
    request on navigation) that drain raises and the close is skipped, so a static file is
    left to the garbage collector and its ResourceWarning fails whichever test is running.
    A generator's own ``finally`` runs when the server lets go of it, so the file is closed
    before it can warn.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)

        def chunks():
            try:
                yield from body
            finally:
                if hasattr(body, "close"):
                    body.close()

        return chunks()

    return wsgi


@pytest.fixture
def live_server(app):
    """Serve the test app over real HTTP on a free local port for the length of one test."""
    server = make_server("127.0.0.1", 0, _closing_iterables(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
