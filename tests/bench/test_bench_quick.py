"""The benchmark itself, at a tiny scale, so its code cannot rot between full runs.

It measures nothing here: it runs every phase (import, API load, reads, exports, growth
through import-claims) against a real gunicorn and checks that the result is complete.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import PG_ADMIN_URL, unavailable

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_bench_runs_every_phase_at_tiny_scale(kind, tmp_path):
    if kind == "postgresql":
        try:
            psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
        except psycopg.OperationalError as exc:
            unavailable(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "0.02", "--db", kind, "--out", str(tmp_path)],
        cwd=ROOT,
        env=os.environ | {"BENCH_POSTGRES_URL": PG_ADMIN_URL},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (path,) = tmp_path.glob(f"*-{kind}-x0.02.json")
    report = json.loads(path.read_text())
    figures, curves = report["figures"], report["curves"]

    assert report["workload"]["claims"] == 20 * report["workload"]["articles"]
    assert figures["import"]["articles"] == report["workload"]["articles"]
    for key in ("claim_create_1", "claim_create_4", "article_page", "compare_api"):
        assert 0 < figures[key]["p50_ms"] <= figures[key]["p95_ms"]
    assert set(figures["export"]) == {"jsonl", "csv", "json", "w3c"}
    # Exports at 2k, 20k and 200k claims (scaled), the comparison at 2, 6 and 12 articles.
    assert sorted(map(int, curves["export"])) == [40, report["workload"]["claims"], 4000]
    assert {"2", "6", "12"} <= set(curves["compare_api"])
    assert len(curves["claim_create_p95_ms"]) == 3
    assert all(row["value"] is not None for row in report["targets"])
    assert report["machine"]["cores"] and report["machine"]["sqlite"]
    assert "targets" in result.stdout and kind in result.stdout
