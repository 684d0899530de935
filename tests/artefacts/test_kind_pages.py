"""Typed pages through the web: create and edit with fields, errors, display, diff."""

import pytest

from wikiapp import actions
from wikiapp.models import Page

pytestmark = pytest.mark.django_db


def test_a_new_page_of_a_kind_starts_from_its_template(people, space, client_as):
    html = client_as(people.editor).get("/s/team/-/new/?kind=decision").content.decode()
    assert "New decision" in html
    assert "## Context" in html and "## Consequences" in html
    assert 'name="status"' in html and 'name="supersedes"' in html


def test_it_creates_a_decision_with_its_fields(people, space, client_as):
    response = client_as(people.editor).post(
        "/s/team/-/new/",
        {
            "kind": "decision",
            "title": "Use PostgreSQL",
            "body": "## Decision\nPostgreSQL only.",
            "date": "2026-11-20",
            "owner": "eddie",
            "status": "accepted",
        },
    )
    assert response.status_code == 302
    page = Page.objects.get(title="Use PostgreSQL")
    assert page.kind == "decision"
    assert page.fields == {"date": "2026-11-20", "owner": "eddie", "status": "accepted"}
    assert page.current.fields == page.fields


def test_bad_fields_get_messages_next_to_them_and_the_text_stays(people, space, client_as):
    response = client_as(people.editor).post(
        "/s/team/-/new/",
        {"kind": "decision", "title": "Pick a queue", "body": "My careful context", "date": "soon"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Date must be a date like" in html
    assert "Status is required." in html
    assert "My careful context" in html and 'value="soon"' in html
    assert not Page.objects.filter(title="Pick a queue").exists()


def test_editing_shows_and_saves_the_fields_as_a_new_revision(people, space, client_as):
    goal = actions.create_page(
        space=space,
        title="Faster pages",
        kind="goal",
        fields={
            "objective": "Sub-second",
            "status": "on track",
            "key_results": [{"measure": "p95 < 50 ms", "progress": 40}],
        },
        author=people.admin,
    )
    client = client_as(people.editor)
    form = client.get(f"/s/team/{goal.slug}/edit/").content.decode()
    assert "p95 &lt; 50 ms | 40" in form
    response = client.post(
        f"/s/team/{goal.slug}/edit/",
        {
            "title": "Faster pages",
            "body": "",
            "base_version": 1,
            "objective": "Sub-second",
            "status": "at risk",
            "key_results": "p95 < 50 ms | 60",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.version == 2
    assert goal.fields["status"] == "at risk"
    assert goal.fields["key_results"] == [{"measure": "p95 < 50 ms", "progress": 60}]
    assert goal.revisions.get(number=1).fields["status"] == "on track"


def test_the_page_shows_its_fields_and_the_diff_shows_their_changes(people, space, client_as):
    runbook = actions.create_page(
        space=space,
        title="Restart the API",
        kind="runbook",
        fields={"trigger": "API is down", "steps": [{"step": "Page on-call"}]},
        author=people.admin,
    )
    actions.save_revision(
        page=runbook,
        base_version=1,
        title=runbook.title,
        body="",
        fields={**runbook.fields, "last_exercised": "2026-11-01"},
        author=people.admin,
    )
    client = client_as(people.reader)
    page_html = client.get(f"/s/team/{runbook.slug}/").content.decode()
    assert "When to use it" in page_html and "API is down" in page_html
    assert "Page on-call" in page_html
    diff_html = client.get(f"/s/team/{runbook.slug}/diff/?from=1&to=2").content.decode()
    assert "Last exercised" in diff_html and "2026-11-01" in diff_html


def test_an_import_may_store_a_decision_without_its_required_fields(space, people):
    page = actions.create_page(space=space, title="Old ADR", kind="decision", author=None)
    assert page.fields == {}


def test_the_action_still_refuses_malformed_field_values(space, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.create_page(
            space=space, title="Bad", kind="goal", fields={"status": "great"}, author=people.admin
        )
    assert not Page.objects.filter(title="Bad").exists()


def test_the_list_of_a_kind_shows_its_pages(people, space, client_as):
    actions.create_page(space=space, title="Use PostgreSQL", kind="decision", author=people.admin)
    actions.create_page(space=space, title="A plain page", author=people.admin)
    html = client_as(people.reader).get("/s/team/-/decisions/").content.decode()
    assert "Use PostgreSQL" in html
    assert "A plain page" not in html
