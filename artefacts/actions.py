"""Every change the artefacts make: decisions, runbooks, retros, agreement, backlog, health.

Each writes only through wikiapp.actions (create_page / save_revision), so every change is
a new revision like any other edit. An edit is made to the version the user looked at
(`base_version`): if the page moved on meanwhile, save_revision merges or refuses with
EditConflict, and a refusal stores nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artefacts import kinds
from artefacts.models import Acknowledgement, HealthSettings
from wikiapp import actions as wiki
from wikiapp.models import Page, Revision

MAX_NOTE = 400
# A decision that replaces another is still being decided or has been decided.
SUPERSEDING_STATUSES = ("proposed", "accepted")


def _require_kind(page: Page, key: str, doing: str) -> None:
    if page.kind != key:
        kind = kinds.get(page.kind)
        raise ValidationError(
            f"Only a {kinds.get(key).label.lower()} can be {doing}; "
            f"{page.title!r} is a {kind.label.lower()}."
        )


def _base_revision(page: Page, base_version: int) -> Revision:
    """The revision the user looked at, which the change is made to."""
    if page.current_id and page.current.number == base_version:
        return page.current
    revision = Revision.objects.filter(page=page, number=base_version).first()
    if revision is None:
        raise ValidationError(
            f"Version {base_version} of {page.title!r} does not exist; reload the page."
        )
    return revision


def _save_fields(
    *, page: Page, base: Revision, fields: dict, message: str, author
) -> wiki.SaveResult:
    return wiki.save_revision(
        page=page,
        base_version=base.number,
        title=base.title,
        body=base.body,
        fields=fields,
        message=message,
        author=author,
    )


def supersede_decision(
    *, old: Page, base_version: int, title: str, body: str, fields: dict, author
) -> Page:
    """Write a new decision that replaces `old`, and mark `old` superseded by it."""
    _require_kind(old, "decision", "superseded")
    new_fields = {k: v for k, v in fields.items() if k != "superseded_by"}
    new_fields |= {"status": fields.get("status") or "accepted", "supersedes": old.slug}
    # Checked in full (required fields too) before anything is written.
    new_fields = kinds.get("decision").clean_fields(new_fields)
    if new_fields["status"] not in SUPERSEDING_STATUSES:
        choices = " or ".join(SUPERSEDING_STATUSES)
        raise ValidationError(
            {"status": [f"A decision that supersedes another must be {choices}."]}
        )
    with transaction.atomic():
        # Lock first, so two people superseding the same decision cannot both succeed.
        locked = Page.objects.select_for_update().get(pk=old.pk)
        locked.space = old.space
        if locked.fields.get("status") == "superseded" or locked.fields.get("superseded_by"):
            by = locked.fields.get("superseded_by")
            raise ValidationError(
                f"{locked.title!r} is already superseded"
                + (f" by {by!r}; supersede that decision instead." if by else ".")
            )
        base = _base_revision(locked, base_version)
        new = wiki.create_page(
            space=old.space,
            parent=old.parent,
            kind="decision",
            title=title,
            body=body,
            fields=new_fields,
            message=f"Supersedes {locked.title}",
            author=author,
        )
        _save_fields(
            page=locked,
            base=base,
            fields={**base.fields, "status": "superseded", "superseded_by": new.slug},
            message=f"Superseded by {new.title}",
            author=author,
        )
    return new


def mark_exercised(
    *, page: Page, base_version: int, on: datetime.date, note: str, author
) -> wiki.SaveResult:
    """Record that a runbook was followed (for real or in a drill) on the day `on`."""
    _require_kind(page, "runbook", "marked exercised")
    if not isinstance(on, datetime.date) or isinstance(on, datetime.datetime):
        raise ValidationError("Give the day the runbook was exercised, like 2026-03-31.")
    if on > timezone.localdate():
        raise ValidationError(
            f"{on.isoformat()} is in the future; record an exercise once it has happened."
        )
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationError(
            f"The note is {len(note):,} characters long; the limit is {MAX_NOTE}."
        )
    with transaction.atomic():
        base = _base_revision(page, base_version)
        return _save_fields(
            page=page,
            base=base,
            fields={**base.fields, "last_exercised": on.isoformat()},
            message=f"Exercised: {note}" if note else "Exercised",
            author=author,
        )


def close_action_item(*, page: Page, base_version: int, index: int, author) -> wiki.SaveResult:
    """Mark one action item of a retrospective done; `index` counts from 0 in `base_version`."""
    _require_kind(page, "retrospective", "closed")
    with transaction.atomic():
        base = _base_revision(page, base_version)
        items = [dict(item) for item in base.fields.get("action_items") or []]
        if not 0 <= index < len(items):
            raise ValidationError(
                f"{page.title!r} has no action item {index + 1}"
                f" (it has {len(items)}); reload the list."
            )
        action = items[index].get("action") or f"item {index + 1}"
        if items[index].get("done"):
            raise ValidationError(f"{action!r} is already done.")
        items[index]["done"] = True
        result = _save_fields(
            page=page,
            base=base,
            fields={**base.fields, "action_items": items},
            message=f"Done: {action}",
            author=author,
        )
        if result.unchanged:
            # Someone else closed the same item meanwhile; the merge left nothing to do.
            raise ValidationError(f"{action!r} is already done.")
        return result


def acknowledge(*, page: Page, user, version: int) -> Acknowledgement:
    """Record that `user` has read `version` of a working agreement, its current one."""
    _require_kind(page, "working_agreement", "acknowledged")
    if version != page.version:
        # Acknowledging text one has not seen would make the record meaningless.
        raise ValidationError(
            f"{page.title!r} changed since you opened it (now version {page.version}); "
            "read the new version, then acknowledge it."
        )
    ack, _ = Acknowledgement.objects.update_or_create(
        page=page,
        user=user,
        defaults={"revision_number": version, "acknowledged_at": timezone.now()},
    )
    return ack


def move_backlog_item(
    *, page: Page, base_version: int, index: int, offset: int, author
) -> wiki.SaveResult:
    """Move one backlog item up (offset -1) or down (+1); the new order is a new revision.

    Made to the order the user saw: a reorder meanwhile makes the items conflict, so the
    move is refused rather than applied to a list the user never saw.
    """
    _require_kind(page, "backlog", "reordered")
    with transaction.atomic():
        base = _base_revision(page, base_version)
        items = list(base.fields.get("items") or [])
        target = index + offset
        if offset not in (-1, 1) or not 0 <= index < len(items) or not 0 <= target < len(items):
            raise ValidationError("That item cannot move further.")
        items[index], items[target] = items[target], items[index]
        title = items[target].get("title", "item")
        return _save_fields(
            page=page,
            base=base,
            fields={**base.fields, "items": items},
            message=f"Moved {title!r} {'up' if offset < 0 else 'down'}",
            author=author,
        )


HEALTH_THRESHOLDS = (
    "retro_cadence_days",
    "decision_proposed_days",
    "goal_stale_days",
    "action_item_open_days",
    "runbook_exercise_days",
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
