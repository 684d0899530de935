"""Agreement acknowledgements, the goals board, backlog reordering and definitions of done."""

import datetime

import pytest

from artefacts.models import Acknowledgement
from wikiapp import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(space, people):
    return actions.create_page(
        space=space,
        title="How we work",
        kind="working_agreement",
        fields={"owner": "ada", "review_by": "2020-01-01", "clauses": [{"clause": "Be kind"}]},
        author=people.admin,
    )


def test_an_acknowledgement_records_the_version_read(people, agreement, client_as):
    response = client_as(people.reader).post(
        f"/s/team/{agreement.slug}/acknowledge/", {"version": 1}
    )
    assert response.status_code == 302
    assert Acknowledgement.objects.get(page=agreement, user=people.reader).revision_number == 1


def test_the_agreement_shows_who_has_and_has_not_acknowledged(people, agreement, client_as):
    client_as(people.reader).post(f"/s/team/{agreement.slug}/acknowledge/", {"version": 1})
    html = client_as(people.editor).get("/s/team/-/agreement/").content.decode()
    assert "1 of 3" in html
    assert "Acknowledged: rita" in html
    assert "Not yet: ada, eddie" in html
    assert "review overdue" in html
    assert "Be kind" in html


def test_a_new_version_needs_a_new_acknowledgement(people, agreement, client_as):
    client_as(people.reader).post(f"/s/team/{agreement.slug}/acknowledge/", {"version": 1})
    actions.save_revision(
        page=agreement, base_version=1, title=agreement.title, body="Changed", author=people.admin
    )
    html = client_as(people.reader).get("/s/team/-/agreement/").content.decode()
    assert "0 of 3" in html
    assert "I have read this version" in html


def test_a_version_the_reader_never_saw_cannot_be_acknowledged(people, agreement, client_as):
    actions.save_revision(
        page=agreement, base_version=1, title=agreement.title, body="New", author=people.admin
    )
    client = client_as(people.reader)
    response = client.post(f"/s/team/{agreement.slug}/acknowledge/", {"version": 1})
    assert response.status_code == 302
    assert not Acknowledgement.objects.exists()
    assert b"changed since you opened it" in client.get(response["Location"]).content


def test_only_an_agreement_can_be_acknowledged(people, page, client_as):
    client_as(people.reader).post(f"/s/team/{page.slug}/acknowledge/", {"version": 1})
    assert not Acknowledgement.objects.exists()


def test_outsiders_cannot_acknowledge(people, agreement, client_as):
    response = client_as(people.outsider).post(f"/s/team/{agreement.slug}/acknowledge/")
    assert response.status_code == 404


def test_the_goals_board_groups_by_status_and_marks_overdue(people, space, client_as):
    past = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    actions.create_page(
        space=space,
        title="Faster pages",
        kind="goal",
        author=people.admin,
        fields={
            "objective": "x",
            "status": "off track",
            "target_date": past,
            "key_results": [{"measure": "p95 < 50 ms", "progress": 30}],
        },
    )
    actions.create_page(
        space=space,
        title="Old goal",
        kind="goal",
        author=people.admin,
        fields={"objective": "y", "status": "done", "target_date": past, "owner": "ada"},
    )
    html = client_as(people.reader).get("/s/team/-/goals/").content.decode()
    off_track = html.split("Off track", 1)[1].split("</section>", 1)[0]
    assert "Faster pages" in off_track and "overdue" in off_track and "no owner" in off_track
    assert '<progress max="100" value="30"' in off_track
    done = html.split(">Done <", 1)[1].split("</section>", 1)[0]
    assert "Old goal" in done and "overdue" not in done


@pytest.fixture
def backlog(space, people):
    return actions.create_page(
        space=space,
        title="Team backlog",
        kind="backlog",
        author=people.admin,
        fields={
            "items": [{"title": "First"}, {"title": "Second", "owner": "ada"}, {"title": "Third"}]
        },
    )


def test_moving_a_backlog_item_saves_a_new_version(people, backlog, client_as):
    response = client_as(people.editor).post(
        f"/s/team/{backlog.slug}/backlog/move/", {"index": 2, "offset": -1, "base_version": 1}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?selected=team-backlog-1")
    backlog.refresh_from_db()
    assert [i["title"] for i in backlog.fields["items"]] == ["First", "Third", "Second"]
    assert backlog.version == 2
    assert backlog.current.message == "Moved 'Third' up"


def test_a_move_from_a_stale_list_changes_nothing(people, backlog, client_as):
    client = client_as(people.editor)
    client.post(
        f"/s/team/{backlog.slug}/backlog/move/", {"index": 1, "offset": 1, "base_version": 1}
    )
    client.post(
        f"/s/team/{backlog.slug}/backlog/move/", {"index": 0, "offset": 1, "base_version": 1}
    )
    backlog.refresh_from_db()
    assert backlog.version == 2
    assert [i["title"] for i in backlog.fields["items"]] == ["First", "Third", "Second"]


def test_the_first_item_cannot_move_up(people, backlog, client_as):
    client_as(people.editor).post(
        f"/s/team/{backlog.slug}/backlog/move/", {"index": 0, "offset": -1, "base_version": 1}
    )
    backlog.refresh_from_db()
    assert backlog.version == 1


def test_readers_cannot_reorder(people, backlog, client_as):
    response = client_as(people.reader).post(
        f"/s/team/{backlog.slug}/backlog/move/", {"index": 1, "offset": -1, "base_version": 1}
    )
    assert response.status_code == 403


def test_the_backlog_list_shows_items_in_order_with_unowned_ones_marked(people, backlog, client_as):
    html = client_as(people.reader).get("/s/team/-/backlog/").content.decode()
    assert html.index("First") < html.index("Second") < html.index("Third")
    assert html.count("no owner") == 2
    assert 'data-move="up"' not in html  # readers get no move buttons


def test_definitions_of_done_show_as_checklists_per_scope(people, space, client_as):
    actions.create_page(
        space=space,
        title="DoD",
        kind="definition_of_done",
        author=people.admin,
        fields={
            "scope": "Every user story",
            "criteria": [{"criterion": "Reviewed"}, {"criterion": "Tested"}],
        },
    )
    html = client_as(people.reader).get("/s/team/-/done/").content.decode()
    assert "Every user story" in html and "Reviewed" in html and "Tested" in html


@pytest.mark.parametrize("path", ["agreement", "goals", "backlog", "done"])
def test_each_list_runs_a_fixed_number_of_queries(
    path, space, people, client_as, django_assert_max_num_queries
):
    kind = {
        "agreement": "working_agreement",
        "goals": "goal",
        "backlog": "backlog",
        "done": "definition_of_done",
    }[path]
    for n in range(20):
        actions.create_page(space=space, title=f"{kind} {n}", kind=kind, author=people.admin)
    client = client_as(people.reader)
    with django_assert_max_num_queries(6):
        response = client.get(f"/s/team/-/{path}/")
    assert response.status_code == 200
