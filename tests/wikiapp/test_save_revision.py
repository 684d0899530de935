"""The one action that saves a page: versions, merges, conflicts, bad input."""

import pytest
from django.core.exceptions import ValidationError

from wikiapp import actions
from wikiapp.models import Page, Revision

pytestmark = pytest.mark.django_db

BODY = "# How we work\n\nWe meet on Mondays.\n\nWe review every change.\n"


def save(page, base, body, user, title=None, **extra):
    page.refresh_from_db()
    return actions.save_revision(
        page=page, base_version=base, title=title or page.title, body=body, author=user, **extra
    )


def test_it_creates_a_page_with_revision_one(page, people):
    assert page.version == 1
    assert page.current.number == 1
    assert page.current.author == people.admin
    assert page.slug == "working-agreement"
    assert '<h2 id="h-how-we-work">How we work</h2>' in page.current.html


def test_it_appends_a_numbered_revision_and_keeps_the_old_one(page, people):
    result = save(page, 1, BODY + "\nNew line.\n", people.editor, message="add a line")
    assert (result.revision.number, result.merged, result.unchanged) == (2, False, False)
    page.refresh_from_db()
    assert page.version == 2 and page.current == result.revision
    assert list(page.revisions.values_list("number", flat=True)) == [1, 2]
    assert page.revisions.get(number=1).body == BODY
    assert result.revision.message == "add a line"


def test_it_stores_nothing_when_nothing_changed(page, people):
    result = save(page, 1, BODY, people.editor)
    assert result.unchanged
    assert Revision.objects.filter(page=page).count() == 1


def test_it_merges_edits_that_do_not_overlap(page, people):
    save(page, 1, BODY.replace("Mondays", "Tuesdays"), people.editor)
    result = save(page, 1, BODY.replace("every change", "every pull request"), people.admin)
    assert result.merged
    assert result.revision.number == 3
    assert "Tuesdays" in result.revision.body
    assert "every pull request" in result.revision.body


def test_it_refuses_overlapping_edits_with_a_conflict(page, people):
    save(page, 1, BODY.replace("Mondays", "Tuesdays"), people.editor)
    with pytest.raises(actions.EditConflict) as caught:
        save(page, 1, BODY.replace("Mondays", "Fridays"), people.admin)
    conflict = caught.value
    assert conflict.base.number == 1
    assert conflict.current.number == 2
    assert conflict.outcome.conflicts == ["body"]
    page.refresh_from_db()
    assert page.version == 2
    assert "Tuesdays" in page.current.body


def test_it_refuses_two_different_new_titles(page, people):
    save(page, 1, BODY, people.editor, title="Team agreement")
    with pytest.raises(actions.EditConflict) as caught:
        save(page, 1, BODY, people.admin, title="Our agreement")
    assert caught.value.outcome.conflicts == ["title"]


def test_it_merges_structured_fields_key_by_key(page, people):
    save(page, 1, BODY, people.editor, fields={"owner": "eddie"})
    result = save(page, 1, BODY + "more\n", people.admin, fields={"review_by": "2027-01-01"})
    assert result.revision.fields == {"owner": "eddie", "review_by": "2027-01-01"}


def test_it_refuses_a_base_version_that_does_not_exist(page, people):
    with pytest.raises(ValidationError):
        save(page, 7, BODY + "x", people.editor)
    with pytest.raises(ValidationError):
        save(page, 0, BODY + "x", people.editor)


@pytest.mark.parametrize(
    ("title", "body", "fields", "message"),
    [
        ("x" * 201, BODY, None, "limit is 200"),
        ("Bad\x00title", BODY, None, "NUL"),
        ("Ok", "body with \x00 NUL", None, "NUL"),
        ("Ok", BODY, {"owner": "a\x00b"}, "NUL"),
        ("   ", BODY, None, "cannot be empty"),
        ("Ok", "x" * 200_001, None, "limit is 200,000"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_stores_nothing(
    page, people, title, body, fields, message
):
    with pytest.raises(ValidationError) as caught:
        save(page, 1, body, people.editor, title=title, fields=fields)
    assert message in " ".join(caught.value.messages)
    assert Revision.objects.filter(page=page).count() == 1


def test_it_normalises_windows_line_endings(page, people):
    result = save(page, 1, "one\r\ntwo\r\n", people.editor)
    assert result.revision.body == "one\ntwo\n"


def test_it_restores_an_old_revision_as_a_new_one(page, people):
    save(page, 1, "Replaced everything.\n", people.editor)
    page.refresh_from_db()
    result = actions.restore_revision(page=page, number=1, base_version=2, author=people.admin)
    assert result.revision.number == 3
    assert result.revision.body == BODY
    assert result.revision.origin == "restore"
    assert result.revision.source_version == "1"
    assert page.revisions.count() == 3


def test_it_refuses_to_restore_when_the_page_moved_on(page, people):
    save(page, 1, "Second.\n", people.editor)
    save(page, 2, "Third.\n", people.editor)
    with pytest.raises(actions.StaleVersion):
        actions.restore_revision(page=page, number=1, base_version=2, author=people.admin)
    page.refresh_from_db()
    assert page.version == 3


def test_it_renames_and_keeps_the_old_address(page, people):
    result = actions.rename_page(
        page=page, title="Team charter", base_version=1, author=people.editor
    )
    renamed = Page.objects.get(pk=page.pk)
    assert renamed.slug == "team-charter"
    assert renamed.title == "Team charter" and result.revision.number == 2
    assert renamed.redirects.get().slug == "working-agreement"


def test_it_gives_a_new_page_a_free_slug(space, people, page):
    again = actions.create_page(space=space, title="Working agreement", author=people.editor)
    assert again.slug == "working-agreement-2"


def test_it_moves_a_page_but_never_under_itself(space, people, page):
    child = actions.create_page(space=space, title="Meetings", parent=page, author=people.editor)
    grandchild = actions.create_page(
        space=space, title="Standup", parent=child, author=people.editor
    )
    with pytest.raises(ValidationError):
        actions.move_page(page=page, parent=grandchild, acting_user=people.editor)
    actions.move_page(page=grandchild, parent=None, acting_user=people.editor)
    grandchild.refresh_from_db()
    assert grandchild.parent is None


def test_it_orders_siblings_when_moving_to_a_position(space, people):
    _a, _b, c = (actions.create_page(space=space, title=t, author=people.editor) for t in "ABC")
    actions.move_page(page=c, parent=None, position=0, acting_user=people.editor)
    titles = list(Page.objects.filter(space=space, parent=None).values_list("title", flat=True))
    assert titles == ["C", "A", "B"]


def test_it_keeps_at_least_one_admin(space, people):
    with pytest.raises(ValidationError):
        actions.set_role(space=space, user=people.admin, role="reader", acting_user=people.admin)
    with pytest.raises(ValidationError):
        actions.remove_member(space=space, user=people.admin, acting_user=people.admin)


def test_it_links_wiki_titles_and_marks_missing_ones(space, people, page):
    other = actions.create_page(
        space=space,
        title="Onboarding",
        body="See [[working agreement]] and [[Nowhere yet]].",
        author=people.editor,
    )
    html = other.current.html
    assert 'href="/s/team/working-agreement/"' in html
    assert 'href="/s/team/-/new/?title=Nowhere%20yet"' in html
    assert "missing" in html


def test_it_keeps_the_provenance_of_an_imported_revision(space):
    from datetime import UTC, datetime

    when = datetime(2019, 3, 4, 10, 0, tzinfo=UTC)
    imported = actions.create_page(
        space=space,
        title="Old runbook",
        body="Restart it.",
        author=None,
        provenance=actions.Provenance(
            origin="import",
            author_name="Jane (Confluence)",
            source_id="12345",
            source_version="7",
            created_at=when,
        ),
    )
    revision = imported.current
    assert (revision.origin, revision.source_id, revision.source_version) == (
        "import",
        "12345",
        "7",
    )
    assert revision.author_label == "Jane (Confluence)"
    assert revision.created_at == when and imported.created_at == when
