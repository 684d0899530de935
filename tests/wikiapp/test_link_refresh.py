"""Links to pages that did not exist yet turn into real links once the page appears."""

import pytest

from wikiapp import actions
from wikiapp.models import Page, Revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def linking(space, people):
    return actions.create_page(
        space=space, title="Plan", body="Read [[Budget]] and [[Later]].", author=people.editor
    )


def shown(client, page) -> str:
    return client.get(f"/s/team/{page.slug}/").content.decode()


def test_creating_the_target_turns_a_missing_link_into_a_link(space, people, linking, client_as):
    client = client_as(people.reader)
    assert 'class="wikilink missing" href="/s/team/-/new/?title=Budget"' in shown(client, linking)
    etag = client.get(f"/s/team/{linking.slug}/")["ETag"]

    actions.create_page(space=space, title="budget", author=people.editor)

    html = shown(client, linking)
    assert '<a class="wikilink" href="/s/team/budget/"' in html
    assert "?title=Later" in html  # the other link is still missing
    assert client.get(f"/s/team/{linking.slug}/")["ETag"] != etag
    # The revision keeps what was rendered when it was saved.
    assert "?title=Budget" in Revision.objects.get(page=linking, number=1).html


def test_renaming_a_page_to_the_linked_title_does_the_same(space, people, linking, client_as):
    other = actions.create_page(space=space, title="Draft", author=people.editor)
    actions.rename_page(page=other, title="Later", base_version=1, author=people.editor)
    assert '<a class="wikilink" href="/s/team/later/"' in shown(client_as(people.reader), linking)


def test_a_new_revision_shows_its_own_html_again(space, people, linking):
    actions.create_page(space=space, title="Budget", author=people.editor)
    assert Page.objects.get(pk=linking.pk).html
    actions.save_revision(
        page=Page.objects.get(pk=linking.pk),
        base_version=1,
        title="Plan",
        body="Only [[Budget]] now.",
        author=people.editor,
    )
    page = Page.objects.get(pk=linking.pk)
    assert page.html == ""
    assert 'class="wikilink" href="/s/team/budget/"' in page.current.html


def test_pages_without_missing_links_are_not_rendered_again(space, people):
    plain = actions.create_page(space=space, title="Plain", body="No links.", author=people.editor)
    actions.create_page(space=space, title="Budget", author=people.editor)
    assert Page.objects.get(pk=plain.pk).html == ""
