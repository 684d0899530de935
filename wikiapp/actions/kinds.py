"""Changing what kind a page is, for pages an import (or a person) classified wrongly."""

from django.core.exceptions import ValidationError
from django.db import transaction

from artefacts import kinds
from wikiapp import validation
from wikiapp.actions.pages import WEB, SaveResult, StaleVersion, _write_revision, lock_page
from wikiapp.models import Page

# How many left-behind field names the revision message spells out before "and N more".
_NAMED_IN_MESSAGE = 8
_MESSAGE_LIMIT = 500  # Revision.message


def _carry_over(fields: dict, kind: kinds.Kind) -> tuple[dict, list[str]]:
    """(values the new kind can hold, names of the values it cannot)."""
    kept = {}
    for field in kind.fields:
        if field.name not in fields:
            continue
        try:
            value = field.clean(fields[field.name], require=False)
        except ValidationError:
            continue  # e.g. a status the new kind does not know: it stays behind
        if value not in (None, []):
            kept[field.name] = value
    left = [name for name in fields if name not in kept]
    return kept, left


def _summary(old: kinds.Kind, new: kinds.Kind, left: list[str], number: int) -> str:
    summary = f"Kind changed from {old.label} to {new.label}"
    if not left:
        return summary
    labels = {field.name: field.label.lower() for field in old.fields}
    names = [labels.get(name, name) for name in left]
    shown = ", ".join(names[:_NAMED_IN_MESSAGE])
    if len(names) > _NAMED_IN_MESSAGE:
        shown += f" and {len(names) - _NAMED_IN_MESSAGE} more"
    return f"{summary} (fields not carried over are kept in version {number}: {shown})"


def change_kind(
    *, page: Page, base_version: int, kind: str, author, message: str = ""
) -> SaveResult:
    """Make `page` a page of `kind`, as a new revision that history shows.

    The fields the new kind has keep their values; the others are left out of the new
    revision and stay in the one before it, which the revision message names. The kind
    itself belongs to the page, not to a revision: restoring an older version brings
    back its title, text and fields under the page's current kind. To undo a change,
    change the kind back, then restore the version before the change.
    """
    kind = validation.clean_kind(kind)
    message = validation.clean_message(message)
    with transaction.atomic():
        locked = lock_page(page, base_version)
        if base_version != locked.version:
            raise StaleVersion(
                f"{locked.title!r} changed since you looked (now version {locked.version}). "
                "Look at it again before changing its kind."
            )
        if kind == locked.kind:
            return SaveResult(page=locked, revision=locked.current, unchanged=True)
        old, new = kinds.get(locked.kind), kinds.KINDS[kind]
        current = locked.current
        fields, left = _carry_over(current.fields, new)
        fields = validation.clean_fields(fields, kind=kind)
        summary = _summary(old, new, left, current.number)
        if message:
            summary = f"{summary} — {message}"
        if len(summary) > _MESSAGE_LIMIT:
            summary = summary[: _MESSAGE_LIMIT - 1] + "…"
        locked.kind = kind
        locked.save(update_fields=["kind"])
        revision = _write_revision(
            page=locked,
            title=current.title,
            body=current.body,
            fields=fields,
            html=current.html,
            author=author,
            message=summary,
            provenance=WEB,
        )
    return SaveResult(page=locked, revision=revision)
