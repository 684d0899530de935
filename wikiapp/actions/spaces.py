"""Spaces and their members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from wikiapp import validation
from wikiapp.models import Membership, Role, Space


@transaction.atomic
def create_space(*, slug: str, name: str, created_by, description: str = "") -> Space:
    name = validation.clean_title(name, label="Space name")
    slug = validation.clean_slug(slug or slugify(name))
    if Space.objects.filter(slug=slug).exists():
        raise ValidationError(f"A space with the address {slug!r} already exists.")
    space = Space.objects.create(
        slug=slug, name=name, description=validation.clean_text(description, label="Description")
    )
    if created_by is not None:
        Membership.objects.create(space=space, user=created_by, role=Role.ADMIN)
    return space


@transaction.atomic
def set_role(*, space: Space, user, role: str, acting_user) -> Membership:
    """Add `user` to `space` with `role`, or change their role."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}; choose reader, editor or admin.")
    membership = Membership.objects.select_for_update().filter(space=space, user=user).first()
    if membership is None:
        return Membership.objects.create(space=space, user=user, role=role)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _keep_one_admin(space, leaving=user)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, space: Space, user, acting_user) -> None:
    membership = Membership.objects.select_for_update().filter(space=space, user=user).first()
    if membership is None:
        raise ValidationError(f"{user} is not a member of {space}.")
    if membership.role == Role.ADMIN:
        _keep_one_admin(space, leaving=user)
    membership.delete()


def _keep_one_admin(space: Space, *, leaving) -> None:
    admins = (
        Membership.objects.select_for_update()
        .filter(space=space, role=Role.ADMIN)
        .exclude(user=leaving)
    )
    if not admins.exists():
        raise ValidationError("A space needs at least one admin; make someone else admin first.")
