"""The health page and the new-joiner path on the demo Handbook, from the keyboard."""

import re

import pytest

from artefacts.demo import create_handbook
from tests.e2e.conftest import axe_violations, keys, log_in, shot
from wikiapp import actions
from wikiapp.models import Role

pytestmark = pytest.mark.e2e


@pytest.fixture
def handbook(team):
    space = create_handbook(admin=team["admin"])
    actions.set_role(space=space, user=team["editor"], role=Role.EDITOR, acting_user=team["admin"])
    return space


def test_health_findings_lead_to_the_page_that_fixes_them(tab, live_server, handbook):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/handbook/")
    keys(tab, "g", "h")
    tab.wait_for_url(re.compile(r"/s/handbook/-/health/$"))
    assert tab.get_by_role("heading", name="7 of 7 artefacts: a system").is_visible()
    findings = tab.locator(".findings [data-item]")
    assert findings.count() >= 7
    assert tab.get_by_text("Runbook Rotate secrets has never been exercised.").is_visible()
    shot(tab, "health")
    assert axe_violations(tab) == []
    keys(tab, "j")
    first = tab.locator(".findings [data-item].is-selected").inner_text()
    assert "Working agreement" in first
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/s/handbook/working-agreement/edit/$"))
    assert tab.console_errors == []


def test_the_joiner_path_counts_what_this_reader_has_read(tab, live_server, handbook):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/handbook/")
    keys(tab, "g", "j")
    tab.wait_for_url(re.compile(r"/s/handbook/-/start/$"))
    total = re.search(r"0 of (\d+) read", tab.locator(".lead").inner_text()).group(1)
    assert axe_violations(tab) == []
    keys(tab, "j", "Enter")  # the first step: the working agreement
    tab.wait_for_url(re.compile(r"/s/handbook/working-agreement/$"))
    keys(tab, "g", "j")
    tab.wait_for_url(re.compile(r"/s/handbook/-/start/$"))
    tab.get_by_text(f"1 of {total} read").wait_for()
    shot(tab, "joiner-path")
    assert tab.console_errors == []
