"""Typed pages in the browser: a decision written from the keyboard."""

import re

import pytest

from tests.e2e.conftest import axe_violations, keys, log_in, press_tab_until, shot
from wikiapp.models import Page

pytestmark = pytest.mark.e2e


def test_an_editor_writes_a_decision_from_the_keyboard(tab, live_server, team):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    keys(tab, "g", "d")
    tab.wait_for_url(re.compile(r"/-/decisions/$"))
    keys(tab, "c")
    tab.wait_for_url(re.compile(r"/-/new/\?kind=decision$"))
    tab.locator("#id_title:focus").wait_for()
    tab.keyboard.type("Use PostgreSQL only")
    keys(tab, "Control+Enter")  # no date, no status yet
    tab.get_by_text("Date is required.").wait_for()
    assert tab.get_by_text("Status is required.").is_visible()
    assert tab.locator("#id_title").input_value() == "Use PostgreSQL only"
    shot(tab, "decision-form-errors")
    assert axe_violations(tab) == []

    press_tab_until(tab, "#id_date")
    tab.keyboard.type("11202026")  # the browser's date field, month/day/year in en-US
    press_tab_until(tab, "#id_status")
    tab.keyboard.type("acc")  # a select picks the option whose text is typed
    keys(tab, "Control+Enter")
    tab.wait_for_url(re.compile(r"/s/team/use-postgresql-only/$"))
    assert tab.locator(".fields", has_text="accepted").is_visible()
    shot(tab, "decision-page")
    page = Page.objects.get(slug="use-postgresql-only")
    assert page.kind == "decision" and page.fields["status"] == "accepted"
    assert [e for e in tab.console_errors if "(Bad Request)" not in e] == []
