"""A live server in a thread and a real headless Chromium driven by Playwright."""

from __future__ import annotations

import os

import pytest

from bench.browser import CHROMIUM_ARGS  # one list of flags for the tests and the bench
from tests.conftest import unavailable

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A refused request is logged by Chromium as "Failed to load resource"; the app shows
    # those to the user itself, so only script errors count here.
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            and errors.append(msg.text)
        ),
    )
    yield page
    context.close()
    assert not errors, f"browser errors: {errors}"


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/")
    assert "/login" in page.url  # anonymous visitors land on the login page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")
