"""The decision log, runbooks and retrospectives, used from the keyboard alone."""

import re

import pytest
from django.utils import timezone

from tests.e2e.conftest import axe_violations, keys, log_in, press_tab_until, shot
from wikiapp import actions
from wikiapp.models import Page

pytestmark = pytest.mark.e2e


# htmx pushes the new address before it swaps the page in, and wiki.js moves focus into
# the new page only once it has settled: Tab pressed before then would be undone.
SETTLED = """() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
    && document.activeElement && document.activeElement.matches('#main, [autofocus]')"""


def arrive(tab, url: str) -> None:
    """Wait until a boosted navigation to `url` has finished, focus included."""
    tab.wait_for_url(re.compile(url))
    tab.wait_for_function(SETTLED)


@pytest.fixture
def lists(team):
    space, admin = team["space"], team["admin"]
    actions.create_page(
        space=space,
        title="Weekly demos",
        kind="decision",
        author=admin,
        fields={"date": "2024-01-15", "status": "proposed", "owner": "eddie"},
    )
    actions.create_page(
        space=space,
        title="Use MySQL",
        kind="decision",
        author=admin,
        fields={"date": "2025-05-01", "status": "accepted", "owner": "ada"},
    )
    actions.create_page(
        space=space,
        title="Restore backups",
        kind="runbook",
        author=admin,
        fields={"trigger": "Data is lost", "owner": "ada", "steps": [{"step": "Find the dump"}]},
    )
    actions.create_page(
        space=space,
        title="Rotate keys",
        kind="runbook",
        author=admin,
        fields={"trigger": "Yearly", "steps": [{"step": "Rotate"}], "last_exercised": "2020-01-01"},
    )
    actions.create_page(
        space=space,
        title="March retro",
        kind="retrospective",
        author=admin,
        fields={
            "date": "2026-03-02",
            "facilitator": "ada",
            "action_items": [{"action": "Fix flaky test", "owner": "eddie"}, {"action": "Book"}],
        },
    )
    return team


def test_superseding_a_decision_from_the_log(tab, live_server, lists):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    keys(tab, "g", "d")
    arrive(tab, r"/s/team/-/decisions/$")
    assert axe_violations(tab) == []
    shot(tab, "decision-log")

    keys(tab, "j")  # the newest decision comes first
    tab.locator("[data-item].is-selected", has_text="Use MySQL").wait_for()
    keys(tab, "Enter")
    arrive(tab, r"/s/team/use-mysql/$")
    press_tab_until(tab, 'a[href="/s/team/use-mysql/supersede/"]')
    keys(tab, "Enter")
    arrive(tab, r"/use-mysql/supersede/$")
    assert tab.locator("#id_title:focus").count() == 1
    assert tab.locator("#id_date").input_value() == timezone.localdate().isoformat()
    tab.keyboard.type("Use PostgreSQL")
    keys(tab, "Control+Enter")

    arrive(tab, r"/s/team/use-postgresql/$")
    tab.get_by_text("Use PostgreSQL now supersedes Use MySQL.").wait_for()
    press_tab_until(tab, '.fields a[href="/s/team/use-mysql/"]')
    keys(tab, "Enter")
    arrive(tab, r"/s/team/use-mysql/$")
    superseded = tab.locator(".field-row", has_text="Superseded by")
    superseded.wait_for()
    assert superseded.locator('a[href="/s/team/use-postgresql/"]').is_visible()
    assert tab.locator('a[href$="/supersede/"]').count() == 0
    shot(tab, "decision-superseded")
    old = Page.objects.get(slug="use-mysql")
    assert old.fields["status"] == "superseded" and old.fields["superseded_by"] == "use-postgresql"

    # The filter swaps the list in place and keeps its address.
    keys(tab, "g", "d")
    arrive(tab, r"/-/decisions/$")
    press_tab_until(tab, "#filter-status")
    tab.keyboard.type("superseded")
    tab.wait_for_url(re.compile(r"/-/decisions/\?status=superseded&owner=$"))
    tab.get_by_text("1 of 3 decisions").wait_for()
    assert tab.locator("#decision-log [data-item]").count() == 1
    assert tab.console_errors == []


def test_marking_a_runbook_exercised(tab, live_server, lists):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    keys(tab, "g", "u")
    arrive(tab, r"/s/team/-/runbooks/$")
    assert tab.locator("tr.is-stale").count() == 2
    assert axe_violations(tab) == []
    shot(tab, "runbooks")

    press_tab_until(tab, 'a[href="/s/team/restore-backups/exercised/"]')
    keys(tab, "Enter")
    arrive(tab, r"/restore-backups/exercised/$")
    assert tab.locator("#id_note:focus").count() == 1  # the date is already today
    assert tab.locator("#id_on").input_value() == timezone.localdate().isoformat()
    tab.keyboard.type("Game day")
    keys(tab, "Control+Enter")

    arrive(tab, r"/s/team/-/runbooks/$")
    tab.get_by_text("Marked Restore backups exercised on").wait_for()
    row = tab.locator("tr[data-item]", has_text="Restore backups")
    assert "today" in row.inner_text()
    assert tab.locator("tr.is-stale").count() == 1
    runbook = Page.objects.get(slug="restore-backups")
    assert runbook.fields["last_exercised"] == timezone.localdate().isoformat()
    assert runbook.current.message == "Exercised: Game day"
    assert tab.console_errors == []


def test_closing_an_open_action_item(tab, live_server, lists):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    keys(tab, "g", "r")
    arrive(tab, r"/s/team/-/retros/$")
    assert tab.locator("#open-items tr[data-item]").count() == 2
    assert axe_violations(tab) == []
    shot(tab, "retros")

    press_tab_until(tab, "#open-items button")
    keys(tab, "Enter")
    tab.get_by_text("Done: Fix flaky test (from March retro).").wait_for()
    assert tab.locator("#open-items tr[data-item]").count() == 1
    assert tab.locator("#open-items", has_text="Fix flaky test").count() == 0
    shot(tab, "retros-item-closed")
    retro = Page.objects.get(slug="march-retro")
    assert retro.fields["action_items"][0]["done"] is True
    assert tab.console_errors == []
