"""The runbooks of a space, with how long ago each was last exercised."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from artefacts import actions
from artefacts.kinds.base import parse_date
from wikiapp import actions as wiki
from wikiapp.models import Page
from wikiapp.permissions import can, page_for, space_for

# A runbook nobody has followed for half a year probably no longer matches the system.
STALE_AFTER_DAYS = 180


def exercised_age(last: datetime.date | None, today: datetime.date) -> str:
    """How long ago, in words: "never", "today", "12 days ago", "over a year ago"."""
    if last is None:
        return "never"
    days = (today - last).days
    if days < 0:
        return f"dated {last.isoformat()}, in the future"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days <= 365:
        return f"{days} days ago"
    return "over a year ago"


def is_stale(last: datetime.date | None, today: datetime.date) -> bool:
    return last is None or (today - last).days > STALE_AFTER_DAYS


@dataclass(frozen=True)
class Row:
    page: Page
    owner: str
    last: datetime.date | None
    age: str
    stale: bool


@login_required
@require_GET
def runbook_list(request, space):
    space = space_for(request.user, space)
    today = timezone.localdate()
    pages = (
        Page.objects.filter(space=space, kind="runbook")
        .only("id", "space_id", "slug", "title", "version", "fields")
        .order_by("title")
    )
    rows = []
    for page in pages:
        last = parse_date(page.fields.get("last_exercised"))
        rows.append(
            Row(
                page=page,
                owner=page.fields.get("owner") or "",
                last=last,
                age=exercised_age(last, today),
                stale=is_stale(last, today),
            )
        )
    return render(
        request,
        "artefacts/runbooks.html",
        {
            "space": space,
            "rows": rows,
            "stale_count": sum(row.stale for row in rows),
            "stale_after": STALE_AFTER_DAYS,
            "can_edit": can(space, "edit"),
        },
    )


class ExercisedForm(forms.Form):
    on = forms.DateField(
        label="Exercised on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the date like 2026-03-31."},
    )
    note = forms.CharField(
        required=False,
        max_length=actions.MAX_NOTE,
        # The date is usually today: the note is what is left to type.
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text="Optional: a drill or a real incident, and anything that needs fixing",
    )
    base_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


@login_required
@require_http_methods(["GET", "POST"])
def mark_exercised(request, space, page):
    page = page_for(request.user, space, page, need="edit")
    if page.kind != "runbook":
        messages.error(request, f"Only a runbook can be marked exercised; {page.title} is not one.")
        return redirect(page)
    context = {"space": page.space, "page": page, "last": page.fields.get("last_exercised")}
    if request.method == "GET":
        context["form"] = ExercisedForm(
            initial={"on": timezone.localdate(), "base_version": page.version}
        )
        return render(request, "artefacts/mark_exercised.html", context)
    form = context["form"] = ExercisedForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.mark_exercised(
                page=page,
                base_version=data["base_version"],
                on=data["on"],
                note=data["note"],
                author=request.user,
            )
        except wiki.EditConflict as conflict:
            status = 409
            form.add_error(
                None,
                f"Someone changed the last exercised date of {page.title} meanwhile, so "
                "nothing was saved. Check the runbook and try again.",
            )
            form.data = form.data.copy()
            form.data["base_version"] = conflict.current.number
        except ValidationError as error:
            form.add_error(None, error)
        else:
            on = data["on"]
            messages.success(request, f"Marked {page.title} exercised on {on.day} {on:%b %Y}.")
            return redirect(reverse("wiki:runbook_list", args=[page.space.slug]))
    return render(request, "artefacts/mark_exercised.html", context, status=status)
