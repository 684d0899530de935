"""An admin fixes a page's kind from the keyboard."""

import re

import pytest

from tests.e2e.conftest import axe_violations, keys, log_in, shot
from wikiapp import actions
from wikiapp.models import Page

pytestmark = pytest.mark.e2e


@pytest.fixture
def misfiled(team):
    """A runbook that was taken for a decision, as an import might do."""
    return actions.create_page(
        space=team["space"],
        title="Restore the database",
        body="1. Stop the app.\n2. Restore the dump.\n",
        kind="decision",
        fields={"date": "2026-01-15", "owner": "ada", "status": "accepted"},
        author=team["admin"],
    )


def test_an_admin_changes_a_pages_kind_from_the_palette(tab, live_server, misfiled):
    log_in(tab, live_server, "ada", "ada-password-123")
    tab.goto(f"{live_server.url}/s/team/restore-the-database/")
    assert tab.locator(".meta .kind").text_content() == "Decision"
    keys(tab, "Control+k")
    tab.keyboard.type("change kind")
    tab.locator("#palette-results [data-item].is-selected", has_text="Change kind of").wait_for()
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/restore-the-database/kind/$"))
    tab.locator("#id_kind:focus").wait_for()  # the first field has focus on opening
    shot(tab, "page-kind-form")
    assert axe_violations(tab) == []

    tab.keyboard.type("run")  # a select picks the option whose text is typed
    assert tab.locator("#id_kind").input_value() == "runbook"
    keys(tab, "Control+Enter")
    tab.wait_for_url(re.compile(r"/s/team/restore-the-database/$"))
    assert tab.locator(".meta .kind").text_content() == "Runbook"
    assert tab.get_by_text("Changed the kind of Restore the database to Runbook").is_visible()
    shot(tab, "page-kind-changed")
    page = Page.objects.get(pk=misfiled.pk)
    assert page.kind == "runbook" and page.fields == {"owner": "ada"}
    assert tab.console_errors == []


def test_esc_leaves_the_form_and_changes_nothing(tab, live_server, misfiled):
    log_in(tab, live_server, "ada", "ada-password-123")
    tab.goto(f"{live_server.url}/s/team/restore-the-database/kind/")
    tab.locator("#id_kind:focus").wait_for()
    keys(tab, "Escape")
    tab.wait_for_url(re.compile(r"/s/team/restore-the-database/$"))
    assert Page.objects.get(pk=misfiled.pk).kind == "decision"
    assert tab.console_errors == []
