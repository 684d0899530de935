"""The decision log of a space, and superseding one decision with another."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.fields.json import KT
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from artefacts import actions, kinds
from artefacts.kinds.base import parse_date
from artefacts.kinds.decision import STATUSES
from wikiapp import actions as wiki
from wikiapp.forms import PageForm
from wikiapp.models import Page
from wikiapp.permissions import can, page_for, space_for
from wikiapp.views import wants_fragment

DECISION = kinds.get("decision")


@dataclass(frozen=True)
class Link:
    slug: str
    title: str  # the slug when no decision of the space has that address


@dataclass(frozen=True)
class Row:
    page: Page
    date: datetime.date | None
    status: str
    owner: str
    supersedes: Link | None
    superseded_by: Link | None


def _decisions(space):
    """Every decision of the space, newest first; undated ones last."""
    return (
        Page.objects.filter(space=space, kind="decision")
        .only("id", "space_id", "slug", "title", "version", "fields")
        .order_by(KT("fields__date").desc(nulls_last=True), "title")
    )


def _rows(decisions: list[Page]) -> list[Row]:
    titles = {d.slug: d.title for d in decisions}

    def link(slug) -> Link | None:
        return Link(slug, titles.get(slug, slug)) if isinstance(slug, str) and slug else None

    return [
        Row(
            page=d,
            date=parse_date(d.fields.get("date")),
            status=d.fields.get("status") or "",
            owner=d.fields.get("owner") or "",
            supersedes=link(d.fields.get("supersedes")),
            superseded_by=link(d.fields.get("superseded_by")),
        )
        for d in decisions
    ]


@login_required
@require_GET
def decision_list(request, space):
    space = space_for(request.user, space)
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    owner = request.GET.get("owner", "").strip().lstrip("@")
    # The filters run here rather than in SQL: the rows of every decision are needed
    # anyway, for the titles of supersession links and the owners to filter by.
    rows = _rows(list(_decisions(space)))
    owners = sorted({row.owner for row in rows if row.owner}, key=str.casefold)
    shown = [
        row
        for row in rows
        if (not status or row.status == status)
        and (not owner or row.owner.casefold() == owner.casefold())
    ]
    template = "artefacts/decisions.html"
    response = render(
        request,
        f"{template}#timeline" if wants_fragment(request) else template,
        {
            "space": space,
            "rows": shown,
            "total": len(rows),
            "statuses": STATUSES,
            "owners": owners,
            "status": status,
            "owner": owner,
            "filtered": bool(status or owner),
            "can_edit": can(space, "edit"),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


class SupersedeForm(PageForm):
    """A new decision: title, text and the decision's own fields, except the links."""

    base_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # Set by the action, not typed.
    SET_BY_ACTION = ("supersedes", "superseded_by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, kind=DECISION, **kwargs)
        for name in (*self.SET_BY_ACTION, "message"):
            del self.fields[name]
        self.fields["title"].widget.attrs["autofocus"] = True
        self.fields["status"].choices = [(s, s) for s in actions.SUPERSEDING_STATUSES]

    @property
    def kind_fields(self) -> list:
        return [self[f.name] for f in self.kind.fields if f.name in self.fields]


def _not_supersedable(page: Page) -> str:
    """Why `page` cannot be superseded, or "" when it can."""
    if page.kind != "decision":
        return f"Only a decision can be superseded; {page.title} is not one."
    if page.fields.get("status") == "superseded" or page.fields.get("superseded_by"):
        return f"{page.title} is already superseded."
    return ""


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def supersede(request, space, page):
    old = page_for(request.user, space, page, need="edit")
    context = {"space": old.space, "page": old}
    status = 200
    if request.method == "GET":
        refusal = _not_supersedable(old)
        if refusal:
            messages.error(request, refusal)
            return redirect(old)
        context["form"] = SupersedeForm(
            initial={
                "body": DECISION.template,
                "date": timezone.localdate().isoformat(),
                "owner": old.fields.get("owner", ""),
                "status": "accepted",
                "base_version": old.version,
            }
        )
        return render(request, "artefacts/supersede.html", context)
    form = context["form"] = SupersedeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            new = actions.supersede_decision(
                old=old,
                base_version=form.cleaned_data["base_version"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                fields=form.page_fields,
                author=request.user,
            )
        except wiki.EditConflict as conflict:
            status = 409
            form.add_error(
                None,
                f"{old.title} changed while you were writing (now version "
                f"{conflict.current.number}: {', '.join(conflict.outcome.conflicts)}), so "
                "nothing was saved. Check the decision, then create the new one again.",
            )
            context["conflict"] = conflict
            # Your text stays; saving again supersedes the version that is current now.
            form.data = form.data.copy()
            form.data["base_version"] = conflict.current.number
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{new.title} now supersedes {old.title}.")
            return redirect(new)
    return render(request, "artefacts/supersede.html", context, status=status)
