"""The working agreement, goals board, backlog and definition-of-done lists of a space."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from artefacts import actions
from artefacts.kinds.base import parse_date
from artefacts.kinds.goal import FINISHED
from artefacts.kinds.goal import STATUSES as GOAL_STATUSES
from artefacts.models import Acknowledgement
from wikiapp import actions as wiki
from wikiapp.models import Membership, Page
from wikiapp.permissions import can, page_for, space_for


def _pages(space, kind: str):
    # The lists read the page's own denormalised fields; no revision is needed.
    return (
        Page.objects.filter(space=space, kind=kind)
        .select_related("space")
        .order_by("position", "title")
    )


@login_required
@require_GET
def agreement(request, space):
    space = space_for(request.user, space)
    pages = list(_pages(space, "working_agreement"))
    members = list(
        Membership.objects.filter(space=space).select_related("user").order_by("user__username")
    )
    acks = {
        (a.page_id, a.user_id): a.revision_number
        for a in Acknowledgement.objects.filter(page__in=pages)
    }
    today = timezone.localdate()
    agreements = []
    for page in pages:
        review_by = parse_date(page.fields.get("review_by"))
        done = [m.user for m in members if acks.get((page.pk, m.user_id)) == page.version]
        agreements.append(
            {
                "page": page,
                "review_by": review_by,
                "overdue": review_by is not None and review_by < today,
                "clauses": page.fields.get("clauses", []),
                "acknowledged": done,
                "pending": [m.user for m in members if m.user not in done],
                "members": len(members),
                "mine": acks.get((page.pk, request.user.pk)) == page.version,
            }
        )
    return render(
        request,
        "artefacts/agreement.html",
        {"space": space, "agreements": agreements, "can_edit": can(space, "edit")},
    )


@login_required
@require_POST
def acknowledge(request, space, page):
    page = page_for(request.user, space, page)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        actions.acknowledge(page=page, user=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You acknowledged version {page.version} of {page.title}.")
    return redirect(reverse("wiki:agreement", args=[page.space.slug]))


@login_required
@require_GET
def goals(request, space):
    space = space_for(request.user, space)
    today = timezone.localdate()
    columns = {status: [] for status in GOAL_STATUSES}
    unsorted = []
    for page in _pages(space, "goal"):
        target = parse_date(page.fields.get("target_date"))
        status = page.fields.get("status")
        card = {
            "page": page,
            "owner": page.fields.get("owner"),
            "target": target,
            "overdue": target is not None and target < today and status not in FINISHED,
            "key_results": page.fields.get("key_results", []),
        }
        columns.get(status, unsorted).append(card)
    board = [(status, cards) for status, cards in columns.items()]
    if unsorted:
        board.append(("no status", unsorted))
    return render(
        request,
        "artefacts/goals.html",
        {"space": space, "board": board, "can_edit": can(space, "edit")},
    )


@login_required
@require_GET
def backlog(request, space):
    space = space_for(request.user, space)
    # After a move the moved item stays selected, so Alt+arrow can be pressed again.
    slug, _, index = request.GET.get("selected", "").rpartition("-")
    return render(
        request,
        "artefacts/backlog.html",
        {
            "space": space,
            "backlogs": list(_pages(space, "backlog")),
            "selected_slug": slug,
            "selected_index": int(index) if index.isdigit() else None,
            "can_edit": can(space, "edit"),
        },
    )


@login_required
@require_POST
def move_item(request, space, page):
    page = page_for(request.user, space, page, need="edit")
    back = reverse("wiki:backlog", args=[page.space.slug])
    try:
        index = int(request.POST.get("index", ""))
        offset = int(request.POST.get("offset", ""))
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        messages.error(request, "Choose an item and a direction.")
        return redirect(back)
    try:
        actions.move_backlog_item(
            page=page, base_version=base_version, index=index, offset=offset, author=request.user
        )
    except (ValidationError, wiki.EditConflict) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect(back)
    return redirect(f"{back}?selected={page.slug}-{index + offset}")


@login_required
@require_GET
def done(request, space):
    space = space_for(request.user, space)
    return render(
        request,
        "artefacts/done.html",
        {
            "space": space,
            "definitions": list(_pages(space, "definition_of_done")),
            "can_edit": can(space, "edit"),
        },
    )
