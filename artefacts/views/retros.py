"""The retrospectives of a space, and the action items still open across all of them."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.fields.json import KT
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from artefacts import actions
from artefacts.kinds.base import parse_date
from wikiapp import actions as wiki
from wikiapp.models import Page
from wikiapp.permissions import can, page_for, space_for


@dataclass(frozen=True)
class Retro:
    page: Page
    date: datetime.date | None
    facilitator: str
    open_items: int
    items: int


@dataclass(frozen=True)
class OpenItem:
    retro: Page
    index: int  # position in the retro's action items, counted from 0
    action: str
    owner: str


@login_required
@require_GET
def retro_list(request, space):
    space = space_for(request.user, space)
    pages = (
        Page.objects.filter(space=space, kind="retrospective")
        .only("id", "space_id", "slug", "title", "version", "fields")
        .order_by(KT("fields__date").desc(nulls_last=True), "title")
    )
    retros, open_items = [], []
    for page in pages:
        items = page.fields.get("action_items") or []
        still_open = [
            OpenItem(
                retro=page,
                index=index,
                action=item.get("action") or "",
                owner=item.get("owner") or "",
            )
            for index, item in enumerate(items)
            if isinstance(item, dict) and not item.get("done")
        ]
        open_items.extend(still_open)
        retros.append(
            Retro(
                page=page,
                date=parse_date(page.fields.get("date")),
                facilitator=page.fields.get("facilitator") or "",
                open_items=len(still_open),
                items=len(items),
            )
        )
    return render(
        request,
        "artefacts/retros.html",
        {
            "space": space,
            "retros": retros,
            "open_items": open_items,
            "unowned": sum(not item.owner for item in open_items),
            "can_edit": can(space, "edit"),
        },
    )


@login_required
@require_POST
def close_action_item(request, space, page, index):
    page = page_for(request.user, space, page, need="edit")
    back = reverse("wiki:retro_list", args=[page.space.slug])
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        messages.error(request, "That form was incomplete; reload the list and try again.")
        return redirect(back)
    try:
        result = actions.close_action_item(
            page=page, base_version=base_version, index=index, author=request.user
        )
    except wiki.EditConflict:
        messages.error(
            request,
            f"The action items of {page.title} changed since the list was shown, so nothing "
            "was saved. Here is the list as it is now; try again.",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        action = result.page.fields["action_items"][index].get("action")
        messages.success(request, f"Done: {action} (from {page.title}).")
    return redirect(back)
