"""The wiki follows the system's dark mode and prints only the content."""

import pytest

from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.e2e

BACKGROUND = "getComputedStyle(document.documentElement).backgroundColor"


def test_it_follows_the_systems_dark_mode(browser, live_server, team):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/")
    dark = tab.evaluate(BACKGROUND)
    shot(tab, "page-dark")
    tab.emulate_media(color_scheme="light")
    light = tab.evaluate(BACKGROUND)
    context.close()
    assert dark == "rgb(22, 24, 28)"
    assert light == "rgb(253, 253, 252)"


def test_printing_shows_the_content_without_navigation(tab, live_server, team):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/")
    tab.emulate_media(media="print")
    assert not tab.locator(".topbar").is_visible()
    assert not tab.locator(".space-nav").is_visible()
    assert tab.locator(".prose").is_visible()
