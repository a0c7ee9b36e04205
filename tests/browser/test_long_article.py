"""A long article (hundreds of thousands of characters, emoji, hundreds of claims): drawn in
blocks, every claim where its offsets say, and a passage deep in the text tagged exactly."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import insert, select

from app.extensions import db
from app.models import Assessment, Claim
from app.text.offsets import context
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_article, make_outlet, make_user

pytestmark = pytest.mark.browser

PARAGRAPH = (
    "Paragraph {n}: the residents 👨‍👩‍👧 left the camp at dawn, and officials 🇦🇱 said the "
    "transfer of group {n} was complete; critics called it years too late."
)


def test_a_long_article_is_drawn_in_blocks_and_tags_exactly_deep_inside(app, live_server, page):
    reviewer = make_user("reviewer", "rana")
    text = "\n\n".join(PARAGRAPH.format(n=n) for n in range(1500))
    article = make_article(make_outlet("Long Post"), text=text, title="Long")
    starts = [
        text.index(f"officials 🇦🇱 said the transfer of group {n} ") for n in range(0, 1500, 5)
    ]
    rows = []
    for start in starts:
        end = start + len("officials 🇦🇱 said")
        prefix, suffix = context(text, start, end)
        rows.append(
            {
                "article_id": article.id,
                "start": start,
                "end": end,
                "quote": text[start:end],
                "prefix": prefix,
                "suffix": suffix,
                "author_id": reviewer.id,
            }
        )
    ids = db.session.scalars(insert(Claim).returning(Claim.id), rows).all()
    db.session.execute(
        insert(Assessment),
        [{"claim_id": i, "reviewer_id": reviewer.id, "label": "supporting"} for i in ids],
    )
    db.session.commit()

    log_in(page, live_server, "rana", PASSWORD)
    page.goto(f"{live_server}/articles/{article.id}")
    page.wait_for_selector("#annotator[data-ready='true']")
    assert page.locator("#article-text.long > .chunk").count() > 10
    assert page.eval_on_selector("#article-text", "el => el.textContent") == text
    marks = page.locator("#article-text mark")
    expect(marks).to_have_count(len(starts))
    # textContent: the off-screen blocks are not laid out, so they have no innerText yet.
    assert set(marks.evaluate_all("ms => ms.map(m => m.textContent)")) == {"officials 🇦🇱 said"}

    # Select "critics called it" in paragraph 1234 (deep in a later block) and press 1.
    target = text.index("critics called it", text.index("Paragraph 1234:"))
    page.evaluate(
        """([from, to]) => {
          const el = document.getElementById('article-text');
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          let seen = 0;
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (seen <= from && from < seen + n.data.length) range.setStart(n, from - seen);
            if (seen < to && to <= seen + n.data.length) { range.setEnd(n, to - seen); break; }
            seen += n.data.length;
          }
          range.startContainer.parentElement.scrollIntoView({block: 'center'});
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        [
            len(text[:target].encode("utf-16-le")) // 2,
            len(text[: target + 17].encode("utf-16-le")) // 2,
        ],
    )
    page.wait_for_selector("#tag-popover:not([hidden])")
    # Each block remembers it was drawn before the save: only the one the claim lands in
    # is drawn again.
    page.evaluate(
        "document.querySelectorAll('#article-text > .chunk').forEach((c, i) => { c.drawn = i; })"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.keyboard.press("1")
    assert info.value.status == 201
    stored = db.session.scalar(select(Claim).where(Claim.quote == "critics called it"))
    assert (stored.start, stored.end) == (target, target + 17)
    expect(page.locator(f"mark[data-claims='{stored.id}']")).to_have_text("critics called it")
    redrawn = page.evaluate(
        "[...document.querySelectorAll('#article-text > .chunk')]"
        ".flatMap((c, i) => c.drawn === i ? [] : [i])"
    )
    assert len(redrawn) == 1, redrawn
    assert page.eval_on_selector("#article-text", "el => el.textContent") == text
    expect(marks).to_have_count(len(starts) + 1)
    # The list took the new claim in its place by position, between its neighbours.
    entries = page.locator("#claim-list .claim-entry").evaluate_all(
        "bs => bs.map(b => Number(b.dataset.claimId))"
    )
    assert len(entries) == len(starts) + 1
    position = entries.index(stored.id)
    before = [s for s in starts if s < target]
    assert position == len(before)
    assert page.locator("#claim-count").text_content() == str(len(starts) + 1)
