"""At 390 x 844 (a phone), no page scrolls sideways, for any role: every GET page of the URL
map is opened with this world's ids and its document width read."""

from __future__ import annotations

import pytest

from app.capabilities import ROLES, may, required_by
from app.extensions import db
from app.services.claims.tagging import create_claim
from app.web.access import PUBLIC_ENDPOINTS
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_article, make_event, make_outlet, make_user

pytestmark = pytest.mark.browser

LONG_URL = "https://www.example-news-outlet.com/2016/09/09/world/middleeast/" + "a" * 120
TEXT = (
    "The last residents of Camp Liberty left Iraq for Albania, the group said. "
    "Officials said the transfer was complete. " * 6
)


def _world():
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
    db.session.commit()
    return {
        "event_id": event.id,
        "outlet_id": outlet.id,
        "article_id": article.id,
        "claim_id": claim.id,
    }


def _pages(app, ids: dict, user) -> list[str]:
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


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_on_a_phone(app, live_server, browser, role):
    ids = _world()
    user = make_user(role, f"{role}-phone")
    db.session.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        log_in(page, live_server, user.username, PASSWORD)
        wide = []
        pages = _pages(app, ids, user)
        assert len(pages) >= 10
        for url in pages:
            response = page.goto(f"{live_server}{url}")
            if (
                response is None
                or response.status >= 400
                or "html" not in (response.headers.get("content-type", ""))
            ):
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append(f"{url}: {width} px")
        assert not wide, "pages wider than the phone:\n" + "\n".join(wide)
    finally:
        context.close()
