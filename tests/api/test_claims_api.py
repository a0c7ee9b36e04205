"""POST/GET/PATCH/DELETE of claims and assessments, with the status codes SPEC §4 lists."""

import pytest

from tests.api.conftest import TEXT, snapshot, span


def test_tagging_a_claim_returns_201_with_the_claim_and_my_assessment(reviewer, article):
    response = reviewer.post(
        f"/articles/{article.id}/claims", span(TEXT, "280 residents", note="Group's own statement")
    )
    assert response.status_code == 201
    claim = response.json
    assert claim["quote"] == "280 residents" and claim["author"] == "rana"
    assert claim["prefix"] == TEXT[: TEXT.index("280")][-32:]
    assert claim["suffix"] == TEXT[TEXT.index("280 residents") + 13 :][:32]
    assert claim["final_label"] == "supporting"
    (assessment,) = claim["assessments"]
    assert assessment["reviewer"] == "rana" and assessment["version"] == 1
    assert reviewer.get(f"/claims/{claim['id']}").json["quote"] == "280 residents"
    assert reviewer.get(f"/articles/{article.id}").json["claims"][0]["id"] == claim["id"]


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        (
            {"start": 4, "end": 8, "quote": "lost", "label": "supporting"},
            "invalid_span",
            "quote does not equal text[4:8]",
        ),
        ({"start": 5, "end": 5, "quote": "", "label": "supporting"}, "invalid_span", "Empty"),
        ({"start": 9, "end": 3, "quote": "x", "label": "supporting"}, "invalid_span", "Empty"),
        ({"start": -1, "end": 3, "quote": "x", "label": "supporting"}, "invalid_span", "start"),
        (
            {"start": 0, "end": 10_000, "quote": "x", "label": "supporting"},
            "invalid_span",
            "past the end",
        ),
        (
            {"start": 0, "end": 3, "quote": "The", "label": "true"},
            "unknown_label",
            "expected one of supporting, contested, unsourced",
        ),
        ({"start": 0, "end": 3, "quote": "The"}, "invalid_input", "label"),
        ({"start": "0", "end": 3, "quote": "The", "label": "supporting"}, "invalid_input", "start"),
        ({"start": 0.0, "end": 3, "quote": "The", "label": "supporting"}, "invalid_input", "start"),
        (
            {
                "start": 0,
                "end": 3,
                "quote": "The",
                "label": "supporting",
                "evidence_url": "javascript:alert(1)",
            },
            "invalid_input",
            "http(s) URL",
        ),
    ],
)
def test_bad_claims_get_422_with_a_message_and_change_nothing(reviewer, article, body, code, words):
    before = snapshot()
    response = reviewer.post(f"/articles/{article.id}/claims", body)
    assert response.status_code == 422, response.json
    assert response.json["error"] == code
    assert words in response.json["message"]
    assert snapshot() == before


def test_malformed_json_is_422_and_changes_nothing(reviewer, article):
    before = snapshot()
    response = reviewer.post(
        f"/articles/{article.id}/claims",
        data='{"start": 0,',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json["error"] == "malformed_json" and response.json["message"]
    response = reviewer.post(
        f"/articles/{article.id}/claims",
        data="start=0&end=3",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert snapshot() == before


def test_unknown_ids_are_404(reviewer, article):
    assert reviewer.post("/articles/999/claims", span(TEXT, "Albania")).status_code == 404
    for path in [
        "/claims/999",
        "/articles/999",
        "/events/999",
        "/outlets/999",
        "/events/999/propositions",
    ]:
        response = reviewer.get(path)
        assert response.status_code == 404, path
        assert response.json["error"] == "not_found" and "999" in response.json["message"]
    assert reviewer.patch("/claims/999", {"label": "contested"}).status_code == 404
    assert reviewer.delete("/claims/999").status_code == 404
    assert reviewer.put("/claims/999/assessment", {"label": "contested"}).status_code == 404
    assert reviewer.get("/no-such-route").status_code == 404


def test_patch_changes_my_assessment_and_bumps_its_version(reviewer, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    response = reviewer.patch(
        f"/claims/{claim['id']}", {"label": "contested", "note": "Disputed by Tasnim", "version": 1}
    )
    assert response.status_code == 200
    (assessment,) = response.json["assessments"]
    assert (assessment["label"], assessment["note"], assessment["version"]) == (
        "contested",
        "Disputed by Tasnim",
        2,
    )


def test_patch_with_a_stale_version_is_409_with_the_current_state(reviewer, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    reviewer.patch(f"/claims/{claim['id']}", {"label": "contested", "version": 1})
    before = snapshot()
    response = reviewer.patch(f"/claims/{claim['id']}", {"label": "unsourced", "version": 1})
    assert response.status_code == 409
    assert response.json["error"] == "stale_version"
    assert response.json["current"]["label"] == "contested"
    assert response.json["current"]["version"] == 2
    assert snapshot() == before


def test_patch_with_an_unknown_label_is_422_and_changes_nothing(reviewer, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    before = snapshot()
    response = reviewer.patch(f"/claims/{claim['id']}", {"label": "maybe", "version": 1})
    assert response.status_code == 422 and response.json["error"] == "unknown_label"
    assert snapshot() == before


def test_another_reviewer_adds_their_own_assessment_with_put(reviewer, other_reviewer, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    first = other_reviewer.put(f"/claims/{claim['id']}/assessment", {"label": "contested"})
    assert first.status_code == 201 and first.json["reviewer"] == "omid"
    again = other_reviewer.put(
        f"/claims/{claim['id']}/assessment", {"label": "supporting", "version": 1}
    )
    assert again.status_code == 200 and again.json["version"] == 2
    labels = {
        a["reviewer"]: a["label"]
        for a in reviewer.get(f"/claims/{claim['id']}").json["assessments"]
    }
    assert labels == {"rana": "supporting", "omid": "supporting"}


def test_disagreement_leaves_no_final_label(reviewer, other_reviewer, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    other_reviewer.put(f"/claims/{claim['id']}/assessment", {"label": "contested"})
    assert reviewer.get(f"/claims/{claim['id']}").json["final_label"] is None


def test_a_reviewer_cannot_delete_or_edit_for_someone_else(reviewer, other_reviewer, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    before = snapshot()
    response = other_reviewer.delete(f"/claims/{claim['id']}")
    assert response.status_code == 403 and response.json["error"] == "forbidden"
    response = other_reviewer.patch(
        f"/claims/{claim['id']}", {"label": "contested", "reviewer": "rana"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_the_author_or_an_admin_deletes_a_claim(reviewer, admin, article):
    mine = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    theirs = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Camp Liberty")).json
    assert reviewer.delete(f"/claims/{mine['id']}").status_code == 204
    assert admin.delete(f"/claims/{theirs['id']}").status_code == 204
    assert reviewer.get(f"/articles/{article.id}").json["claims"] == []


def test_an_admin_can_change_a_reviewers_assessment(reviewer, admin, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    response = admin.patch(
        f"/claims/{claim['id']}", {"label": "unsourced", "reviewer": "rana", "version": 1}
    )
    assert response.status_code == 200
    assert response.json["assessments"][0]["label"] == "unsourced"


def test_a_researcher_gets_403_on_every_write_and_nothing_changes(reviewer, researcher, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    before = snapshot()
    calls = [
        researcher.post(f"/articles/{article.id}/claims", span(TEXT, "Camp Liberty")),
        researcher.patch(f"/claims/{claim['id']}", {"label": "contested"}),
        researcher.delete(f"/claims/{claim['id']}"),
        researcher.put(f"/claims/{claim['id']}/assessment", {"label": "contested"}),
        researcher.post("/outlets", {"name": "New"}),
        researcher.post("/events", {"title": "New"}),
        researcher.post("/articles", {"outlet": "New", "title": "T", "text": "Body."}),
        researcher.post(f"/events/{article.events[0].id}/propositions", {"statement": "S"}),
    ]
    assert [r.status_code for r in calls] == [403] * len(calls)
    assert all(r.json["error"] == "forbidden" for r in calls)
    assert snapshot() == before
    assert researcher.get(f"/claims/{claim['id']}").status_code == 200


def test_anonymous_calls_get_401_and_change_nothing(client, article):
    before = snapshot()
    for method, path in [
        ("get", f"/api/v1/articles/{article.id}"),
        ("post", f"/api/v1/articles/{article.id}/claims"),
        ("get", "/api/v1/outlets"),
    ]:
        response = getattr(client, method)(path, json=span(TEXT, "Albania"))
        assert response.status_code == 401
        assert response.json["error"] == "unauthorized"
    assert (
        client.get("/api/v1/outlets", headers={"Authorization": "Bearer wrong"}).status_code == 401
    )
    assert snapshot() == before


def test_a_body_over_10_mb_is_413(reviewer, article):
    before = snapshot()
    huge = "x" * (10 * 1024 * 1024 + 1)
    response = reviewer.post("/articles", data=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json["error"] == "too_large"
    assert snapshot() == before
