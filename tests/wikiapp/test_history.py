"""History, old versions, diffs and restore through the web."""

import pytest
from django.urls import reverse

from wikiapp import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(page, people):
    for n, body in enumerate(["We meet on Tuesdays.\n", "We meet on Tuesdays at ten.\n"], start=1):
        page.refresh_from_db()
        actions.save_revision(
            page=page,
            base_version=n,
            title=page.title,
            body=body,
            author=people.editor,
            message=f"edit {n}",
        )
    page.refresh_from_db()
    return page


def test_it_lists_every_version_newest_first(edited, people, client_as):
    html = client_as(people.reader).get(f"/s/team/{edited.slug}/history/").content.decode()
    assert html.index(">v3<") < html.index(">v2<") < html.index(">v1<")
    assert "edit 2" in html and "eddie" in html


def test_the_joined_row_links_are_the_reversed_urls(edited, people, client_as):
    html = client_as(people.editor).get(f"/s/team/{edited.slug}/history/").content.decode()
    args = ["team", edited.slug]
    diff = reverse("wiki:diff", args=args)
    for expected in (
        reverse("wiki:revision", args=[*args, 2]),
        f"{diff}?from=1&amp;to=2",
        reverse("wiki:restore", args=[*args, 1]),
    ):
        assert f'href="{expected}"' in html


def test_it_runs_a_fixed_number_of_queries_for_a_long_history(
    edited, people, client_as, django_assert_max_num_queries
):
    for n in range(3, 80):
        actions.save_revision(
            page=edited, base_version=n, title=edited.title, body=f"v{n}", author=people.editor
        )
    client = client_as(people.reader)
    with django_assert_max_num_queries(6):
        response = client.get(f"/s/team/{edited.slug}/history/")
    assert response.status_code == 200


def test_it_serves_the_history_rows_as_an_htmx_fragment(edited, people, client_as):
    response = client_as(people.reader).get(
        f"/s/team/{edited.slug}/history/", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'id="history-rows"' in html
    assert "<html" not in html


def test_it_diffs_two_versions_side_by_side_with_changed_words(edited, people, client_as):
    html = client_as(people.reader).get(f"/s/team/{edited.slug}/diff/?from=2&to=3").content.decode()
    assert "diff-side" in html
    assert "<ins>" in html and "ten" in html


def test_it_diffs_inline_on_request(edited, people, client_as):
    html = (
        client_as(people.reader)
        .get(f"/s/team/{edited.slug}/diff/?from=1&to=3&mode=inline")
        .content.decode()
    )
    assert "diff-inline" in html
    assert "Mondays" in html and "Tuesdays" in html


def test_it_answers_404_for_a_version_that_does_not_exist(edited, people, client_as):
    client = client_as(people.reader)
    assert client.get(f"/s/team/{edited.slug}/v/99/").status_code == 404
    assert client.get(f"/s/team/{edited.slug}/diff/?from=1&to=99").status_code == 404


def test_it_shows_an_old_version(edited, people, client_as):
    html = client_as(people.reader).get(f"/s/team/{edited.slug}/v/1/").content.decode()
    assert "You are reading version 1 of 3" in html
    assert "We meet on Mondays." in html


def test_it_asks_before_restoring_and_restores_as_a_new_version(edited, people, client_as):
    client = client_as(people.editor)
    confirm = client.get(f"/s/team/{edited.slug}/v/1/restore/")
    assert b"Restore version 1" in confirm.content
    response = client.post(f"/s/team/{edited.slug}/v/1/restore/", {"base_version": 3})
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.version == 4
    assert "Mondays" in edited.current.body
    assert edited.revisions.count() == 4


def test_it_refuses_a_restore_confirmed_against_an_old_version(edited, people, client_as):
    response = client_as(people.editor).post(
        f"/s/team/{edited.slug}/v/1/restore/", {"base_version": 2}
    )
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.version == 3


def test_it_lists_a_new_version_at_once_and_offers_restore_only_to_editors(
    edited, people, client_as
):
    reader, editor = client_as(people.reader), client_as(people.editor)
    url = f"/s/team/{edited.slug}/history/"
    assert "restore</a>" not in reader.get(url).content.decode()
    assert "restore</a>" in editor.get(url).content.decode()
    actions.save_revision(
        page=edited, base_version=3, title=edited.title, body="Fridays.\n", author=people.admin
    )
    html = reader.get(url).content.decode()
    assert '>v4</a> <span class="tag">current</span>' in html
    assert '>v3</a> <span class="tag">current</span>' not in html
