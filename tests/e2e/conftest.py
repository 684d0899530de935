"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

The `browser` itself is in tests/conftest.py: one Chromium for every suite that drives one.
"""

import re
from pathlib import Path

import pytest

from wikiapp import actions
from wikiapp.models import Role

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.fixture
def tab(browser, request):
    """A fresh browser tab that fails the test on any console error (CSP violations included)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Say which element broke the CSP: Chromium's own message names only the script.
    page.add_init_script(
        """document.addEventListener('securitypolicyviolation', e => console.error(
            'CSP ' + e.violatedDirective + ' blocked ' + (e.sample || e.blockedURI) + ' on '
            + String(e.target && e.target.outerHTML).slice(0, 160)));"""
    )
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(f"{msg.text} @ {msg.location}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    OUTPUT.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    page.screenshot(path=OUTPUT / f"{name}-last.png", full_page=True)
    if errors:
        (OUTPUT / f"{name}-console.txt").write_text("\n".join(errors))
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


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(tab) -> list[str]:
    """Serious and critical axe-core findings on the current screen.

    evaluate() runs through the DevTools protocol, so the page's strict CSP still holds
    for everything else while axe is injected.
    """
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `make e2e-deps` (npm ci) first")
    tab.evaluate(AXE.read_text())
    found = tab.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => v.id + ": " + v.help + " @ "
                        + v.nodes.map(n => n.target.join(" ")).join(", "));
        }"""
    )
    return found


def press_tab_until(tab, selector: str, limit: int = 80) -> None:
    """Move focus with Tab alone until the focused element matches `selector`."""
    for _ in range(limit):
        if tab.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        tab.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def keys(tab, *presses: str) -> None:
    for press in presses:
        tab.keyboard.press(press)
