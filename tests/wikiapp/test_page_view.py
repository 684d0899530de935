"""Reading a page: what it shows, how many queries it costs, and conditional GET."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wikiapp import actions
from wikiapp.models import PageRead

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6


def test_it_shows_the_page_with_breadcrumbs_children_and_attachments(
    space, people, page, client_as
):
    child = actions.create_page(space=space, title="Meetings", parent=page, author=people.editor)
    actions.create_page(space=space, title="Standups", parent=child, author=people.editor)
    actions.add_attachment(
        page=child, upload=SimpleUploadedFile("plan.txt", b"plan"), author=people.editor
    )
    response = client_as(people.reader).get(child.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/s/team/working-agreement/">Working agreement</a>' in html  # breadcrumb
    assert "Standups" in html  # child
    assert "plan.txt" in html  # attachment
    assert "by eddie" in html  # last change and author
    assert 'data-key="e"' not in html  # readers get no edit button


def test_it_runs_a_fixed_number_of_queries_whatever_the_history(
    space, people, page, client_as, django_assert_max_num_queries
):
    client = client_as(people.editor)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(page.get_absolute_url())
    for n in range(2, 30):
        page.refresh_from_db()
        actions.save_revision(
            page=page, base_version=n - 1, title=page.title, body=f"v{n}", author=people.editor
        )
    for n in range(12):
        actions.create_page(space=space, title=f"Child {n}", parent=page, author=people.editor)
        actions.add_attachment(
            page=page, upload=SimpleUploadedFile(f"f{n}.txt", b"x"), author=people.editor
        )
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assert b"Child 11" in response.content
    assert len(captured.captured_queries) <= MAX_QUERIES


def test_it_answers_a_conditional_get_with_304(people, page, client_as):
    client = client_as(people.reader)
    first = client.get(page.get_absolute_url())
    etag = first["ETag"]
    assert etag
    again = client.get(page.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_it_changes_the_etag_when_the_page_changes(people, page, client_as):
    client = client_as(people.reader)
    etag = client.get(page.get_absolute_url())["ETag"]
    actions.save_revision(
        page=page, base_version=1, title=page.title, body="new", author=people.editor
    )
    response = client.get(page.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_it_records_which_revision_the_reader_saw(people, page, client_as):
    client_as(people.reader).get(page.get_absolute_url())
    read = PageRead.objects.get(page=page, user=people.reader)
    assert read.revision_number == 1


def test_reading_the_same_version_again_writes_nothing(
    people, page, client_as, django_assert_num_queries
):
    client = client_as(people.reader)
    client.get(page.get_absolute_url())
    first = PageRead.objects.get(page=page, user=people.reader).read_at
    with django_assert_num_queries(MAX_QUERIES - 1):
        client.get(page.get_absolute_url())
    assert PageRead.objects.get(page=page, user=people.reader).read_at == first
    actions.save_revision(
        page=page, base_version=1, title=page.title, body="new", author=people.editor
    )
    client.get(page.get_absolute_url())
    assert PageRead.objects.get(page=page, user=people.reader).revision_number == 2


def test_it_redirects_the_old_address_after_a_rename(people, page, client_as):
    actions.rename_page(page=page, title="Team charter", base_version=1, author=people.editor)
    client = client_as(people.reader)
    response = client.get("/s/team/working-agreement/history/")
    assert response.status_code == 302
    assert response["Location"] == "/s/team/team-charter/history/"


def test_it_hides_the_page_from_outsiders(people, page, client_as):
    assert client_as(people.outsider).get(page.get_absolute_url()).status_code == 404
