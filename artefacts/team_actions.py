"""Writes for the agreement and backlog lists (merged into artefacts.actions when both land)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artefacts.models import Acknowledgement, HealthSettings
from wikiapp import actions as wiki
from wikiapp.models import Page


def acknowledge(*, page: Page, user) -> Acknowledgement:
    """Record that `user` has read the current version of a working agreement."""
    if page.kind != "working_agreement":
        raise ValidationError("Only a working agreement can be acknowledged.")
    ack, _ = Acknowledgement.objects.update_or_create(
        page=page,
        user=user,
        defaults={"revision_number": page.version, "acknowledged_at": timezone.now()},
    )
    return ack


@transaction.atomic
def move_backlog_item(
    *, page: Page, base_version: int, index: int, offset: int, author
) -> wiki.SaveResult:
    """Move one backlog item up (offset -1) or down (+1); the new order is a new revision."""
    if page.kind != "backlog":
        raise ValidationError("Only a backlog's items can be reordered.")
    if page.version != base_version:
        raise wiki.StaleVersion(
            "The backlog changed since you looked; the list was reloaded, try again."
        )
    items = list(page.current.fields.get("items", []))
    target = index + offset
    if offset not in (-1, 1) or not 0 <= index < len(items) or not 0 <= target < len(items):
        raise ValidationError("That item cannot move further.")
    items[index], items[target] = items[target], items[index]
    title = items[target].get("title", "item")
    return wiki.save_revision(
        page=page,
        base_version=base_version,
        title=page.title,
        body=page.current.body,
        fields={**page.current.fields, "items": items},
        message=f"Moved {title!r} {'up' if offset < 0 else 'down'}",
        author=author,
    )


@transaction.atomic
def update_health_settings(*, space, values: dict, acting_user) -> HealthSettings:
    """Change a space's health thresholds (space admins)."""
    settings, _ = HealthSettings.objects.select_for_update().get_or_create(space=space)
    for name in HEALTH_THRESHOLDS:
        value = values.get(name)
        if not isinstance(value, int) or not 1 <= value <= 3650:
            raise ValidationError(f"{name.replace('_', ' ')} must be between 1 and 3650 days.")
        setattr(settings, name, value)
    settings.save()
    return settings


HEALTH_THRESHOLDS = (
    "retro_cadence_days",
    "decision_proposed_days",
    "goal_stale_days",
    "action_item_open_days",
    "runbook_exercise_days",
)
