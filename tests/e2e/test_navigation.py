"""htmx navigation: content swaps without reloading CSS/JS, yet links, tabs and history behave."""

import re

import pytest

from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.e2e


def test_links_swap_the_content_without_reloading_scripts(tab, live_server, team):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.evaluate("window.__sameDocument = true")
    tab.get_by_role("link", name="Team", exact=True).first.click()
    tab.wait_for_url(re.compile(r"/s/team/$"))
    tab.get_by_role("link", name="Working agreement").click()
    tab.wait_for_url(re.compile(r"/working-agreement/$"))
    # Still the same document: the page was swapped in, not loaded.
    assert tab.evaluate("window.__sameDocument") is True
    assert tab.title().startswith("Working agreement")

    tab.go_back()
    tab.wait_for_url(re.compile(r"/s/team/$"))
    tab.locator("h1", has_text="Team").wait_for()
    tab.go_forward()
    tab.wait_for_url(re.compile(r"/working-agreement/$"))
    tab.locator("main h1", has_text="Working agreement").wait_for()
    assert tab.console_errors == []


def test_a_page_opened_directly_renders_whole(tab, live_server, team):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/history/")
    assert tab.locator("link[rel=stylesheet]").count() >= 1
    assert tab.locator("main h1", has_text="History of Working agreement").is_visible()


def test_the_wiki_works_with_javascript_off(browser, live_server, team):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("#id_username", "eddie")
    tab.fill("#id_password", "eddie-password-123")
    tab.click("button[type=submit]")
    tab.goto(f"{live_server.url}/s/team/working-agreement/")
    tab.click("text=Edit")
    tab.wait_for_url(re.compile(r"/edit/$"))
    tab.fill("textarea[name=body]", "Written without JavaScript.")
    tab.click("form[data-save-form] button[type=submit]")
    tab.wait_for_url(re.compile(r"/working-agreement/$"))
    assert tab.locator(".prose", has_text="Written without JavaScript.").is_visible()
    tab.goto(f"{live_server.url}/palette/?q=meet")
    tab.click("#palette-results a:has-text('Meetings')")
    tab.wait_for_url(re.compile(r"/s/team/meetings/$"))
    tab.goto(f"{live_server.url}/search/?q=written")
    assert tab.locator("#search-results [data-item]").count() == 1
    shot(tab, "no-javascript-search")
    context.close()
