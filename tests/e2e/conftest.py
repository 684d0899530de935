"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from wikiapp import actions
from wikiapp.models import Role

CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # tests themselves are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def tab(browser, request):
    """A fresh browser tab that fails the test on any console error (CSP violations included)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / f"{request.node.name}-last.png", full_page=True)
    context.close()


def shot(tab, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    tab.screenshot(path=OUTPUT / f"{name}.png", full_page=True)


@pytest.fixture
def team(transactional_db, django_user_model):
    """A space with an editor who can log in from the browser."""
    editor = django_user_model.objects.create_user("eddie", password="eddie-password-123")
    admin = django_user_model.objects.create_user("ada", password="ada-password-123")
    space = actions.create_space(slug="team", name="Team", created_by=admin)
    actions.set_role(space=space, user=editor, role=Role.EDITOR, acting_user=admin)
    home = actions.create_page(
        space=space,
        title="Working agreement",
        body="# How we work\n\nWe meet on Mondays.\n\n- [ ] review\n\nSee [[Meetings]].\n",
        author=admin,
    )
    actions.create_page(space=space, title="Meetings", body="Weekly.", parent=home, author=admin)
    return {"space": space, "page": home, "editor": editor, "admin": admin}


def log_in(tab, live_server, username: str, password: str) -> None:
    """Log in using only the keyboard."""
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.keyboard.press("Tab")  # skip link
    tab.locator("#id_username").focus()
    tab.keyboard.type(username)
    tab.keyboard.press("Tab")
    tab.keyboard.type(password)
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"{live_server.url}/")
