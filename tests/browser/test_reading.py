"""A reader logs in, opens the seeded 2016 event, and reads an article, in a real browser."""

import pytest

from app.services.exchange.seeds import seed
from tests.browser.conftest import log_in as login_page
from tests.factories import PASSWORD, make_user
from tests.services.test_seeds import SEEDS

pytestmark = pytest.mark.browser

EVENT_2016 = "Last Camp Liberty residents leave Iraq for Albania"


def log_in(page, base: str, username: str) -> None:
    login_page(page, base, username, PASSWORD)


def test_log_in_open_the_seeded_event_and_an_article(app, live_server, page):
    seed(SEEDS)
    user = make_user("reviewer")
    log_in(page, live_server, user.username)

    page.get_by_role("link", name=EVENT_2016).click()
    page.wait_for_url("**/events/*")
    assert page.get_by_role("heading", level=1).inner_text() == EVENT_2016
    for outlet in ["BackChannels", "Breitbart News", "Track Persia", "The Media Express"]:
        assert page.locator(".outlet-groups").get_by_role("heading", name=outlet).is_visible()

    page.get_by_role("link", name="Last remaining residents of Camp Liberty leave Iraq").click()
    page.wait_for_url("**/articles/*")
    facts = page.locator(".facts").inner_text()
    assert "The Media Express" in facts and "pro-NCRI advocacy" in facts
    assert "favourable" in facts.lower() and "9 Sep 2016" in facts
    text = page.locator("#article-text").inner_text()
    assert "The 280 remaining residents left from Baghdad, Iraq for Albania." in text
    assert "Leave a Reply" not in text


def test_pages_fit_a_390px_phone_without_sideways_scrolling(app, live_server, browser):
    seed(SEEDS)
    user = make_user("researcher")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server, user.username)
    for path in ["/", "/events/2", "/articles/1", "/outlets", "/outlets/1"]:
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
    context.close()
