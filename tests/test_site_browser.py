"""The built pages in a real browser: Debian's Chromium driven by Playwright.

Playwright cannot download its own browser here, so the system's
``chromium`` is used (``.ci/run`` installs it).  Screenshots go to the test's
temporary folder; ``NETVAULT_UPDATE_SCREENSHOTS=1`` also writes the README's
pictures in ``docs/``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import REPO

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("the browser tests need Debian's chromium; .ci/run installs it")
    pytest.skip("no chromium on this machine", allow_module_level=True)

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = """---
name: "<script>alert(1)</script>"
circle: buddy
org: '"><svg onload=alert(2)>'
email: "javascript:alert(3)"
last_contact: 2026-08-01
---
<img src=x onerror=alert(4)> and [a link](javascript:alert(5)).
"""


def _built(folder: Path, hostile: bool) -> Path:
    root = folder / "vault"
    shutil.copytree(REPO / "example_vault", root)
    if hostile:
        (root / "people" / "Hostile Name.md").write_text(HOSTILE, encoding="utf-8")
    from click.testing import CliRunner

    from netvault.cli import main

    result = CliRunner().invoke(main, ["build", "--vault", str(root), "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    return root / "_site"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example vault's pages, as the README shows them."""
    return _built(tmp_path_factory.mktemp("browser"), hostile=False)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The same with a contact whose every field tries to run code."""
    return _built(tmp_path_factory.mktemp("hostile"), hostile=True)


@pytest.fixture(scope="module")
def playwright():
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 1300})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    # Nothing may be fetched from the network: every request is a local file.
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else page.problems.append(r.url))
    yield page
    context.close()


def shoot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"))
    if os.environ.get("NETVAULT_UPDATE_SCREENSHOTS"):
        (REPO / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "docs" / f"{name}.png"))


def test_the_agenda_page_shows_who_is_overdue_and_why(site, page, tmp_path):
    page.goto((site / "index.html").as_uri())
    overdue = page.locator("section", has=page.get_by_role("heading", name="Overdue"))
    text = overdue.first.inner_text()
    assert "Margaret Osei" in text
    assert "12 days late" in text
    mail = page.get_by_role("link", name="Email Margaret Osei").first
    assert mail.get_attribute("href") == "mailto:margaret.osei@corvid-logistics.example"
    assert page.locator("a[href^='javascript']").count() == 0
    shoot(page, tmp_path, "agenda")
    assert page.problems == []


def test_a_person_page_shows_the_card_notes_and_timeline(site, page, tmp_path):
    page.goto((site / "people" / "James Whitfield.html").as_uri())
    body = page.inner_text("body")
    assert "James Whitfield" in body
    assert "Head of Data Engineering" in body
    assert "daily/2026-09-28" in body  # the daily note that mentions him, in his timeline
    shoot(page, tmp_path, "person")
    assert page.problems == []


def test_the_network_page_draws_its_charts(site, page, tmp_path):
    page.goto((site / "network.html").as_uri())
    assert page.locator("svg").count() >= 4
    assert page.locator("svg rect").count() >= 5  # funnel and month bars are drawn
    assert page.locator("svg circle").count() >= 10  # the graph's people
    shoot(page, tmp_path, "network")
    assert page.problems == []


def test_a_hostile_contact_is_shown_as_text_and_never_runs(hostile_site, page):
    site = hostile_site
    for path in (site / "index.html", site / "people.html", site / "network.html"):
        page.goto(path.as_uri())
        assert page.problems == [], path
    person = next((site / "people").glob("Hostile Name*.html"))
    page.goto(person.as_uri())
    body = page.inner_text("body")
    assert "<script>alert(1)</script>" in body
    assert '"><svg onload=alert(2)>' in body
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("img").count() == 0
    assert page.problems == []


# ---------------------------------------------------------------- served by watch --serve


@pytest.fixture
def served(site):
    from netvault.site.serve import LiveReload, make_server, serve_in_background

    live = LiveReload()
    server = make_server(site, port=0, live=live)
    serve_in_background(server)
    yield server.server_address[1], live
    server.shutdown()
    server.server_close()


def _http_page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 1300})
    page = context.new_page()
    page.problems = []
    # Chromium asks for /favicon.ico on its own; any other failed load counts.
    page.on(
        "console",
        lambda m: page.problems.append(m.text)
        if m.type == "error" and not m.text.startswith("Failed to load resource")
        else None,
    )
    page.on(
        "response",
        lambda r: page.problems.append(f"{r.status} {r.url}")
        if r.status >= 400 and not r.url.endswith("/favicon.ico")
        else None,
    )
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    return context, page


def test_served_pages_run_their_own_scripts_and_live_reload_under_the_policy(served, browser):
    port, live = served
    context, page = _http_page(browser)
    try:
        page.goto(f"http://127.0.0.1:{port}/network.html")
        # the page's filter script ran (its hash is allowed): it showed the filter
        page.wait_for_selector(".nv-filter input")
        assert page.locator(".nv-filter input").count() >= 2
        # the reload script ran (its nonce is allowed): a rebuild reloads the page
        page.evaluate("window.__before_reload = true")
        with page.expect_event("load", timeout=10_000):
            live.bump()
        assert page.evaluate("window.__before_reload === undefined")
        assert page.problems == []  # no Content-Security-Policy violation
    finally:
        context.close()


def test_a_page_on_another_name_cannot_read_the_contacts(served, playwright):
    """DNS rebinding: a name of the attacker's that resolves to 127.0.0.1."""
    port, _ = served
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"]
    )
    try:
        page = browser.new_page()
        for path in ("/people.html", "/netvault.ics", "/"):
            # Chromium's word for an error status with an empty body: the 403
            with pytest.raises(sync_api.Error, match="ERR_HTTP_RESPONSE_CODE_FAILURE"):
                page.goto(f"http://evil.example:{port}{path}")
        # the same server answers its own names
        page = browser.new_page()
        response = page.goto(f"http://localhost:{port}/people.html")
        assert response.status == 200 and "Margaret" in page.content()
    finally:
        browser.close()
