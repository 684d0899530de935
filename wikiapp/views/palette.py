"""The command palette: jump to any page in one's spaces, or to an action, by typing."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from wikiapp.models import Space
from wikiapp.permissions import PageMoved, can, page_for, space_for
from wikiapp.search import match_titles
from wikiapp.views import wants_fragment

MAX_QUERY = 200


@dataclass(frozen=True)
class Entry:
    label: str
    url: str
    hint: str  # shown beside the label: the space of a page, or "action"


def _context(user, path: str):
    """(space, page) the palette was opened on, if the user may see them."""
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    if match.namespace != "wiki" or "space" not in match.kwargs:
        return None, None
    try:
        if "page" in match.kwargs:
            page = page_for(user, match.kwargs["space"], match.kwargs["page"])
            return page.space, page
        return space_for(user, match.kwargs["space"]), None
    except (Http404, PermissionDenied, PageMoved):
        return None, None


def _actions(user, query: str, space, page, spaces) -> list[Entry]:
    entries = []
    if page is not None:
        if can(page, "edit"):
            entries.append(Entry(f"Edit {page.title}", page.url("page_edit"), "action"))
            entries.append(
                Entry(
                    f"New subpage of {page.title}",
                    reverse("wiki:page_create", args=[page.space.slug])
                    + "?"
                    + urlencode({"parent": page.slug}),
                    "action",
                )
            )
        entries.append(Entry(f"History of {page.title}", page.url("history"), "action"))
        if can(page, "admin"):
            entries.append(Entry(f"Change kind of {page.title}", page.url("page_kind"), "action"))
    if space is not None:
        if can(space if page is None else page, "edit"):
            entries.append(
                Entry(
                    f"New page in {space.name}",
                    reverse("wiki:page_create", args=[space.slug]),
                    "action",
                )
            )
        entries.append(
            Entry(f"Members of {space.name}", reverse("wiki:members", args=[space.slug]), "action")
        )
    for other in spaces:
        entries.append(Entry(f"Go to space {other.name}", other.get_absolute_url(), "space"))
    entries.append(Entry("My spaces", reverse("wiki:home"), "action"))
    if user.is_staff:
        entries.append(Entry("Admin", reverse("admin:index"), "action"))
    if query:
        entries.append(
            Entry(
                f"Search for “{query}”",
                reverse("wiki:search") + "?" + urlencode({"q": query}),
                "search",
            )
        )
    words = query.casefold().split()
    return [e for e in entries if all(w in e.label.casefold() for w in words)] if words else entries


@login_required
@require_GET
def palette(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    space, page = _context(request.user, request.GET.get("from", ""))
    spaces = (
        Space.objects.all()
        if request.user.is_superuser
        else Space.objects.filter(memberships__user=request.user)
    ).only("slug", "name")
    pages = [
        Entry(p.title, p.get_absolute_url(), p.space.name)
        for p in match_titles(request.user, query)
    ]
    results = pages + _actions(request.user, query, space, page, list(spaces))
    template = "wikiapp/palette.html#results" if wants_fragment(request) else "wikiapp/palette.html"
    return render(
        request, template, {"query": query, "results": results[:30], "palette_page": True}
    )
