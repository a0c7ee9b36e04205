"""`flask backup PATH`: a consistent copy of the database, taken while the app serves.

SQLite: the online backup API copies a snapshot page by page under a read lock, so writers
in other workers only wait. PostgreSQL: `pg_dump` (custom format) reads one snapshot.
The copy is written beside PATH and renamed into place, so PATH is never half written.
Restoring is in the README ("Backup and restore").
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine

from app.errors import InvalidInput


def backup(engine: Engine, path: Path) -> str:
    """Write the database behind `engine` to `path`; returns what was written, for people."""
    path = path.expanduser()
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name.")
    if not path.parent.exists():
        raise InvalidInput(f"No folder {path.parent}.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite(engine, partial)
            kind = "SQLite database"
        elif engine.dialect.name == "postgresql":
            _pg_dump(engine, partial)
            kind = "pg_dump archive (custom format)"
        else:
            raise InvalidInput(f"Cannot back up a {engine.dialect.name} database.")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return f"{kind}, {path.stat().st_size:,} bytes"


def _sqlite(engine: Engine, target: Path) -> None:
    source = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            source.driver_connection.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def _pg_dump(engine: Engine, target: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise InvalidInput("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    url = engine.url.set(drivername="postgresql")
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from our own config
        [
            pg_dump,
            "--format=custom",
            "--no-owner",
            "--file",
            str(target),
            "--dbname",
            url.render_as_string(hide_password=False),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise InvalidInput(f"pg_dump failed: {result.stderr.strip()[:500]}")
