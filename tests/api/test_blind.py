"""Blind mode: in a blind event a reviewer sees other reviewers' claims as spans only, on
every page and API route, until they assess the claim or mark the article done."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.services.claims.tagging import adjudicate, create_claim
from app.services.claims.visibility import set_blind
from tests.api.conftest import api_as
from tests.factories import login, make_article, make_event, make_outlet, make_user

TEXT = (
    "Officials said the transfer was complete. Critics called the camp a prison. "
    "The group thanked the United Nations."
)
SECRETS = ("SECRET-NOTE-ANA", "SECRET-ADJUDICATION")


@pytest.fixture
def blind_event(client):
    event = make_event("Blind day")
    outlet = make_outlet("Blind Post")
    article = make_article(outlet, text=TEXT, title="Blind", events=[event])
    ana = make_user("reviewer", "ana")
    ben = make_user("reviewer", "ben")
    admin = make_user("admin", "ada")
    quote = "Critics called the camp a prison"
    start = TEXT.index(quote)
    hers = create_claim(
        article,
        ana,
        start=start,
        end=start + len(quote),
        quote=quote,
        label="contested",
        note=SECRETS[0],
    )
    adjudicate(hers, admin, "contested", SECRETS[1])
    own = create_claim(article, ben, start=0, end=9, quote="Officials", label="supporting")
    set_blind(event, True, admin)
    db.session.commit()
    return {"event": event, "outlet": outlet, "article": article, "hers": hers.id, "own": own.id}


def test_a_reviewer_sees_no_label_of_an_unassessed_claim_anywhere(client, blind_event):
    e = blind_event
    ben = api_as(client, "reviewer", "ben2")  # a third reviewer, who has assessed nothing
    login(
        client, db.session.get(type(db.session.get), 1) if False else make_user("reviewer", "cai")
    )
    api_routes = [
        f"/articles/{e['article'].id}",
        f"/articles/{e['article'].id}/claims",
        f"/claims/{e['hers']}",
        f"/events/{e['event'].id}/comparison",
        "/export/claims?format=jsonl",
        "/export/claims?format=json",
        "/export/claims?format=csv",
        "/export/claims?format=w3c",
        "/export/count",
        f"/events/{e['event'].id}/agreement",
        f"/outlets/{e['outlet'].id}/agreement",
        "/agreement",
        f"/events/{e['event'].id}/propositions",
    ]
    for path in api_routes:
        response = ben.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, (path, body)
        for secret in SECRETS:
            assert secret not in body, path
    claim = ben.get(f"/claims/{e['hers']}").get_json()
    assert claim["hidden"] is True and claim["assessments"] == []
    assert (claim["final_label"], claim["adjudicated_label"], claim["author"]) == (None, None, None)
    assert claim["quote"] == "Critics called the camp a prison"  # the span is shown
    assert ben.get(f"/claims/{e['hers']}/history").status_code == 403
    assert ben.get("/export/count").get_json()["count"] == 0
    comparison = ben.get(f"/events/{e['event'].id}/comparison").get_json()
    assert comparison["outlet_label_counts"] == {
        "Blind Post": {**comparison["outlet_label_counts"]["Blind Post"], "contested": 0}
    } or "contested" not in str(comparison["outlet_label_counts"])

    pages = [
        f"/articles/{e['article'].id}",
        f"/events/{e['event'].id}",
        f"/events/{e['event'].id}/compare",
        f"/events/{e['event'].id}/matrix",
        f"/events/{e['event'].id}/matrix?format=csv",
        f"/outlets/{e['outlet'].id}",
        f"/events/{e['event'].id}/agreement",
        f"/events/{e['event'].id}/agreement.csv",
        "/agreement",
    ]
    for path in pages:
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        for secret in SECRETS:
            assert secret not in body, path
        assert f'data-claims="{e["hers"]}"' not in body, path


def test_assessing_or_marking_done_reveals_and_others_see_everything(client, blind_event):
    e = blind_event
    cai = api_as(client, "reviewer", "cai")
    put = cai.put(f"/claims/{e['hers']}/assessment", json={"label": "supporting"})
    assert put.status_code == 201
    assert put.get_json()["label"] == "supporting"
    revealed = cai.get(f"/claims/{e['hers']}").get_json()
    assert revealed["hidden"] is False
    assert {a["note"] for a in revealed["assessments"]} >= {SECRETS[0]}
    from app.models import Assessment

    mine = db.session.query(Assessment).filter_by(claim_id=e["hers"]).all()
    assert {a.reviewer.username: a.informed for a in mine} == {"ana": False, "cai": False}
    # Changing the label now that the others are in view: informed.
    cai.put(f"/claims/{e['hers']}/assessment", json={"label": "contested"})
    db.session.expire_all()
    assert (
        db.session.query(Assessment)
        .filter_by(claim_id=e["hers"])
        .filter(Assessment.informed.is_(True))
        .count()
        == 1
    )

    dan = api_as(client, "reviewer", "dan")
    assert dan.get(f"/claims/{e['hers']}").get_json()["hidden"] is True
    assert dan.put(f"/articles/{e['article'].id}/done", json={}).status_code == 200
    assert dan.get(f"/claims/{e['hers']}").get_json()["hidden"] is False

    for role in ("researcher", "admin", "curator"):
        reader = api_as(client, role, f"{role}-1")
        body = reader.get(f"/articles/{e['article'].id}").get_data(as_text=True)
        assert SECRETS[0] in body, role

    admin = api_as(client, "admin", "ada2")
    assert admin.put(f"/events/{e['event'].id}/blind", json={"blind": False}).get_json() == {
        "event_id": e["event"].id,
        "blind": False,
    }
    assert (
        api_as(client, "reviewer", "eve").get(f"/claims/{e['hers']}").get_json()["hidden"] is False
    )
    assert cai.put(f"/events/{e['event'].id}/blind", json={"blind": True}).status_code == 403
