"""Editing through the web form: saves, merges, conflicts and bad input."""

import pytest

from wikiapp import actions
from wikiapp.models import Revision

pytestmark = pytest.mark.django_db


def edit_url(page):
    return f"/s/team/{page.slug}/edit/"


def post(client, page, body, base, title="Working agreement"):
    return client.post(
        edit_url(page), {"title": title, "body": body, "base_version": base, "message": ""}
    )


def test_it_shows_the_current_text_and_version_in_the_form(people, page, client_as):
    response = client_as(people.editor).get(edit_url(page))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="base_version" value="1"' in html
    assert "We meet on Mondays." in html


def test_it_saves_and_redirects_to_the_page(people, page, client_as):
    response = post(client_as(people.editor), page, "New text", 1)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.version == 2 and page.current.body == "New text"


def test_it_tells_the_user_when_their_edit_was_merged(people, page, client_as):
    body = page.current.body
    actions.save_revision(
        page=page,
        base_version=1,
        title=page.title,
        body=body.replace("Mondays", "Tuesdays"),
        author=people.admin,
    )
    client = client_as(people.editor)
    response = post(client, page, body.replace("every change", "each change"), 1)
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert b"merged into version 3" in followed.content
    page.refresh_from_db()
    assert "Tuesdays" in page.current.body and "each change" in page.current.body


def test_it_shows_a_conflict_side_by_side_and_keeps_the_users_text(people, page, client_as):
    body = page.current.body
    actions.save_revision(
        page=page,
        base_version=1,
        title=page.title,
        body=body.replace("Mondays", "Tuesdays"),
        author=people.admin,
    )
    response = post(client_as(people.editor), page, body.replace("Mondays", "Fridays"), 1)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this page" in html
    assert "diff-side" in html  # the side-by-side comparison
    assert "Fridays" in html and "Tuesdays" in html
    # The user's text stays in the editor, and the base moves to the version they now see.
    assert "We meet on Fridays." in html.split('name="body"', 1)[1]
    assert 'name="base_version" value="2"' in html
    assert Revision.objects.filter(page=page).count() == 2


def test_it_keeps_the_text_when_the_title_is_too_long(people, page, client_as):
    response = post(client_as(people.editor), page, "My careful text", 1, title="x" * 201)
    assert response.status_code == 400
    assert b"My careful text" in response.content
    assert Revision.objects.filter(page=page).count() == 1


def test_it_refuses_a_nul_byte_with_a_message(people, page, client_as):
    response = post(client_as(people.editor), page, "bad \x00 text", 1)
    assert response.status_code == 400
    assert b"Null characters are not allowed" in response.content
    assert Revision.objects.filter(page=page).count() == 1


def test_it_refuses_invalid_utf8(people, page, client_as):
    client = client_as(people.editor)
    response = client.post(
        edit_url(page),
        data=b"title=x&base_version=1&body=%ff%fe",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert b"not valid UTF-8" in response.content
    assert Revision.objects.filter(page=page).count() == 1


def test_it_forbids_readers_to_edit(people, page, client_as):
    client = client_as(people.reader)
    assert client.get(edit_url(page)).status_code == 403
    assert post(client, page, "x", 1).status_code == 403


def test_it_previews_markdown_as_a_fragment(people, page, client_as):
    response = client_as(people.editor).post(
        "/s/team/-/preview/", {"body": "**bold** [[Working agreement]]"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.content
    assert b"<html" not in response.content


def test_it_creates_a_page_under_a_parent(people, page, client_as):
    response = client_as(people.editor).post(
        "/s/team/-/new/", {"title": "Meetings", "body": "Weekly.", "parent": page.slug}
    )
    assert response.status_code == 302
    child = page.children.get()
    assert child.title == "Meetings" and child.current.author == people.editor


def test_it_sends_a_create_link_for_an_existing_title_to_that_page(people, page, client_as):
    response = client_as(people.editor).get("/s/team/-/new/?title=working%20agreement")
    assert response.status_code == 302
    assert response["Location"] == page.get_absolute_url()
