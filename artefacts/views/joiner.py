"""The new-joiner path: what to read first in a space, and what this reader has read."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from artefacts.kinds.goal import FINISHED
from wikiapp.models import Page, PageRead
from wikiapp.permissions import space_for

# (heading, kind) in reading order.
PATH = (
    ("Working agreement", "working_agreement"),
    ("Current goals", "goal"),
    ("Definition of done", "definition_of_done"),
    ("Decision log", "decision"),
    ("Runbooks", "runbook"),
)


@dataclass(frozen=True)
class Step:
    page: Page
    state: str  # "read" | "changed" (read an older version) | "unread"


def _ordered(kind: str, pages: list[Page]) -> list[Page]:
    if kind == "goal":
        return [p for p in pages if p.fields.get("status") not in FINISHED]
    if kind == "decision":
        # Accepted decisions first (they are how the team works now), newest first within.
        newest = sorted(pages, key=lambda p: p.fields.get("date") or "", reverse=True)
        return sorted(newest, key=lambda p: p.fields.get("status") != "accepted")
    return pages


@login_required
@require_GET
def joiner(request, space):
    space = space_for(request.user, space)
    pages = list(
        Page.objects.filter(space=space, kind__in=[kind for _, kind in PATH])
        .select_related("space")
        .only("id", "space__slug", "slug", "title", "kind", "fields", "version")
        .order_by("position", "title")
    )
    seen = dict(
        PageRead.objects.filter(user=request.user, page__in=pages).values_list(
            "page_id", "revision_number"
        )
    )
    sections = []
    total = done = 0
    for heading, kind in PATH:
        steps = []
        for page in _ordered(kind, [p for p in pages if p.kind == kind]):
            read = seen.get(page.pk)
            state = "unread" if read is None else ("read" if read >= page.version else "changed")
            steps.append(Step(page, state))
            total += 1
            done += state == "read"
        sections.append((heading, steps))
    return render(
        request,
        "artefacts/joiner.html",
        {"space": space, "sections": sections, "read": done, "total": total},
    )
