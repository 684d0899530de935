"""Full-text search across the spaces the user belongs to."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from wikiapp.search import PAGE_SIZE, search_pages, visible_kinds, visible_spaces
from wikiapp.views import wants_fragment


@login_required
@require_GET
def search(request):
    query = " ".join(request.GET.get("q", "").split())
    space_slug = request.GET.get("space", "")
    kind = request.GET.get("kind", "")
    results = None
    if query:
        found = search_pages(request.user, query, space_slug=space_slug, kind=kind)
        results = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "wikiapp/search.html#results" if wants_fragment(request) else "wikiapp/search.html",
        {
            "query": query,
            "space_slug": space_slug,
            "kind": kind,
            "results": results,
            "spaces": visible_spaces(request.user).only("slug", "name").order_by("name"),
            "kinds": partial(visible_kinds, request.user),  # a fragment never shows them
        },
    )
    # One URL serves the page and the fragment; caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
