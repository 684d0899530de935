"""What is built by hand for speed (the page lookup, page paths) equals what Django builds."""

import pytest
from django.db.models import F

from wikiapp import actions
from wikiapp.models import Page
from wikiapp.selectors import page_with_role

pytestmark = pytest.mark.django_db


def _concrete(instance) -> dict:
    return {
        f.attname: getattr(instance, f.attname)
        for f in type(instance)._meta.concrete_fields
        if f.name not in {"search_vector", "title_vector"}
    }


def test_it_builds_the_page_space_revision_and_author_as_the_orm_does(people, space):
    page = actions.create_page(
        space=space,
        title="Goals",
        kind="goal",
        body="Ship it.",
        fields={"objective": "Ship", "owner": "ada", "status": "on track"},
        author=people.editor,
    )
    found = page_with_role(people.reader, "team", page.slug)
    expected = (
        Page.objects.select_related("space", "current", "current__author")
        .filter(pk=page.pk, space__memberships__user=people.reader)
        .annotate(role=F("space__memberships__role"))
        .get()
    )
    assert _concrete(found) == _concrete(expected)
    assert found.fields == {"objective": "Ship", "owner": "ada", "status": "on track"}
    assert _concrete(found.space) == _concrete(expected.space)
    assert _concrete(found.current) == _concrete(expected.current)
    assert found.current.author.get_username() == "eddie"
    assert (found.role, found.read_version) == ("reader", None)


def test_it_reports_the_version_last_read(people, page):
    actions.mark_read(page=page, user=people.reader)
    assert page_with_role(people.reader, "team", page.slug).read_version == page.version


def test_it_gives_outsiders_no_role_and_staff_admin(people, page, django_user_model):
    assert page_with_role(people.outsider, "team", page.slug).role is None
    boss = django_user_model.objects.create_superuser("boss", password="boss-password-123")
    assert page_with_role(boss, "team", page.slug).role == "admin"


def test_it_finds_nothing_for_an_unknown_page_or_a_page_of_another_space(people, page):
    other = actions.create_space(slug="other", name="Other", created_by=people.admin)
    assert page_with_role(people.admin, "team", "no-such-page") is None
    assert page_with_role(people.admin, other.slug, page.slug) is None


@pytest.mark.parametrize("slug", ["plain-page", "ünïcode_seite", "日本語"])
def test_a_joined_page_path_is_the_reversed_url(slug):
    from django.urls import reverse

    from wikiapp.models import Space

    space = Space(slug="team-ö", name="Team")
    assert space.page_path(slug) == reverse("wiki:page", args=[space.slug, slug])
