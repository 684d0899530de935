"""Writing the benchmark corpus (bench.corpus) into whatever database Django is connected to.

People and spaces go through the actions. Pages and revisions are far too many for that
(10,000 pages of 20 revisions), so they are written in batches with COPY, but as exactly
the rows `actions.create_page` followed by `actions.save_revision` would have written:
the same validation, slugs, positions, rendered HTML and search vectors (see
tests/bench/test_seed.py, which compares the two).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.text import slugify
from tqdm import tqdm

from bench import corpus
from wikiapp import actions, search, validation
from wikiapp.models import Origin, Page, Role, Space

PAGE_COLUMNS = (
    "id",
    "space_id",
    "parent_id",
    "slug",
    "title",
    "kind",
    "position",
    "version",
    "current_id",
    "html",
    "fields",
    "created_at",
    "updated_at",
)
REVISION_COLUMNS = (
    "id",
    "page_id",
    "number",
    "title",
    "body",
    "fields",
    "html",
    "author_id",
    "author_name",
    "created_at",
    "message",
    "origin",
    "source_id",
    "source_version",
)

# The SQL of search.document_vector and search.title_vector, reading the current revision:
# `search_vector` and `title_vector` as the UPDATE in actions.pages._write_revision sets them.
VECTORS = """
UPDATE wikiapp_page AS p SET
    search_vector = ((setweight(to_tsvector(%(config)s::regconfig, COALESCE(r.title, '')), 'A')
        || setweight(to_tsvector(%(config)s::regconfig, COALESCE(v.fields_text, '')), 'B'))
        || setweight(to_tsvector(%(config)s::regconfig, COALESCE(r.body, '')), 'C')),
    title_vector = to_tsvector('simple'::regconfig, COALESCE(r.title, ''))
FROM unnest(%(ids)s::bigint[], %(texts)s::text[]) AS v(id, fields_text), wikiapp_revision AS r
WHERE p.id = v.id AND r.id = p.current_id
"""


@dataclass(frozen=True)
class Seeded:
    spaces: int
    pages: int
    revisions: int


@dataclass
class _State:
    """What the actions would read back from the database while creating pages in order."""

    spaces: list[Space]
    users: dict[str, int]  # username -> id
    page_ids: list[int]  # by corpus index
    slugs: dict[int, set[str]]  # space id -> slugs taken
    positions: dict[tuple[int, int | None], int]  # (space id, parent id) -> last position


def seed(
    *,
    pages: int,
    revisions: int,
    password: str,
    spaces: int = 5,
    history_revisions: int = 200,
    batch_size: int = 200,
    progress: bool = False,
) -> Seeded:
    """Write the corpus of these sizes; the database must not hold the bench spaces yet."""
    state = _State(
        spaces=create_spaces(spaces, password=password),
        users={},
        page_ids=[],
        slugs={},
        positions={},
    )
    state.users = dict(
        get_user_model().objects.filter(username__in=corpus.PEOPLE).values_list("username", "id")
    )
    specs = corpus.page_specs(
        pages=pages, revisions=revisions, spaces=spaces, history_revisions=history_revisions
    )
    total = (pages - 1) * revisions + history_revisions if pages else 0
    written = 0
    with tqdm(total=total, unit="rev", disable=not progress, smoothing=0.05) as bar:
        for batch in _batched(specs, batch_size):
            count = _write_batch(batch, state)
            written += count
            bar.update(count)
    return Seeded(spaces=len(state.spaces), pages=len(state.page_ids), revisions=written)


def create_spaces(count: int, *, password: str) -> list[Space]:
    """The bench people, and `count` spaces where each has the role corpus.PEOPLE gives."""
    users = {}
    for username in corpus.PEOPLE:
        users[username] = get_user_model().objects.create_user(username, password=password)
    admin = users["bench-admin"]
    created = []
    for slug, name in corpus.space_specs(count):
        space = actions.create_space(slug=slug, name=name, created_by=admin)
        for username, role in corpus.PEOPLE.items():
            if role is not None and role != Role.ADMIN:
                actions.set_role(space=space, user=users[username], role=role, acting_user=admin)
        created.append(space)
    return created


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _unique_slug(state: _State, space: Space, title: str) -> str:
    # As actions.pages._unique_slug, against the slugs this seeding has taken so far.
    base = slugify(title, allow_unicode=True)[:180].strip("-_") or "page"
    taken = state.slugs.setdefault(space.pk, set())
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


@dataclass
class _Page:
    spec: corpus.PageSpec
    row: dict
    revisions: list[dict]


def _prepare(spec: corpus.PageSpec, state: _State, page_id: int, revision_ids: list[int]):
    """The page's rows, validated as create_page and save_revision validate; HTML pending."""
    space = state.spaces[spec.space]
    title = validation.clean_title(spec.title)
    kind = validation.clean_kind(spec.kind)
    parent_id = state.page_ids[spec.parent] if spec.parent is not None else None
    key = (space.pk, parent_id)
    position = (state.positions.get(key) or 0) + 1
    state.positions[key] = position
    revisions, previous = [], None
    for number, (revision, revision_id) in enumerate(
        zip(spec.revisions, revision_ids, strict=True), start=1
    ):
        body = validation.clean_body(revision.body)
        fields = validation.clean_fields(revision.fields, kind=kind)
        message = validation.clean_message(revision.message)
        if number == 1:
            message = message or "Created"
        elif (title, body, fields) == previous:
            raise ValueError(f"revision {number} of {title!r} changes nothing; save would skip it")
        previous = (title, body, fields)
        revisions.append(
            {
                "id": revision_id,
                "page_id": page_id,
                "number": number,
                "title": title,
                "body": body,
                "fields": fields,
                "html": None,
                "author_id": state.users[revision.author],
                "author_name": "",
                "created_at": revision.created_at,
                "message": message,
                "origin": Origin.WEB.value,
                "source_id": "",
                "source_version": "",
            }
        )
    last = revisions[-1]
    row = {
        "id": page_id,
        "space_id": space.pk,
        "parent_id": parent_id,
        "slug": _unique_slug(state, space, title),
        "title": title,
        "kind": kind,
        "position": position,
        "version": last["number"],
        "current_id": last["id"],
        "html": "",
        "fields": last["fields"],
        "created_at": revisions[0]["created_at"],
        "updated_at": max(r["created_at"] for r in revisions),
    }
    return _Page(spec=spec, row=row, revisions=revisions)


def _write_batch(specs: list[corpus.PageSpec], state: _State) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        # The page rows name their current revisions, written a moment later.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        page_ids = _next_ids(cursor, Page._meta.db_table, len(specs))
        revision_ids = _next_ids(
            cursor, "wikiapp_revision", sum(len(spec.revisions) for spec in specs)
        )
        prepared, start = [], 0
        for spec, page_id in zip(specs, page_ids, strict=True):
            end = start + len(spec.revisions)
            prepared.append(_prepare(spec, state, page_id, revision_ids[start:end]))
            state.page_ids.append(page_id)
            start = end
        _copy(cursor, Page._meta.db_table, PAGE_COLUMNS, (p.row for p in prepared))
        # Rendered once the pages exist, so [[links]] to pages of this batch resolve.
        for page in prepared:
            space = state.spaces[page.spec.space]
            rendered: dict[str, str] = {}
            for revision in page.revisions:
                body = revision["body"]
                if body not in rendered:
                    rendered[body] = actions.render_body(space, body, page.row["slug"])
                revision["html"] = rendered[body]
        _copy(
            cursor,
            "wikiapp_revision",
            REVISION_COLUMNS,
            (r for p in prepared for r in p.revisions),
        )
        cursor.execute(
            VECTORS,
            {
                "config": settings.WIKI_SEARCH_CONFIG,
                "ids": [p.row["id"] for p in prepared],
                "texts": [search.fields_text(p.row["fields"]) for p in prepared],
            },
        )
    return sum(len(p.revisions) for p in prepared)


def _next_ids(cursor, table: str, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _copy(cursor, table: str, columns: tuple[str, ...], rows: Iterable[dict]) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c == "fields" else row[c] for c in columns])
