"""The benchmark seeder writes exactly the rows the actions would, only faster."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from bench import corpus, seeding
from wikiapp import actions
from wikiapp.models import Membership, Page, Revision, Role, Space

PASSWORD = "bench-password-123"
# Small, but every kind, a tree, links between pages and more than one space.
SIZES = {"pages": 11, "revisions": 3, "spaces": 2, "history_revisions": 7}


class _Undo(Exception):
    pass


def _specs() -> list[corpus.PageSpec]:
    return list(corpus.page_specs(**SIZES))


def _save_through_actions() -> None:
    """The same corpus as seeding.seed writes, page by page through the actions."""
    spaces = seeding.create_spaces(SIZES["spaces"], password=PASSWORD)
    users = {user.username: user for user in get_user_model().objects.all()}
    pages: dict[int, Page] = {}
    for spec in _specs():
        first, *later = spec.revisions
        page = actions.create_page(
            space=spaces[spec.space],
            title=spec.title,
            kind=spec.kind,
            parent=pages.get(spec.parent),
            body=first.body,
            fields=first.fields,
            message=first.message,
            author=users[first.author],
            provenance=actions.Provenance(created_at=first.created_at),
        )
        for number, revision in enumerate(later, start=2):
            result = actions.save_revision(
                page=page,
                base_version=number - 1,
                title=spec.title,
                body=revision.body,
                fields=revision.fields,
                message=revision.message,
                author=users[revision.author],
                provenance=actions.Provenance(created_at=revision.created_at),
            )
            assert not result.unchanged and not result.merged
            page = result.page
        pages[spec.index] = page


def _snapshot() -> dict:
    """Every column of the bench pages and revisions, ids replaced by what they point at."""
    slugs = dict(Page.objects.values_list("id", "slug"))
    page_fields = [f.attname for f in Page._meta.concrete_fields]
    revision_fields = [f.attname for f in Revision._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text, title_vector::text FROM wikiapp_page ORDER BY id"
        )
        vectors = {row[0]: row[1:] for row in cursor.fetchall()}
    pages = {}
    for page in Page.objects.values(*page_fields):
        current = Revision.objects.get(pk=page["current_id"])
        assert current.page_id == page["id"]
        page.update(
            space_id=Space.objects.get(pk=page["space_id"]).slug,
            parent_id=slugs.get(page["parent_id"]),
            current_id=current.number,
            search_vector=vectors[page["id"]][0],
            title_vector=vectors[page["id"]][1],
        )
        pages[(page["space_id"], page.pop("slug"))] = page
        del page["id"]
    revisions = {}
    for revision in Revision.objects.values(*revision_fields, "author__username"):
        revision["page_id"] = slugs[revision["page_id"]]
        revision["author_id"] = revision.pop("author__username")
        del revision["id"]
        revisions[(revision["page_id"], revision["number"])] = revision
    return {"pages": pages, "revisions": revisions}


def _seeded_snapshot() -> tuple[seeding.Seeded, dict]:
    # Seed, look, and roll back, so the same spaces can then be made through the actions.
    found = {}
    try:
        with transaction.atomic():
            found["result"] = seeding.seed(password=PASSWORD, batch_size=4, **SIZES)
            found["snapshot"] = _snapshot()
            raise _Undo
    except _Undo:
        pass
    return found["result"], found["snapshot"]


@pytest.mark.django_db
def test_it_writes_the_rows_the_actions_write():
    result, seeded = _seeded_snapshot()
    assert not Page.objects.exists()
    _save_through_actions()
    saved = _snapshot()

    assert result == seeding.Seeded(spaces=2, pages=11, revisions=10 * 3 + 7)
    assert seeded["pages"].keys() == saved["pages"].keys()
    for key, page in saved["pages"].items():
        assert seeded["pages"][key] == page, key
    assert seeded["revisions"].keys() == saved["revisions"].keys()
    for key, revision in saved["revisions"].items():
        assert seeded["revisions"][key] == revision, key


@pytest.mark.django_db
def test_it_seeds_every_kind_a_tree_and_the_long_history_page():
    seeding.seed(password=PASSWORD, **SIZES)

    assert set(Page.objects.values_list("kind", flat=True)) == set(corpus.KINDS)
    assert Page.objects.filter(parent__isnull=False).exists()
    history = Page.objects.get(space__slug="bench-1", slug="bench-history")
    assert history.title == "Bench history"
    assert history.version == history.revisions.count() == 7
    assert Revision.objects.filter(html__contains='class="wikilink"').exists()
    assert Revision.objects.filter(html__contains='class="wikilink missing"').exists()
    sizes = [len(body.encode()) for body in Revision.objects.values_list("body", flat=True)]
    assert min(sizes) >= 3000 and max(sizes) <= 9000


@pytest.mark.django_db
def test_it_makes_bench_an_editor_of_every_space_with_the_known_password():
    seeding.seed(password=PASSWORD, **SIZES)

    bench = Membership.objects.filter(user__username="bench")
    assert sorted(bench.values_list("space__slug", "role")) == [
        ("bench-1", Role.EDITOR),
        ("bench-2", Role.EDITOR),
    ]
    assert bench.first().user.check_password(PASSWORD)
    assert not Membership.objects.filter(user__username="bench-outsider").exists()


def test_the_corpus_is_the_same_every_time():
    assert _specs() == _specs()
    sizes = {**SIZES, "pages": 40}
    assert [s.title for s in corpus.page_specs(**sizes)][:11] == [s.title for s in _specs()]
