"""The new-joiner path: reading order and per-reader read state."""

import pytest

from wikiapp import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def handbook(space, people):
    a = people.admin

    def make(title, kind, **fields):
        return actions.create_page(space=space, title=title, kind=kind, fields=fields, author=a)

    return {
        "agreement": make("Our agreement", "working_agreement"),
        "goal": make("Ship search", "goal", objective="x", status="on track"),
        "old_goal": make("Old goal", "goal", objective="x", status="done"),
        "dod": make("Story DoD", "definition_of_done", scope="stories"),
        "rejected": make("Use Mongo", "decision", date="2026-10-01", status="rejected"),
        "accepted": make("Use PostgreSQL", "decision", date="2026-01-01", status="accepted"),
        "runbook": make("Restart", "runbook", trigger="down"),
    }


def test_it_lists_the_path_in_reading_order(people, handbook, client_as):
    html = client_as(people.reader).get("/s/team/-/start/").content.decode()
    order = ["Our agreement", "Ship search", "Story DoD", "Use PostgreSQL", "Use Mongo", "Restart"]
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    assert "Old goal" not in html  # finished goals are not current
    assert "0 of 6 read" in html


def test_reading_a_page_counts_and_a_later_change_makes_it_unread(people, handbook, client_as):
    client = client_as(people.reader)
    agreement = handbook["agreement"]
    client.get(agreement.get_absolute_url())
    assert "1 of 6 read" in client.get("/s/team/-/start/").content.decode()
    actions.save_revision(
        page=agreement,
        base_version=1,
        title=agreement.title,
        body="New clause",
        author=people.admin,
    )
    html = client.get("/s/team/-/start/").content.decode()
    assert "0 of 6 read" in html
    assert "changed since you read it" in html


def test_read_state_is_per_reader(people, handbook, client_as):
    client_as(people.editor).get(handbook["runbook"].get_absolute_url())
    assert "0 of 6 read" in client_as(people.reader).get("/s/team/-/start/").content.decode()


def test_it_runs_a_fixed_number_of_queries(
    people, handbook, space, client_as, django_assert_max_num_queries
):
    for n in range(20):
        actions.create_page(space=space, title=f"ADR {n}", kind="decision", author=people.admin)
    client = client_as(people.reader)
    with django_assert_max_num_queries(5):
        assert client.get("/s/team/-/start/").status_code == 200
