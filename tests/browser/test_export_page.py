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
