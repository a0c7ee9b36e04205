"""After a new revision: orphans are listed with their old context and re-attached by
selecting the new passage; a moved claim is confirmed with one click."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Claim
from app.services.claims.revisions import revise
from app.services.claims.tagging import create_claim
from tests.browser.conftest import log_in
from tests.browser.test_annotate import drag_select
from tests.factories import PASSWORD, make_article, make_outlet, make_user

pytestmark = pytest.mark.browser

TEXT = (
    "Critics called the camp a prison and said the move came years too late.\n\n"
    "The group thanked the United Nations for its help.\n\n"
    "Officials said the transfer was complete."
)


def tag(article, user, quote, label):
    start = article.text.index(quote)
    return create_claim(
        article, user, start=start, end=start + len(quote), quote=quote, label=label
    )


def test_an_orphan_is_reattached_and_a_moved_claim_confirmed(app, live_server, page):
    reviewer = make_user("reviewer", "rana")
    article = make_article(make_outlet("Revision Post"), text=TEXT, title="Camp")
    orphan = tag(article, reviewer, "The group thanked the United Nations", "contested")
    moved = tag(article, reviewer, "Critics called the camp a prison", "supporting")
    db.session.commit()
    new_text = (
        "Critics called the camp a jail and said the move came years too late.\n\n"
        "Officials said the transfer was complete. Thanks went to the UN."
    )
    revise(article, new_text, user=reviewer)
    db.session.commit()
    orphan_id, moved_id = orphan.id, moved.id

    log_in(page, live_server, "rana", PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    notice = page.locator("#anchor-notice")
    expect(notice).to_contain_text("1 claim lost its passage, 1 moved with edited words")
    # The orphan is not drawn in the text; the moved claim is, on its new words.
    assert page.locator(f"mark[data-claims~='{orphan_id}']").count() == 0
    expect(page.locator(f"mark[data-claims~='{moved_id}']").first).to_have_text(
        "Critics called the camp a jail"
    )
    page.locator("#show-attention").click()
    entries = page.locator("#claim-list .claim-entry")
    expect(entries).to_have_count(2)

    page.locator(f".claim-entry[data-claim-id='{orphan_id}']").click()
    detail = page.locator("#claim-detail")
    expect(detail.locator(".old-context")).to_contain_text("The group thanked the United Nations")
    detail.locator("button.attach").click()
    expect(page.locator("#annotator.attaching")).to_have_count(1)
    with page.expect_response(lambda r: r.url.endswith(f"/claims/{orphan_id}/anchor")) as info:
        drag_select(page, "Thanks went to the UN", popover=False)
    assert info.value.status == 200
    expect(page.locator(f"mark[data-claims~='{orphan_id}']")).to_have_text("Thanks went to the UN")
    assert page.locator("#tag-popover").is_hidden()

    page.locator(f".claim-entry[data-claim-id='{moved_id}']").click()
    with page.expect_response(lambda r: r.url.endswith(f"/claims/{moved_id}/anchor")) as info:
        detail.get_by_role("button", name="Looks right").click()
    assert info.value.status == 200
    expect(notice).to_be_hidden()

    db.session.expire_all()
    stored = {c.id: c for c in db.session.query(Claim).filter_by(article_id=article.id)}
    assert stored[orphan_id].anchor is None and stored[orphan_id].quote == "Thanks went to the UN"
    assert stored[orphan_id].revision == 2
    assert stored[moved_id].anchor is None
    assert stored[moved_id].assessments[0].label == "supporting"
