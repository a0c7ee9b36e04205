"""An event's actors through the API: admins edit them, everyone reads them, and the event's
framing counts the names each outlet uses."""

import pytest

from tests.api.conftest import snapshot
from tests.factories import make_article, make_event, make_outlet

PMOI = "People's Mojahedin Organization of Iran"


@pytest.fixture
def event(app):
    event = make_event("Relocation")
    make_article(
        make_outlet("Lantern"),
        text="The PMOI left. The People’s Mojahedin Organization of Iran said the MEK was safe.",
        events=[event],
    )
    make_article(
        make_outlet("Courier"),
        text="The MKO cult left the camp. The MKO is a cult, officials said of the MEK.",
        events=[event],
    )
    return event


def test_admin_adds_an_actor_with_aliases_and_everyone_reads_it(admin, researcher, event):
    created = admin.post(
        f"/events/{event.id}/actors",
        json={"name": PMOI, "aliases": ["PMOI", "MEK", "MKO", " cult ", "pmoi"]},
    )
    assert created.status_code == 201, created.json
    # Aliases trimmed; one spelling of a name kept, whatever its case.
    assert created.json["aliases"] == ["PMOI", "MEK", "MKO", "cult"]
    listed = researcher.get(f"/events/{event.id}/actors").json
    assert [(a["name"], a["aliases"]) for a in listed] == [(PMOI, ["PMOI", "MEK", "MKO", "cult"])]


def test_admin_renames_and_removes_an_actor(admin, event):
    actor = admin.post(f"/events/{event.id}/actors", json={"name": "MEK"}).json
    renamed = admin.put(
        f"/events/{event.id}/actors/{actor['id']}", json={"name": PMOI, "aliases": ["MEK"]}
    )
    assert renamed.status_code == 200 and renamed.json["name"] == PMOI
    assert admin.delete(f"/events/{event.id}/actors/{actor['id']}").status_code == 204
    assert admin.get(f"/events/{event.id}/actors").json == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"aliases": ["MEK"]}, 422),  # no name
        ({"name": "   "}, 422),
        ({"name": "x" * 201}, 422),  # the column holds 200
        ({"name": "MEK", "aliases": ["y" * 201]}, 422),
        ({"name": "MEK", "aliases": "PMOI"}, 422),  # not a list
    ],
)
def test_bad_actors_are_refused_and_change_nothing(admin, event, body, status):
    before = snapshot()
    response = admin.post(f"/events/{event.id}/actors", json=body)
    assert response.status_code == status and response.json["message"]
    assert snapshot() == before
    assert admin.get(f"/events/{event.id}/actors").json == []


def test_an_actor_name_is_unique_within_its_event(admin, event):
    assert admin.post(f"/events/{event.id}/actors", json={"name": "MEK"}).status_code == 201
    again = admin.post(f"/events/{event.id}/actors", json={"name": "mek"})
    assert again.status_code == 409 and "MEK" in again.json["message"]
    other = make_event("Another")
    assert admin.post(f"/events/{other.id}/actors", json={"name": "MEK"}).status_code == 201


def test_only_admins_change_actors(reviewer, researcher, admin, event):
    assert reviewer.post(f"/events/{event.id}/actors", json={"name": "MEK"}).status_code == 403
    assert researcher.post(f"/events/{event.id}/actors", json={"name": "MEK"}).status_code == 403
    actor = admin.post(f"/events/{event.id}/actors", json={"name": "MEK"}).json
    path = f"/events/{event.id}/actors/{actor['id']}"
    assert reviewer.put(path, json={"name": "PMOI"}).status_code == 403
    assert reviewer.delete(path).status_code == 403
    assert admin.get(f"/events/{event.id}/actors").json[0]["name"] == "MEK"


def test_an_actor_of_another_event_is_not_found(admin, event):
    actor = admin.post(f"/events/{event.id}/actors", json={"name": "MEK"}).json
    other = make_event("Another")
    response = admin.put(f"/events/{other.id}/actors/{actor['id']}", json={"name": "X"})
    assert response.status_code == 404


def test_suggestions_rank_names_several_outlets_use(admin, event):
    phrases = [c["phrase"] for c in admin.get(f"/events/{event.id}/actor-suggestions").json]
    assert phrases[0] == "MEK"  # both outlets use it
    assert "PMOI" not in phrases  # one outlet only
    admin.post(f"/events/{event.id}/actors", json={"name": "Mojahedin", "aliases": ["mek"]})
    phrases = [c["phrase"] for c in admin.get(f"/events/{event.id}/actor-suggestions").json]
    assert "MEK" not in phrases  # an actor already has it
