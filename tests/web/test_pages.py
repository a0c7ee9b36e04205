"""The read pages show what SPEC §3 lists, escape user text and carry no inline script."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Event
from app.services.exchange.seeds import seed
from tests.factories import login, make_article, make_event, make_outlet, make_user
from tests.services.test_seeds import SEEDS

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def reader(client):
    login(client, make_user("researcher"))
    return client


def test_home_lists_events_with_article_and_outlet_counts(reader):
    seed(SEEDS)
    page = reader.get("/").get_data(as_text=True)
    assert "Last Camp Liberty residents leave Iraq for Albania" in page
    assert re.search(
        r'<span class="count">4</span> articles from <span class="count">4</span>'
        r" outlets",
        page,
    )


def test_event_page_groups_articles_by_outlet(reader):
    seed(SEEDS)
    db.session.commit()
    event = db.session.scalar(select(Event).where(Event.title.startswith("Last Camp Liberty")))
    page = reader.get(f"/events/{event.id}").get_data(as_text=True)
    for outlet in ["BackChannels", "Breitbart News", "Track Persia", "The Media Express"]:
        assert outlet in page
    assert "Nejat Society" not in page


def test_article_page_shows_text_outlet_lean_stance_date_and_source(reader):
    outlet = make_outlet("Daily Lantern", lean="centre-left")
    event = make_event("Harbour strike")
    article = make_article(
        outlet,
        text="Dock workers ended the strike.",
        stance="critical",
        url="https://lantern.example/strike",
        events=[event],
        published=__import__("datetime").date(2019, 3, 12),
    )
    page = reader.get(f"/articles/{article.id}").get_data(as_text=True)
    for expected in [
        "Dock workers ended the strike.",
        "Daily Lantern",
        "centre-left",
        "critical",
        "12 Mar 2019",
        "https://lantern.example/strike",
        "Harbour strike",
    ]:
        assert expected in page


def test_outlet_pages_list_outlets_and_label_statistics(reader):
    article = make_article(make_outlet("Daily Lantern"))
    index = reader.get("/outlets").get_data(as_text=True)
    assert "Daily Lantern" in index
    profile = reader.get(f"/outlets/{article.outlet_id}").get_data(as_text=True)
    for label in ["supporting", "contested", "unsourced"]:
        assert label in profile


def test_user_text_is_escaped_everywhere(reader):
    outlet = make_outlet(XSS, lean=XSS)
    event = make_event(XSS)
    article = make_article(outlet, text=XSS, title=XSS, author=XSS, events=[event])
    for path in [
        "/",
        f"/events/{event.id}",
        f"/articles/{article.id}",
        "/outlets",
        f"/outlets/{outlet.id}",
    ]:
        page = reader.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;" in page, path


def test_pages_carry_csp_and_no_inline_script(reader):
    seed(SEEDS)
    for path in ["/", "/events/1", "/articles/1", "/outlets", "/outlets/1", "/account"]:
        response = reader.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_account_page_issues_a_working_token_once(reader):
    from tests.factories import csrf_token

    response = reader.post("/account", data={"csrf_token": csrf_token(reader, "/account")})
    token = re.search(r'<code class="token">([^<]+)</code>', response.get_data(as_text=True))
    assert token
    api = reader.application.test_client()
    assert (
        api.get(
            "/api/v1/outlets", headers={"Authorization": f"Bearer {token.group(1)}"}
        ).status_code
        == 200
    )
    assert token.group(1) not in reader.get("/account").get_data(as_text=True)


def test_a_title_in_brackets_says_it_was_supplied(reader):
    outlet = make_outlet("Archive")
    supplied = make_article(outlet, title="[Nejat Society archive, July 2012]")
    printed = make_article(outlet, title="Liberty conditions [updated]")
    note = "The source printed no title"
    assert note in reader.get(f"/articles/{supplied.id}").get_data(as_text=True)
    assert note not in reader.get(f"/articles/{printed.id}").get_data(as_text=True)
