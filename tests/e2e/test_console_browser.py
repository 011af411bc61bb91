"""The ops console in a real browser: Playwright driving Debian's Chromium (``/usr/bin/chromium``, which ``.ci/run``
installs) against the API served by uvicorn on loopback. Each test saves a screenshot under ``test-artifacts/console/``
(or ``$WLC_TEST_ARTIFACTS/console/``) and prints its path. Skipped, saying why, where there is no Chromium."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from domain.runs import RunOutcome
from domain.schedules import SyncKind
from tests.console_world import ConsoleWorld
from tests.reliability.api_harness import serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("WLC_TEST_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("WLC_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TENANTS = ("acme", "globex", "hooli", "initech", "umbrella")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and shutil.which(str(CHROMIUM))),
    reason=f"no Chromium at {CHROMIUM} (apt-get install chromium, as .ci/run does; or set WLC_TEST_CHROMIUM)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ConsoleWorld]:
    made = ConsoleWorld(tmp_path / "ledger.sqlite3", tenants=TENANTS)
    yield made
    made.application.tenants().close()


@pytest.fixture
def console(world: ConsoleWorld) -> Iterator[str]:
    with serving(world.app) as base_url:
        yield f"{base_url}/console"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> Path:
    path = ARTIFACTS / "console" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def sign_in(page: Page, console: str, world: ConsoleWorld, name: str = "Ada Lovelace") -> None:
    from playwright.sync_api import expect

    page.goto(console)
    expect(page).to_have_url(re.compile(r"/console/login$"))
    page.get_by_label("Admin key").fill(world.admin_key)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Tenants")).to_be_visible()


def test_an_admin_signs_in_and_a_tenants_key_is_refused(page: Page, console: str, world: ConsoleWorld) -> None:
    from playwright.sync_api import expect

    page.goto(f"{console}/login")
    page.get_by_label("Admin key").fill(world.tenant_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("is a tenant's key")
    screenshot(page, "login-refused")

    sign_in(page, console, world)

    expect(page.get_by_text(f"Signed in as Ada Lovelace (admin key {world.admin_id})")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "wlc_console")
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""
    screenshot(page, "signed-in")


def test_the_tenants_list_shows_each_tenants_health_and_filters(page: Page, console: str, world: ConsoleWorld) -> None:
    from playwright.sync_api import expect

    world.blocked_plan("acme")
    world.in_step("globex")
    world.in_step("hooli")
    world.application.manage_tenants().change_schedules("hooli", {"paused": [SyncKind.TRANSCRIPTS.value]})
    world.report_unavailable("initech")
    world.completions("umbrella", pending=12, retrying=2, refused=1)
    world.clock.advance(timedelta(minutes=42))
    sign_in(page, console, world)

    rows = page.locator("tr.tenant")
    expect(rows).to_have_count(len(TENANTS))
    for tenant, health in (
        ("acme", "attention"),
        ("globex", "ok"),
        ("hooli", "paused"),
        ("initech", "failing"),
        ("umbrella", "attention"),
    ):
        expect(rows.filter(has_text=tenant).locator(".badge")).to_have_text(health)
    expect(rows.filter(has_text="acme")).to_contain_text("blocked plan: run 1")
    screenshot(page, "tenants")

    page.get_by_label("Health").select_option("failing")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("initech")
    page.get_by_label("Name").fill("glo")
    page.get_by_label("Health").select_option("")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("globex")
    screenshot(page, "tenants-filtered")


def test_an_operator_approves_a_blocked_plan(page: Page, console: str, world: ConsoleWorld) -> None:
    from playwright.sync_api import expect

    run = world.blocked_plan("acme")
    sign_in(page, console, world)

    page.get_by_role("link", name=f"blocked plan: run {run.id}").click()
    expect(page.locator("tr.removal")).to_have_count(8)
    screenshot(page, "blocked-plan")
    page.get_by_role("button", name="Approve and apply 8 removals").click()

    expect(page).to_have_url(re.compile(rf"/console/runs/{run.id}$"))
    expect(page.locator("dd.decided")).to_have_text(f"Ada Lovelace (admin key {world.admin_id})")
    expect(page.locator("tr.action", has_text="applied")).to_have_count(8)
    screenshot(page, "plan-approved")
    decided = world.application.sync_ledger().run(run.id)
    assert decided is not None
    assert decided.outcome is RunOutcome.SUCCEEDED
    assert world.seated("acme") == 2


def test_an_operator_pauses_and_resumes_a_schedule(page: Page, console: str, world: ConsoleWorld) -> None:
    from playwright.sync_api import expect

    sign_in(page, console, world)
    page.get_by_role("link", name="globex").click()
    schedule = page.locator("#schedule-transcripts")

    schedule.get_by_role("button", name="Pause").click()

    expect(schedule).to_contain_text("paused")
    expect(schedule.get_by_role("button", name="Resume")).to_be_visible()
    paused = world.application.manage_tenants().schedules("globex").unwrap().settings.paused
    assert paused == [SyncKind.TRANSCRIPTS]
    screenshot(page, "schedule-paused")
    schedule.get_by_role("button", name="Resume").click()
    expect(schedule.get_by_role("button", name="Pause")).to_be_visible()
    assert world.application.manage_tenants().schedules("globex").unwrap().settings.paused == []
