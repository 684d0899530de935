"""Space health: the seven artefacts and the failure modes, each linked to its fix."""

import datetime

import pytest
from django.utils import timezone

from artefacts.health import space_health
from artefacts.models import HealthSettings
from wikiapp import actions

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)
# The thresholds form's fields at their defaults.
THRESHOLDS = {
    "retro_cadence_days": 14,
    "decision_proposed_days": 30,
    "goal_stale_days": 45,
    "action_item_open_days": 30,
    "runbook_exercise_days": 180,
}


def days_ago(n: int) -> str:
    return (TODAY - datetime.timedelta(days=n)).isoformat()


def make(space, person, title, kind, **fields):
    return actions.create_page(space=space, title=title, kind=kind, fields=fields, author=person)


@pytest.fixture
def healthy(space, people):
    """A complete, well-kept system: seven of seven and nothing to point at."""
    a = people.admin
    make(space, a, "Agreement", "working_agreement", owner="ada", review_by=days_ago(-30))
    make(
        space,
        a,
        "Goal",
        "goal",
        objective="x",
        status="on track",
        owner="ada",
        target_date=days_ago(-60),
    )
    make(space, a, "Backlog", "backlog", items=[{"title": "Fix", "owner": "ada"}])
    make(space, a, "DoD", "definition_of_done", scope="stories", criteria=[{"criterion": "ok"}])
    make(space, a, "ADR 1", "decision", date=days_ago(3), status="accepted", owner="ada")
    make(
        space,
        a,
        "Retro",
        "retrospective",
        date=days_ago(5),
        action_items=[{"action": "Tidy", "owner": "ada", "done": False}],
    )
    make(
        space,
        a,
        "Restart",
        "runbook",
        trigger="down",
        owner="ada",
        last_exercised=days_ago(10),
        steps=[{"step": "restart"}],
    )
    return space


def messages(report) -> list[str]:
    return [f.message for f in report.findings]


def test_a_complete_well_kept_space_is_a_system_with_no_findings(healthy):
    report = space_health(healthy, today=TODAY)
    assert report.score == "7 of 7" and report.is_system
    assert messages(report) == []


def test_an_empty_space_misses_all_seven_each_linked_to_create_it(space):
    report = space_health(space, today=TODAY)
    assert report.score == "0 of 7"
    assert len(report.findings) == 7
    assert report.findings[0].url == "/s/team/-/new/?kind=working_agreement"


def test_it_points_at_each_failure_mode(space, people):
    a = people.admin
    make(space, a, "Agreement", "working_agreement", review_by=days_ago(40))
    make(space, a, "Goal", "goal", objective="x", status="off track", target_date=days_ago(10))
    make(
        space,
        a,
        "Backlog",
        "backlog",
        items=[{"title": "Fix login"}, {"title": "Done one", "status": "done"}],
    )
    make(space, a, "ADR 1", "decision", date=days_ago(45), status="proposed")
    make(
        space,
        a,
        "Retro",
        "retrospective",
        date=days_ago(60),
        action_items=[
            {"action": "Tidy up", "done": False},
            {"action": "Old", "owner": "ada", "done": True},
        ],
    )
    make(
        space,
        a,
        "Restart",
        "runbook",
        trigger="down",
        last_exercised=days_ago(365),
        steps=[{"step": "x"}],
    )
    make(space, a, "Scale", "runbook", trigger="slow", owner="ada", steps=[{"step": "x"}])
    found = "\n".join(messages(space_health(space, today=TODAY)))
    for expected in [
        "Agreement was due for review 40 days ago.",
        "Agreement has no owner.",
        "Goal Goal has no owner.",
        "Goal Goal is 10 days past its target date.",
        "1 backlog item in Backlog without an owner: Fix login.",
        "Decision ADR 1 has been proposed for 45 days.",
        "No retrospective within the 14-day cadence (the last was 60 days ago).",
        "Action item “Tidy up” has no owner.",
        "Action item “Tidy up” from Retro has been open for 60 days.",
        "Runbook Restart was last exercised 365 days ago (more than 180).",
        "Runbook Restart has no owner.",
        "Runbook Scale has never been exercised.",
        "No definition of done yet: the system is partial.",
    ]:
        assert expected in found


def test_a_goal_without_a_status_change_for_long_is_stale(space, people):
    goal = make(space, people.admin, "Goal", "goal", objective="x", status="at risk", owner="ada")
    later = TODAY + datetime.timedelta(days=90)
    report = space_health(space, today=later)
    assert any("without a status change" in m for m in messages(report))
    actions.save_revision(
        page=goal,
        base_version=1,
        title=goal.title,
        body="",
        author=people.admin,
        fields={**goal.fields, "status": "on track"},
    )
    assert not any("without a status change" in m for m in messages(space_health(space)))


def test_thresholds_are_space_settings(space, people):
    make(space, people.admin, "ADR", "decision", date=days_ago(20), status="proposed")
    assert not any("proposed" in m for m in messages(space_health(space, today=TODAY)))
    HealthSettings.objects.create(space=space, decision_proposed_days=10)
    assert any("proposed for 20 days" in m for m in messages(space_health(space, today=TODAY)))


def test_findings_link_to_the_page_that_fixes_them(space, people):
    runbook = make(space, people.admin, "Restart", "runbook", trigger="x", steps=[{"step": "y"}])
    finding = next(f for f in space_health(space, today=TODAY).findings if "never" in f.message)
    assert finding.url == f"/s/team/{runbook.slug}/edit/"


def test_the_page_runs_a_bounded_number_of_queries(
    healthy, people, client_as, django_assert_max_num_queries
):
    for n in range(40):
        goal = make(healthy, people.admin, f"Goal {n}", "goal", objective="x", status="at risk")
        actions.save_revision(
            page=goal,
            base_version=1,
            title=goal.title,
            body="",
            author=people.admin,
            fields={**goal.fields, "status": "off track"},
        )
        make(healthy, people.admin, f"Runbook {n}", "runbook", trigger="x", steps=[{"step": "y"}])
    client = client_as(people.reader)
    with django_assert_max_num_queries(10):
        response = client.get("/s/team/-/health/")
    assert response.status_code == 200
    assert b"7 of 7" in response.content


def test_an_admin_changes_the_thresholds_and_a_reader_cannot(space, people, client_as):
    values = {**THRESHOLDS, "retro_cadence_days": 7, "runbook_exercise_days": 90}
    assert client_as(people.reader).post("/s/team/-/health/", values).status_code == 403
    assert client_as(people.admin).post("/s/team/-/health/", values).status_code == 302
    assert HealthSettings.objects.get(space=space).retro_cadence_days == 7
    bad = {**values, "retro_cadence_days": 0}
    response = client_as(people.admin).post("/s/team/-/health/", bad)
    assert response.status_code == 400
    assert HealthSettings.objects.get(space=space).retro_cadence_days == 7


def test_a_refused_threshold_change_leaves_the_report_on_the_saved_ones(space, people, client_as):
    proposed = timezone.localdate() - datetime.timedelta(days=20)
    make(space, people.admin, "ADR", "decision", date=proposed.isoformat(), status="proposed")
    client = client_as(people.admin)
    values = {**THRESHOLDS, "decision_proposed_days": 10}
    refused = client.post("/s/team/-/health/", {**values, "retro_cadence_days": 0})
    assert refused.status_code == 400
    assert b"proposed for 20 days" not in refused.content  # 10 days was not saved

    assert client.post("/s/team/-/health/", values).status_code == 302
    assert b"proposed for 20 days" in client.get("/s/team/-/health/").content


def test_the_demo_handbook_shows_real_findings_on_first_start(django_user_model):
    from artefacts.demo import create_handbook
    from wikiapp.models import Page

    admin = django_user_model.objects.create_superuser("admin", password="x")
    space = create_handbook(admin=admin, today=TODAY)
    assert Page.objects.filter(space=space).count() >= 25
    report = space_health(space, today=TODAY)
    assert report.score == "7 of 7"
    found = "\n".join(messages(report))
    assert "Working agreement was due for review 60 days ago." in found
    assert "New joiners productive in a week is 15 days past its target date" in found
    assert "No retrospective within the 14-day cadence (the last was 20 days ago)." in found
    assert "Action item “Write the onboarding checklist” has no owner." in found
    assert "Decision ADR-004 Trunk-based development has been proposed for 40 days." in found
    assert "was last exercised 365 days ago" in found
    assert "Runbook Rotate secrets has never been exercised." in found
    superseded = Page.objects.get(space=space, slug="adr-003-deploy-any-day")
    assert superseded.fields["status"] == "superseded"
    assert superseded.fields["superseded_by"] == "adr-005-no-deploys-after-thursday-noon"


def test_the_page_lists_twenty_findings_a_kind_and_the_rest_on_request(space, people, client_as):
    for n in range(25):
        make(space, people.admin, f"Runbook {n:02}", "runbook", trigger="x", owner="ada")
    client = client_as(people.reader)
    html = client.get("/s/team/-/health/").content.decode()
    assert html.count("has never been exercised.") == 20
    assert '<a href="?all=runbook#findings-heading">Show all 25 findings about runbooks</a>' in html
    everything = client.get("/s/team/-/health/?all=runbook").content.decode()
    assert everything.count("has never been exercised.") == 25 and "Show all" not in everything
    unknown = client.get("/s/team/-/health/?all=nonsense").content.decode()
    assert unknown.count("has never been exercised.") == 20


def test_the_page_shows_a_fix_at_once(space, people, client_as):
    runbook = make(space, people.admin, "Restart", "runbook", trigger="x", steps=[{"step": "y"}])
    client = client_as(people.reader)
    assert "Runbook Restart has no owner." in client.get("/s/team/-/health/").content.decode()
    actions.save_revision(
        page=runbook,
        base_version=1,
        title=runbook.title,
        body="",
        author=people.admin,
        fields={**runbook.fields, "owner": "ada"},
    )
    assert "Runbook Restart has no owner." not in client.get("/s/team/-/health/").content.decode()
