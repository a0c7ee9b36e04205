"""The five journeys of issue 26 walked with the keyboard alone: no click, no `focus()` from
the test, only keys a person presses (Tab, Enter, Space, letters and the pages' shortcuts).

Each journey starts at the address bar (`goto`, which a keyboard user types) and ends with
the database holding what the person did.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, Assignment, Claim, User
from app.services.claims.tagging import create_claim, put_assessment
from tests.factories import PASSWORD, make_article, make_event, make_outlet, make_user

pytestmark = pytest.mark.browser

TEXT = (
    "The last residents left the camp on Friday. "
    "Officials said the transfer was complete. "
    "The group thanked Albania for taking them in."
)


def tab_to(page, selector: str, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab until the focused element matches `selector`, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of {key} never reached {selector}")


def follow(page, selector: str) -> None:
    """Tab to a link and press Enter: the next page loads."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def keyboard_login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    expect(page.locator("#username")).to_be_focused()  # autofocus: no Tab needed
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def world(app):
    event = make_event("Last residents leave Camp Liberty")
    outlet = make_outlet("Tirana Times")
    article = make_article(outlet, text=TEXT, title="Camp emptied", events=[event])
    other = make_article(make_outlet("Gulf Post"), text=TEXT, title="Flights", events=[event])
    make_user("admin", "ada")
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    make_user("curator", "cora")
    make_user("researcher", "rhea")
    quote = "Officials said the transfer was complete."
    start = TEXT.index(quote)
    disputed = create_claim(
        other, ana, start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    put_assessment(disputed, ben, label="contested")
    db.session.commit()
    return {"event": event.id, "article": article.id, "disputed": disputed.id}


def test_admin_creates_a_reviewer_who_sets_a_password_and_is_assigned(live_server, page, world):
    keyboard_login(page, live_server, "ada", PASSWORD)
    follow(page, 'nav.mainnav a[href="/admin/users"]')
    tab_to(page, "#new-username")
    page.keyboard.type("nadia")
    page.keyboard.press("Tab")  # the role: type-ahead picks the option
    page.keyboard.type("reviewer")
    expect(page.locator("#new-role")).to_have_value("reviewer")
    tab_to(page, "#new-role ~ button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    one_time = page.locator("#one-time-password code").inner_text()
    tab_to(page, "button.copy")  # the copy button is reachable

    # The event's assignments: tick nadia, one reviewer per article, Assign.
    follow(page, 'nav.mainnav a[href="/"]')
    follow(page, f'a[href="/events/{world["event"]}"]')
    follow(page, f'a[href="/events/{world["event"]}/assignments"]')
    tab_to(page, "input[name=reviewers][value=nadia]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=k]")
    page.keyboard.press("Control+a")
    page.keyboard.type("1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    db.session.expire_all()
    nadia = db.session.scalar(select(User).where(User.username == "nadia"))
    assert nadia.role == "reviewer"
    assert db.session.scalars(select(Assignment).where(Assignment.reviewer_id == nadia.id)).all()

    # Her first login: she must set her own password before anything else.
    page.context.clear_cookies()
    keyboard_login(page, live_server, "nadia", one_time)
    expect(page.locator("#current")).to_be_visible()
    tab_to(page, "#current")
    page.keyboard.type(one_time)
    page.keyboard.press("Tab")
    page.keyboard.type("nadia-owns-this-1")
    page.keyboard.press("Tab")
    page.keyboard.type("nadia-owns-this-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    db.session.expire_all()
    assert not db.session.get(User, nadia.id).must_change_password


def test_account_token_is_named_copied_and_revoked(live_server, page, world):
    keyboard_login(page, live_server, "rhea", PASSWORD)
    follow(page, 'a[href="/account"]')
    tab_to(page, "#token-name")
    page.keyboard.type("nightly export")
    tab_to(page, ".token-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#new-token code")).to_be_visible()
    db.session.expire_all()
    assert [t.name for t in db.session.scalars(select(ApiToken))] == ["nightly export"]
    tab_to(page, "button.copy[data-copy=new-token]")
    tab_to(page, "details.confirm summary")
    page.keyboard.press("Enter")  # opens the confirmation
    tab_to(page, "details.confirm button.danger")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    db.session.expire_all()
    assert db.session.scalars(select(ApiToken)).all() == []  # revoked: gone
    expect(page.locator("body")).to_contain_text("No tokens yet")


def test_reviewer_reaches_an_article_and_tags_a_claim_from_its_middle(live_server, page, world):
    keyboard_login(page, live_server, "ana", PASSWORD)
    follow(page, f'a[href="/events/{world["event"]}"]')
    follow(page, f'a[href="/articles/{world["article"]}"]')
    page.keyboard.press("Tab")  # the first stop is the skip link
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#article-text")).to_be_focused()
    page.keyboard.press("]")  # "Officials said ..."
    for _ in range(len("Officials said")):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#popover-quote")).to_have_text("“Officials said”")
    page.keyboard.press("e")
    page.keyboard.type("A named official.")
    with page.expect_response(lambda r: r.request.method == "POST" and "/claims" in r.url) as r:
        page.keyboard.press("Alt+1")
    assert r.value.status == 201
    db.session.expire_all()
    claim = db.session.scalar(select(Claim).where(Claim.article_id == world["article"]))
    assert claim.quote == "Officials said"
    assert claim.assessments[0].label == "supporting"
    assert claim.assessments[0].note == "A named official."


def test_curator_decides_from_the_queue(live_server, page, world):
    keyboard_login(page, live_server, "cora", PASSWORD)
    follow(page, 'nav.mainnav a[href="/review"]')
    expect(page.locator(".review-item.current")).to_be_focused()  # the queue takes the focus
    with page.expect_response(lambda r: r.url.endswith("/adjudication")) as r:
        page.keyboard.press("2")
    assert r.value.status == 200
    db.session.expire_all()
    assert db.session.get(Claim, world["disputed"]).adjudicated_label == "contested"
    # Tab goes on to the next controls, and Shift+Tab comes back to a claim's buttons.
    expect(page.locator("#review-undo-button")).to_be_focused()
    with page.expect_response(lambda r: r.request.method == "DELETE"):
        page.keyboard.press("Enter")  # Undo
    db.session.expire_all()
    assert db.session.get(Claim, world["disputed"]).adjudicated_label is None


def test_researcher_compares_and_exports(live_server, page, world):
    keyboard_login(page, live_server, "rhea", PASSWORD)
    follow(page, f'a[href="/events/{world["event"]}"]')
    follow(page, f'a[href="/events/{world["event"]}/compare"]')
    expect(page.locator("body")).to_contain_text("Tirana Times")
    follow(page, 'nav.mainnav a[href="/export"]')
    tab_to(page, "select[name=format]")
    page.keyboard.type("CSV")
    expect(page.locator("select[name=format]")).to_have_value("csv")
    tab_to(page, "#export-download")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        assert "Officials said the transfer was complete." in fh.read()
