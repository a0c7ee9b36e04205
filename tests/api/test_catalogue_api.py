"""Outlets, events, articles and propositions over the API; CSRF; OpenAPI."""

import re

from app.extensions import db
from tests.api.conftest import TEXT, snapshot, span
from tests.factories import csrf_token, login, make_user


def test_create_outlet_event_and_article_return_201(admin):
    outlet = admin.post("/outlets", {"name": "Daily Lantern", "lean": "centre"})
    assert outlet.status_code == 201 and outlet.json["name"] == "Daily Lantern"
    event = admin.post("/events", {"title": "Harbour strike", "start_date": "2019-03-12"})
    assert event.status_code == 201 and event.json["start_date"] == "2019-03-12"
    article = admin.post(
        "/articles",
        {
            "outlet": outlet.json["id"],
            "title": "Strike ends",
            "text": "Dock workers\r\nwent home.",
            "stance": "neutral",
            "events": [event.json["id"]],
            "published": "2019-03-12",
        },
    )
    assert article.status_code == 201
    assert article.json["text"] == "Dock workers\nwent home."
    assert article.json["events"] == [event.json["id"]]
    listed = admin.get(f"/articles?event={event.json['id']}").json
    assert [a["id"] for a in listed] == [article.json["id"]]
    assert admin.get(f"/articles?outlet={outlet.json['id'] + 1}").json == []
    coverage = admin.get("/events").json[0]
    assert (coverage["articles"], coverage["outlets"]) == (1, 1)


def test_a_duplicate_article_is_409_with_the_existing_id(admin):
    body = {"outlet": "Daily Lantern", "title": "Strike ends", "text": "Dock workers went home."}
    first = admin.post("/articles", body)
    before = snapshot()
    again = admin.post(
        "/articles",
        {**body, "title": "Same text, new title", "text": "Dock workers went home.\n\n"},
    )
    assert again.status_code == 409
    assert again.json["error"] == "duplicate_article"
    assert again.json["existing_id"] == first.json["id"]
    assert snapshot() == before


def test_bad_articles_are_422_and_leave_no_outlet_behind(admin):
    before = snapshot()
    cases = [
        (
            {"outlet": "New Outlet", "title": "T", "text": "Body.", "stance": "sympathetic"},
            "unknown_stance",
        ),
        ({"outlet": "New Outlet", "title": "T"}, "invalid_input"),
        ({"outlet": 999, "title": "T", "text": "Body."}, "invalid_input"),
        ({"outlet": "New Outlet", "title": "T", "text": "Body.", "events": [999]}, "invalid_input"),
        ({"title": "T", "text": "Body."}, "invalid_input"),
    ]
    for body, code in cases:
        response = admin.post("/articles", body)
        assert response.status_code == 422, body
        assert response.json["error"] == code and response.json["message"], body
    assert snapshot() == before


def test_an_html_article_keeps_main_text_and_only_sanitized_html(admin):
    html = """<html><head><script>steal()</script><style>p{}</style></head><body>
      <nav>Home | World | Contact</nav>
      <article><h1>Strike ends</h1>
      <p>Dock workers went home on Tuesday after the union accepted the offer, the port
      authority said in a statement published on its website.</p>
      <p onclick="steal()">A second paragraph with <a href="javascript:steal()">a link</a>
      and an <img src="https://tracker.example/pixel.gif"> image.</p></article>
      <iframe src="https://ads.example"></iframe></body></html>"""
    response = admin.post(
        "/articles", {"outlet": "Daily Lantern", "title": "Strike ends", "html": html}
    )
    assert response.status_code == 201
    text = response.json["text"]
    assert "Dock workers went home on Tuesday" in text and "steal" not in text
    from app.models import Article

    # The page's HTML is not kept: nothing could ever render its scripts.
    assert db.session.get(Article, response.json["id"]).source_html is None


def test_outlet_names_are_unique(admin):
    admin.post("/outlets", {"name": "Daily Lantern"})
    response = admin.post("/outlets", {"name": "Daily Lantern"})
    assert response.status_code == 409 and "already exists" in response.json["message"]


def test_an_event_cannot_end_before_it_starts(admin):
    response = admin.post(
        "/events", {"title": "T", "start_date": "2016-09-09", "end_date": "2016-01-01"}
    )
    assert response.status_code == 422


def test_propositions_link_claims_of_the_event(reviewer, article):
    event_id = article.events[0].id
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "280 residents")).json
    created = reviewer.post(
        f"/events/{event_id}/propositions",
        {"statement": "The last 280 residents left for Albania", "claims": [claim["id"]]},
    )
    assert created.status_code == 201 and created.json["claims"] == [claim["id"]]
    assert reviewer.get(f"/claims/{claim['id']}").json["proposition"] == created.json["id"]
    listed = reviewer.get(f"/events/{event_id}/propositions").json
    assert [p["id"] for p in listed] == [created.json["id"]]
    unlinked = reviewer.patch(f"/claims/{claim['id']}", {"proposition": None})
    assert unlinked.status_code == 200 and unlinked.json["proposition"] is None


def test_a_proposition_cannot_take_claims_from_another_event(reviewer, admin, article):
    claim = reviewer.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    other = admin.post("/events", {"title": "Elsewhere"}).json
    before = snapshot()
    response = reviewer.post(
        f"/events/{other['id']}/propositions", {"statement": "S", "claims": [claim["id"]]}
    )
    assert response.status_code == 422 and str(claim["id"]) in response.json["message"]
    assert snapshot() == before


def test_session_writes_need_the_csrf_header(app, article):
    client = app.test_client()
    login(client, make_user("reviewer"))
    body = span(TEXT, "Albania")
    before = snapshot()
    refused = client.post(f"/api/v1/articles/{article.id}/claims", json=body)
    assert refused.status_code == 400 and refused.json["error"] == "csrf_failed"
    assert snapshot() == before
    token = csrf_token(client, f"/articles/{article.id}")
    accepted = client.post(
        f"/api/v1/articles/{article.id}/claims", json=body, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201


def test_openapi_document_is_generated_from_the_routes(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api-docs"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)
    claim_in = spec["components"]["schemas"]["ClaimIn"]
    assert set(claim_in["required"]) == {"start", "end", "quote", "label"}


SUBMITTED = (
    "\ufeff  Lead sentence ends in a space. \n\n\nSecond one, too. \r\nCafe\u0301 closes.  \n"
)


def test_submitted_text_is_stored_exactly_but_for_nfc_line_ends_and_a_bom(admin):
    response = admin.post("/articles", {"outlet": "Corpus", "title": "Exact", "text": SUBMITTED})
    assert response.status_code == 201, response.json
    expected = "  Lead sentence ends in a space. \n\n\nSecond one, too. \nCafé closes.  \n"
    assert response.json["text"] == expected
    # Offsets a researcher computed on the submitted text (after NFC) land where they were.
    start = expected.index("Second one")
    claim = admin.post(
        f"/articles/{response.json['id']}/claims",
        {"start": start, "end": start + 16, "quote": "Second one, too.", "label": "supporting"},
    )
    assert claim.status_code == 201, claim.json


def test_jsonl_text_is_stored_exactly_too(app, tmp_path):
    import json

    from app.cli.corpus import import_articles
    from app.services.exchange.importing import Defaults

    (tmp_path / "corpus.jsonl").write_text(
        json.dumps({"outlet": "Corpus", "title": "Exact", "text": SUBMITTED}) + "\n"
    )
    report = import_articles([tmp_path / "corpus.jsonl"], Defaults())
    from app.models import Article

    article = db.session.get(Article, report.imported[0][1])
    assert article.text.endswith("Café closes.  \n") and article.text.startswith("  Lead")


def test_whitespace_only_text_is_refused(admin):
    response = admin.post("/articles", {"outlet": "Corpus", "title": "Empty", "text": " \n\t "})
    assert response.status_code == 422 and "no text" in response.json["message"]


def test_a_reviewer_adds_articles_to_the_outlets_and_events_there_are(reviewer, admin):
    """The capability table: reviewers bring articles in; outlets and events are an admin's."""
    admin.post("/outlets", {"name": "Daily Lantern"})
    before = snapshot()
    for body, name in (
        ({"outlet": "Brand New Wire", "title": "T", "text": "Body."}, "Brand New Wire"),
        ({"name": "Brand New Wire"}, None),
    ):
        path = "/articles" if "outlet" in body else "/outlets"
        response = reviewer.post(path, body)
        assert response.status_code == 403, response.json
        assert "admins may" in response.json["message"]
        if name:
            assert name in response.json["message"]
    assert reviewer.post("/events", {"title": "Harbour strike"}).status_code == 403
    assert snapshot() == before
    stored = reviewer.post("/articles", {"outlet": "daily lantern", "title": "T", "text": "B."})
    assert stored.status_code == 201 and stored.json["outlet"]["name"] == "Daily Lantern"


def test_a_reviewer_links_only_their_own_claims_and_a_curator_anyone_s(client, article):
    from tests.api.conftest import api_as

    rana, omid = api_as(client, "reviewer", "rana"), api_as(client, "reviewer", "omid")
    cora = api_as(client, "curator", "cora")
    mine = rana.post(f"/articles/{article.id}/claims", span(TEXT, "280 residents")).json
    theirs = omid.post(f"/articles/{article.id}/claims", span(TEXT, "Albania")).json
    event_id = article.events[0].id
    proposition = rana.post(
        f"/events/{event_id}/propositions", {"statement": "They left", "claims": [mine["id"]]}
    )
    assert proposition.status_code == 201
    before = snapshot()
    refused = rana.post(
        f"/events/{event_id}/propositions", {"statement": "S", "claims": [theirs["id"]]}
    )
    assert refused.status_code == 403 and str(theirs["id"]) in refused.json["message"]
    relink = rana.patch(f"/claims/{theirs['id']}", {"proposition": proposition.json["id"]})
    assert relink.status_code == 403
    assert snapshot() == before
    linked = cora.patch(f"/claims/{theirs['id']}", {"proposition": proposition.json["id"]})
    assert linked.status_code == 200 and linked.json["proposition"] == proposition.json["id"]
