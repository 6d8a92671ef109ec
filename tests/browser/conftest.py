"""Browser tests: the app served on a loopback port, driven in Debian's Chromium through Playwright."""
from __future__ import annotations

import os
import shutil
import threading
from typing import Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless (skipped where it is missing, except in CI)."""
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("chromium is required in CI (make test installs it with apt-get)")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_url(app) -> Iterator[str]:
    """The app served by a real HTTP server on a free loopback port, for one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page (own context) per test."""
    context = browser.new_context(locale="vi-VN")
    tab = context.new_page()
    yield tab
    context.close()
