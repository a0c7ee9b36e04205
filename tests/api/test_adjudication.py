"""Adjudication: admins and curators decide a disputed claim's final label with a reason;
it is on record and in every export."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.models import History
from tests.api.conftest import TEXT, api_as, span
from tests.services.test_export import load_validator


def test_a_curator_decides_and_clears_a_final_label_and_annotates_as_reviewers_do(
    client, reviewer, other_reviewer, researcher, article
):
    curator = api_as(client, "curator", "cora")
    claim = reviewer.post(f"/articles/{article.id}/claims", json=span(TEXT, "Albania")).get_json()
    other_reviewer.put(f"/claims/{claim['id']}/assessment", json={"label": "contested"})
    assert reviewer.get(f"/claims/{claim['id']}").get_json()["final_label"] is None

    decided = curator.put(
        f"/claims/{claim['id']}/adjudication",
        json={"label": "contested", "note": "The statement is the group's own."},
    )
    assert decided.status_code == 200, decided.get_json()
    body = decided.get_json()
    assert (body["final_label"], body["adjudicated_by"]) == ("contested", "cora")
    assert body["adjudication_note"] == "The statement is the group's own."
    entry = db.session.scalars(
        select(History).where(History.claim_id == claim["id"], History.entity == "adjudication")
    ).one()
    assert entry.username == "cora" and entry.after["label"] == "contested"

    for api, status in ((reviewer, 403), (researcher, 403)):
        assert (
            api.put(f"/claims/{claim['id']}/adjudication", json={"label": "supporting"}).status_code
            == status
        )
    assert (
        curator.put(f"/claims/{claim['id']}/adjudication", json={"label": "maybe"}).status_code
        == 422
    )
    assert (
        curator.put("/claims/999999/adjudication", json={"label": "contested"}).status_code == 404
    )
    # A curator tags and assesses as a reviewer does (SPEC §1), but deletes only their own.
    assert (
        curator.post(f"/articles/{article.id}/claims", json=span(TEXT, "Iraq")).status_code == 201
    )
    assert (
        curator.put(f"/claims/{claim['id']}/assessment", json={"label": "contested"}).status_code
        == 201
    )
    assert curator.delete(f"/claims/{claim['id']}").status_code == 403

    cleared = curator.delete(f"/claims/{claim['id']}/adjudication")
    assert cleared.status_code == 200
    assert (cleared.get_json()["final_label"], cleared.get_json()["adjudicated_by"]) == (None, None)


def test_exports_say_where_each_final_label_came_from(
    client, reviewer, other_reviewer, researcher, article
):
    admin = api_as(client, "admin", "ada")
    decided = reviewer.post(f"/articles/{article.id}/claims", json=span(TEXT, "Albania")).get_json()
    other_reviewer.put(f"/claims/{decided['id']}/assessment", json={"label": "contested"})
    admin.put(f"/claims/{decided['id']}/adjudication", json={"label": "contested", "note": "why"})
    agreed = reviewer.post(f"/articles/{article.id}/claims", json=span(TEXT, "Iraq")).get_json()
    disputed = reviewer.post(
        f"/articles/{article.id}/claims", json=span(TEXT, "statement")
    ).get_json()
    other_reviewer.put(f"/claims/{disputed['id']}/assessment", json={"label": "unsourced"})
    lines = researcher.get("/export/claims?format=jsonl").get_data(as_text=True).splitlines()
    records = {r["claim_id"]: r for r in map(json.loads, lines)}
    assert records[decided["id"]]["final_label_source"] == "adjudication"
    assert (
        records[decided["id"]]["adjudicated_by"],
        records[decided["id"]]["adjudication_note"],
    ) == ("ada", "why")
    assert records[agreed["id"]]["final_label_source"] == "single"  # k is 1: no assignment
    assert records[disputed["id"]]["final_label_source"] == "disagreement"
    assert (records[agreed["id"]]["assessment_count"], records[agreed["id"]]["k"]) == (1, 1)
    collection = researcher.get("/export/claims?format=w3c").get_json()
    items = {i["id"]: i for i in collection["first"]["items"]}
    validator = load_validator()
    for item in items.values():
        assert validator.validate_annotation(item) == [], item["id"]
    bodies = items[f"urn:parallax:claim:{decided['id']}"]["body"]
    assessing = [b for b in bodies if b["purpose"] == "assessing"]
    assert assessing == [
        {
            "type": "TextualBody",
            "purpose": "assessing",
            "value": "contested",
            "format": "text/plain",
            "creator": {"type": "Person", "nickname": "ada"},
        }
    ]


def test_one_reviewer_of_two_is_no_agreement_to_speak_of(
    client, reviewer, other_reviewer, researcher, article
):
    """Below the event's k the final label is empty unless adjudicated, and says so; at k
    agreeing reviewers it is theirs. The claim JSON, the export, search's label filter and
    the event's statistics all follow the one rule."""
    admin = api_as(client, "admin", "ada")
    event_id = article.events[0].id
    assigned = admin.post(
        f"/events/{event_id}/assignments", json={"reviewers": ["rana", "omid"], "k": 2}
    )
    assert assigned.status_code == 200, assigned.get_json()
    claim = reviewer.post(f"/articles/{article.id}/claims", json=span(TEXT, "Iraq")).get_json()
    assert (claim["final_label"], claim["final_label_source"]) == (None, "incomplete")

    def record() -> dict:
        lines = researcher.get("/export/claims?format=jsonl").get_data(as_text=True)
        return next(r for r in map(json.loads, lines.splitlines()) if r["claim_id"] == claim["id"])

    def found(label: str) -> bool:
        hits = researcher.get(f"/search?q=Iraq&label={label}").get_json()["hits"]
        return any(h["article"]["id"] == article.id for h in hits)

    assert (record()["final_label"], record()["final_label_source"], record()["k"]) == (
        None,
        "incomplete",
        2,
    )
    assert not found("supporting") and found("disputed")
    other_reviewer.put(f"/claims/{claim['id']}/assessment", json={"label": "supporting"})
    now = researcher.get(f"/claims/{claim['id']}").get_json()
    assert (now["final_label"], now["final_label_source"]) == ("supporting", "unanimity")
    assert record()["final_label"] == "supporting" and found("supporting")
