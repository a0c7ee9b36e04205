"""An event's heavy pages are kept once rendered (services/figures.py) and rendered again as
soon as anything they show changes: a claim, an assessment, an adjudication, a proposition
link, an article's fields, an outlet, an actor. A stale page is never served as fresh."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import Event, EventFigure
from app.services.compare import figures
from tests.api.conftest import api_as
from tests.factories import login, make_article, make_event, make_outlet, make_user

TEXT = "The residents moved to Albania on Friday. Officials counted 280 people at the camp."
PAGES = ("/events/{id}", "/events/{id}/compare", "/events/{id}/matrix", "/events/{id}/agreement")


def page_rows(event: Event) -> dict[str, EventFigure]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(EventFigure).where(
            EventFigure.event_id == event.id, EventFigure.kind.startswith(figures.PAGE)
        )
    )
    return {row.kind: row for row in rows}


@pytest.fixture
def event(app):
    event = make_event("Departure")
    for name in ("Lantern", "Herald"):
        make_article(make_outlet(name), text=TEXT, events=[event], title=f"{name} report")
    return event


def strip(page: str) -> str:
    return re.sub(r"<[^>]*csrf[-_]token[^>]*>", "", page)


def claims_shown(page: str) -> list[str]:
    """Each article's claim count on the event page."""
    return re.findall(r"(\d+) claims?</span>", page)


def test_each_page_is_kept_once_and_served_while_its_inputs_stand(client, event):
    login(client, make_user("admin", "ada"))
    first = {p: client.get(p.format(id=event.id)).get_data(as_text=True) for p in PAGES}
    api = api_as(client, "researcher", "ines")
    body = api.get(f"/events/{event.id}/comparison").json
    kept = page_rows(event)
    assert {k.split(":")[1] for k in kept} == {
        "event",
        "compare",
        "matrix",
        "agreement",
        "comparison",
    }
    stamps = {k: row.computed_at for k, row in kept.items()}
    again = {p: client.get(p.format(id=event.id)).get_data(as_text=True) for p in PAGES}
    # CSRF tokens are made per request (they are outside the kept parts); all else is the same.
    assert {p: strip(v) for p, v in again.items()} == {p: strip(v) for p, v in first.items()}
    assert api.get(f"/events/{event.id}/comparison").json == body
    assert {k: row.computed_at for k, row in page_rows(event).items()} == stamps


def test_every_kind_of_change_is_shown_at_once(client, event):
    login(client, make_user("admin", "ada"))
    reviewer = api_as(client, "reviewer", "rana")
    curator = api_as(client, "curator", "cora")
    article = event.articles[0]
    path = f"/events/{event.id}"

    assert claims_shown(client.get(path).get_data(as_text=True)) == ["0", "0"]
    claim = reviewer.post(
        f"/articles/{article.id}/claims",
        {"start": 0, "end": 40, "quote": TEXT[:40], "label": "supporting"},
    ).json
    assert sorted(claims_shown(client.get(path).get_data(as_text=True))) == ["0", "1"]

    matrix = f"/events/{event.id}/matrix"
    assert "280 people" not in client.get(matrix).get_data(as_text=True)
    made = reviewer.post(f"/events/{event.id}/propositions", {"statement": "They left"})
    assert made.status_code == 201, made.json
    proposition = made.json
    assert "They left" in client.get(matrix).get_data(as_text=True)
    linked = reviewer.patch(f"/claims/{claim['id']}", {"proposition": proposition["id"]})
    assert linked.status_code == 200, linked.json
    assert TEXT[:40] in client.get(matrix).get_data(as_text=True)

    comparison = f"/events/{event.id}/comparison"
    assert curator.get(comparison).json["outlet_label_counts"]
    counts = lambda: curator.get(comparison).json["outlet_label_counts"]  # noqa: E731
    assert counts()[article.outlet.name].get("supporting") == 1
    reviewer.put(f"/claims/{claim['id']}/assessment", {"label": "contested"})
    assert counts()[article.outlet.name].get("contested") == 1
    curator.put(f"/claims/{claim['id']}/adjudication", {"label": "unsourced"})
    assert counts()[article.outlet.name].get("unsourced") == 1

    # The article's own fields and its outlet's name are on the pages too.
    admin = api_as(client, "admin", "adam")
    renamed = admin.put(f"/articles/{article.id}", {"title": "Lantern, corrected"})
    assert renamed.status_code == 200, renamed.json
    assert "Lantern, corrected" in client.get(path).get_data(as_text=True)

    reviewer.delete(f"/claims/{claim['id']}")
    assert claims_shown(client.get(path).get_data(as_text=True)) == ["0", "0"]
    # Only the latest state's page parts are kept: the earlier ones went as they were replaced.
    assert len({row.fingerprint for row in page_rows(event).values()}) == 1


def test_each_role_gets_its_own_page_and_a_blind_reviewer_none(app, client, event):
    event.blind = True
    db.session.commit()
    other = api_as(client, "reviewer", "omid")
    other.post(
        f"/articles/{event.articles[0].id}/claims",
        {"start": 0, "end": 40, "quote": TEXT[:40], "label": "supporting"},
    )
    login(client, make_user("admin", "ada"))
    assert "label-supporting" in client.get(f"/events/{event.id}/compare").get_data(as_text=True)
    reader = app.test_client()
    login(reader, make_user("reviewer", "rana"))
    page = reader.get(f"/events/{event.id}/compare").get_data(as_text=True)
    # The reviewer has not assessed omid's claim: its label is not shown to them.
    assert "label-supporting" not in page
    assert {k.split(":")[2] for k in page_rows(event)} == {"admin"}


def test_each_database_gets_its_session_settings(app):
    """SQLite waits for a busy writer; PostgreSQL does not JIT-compile (a bulk import leaves
    statistics stale, and JIT then compiled a 7 ms count for 130 ms)."""
    if db.engine.dialect.name == "postgresql":
        assert db.session.execute(text("SHOW jit")).scalar() == "off"
    else:
        assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["timeout"] == 15
