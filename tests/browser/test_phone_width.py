"""At 390 x 844 (a phone), no page scrolls sideways, for any role: every GET page of the URL
map is opened with this world's ids and its document width read."""

from __future__ import annotations

import pytest

from app.capabilities import ROLES
from app.extensions import db
from tests.browser.conftest import a_world, every_page, log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_on_a_phone(app, live_server, browser, role):
    ids = a_world()
    user = make_user(role, f"{role}-phone")
    db.session.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        log_in(page, live_server, user.username, PASSWORD)
        wide = []
        pages = every_page(app, ids, user)
        assert len(pages) >= 10
        for url in pages:
            response = page.goto(f"{live_server}{url}")
            if (
                response is None
                or response.status >= 400
                or "html" not in (response.headers.get("content-type", ""))
            ):
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append(f"{url}: {width} px")
        assert not wide, "pages wider than the phone:\n" + "\n".join(wide)
    finally:
        context.close()
