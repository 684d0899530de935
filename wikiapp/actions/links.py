"""Rendering page text against its space, and keeping shown links true as pages appear.

A revision's HTML is rendered once and never changes, so a [[link]] to a page that did not
exist yet stays "missing" in it. The page shown is Page.html when set: the current text
rendered again after a page it links to was created or renamed.
"""

from collections.abc import Iterable
from urllib.parse import quote

from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from wikiapp import rendering
from wikiapp.models import Page, Space

MISSING = 'class="wikilink missing"'


def render_body(space: Space, body: str, page_slug: str | None = None) -> str:
    """Sanitised HTML for `body`, with [[wiki links]] resolved against `space`.

    With the page's slug, links and images naming a bare file point at its attachments.
    """
    titles = rendering.wiki_link_titles(body)
    links: dict[str, str] = {}
    if titles:
        # PostgreSQL lowercases but cannot casefold; candidates come by lower(), and the
        # final match uses the same key as the renderer.
        candidates = {" ".join(t.split()).lower() for t in titles}
        candidates |= {rendering.title_key(t) for t in titles}
        rows = (
            Page.objects.filter(space=space)
            .annotate(lower_title=Lower("title"))
            .filter(lower_title__in=candidates)
            .values_list("title", "slug")
        )
        for title, slug in rows:
            links[rendering.title_key(title)] = reverse("wiki:page", args=[space.slug, slug])
    create_url = reverse("wiki:page_create", args=[space.slug])
    file_url = None
    if page_slug:
        files_url = reverse("wiki:attachment_named", args=[space.slug, page_slug, "-"])[:-1]
        file_url = lambda name: files_url + quote(name, safe="")  # noqa: E731
    return rendering.render_markdown(
        body,
        links=links,
        missing_url=lambda t: f"{create_url}?title={quote(t)}",
        file_url=file_url,
    )


def refresh_links_to(space: Space, title: str) -> int:
    """Render again the pages of `space` showing a missing link to `title`; how many."""
    needle = f'?title={quote(title)}"'
    candidates = Page.objects.filter(space=space).filter(
        Q(html__icontains=needle) | Q(html="", current__html__icontains=needle)
    )
    return refresh_missing_links(candidates.select_related("space", "current"))


def refresh_missing_links(pages: Iterable[Page]) -> int:
    """Render again those of `pages` that show a missing link; how many changed."""
    changed = 0
    for page in pages:
        shown = page.html or page.current.html
        if MISSING not in shown:
            continue
        html = render_body(page.space, page.current.body, page.slug)
        if html != shown:
            Page.objects.filter(pk=page.pk, version=page.version).update(html=html)
            page.html = html
            changed += 1
    return changed
