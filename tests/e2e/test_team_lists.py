"""Agreement, goals, backlog and definition of done, used from the keyboard."""

import re

import pytest

from artefacts.models import Acknowledgement
from tests.e2e.conftest import axe_violations, keys, log_in, press_tab_until, shot
from wikiapp import actions
from wikiapp.models import Page

pytestmark = pytest.mark.e2e


@pytest.fixture
def system(team):
    space, admin = team["space"], team["admin"]
    actions.create_page(
        space=space,
        title="Team agreement",
        kind="working_agreement",
        author=admin,
        fields={"owner": "ada", "review_by": "2031-01-01", "clauses": [{"clause": "Be kind"}]},
    )
    actions.create_page(
        space=space,
        title="Faster pages",
        kind="goal",
        author=admin,
        fields={
            "objective": "Sub-second",
            "status": "at risk",
            "owner": "ada",
            "key_results": [{"measure": "p95 < 50 ms", "progress": 40}],
        },
    )
    actions.create_page(
        space=space,
        title="Backlog",
        kind="backlog",
        author=admin,
        fields={"items": [{"title": "Alpha"}, {"title": "Beta"}, {"title": "Gamma"}]},
    )
    actions.create_page(
        space=space,
        title="Story DoD",
        kind="definition_of_done",
        author=admin,
        fields={"scope": "Every story", "criteria": [{"criterion": "Reviewed"}]},
    )
    return team


def test_acknowledging_the_agreement_from_the_keyboard(tab, live_server, system):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    keys(tab, "g", "a")
    tab.wait_for_url(re.compile(r"/-/agreement/$"))
    assert axe_violations(tab) == []
    press_tab_until(tab, ".ack-status button")
    keys(tab, "Enter")
    tab.get_by_text("You have acknowledged this version.").wait_for()
    shot(tab, "agreement")
    assert Acknowledgement.objects.filter(user=system["editor"]).count() == 1
    assert tab.console_errors == []


def test_the_goals_board_and_definition_of_done(tab, live_server, system):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    keys(tab, "g", "g")
    tab.wait_for_url(re.compile(r"/-/goals/$"))
    assert tab.locator(".board-column", has_text="At risk").locator("progress").count() == 1
    shot(tab, "goals-board")
    assert axe_violations(tab) == []
    keys(tab, "g", "o")
    tab.wait_for_url(re.compile(r"/-/done/$"))
    assert tab.get_by_text("Every story").is_visible()
    assert axe_violations(tab) == []


def test_reordering_the_backlog_with_alt_and_arrows(tab, live_server, system):
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    keys(tab, "g", "b")
    tab.wait_for_url(re.compile(r"/-/backlog/$"))
    assert axe_violations(tab) == []
    keys(tab, "j", "j")  # select Beta
    assert "Beta" in tab.locator("[data-item].is-selected").inner_text()
    for press, row in [("Alt+ArrowDown", 2), ("Alt+ArrowUp", 1), ("Alt+ArrowUp", 0)]:
        keys(tab, press)
        # The moved item stays selected in the reloaded list, ready for the next press.
        tab.locator(f"#item-backlog-{row}.is-selected", has_text="Beta").wait_for()
    shot(tab, "backlog")
    backlog = Page.objects.get(kind="backlog")
    assert [i["title"] for i in backlog.fields["items"]] == ["Beta", "Alpha", "Gamma"]
    assert backlog.version == 4
    assert tab.console_errors == []
