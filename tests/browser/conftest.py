"""A live server in a thread and a real headless Chromium driven by Playwright."""

from __future__ import annotations

import os

import pytest

from app.capabilities import may, required_by
from app.extensions import db
from app.services.claims.tagging import create_claim, put_assessment
from app.web.access import PUBLIC_ENDPOINTS
from bench.browser import CHROMIUM_ARGS  # one list of flags for the tests and the bench
from tests.conftest import unavailable
from tests.factories import make_article, make_event, make_outlet, make_user

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A refused request is logged by Chromium as "Failed to load resource"; the app shows
    # those to the user itself, so only script errors count here.
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            and errors.append(msg.text)
        ),
    )
    yield page
    context.close()
    assert not errors, f"browser errors: {errors}"


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/")
    assert "/login" in page.url  # anonymous visitors land on the login page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


LONG_URL = "https://www.example-news-outlet.com/2016/09/09/world/middleeast/" + "a" * 120
TEXT = (
    "The last residents of Camp Liberty left Iraq for Albania, the group said. "
    "Officials said the transfer was complete. " * 6
)


def a_world() -> dict:
    """An event, an outlet, a long-titled article with a long URL and a claim: the ids every
    page of the URL map needs."""
    event = make_event("Camp Liberty relocation, the last flights to Tirana")
    outlet = make_outlet("The Daily Lantern of Very Long Outlet Names")
    article = make_article(
        outlet, text=TEXT, title="Residents leave " * 8, url=LONG_URL, events=[event]
    )
    reviewer = make_user("reviewer", "rana-with-a-long-username")
    quote = "Officials said the transfer was complete."
    start = TEXT.index(quote)
    claim = create_claim(
        article, reviewer, start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    # A second reviewer disagrees: the review queue has something to show.
    put_assessment(claim, make_user("reviewer", "omid-second-opinion"), label="contested")
    db.session.commit()
    return {
        "event_id": event.id,
        "outlet_id": outlet.id,
        "article_id": article.id,
        "claim_id": claim.id,
    }


def every_page(app, ids: dict, user) -> list[str]:
    """Every HTML GET page of the URL map this user may open, with the ids of `a_world`."""
    urls = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or "GET" not in rule.methods:
            continue
        if rule.rule.startswith("/api/") or rule.endpoint.startswith("auth.logout"):
            continue
        if rule.rule.endswith((".csv", ".json", ".jsonl")) or "format" in rule.rule:
            continue
        if not may(user, required_by(app.view_functions[rule.endpoint])):
            continue
        if any(arg not in ids for arg in rule.arguments):
            continue
        urls.add(rule.build({a: ids[a] for a in rule.arguments}, append_unknown=False)[1])
    return sorted(urls)
