"""The space health page: 7 of 7 is a system; each finding links to the page that fixes it."""

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods

from artefacts import actions, kinds
from artefacts.health import health_stamp, settings_for, space_health
from artefacts.models import HealthSettings
from wikiapp.permissions import can, space_for

# Findings listed per kind before a "show all" link; a big space can have thousands.
FINDINGS_SHOWN = 20


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = HealthSettings
        fields = list(actions.HEALTH_THRESHOLDS)
        labels = {
            "retro_cadence_days": "A retrospective at least every (days)",
            "decision_proposed_days": "A decision may stay proposed for (days)",
            "goal_stale_days": "A goal's status should change within (days)",
            "action_item_open_days": "An action item may stay open for (days)",
            "runbook_exercise_days": "Exercise every runbook within (days)",
        }


@login_required
@require_http_methods(["GET", "POST"])
def health(request, space):
    space = space_for(request.user, space, need="admin" if request.method == "POST" else "read")
    settings = settings_for(space)
    today = timezone.localdate()
    # Worked out only when the cached report under this stamp is missing (see template).
    report = SimpleLazyObject(lambda: space_health(space, today=today, settings=settings))
    # Its own copy: validating writes the posted values into the instance, and the report
    # (worked out later, lazily) and its cache key must use the saved thresholds.
    form = ThresholdsForm(request.POST or None, instance=copy.copy(settings))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.update_health_settings(
                    space=space, values=form.cleaned_data, acting_user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Saved the health thresholds.")
                return redirect("wiki:health", space.slug)
    return render(
        request,
        "artefacts/health.html",
        {
            "space": space,
            "report": report,
            "stamp": health_stamp(space, settings, today),
            # Only a kind's key: any other value would be one more cached copy of the report.
            "show_all": request.GET.get("all") if request.GET.get("all") in kinds.KINDS else "",
            "shown": FINDINGS_SHOWN,
            "form": form,
            "is_admin": can(space, "admin"),
        },
        status=status,
    )
