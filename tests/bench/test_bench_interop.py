"""bench.interop at a tiny scale: every format exported, imported into an empty instance
and exported again, equal; so the round trips it reports cannot rot between full runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]


def test_every_format_round_trips_on_real_spans():
    if not (ROOT.parent / "shared" / "polnear").exists():
        unavailable("../shared/polnear is missing")
    result = subprocess.run(
        [sys.executable, "-m", "bench.interop", "--spans", "300", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if "round trip" in line]
    assert len(lines) == 5, result.stdout  # jsonl, labelstudio, doccano, brat, webanno
    assert all(line.endswith("round trip exact") for line in lines), result.stdout
