"""Changing a page's kind: the action, the admin-only form, and where it is offered."""

import pytest
from django.core.exceptions import ValidationError

from wikiapp import actions
from wikiapp.models import Page

pytestmark = pytest.mark.django_db

DECISION_FIELDS = {
    "date": "2026-01-15",
    "owner": "ada",
    "status": "accepted",
    "deciders": "ada, eddie",  # not a decision field: kept from an import, say
}


@pytest.fixture
def decision(space, people) -> Page:
    return actions.create_page(
        space=space,
        title="Deploy on Fridays",
        body="We deploy on Fridays.\n",
        kind="decision",
        fields=DECISION_FIELDS,
        author=people.admin,
    )


def url(page: Page) -> str:
    return f"/s/team/{page.slug}/kind/"


def reload(page: Page) -> Page:
    return Page.objects.select_related("current").get(pk=page.pk)


def test_it_keeps_the_fields_the_new_kind_has_and_leaves_the_others_in_history(decision, people):
    result = actions.change_kind(page=decision, base_version=1, kind="runbook", author=people.admin)
    page = reload(decision)
    assert page.kind == "runbook"
    assert page.version == 2 and result.revision.number == 2
    assert page.fields == page.current.fields == {"owner": "ada"}
    assert page.current.title == "Deploy on Fridays"
    assert page.current.body == "We deploy on Fridays.\n"
    assert page.current.message == (
        "Kind changed from Decision to Runbook "
        "(fields not carried over are kept in version 1: date, status, deciders)"
    )
    assert page.revisions.get(number=1).fields == DECISION_FIELDS


def test_it_leaves_behind_a_value_the_new_kind_cannot_hold(decision, people):
    # Goals have a status too, but "accepted" is not one of theirs.
    actions.change_kind(page=decision, base_version=1, kind="goal", author=people.admin)
    page = reload(decision)
    assert page.fields == {"owner": "ada"}
    assert "kept in version 1: date, status, deciders" in page.current.message


def test_it_adds_the_change_note_to_the_message(decision, people):
    actions.change_kind(
        page=decision,
        base_version=1,
        kind="retrospective",
        message="The import took the retro for a decision",
        author=people.admin,
    )
    page = reload(decision)
    assert page.fields == {"date": "2026-01-15"}
    assert page.current.message.startswith("Kind changed from Decision to Retrospective (")
    assert page.current.message.endswith("— The import took the retro for a decision")


def test_it_says_nothing_was_left_behind_when_every_field_fits(space, people):
    page = actions.create_page(
        space=space, title="Restart", kind="runbook", fields={"owner": "ada"}, author=people.admin
    )
    actions.change_kind(page=page, base_version=1, kind="goal", author=people.admin)
    assert reload(page).current.message == "Kind changed from Runbook to Goal"


def test_it_changes_nothing_when_the_kind_is_the_same(decision, people):
    result = actions.change_kind(
        page=decision, base_version=1, kind="decision", author=people.admin
    )
    assert result.unchanged
    page = reload(decision)
    assert page.version == 1 and page.fields == DECISION_FIELDS


def test_it_refuses_a_stale_base_version_and_changes_nothing(decision, people):
    actions.save_revision(
        page=decision, base_version=1, title=decision.title, body="Edited.\n", author=people.editor
    )
    with pytest.raises(actions.StaleVersion):
        actions.change_kind(page=decision, base_version=1, kind="runbook", author=people.admin)
    page = reload(decision)
    assert page.kind == "decision" and page.version == 2


@pytest.mark.parametrize("kind", ["spaceship", "", "Decision"])
def test_it_refuses_an_unknown_kind(decision, people, kind):
    with pytest.raises(ValidationError):
        actions.change_kind(page=decision, base_version=1, kind=kind, author=people.admin)
    assert reload(decision).kind == "decision"


def test_restoring_an_older_version_keeps_the_pages_current_kind(decision, people):
    actions.change_kind(page=decision, base_version=1, kind="runbook", author=people.admin)
    actions.restore_revision(page=reload(decision), number=1, base_version=2, author=people.admin)
    page = reload(decision)
    assert page.kind == "runbook"
    assert page.fields["deciders"] == "ada, eddie"  # the old values are back, as plain data


def test_changing_the_kind_back_and_restoring_undoes_a_change(decision, people):
    actions.change_kind(page=decision, base_version=1, kind="runbook", author=people.admin)
    actions.change_kind(page=decision, base_version=2, kind="decision", author=people.admin)
    actions.restore_revision(page=reload(decision), number=1, base_version=3, author=people.admin)
    page = reload(decision)
    assert page.kind == "decision" and page.fields == DECISION_FIELDS


def test_it_shows_the_form_with_every_kind_and_the_current_one_chosen(
    decision, people, client_as, django_assert_num_queries
):
    client = client_as(people.admin)
    with django_assert_num_queries(3):  # session, user, the page with its role
        response = client.get(url(decision))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="decision" selected>Decision</option>' in html
    for label in ["Working agreement", "Goal", "Backlog", "Runbook", "Retrospective", "Page"]:
        assert f">{label}</option>" in html
    assert 'name="base_version" value="1"' in html
    assert "autofocus" in html and "data-save-form" in html and "data-cancel" in html


def test_it_changes_the_kind_and_goes_back_to_the_page(decision, people, client_as):
    client = client_as(people.admin)
    response = client.post(url(decision), {"kind": "runbook", "base_version": 1}, follow=True)
    assert response.redirect_chain == [(f"/s/team/{decision.slug}/", 302)]
    html = response.content.decode()
    assert "Changed the kind of Deploy on Fridays to Runbook (version 2)." in html
    assert '<span class="kind">Runbook</span>' in html
    assert reload(decision).kind == "runbook"


def test_it_says_so_when_the_kind_is_already_the_chosen_one(decision, people, client_as):
    response = client_as(people.admin).post(
        url(decision), {"kind": "decision", "base_version": 1}, follow=True
    )
    assert b"already of kind Decision; nothing changed" in response.content
    assert reload(decision).version == 1


def test_it_answers_an_unknown_kind_with_400_and_changes_nothing(decision, people, client_as):
    response = client_as(people.admin).post(url(decision), {"kind": "spaceship", "base_version": 1})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert reload(decision).kind == "decision"


def test_it_answers_a_stale_version_with_409_and_changes_nothing(decision, people, client_as):
    actions.save_revision(
        page=decision, base_version=1, title=decision.title, body="Edited.\n", author=people.editor
    )
    response = client_as(people.admin).post(url(decision), {"kind": "runbook", "base_version": 1})
    html = response.content.decode()
    assert response.status_code == 409
    assert "changed since you looked (now version 2)" in html
    assert "Nothing was changed." in html
    assert 'name="base_version" value="2"' in html  # sending again is a deliberate choice
    page = reload(decision)
    assert page.kind == "decision" and page.version == 2


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("reader", 403), ("outsider", 404)])
def test_it_is_for_admins_only(decision, people, client_as, role, status):
    client = client_as(getattr(people, role))
    assert client.get(url(decision)).status_code == status
    response = client.post(url(decision), {"kind": "runbook", "base_version": 1})
    assert response.status_code == status
    assert reload(decision).kind == "decision"


def test_the_page_links_to_it_for_admins_only(decision, people, client_as):
    link = f'href="{url(decision)}"'.encode()
    assert link in client_as(people.admin).get(decision.get_absolute_url()).content
    assert link not in client_as(people.editor).get(decision.get_absolute_url()).content


def test_the_palette_offers_it_to_admins_only(decision, people, client_as):
    def offered(user) -> bool:
        response = client_as(user).get(
            "/palette/", {"q": "kind", "from": decision.get_absolute_url()}, HTTP_HX_REQUEST="true"
        )
        return "Change kind of Deploy on Fridays" in response.content.decode()

    assert offered(people.admin)
    assert not offered(people.editor)
