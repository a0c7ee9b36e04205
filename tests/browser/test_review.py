"""A curator works through the adjudication queue with the keyboard alone."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Claim
from app.services.claims.tagging import create_claim, put_assessment
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_article, make_event, make_outlet, make_user

pytestmark = pytest.mark.browser

TEXT = "First claim here. Second claim here. Third claim here. Fourth claim here."


def test_the_queue_is_worked_through_with_the_keyboard(app, live_server, page):
    event = make_event("Review day")
    article = make_article(make_outlet("Queue Post"), text=TEXT, title="Queue", events=[event])
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    make_user("curator", "cora")
    ids = []
    for i, (first, second) in enumerate(
        [
            ("supporting", "contested"),
            ("contested", "unsourced"),
            ("supporting", "supporting"),
            ("unsourced", "supporting"),
        ]
    ):
        quote = ["First", "Second", "Third", "Fourth"][i] + " claim"
        start = TEXT.index(quote)
        claim = create_claim(
            article, ana, start=start, end=start + len(quote), quote=quote, label=first
        )
        put_assessment(claim, ben, label=second, note="because" if i == 0 else None)
        ids.append(claim.id)
    db.session.commit()

    log_in(page, live_server, "cora", PASSWORD)
    page.goto(f"{live_server}/review")
    items = page.locator(".review-item:not(.decided)")
    expect(items).to_have_count(3)  # the third claim is not disputed
    expect(page.locator(".review-item.current")).to_contain_text("First claim")
    expect(page.locator(".review-item.current")).to_contain_text("because")
    # A digit typed in a filter decides nothing.
    decisions = []
    page.on("request", lambda r: decisions.append(r.url) if "/adjudication" in r.url else None)
    page.locator("select[name=event]").focus()
    page.keyboard.press("1")
    page.locator(".review-item.current").focus()
    assert decisions == [] and page.locator("#review-total").inner_text() == "3"

    with page.expect_response(lambda r: r.url.endswith(f"/claims/{ids[0]}/adjudication")) as info:
        page.keyboard.press("1")  # supporting: a slip, undone right away
    assert info.value.status == 200
    expect(items).to_have_count(2)
    expect(page.locator("#review-total")).to_have_text("2")
    with page.expect_response(lambda r: r.request.method == "DELETE") as undone:
        page.keyboard.press("u")
    assert undone.value.status == 200
    expect(items).to_have_count(3)
    expect(page.locator("#review-total")).to_have_text("3")
    expect(page.locator(".review-item.current")).to_contain_text("First claim")

    with page.expect_response(lambda r: r.url.endswith(f"/claims/{ids[0]}/adjudication")) as info:
        page.keyboard.press("2")  # contested
    assert info.value.status == 200
    expect(items).to_have_count(2)
    expect(page.locator(".review-item.current")).to_contain_text("Second claim")
    page.keyboard.press("j")
    expect(page.locator(".review-item.current")).to_contain_text("Fourth claim")
    page.keyboard.press("e")
    page.keyboard.type("The source is named 1 time.")
    with page.expect_response(lambda r: r.url.endswith(f"/claims/{ids[3]}/adjudication")):
        page.keyboard.press("Alt+1")  # supporting, from inside the note
    expect(items).to_have_count(1)
    page.keyboard.press("k")
    with page.expect_response(lambda r: r.url.endswith(f"/claims/{ids[1]}/adjudication")):
        page.keyboard.press("3")
    expect(items).to_have_count(0)
    expect(page.locator("#review-status")).to_contain_text("Queue done")

    page.reload()
    page.locator("#accept-all summary").click()
    expect(page.locator(".accept-preview")).to_contain_text("Third claim")
    page.get_by_role("button", name="Accept these 1").click()
    expect(page.locator(".flash, .flashes, [role=status]").first).to_be_visible()
    db.session.expire_all()
    decided = {c.id: c for c in db.session.scalars(select(Claim).where(Claim.id.in_(ids)))}
    assert [decided[i].adjudicated_label for i in ids] == [
        "contested",
        "unsourced",
        "supporting",
        "supporting",
    ]
    assert decided[ids[3]].adjudication_note == "The source is named 1 time."
    assert decided[ids[2]].adjudication_note.startswith("Accepted: all 2 reviewers")
    assert {c.adjudicated_by.username for c in decided.values()} == {"cora"}


def test_a_decision_is_seen_changed_and_cleared_on_the_article_page(app, live_server, page):
    from app.services.claims.tagging import adjudicate

    article = make_article(make_outlet("Decision Post"), text=TEXT, title="Decided")
    ana = make_user("reviewer", "ana")
    cora = make_user("curator", "cora")
    start = TEXT.index("First claim")
    claim = create_claim(
        article, ana, start=start, end=start + 11, quote="First claim", label="supporting"
    )
    adjudicate(claim, cora, "contested", "the minister denied it")
    db.session.commit()

    log_in(page, live_server, "cora", PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    page.locator("#claim-list .claim-entry").click()
    decision = page.locator("#claim-detail .decision")
    expect(decision).to_contain_text("Decided: contested by cora")
    expect(decision).to_contain_text("the minister denied it")
    with page.expect_response(lambda r: r.request.method == "PUT" and "/adjudication" in r.url):
        decision.get_by_role("button", name="decide unsourced").click()
    expect(page.locator("#claim-detail .decision")).to_contain_text("Decided: unsourced")
    with page.expect_response(lambda r: r.request.method == "DELETE"):
        page.locator("#claim-detail .decision").get_by_role(
            "button", name="Clear the decision"
        ).click()
    expect(page.locator("#claim-detail .decision")).to_contain_text("No decision yet")
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).adjudicated_label is None
