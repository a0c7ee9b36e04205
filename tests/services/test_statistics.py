"""A bulk import ends by refreshing the planner's statistics (app/cli/corpus.py): without them
PostgreSQL planned whole-table scans for lookups of a few rows after loading 100,000 articles."""

from __future__ import annotations

import json

from sqlalchemy import text

from app.cli import corpus as corpus_commands
from app.extensions import db


def analysed(table: str) -> bool:
    if db.engine.dialect.name == "postgresql":
        return bool(
            db.session.execute(
                text(
                    "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
                    "FROM pg_stat_user_tables WHERE relname = :t"
                ),
                {"t": table},
            ).scalar()
        )
    # SQLite keeps what ANALYZE learnt in sqlite_stat1, one row per index it measured.
    if not db.session.execute(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).scalar():
        return False
    return bool(
        db.session.execute(
            text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}
        ).scalar()
    )


def test_a_bulk_import_refreshes_the_statistics_and_a_small_one_does_not(
    runner, committing, tmp_path, monkeypatch
):
    small = tmp_path / "small.jsonl"
    record = {"outlet": "Lantern", "title": "One", "text": "A single article."}
    small.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(small)])
    assert result.exit_code == 0, result.output
    assert "statistics refreshed" not in result.output

    # The threshold is the command's; two articles stand in for a thousand here.
    monkeypatch.setattr(corpus_commands, "BULK", 2)
    more = tmp_path / "more.jsonl"
    more.write_text(
        "".join(
            json.dumps({"outlet": "Lantern", "title": f"T{i}", "text": f"Article {i}."}) + "\n"
            for i in range(3)
        ),
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", str(more)])
    assert result.exit_code == 0, result.output
    assert "statistics refreshed" in result.output
    db.session.commit()
    assert analysed("articles")
