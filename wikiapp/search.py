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
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import (
    CombinedSearchVector,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Greatest, Length, Lower, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from artefacts import kinds
from wikiapp.models import Membership, Page, Space

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


# The spaces a user belongs to, for the SQL written by hand here (as _visible_pages).
_MEMBER_SPACES_SQL = "SELECT space_id FROM wikiapp_membership WHERE user_id = %(user)s"

_VISIBLE_KINDS_SQL = f"""
SELECT k.kind FROM unnest(%(kinds)s::text[]) AS k(kind)
WHERE EXISTS (
    SELECT 1 FROM wikiapp_page p
    WHERE p.kind = k.kind AND (%(everywhere)s OR p.space_id IN ({_MEMBER_SPACES_SQL}))
)
ORDER BY k.kind
"""  # noqa: S608 - a constant; values are parameters


def visible_kinds(user) -> list[str]:
    """The kinds that pages in the user's spaces have, as plain strings, from one query.

    One index probe per registered kind (page_space_kind) rather than a scan of every page.
    """
    if not user.is_authenticated:
        return []
    params = {"kinds": sorted(kinds.KINDS), "everywhere": user.is_superuser, "user": user.pk}
    with connection.cursor() as cursor:
        cursor.execute(_VISIBLE_KINDS_SQL, params)
        return [row[0] for row in cursor.fetchall()]


def _visible_pages(user) -> QuerySet[Page]:
    if not user.is_authenticated:
        return Page.objects.none()
    # The vectors can be as long as the body; nothing here shows them.
    pages = Page.objects.defer("search_vector", "title_vector")
    if user.is_superuser:
        return pages
    return pages.filter(space__in=Membership.objects.filter(user=user).values("space_id"))


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


# Ranking reads each matching page's whole search vector, a few KB from TOAST: fine for
# hundreds of pages, ~50 ms for ten thousand. For a word in more pages than this, the
# most recently changed this many are ranked and shown, and the rest are only counted
# as "more": no one pages through thousands of results, they add a word.
RANK_AT_MOST = 500
# What a result shows of its page.
HIT_FIELDS = ("slug", "title", "kind", "updated_at", "space__slug", "space__name")
# A snippet is taken from this much of the body around the first match, not all of it.
SNIPPET_WINDOW = 360


@contextmanager
def index_scans():
    """Within the block, PostgreSQL finds matches through the GIN index, not a scan
    (SearchResults runs its match query so).

    Its planner does not count what testing a match costs on a sequential scan, where
    each page's vector must be unpacked from TOAST: 30-40 ms at 10,000 pages, for a rare
    word as for a common one. The index answers in about 1 ms.
    """
    # A transaction scopes the setting; being read-only, it needs no savepoint of its own.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


# The matching pages the user may see, as a CTE over the page table alone: fenced off
# (MATERIALIZED) so the planner cannot join its way into scanning some other index and
# testing the match row by row; with sequential scans off, the GIN index is its one way.
_MATCHES = """
WITH matches AS MATERIALIZED (
    SELECT id, space_id, kind, updated_at FROM wikiapp_page
    WHERE search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(query)s)
), visible AS (
    SELECT id, updated_at FROM matches
    WHERE {visible}
)
"""
# All that is shown, in one go: the ids in rank order, and whether more matched. With too
# many matches, only the most recently changed RANK_AT_MOST are ranked.
_RANKED = """, candidates AS (
    SELECT id, row_number() OVER (ORDER BY updated_at DESC, id DESC) AS recency
    FROM (SELECT id, updated_at FROM visible
          ORDER BY updated_at DESC, id DESC LIMIT %(rank_at_most)s + 1) newest
)
SELECT p.id, (SELECT count(*) FROM candidates) > %(rank_at_most)s AS more
FROM candidates c JOIN wikiapp_page p ON p.id = c.id
WHERE c.recency <= %(rank_at_most)s
ORDER BY ts_rank(p.search_vector, websearch_to_tsquery(%(config)s::regconfig, %(query)s)) DESC,
         p.updated_at DESC, p.id DESC
"""


class SearchResults:
    """Matching pages best first, lazily: a Paginator counts them and slices one page of Hits."""

    def __init__(
        self,
        *,
        query: str = "",
        visible: str = "false",
        params: dict | None = None,
        terms: SearchQuery | None = None,
        word: str = "",
    ):
        self.terms = terms
        self.word = word  # the first word sought, to find where a snippet should start
        self._sql = _MATCHES.format(visible=visible)
        self._params = {
            **(params or {}),
            "config": settings.WIKI_SEARCH_CONFIG,
            "query": query,
            "rank_at_most": RANK_AT_MOST,
        }
        # Ids of what is shown, best first, fetched at the first count or slice.
        self._ids: list[int] | None = [] if not query else None
        self.more = False  # more pages match than are ranked and shown (see RANK_AT_MOST)

    def _ranked(self) -> list[int]:
        if self._ids is None:
            with index_scans(), connection.cursor() as cursor:
                cursor.execute(self._sql + _RANKED, self._params)
                rows = cursor.fetchall()
            self._ids = [pk for pk, _ in rows]
            self.more = bool(rows) and rows[0][1]
        return self._ids

    def count(self) -> int:
        """How many are shown: all matches, or RANK_AT_MOST when there are more."""
        return len(self._ranked())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Hit]:
        ids = self._ranked()[index]
        if not ids:
            return []
        shown = {page.pk: page for page in self._with_headlines(Page.objects.filter(pk__in=ids))}
        return [_hit(shown[pk]) for pk in ids if pk in shown]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self[: self.count()])

    def _with_headlines(self, pages: QuerySet[Page]) -> QuerySet[Page]:
        config = settings.WIKI_SEARCH_CONFIG
        marks = {"config": config, "start_sel": _START, "stop_sel": _STOP}
        body = F("current__body")
        found = StrIndex(Lower(body), Value(self.word.lower()))
        window = Substr(body, Greatest(found - SNIPPET_WINDOW // 4, 1), SNIPPET_WINDOW)
        # No rank or order here: the ids arrive in rank order already.
        return (
            pages.select_related("space")
            .only(*HIT_FIELDS)
            .annotate(
                title_headline=SearchHeadline("title", self.terms, highlight_all=True, **marks),
                body_headline=SearchHeadline(
                    window, self.terms, max_words=30, min_words=12, **marks
                ),
            )
            .order_by()
        )


def _hit(page: Page) -> Hit:
    return Hit(
        page=page,
        title=highlight(page.title_headline),
        snippet=highlight(page.body_headline),
    )


def _snippet_word(query: str) -> str:
    """The first word the query looks for (not one it leaves out), cut to a likely stem."""
    for token in query.split():
        if token.startswith("-") or token.lower() == "or":
            continue
        words = _WORD.findall(token)
        if words:
            return words[0][:6]
    return ""


def search_pages(
    user, query: str, *, space_slug: str | None = None, kind: str | None = None
) -> SearchResults:
    """Pages in the user's spaces matching `query` (web search syntax: "a phrase", -word, or).

    Ranked by weight (title, then fields, then body), newest first among equals.
    """
    query = _clean(query)
    if not query or not user.is_authenticated:
        return SearchResults()
    conditions, params = [], {}
    if not user.is_superuser:
        conditions.append(f"space_id IN ({_MEMBER_SPACES_SQL})")
        params["user"] = user.pk
    if space_slug:
        conditions.append("space_id = (SELECT id FROM wikiapp_space WHERE slug = %(space)s)")
        params["space"] = _clean(space_slug)
    if kind:
        conditions.append("kind = %(kind)s")
        params["kind"] = _clean(kind)
    terms = SearchQuery(query, search_type="websearch", config=settings.WIKI_SEARCH_CONFIG)
    return SearchResults(
        query=query,
        visible=" AND ".join(conditions) or "true",
        params=params,
        terms=terms,
        word=_snippet_word(query),
    )


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
        .only("title", "slug", "kind", "space__slug", "space__name")
        .annotate(
            exact=ExpressionWrapper(Q(title__iexact=typed), output_field=BooleanField()),
            starts=ExpressionWrapper(Q(title__istartswith=typed), output_field=BooleanField()),
            rank=SearchRank(F("title_vector"), prefixes),
        )
        .order_by("-exact", "-starts", "-rank", Length("title"), "title", "pk")
    )
    return list(pages[:limit])
