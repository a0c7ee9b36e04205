"""The review queue: who may see it, what it lists, and its filters."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.services.claims.tagging import create_claim, put_assessment
from tests.factories import csrf_token, login, make_article, make_event, make_outlet, make_user

TEXT = "Alpha claim. Beta claim. Gamma claim."


@pytest.fixture
def disputed():
    event = make_event("Disputes")
    article = make_article(make_outlet("Queue Daily"), text=TEXT, events=[event])
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    pairs = [("supporting", "contested"), ("contested", "unsourced"), ("unsourced", "unsourced")]
    for quote, (first, second) in zip(["Alpha", "Beta", "Gamma"], pairs, strict=True):
        start = TEXT.index(quote)
        end = start + len(quote)
        claim = create_claim(article, ana, start=start, end=end, quote=quote, label=first)
        put_assessment(claim, ben, label=second)
    db.session.commit()
    return event


@pytest.mark.parametrize(
    "role, status", [("reviewer", 403), ("researcher", 403), ("curator", 200), ("admin", 200)]
)
def test_only_admins_and_curators_see_the_queue(client, disputed, role, status):
    login(client, make_user(role, f"user-{role}"))
    assert client.get("/review").status_code == status


def test_the_queue_lists_disputes_and_filters_by_label_pair(client, disputed):
    login(client, make_user("curator", "cora"))
    page = client.get("/review").get_data(as_text=True)
    assert (
        page.count('class="review-item card"') == 2 and "Gamma" not in page.split("review-queue")[1]
    )
    only = client.get("/review?pair=contested/unsourced").get_data(as_text=True)
    assert only.count('class="review-item card"') == 1 and ">Beta<" in only
    bad = client.get("/review?pair=contested/maybe").get_data(as_text=True)
    assert "Unknown label" in bad and "maybe" in bad.split("Unknown label")[1][:40]
    # "Accept all" shows what it will do, and does it only as confirmed.
    assert "Accept these 1" in page and "“Gamma”" in page
    token = csrf_token(client, "/review")
    unconfirmed = client.post("/review/accept-unanimous", data={"csrf_token": token})
    assert unconfirmed.status_code == 422
    stale = client.post("/review/accept-unanimous", data={"csrf_token": token, "expected": "2"})
    assert stale.status_code == 422 and "queue changed" in stale.get_data(as_text=True)
    accepted = client.post("/review/accept-unanimous", data={"csrf_token": token, "expected": "1"})
    assert accepted.status_code == 303
    assert "1 claim(s) on which every reviewer agreed" in client.get("/review").get_data(
        as_text=True
    )


def test_claims_with_fewer_assessments_than_k_wait_for_a_decision(client, disputed):
    from app.services.review.adjudication import QueueFilters, accept_unanimous, queue

    disputed.overlap = 3
    db.session.commit()
    listed = queue(QueueFilters(event=disputed.id))
    # Alpha and Beta disagree; Gamma's two agreeing labels are fewer than k = 3.
    assert sorted(c.quote for c in listed.claims) == ["Alpha", "Beta", "Gamma"]
    assert set(listed.k.values()) == {3} and listed.unanimous == 0
    assert accept_unanimous(QueueFilters(event=disputed.id), make_user("curator", "cora")) == 0
    login(client, make_user("curator", "cora2"))
    page = client.get("/review").get_data(as_text=True)
    assert "2 of k = 3 assessments" in page and 'class="codebook card"' in page
