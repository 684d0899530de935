"""Ranked full-text search over pages, and title matching for the command palette.

Each page carries two tsvectors, written by actions.pages._write_revision in the same UPDATE
that makes a revision current:
- `search_vector`: title (weight A), structured field values (B), Markdown body (C), in
  the WIKI_SEARCH_CONFIG text search configuration;
- `title_vector`: the title alone in the 'simple' configuration (no stemming), so that
  prefixes of the real words match.
"""

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import (
    CombinedSearchVector,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Length
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wikiapp.models import Page, Space

PAGE_SIZE = 20
MAX_QUERY_CHARS = 500

# Letters and digits: the text search parser splits words at "_" as it does at "-".
_WORD = re.compile(r"[^\W_]+")

# ts_headline wraps each match in these. They are random per process, so no page text
# can contain them: everything else in a headline is escaped, only these become <mark>.
_TOKEN = secrets.token_hex(8)
_START, _STOP = f"[hl-{_TOKEN}]", f"[/hl-{_TOKEN}]"


# Writing the vectors


def fields_text(value) -> str:
    """The searchable text of structured fields: their values, never their names."""
    return " ".join(_field_values(value))


def _field_values(value) -> Iterator[str]:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from _field_values(item)
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield str(value)


def document_vector(*, title: str, fields: dict, body: str) -> CombinedSearchVector:
    """The SQL expression for a page's `search_vector`."""
    config = settings.WIKI_SEARCH_CONFIG
    return (
        SearchVector(Value(title), config=config, weight="A")
        + SearchVector(Value(fields_text(fields)), config=config, weight="B")
        + SearchVector(Value(body), config=config, weight="C")
    )


def title_vector(title: str) -> SearchVector:
    """The SQL expression for a page's `title_vector`."""
    return SearchVector(Value(title), config="simple")


# Reading


def visible_spaces(user) -> QuerySet[Space]:
    if not user.is_authenticated:
        return Space.objects.none()
    if user.is_superuser:
        return Space.objects.all()
    return Space.objects.filter(memberships__user=user)


def visible_kinds(user) -> QuerySet:
    """The distinct kinds of the pages in the user's spaces, as plain strings."""
    return _visible_pages(user).order_by("kind").values_list("kind", flat=True).distinct()


def _visible_pages(user) -> QuerySet[Page]:
    if not user.is_authenticated:
        return Page.objects.none()
    # The vectors can be as long as the body; nothing here shows them.
    pages = Page.objects.defer("search_vector", "title_vector")
    return pages if user.is_superuser else pages.filter(space__memberships__user=user)


def _clean(text: str) -> str:
    # PostgreSQL cannot take a NUL in a text parameter.
    return " ".join(text.replace("\x00", " ").split())[:MAX_QUERY_CHARS]


def highlight(headline: str) -> SafeString:
    """A ts_headline result as HTML: all of it escaped, then the match markers made <mark>."""
    html = escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; the markers hold no HTML


@dataclass(frozen=True)
class Hit:
    page: Page  # with its space
    title: SafeString  # the title as HTML, matches in <mark>
    snippet: SafeString  # a passage of the body as HTML, matches in <mark>


class SearchResults:
    """Matching pages best first, lazily: a Paginator counts them and slices one page of Hits."""

    def __init__(self, pages: QuerySet[Page]):
        self.pages = pages

    def count(self) -> int:
        return self.pages.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Hit]:
        return [_hit(page) for page in self.pages[index]]

    def __iter__(self) -> Iterator[Hit]:
        return (_hit(page) for page in self.pages)


def _hit(page: Page) -> Hit:
    return Hit(
        page=page,
        title=highlight(page.title_headline),
        snippet=highlight(page.body_headline),
    )


def search_pages(
    user, query: str, *, space_slug: str | None = None, kind: str | None = None
) -> SearchResults:
    """Pages in the user's spaces matching `query` (web search syntax: "a phrase", -word, or).

    Ranked by weight (title, then fields, then body), newest first among equals.
    """
    query = _clean(query)
    pages = _visible_pages(user)
    if not query:
        return SearchResults(pages.none())
    if space_slug:
        pages = pages.filter(space__slug=_clean(space_slug))
    if kind:
        pages = pages.filter(kind=_clean(kind))
    config = settings.WIKI_SEARCH_CONFIG
    terms = SearchQuery(query, search_type="websearch", config=config)
    marks = {"config": config, "start_sel": _START, "stop_sel": _STOP}
    pages = (
        pages.filter(search_vector=terms)
        .select_related("space")
        .annotate(
            rank=SearchRank(F("search_vector"), terms),
            title_headline=SearchHeadline("title", terms, highlight_all=True, **marks),
            body_headline=SearchHeadline(
                "current__body", terms, max_words=30, min_words=12, **marks
            ),
        )
        .order_by("-rank", "-updated_at", "-pk")
    )
    return SearchResults(pages)


def match_titles(user, query: str, *, limit: int = 10) -> list[Page]:
    """Pages in the user's spaces whose title words start with the query's words, best first.

    "work agr" and "agree" both find "Working agreement". An exact title comes first,
    then titles that start with the query, then the closest matches, shorter first.
    """
    words = _WORD.findall(_clean(query))
    if not words or limit <= 0:
        return []
    # Only bare words reach to_tsquery, so user input cannot add its operators.
    prefixes = SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )
    typed = _clean(query)
    pages = (
        _visible_pages(user)
        .filter(title_vector=prefixes)
        .select_related("space")
        .annotate(
            exact=ExpressionWrapper(Q(title__iexact=typed), output_field=BooleanField()),
            starts=ExpressionWrapper(Q(title__istartswith=typed), output_field=BooleanField()),
            rank=SearchRank(F("title_vector"), prefixes),
        )
        .order_by("-exact", "-starts", "-rank", Length("title"), "title", "pk")
    )
    return list(pages[:limit])
