"""Actors on the event page: data, not code. A new event shows none; the seeded events show
theirs; an admin adds, edits and removes them, or adds a suggested name with one click."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Actor, Event
from app.services.exchange.seeds import seed
from tests.factories import csrf_token, login, make_article, make_event, make_outlet, make_user
from tests.services.test_seeds import SEEDS

SEED_NAMES = ("PMOI", "MEK", "Mojahedin", "Iranian Resistance", "regime", "mullahs")


def two_outlets_on(event: Event) -> None:
    make_article(make_outlet("Lantern"), text="The MEK left. Maryam Rajavi spoke.", events=[event])
    make_article(
        make_outlet("Courier"),
        text="Officials said the MEK and Maryam Rajavi left.",
        events=[event],
    )


def test_a_new_event_shows_no_actors_of_the_seed_story(client):
    event = make_event("A council election")
    make_article(
        make_outlet("Lantern"), text="The regime of the MEK and PMOI cult.", events=[event]
    )
    make_article(make_outlet("Courier"), text="Residents voted. The regime fell.", events=[event])
    login(client, make_user("researcher"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "This event has no actors yet." in page
    assert "How each outlet names" not in page
    assert db.session.scalar(select(Actor.id)) is None


def test_seeded_events_show_how_each_outlet_names_their_actors(client):
    report = seed(SEEDS)
    db.session.commit()
    assert report.actors == 6  # three actors for each of the two events
    login(client, make_user("researcher"))
    for event in db.session.scalars(select(Event)):
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "How each outlet names People&#39;s Mojahedin Organization of Iran" in page
        assert "How each outlet names Government of Iran" in page
        assert sum(name in page for name in SEED_NAMES) >= 4
    assert seed(SEEDS).actors == 0  # idempotent


def test_admin_adds_edits_and_removes_an_actor_on_the_page(client):
    event = make_event("Departure")
    two_outlets_on(event)
    login(client, make_user("admin"))
    token = csrf_token(client, f"/events/{event.id}")
    added = client.post(
        f"/events/{event.id}/actors",
        data={"name": "Mojahedin", "aliases": "MEK\nPMOI, MKO", "csrf_token": token},
    )
    assert added.status_code == 303
    actor = db.session.scalar(select(Actor).where(Actor.event_id == event.id))
    assert actor.names == ["Mojahedin", "MEK", "PMOI", "MKO"]
    actor_id = actor.id
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "How each outlet names Mojahedin" in page
    # The MEK row counts both outlets' mentions.
    row = re.search(r'<th scope="row">MEK</th>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r">(\d+)</td>", row) == ["1", "1"]

    edited = client.post(
        f"/events/{event.id}/actors/{actor_id}",
        data={"name": "People's Mojahedin", "aliases": "MEK", "csrf_token": token},
    )
    assert edited.status_code == 303
    db.session.expire_all()
    assert db.session.get(Actor, actor_id).names == ["People's Mojahedin", "MEK"]
    removed = client.post(
        f"/events/{event.id}/actors/{actor_id}",
        data={"delete": "1", "csrf_token": token},
    )
    assert removed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Actor, actor_id) is None


def test_admin_adds_a_suggested_name_with_one_click(client):
    event = make_event("Departure")
    two_outlets_on(event)
    login(client, make_user("admin"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Names several outlets use" in page
    # Each suggestion is a one-button form carrying its name.
    assert re.search(r'name="name" value="Maryam Rajavi"', page)
    token = csrf_token(client, f"/events/{event.id}")
    client.post(f"/events/{event.id}/actors", data={"name": "Maryam Rajavi", "csrf_token": token})
    assert (
        db.session.scalar(select(Actor.name).where(Actor.event_id == event.id)) == "Maryam Rajavi"
    )
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'name="name" value="Maryam Rajavi"' in page  # now the actor's own edit form
    assert 'type="hidden" name="name" value="Maryam Rajavi"' not in page  # no longer suggested


def test_a_refused_actor_says_why_and_changes_nothing(client):
    event = make_event("Departure")
    login(client, make_user("admin"))
    token = csrf_token(client, f"/events/{event.id}")
    response = client.post(
        f"/events/{event.id}/actors", data={"name": "x" * 201, "csrf_token": token}
    )
    assert response.status_code == 422
    assert "longer than 200 characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(Actor.id)) is None


def test_only_admins_see_and_use_the_actor_forms(client):
    event = make_event("Departure")
    two_outlets_on(event)
    login(client, make_user("reviewer"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Add an actor" not in page and "Names several outlets use" not in page
    token = csrf_token(client, f"/events/{event.id}")
    response = client.post(f"/events/{event.id}/actors", data={"name": "MEK", "csrf_token": token})
    assert response.status_code == 403
    assert db.session.scalar(select(Actor.id)) is None


def test_an_actor_form_without_its_csrf_token_is_refused(client):
    event = make_event("Departure")
    login(client, make_user("admin"))
    response = client.post(f"/events/{event.id}/actors", data={"name": "MEK"})
    assert response.status_code == 400
    assert db.session.scalar(select(Actor.id)) is None
