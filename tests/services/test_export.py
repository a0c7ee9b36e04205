"""The claim export: fields, filters, formats; pandas, the W3C schemas, re-anchoring."""

import csv
import importlib.util
import io
import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from app.errors import InvalidInput
from app.formats import render
from app.services.claims.tagging import create_claim
from app.services.exchange.export import ClaimFilters, count_claims, iter_claim_records
from tests.conftest import unavailable
from tests.factories import make_article, make_event, make_outlet, make_user

W3C = Path(__file__).resolve().parents[3] / "shared" / "w3c"


def parse_filters(args: dict) -> ClaimFilters:
    """The filters as the API's query string names them (from, to as YYYY-MM-DD)."""
    names = {"from": "published_from", "to": "published_to"}
    values = {names.get(k, k): v for k, v in args.items()}
    for key in ("published_from", "published_to"):
        if key in values:
            values[key] = date.fromisoformat(values[key])
    return ClaimFilters(**values)


def export(fmt: str, **filters) -> str:
    parsed = parse_filters(filters)
    return b"".join(render(fmt, iter_claim_records(parsed), total=count_claims(parsed))).decode()


def test_records_carry_the_fields_of_spec_6(claim_set):
    records = list(iter_claim_records(parse_filters({})))
    assert len(records) == 5
    first = records[0]
    assert first["quote"] == "280 residents" and first["final_label"] == "supporting"
    assert (first["outlet"], first["outlet_lean"], first["stance"]) == (
        "Daily Lantern",
        "centre",
        "neutral",
    )
    assert first["event_titles"] == ["Departure 2016"]
    # B covers both events: their ids and titles in event order.
    b = next(r for r in records if r["article_title"] == "B")
    assert b["event_titles"] == ["Departure 2016", "Relocation 2012"]
    assert b["event_ids"] == sorted(b["event_ids"])
    assert first["proposition"] == "280 residents left for Albania"
    assert first["assessments"][0]["note"] == "Group statement"
    assert records[2]["final_label"] is None  # rana and omid disagree
    assert records[4]["final_label"] == "contested"  # adjudicated
    for record in records:
        text = claim_set["a"].text if record["article_title"] == "A" else claim_set["b"].text
        assert text[record["start"] : record["end"]] == record["quote"]


RECORD_ORDER = [
    "claim_id",
    "event_ids",
    "event_titles",
    "article_id",
    "article_title",
    "article_url",
    "article_content_hash",
    "outlet",
    "outlet_lean",
    "stance",
    "published",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "final_label",
    "final_label_source",
    "assessment_count",
    "k",
    "adjudicated_label",
    "adjudicated_by",
    "adjudication_note",
    "assessments",
    "proposition_id",
    "proposition",
    "author",
    "created_at",
    "revision",
    "revision_hash",
    "revision_at",
    "anchor",
    "informed",
]


@pytest.mark.parametrize("include_text", [False, True])
def test_every_record_has_its_fields_in_one_order_and_its_own_values(claim_set, include_text):
    """A JSONL file's lines keep one field order (article_text last), and the records made
    from one article's kept fields do not share their claims' values."""
    records = list(iter_claim_records(ClaimFilters(include_text=include_text), batch=2))
    expected = RECORD_ORDER + (["article_text"] if include_text else [])
    assert all(list(record) == expected for record in records)
    assert len({r["claim_id"] for r in records}) == len(records)
    assert len({(r["start"], r["quote"]) for r in records}) > 1


def test_pandas_reads_jsonl_and_csv_in_one_call(claim_set, tmp_path):
    (tmp_path / "c.jsonl").write_text(export("jsonl"), encoding="utf-8")
    (tmp_path / "c.csv").write_text(export("csv"), encoding="utf-8", newline="")
    jsonl = pd.read_json(tmp_path / "c.jsonl", lines=True)
    table = pd.read_csv(tmp_path / "c.csv")
    assert len(jsonl) == len(table) == 5
    assert list(table.columns)[0] == "claim_id"  # the BOM does not leak into the header
    assert table.loc[3, "quote"] == "۲۸۰ ساکن کمپ لیبرتی"
    assert table.loc[1, "quote"] == '"a major blow", with commas, quotes and\na line'
    assert list(table["agreement"]) == [True, True, False, True, False]
    assert list(table["assessment_count"]) == [1, 1, 2, 1, 2]


def test_csv_is_rfc_4180_with_a_stable_header(claim_set):
    data = export("csv")
    assert data.startswith("\ufeffclaim_id,article_id,")
    rows = list(csv.reader(io.StringIO(data.removeprefix("\ufeff"), newline="")))
    assert rows[0][:4] == ["claim_id", "article_id", "article_title", "article_url"]
    assert '"""a major blow"", with commas, quotes and\na line"' in data
    assert all(line.endswith("\r") or not line for line in data.split("\n")[:1])
    assert len(rows) == 6


def test_json_is_one_array_of_the_same_records(claim_set):
    assert json.loads(export("json")) == [json.loads(line) for line in export("jsonl").splitlines()]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"label": "supporting"}, ["280 residents", "۲۸۰ ساکن کمپ لیبرتی"]),
        ({"label": "contested"}, ["Tehran called it humiliating"]),
        ({"label": "disputed"}, ["Residents 🇦🇱 cheered 👨‍👩‍👧"]),
        (
            {"reviewer": "omid"},
            ["Residents 🇦🇱 cheered 👨‍👩‍👧", "۲۸۰ ساکن کمپ لیبرتی", "Tehran called it humiliating"],
        ),
        ({"from": "2016-09-11"}, ["۲۸۰ ساکن کمپ لیبرتی", "Tehran called it humiliating"]),
        (
            {"to": "2016-09-10", "label": "unsourced"},
            ['"a major blow", with commas, quotes and\na line'],
        ),
    ],
)
def test_filters_select_the_right_claims(claim_set, filters, expected):
    quotes = [r["quote"] for r in iter_claim_records(parse_filters(filters))]
    assert quotes == expected
    assert count_claims(parse_filters(filters)) == len(expected)


def test_event_outlet_and_article_filters(claim_set):
    ev2016, ev2012 = claim_set["events"]
    assert count_claims(parse_filters({"event": ev2016.id})) == 5
    assert count_claims(parse_filters({"event": ev2012.id})) == 2
    assert count_claims(parse_filters({"outlet": claim_set["a"].outlet_id})) == 3
    assert count_claims(parse_filters({"article": claim_set["b"].id})) == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"label": "maybe"},
        {"from": "2016-09-12", "to": "2016-09-01"},
    ],
)
def test_bad_filters_are_refused_with_a_message(app, bad):
    with pytest.raises(InvalidInput):
        parse_filters(bad)


def load_validator():
    if not (W3C / "validate.py").exists():
        unavailable(f"W3C validator not found at {W3C}")
    spec = importlib.util.spec_from_file_location("w3c_validate", W3C / "validate.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(W3C))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(W3C))
    return module


def test_w3c_export_passes_the_w3c_schemas(claim_set):
    validator = load_validator()
    collection = json.loads(export("w3c"))
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 5
    items = collection["first"]["items"]
    assert len(items) == 5
    for item in items:
        assert validator.validate_annotation(item) == [], item["id"]
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["id"].startswith("urn:parallax:claim:")
        assert item["body"][0]["purpose"] == "tagging"
    assert items[0]["target"]["source"] == "https://lantern.example/a"
    assert items[3]["target"]["source"].startswith("urn:parallax:article:")
    commenting = [b for b in items[0]["body"] if b["purpose"] == "commenting"]
    assert commenting[0]["value"] == "Group statement"
    # Disagreement: one tagging body per label.
    assert sorted(b["value"] for b in items[2]["body"] if b["purpose"] == "tagging") == [
        "contested",
        "supporting",
    ]


def test_w3c_selectors_reanchor_to_the_same_spans(claim_set):
    texts = {
        "https://lantern.example/a": claim_set["a"].text,
        f"urn:parallax:article:{claim_set['b'].id}": claim_set["b"].text,
    }
    for item in json.loads(export("w3c"))["first"]["items"]:
        quote, position = item["target"]["selector"]
        text = texts[item["target"]["source"]]
        # The quote with its context occurs once, exactly where the position selector says.
        anchored = quote["prefix"] + quote["exact"] + quote["suffix"]
        assert text.count(anchored) == 1
        assert text.index(anchored) + len(quote["prefix"]) == position["start"]
        assert text[position["start"] : position["end"]] == quote["exact"]


def test_articles_far_apart_are_read_by_id_and_those_close_as_a_range(app):
    """Article fields come in one range read when a batch's articles are close, by a list of
    ids when they are far apart; both give each record its own article's fields."""
    rana, event = make_user("reviewer", "rana"), make_event("Far apart")
    articles = []
    for n in range(12):
        outlet = make_outlet(f"Outlet {n}", lean=f"lean {n}")
        articles.append(
            make_article(outlet, text=f"Report number {n} says so.", title=f"T{n}", events=[event])
        )
    tagged = [articles[0], articles[5], articles[11]]  # ids 2 and 5 apart: neither dense
    for article in tagged:
        create_claim(article, rana, start=0, end=6, quote="Report", label="supporting")
    for size in (1, 2, 1000):  # one claim a batch (a range of one), two far apart, all
        records = list(iter_claim_records(ClaimFilters(), batch=size))
        assert [(r["article_title"], r["outlet"], r["outlet_lean"]) for r in records] == [
            (a.title, a.outlet.name, a.outlet.lean) for a in tagged
        ]
        assert all(r["event_titles"] == ["Far apart"] for r in records)


@pytest.mark.parametrize("include_text", [False, True])
def test_read_ahead_and_a_full_article_cache_keep_each_record_on_its_article(
    app, monkeypatch, include_text
):
    """A dense run of articles is read some ids ahead (not with their texts), and the kept
    fields are dropped when they fill the cache: neither puts a record on another article."""
    from app.services.exchange import export

    monkeypatch.setattr(export, "ARTICLE_CACHE", 3)
    monkeypatch.setattr(export, "READ_AHEAD", 4)
    rana = make_user("reviewer", "rana")
    articles = [
        make_article(make_outlet(f"Wire {n}"), text=f"Dispatch {n} filed.", title=f"D{n}")
        for n in range(9)
    ]
    for article in articles:
        create_claim(article, rana, start=0, end=8, quote="Dispatch", label="supporting")
    for size in (1, 2, 5):
        filters = ClaimFilters(include_text=include_text)
        records = list(iter_claim_records(filters, batch=size))
        assert [(r["article_title"], r["outlet"]) for r in records] == [
            (a.title, a.outlet.name) for a in articles
        ]
        if include_text:
            assert [r["article_text"] for r in records] == [a.text for a in articles]


def test_assessments_past_the_pipelined_batch_end_are_read_after_all(claim_set):
    """On PostgreSQL the next batch's assessments are asked for by the claims the server
    finds for it, each row carrying the last of those ids. A claim committed between the two
    statements can end that batch before the claims read: what lies past it is read then."""
    from app.extensions import db
    from app.services.exchange.export import _Batches

    batches = _Batches(db.session.connection(), ClaimFilters(), batch=1000)
    rows, expected = batches.read(0)
    assert len(rows) >= 3 and expected
    ends = [rows[0][0], rows[len(rows) // 2][0], rows[-1][0], rows[-1][0] + 5]
    for end in ends:
        asked = [(*a, end) for a in expected if a[0] <= end]
        assert batches.completed(rows, asked, 0) == expected
    assert batches.completed(rows, [], 0) == expected  # no assessments sent at all
    assert batches.completed([], [], rows[-1][0]) == []


def test_an_export_closed_early_leaves_the_connection_usable(claim_set):
    """A client that goes away mid-export closes the generator inside a pipelined batch:
    the pipeline ends and the request's session can still read."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Claim

    records = iter_claim_records(ClaimFilters(), batch=1)
    first = next(records)
    records.close()
    assert db.session.scalar(select(func.count()).select_from(Claim)) >= 2
    assert [r["claim_id"] for r in iter_claim_records(ClaimFilters(), batch=1)][0] == (
        first["claim_id"]
    )
