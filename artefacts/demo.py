"""The "Handbook" demo space: a team's system with every kind filled in, and its flaws.

Dates are relative to today so the health page has real findings on first start: an
overdue agreement review, a goal off track, a lapsed retro rhythm with unowned action
items, a long-proposed decision, and a runbook not exercised for a year.
"""

import datetime

from django.db import transaction

from wikiapp import actions
from wikiapp.models import Page, Space


def _ago(today: datetime.date, days: int) -> str:
    return (today - datetime.timedelta(days=days)).isoformat()


@transaction.atomic
def create_handbook(*, admin, today: datetime.date | None = None) -> Space:
    today = today or datetime.date.today()
    space = actions.create_space(
        slug="handbook",
        name="Handbook",
        description="How the Platform team works: agreement, goals, decisions and runbooks.",
        created_by=admin,
    )

    def page(title, kind="page", parent=None, body="", **fields) -> Page:
        return actions.create_page(
            space=space,
            title=title,
            kind=kind,
            parent=parent,
            body=body,
            fields=fields,
            author=admin,
        )

    home = page(
        "Start here",
        body=(
            "Welcome to the Platform team's handbook. New here? Open **Start here** in the space "
            "menu (`g j`): it lists what to read, in order, and remembers what you have read.\n\n"
            "- [[Working agreement]]: how we work together\n"
            "- [[Decision log]]: why things are the way they are\n"
            "- [[Glossary]]: words we use\n"
        ),
    )
    page(
        "Working agreement",
        "working_agreement",
        owner="admin",
        review_by=_ago(today, 60),
        clauses=[
            {"clause": c}
            for c in (
                "Core hours are 10:00 to 15:00; meetings only then.",
                "Every change is reviewed by one other person before it merges.",
                "We answer pages within 15 minutes during on-call.",
                "Disagreements go to the retro, not to chat threads.",
            )
        ],
        body="## Why we have it\nSo that expectations are written down, not guessed.\n",
    )
    goals = page("Goals", parent=home, body="This quarter's goals. See the board (`g g`).")
    page(
        "Search answers in under 50 ms",
        "goal",
        parent=goals,
        owner="admin",
        objective="Make search feel instant",
        status="on track",
        target_date=_ago(today, -40),
        key_results=[
            {"measure": "p95 search latency < 50 ms", "progress": 70},
            {"measure": "Zero search timeouts a week", "progress": 90},
        ],
    )
    page(
        "New joiners productive in a week",
        "goal",
        parent=goals,
        objective="Onboarding takes days, not weeks",
        status="off track",
        target_date=_ago(today, 15),
        key_results=[{"measure": "First merged change by day 3", "progress": 20}],
    )
    page(
        "Fewer pages at night",
        "goal",
        parent=goals,
        owner="admin",
        objective="On-call is sustainable",
        status="at risk",
        target_date=_ago(today, -20),
        key_results=[{"measure": "Night pages per week <= 1", "progress": 45}],
    )
    page(
        "Move CI to the new runners",
        "goal",
        parent=goals,
        owner="admin",
        objective="Faster builds",
        status="done",
        target_date=_ago(today, 30),
        key_results=[{"measure": "Build time < 8 min", "progress": 100}],
    )
    page(
        "Team backlog",
        "backlog",
        items=[
            {
                "title": "Cache rendered search snippets",
                "owner": "admin",
                "priority": "high",
                "status": "doing",
                "ticket": "https://tracker.example/PLAT-101",
            },
            {"title": "Runbook for certificate renewal", "priority": "high", "status": "todo"},
            {
                "title": "Alert on slow queries",
                "owner": "admin",
                "priority": "medium",
                "status": "todo",
            },
            {"title": "Write the onboarding checklist", "priority": "medium", "status": "todo"},
            {
                "title": "Remove the old deploy script",
                "owner": "admin",
                "priority": "low",
                "status": "done",
            },
        ],
    )
    page(
        "Done for a user story",
        "definition_of_done",
        scope="Every user story",
        criteria=[
            {"criterion": c}
            for c in (
                "Code reviewed and merged",
                "Tests cover the change",
                "Docs updated",
                "Deployed to staging and checked",
            )
        ],
    )
    page(
        "Done for a release",
        "definition_of_done",
        scope="Every release",
        criteria=[
            {"criterion": c} for c in ("Changelog written", "Rollback tested", "On-call briefed")
        ],
    )

    log = page("Decision log", body="One page per decision, newest first in the list (`g d`).")
    adr = "## Context\n{context}\n\n## Decision\n{decision}\n\n## Consequences\n{consequences}\n"
    page(
        "ADR-001 Use PostgreSQL for everything",
        "decision",
        parent=log,
        owner="admin",
        date=_ago(today, 400),
        status="accepted",
        body=adr.format(
            context="We ran three databases.",
            decision="PostgreSQL only.",
            consequences="One backup story; we learn one system well.",
        ),
    )
    page(
        "ADR-002 Server-rendered HTML with htmx",
        "decision",
        parent=log,
        owner="admin",
        date=_ago(today, 300),
        status="accepted",
        body=adr.format(
            context="Our SPA was slow to load.",
            decision="Server-rendered pages, htmx.",
            consequences="Fast first paint; fewer moving parts.",
        ),
    )
    fridays = page(
        "ADR-003 Deploy any day",
        "decision",
        parent=log,
        owner="admin",
        date=_ago(today, 200),
        status="accepted",
        body=adr.format(
            context="Releases queued up.",
            decision="Deploy whenever ready.",
            consequences="Small, frequent deploys.",
        ),
    )
    thursday = page(
        "ADR-005 No deploys after Thursday noon",
        "decision",
        parent=log,
        owner="admin",
        date=_ago(today, 90),
        status="accepted",
        supersedes=fridays.slug,
        body=adr.format(
            context="Two weekend incidents came from Friday deploys.",
            decision="No production deploys from Thursday 12:00 to Monday.",
            consequences="Weekends are quiet; Thursday mornings are busy.",
        ),
    )
    actions.save_revision(
        page=fridays,
        base_version=1,
        title=fridays.title,
        body=fridays.current.body,
        fields={**fridays.fields, "status": "superseded", "superseded_by": thursday.slug},
        message="Superseded by ADR-005",
        author=admin,
    )
    page(
        "ADR-004 Trunk-based development",
        "decision",
        parent=log,
        date=_ago(today, 40),
        status="proposed",
        body=adr.format(
            context="Long-lived branches conflict.",
            decision="Merge to main daily.",
            consequences="Feature flags needed.",
        ),
    )
    page(
        "ADR-006 Use Kafka for events",
        "decision",
        parent=log,
        owner="admin",
        date=_ago(today, 150),
        status="rejected",
        body=adr.format(
            context="We wanted an event bus.",
            decision="Not now: PostgreSQL LISTEN is enough.",
            consequences="Revisit at 10x traffic.",
        ),
    )

    retros = page("Retrospectives", body="Every other Friday. Open actions are in `g r`.")
    for days, items in [
        (
            20,
            [
                {"action": "Write the onboarding checklist", "done": False},
                {
                    "action": "Pair new joiners on their first on-call",
                    "owner": "admin",
                    "done": False,
                },
                {"action": "Shorten stand-up to 10 minutes", "owner": "admin", "done": True},
            ],
        ),
        (34, [{"action": "Add search latency dashboard", "owner": "admin", "done": True}]),
        (48, [{"action": "Agree core hours", "owner": "admin", "done": True}]),
        (62, [{"action": "Clean up alert noise", "done": False}]),
    ]:
        page(
            f"Retro {_ago(today, days)}",
            "retrospective",
            parent=retros,
            facilitator="admin",
            date=_ago(today, days),
            action_items=items,
            body="## Went well\n- Fewer pages\n\n## To improve\n- Onboarding is slow\n",
        )

    books = page("Runbooks", body="What to do when things go wrong (`g u`).")
    page(
        "Restart the API",
        "runbook",
        parent=books,
        owner="admin",
        trigger="API health check fails",
        last_exercised=_ago(today, 30),
        steps=[
            {"step": s}
            for s in ("Check the dashboard", "Restart the service", "Confirm the health check")
        ],
    )
    page(
        "Restore the database from backup",
        "runbook",
        parent=books,
        owner="admin",
        trigger="Data loss or corruption",
        last_exercised=_ago(today, 365),
        steps=[
            {"step": s}
            for s in (
                "Stop writes",
                "Restore the latest dump",
                "Replay the WAL",
                "Check row counts",
            )
        ],
    )
    page(
        "Rotate secrets",
        "runbook",
        parent=books,
        trigger="A secret may have leaked",
        steps=[{"step": "Revoke"}, {"step": "Issue new"}, {"step": "Deploy"}],
    )
    page(
        "On-call handover",
        "runbook",
        parent=books,
        owner="admin",
        trigger="Every Monday 10:00",
        last_exercised=_ago(today, 7),
        steps=[{"step": "Review open incidents"}, {"step": "Hand over the pager"}],
    )

    page(
        "Glossary",
        body="**SLO**: service level objective.\n\n**ADR**: architecture "
        "decision record, see [[Decision log]].\n",
    )
    notes = page("Meeting notes", body="Notes from planning meetings.")
    page("Planning, week 45", parent=notes, body="- Agreed the search goal\n- Backlog groomed\n")
    page("Planning, week 47", parent=notes, body="- Onboarding is behind\n")
    return space
