"""The command palette fragment: pages by title, actions, permissions, query count."""

import pytest

from wikiapp import actions

pytestmark = pytest.mark.django_db


def palette(client, q, origin="/", htmx=True):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.get("/palette/", {"q": q, "from": origin}, **extra)


def test_it_finds_pages_by_title_prefix_as_an_htmx_fragment(people, page, client_as):
    response = palette(client_as(people.reader), "work agr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'href="/s/team/working-agreement/"' in html


def test_it_renders_a_whole_page_without_htmx(people, page, client_as):
    response = palette(client_as(people.reader), "working", htmx=False)
    assert b"<html" in response.content
    assert b"/s/team/working-agreement/" in response.content


def test_it_never_shows_pages_of_other_spaces(people, page, client_as):
    secret = actions.create_space(slug="secret", name="Secret", created_by=people.outsider)
    actions.create_page(space=secret, title="Working secrets", author=people.outsider)
    html = palette(client_as(people.reader), "working").content.decode()
    assert "Working agreement" in html
    assert "Working secrets" not in html
    assert "Go to space Secret" not in html


def test_it_offers_actions_for_the_page_it_was_opened_on(people, page, client_as):
    html = palette(client_as(people.editor), "", origin=page.get_absolute_url()).content.decode()
    assert "Edit Working agreement" in html
    assert "History of Working agreement" in html
    assert "New page in Team" in html


def test_it_offers_readers_no_edit_actions(people, page, client_as):
    html = palette(client_as(people.reader), "", origin=page.get_absolute_url()).content.decode()
    assert "History of Working agreement" in html
    assert "Edit Working agreement" not in html
    assert "New page in Team" not in html


def test_it_ignores_an_origin_the_user_cannot_see(people, page, client_as):
    html = palette(client_as(people.outsider), "", origin=page.get_absolute_url()).content.decode()
    assert "Working agreement" not in html


def test_it_filters_actions_by_the_words_typed(people, page, client_as):
    html = palette(
        client_as(people.editor), "hist", origin=page.get_absolute_url()
    ).content.decode()
    assert "History of Working agreement" in html
    assert "Edit Working agreement" not in html


def test_it_runs_a_fixed_number_of_queries(
    space, people, page, client_as, django_assert_max_num_queries
):
    for n in range(40):
        actions.create_page(space=space, title=f"Working note {n}", author=people.editor)
    client = client_as(people.editor)
    with django_assert_max_num_queries(5):
        response = palette(client, "working", origin=page.get_absolute_url())
    assert response.content.count(b"data-item") >= 10
