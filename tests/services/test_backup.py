"""`flask backup PATH` while the app serves, restored and compared row by row."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import threading
import uuid

import psycopg
from sqlalchemy import create_engine, inspect, select, text

from app.extensions import db
from app.services.exchange.seeds import load_demo, seed
from tests.services.test_seeds import SEEDS


def _rows(engine) -> dict[str, list[tuple]]:
    """Every table's rows, in a comparable order (timestamps as text)."""
    out = {}
    with engine.connect() as connection:
        for name in sorted(inspect(engine).get_table_names()):
            if name == "alembic_version":
                continue
            rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()  # noqa: S608
            out[name] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def _restore_postgresql(archive, url: str):
    """pg_restore into a new database, as the README says; returns its engine and undo."""
    name = f"parallax_restore_{uuid.uuid4().hex[:8]}"
    admin_url = re.sub(r"/[^/]*$", "/postgres", url)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    target = re.sub(r"/[^/]*$", f"/{name}", url)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", target, str(archive)],
        check=True,
        capture_output=True,
    )

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return create_engine(target.replace("postgresql://", "postgresql+psycopg://")), drop


def test_a_backup_taken_while_writes_go_on_restores_to_the_same_rows(
    app, runner, tmp_path, committing
):
    seed(SEEDS)
    load_demo(SEEDS)
    db.session.commit()
    archive = tmp_path / "parallax.backup"

    stop = threading.Event()

    def keep_writing():  # another worker, reading and writing while the copy is taken
        with app.app_context():
            while not stop.is_set():
                db.session.execute(select(1))
                db.session.rollback()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = runner.invoke(args=["backup", str(archive)])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output and archive.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))

    live = _rows(db.engine)
    assert len(live["claims"]) > 10 and live["history"]
    if db.engine.dialect.name == "sqlite":
        assert sqlite3.connect(archive).execute("PRAGMA integrity_check").fetchone() == ("ok",)
        restored = create_engine(f"sqlite:///{archive}")
        assert _rows(restored) == live
        restored.dispose()
    else:
        restored, drop = _restore_postgresql(
            archive,
            str(db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)),
        )
        try:
            assert _rows(restored) == live
        finally:
            restored.dispose()
            drop()


def test_backup_refuses_a_folder_or_a_missing_folder(app, runner, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "no" / "such.db")]).exit_code == 1
    result = runner.invoke(args=["backup", str(tmp_path)])
    assert result.exit_code != 0
