"""A team member's core journey in a real browser, from the keyboard where a person would."""

import re

import pytest

from tests.e2e.conftest import log_in, shot
from wikiapp.models import Page

pytestmark = pytest.mark.e2e


def test_an_editor_reads_edits_compares_and_restores_a_page(tab, live_server, team):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    assert tab.get_by_role("link", name="Team", exact=True).is_visible()
    shot(tab, "home")

    tab.get_by_role("link", name="Team", exact=True).first.click()
    tab.wait_for_url(re.compile(r"/s/team/$"))
    shot(tab, "space-home")

    tab.get_by_role("link", name="Working agreement").click()
    tab.wait_for_url(re.compile(r"/s/team/working-agreement/$"))
    assert tab.locator("h2#h-how-we-work").is_visible()
    assert tab.get_by_role("link", name="Meetings").first.is_visible()
    shot(tab, "page")

    # e edits; the live preview follows the text; Ctrl+Enter saves.
    tab.keyboard.press("e")
    tab.wait_for_url(re.compile(r"/edit/$"))
    editor = tab.locator("textarea[name=body]")
    editor.focus()
    tab.keyboard.press("Control+End")
    tab.keyboard.type("\nWe also review on **Fridays**.\n")
    tab.locator("#preview strong", has_text="Fridays").wait_for()
    shot(tab, "edit-with-preview")
    tab.keyboard.press("Control+Enter")
    tab.wait_for_url(re.compile(r"/s/team/working-agreement/$"))
    assert tab.get_by_text("Saved version 2").is_visible()
    assert Page.objects.get(slug="working-agreement").version == 2

    # h opens the history; compare versions 1 and 2.
    tab.keyboard.press("h")
    tab.wait_for_url(re.compile(r"/history/$"))
    shot(tab, "history")
    tab.get_by_role("button", name="Compare selected versions").click()
    tab.wait_for_url(re.compile(r"/diff/\?"))
    assert tab.locator("table.diff-side tr.insert td.new", has_text="Fridays").is_visible()
    shot(tab, "diff-side-by-side")
    tab.get_by_role("link", name="One column").click()
    tab.wait_for_url(re.compile(r"mode=inline"))
    assert tab.locator("table.diff-inline").is_visible()

    # Restore version 1, confirming on the confirmation page.
    tab.goto(f"{live_server.url}/s/team/working-agreement/v/1/restore/")
    shot(tab, "restore-confirm")
    tab.locator("button:focus", has_text="Restore version 1").wait_for()
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/s/team/working-agreement/$"))
    assert tab.get_by_text("Restored version 1 as version 3").is_visible()
    page = Page.objects.get(slug="working-agreement")
    assert page.version == 3 and "Fridays" not in page.current.body

    assert tab.console_errors == []


def test_a_conflicting_edit_is_shown_side_by_side_with_the_text_kept(tab, live_server, team):
    from wikiapp import actions

    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/edit/")
    page = team["page"]
    actions.save_revision(
        page=page,
        base_version=1,
        title=page.title,
        body=page.current.body.replace("Mondays", "Tuesdays"),
        author=team["admin"],
    )
    editor = tab.locator("textarea[name=body]")
    editor.fill(editor.input_value().replace("Mondays", "Fridays"))
    editor.focus()
    tab.keyboard.press("Control+Enter")
    tab.get_by_role(
        "heading", name="Someone else changed this page while you were editing"
    ).wait_for()
    assert "Fridays" in tab.locator("textarea[name=body]").input_value()
    assert tab.locator(".conflict table.diff-side").is_visible()
    shot(tab, "edit-conflict")
    # The refused save answers 409 Conflict on purpose; Chromium logs every 4xx response.
    assert [e for e in tab.console_errors if "409 (Conflict)" not in e] == []


def test_pages_render_on_a_phone_sized_screen(browser, live_server, team):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/")
    width = tab.evaluate("document.documentElement.scrollWidth")
    shot(tab, "page-phone")
    context.close()
    assert width <= 390
