"""Every change on record, a deleted claim restored from it, ids never reused."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import Claim, History
from tests.api.conftest import TEXT, snapshot, span


def _claim(api, article, quote="Albania", **extra):
    response = api.post(f"/articles/{article.id}/claims", json=span(TEXT, quote, **extra))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_every_change_to_a_claim_is_on_record_with_who_before_and_after(
    reviewer, other_reviewer, admin, article
):
    claim = _claim(reviewer, article)
    cid = claim["id"]
    version = claim["assessments"][0]["version"]
    reviewer.patch(f"/claims/{cid}", json={"label": "contested", "version": version})
    other_reviewer.put(f"/claims/{cid}/assessment", json={"label": "unsourced", "note": "no"})
    event_id = article.events[0].id
    proposition = admin.post(
        f"/events/{event_id}/propositions", json={"statement": "They left", "claims": [cid]}
    ).get_json()
    admin.patch(f"/claims/{cid}", json={"proposition": None})
    entries = reviewer.get(f"/claims/{cid}/history").get_json()
    assert [(e["user"], e["entity"], e["action"]) for e in entries] == [
        ("rana", "claim", "create"),
        ("rana", "assessment", "change"),
        ("omid", "assessment", "create"),
        ("ada", "proposition_link", "link"),
        ("ada", "proposition_link", "unlink"),
    ]
    change = entries[1]
    assert change["before"]["label"] == "supporting" and change["after"]["label"] == "contested"
    assert change["after"]["version"] == change["before"]["version"] + 1
    assert entries[3]["after"] == {"proposition_id": proposition["id"]}
    assert entries[4]["before"] == {"proposition_id": proposition["id"]}
    assert entries[0]["after"]["quote"] == "Albania"
    assert all(e["at"] for e in entries)


def test_an_admin_restores_a_deleted_claim_with_its_id_and_assessments(
    reviewer, other_reviewer, admin, researcher, article
):
    claim = _claim(reviewer, article, note="from the statement")
    cid = claim["id"]
    other_reviewer.put(f"/claims/{cid}/assessment", json={"label": "contested", "note": "why"})
    before = reviewer.get(f"/claims/{cid}").get_json()
    assert reviewer.delete(f"/claims/{cid}").status_code == 204
    assert reviewer.get(f"/claims/{cid}").status_code == 404
    history = researcher.get(f"/claims/{cid}/history").get_json()
    assert history[-1]["action"] == "delete"
    assert len(history[-1]["before"]["assessments"]) == 2

    assert reviewer.post(f"/claims/{cid}/restore").status_code == 403
    assert researcher.post(f"/claims/{cid}/restore").status_code == 403
    restored = admin.post(f"/claims/{cid}/restore")
    assert restored.status_code == 201, restored.get_json()
    after = reviewer.get(f"/claims/{cid}").get_json()

    def comparable(c):
        return {
            **{k: v for k, v in c.items() if k != "assessments"},
            "assessments": sorted(
                (a["reviewer"], a["label"], a["note"], a["created_at"]) for a in c["assessments"]
            ),
        }

    assert comparable(after) == comparable(before)
    assert admin.post(f"/claims/{cid}/restore").status_code == 409  # it exists again
    assert researcher.get(f"/claims/{cid}/history").get_json()[-1]["action"] == "restore"


def test_a_claim_deleted_before_a_revision_is_restored_where_its_words_went(
    reviewer, admin, article
):
    kept = _claim(reviewer, article, quote="Albania")
    gone = _claim(reviewer, article, quote="statement")
    for claim in (kept, gone):
        assert reviewer.delete(f"/claims/{claim['id']}").status_code == 204
    new_text = "Correction added.\n\n" + TEXT.replace("in a statement", "in a note")
    assert admin.put(f"/articles/{article.id}", json={"text": new_text}).status_code == 200
    back = admin.post(f"/claims/{kept['id']}/restore").get_json()
    assert (back["quote"], back["revision"], back["anchor"]) == ("Albania", 2, None)
    assert new_text[back["start"] : back["end"]] == "Albania"
    orphan = admin.post(f"/claims/{gone['id']}/restore").get_json()
    assert (orphan["anchor"], orphan["revision"]) == ("orphan", 1)
    assert (orphan["start"], orphan["quote"]) == (gone["start"], "statement")


def test_restoring_what_was_never_deleted_is_404_and_changes_nothing(admin, article):
    before = snapshot()
    assert admin.post("/claims/424242/restore").status_code == 404
    assert admin.get("/claims/424242/history").status_code == 404
    assert snapshot() == before


def test_a_deleted_claims_id_is_never_given_to_a_new_claim(reviewer, article):
    first = _claim(reviewer, article, "Albania")
    assert reviewer.delete(f"/claims/{first['id']}").status_code == 204
    second = _claim(reviewer, article, "Camp Liberty")
    assert second["id"] > first["id"]


def test_the_history_table_refuses_updates_and_deletes(reviewer, article):
    _claim(reviewer, article)
    db.session.rollback()
    assert db.session.query(History).count() == 1
    for statement in ("UPDATE history SET username = 'mallory'", "DELETE FROM history"):
        nested = db.session.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        nested.rollback()
    assert db.session.query(History).one().username == "rana"
    assert db.session.query(Claim).count() == 1


def test_the_article_page_lists_deleted_claims_for_admins_who_restore_them(
    client, reviewer, article
):
    from tests.factories import csrf_token, login, make_user

    claim = _claim(reviewer, article)
    reviewer.delete(f"/claims/{claim['id']}")
    login(client, make_user("researcher", "ines2"))
    assert "Deleted claims" not in client.get(f"/articles/{article.id}").get_data(as_text=True)
    admin_client = client.application.test_client()
    login(admin_client, make_user("admin", "ada2"))
    page = admin_client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "Deleted claims" in page and "deleted by rana" in page
    restore = f"/articles/{article.id}/claims/{claim['id']}/restore"
    token = csrf_token(admin_client, f"/articles/{article.id}")
    assert client.post(restore, data={"csrf_token": token}).status_code in (400, 403)
    assert admin_client.post(restore, data={"csrf_token": token}).status_code == 303
    assert reviewer.get(f"/claims/{claim['id']}").status_code == 200
    page = admin_client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "Deleted claims" not in page
