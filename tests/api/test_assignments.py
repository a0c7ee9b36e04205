"""Assignments: an event's articles to k reviewers each, spread evenly or by hand; each
reviewer's queue and "Done for me"; progress per reviewer and per article."""

from __future__ import annotations

from collections import Counter

from app.extensions import db
from tests.api.conftest import api_as
from tests.factories import csrf_token, login, make_article, make_event, make_outlet, make_user


def event_with_articles(n=6):
    event = make_event("Assigned")
    outlet = make_outlet("Assign Post")
    articles = [make_article(outlet, text=f"Article body {i}.", events=[event]) for i in range(n)]
    db.session.commit()
    return event, articles


def test_articles_go_to_k_reviewers_evenly_and_progress_follows(client):
    event, articles = event_with_articles()
    admin = api_as(client, "admin", "ada")
    reviewers = {name: api_as(client, "reviewer", name) for name in ("ana", "ben", "cai")}
    api_as(client, "researcher", "ines")
    body = admin.post(
        f"/events/{event.id}/assignments", json={"reviewers": ["ana", "ben", "cai"], "k": 2}
    )
    assert body.status_code == 200, body.get_json()
    progress = body.get_json()
    assert progress["overlap"] == 2
    assert all(len(a["assigned"]) == 2 for a in progress["articles"])
    assert Counter(r["assigned"] for r in progress["reviewers"]) == Counter({4: 3})
    # Again: nothing changes, articles keep their reviewers.
    again = admin.post(
        f"/events/{event.id}/assignments", json={"reviewers": ["ana", "ben", "cai"], "k": 2}
    ).get_json()
    assert again == progress

    for bad, status in (
        ({"reviewers": ["ana"], "k": 2}, 422),
        ({"reviewers": ["ana", "ines"], "k": 1}, 422),
        ({"reviewers": ["ana", "nobody"], "k": 1}, 422),
        ({"reviewers": ["ana", "ben"], "k": 0}, 422),
    ):
        assert admin.post(f"/events/{event.id}/assignments", json=bad).status_code == status
    assert (
        reviewers["ana"]
        .post(f"/events/{event.id}/assignments", json={"reviewers": ["ana"], "k": 1})
        .status_code
        == 403
    )

    ana = reviewers["ana"]
    queue = ana.get("/me/queue").get_json()
    assert len(queue) == 4 and not any(item["done"] for item in queue)
    first = queue[0]["article_id"]
    done = ana.put(f"/articles/{first}/done", json={}).get_json()
    assert done["done"] is True and done["next_article"] == queue[1]["article_id"]
    queue = ana.get("/me/queue").get_json()
    assert queue[-1] == {**queue[-1], "article_id": first, "done": True}
    progress = admin.get(f"/events/{event.id}/assignments").get_json()
    assert {r["reviewer"]: r["done"] for r in progress["reviewers"]} == {
        "ana": 1,
        "ben": 0,
        "cai": 0,
    }
    row = next(a for a in progress["articles"] if a["article_id"] == first)
    assert row["done"] == ["ana"]
    assert ana.put(f"/articles/{first}/done", json={"done": False}).get_json()["done"] is False

    hand = admin.put(f"/articles/{articles[0].id}/assignment", json={"reviewers": ["cai"]})
    assert hand.get_json() == {"reviewers": ["cai"]}
    progress = admin.get(f"/events/{event.id}/assignments").get_json()
    assert next(a for a in progress["articles"] if a["article_id"] == articles[0].id)[
        "assigned"
    ] == ["cai"]


def test_home_shows_my_queue_and_done_for_me_goes_to_the_next(client):
    event, articles = event_with_articles(3)
    ana = make_user("reviewer", "ana")
    admin = make_user("admin", "ada")
    from app.services.review.assignments import assign_evenly

    assign_evenly(event, ["ana"], 1, admin)
    db.session.commit()
    login(client, ana)
    home = client.get("/").get_data(as_text=True)
    assert "My queue" in home and "0 of 3 to do" not in home and "3 of 3 to do" in home
    page = client.get(f"/articles/{articles[0].id}").get_data(as_text=True)
    assert "Done for me" in page and f'data-next="/articles/{articles[1].id}"' in page
    token = csrf_token(client, f"/articles/{articles[0].id}")
    response = client.post(f"/articles/{articles[0].id}/done", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/articles/{articles[1].id}")
    assert "done for you" in client.get(f"/articles/{articles[0].id}").get_data(as_text=True)
    assert "2 of 3 to do" in client.get("/").get_data(as_text=True)
