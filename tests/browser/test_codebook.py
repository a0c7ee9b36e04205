"""`?` opens the codebook beside the article; label buttons carry their definitions."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.services.review.codebook import set_entry
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_article, make_outlet, make_user

pytestmark = pytest.mark.browser


def test_question_mark_opens_the_codebook(app, live_server, page):
    admin = make_user("admin", "ada")
    set_entry("contested", "Another **source** disputes it.", "- The UN denied it", admin)
    article = make_article(make_outlet("Book Times"), text="Officials said it was over.")
    db.session.commit()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    book = page.locator("#codebook")
    assert book.get_attribute("open") is None
    page.locator("#article-text").focus()
    page.keyboard.press("?")
    expect(book).to_have_attribute("open", "")
    expect(book.locator("strong", has_text="source")).to_be_visible()
    expect(page.locator("#tag-popover .label-button.label-contested")).to_have_attribute(
        "title", "Another source disputes it."
    )
    page.keyboard.press("?")
    expect(book).not_to_have_attribute("open", "")
