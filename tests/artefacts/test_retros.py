"""Retrospectives by date, and their open action items across the space."""

import pytest
from django.core.exceptions import ValidationError

from artefacts import actions as artefact_actions
from wikiapp import actions
from wikiapp.models import Revision

pytestmark = pytest.mark.django_db


def hold_retro(space, author, title, date=None, items=(), **fields):
    if date:
        fields["date"] = date
    return actions.create_page(
        space=space,
        title=title,
        kind="retrospective",
        author=author,
        fields={"action_items": list(items), **fields},
    )


@pytest.fixture
def retro(space, people):
    return hold_retro(
        space,
        people.admin,
        "March retro",
        "2026-03-02",
        [
            {"action": "Fix flaky test", "owner": "eddie"},
            {"action": "Write runbook", "done": True, "owner": "ada"},
            {"action": "Book a room"},
        ],
        facilitator="ada",
    )


def revisions(page) -> int:
    return Revision.objects.filter(page=page).count()


def close(page, people, index, base_version=1):
    return artefact_actions.close_action_item(
        page=page, base_version=base_version, index=index, author=people.editor
    )


# The action


def test_it_closes_an_action_item_as_a_new_revision(people, retro):
    result = close(retro, people, 0)
    retro.refresh_from_db()
    assert retro.version == 2
    assert retro.fields["action_items"][0] == {
        "action": "Fix flaky test",
        "owner": "eddie",
        "done": True,
    }
    assert [bool(item["done"]) for item in retro.fields["action_items"]] == [
        True,
        True,
        False,
    ]
    assert result.revision.message == "Done: Fix flaky test"
    assert result.revision.author == people.editor


def test_it_refuses_an_item_already_done(people, retro):
    with pytest.raises(ValidationError, match="'Write runbook' is already done"):
        close(retro, people, 1)
    assert revisions(retro) == 1


@pytest.mark.parametrize("index", [3, -1, 99])
def test_it_refuses_an_index_the_retro_does_not_have(people, retro, index):
    with pytest.raises(ValidationError, match="has no action item"):
        close(retro, people, index)
    assert revisions(retro) == 1


def test_it_refuses_a_page_that_is_not_a_retrospective(people, page):
    with pytest.raises(ValidationError, match="Only a retrospective can be closed"):
        close(page, people, 0)
    assert revisions(page) == 1


def test_closing_the_same_item_twice_from_one_version_is_refused_the_second_time(people, retro):
    close(retro, people, 0)
    with pytest.raises(ValidationError, match="already done"):
        close(retro, people, 0, base_version=1)
    assert revisions(retro) == 2


def test_closing_another_item_from_a_stale_version_conflicts(people, retro):
    close(retro, people, 0)
    with pytest.raises(actions.EditConflict):
        close(retro, people, 2, base_version=1)
    assert revisions(retro) == 2


# The list


@pytest.fixture
def retros(space, people, retro):
    hold_retro(space, people.admin, "January retro", "2026-01-10", [{"action": "Old thing"}])
    hold_retro(space, people.admin, "Undated retro", None, [{"action": "Orphan", "done": "yes"}])
    return retro


def test_retros_are_listed_newest_first(people, retros, client_as):
    html = client_as(people.reader).get("/s/team/-/retros/").content.decode()
    listing = html.split('class="card-list retros"', 1)[1].split("</ol>", 1)[0]
    titles = [row.split("</a>", 1)[0].rsplit(">", 1)[1] for row in listing.split("<li")[1:]]
    assert titles == ["March retro", "January retro", "Undated retro"]
    assert "facilitated by ada" in listing
    assert "2 of 3 action items open" in listing


def test_open_action_items_are_gathered_across_retros(people, retros, client_as):
    html = client_as(people.reader).get("/s/team/-/retros/").content.decode()
    section = html.split('id="open-items"', 1)[1]
    rows = section.split("<tr data-item>")[1:]
    assert [row.split("<td>", 2)[1].split("</td>")[0] for row in rows] == [
        "Fix flaky test",
        "Book a room",
        "Old thing",
    ]
    assert "eddie" in rows[0] and ">March retro</a>" in rows[0]
    assert 'class="badge overdue">no owner' in rows[1]
    assert ">January retro</a>" in rows[2]
    assert "Write runbook" not in section and "Orphan" not in section
    assert "2 of them have no owner" in section


def test_editors_get_a_done_button_per_open_item_and_readers_do_not(people, retros, client_as):
    html = client_as(people.editor).get("/s/team/-/retros/").content.decode()
    assert html.count('<button type="submit">Done<span class="visually-hidden">') == 3
    assert f'action="/s/team/{retros.slug}/action-items/2/close/"' in html
    assert 'name="base_version" value="1"' in html
    reader_html = client_as(people.reader).get("/s/team/-/retros/").content.decode()
    assert "/close/" not in reader_html


def test_a_space_without_open_items_says_so(people, space, client_as):
    html = client_as(people.reader).get("/s/team/-/retros/").content.decode()
    assert "No retrospectives in Team yet." in html
    assert "No open action items." in html


def test_the_list_runs_a_fixed_number_of_queries(
    space, people, client_as, django_assert_max_num_queries
):
    for n in range(21):
        hold_retro(
            space,
            people.admin,
            f"Retro {n}",
            f"2025-02-{n + 1:02d}",
            [{"action": f"Act {n}", "owner": "ada"}, {"action": f"Else {n}", "done": True}],
        )
    client = client_as(people.editor)
    # session, user, the space with the editor's role, every retrospective
    with django_assert_max_num_queries(4):
        response = client.get("/s/team/-/retros/")
    assert response.content.decode().count("<tr data-item>") == 21


# Closing through the web


def test_the_done_button_closes_the_item_and_returns_to_the_list(people, retro, client_as):
    response = client_as(people.editor).post(
        f"/s/team/{retro.slug}/action-items/0/close/", {"base_version": 1}, follow=True
    )
    assert response.redirect_chain == [("/s/team/-/retros/", 302)]
    html = response.content.decode()
    assert "Done: Fix flaky test (from March retro)." in html
    assert "Fix flaky test</td>" not in html
    retro.refresh_from_db()
    assert retro.fields["action_items"][0]["done"] is True


def test_a_bad_index_is_explained_and_stores_nothing(people, retro, client_as):
    response = client_as(people.editor).post(
        f"/s/team/{retro.slug}/action-items/7/close/", {"base_version": 1}, follow=True
    )
    assert "has no action item 8 (it has 3)" in response.content.decode()
    assert revisions(retro) == 1


def test_a_stale_list_is_explained_and_stores_nothing(people, retro, client_as):
    close(retro, people, 0)
    response = client_as(people.editor).post(
        f"/s/team/{retro.slug}/action-items/2/close/", {"base_version": 1}, follow=True
    )
    assert "changed since the list was shown" in response.content.decode()
    assert revisions(retro) == 2


def test_a_missing_version_is_explained(people, retro, client_as):
    response = client_as(people.editor).post(
        f"/s/team/{retro.slug}/action-items/0/close/", {}, follow=True
    )
    assert "reload the list" in response.content.decode()
    assert revisions(retro) == 1


def test_readers_cannot_close_items_and_outsiders_do_not_see_them(people, retro, client_as):
    url = f"/s/team/{retro.slug}/action-items/0/close/"
    assert client_as(people.reader).post(url, {"base_version": 1}).status_code == 403
    assert client_as(people.outsider).post(url, {"base_version": 1}).status_code == 404
    assert client_as(people.outsider).get("/s/team/-/retros/").status_code == 404
    assert client_as(people.editor).get(url).status_code == 405
    assert revisions(retro) == 1


def test_the_retro_page_shows_its_action_items_with_their_state(people, retro, client_as):
    html = client_as(people.reader).get(f"/s/team/{retro.slug}/").content.decode()
    items = html.split('class="criteria action-items"', 1)[1].split("</ul>", 1)[0]
    assert items.count("<li>") == 3
    assert "☑</span> Write runbook" in items and "· done" in items
    assert "☐</span> Book a room" in items and "no owner" in items
    assert "<dt>Facilitator</dt><dd>ada</dd>" in html
