"""Tagging claims in a real browser: mouse and keyboard selections over Unicode-heavy text."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Claim
from app.services.claims.tagging import create_claim
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_article, make_event, make_outlet, make_user

pytestmark = pytest.mark.browser

TEXT = (
    "Residents 🇦🇱 cheered 👨‍👩‍👧 as the buses left Camp Liberty at dawn.\n\n"
    "The sign read 𝐋𝐢𝐛𝐞𝐫𝐭𝐲 and cafe\u0301 owners waved.\n\n"
    "گروه گفت که ساکنان کمپ لیبرتی به آلبانی رفتند.\n\n"
    "Officials said the transfer was complete."
)

# Where a point must fall for the caret to land before (leading) or after (trailing) a
# character, whatever the direction of the line.
CHAR_BOXES = """([start, end]) => {
  const el = document.getElementById('article-text');
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = []; let seen = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push([n, seen]);
    seen += n.data.length;
  }
  const box = (u) => {
    const [node, base] = nodes.filter(([n, b]) => b <= u && u < b + n.data.length)[0];
    const r = document.createRange();
    const step = node.data.codePointAt(u - base) > 0xffff ? 2 : 1;
    r.setStart(node, u - base); r.setEnd(node, u - base + step);
    const rect = r.getClientRects()[0];
    return {left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom};
  };
  const lowSurrogate = /[\\uDC00-\\uDFFF]/.test(el.textContent[end - 1]);
  const lastStart = end - (end - 2 >= start && lowSurrogate ? 2 : 1);
  return [box(start), box(lastStart)];
}"""


@pytest.fixture
def annotating(app, live_server, page):
    """A reviewer logged in, looking at a Unicode-heavy article."""
    reviewer = make_user("reviewer", "rana")
    article = make_article(
        make_outlet("Unicode Times"), text=TEXT, title="Departure", events=[make_event("Departure")]
    )
    log_in(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    return article, reviewer


def drag_select(page, quote: str, popover: bool = True) -> str:
    """Select `quote` with the mouse, as a person would; return the browser's selection."""
    text = page.eval_on_selector("#article-text", "el => el.textContent")
    start = text.index(quote)  # UTF-16 and code points agree on str.index only by luck:
    utf16 = len(text[:start].encode("utf-16-le")) // 2  # so convert explicitly
    utf16_end = utf16 + len(quote.encode("utf-16-le")) // 2
    first, last = page.evaluate(CHAR_BOXES, [utf16, utf16_end])
    rtl = last["left"] < first["left"] and abs(last["top"] - first["top"]) < 2
    y1 = (first["top"] + first["bottom"]) / 2
    y2 = (last["top"] + last["bottom"]) / 2
    w1 = first["right"] - first["left"]
    w2 = last["right"] - last["left"]
    x1 = first["right"] - w1 * 0.25 if rtl else first["left"] + w1 * 0.25
    x2 = last["left"] + w2 * 0.25 if rtl else last["right"] - w2 * 0.25
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=4)
    page.mouse.move(x2, y2, steps=4)
    page.mouse.up()
    if popover:
        page.wait_for_selector("#tag-popover:not([hidden])")
    return page.evaluate("window.getSelection().toString()")


def stored_claims(article) -> list[Claim]:
    db.session.expire_all()
    return db.session.scalars(
        select(Claim).where(Claim.article_id == article.id).order_by(Claim.id)
    ).all()


def press_label(page, key: str) -> None:
    with page.expect_response(lambda r: r.request.method == "POST" and "/claims" in r.url) as info:
        page.keyboard.press(key)
    assert info.value.status == 201, info.value.text()


@pytest.mark.parametrize(
    ("quote", "key", "label"),
    [
        ("as the buses left", "1", "supporting"),  # after a flag and a ZWJ family emoji
        ("ساکنان کمپ لیبرتی", "2", "contested"),  # inside right-to-left Persian
        ("𝐋𝐢𝐛𝐞𝐫𝐭𝐲 and café", "3", "unsourced"),  # astral letters, a composed accent
    ],
)
def test_mouse_selection_is_stored_exactly(annotating, page, quote, key, label):
    article, _ = annotating
    selected = drag_select(page, quote)
    assert selected == quote
    press_label(page, key)
    (claim,) = stored_claims(article)
    assert claim.quote == selected == article.text[claim.start : claim.end]
    assert claim.assessments[0].label == label
    page.wait_for_selector(f"mark.label-{label}")
    expect(page.locator("#claim-list .claim-entry")).to_have_count(1)


def test_selection_across_an_existing_highlight(annotating, page):
    article, reviewer = annotating
    start = article.text.index("cheered")
    create_claim(article, reviewer, start=start, end=start + 7, quote="cheered", label="contested")
    db.session.commit()
    page.reload()
    page.wait_for_selector("mark.label-contested")
    quote = "🇦🇱 cheered 👨‍👩‍👧 as the"
    assert drag_select(page, quote) == quote
    press_label(page, "3")
    claims = stored_claims(article)
    assert [c.quote for c in claims] == ["cheered", quote]
    # Both stay visible and clickable: the overlap is marked, the inner claim on top.
    expect(page.locator("mark.depth-2")).to_have_count(1)  # waits for the re-render
    page.locator("mark.depth-2").click()
    assert "cheered" in page.locator("#claim-detail blockquote").inner_text()


def test_keyboard_selection_with_shift_arrows(annotating, page):
    article, _ = annotating
    page.focus("#article-text")
    for _ in range(len("Residents")):
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == "Residents"
    press_label(page, "1")
    (claim,) = stored_claims(article)
    assert (claim.start, claim.end, claim.quote) == (0, 9, "Residents")


def test_the_keyboard_caret_starts_a_selection_anywhere_and_snaps_to_words(annotating, page):
    """Arrows move a visible caret (Ctrl: by word, ] by sentence); Shift extends from it; a
    selection ending inside a word is tagged as the whole word."""
    article, _ = annotating
    page.focus("#article-text")
    expect(page.locator(".kb-caret")).to_be_visible()
    page.keyboard.press("]")  # the next sentence: "The sign read ..."
    page.keyboard.press("]")  # and the one after: the Persian paragraph
    page.keyboard.press("]")  # "Officials said the transfer was complete."
    for _ in range(2):
        page.keyboard.press("Control+ArrowRight")  # past "Officials" and "said"
    page.keyboard.press("ArrowRight")  # past the space: at "the"
    for _ in range(len("the tra")):  # ends inside "transfer"
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#popover-quote")).to_have_text("“the transfer”")
    page.keyboard.press("e")
    expect(page.locator("#popover-note")).to_be_focused()
    page.keyboard.type("named")
    page.keyboard.press("Alt+2")
    expect(page.locator("#tag-popover")).to_be_hidden()
    (claim,) = stored_claims(article)
    assert claim.quote == "the transfer"
    assert claim.article.text[claim.start : claim.end] == "the transfer"  # code points
    assert claim.assessments[0].note == "named"


def test_a_touch_selection_opens_the_tagging_box(app, live_server, browser):
    """A long press selects without a mouseup: the settled selection opens the box."""
    reviewer = make_user("reviewer", "tara")
    article = make_article(make_outlet("Touch Times"), text=TEXT, title="Touch")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    try:
        log_in(page, live_server, reviewer.username, PASSWORD)
        page.goto(f"{live_server}/articles/{article.id}")
        page.wait_for_selector("#annotator[data-ready='true']")
        page.evaluate(
            """() => {
              const el = document.getElementById("article-text");
              const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
              let node = walker.nextNode();
              while (node && !node.data.includes("Officials")) node = walker.nextNode();
              const at = node.data.indexOf("Officials");
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + "Officials said".length);
              const sel = window.getSelection();
              sel.removeAllRanges();
              sel.addRange(range);
            }"""
        )
        expect(page.locator("#tag-popover")).to_be_visible()
        expect(page.locator("#popover-quote")).to_have_text("“Officials said”")
        page.locator("#tag-popover .label-button").first.tap()
        expect(page.locator("#tag-popover")).to_be_hidden()
        (claim,) = stored_claims(article)
        assert claim.quote == "Officials said"
    finally:
        context.close()


def test_a_failed_save_keeps_selection_note_and_url(annotating, page):
    article, _ = annotating
    drag_select(page, "Officials said")
    page.fill("#popover-note", "Which officials? No names.")
    page.fill("#popover-evidence", "javascript:alert(1)")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.get_by_role("button", name="unsourced").click()
    assert info.value.status == 422
    # The response can arrive a moment before the script writes the message: wait for it.
    expect(page.locator("#popover-error")).to_contain_text("http(s) URL")
    assert page.is_visible("#tag-popover")
    assert page.input_value("#popover-note") == "Which officials? No names."
    assert page.evaluate("window.getSelection().toString()") == "Officials said"
    assert stored_claims(article) == []
    page.fill("#popover-evidence", "https://example.org/report")
    page.focus("#popover-evidence")
    press_label(page, "Alt+3")
    (claim,) = stored_claims(article)
    assessment = claim.assessments[0]
    assert (claim.quote, assessment.label, assessment.note, assessment.evidence_url) == (
        "Officials said",
        "unsourced",
        "Which officials? No names.",
        "https://example.org/report",
    )


def test_another_reviewer_sees_and_adds_an_assessment_and_notes_stay_inert(app, live_server, page):
    author = make_user("reviewer", "rana")
    article = make_article(make_outlet("Unicode Times"), text=TEXT, title="Departure")
    start = article.text.index("Officials said")
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    create_claim(
        article,
        author,
        start=start,
        end=start + 14,
        quote="Officials said",
        label="supporting",
        note=payload,
    )
    db.session.commit()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    other = make_user("reviewer", "omid")
    log_in(page, live_server, other.username, PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    page.locator("#claim-list .claim-entry").click()
    assert page.locator("#claim-detail .note").inner_text() == payload  # shown as text
    assert page.locator("#claim-detail img, #claim-detail script").count() == 0
    # Any reviewer's assessment may carry its evidence, not only the author's.
    page.locator("#claim-detail .evidence-url").fill("https://example.org/denial")
    with page.expect_response(lambda r: r.request.method == "PUT") as info:
        page.locator("#claim-detail .label-button", has_text="contested").click()
    assert info.value.status == 201
    assert info.value.json()["evidence_url"] == "https://example.org/denial"
    page.wait_for_selector("mark.label-disputed")  # two reviewers now disagree
    page.select_option("#filter-reviewer", "omid")
    expect(page.locator("#claim-list .claim-entry")).to_have_count(1)
    page.select_option("#filter-label", "supporting")
    assert page.locator("#claim-list .claim-entry").count() == 0
    assert dialogs == []


def test_the_claim_panel_shows_who_changed_what(app, live_server, page):
    author = make_user("reviewer", "rana")
    article = make_article(make_outlet("History Times"), text=TEXT, title="Departure")
    start = article.text.index("Officials said")
    create_claim(
        article, author, start=start, end=start + 14, quote="Officials said", label="supporting"
    )
    db.session.commit()
    other = make_user("reviewer", "omid")
    log_in(page, live_server, other.username, PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    page.locator("#claim-list .claim-entry").click()
    with page.expect_response(lambda r: r.request.method == "PUT") as info:
        page.locator("#claim-detail .label-button", has_text="contested").click()
    assert info.value.status == 201
    expect(page.locator("#claim-detail .label-button[aria-pressed='true']")).to_have_text(
        "contested"
    )
    page.locator("#claim-detail .claim-history summary").click()
    entries = page.locator("#claim-detail .claim-history li")
    expect(entries).to_have_count(2)
    assert "rana created the claim" in entries.nth(0).inner_text()
    assert "omid labelled it contested" in entries.nth(1).inner_text()
    # Saving again keeps the open History open, and it shows the new change.
    page.locator("#claim-detail .label-button", has_text="unsourced").click()
    expect(entries).to_have_count(3)
    assert "changed the label contested → unsourced" in entries.nth(2).inner_text()


def test_where_else_shows_the_same_wording_in_another_outlet(app, live_server, page):
    author = make_user("reviewer", "rana")
    article = make_article(make_outlet("History Times"), text=TEXT, title="Departure")
    quote = "Officials said the transfer was complete"
    start = article.text.index(quote)
    create_claim(
        article, author, start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    other = make_article(make_outlet("Wire"), text=f"Late on Friday. {quote}.", title="Wire copy")
    db.session.commit()
    log_in(page, live_server, author.username, PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    page.locator("#claim-list .claim-entry").click()
    page.locator("#claim-detail .where-else summary").click()
    found = page.locator("#claim-detail .where-else li")
    expect(found.first).to_contain_text("Wire copy")
    expect(found).to_have_count(1)
    assert "same wording" in found.inner_text()
    assert found.locator("a").get_attribute("href") == f"/articles/{other.id}"
