"""The benchmark corpus as plain data: spaces, people and pages with their revisions.

No database access. Everything comes from random.Random seeded per page, so the same
sizes always give the same corpus, page by page, whatever order it is generated in.

Links only point at pages created earlier in the same space (or at titles no page ever
has), so a revision renders the same whenever it is rendered after its targets exist,
exactly as it would have when saved through the actions in corpus order.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

KINDS = (
    "page",
    "decision",
    "runbook",
    "retrospective",
    "working_agreement",
    "goal",
    "definition_of_done",
    "backlog",
)
HISTORY_TITLE = "Bench history"
# Revisions of a page cycle through this many texts, each a small edit of the page's text:
# rendering a 5 KB text takes milliseconds, so the seeder renders each distinct text once.
BODY_VARIANTS = 5
START = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)

# username -> role in every space (None: a member of none)
PEOPLE = {
    "bench-admin": "admin",
    "bench": "editor",
    "bench-editor": "editor",
    "bench-author-1": "editor",
    "bench-author-2": "editor",
    "bench-reader": "reader",
    "bench-outsider": None,
}
AUTHORS = ("bench-admin", "bench", "bench-editor", "bench-author-1", "bench-author-2")
OWNERS = ("bench-admin", "bench-editor", "bench-author-1", "bench-author-2")

_WORD_TEXT = (
    "deploy service latency cache queue review team owner release budget schedule incident "
    "metric alert dashboard backlog sprint goal roadmap customer contract storage index "
    "migration rollout canary database replica backup restore network gateway token secret "
    "rotation policy audit report quarter planning estimate risk mitigation handover pager "
    "runbook checklist criterion scope agreement clause retro action feedback onboarding "
    "mentor pairing testing coverage staging production feature flag experiment cohort "
    "pipeline artifact container cluster node capacity throughput error retry timeout limit "
    "quota region failover search ranking snippet title summary draft approval sign-off"
)
WORDS = tuple(_WORD_TEXT.split())
TOPICS = (
    "Billing",
    "Search",
    "Onboarding",
    "Storage",
    "Payments",
    "Alerting",
    "Identity",
    "Reporting",
    "Mobile",
    "Gateway",
    "Exports",
    "Scheduling",
)
LANGUAGES = ("python", "sql", "bash", "yaml")


@dataclass(frozen=True)
class RevisionSpec:
    body: str
    fields: dict
    message: str
    author: str  # a username from PEOPLE
    created_at: datetime.datetime


@dataclass(frozen=True)
class PageSpec:
    index: int  # global creation order
    space: int  # index into the spaces
    title: str
    kind: str
    parent: int | None  # global index of an earlier page in the same space
    revisions: tuple[RevisionSpec, ...]


def space_specs(count: int) -> list[tuple[str, str]]:
    """(slug, name) of each space."""
    return [(f"bench-{n}", f"Bench space {n}") for n in range(1, count + 1)]


def space_of(index: int, *, pages: int, spaces: int) -> int:
    """Pages are split into contiguous blocks, one block per space."""
    return min(index * spaces // max(pages, 1), spaces - 1)


def title_of(index: int, kind: str) -> str:
    if index == 0:
        return HISTORY_TITLE
    rng = random.Random(f"title-{index}")
    label = kind.replace("_", " ").capitalize()
    topic = rng.choice(TOPICS)
    return f"{label} {index}: {topic} {rng.choice(WORDS)} {rng.choice(WORDS)}"


def kind_of(index: int) -> str:
    return "page" if index == 0 else KINDS[index % len(KINDS)]


def page_specs(
    *, pages: int, revisions: int, spaces: int, history_revisions: int
) -> Iterator[PageSpec]:
    """Every page in creation order; page 0 is the long-history page of the first space."""
    firsts: dict[int, int] = {}  # space -> global index of its first page
    for index in range(pages):
        space = space_of(index, pages=pages, spaces=spaces)
        first = firsts.setdefault(space, index)
        yield _page(
            index,
            space=space,
            first=first,
            revisions=history_revisions if index == 0 else revisions,
            total=pages,
        )


def _page(index: int, *, space: int, first: int, revisions: int, total: int) -> PageSpec:
    rng = random.Random(f"page-{index}")
    kind = kind_of(index)
    title = title_of(index, kind)
    earlier = list(range(max(first, index - 400), index))
    # Root for the first pages of a space and now and then; otherwise under an earlier page
    # (never the history page), which gives a tree a few levels deep.
    candidates = [e for e in earlier if e != 0]
    parent = None
    if candidates and rng.random() > 0.15:
        parent = rng.choice(candidates[-60:] if rng.random() < 0.7 else candidates)
    targets = rng.sample(earlier, min(len(earlier), rng.randint(2, 5)))
    links = [title_of(t, kind_of(t)) for t in targets]
    base = _body(rng, title, links, missing=f"Someday topic {index}")
    # Spread page creation over about a year; revisions follow hours to days apart.
    created = START + datetime.timedelta(minutes=index * 52_000 // max(total, 1) * 10)
    specs, when = [], created
    for number in range(1, revisions + 1):
        if number > 1:
            when += datetime.timedelta(minutes=rng.randint(20, 4000))
        specs.append(
            RevisionSpec(
                body=_edit(base, (number - 1) % BODY_VARIANTS + 1, index),
                fields=_fields(kind, rng, number),
                message="" if number == 1 else _message(number, rng),
                author=AUTHORS[(index + number) % len(AUTHORS)],
                created_at=when,
            )
        )
    return PageSpec(
        index=index,
        space=space,
        title=title,
        kind=kind,
        parent=parent,
        revisions=tuple(specs),
    )


def _sentence(rng: random.Random, words: int | None = None) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words or rng.randint(6, 16))]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _body(rng: random.Random, title: str, links: list[str], *, missing: str) -> str:
    target = rng.randint(3000, 8000)
    language = rng.choice(LANGUAGES)
    rows = "\n".join(
        f"| {rng.choice(TOPICS)} | {rng.choice(OWNERS)} | {rng.randint(1, 99)} "
        f"| {_sentence(rng, 5)} |"
        for _ in range(rng.randint(3, 7))
    )
    code = "\n".join(
        f"{rng.choice(WORDS)}_{n} = {rng.randint(0, 999)}  # {rng.choice(WORDS)}"
        for n in range(rng.randint(3, 8))
    )
    related = "\n".join(f"- [[{link}]]: {_sentence(rng, 6)}" for link in links)
    parts = [
        f"# {title}\n\n{_paragraph(rng)}\n",
        "## Context\n\n" + _paragraph(rng) + "\n\n" + _paragraph(rng) + "\n",
        "## Steps\n\n" + "\n".join(f"{n}. {_sentence(rng)}" for n in range(1, 6)) + "\n",
        "## Open points\n\n" + "\n".join(f"- {_sentence(rng)}" for _ in range(4)) + "\n",
        "## Overview\n\n| Area | Owner | Score | Note |\n|---|---|---:|---|\n" + rows + "\n",
        f"## Example\n\n```{language}\n{code}\n```\n",
        f"## Related\n\n{related}\n- Still to write: [[{missing}]]\n" if related else "",
        "## Status\n\n@@STATUS@@\n",
        "## Notes\n",
    ]
    body = "\n".join(p for p in parts if p)
    while len(body.encode()) < target:
        body += "\n" + _paragraph(rng) + "\n"
    return body


def _edit(base: str, variant: int, index: int) -> str:
    """The page's text with small edit number `variant`."""
    rng = random.Random(f"edit-{index}-{variant}")
    body = base.replace("@@STATUS@@", f"Updated in edit {variant}: {_sentence(rng, 8)}")
    if variant % 2 == 0:
        body += f"\n### Follow-up {variant}\n\n- {_sentence(rng)}\n"
    return body


def _message(number: int, rng: random.Random) -> str:
    return rng.choice(("", f"Edit {number}", f"Update {rng.choice(WORDS)}", "Fix typo"))


def _date(rng: random.Random, number: int) -> str:
    return (START.date() + datetime.timedelta(days=rng.randint(0, 500) + number)).isoformat()


def _fields(kind: str, rng: random.Random, number: int) -> dict:
    """Valid fields for `kind`, a little different from one revision to the next."""
    owner = OWNERS[(number + rng.randint(0, 3)) % len(OWNERS)]
    if kind == "decision":
        status = "proposed" if number < 3 else rng.choice(("accepted", "rejected", "accepted"))
        return {"date": _date(rng, 0), "owner": owner, "status": status}
    if kind == "runbook":
        steps = [{"step": _sentence(rng, 5)} for _ in range(rng.randint(2, 6))]
        return {
            "trigger": _sentence(rng, 6),
            "owner": owner,
            "steps": steps,
            "last_exercised": _date(rng, number),
        }
    if kind == "retrospective":
        items = [
            {"action": _sentence(rng, 5), "owner": rng.choice(OWNERS), "done": rng.random() < 0.5}
            for _ in range(rng.randint(1, 4))
        ]
        return {"date": _date(rng, 0), "facilitator": owner, "action_items": items}
    if kind == "working_agreement":
        clauses = [{"clause": _sentence(rng)} for _ in range(rng.randint(3, 7))]
        return {"owner": owner, "review_by": _date(rng, number), "clauses": clauses}
    if kind == "goal":
        results = [
            {"measure": _sentence(rng, 5), "progress": min(100, number * rng.randint(3, 10))}
            for _ in range(rng.randint(1, 3))
        ]
        return {
            "objective": _sentence(rng),
            "owner": owner,
            "target_date": _date(rng, 0),
            "status": rng.choice(("on track", "at risk", "off track", "done", "dropped")),
            "key_results": results,
        }
    if kind == "definition_of_done":
        criteria = [{"criterion": _sentence(rng, 5)} for _ in range(rng.randint(3, 6))]
        return {"scope": f"Every {rng.choice(WORDS)}", "criteria": criteria}
    if kind == "backlog":
        items = [
            {
                "title": _sentence(rng, 4),
                "owner": rng.choice(OWNERS),
                "priority": rng.choice(("high", "medium", "low")),
                "status": rng.choice(("todo", "doing", "done")),
                "ticket": f"https://tracker.example/BENCH-{rng.randint(1, 9999)}",
            }
            for _ in range(rng.randint(3, 8))
        ]
        return {"items": items}
    return {}
