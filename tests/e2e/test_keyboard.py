"""Keyboard-first journeys in real Chromium: after logging in, only the keyboard is used."""

import re

import pytest

from tests.e2e.conftest import axe_violations, keys, log_in, press_tab_until, shot
from wikiapp import actions
from wikiapp.models import Page

pytestmark = pytest.mark.e2e


@pytest.fixture
def wiki(team):
    page = team["page"]
    for n, extra in enumerate(["We also review on Fridays.", "Reviews take ten minutes."], start=1):
        page.refresh_from_db()
        actions.save_revision(
            page=page,
            base_version=n,
            title=page.title,
            body=page.current.body + f"\n{extra}\n",
            author=team["admin"],
        )
    actions.create_page(
        space=team["space"],
        title="Deploy runbook",
        body="Steps to deploy on a Friday afternoon.",
        kind="runbook",
        author=team["admin"],
    )
    return team


def test_the_palette_jumps_to_a_page(tab, live_server, wiki):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    keys(tab, "Control+k")
    assert tab.locator("#palette").is_visible()
    tab.keyboard.type("meet")
    tab.locator("#palette-results [data-item].is-selected", has_text="Meetings").wait_for()
    shot(tab, "palette")
    assert axe_violations(tab) == []
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/s/team/meetings/$"))
    assert tab.locator("h1", has_text="Meetings").is_visible()
    assert tab.console_errors == []


def test_the_palette_offers_actions_and_moves_with_arrows(tab, live_server, wiki):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/")
    keys(tab, "Control+k")
    tab.keyboard.type("history")
    tab.locator("#palette-results [data-item].is-selected", has_text="History of").wait_for()
    keys(tab, "ArrowDown", "ArrowUp", "Enter")
    tab.wait_for_url(re.compile(r"/working-agreement/history/$"))
    keys(tab, "Control+k", "Escape")
    assert not tab.locator("#palette").is_visible()
    assert tab.console_errors == []


def test_g_sequences_go_to_the_right_places(tab, live_server, wiki):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/")
    for sequence, url in [
        (("g", "s"), r"/s/team/$"),
        (("g", "u"), r"/s/team/-/runbooks/$"),
        (("g", "m"), r"/s/team/-/members/$"),
        (("g", "a"), r"/s/team/-/agreement/$"),
        (("g", "p"), r"/$"),
    ]:
        keys(tab, *sequence)
        tab.wait_for_url(re.compile(url))
    assert tab.console_errors == []


def test_j_k_and_enter_walk_the_page_tree(tab, live_server, wiki):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    keys(tab, "j", "j", "k")
    selected = tab.locator("[data-item].is-selected")
    assert selected.count() == 1
    first = selected.inner_text()
    shot(tab, "space-tree-selected")
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/s/team/[-\w]+/$"))
    assert first.split("\n")[0].strip() in tab.locator("main h1").inner_text()


def test_edit_save_history_diff_and_restore_from_the_keyboard(tab, live_server, wiki):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/")
    keys(tab, "e")
    tab.wait_for_url(re.compile(r"/edit/$"))
    tab.locator("textarea[name=body]:focus").wait_for()  # the editor has focus on opening
    keys(tab, "Control+End")
    tab.keyboard.type("\nKeyboard line.\n")
    keys(tab, "Control+Enter")
    tab.wait_for_url(re.compile(r"/working-agreement/$"))
    assert Page.objects.get(slug="working-agreement").version == 4

    keys(tab, "h")
    tab.wait_for_url(re.compile(r"/history/$"))
    # Pick "from" = version 1: Tab to the "from" radios, then arrows within the group.
    press_tab_until(tab, "input[name=from]")
    keys(tab, "ArrowDown", "ArrowDown")
    assert tab.locator("input[name=from]:checked").get_attribute("value") == "1"
    press_tab_until(tab, "button[data-compare]")
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/diff/\?.*from=1"))
    assert tab.locator("table.diff-side tr.insert", has_text="Keyboard line.").count() == 1
    shot(tab, "diff-from-keyboard")
    assert axe_violations(tab) == []

    keys(tab, "h")
    tab.wait_for_url(re.compile(r"/history/$"))
    press_tab_until(tab, "a[href$='/v/1/restore/']")
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/v/1/restore/$"))
    tab.locator("button:focus", has_text="Restore version 1").wait_for()  # focus lands here
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/working-agreement/$"))
    page = Page.objects.get(slug="working-agreement")
    assert page.version == 5 and "Keyboard line." not in page.current.body
    assert tab.console_errors == []


def test_search_from_slash_then_j_and_enter(tab, live_server, wiki):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    keys(tab, "/")
    tab.keyboard.type("friday")
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/search/\?q=friday"))
    results = tab.locator("#search-results [data-item]")
    results.first.wait_for()
    assert results.count() == 2
    shot(tab, "search")
    assert axe_violations(tab) == []
    keys(tab, "Escape")  # leave the search box, so letters are commands again
    keys(tab, "j")
    assert tab.locator("#search-results [data-item].is-selected").count() == 1
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/s/team/[-\w]+/$"))
    assert tab.console_errors == []


def test_question_mark_lists_every_key_the_handlers_know(tab, live_server, wiki):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    keys(tab, "?")
    dialog = tab.locator("#keys-help")
    assert dialog.is_visible()
    shown = dialog.locator(".key-row").evaluate_all("rows => rows.map(r => r.dataset.keys)")
    registry = tab.evaluate("window.WikiKeys.registry.map(k => k.keys)")
    assert shown == registry
    for expected in [
        "/",
        "Ctrl+K",
        "g a",
        "g h" if "g h" in registry else "g d",
        "j",
        "k",
        "e",
        "h",
        "c",
        "Ctrl+Enter",
        "Esc",
        "?",
    ]:
        assert expected in shown
    shot(tab, "keys-help")
    assert axe_violations(tab) == []
    keys(tab, "Escape")
    assert not dialog.is_visible()


def test_letters_typed_in_a_field_are_text_not_commands(tab, live_server, wiki):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/edit/")
    tab.locator("textarea[name=body]:focus").wait_for()
    tab.keyboard.type("ehgj?")
    assert tab.url.endswith("/edit/")
    assert "ehgj?" in tab.locator("textarea[name=body]").input_value()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/s/team/",
        "/s/team/working-agreement/",
        "/s/team/working-agreement/edit/",
        "/s/team/working-agreement/history/",
        "/s/team/-/members/",
    ],
)
def test_main_screens_have_no_serious_accessibility_violations(tab, live_server, wiki, path):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(live_server.url + path)
    assert axe_violations(tab) == []
    assert tab.console_errors == []
