"""The export page counts the claims live as filters change, and downloads them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_live_count_follows_the_filters_and_the_download_matches(app, live_server, page, claim_set):
    user = make_user("researcher")
    log_in(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server}/export")
    # Locator assertions: the page's CSP (no eval) refuses string predicates, rightly.
    expect(page.locator("#export-count")).to_have_text("5 claims match.")
    page.select_option("select[name=label]", "supporting")
    expect(page.locator("#export-count")).to_have_text("2 claims match.")
    page.select_option("select[name=format]", "csv")
    with page.expect_download() as info:
        page.click("#export-download")
    download = info.value
    assert download.suggested_filename.startswith("parallax-claims_label-supporting_")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as fh:
        lines = fh.read().splitlines()
    assert len(lines) == 3  # header and two claims


def test_a_download_with_any_filter_left_and_text_included_is_accepted(
    app, live_server, page, claim_set
):
    """Filters left at "any" are not sent (the API refuses empty values), and the text
    checkbox sends a boolean the API reads."""
    import json

    user = make_user("researcher")
    log_in(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server}/export")
    expect(page.locator("#export-count")).to_have_text("5 claims match.")
    page.select_option("select[name=format]", "jsonl")
    page.check("input[name=include_text]")
    with page.expect_download() as info:
        page.click("#export-download")
    with open(info.value.path(), encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    assert len(records) == 5 and all(r["article_text"] for r in records)
