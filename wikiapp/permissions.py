"""The one way views find spaces and pages: every lookup checks the user's role.

Outsiders get 404 (a space's existence is not disclosed); members without enough
rights get 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Value
from django.http import Http404

from wikiapp.models import NEED_RANK, ROLE_RANK, Membership, Page, PageRedirect, Role, Space
from wikiapp.selectors import page_with_role


class PageMoved(Exception):
    """The page was renamed; the middleware redirects to the same URL with `slug`."""

    def __init__(self, slug: str):
        self.slug = slug
        super().__init__(slug)


def _check(role: str | None, need: str) -> None:
    if role is None:
        raise Http404("No such page or space.")
    if ROLE_RANK[Role(role)] < NEED_RANK[need]:
        raise PermissionDenied(f"This needs {need} rights in this space.")


def role_in(user, space: Space) -> str | None:
    if user.is_superuser:
        return Role.ADMIN
    return Membership.objects.filter(space=space, user=user).values_list("role", flat=True).first()


def space_for(user, space_slug: str, need: str = "read") -> Space:
    """The space, with `.role` set to the user's role in it."""
    if not user.is_authenticated:
        raise Http404("No such space.")
    if user.is_superuser:
        space = Space.objects.filter(slug=space_slug).annotate(role=Value(Role.ADMIN.value)).first()
    else:
        space = (
            Space.objects.filter(slug=space_slug, memberships__user=user)
            .annotate(role=F("memberships__role"))
            .first()
        )
    _check(space.role if space else None, need)
    return space


def page_for(user, space_slug: str, page_slug: str, need: str = "read") -> Page:
    """The page with its space and current revision, and `.role` set, in one query."""
    if not user.is_authenticated:
        raise Http404("No such page.")
    page = page_with_role(user, space_slug, page_slug)
    if page is not None and page.role is None:
        page = None  # an outsider learns no more than for a page that does not exist
    if page is None:
        space = space_for(user, space_slug)  # 404 for outsiders before anything else
        moved = (
            PageRedirect.objects.filter(space=space, slug=page_slug)
            .values_list("page__slug", flat=True)
            .first()
        )
        if moved:
            raise PageMoved(moved)
        raise Http404("No such page.")
    _check(page.role, need)
    return page


def can(obj, need: str) -> bool:
    """Whether the role looked up with `obj` allows `need` (for templates)."""
    role = getattr(obj, "role", None)
    return role is not None and ROLE_RANK[Role(role)] >= NEED_RANK[need]
