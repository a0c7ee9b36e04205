"""The database from the command line: backup, and the planner's statistics after a load."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli.console import domain_errors
from app.extensions import db
from app.models.search import SEARCH_TABLE

# After a bulk import the planner's statistics describe the tables as they were, and no
# page is yet marked all-visible: PostgreSQL then picked whole-table scans for lookups of a
# few rows, and counted through the heap instead of the index. So a large import ends by
# refreshing both, as pg_restore's documentation advises after loading.
BULK = 1000
ARTICLE_TABLES = ("outlets", "events", "articles", "article_events", "article_revisions")
CLAIM_TABLES = ("propositions", "claims", "assessments", "history")


def refresh_statistics(tables: tuple[str, ...]) -> None:
    """VACUUM (ANALYZE) the tables on PostgreSQL, ANALYZE on SQLite; timed on stderr."""
    started = time.perf_counter()
    if db.engine.dialect.name == "postgresql":
        if "articles" in tables:
            tables = (*tables, SEARCH_TABLE)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(tables)}")
    else:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    click.echo(f"statistics refreshed in {time.perf_counter() - started:.1f} s", err=True)


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app serves (SQLite: the
    online backup API; PostgreSQL: pg_dump, custom format). README: restoring."""
    from app.services.exchange.backup import backup

    with domain_errors():
        written = backup(db.engine, path)
    click.echo(f"Backed up to {path} ({written}).")


commands = [backup_command]
