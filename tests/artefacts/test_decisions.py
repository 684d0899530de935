"""The decision log, and superseding one decision with another."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artefacts import actions as artefact_actions
from wikiapp import actions
from wikiapp.models import Page, Revision

pytestmark = pytest.mark.django_db

TEMPLATE_START = "## Context"


def decide(space, author, title, **fields):
    return actions.create_page(
        space=space, title=title, kind="decision", author=author, fields=fields
    )


@pytest.fixture
def old(space, people):
    return decide(
        space,
        people.admin,
        "Use MySQL",
        date="2024-02-01",
        owner="ada",
        status="accepted",
    )


def supersede(old, people, **overrides):
    arguments = {
        "old": old,
        "base_version": old.version,
        "title": "Use PostgreSQL",
        "body": "## Decision\nPostgreSQL only.",
        "fields": {"date": "2026-01-10", "owner": "eddie"},
        "author": people.editor,
    }
    return artefact_actions.supersede_decision(**(arguments | overrides))


def rows(html: str) -> dict[str, str]:
    """Each row of the log by the title it links first, in the order shown."""
    found = {}
    for row in html.split("<li data-item>")[1:]:
        title = row.split("</a>", 1)[0].rsplit(">", 1)[1]
        found[title] = row.split("</li>", 1)[0]
    return found


def stored() -> tuple[int, int]:
    return Page.objects.count(), Revision.objects.count()


# The action


def test_it_supersedes_a_decision_in_one_step(space, people, old):
    new = supersede(old, people)
    old.refresh_from_db()
    assert new.kind == "decision"
    assert new.fields == {
        "date": "2026-01-10",
        "owner": "eddie",
        "status": "accepted",
        "supersedes": old.slug,
    }
    assert new.current.message == "Supersedes Use MySQL"
    assert old.version == 2
    assert old.fields["status"] == "superseded"
    assert old.fields["superseded_by"] == new.slug
    assert old.fields["owner"] == "ada"  # the rest of the old decision is kept
    assert old.current.message == "Superseded by Use PostgreSQL"
    assert old.current.author == people.editor


def test_it_puts_the_new_decision_beside_the_old_one(space, people):
    log = actions.create_page(space=space, title="Architecture", author=people.admin)
    old = actions.create_page(
        space=space,
        title="Monolith",
        kind="decision",
        parent=log,
        fields={"date": "2024-01-01", "status": "accepted"},
        author=people.admin,
    )
    new = supersede(old, people)
    assert new.parent == log


def test_it_keeps_a_proposed_status_for_the_new_decision(space, people, old):
    new = supersede(old, people, fields={"date": "2026-01-10", "status": "proposed"})
    assert new.fields["status"] == "proposed"


def test_it_refuses_a_superseding_decision_that_is_already_rejected(space, people, old):
    before = stored()
    with pytest.raises(ValidationError, match="must be proposed or accepted"):
        supersede(old, people, fields={"date": "2026-01-10", "status": "rejected"})
    assert stored() == before


def test_it_refuses_to_supersede_a_page_that_is_not_a_decision(space, people, page):
    before = stored()
    with pytest.raises(ValidationError, match="Only a decision can be superseded"):
        supersede(page, people)
    assert stored() == before


def test_it_refuses_to_supersede_a_decision_twice(space, people, old):
    first = supersede(old, people)
    before = stored()  # `old` still holds its first version: the action must look again
    with pytest.raises(ValidationError, match=f"already superseded by '{first.slug}'"):
        supersede(old, people, title="Use SQLite")
    assert stored() == before


def test_it_refuses_a_new_decision_without_its_required_fields(space, people, old):
    before = stored()
    with pytest.raises(ValidationError) as refused:
        supersede(old, people, fields={"owner": "not a name!"})
    assert refused.value.message_dict["date"] == ["Date is required."]
    assert "username" in refused.value.message_dict["owner"][0]
    assert stored() == before


def test_a_conflicting_edit_made_meanwhile_rolls_everything_back(space, people, old):
    actions.save_revision(
        page=old,
        base_version=1,
        title=old.title,
        body="",
        fields={**old.fields, "status": "rejected"},
        author=people.admin,
    )
    before = stored()
    with pytest.raises(actions.EditConflict):
        supersede(old, people, base_version=1)
    assert stored() == before
    assert not Page.objects.filter(title="Use PostgreSQL").exists()


def test_an_unrelated_edit_made_meanwhile_is_merged(space, people, old):
    actions.save_revision(
        page=old, base_version=1, title=old.title, body="More context.", author=people.admin
    )
    supersede(old, people, base_version=1)
    old.refresh_from_db()
    assert old.version == 3
    assert old.current.body == "More context."
    assert old.fields["status"] == "superseded"


def test_a_version_that_does_not_exist_stores_nothing(space, people, old):
    before = stored()
    with pytest.raises(ValidationError, match="does not exist"):
        supersede(old, people, base_version=7)
    assert stored() == before


# The decision log


@pytest.fixture
def log(space, people, old):
    new = supersede(old, people)
    decide(space, people.admin, "Weekly demos", date="2025-06-01", status="proposed", owner="ada")
    decide(space, people.admin, "Imported ADR")  # an import may lack date and status
    return new


def test_the_log_is_newest_first_with_undated_decisions_last(people, log, client_as):
    html = client_as(people.reader).get("/s/team/-/decisions/").content.decode()
    assert list(rows(html)) == ["Use PostgreSQL", "Weekly demos", "Use MySQL", "Imported ADR"]
    assert '<time datetime="2026-01-10">10 Jan 2026</time>' in html
    assert "no date" in html and "no status" in html


def test_each_row_shows_status_owner_and_the_supersession_both_ways(people, log, client_as):
    html = client_as(people.reader).get("/s/team/-/decisions/").content.decode()
    shown = rows(html)
    assert 'class="badge ok">accepted' in shown["Use PostgreSQL"]
    assert "owner eddie" in shown["Use PostgreSQL"]
    assert 'supersedes <a href="/s/team/use-mysql/">Use MySQL</a>' in shown["Use PostgreSQL"]
    assert 'class="badge">superseded' in shown["Use MySQL"]
    assert (
        'superseded by <a href="/s/team/use-postgresql/">Use PostgreSQL</a>' in shown["Use MySQL"]
    )
    assert "no owner" in shown["Imported ADR"]


def test_it_filters_by_status(people, log, client_as):
    html = client_as(people.reader).get("/s/team/-/decisions/?status=superseded").content.decode()
    assert list(rows(html)) == ["Use MySQL"]
    assert ">Use PostgreSQL</a>" in html  # named as its successor
    assert "1 of 4 decisions" in html
    assert '<option value="superseded" selected>' in html


def test_it_filters_by_owner(people, log, client_as):
    html = client_as(people.reader).get("/s/team/-/decisions/?owner=ADA").content.decode()
    assert list(rows(html)) == ["Weekly demos", "Use MySQL"]
    assert '<option value="ada" selected>' in html


def test_filters_combine_and_say_when_nothing_matches(people, log, client_as):
    client = client_as(people.reader)
    html = client.get("/s/team/-/decisions/?status=accepted&owner=ada").content.decode()
    assert "No decisions match these filters." in html
    html = client.get("/s/team/-/decisions/?status=accepted&owner=eddie").content.decode()
    assert list(rows(html)) == ["Use PostgreSQL"]


def test_an_unknown_status_shows_every_decision(people, log, client_as):
    html = client_as(people.reader).get("/s/team/-/decisions/?status=nonsense").content.decode()
    assert len(rows(html)) == 4


def test_the_filter_form_works_without_javascript_and_htmx_gets_only_the_list(
    people, log, client_as
):
    client = client_as(people.reader)
    html = client.get("/s/team/-/decisions/").content.decode()
    assert '<form method="get" action="/s/team/-/decisions/"' in html
    assert 'hx-get="/s/team/-/decisions/"' in html and 'hx-target="#decision-log"' in html
    fragment = client.get("/s/team/-/decisions/?status=proposed", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert text.lstrip().startswith('<div id="decision-log">')
    assert "<html" not in text and "Weekly demos" in text and "Use MySQL" not in text
    assert "HX-Request" in fragment["Vary"]


def test_rows_are_a_keyboard_list_and_editors_get_a_new_decision_key(people, log, client_as):
    html = client_as(people.editor).get("/s/team/-/decisions/").content.decode()
    assert 'class="card-list decision-log" data-list' in html
    assert 'href="/s/team/-/new/?kind=decision" data-key="c"' in html
    reader_html = client_as(people.reader).get("/s/team/-/decisions/").content.decode()
    assert 'data-key="c"' not in reader_html


def test_the_log_of_an_empty_space_says_so(people, space, client_as):
    html = client_as(people.reader).get("/s/team/-/decisions/").content.decode()
    assert "No decisions in Team yet." in html


def test_outsiders_do_not_see_the_log(people, log, client_as):
    assert client_as(people.outsider).get("/s/team/-/decisions/").status_code == 404


def test_the_log_runs_a_fixed_number_of_queries(
    space, people, client_as, django_assert_max_num_queries
):
    previous = None
    for n in range(24):
        page = decide(
            space,
            people.admin,
            f"Decision {n}",
            date=f"2025-01-{n + 1:02d}",
            status="accepted",
            owner=["ada", "eddie"][n % 2],
        )
        if previous is not None and n % 3 == 0:
            supersede(previous, people, title=f"Replacement {n}")
        previous = page
    client = client_as(people.reader)
    # session, user, the space with the reader's role, every decision
    with django_assert_max_num_queries(4):
        response = client.get("/s/team/-/decisions/?owner=ada")
    assert response.status_code == 200
    assert len(rows(response.content.decode())) == 12


# Superseding through the web


def test_the_supersede_form_starts_from_the_decision_template(people, old, client_as):
    response = client_as(people.editor).get(f"/s/team/{old.slug}/supersede/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<form" in html and "data-save-form" in html
    assert TEMPLATE_START in html
    assert f'name="date" value="{timezone.localdate().isoformat()}"' in html
    assert 'name="owner" value="ada"' in html
    assert 'name="base_version" value="1"' in html
    assert 'name="supersedes"' not in html and 'name="superseded_by"' not in html


def test_posting_the_form_supersedes_and_opens_the_new_decision(people, old, client_as):
    client = client_as(people.editor)
    response = client.post(
        f"/s/team/{old.slug}/supersede/",
        {
            "title": "Use PostgreSQL",
            "body": "Because.",
            "date": "2026-01-10",
            "owner": "eddie",
            "status": "accepted",
            "base_version": 1,
        },
        follow=True,
    )
    assert response.redirect_chain == [("/s/team/use-postgresql/", 302)]
    html = response.content.decode()
    assert "Use PostgreSQL now supersedes Use MySQL." in html
    assert '<dt>Supersedes</dt><dd><a href="/s/team/use-mysql/">use-mysql</a>' in html
    assert "Supersede this decision" in html

    old_html = client.get(f"/s/team/{old.slug}/").content.decode()
    assert '<dt>Superseded by</dt><dd><a href="/s/team/use-postgresql/">' in old_html
    assert 'class="badge">superseded' in old_html
    assert "Supersede this decision" not in old_html


def test_a_rejected_form_keeps_the_typed_text_and_stores_nothing(people, old, client_as):
    before = stored()
    response = client_as(people.editor).post(
        f"/s/team/{old.slug}/supersede/",
        {"title": "", "body": "My careful reasoning", "date": "soon", "base_version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "My careful reasoning" in html and 'value="soon"' in html
    assert "Date must be a date like" in html
    assert stored() == before


def test_a_conflict_says_so_keeps_the_text_and_stores_nothing(people, old, client_as):
    actions.save_revision(
        page=old,
        base_version=1,
        title=old.title,
        body="",
        fields={**old.fields, "status": "rejected"},
        author=people.admin,
    )
    before = stored()
    response = client_as(people.editor).post(
        f"/s/team/{old.slug}/supersede/",
        {
            "title": "Use PostgreSQL",
            "body": "My careful reasoning",
            "date": "2026-01-10",
            "status": "accepted",
            "base_version": 1,
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Use MySQL changed while you were writing" in html
    assert "field status" in html
    assert "My careful reasoning" in html
    assert 'name="base_version" value="2"' in html
    assert stored() == before


def test_a_superseded_decision_cannot_be_superseded_again(people, old, client_as):
    supersede(old, people)
    client = client_as(people.editor)
    response = client.get(f"/s/team/{old.slug}/supersede/", follow=True)
    assert response.redirect_chain == [(f"/s/team/{old.slug}/", 302)]
    assert "Use MySQL is already superseded." in response.content.decode()
    before = stored()
    response = client.post(
        f"/s/team/{old.slug}/supersede/",
        {"title": "Again", "date": "2026-02-01", "status": "accepted", "base_version": 2},
    )
    assert response.status_code == 400
    assert "already superseded by" in response.content.decode()
    assert stored() == before


def test_a_plain_page_cannot_be_superseded(people, page, client_as):
    response = client_as(people.editor).get(f"/s/team/{page.slug}/supersede/", follow=True)
    assert "Only a decision can be superseded" in response.content.decode()


def test_readers_cannot_supersede_and_outsiders_do_not_see_the_decision(people, old, client_as):
    data = {"title": "X", "date": "2026-01-10", "status": "accepted", "base_version": 1}
    before = stored()
    assert client_as(people.reader).post(f"/s/team/{old.slug}/supersede/", data).status_code == 403
    assert client_as(people.reader).get(f"/s/team/{old.slug}/supersede/").status_code == 403
    assert (
        client_as(people.outsider).post(f"/s/team/{old.slug}/supersede/", data).status_code == 404
    )
    assert stored() == before


def test_a_decision_page_stays_within_the_page_view_query_budget(
    people, old, client_as, django_assert_max_num_queries
):
    supersede(old, people)
    client = client_as(people.reader)
    with django_assert_max_num_queries(6):
        response = client.get(f"/s/team/{old.slug}/")
    assert "Superseded by" in response.content.decode()
