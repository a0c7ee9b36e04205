"""Every form of the app, posted with input it refuses, changes nothing at all: no row of any
table is added, changed or removed (SPEC §7, "bad input gets a clear error and changes
nothing"). The forms are the URL map's POST routes outside the API; each must have a refused
input here, so a form added tomorrow without one fails this test."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import SEARCH_TABLE
from app.services.claims.tagging import create_claim
from app.services.corpus.actors import create_actor
from app.services.review.codebook import set_entry
from tests.factories import csrf_token, login, make_article, make_event, make_outlet, make_user


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table, as text, in a stable order; the search index's entries
    (each database's own kind of table, outside the models) by article."""
    state = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        state[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    key = "rowid" if db.engine.dialect.name == "sqlite" else "article_id"
    entries = db.session.execute(text(f"SELECT {key} FROM {SEARCH_TABLE}")).scalars()  # noqa: S608
    state[SEARCH_TABLE] = sorted(entries)
    return state


@pytest.fixture
def world(app, client):
    """An admin logged in, a reviewer, an event with an article, a claim, an actor, two
    outlets and a codebook entry: something for every form to refuse to change."""
    admin = make_user("admin", "ada")
    reviewer = make_user("reviewer", "rana")
    event = make_event("Harbour strike")
    lantern, courier = make_outlet("Daily Lantern"), make_outlet("Evening Courier")
    article = make_article(lantern, text="The port said the strike ended.", events=[event])
    claim = create_claim(article, reviewer, start=4, end=8, quote="port", label="supporting")
    actor = create_actor(event, admin, name="Port authority", aliases=["the port"])
    set_entry("supporting", "Attributed to a named source.", "", admin)
    db.session.commit()
    login(client, admin)
    return {
        "admin": admin,
        "reviewer": reviewer,
        "event": event,
        "outlet": lantern,
        "other_outlet": courier,
        "article": article,
        "claim": claim,
        "actor": actor,
    }


def refused_posts(w: dict) -> dict[str, tuple[str, dict, set[int]]]:
    """endpoint: (url, form fields it refuses, the statuses that refusal may answer with).
    `csrf` in the fields is replaced by a valid token; leaving it out posts without one."""
    event, article, claim = w["event"], w["article"], w["claim"]
    return {
        "auth.login": ("/login", {"csrf": 1, "username": "ada", "password": "wrong"}, {401}),
        "auth.logout": ("/logout", {}, {200, 400}),  # no token: the confirmation page again
        "auth.account": ("/account", {"csrf": 1, "name": "x" * 101, "scope": "read"}, {422}),
        "auth.change_password": (
            "/account/password",
            {"csrf": 1, "current": "not it", "new": "a-new-secret", "repeat": "a-new-secret"},
            {422},
        ),
        "auth.revoke_token": ("/account/tokens/999999/revoke", {"csrf": 1}, {404}),
        "auth.logout_everywhere": ("/account/logout-everywhere", {}, {302, 400}),
        "admin.create_user": ("/admin/users", {"csrf": 1, "username": "", "role": "x"}, {422}),
        "admin.change_user": (
            f"/admin/users/{w['reviewer'].id}",
            {"csrf": 1, "action": "role", "role": "superuser"},
            {422},
        ),
        "admin.codebook_save": (
            "/admin/codebook",
            # The first label's new text is saved before the last one's is refused.
            {"csrf": 1, "definition-supporting": "Changed.", "definition-unsourced": "x" * 20_001},
            {422},
        ),
        "articles.new": (
            "/articles/new",
            {"csrf": 1, "outlet": "Daily Lantern", "title": "T", "stance": "sideways", "text": "B"},
            {422},
        ),
        "articles.edit": (
            f"/articles/{article.id}/edit",
            {"csrf": 1, "title": "", "stance": "neutral", "text": "New words.", "revision": "1"},
            {422},
        ),
        "articles.restore_claim": (
            f"/articles/{article.id}/claims/{claim.id}/restore",
            {"csrf": 1},
            {409},
        ),
        "assignments.assign": (
            f"/events/{event.id}/assignments",
            {"csrf": 1, "k": "9" * 5000, "reviewers": "rana"},
            {422},
        ),
        "assignments.by_hand": (
            f"/articles/{article.id}/assignment",
            {"csrf": 1, "reviewers": "nobody-of-that-name"},
            {422},
        ),
        "assignments.done": ("/articles/999999/done", {"csrf": 1}, {404}),
        "assignments.blind_mode": ("/events/999999/blind", {"csrf": 1, "blind": "1"}, {404}),
        "events.add_actor": (f"/events/{event.id}/actors", {"csrf": 1, "name": ""}, {422}),
        "events.edit_actor": (
            f"/events/{event.id}/actors/{w['actor'].id}",
            {"csrf": 1, "name": "x" * 201, "aliases": "PA"},
            {422},
        ),
        "outlets.aliases": (
            f"/outlets/{w['outlet'].id}/aliases",
            {"csrf": 1, "aliases": "Evening Courier"},
            {409},
        ),
        "review.accept_unanimous": (
            "/review/accept-unanimous",
            {"csrf": 1, "pair": "supporting/maybe"},
            {422},
        ),
        # No file chosen (a file that is not annotations: tests/web/test_import_page.py).
        "imports.claims": ("/import/claims", {"csrf": 1, "label_map": "opinion=nope"}, {422}),
    }


def test_every_form_refuses_bad_input_and_changes_nothing(app, client, world):
    forms = refused_posts(world)
    posted = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    }
    assert posted == set(forms), f"forms without a refused input here: {posted ^ set(forms)}"
    token = csrf_token(client, "/account")
    for endpoint, (url, fields, statuses) in sorted(forms.items(), key=lambda f: "logout" in f[0]):
        poster = app.test_client() if endpoint == "auth.login" else client  # logged out
        data = {k: v for k, v in fields.items() if k != "csrf"}
        if "csrf" in fields:
            data["csrf_token"] = csrf_token(poster) if poster is not client else token
        before = database_state()
        response = poster.post(url, data=data)
        assert response.status_code in statuses, (endpoint, response.status_code)
        assert response.status_code < 500
        after = database_state()
        changed = {t for t in before if before[t] != after[t]}
        assert not changed, f"{endpoint} was refused but changed {changed}"
