"""Blind mode holds on every GET route of the app (from the URL map), for an article in a
blind event and an open one at once, after other readers have warmed every kept page; and
having seen the labels (an article marked done) is permanent for `informed`."""

from __future__ import annotations

from app.extensions import db
from app.models import Assessment
from app.services import accounts
from app.services.claims.tagging import create_claim, put_assessment
from app.services.claims.visibility import set_blind
from app.services.review.assignments import mark_done
from app.web.access import PUBLIC_ENDPOINTS
from tests.factories import make_article, make_event, make_outlet, make_user

TEXT = (
    "Officials said the transfer was complete. Critics called the camp a prison. "
    "The group thanked the United Nations for its help in the move."
)
NOTE = "SECRET-NOTE-OF-ANA"
EVIDENCE = "https://evidence.example/secret-ana"


def _world():
    admin = make_user("admin", "ada")
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    outlet = make_outlet("Mixed Post")
    blind, open_ = make_event("Blind one"), make_event("Open one")
    shared = make_article(outlet, text=TEXT, title="In both", events=[blind, open_])
    quote = "Critics called the camp a prison"
    start = TEXT.index(quote)
    hers = create_claim(
        shared,
        ana,
        start=start,
        end=start + len(quote),
        quote=quote,
        label="contested",
        note=NOTE,
        evidence_url=EVIDENCE,
    )
    set_blind(blind, True, admin)
    db.session.commit()
    return {
        "admin": admin,
        "ana": ana,
        "ben": ben,
        "researcher": make_user("researcher", "rhea"),
        "event": open_,
        "blind": blind,
        "article": shared,
        "outlet": outlet,
        "claim": hers,
    }


def _get_routes(app, w) -> list[str]:
    """Every GET route, with the ids of this world (the open event first: that is where the
    leak was), query strings for the lists that need them."""
    ids = {
        "event_id": w["event"].id,
        "article_id": w["article"].id,
        "claim_id": w["claim"].id,
        "outlet_id": w["outlet"].id,
    }
    urls = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or "GET" not in rule.methods:
            continue
        if rule.endpoint.startswith("auth.") or rule.endpoint == "static":
            continue
        values = {}
        for arg in rule.arguments:
            if arg in ids:
                values[arg] = ids[arg]
            elif arg == "id":
                values[arg] = w["article"].id
            else:
                values = None
                break
        if values is None:
            continue
        urls.add(rule.build(values, append_unknown=False)[1])
        if "event_id" in values:  # the blind event's pages too
            urls.add(rule.build({**values, "event_id": w["blind"].id}, append_unknown=False)[1])
    urls |= {"/export/claims?format=jsonl", "/api/v1/export/claims?format=json"}
    return sorted(urls)


def _client(app, user, token=None):
    client = app.test_client()
    key = accounts.start_login(user, remember=False).login_key
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    return client


def _fetch(app, client, token, url):
    headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else {}
    return client.get(url, headers=headers)


def test_no_route_shows_ben_anas_hidden_claim_after_others_warmed_every_page(app):
    w = _world()
    tokens = {
        name: accounts.create_token(w[name].username, scope="read")
        for name in ("ana", "ben", "admin", "researcher")
    }
    db.session.commit()
    urls = _get_routes(app, w)
    assert len(urls) > 30
    # Ana (whose claim it is), an admin and a researcher warm every page first.
    for name in ("ana", "admin", "researcher"):
        client = _client(app, w[name])
        for url in urls:
            assert _fetch(app, client, tokens[name], url).status_code < 500, (name, url)

    ben = _client(app, w["ben"])
    for url in urls:
        response = _fetch(app, ben, tokens["ben"], url)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, url
        assert NOTE not in body and EVIDENCE not in body, url
        assert f'data-claims="{w["claim"].id}"' not in body or "hidden" in body, url
    claim = _fetch(app, ben, tokens["ben"], f"/api/v1/claims/{w['claim'].id}").get_json()
    assert claim["hidden"] is True and claim["assessments"] == []
    comparison = _fetch(
        app, ben, tokens["ben"], f"/api/v1/events/{w['event'].id}/comparison"
    ).get_data(as_text=True)
    assert '"hidden": false' not in comparison.replace('"hidden":false', '"hidden": false')

    # And the reverse: Ben's view, kept, is not what Ana is served.
    ana = _client(app, w["ana"])
    mine = _fetch(app, ana, tokens["ana"], f"/api/v1/events/{w['event'].id}/comparison")
    assert NOTE in mine.get_data(as_text=True)


def test_having_seen_the_labels_is_permanent_for_informed(app):
    w = _world()
    mark_done(w["article"], w["ben"])  # every label in view
    mark_done(w["article"], w["ben"], done=False)  # hidden again
    put_assessment(w["claim"], w["ben"], label="supporting")
    db.session.commit()
    given = db.session.query(Assessment).filter_by(claim_id=w["claim"].id).all()
    assert {a.reviewer.username: a.informed for a in given} == {"ana": False, "ben": True}


def test_the_matrix_says_hidden_until_you_assess_not_omits(app, client):
    from app.services.claims.propositions import create_proposition
    from tests.factories import login

    w = _world()
    other = make_article(
        make_outlet("Open Post"), text=TEXT, title="Elsewhere", events=[w["blind"]]
    )
    quote = "Critics called the camp a prison"
    start = TEXT.index(quote)
    seen = create_claim(
        other, w["ben"], start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    hers = db.session.get(type(w["claim"]), w["claim"].id)
    create_proposition(
        w["blind"], w["admin"], statement="Critics call it a prison", claims=[hers.id, seen.id]
    )
    db.session.commit()

    login(client, w["ben"])
    page = client.get(f"/events/{w['blind'].id}/matrix").get_data(as_text=True)
    assert "1 claim hidden until you assess" in page and ">omits<" not in page
    assert "2 of 2 outlets (1 hidden until you assess)" in page
    csv = client.get(f"/events/{w['blind'].id}/matrix?format=csv").get_data(as_text=True)
    assert "hidden until you assess" in csv and "omitted" not in csv
    compare = client.get(f"/events/{w['blind'].id}/compare").get_data(as_text=True)
    assert "2 of 2 columns (1 hidden until you assess)" in compare
    event_page = client.get(f"/events/{w['blind'].id}").get_data(as_text=True)
    assert "1 claim hidden until you assess" in event_page  # not "no claims yet"
