"""A reviewer on a blind event: others' claims show as passages without labels until they
give their own, then everything appears."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.services.claims.tagging import create_claim
from app.services.claims.visibility import set_blind
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_article, make_event, make_outlet, make_user

pytestmark = pytest.mark.browser

TEXT = "Critics called the camp a prison. Officials said the transfer was complete."


def test_labels_appear_only_after_the_reviewers_own(app, live_server, page):
    event = make_event("Blind test")
    article = make_article(make_outlet("Blind Daily"), text=TEXT, events=[event])
    ana = make_user("reviewer", "ana")
    make_user("reviewer", "ben")
    claim = create_claim(
        article, ana, start=0, end=32, quote=TEXT[:32], label="contested", note="ANA-NOTE"
    )
    set_blind(event, True, make_user("admin", "ada"))
    db.session.commit()

    log_in(page, live_server, "ben", PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    mark = page.locator(f"mark[data-claims='{claim.id}']")
    expect(mark).to_have_class("hl label-hidden depth-1")
    entry = page.locator("#claim-list .claim-entry")
    expect(entry).to_contain_text("not shown")
    assert "ANA-NOTE" not in page.content() and "ana:" not in entry.inner_text()
    entry.click()
    expect(page.locator("#claim-detail .blind-note")).to_be_visible()
    with page.expect_response(lambda r: r.request.method == "PUT") as info:
        page.locator("#claim-detail .label-button", has_text="supporting").click()
    assert info.value.status == 201
    expect(page.locator("#claim-detail")).to_contain_text("ANA-NOTE")
    expect(entry).to_contain_text("ana: contested")
    expect(mark).not_to_have_class("hl label-hidden depth-1")
