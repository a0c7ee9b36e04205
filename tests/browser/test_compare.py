"""Clicking a proposition lines every column up on its claim."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Event, Proposition
from app.services.exchange.seeds import load_demo, seed
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_user
from tests.services.test_seeds import SEEDS

pytestmark = pytest.mark.browser


def test_clicking_a_proposition_scrolls_and_marks_each_column(app, live_server, page):
    seed(SEEDS)
    load_demo(SEEDS)
    event = db.session.scalar(select(Event).where(Event.title.like("Last Camp Liberty%")))
    proposition = db.session.scalar(
        select(Proposition).where(
            Proposition.statement.like("Camp Liberty came under repeated attacks%")
        )
    )
    reporting = {c.article_id for c in proposition.claims}
    user = make_user("researcher")
    log_in(page, live_server, user.username, PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/events/{event.id}/compare")
    page.locator(f"button.proposition[data-proposition='{proposition.id}']").click()
    for column in page.locator(".column").all():
        article_id = int(column.get_attribute("data-article-id"))
        marked = column.locator("mark.prop-active")
        if article_id in reporting:
            # Scrolled into view: not clipped by the column's own scroll box (waits out the
            # smooth scroll).
            expect(marked.first).to_be_in_viewport()
            expect(column.locator(".omits")).to_be_hidden()
        else:
            expect(marked).to_have_count(0)
            expect(column.locator(".omits")).to_be_visible()
    assert len(reporting) == 3
    scrolled = page.evaluate(
        "() => [...document.querySelectorAll('.column-text')].map(el => el.scrollTop)"
    )
    assert sum(1 for top in scrolled if top > 0) >= 2  # the claims were below the fold
