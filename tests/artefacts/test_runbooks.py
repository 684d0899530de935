"""Runbooks: how long since each was exercised, and marking one exercised."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artefacts import actions as artefact_actions
from artefacts.views.runbooks import exercised_age, is_stale
from wikiapp import actions
from wikiapp.models import Revision

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 31)


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def write_runbook(space, author, title, **fields):
    return actions.create_page(
        space=space,
        title=title,
        kind="runbook",
        author=author,
        fields={"trigger": "It breaks", "steps": [{"step": "Look"}, {"step": "Fix"}], **fields},
    )


@pytest.fixture
def runbook(space, people):
    return write_runbook(space, people.admin, "Restart the API", owner="ada")


def revisions(page) -> int:
    return Revision.objects.filter(page=page).count()


@pytest.mark.parametrize(
    ("last", "label"),
    [
        (None, "never"),
        (TODAY, "today"),
        (TODAY - datetime.timedelta(days=1), "yesterday"),
        (TODAY - datetime.timedelta(days=12), "12 days ago"),
        (TODAY - datetime.timedelta(days=365), "365 days ago"),
        (TODAY - datetime.timedelta(days=366), "over a year ago"),
        (TODAY + datetime.timedelta(days=2), "dated 2026-04-02, in the future"),
    ],
)
def test_it_says_how_long_ago_in_words(last, label):
    assert exercised_age(last, TODAY) == label


@pytest.mark.parametrize(
    ("last", "stale"),
    [
        (None, True),
        (TODAY - datetime.timedelta(days=180), False),
        (TODAY - datetime.timedelta(days=181), True),
    ],
)
def test_it_calls_a_runbook_stale_when_never_or_over_180_days_ago(last, stale):
    assert is_stale(last, TODAY) is stale


# The action


def test_it_marks_a_runbook_exercised_as_a_new_revision(people, runbook):
    on = timezone.localdate() - datetime.timedelta(days=2)
    result = artefact_actions.mark_exercised(
        page=runbook, base_version=1, on=on, note="  Game   day ", author=people.editor
    )
    runbook.refresh_from_db()
    assert runbook.version == 2
    assert runbook.fields["last_exercised"] == on.isoformat()
    assert runbook.fields["steps"] == [{"step": "Look"}, {"step": "Fix"}]
    assert result.revision.message == "Exercised: Game day"
    assert result.revision.author == people.editor


def test_without_a_note_the_message_is_just_exercised(people, runbook):
    result = artefact_actions.mark_exercised(
        page=runbook, base_version=1, on=timezone.localdate(), note="", author=people.editor
    )
    assert result.revision.message == "Exercised"


def test_it_refuses_a_date_in_the_future(people, runbook):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="is in the future"):
        artefact_actions.mark_exercised(
            page=runbook, base_version=1, on=tomorrow, note="", author=people.editor
        )
    assert revisions(runbook) == 1


def test_it_refuses_a_page_that_is_not_a_runbook(people, page):
    with pytest.raises(ValidationError, match="Only a runbook can be marked exercised"):
        artefact_actions.mark_exercised(
            page=page, base_version=1, on=timezone.localdate(), note="", author=people.editor
        )
    assert revisions(page) == 1


def test_it_refuses_an_overlong_note(people, runbook):
    with pytest.raises(ValidationError, match="the limit is 400"):
        artefact_actions.mark_exercised(
            page=runbook,
            base_version=1,
            on=timezone.localdate(),
            note="x" * 401,
            author=people.editor,
        )
    assert revisions(runbook) == 1


def test_two_people_recording_different_days_from_the_same_version_conflict(people, runbook):
    artefact_actions.mark_exercised(
        page=runbook, base_version=1, on=timezone.localdate(), note="", author=people.editor
    )
    with pytest.raises(actions.EditConflict):
        artefact_actions.mark_exercised(
            page=runbook,
            base_version=1,
            on=timezone.localdate() - datetime.timedelta(days=3),
            note="",
            author=people.admin,
        )
    assert revisions(runbook) == 2


# The list


def test_the_list_shows_owner_age_and_marks_stale_runbooks(people, space, client_as):
    write_runbook(space, people.admin, "Fresh", owner="ada", last_exercised=days_ago(12))
    write_runbook(space, people.admin, "Old", owner="eddie", last_exercised=days_ago(200))
    write_runbook(space, people.admin, "Ancient", last_exercised=days_ago(400))
    write_runbook(space, people.admin, "Untried", owner="ada")
    html = client_as(people.reader).get("/s/team/-/runbooks/").content.decode()
    rows = {r.split("</a>", 1)[0].rsplit(">", 1)[1]: r for r in html.split("<tr data-item")[1:]}
    assert list(rows) == ["Ancient", "Fresh", "Old", "Untried"]
    assert "12 days ago" in rows["Fresh"] and "stale" not in rows["Fresh"]
    assert "200 days ago" in rows["Old"] and 'class="badge overdue">stale' in rows["Old"]
    assert "over a year ago" in rows["Ancient"] and "no owner" in rows["Ancient"]
    assert "never" in rows["Untried"] and 'class="badge overdue">stale' in rows["Untried"]
    assert "3 of 4 runbooks are stale" in html


def test_it_uses_the_exercised_date_not_when_the_page_was_saved(people, space, client_as):
    write_runbook(space, people.admin, "Backdated", last_exercised=days_ago(30))
    html = client_as(people.reader).get("/s/team/-/runbooks/").content.decode()
    assert "30 days ago" in html


def test_editors_get_a_mark_exercised_link_per_runbook_and_readers_do_not(
    people, runbook, client_as
):
    html = client_as(people.editor).get("/s/team/-/runbooks/").content.decode()
    assert f'href="/s/team/{runbook.slug}/exercised/"' in html
    assert 'data-key="c"' in html
    reader_html = client_as(people.reader).get("/s/team/-/runbooks/").content.decode()
    assert "/exercised/" not in reader_html


def test_the_list_runs_a_fixed_number_of_queries(
    space, people, client_as, django_assert_max_num_queries
):
    for n in range(22):
        write_runbook(space, people.admin, f"Runbook {n}", last_exercised=days_ago(n * 20))
    client = client_as(people.reader)
    # session, user, the space with the reader's role, every runbook
    with django_assert_max_num_queries(4):
        response = client.get("/s/team/-/runbooks/")
    assert response.content.decode().count("<tr data-item") == 22


# Marking exercised through the web


def test_the_form_defaults_to_today(people, runbook, client_as):
    html = client_as(people.editor).get(f"/s/team/{runbook.slug}/exercised/").content.decode()
    assert f'name="on" value="{timezone.localdate().isoformat()}"' in html
    assert 'name="base_version" value="1"' in html
    assert "data-save-form" in html
    assert "Never exercised so far." in html


def test_posting_the_form_marks_it_and_returns_to_the_list(people, runbook, client_as):
    on = timezone.localdate() - datetime.timedelta(days=12)
    response = client_as(people.editor).post(
        f"/s/team/{runbook.slug}/exercised/",
        {"on": on.isoformat(), "note": "Drill", "base_version": 1},
        follow=True,
    )
    assert response.redirect_chain == [("/s/team/-/runbooks/", 302)]
    html = response.content.decode()
    assert f"Marked Restart the API exercised on {on.day} {on:%b %Y}." in html
    assert "12 days ago" in html
    runbook.refresh_from_db()
    assert runbook.fields["last_exercised"] == on.isoformat()
    assert runbook.current.message == "Exercised: Drill"


def test_a_future_date_is_refused_with_the_form_kept(people, runbook, client_as):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_as(people.editor).post(
        f"/s/team/{runbook.slug}/exercised/",
        {"on": tomorrow.isoformat(), "note": "Planned drill", "base_version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "is in the future" in html and "Planned drill" in html
    assert revisions(runbook) == 1


def test_a_malformed_date_is_refused(people, runbook, client_as):
    response = client_as(people.editor).post(
        f"/s/team/{runbook.slug}/exercised/", {"on": "last week", "base_version": 1}
    )
    assert response.status_code == 400
    assert "Give the date like 2026-03-31." in response.content.decode()
    assert revisions(runbook) == 1


def test_a_conflict_is_explained_and_stores_nothing(people, runbook, client_as):
    artefact_actions.mark_exercised(
        page=runbook, base_version=1, on=timezone.localdate(), note="", author=people.admin
    )
    response = client_as(people.editor).post(
        f"/s/team/{runbook.slug}/exercised/",
        {"on": days_ago(5), "base_version": 1},
    )
    assert response.status_code == 409
    assert "Someone changed the last exercised date" in response.content.decode()
    assert revisions(runbook) == 2


def test_only_runbooks_can_be_marked_exercised(people, page, client_as):
    response = client_as(people.editor).get(f"/s/team/{page.slug}/exercised/", follow=True)
    assert "Only a runbook can be marked exercised" in response.content.decode()


def test_readers_cannot_mark_exercised_and_outsiders_do_not_see_it(people, runbook, client_as):
    data = {"on": days_ago(1), "base_version": 1}
    url = f"/s/team/{runbook.slug}/exercised/"
    assert client_as(people.reader).post(url, data).status_code == 403
    assert client_as(people.outsider).post(url, data).status_code == 404
    assert client_as(people.outsider).get("/s/team/-/runbooks/").status_code == 404
    assert revisions(runbook) == 1


def test_the_runbook_page_numbers_its_steps_and_offers_marking(people, runbook, client_as):
    html = client_as(people.editor).get(f"/s/team/{runbook.slug}/").content.decode()
    assert '<ol class="steps"><li>Look</li><li>Fix</li></ol>' in html
    assert 'class="badge overdue">never' in html
    assert f'href="/s/team/{runbook.slug}/exercised/"' in html
