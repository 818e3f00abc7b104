"""Browser tests: the real application served on localhost, driven by Playwright in Debian's Chromium."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from models import Role
from tests.conftest import PASSWORDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    # CI sets KHOZCHAST_REQUIRE_BROWSER: there a missing browser is a failure, not a skip.
    if os.environ.get("KHOZCHAST_REQUIRE_BROWSER"):
        raise pytest.UsageError("KHOZCHAST_REQUIRE_BROWSER is set but no chromium is installed")
    skip = pytest.mark.skip(reason="no Chromium installed (apt-get install chromium)")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_as(browser, live_server, users):
    """``page_as(Role.clerk)``: a fresh browser page, logged in with that role."""
    contexts = []

    def make(role: Role):
        context = browser.new_context(accept_downloads=True, locale="ru-RU")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server}/admin/login/")
        page.fill("#username", role.value)
        page.fill("#password", PASSWORDS[role])
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server}/admin/")
        return page

    yield make
    for context in contexts:
        context.close()
