"""What PostgreSQL itself refuses, whatever the code does."""

import pytest
from django.db import IntegrityError, InternalError, transaction

from wikiapp.models import Page, Revision

pytestmark = pytest.mark.django_db


def test_it_refuses_to_update_a_revision(page):
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Revision.objects.filter(page=page).update(body="rewritten history")
    assert Revision.objects.get(page=page).body.startswith("# How we work")


def test_it_refuses_to_delete_a_revision(page):
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Revision.objects.filter(page=page).delete()
    assert Revision.objects.filter(page=page).count() == 1


def test_it_refuses_a_duplicate_revision_number(page, people):
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.create(page=page, number=1, title="dup", author=people.admin)


def test_it_refuses_a_current_revision_of_another_page(page, space, people):
    from wikiapp import actions

    other = actions.create_page(space=space, title="Other", author=people.admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.filter(pk=page.pk).update(current=other.current)


def test_it_refuses_a_version_that_is_not_the_current_number(page):
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.filter(pk=page.pk).update(version=5)


def test_it_refuses_a_duplicate_slug_in_a_space(page, space):
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(space=space, slug=page.slug, title="Clash")
