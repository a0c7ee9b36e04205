"""axe-core (axe-playwright-python) on every page of the URL map, for every role: no
violation of impact serious or critical under the WCAG 2.1 A and AA rules."""

from __future__ import annotations

import pytest

from app.capabilities import ROLES
from app.extensions import db
from tests.browser.conftest import a_world, every_page, log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize("role", ROLES)
def test_no_serious_axe_violation_on_any_page(app, live_server, page, role):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ids = a_world()
    user = make_user(role, f"{role}-axe")
    db.session.commit()
    log_in(page, live_server, user.username, PASSWORD)
    found = []
    pages = every_page(app, ids, user)
    assert len(pages) >= 10
    for url in ["/login", *pages] if role == ROLES[0] else pages:
        if url == "/login":
            continue
        response = page.goto(f"{live_server}{url}")
        if response is None or response.status >= 400:
            continue
        if "html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("networkidle")
        results = axe.run(page, options={**RULES, "resultTypes": ["violations"]})
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:3]
                found.append(f"{url}: {violation['id']} ({violation['impact']}) {targets}")
    assert not found, "axe-core violations:\n" + "\n".join(found)
