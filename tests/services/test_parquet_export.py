"""The Parquet export read with pandas and pyarrow, compared with the CSV row by row."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq

from app.extensions import db
from app.services.claims.tagging import create_claim, put_assessment
from tests.factories import make_article, make_event, make_outlet, make_user

TEXT = "👍🏽 The port reopened on Monday, officials said. =SUM(A1) was never a figure."


def _world():
    event = make_event("Port")
    article = make_article(
        make_outlet("Harbour Post"), text=TEXT, title="Port", published="2016-09-09", events=[event]
    )
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    quote = "The port reopened on Monday"
    start = TEXT.index(quote)
    claim = create_claim(
        article, ana, start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    put_assessment(claim, ben, label="contested", note="no source")
    quote = "=SUM(A1) was never a figure."
    start = TEXT.index(quote)
    create_claim(article, ben, start=start, end=start + len(quote), quote=quote, label="unsourced")
    db.session.commit()
    return article


def _text(value) -> str | None:
    return None if pd.isna(value) else str(value)


def test_one_typed_row_per_assessment_matching_the_csv(runner, tmp_path):
    article = _world()
    out, csv_out = tmp_path / "claims.parquet", tmp_path / "claims.csv"
    result = runner.invoke(
        args=["export", "--format", "parquet", "-o", str(out), "--with-articles"]
    )
    assert result.exit_code == 0, result.output
    runner.invoke(args=["export", "--format", "csv", "--keep-formulas", "-o", str(csv_out)])
    frame = pd.read_parquet(out)
    csv = pd.read_csv(csv_out, encoding="utf-8-sig")
    assert len(frame) == 3  # two assessments of the first claim, one of the second
    assert frame["label"].dtype.name == "category" and frame["outlet"].dtype.name == "category"
    assert str(frame["created_at"].dtype) == "datetime64[us, UTC]"
    assert frame["start"].dtype.name == "int64"
    by_claim = frame.groupby("claim_id")
    for _, row in csv.iterrows():
        rows = by_claim.get_group(row["claim_id"])
        for column in ("article_id", "start", "end", "quote", "final_label", "outlet", "revision"):
            assert {_text(v) for v in rows[column]} == {_text(row[column])}, column
        pairs = sorted(f"{r}:{lab}" for r, lab in zip(rows["reviewer"], rows["label"], strict=True))
        assert " | ".join(pairs) == row["reviewer_labels"]
    # Offsets are code points: the quote is the text between them.
    for _, row in frame.iterrows():
        assert TEXT[row["start"] : row["end"]] == row["quote"]
    articles = pq.read_table(tmp_path / "claims.articles.parquet").to_pandas()
    assert list(articles["article_id"]) == [article.id]
    assert articles["article_text"][0] == TEXT
    assert str(articles["published"][0]) == "2016-09-09"


def test_an_empty_export_is_a_valid_file_with_the_columns(runner, tmp_path):
    out = tmp_path / "none.parquet"
    result = runner.invoke(args=["export", "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 0 and "reviewer" in table.column_names
