"""Changing a page's kind: an admin's fix for a page that was classified wrongly."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from artefacts import kinds
from wikiapp import actions
from wikiapp.permissions import page_for


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label="New kind",
        choices=lambda: [(kind.key, kind.label) for kind in kinds.KINDS.values()],
        widget=forms.Select(attrs={"autofocus": True}),
    )
    base_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    message = forms.CharField(
        required=False,
        max_length=500,
        label="Change note",
        help_text="Optional: why the kind changes",
    )


@login_required
@require_http_methods(["GET", "POST"])
def page_kind(request, space, page):
    page = page_for(request.user, space, page, need="admin")
    form = KindForm(request.POST or None, initial={"kind": page.kind, "base_version": page.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = actions.change_kind(
                    page=page,
                    base_version=data["base_version"],
                    kind=data["kind"],
                    message=data["message"],
                    author=request.user,
                )
            except actions.StaleVersion as stale:
                status = 409
                form.add_error(None, f"{stale} Nothing was changed.")
                # Submitting again is then a choice made knowing the page changed.
                form.data = form.data.copy()
                form.data["base_version"] = page.version
            except ValidationError as error:
                form.add_error(None, error)
            else:
                label = kinds.get(result.page.kind).label
                if result.unchanged:
                    messages.info(
                        request, f"{page.title} is already of kind {label}; nothing changed."
                    )
                else:
                    messages.success(
                        request,
                        f"Changed the kind of {page.title} to {label} "
                        f"(version {result.revision.number}).",
                    )
                return redirect(result.page)
    return render(
        request,
        "wikiapp/page_kind.html",
        {
            "space": page.space,
            "page": page,
            "form": form,
            "kind": kinds.get(page.kind),
        },
        status=status,
    )
