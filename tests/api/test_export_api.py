"""GET /api/v1/export/claims and the export/import commands."""

import json
from datetime import date

import pytest

from tests.factories import make_outlet


@pytest.mark.parametrize(
    ("fmt", "mimetype", "extension"),
    [
        ("jsonl", "application/x-ndjson", "jsonl"),
        ("csv", "text/csv", "csv"),
        ("json", "application/json", "json"),
        ("w3c", "application/ld+json", "jsonld"),
    ],
)
def test_every_format_downloads_with_its_type_and_a_telling_name(
    researcher, claim_set, fmt, mimetype, extension
):
    response = researcher.get(f"/export/claims?format={fmt}&label=supporting")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    assert f"label-supporting_{date.today().isoformat()}.{extension}" in disposition
    assert response.get_data(as_text=True)


def test_label_filter_returns_only_that_label(researcher, claim_set):
    body = researcher.get("/export/claims?format=jsonl&label=contested").get_data(as_text=True)
    records = [json.loads(line) for line in body.splitlines()]
    assert records and {r["final_label"] for r in records} == {"contested"}


def test_count_matches_the_export(researcher, claim_set):
    assert researcher.get("/export/count?label=supporting").json == {"count": 2}
    assert researcher.get("/export/count").json == {"count": 5}


@pytest.mark.parametrize("query", ["format=xml", "label=maybe", "event=abc", "from=soon"])
def test_bad_export_parameters_are_422(researcher, claim_set, query):
    response = researcher.get(f"/export/claims?{query}")
    assert response.status_code == 422 and response.json["message"]


def test_export_needs_a_login(client, claim_set):
    assert client.get("/api/v1/export/claims").status_code == 401


def test_cli_export_writes_each_format(runner, claim_set, tmp_path):
    for fmt in ("jsonl", "csv", "json", "w3c"):
        out = tmp_path / f"claims.{fmt}"
        result = runner.invoke(
            args=["export", "--format", fmt, "--label", "supporting", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "Exported 2 claims" in result.output
        assert out.stat().st_size > 0
    assert len(json.loads(out.read_text())["first"]["items"]) == 2
    bad = runner.invoke(args=["export", "--label", "maybe"])
    assert bad.exit_code != 0 and "maybe" in bad.output


def test_cli_import_prints_failures_and_a_summary(runner, app, tmp_path):
    (tmp_path / "a.txt").write_text("Dock strike ends\n\n" + "Workers went home today. " * 20)
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    result = runner.invoke(
        args=[
            "import",
            str(tmp_path),
            "--outlet",
            "Lantern",
            "--event",
            "Harbour strike",
            "--stance",
            "neutral",
        ]
    )
    assert result.exit_code == 1, result.output  # something failed: the documented status
    assert "b.bin: unsupported file type .bin" in result.output
    assert "1 imported, 0 duplicate, 1 failed" in result.output
    bad = runner.invoke(args=["import", str(tmp_path), "--stance", "sympathetic"])
    assert bad.exit_code != 0 and "sympathetic" in bad.output


def test_cli_import_claims_round_trip(runner, claim_set, tmp_path):
    out = tmp_path / "claims.jsonl"
    runner.invoke(args=["export", "--include-text", "-o", str(out)])
    result = runner.invoke(args=["import-claims", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 claims created, 5 matched" in result.output


FORMULA_TEXT = '=HYPERLINK("http://evil.example","click") said +1 spokesman, -2 @who'


@pytest.fixture
def formula_claims(reviewer):
    """An article whose title, quote and note start like spreadsheet formulas."""
    make_outlet("@Outlet")
    response = reviewer.post(
        "/articles", json={"outlet": "@Outlet", "title": "=1+1", "text": FORMULA_TEXT}
    )
    article = response.get_json()
    quote = FORMULA_TEXT[: FORMULA_TEXT.index(" said")]
    body = {"start": 0, "end": len(quote), "quote": quote, "label": "contested"}
    reviewer.post(f"/articles/{article['id']}/claims", json={**body, "note": "-cmd|' /C calc'!A0"})
    return article


def _csv_rows(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(researcher, formula_claims):
    text = researcher.get("/export/claims?format=csv").get_data(as_text=True)
    (row,) = _csv_rows(text)
    assert row["quote"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert row["article_title"] == "'=1+1"
    assert row["outlet"] == "'@Outlet"
    assert row["notes"].startswith("rana: -cmd")  # not at the start of the cell: harmless
    assert row["claim_id"].isdigit() and row["start"] == "0"
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_pipelines_can_turn_neutralizing_off_and_json_is_never_altered(researcher, formula_claims):
    raw = researcher.get("/export/claims?format=csv&neutralize_formulas=false")
    (row,) = _csv_rows(raw.get_data(as_text=True))
    assert row["quote"].startswith("=HYPERLINK") and row["article_title"] == "=1+1"
    (record,) = [
        json.loads(line)
        for line in researcher.get("/export/claims?format=jsonl").get_data(as_text=True).split("\n")
        if line
    ]
    assert record["quote"].startswith("=HYPERLINK") and record["outlet"] == "@Outlet"


@pytest.mark.parametrize(
    "cell",
    [
        " =1+1",
        "   +cmd",
        "\u3000=SUM(A1)",
        "\u200b=HYPERLINK(1)",
        "\uff1d1+1",
        "\u200b \uff20x",
        "\t-1",
        "\r=1",
        "\n@a",
    ],
)
def test_the_formula_guard_sees_through_spaces_invisible_and_fullwidth_characters(cell):
    from app.formats.csv_format import neutralize

    assert neutralize(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["camp", " camp", "a=b", "\u200bcamp", "", "1-2"])
def test_the_formula_guard_leaves_ordinary_text_alone(cell):
    from app.formats.csv_format import neutralize

    assert neutralize(cell) == cell


@pytest.mark.parametrize(
    ("fmt", "server", "retires"),
    [
        ("parquet", "gunicorn/23.0.0", True),
        ("jsonl", "gunicorn/23.0.0", False),
        ("parquet", "Werkzeug/3.1.3", False),
    ],
)
def test_a_gunicorn_worker_that_wrote_parquet_retires_once_it_is_sent(
    client, researcher, article, monkeypatch, fmt, server, retires
):
    """pyarrow stays in the process that imported it: that process stops gracefully after
    the file is sent (gunicorn starts a fresh one); the signal itself is recorded here."""
    import signal

    from app import workers

    sent = []
    monkeypatch.setattr(workers.os, "kill", lambda pid, sig: sent.append((pid, sig)))
    response = researcher.get(
        f"/export/claims?format={fmt}", environ_base={"SERVER_SOFTWARE": server}
    )
    assert response.status_code == 200
    assert sent == []  # not before the file is sent
    response.get_data()
    response.close()
    assert sent == ([(workers.os.getpid(), signal.SIGTERM)] if retires else [])
