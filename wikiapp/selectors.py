"""Reads that need more than a QuerySet method: the tree around a page, in one query each,
and the page lookup every page view starts with.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection

from wikiapp.models import Membership, Page, PageRead, Revision, Role, Space


def _columns(model, alias: str, *, skip: tuple[str, ...] = ()) -> tuple[list, list[str]]:
    """(fields, SQL column references) of `model`'s concrete fields, in field order."""
    fields = [f for f in model._meta.concrete_fields if f.name not in skip]
    return fields, [f'{alias}."{f.column}"' for f in fields]


@dataclass(frozen=True)
class _Hydrator:
    """Builds `model` instances from raw column values, converted as the ORM would (JSON...)."""

    model: type
    attnames: list[str]
    converters: list[tuple]  # (position, column expression, converter functions)

    @classmethod
    def of(cls, model, fields: list) -> "_Hydrator":
        converters = []
        for position, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                converters.append((position, column, found))
        return cls(model, [f.attname for f in fields], converters)

    def __call__(self, values: list):
        for position, column, functions in self.converters:
            for convert in functions:
                values[position] = convert(values[position], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


@cache
def _page_lookup():
    """The SQL of page_with_role and the field names to build its models, made once.

    Written by hand because this query starts every page view: the ORM took longer to
    compile it (select_related over four tables plus two annotations) than PostgreSQL
    took to run it. The columns come from the models, so a new field is read too.
    """
    user_model = get_user_model()
    parts = {
        "page": _columns(Page, "p", skip=("search_vector", "title_vector")),
        "space": _columns(Space, "s"),
        "revision": _columns(Revision, "r"),
        "author": _columns(user_model, "u", skip=("password",)),
    }
    select = ", ".join(column for _, columns in parts.values() for column in columns)
    # Only table and column names from the models are formatted in; values are parameters.
    sql = f"""
        SELECT {select}, m.role, pr.revision_number
        FROM {Page._meta.db_table} p
        JOIN {Space._meta.db_table} s ON s.id = p.space_id
        LEFT JOIN {Revision._meta.db_table} r ON r.id = p.current_id
        LEFT JOIN {user_model._meta.db_table} u ON u.id = r.author_id
        LEFT JOIN {Membership._meta.db_table} m ON m.space_id = s.id AND m.user_id = %(user)s
        LEFT JOIN {PageRead._meta.db_table} pr ON pr.page_id = p.id AND pr.user_id = %(user)s
        WHERE s.slug = %(space)s AND p.slug = %(page)s
    """  # noqa: S608
    models = {"page": Page, "space": Space, "revision": Revision, "author": user_model}
    return sql, {name: _Hydrator.of(models[name], fields) for name, (fields, _) in parts.items()}


def page_with_role(user, space_slug: str, page_slug: str) -> Page | None:
    """The page with its space, current revision and its author, in one query.

    Also sets `.role` (the user's role in the space; None for outsiders) and
    `.read_version` (the version the user last saw; None: never), as the page views use.
    """
    sql, builders = _page_lookup()
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user.pk, "space": space_slug, "page": page_slug})
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    parts = {name: [next(values) for _ in build.attnames] for name, build in builders.items()}
    role, read_version = next(values), next(values)
    page = builders["page"](parts["page"])
    page.space = builders["space"](parts["space"])
    if page.current_id is not None:
        revision = builders["revision"](parts["revision"])
        if revision.author_id is not None:
            revision.author = builders["author"](parts["author"])
        page.current = revision
    page.role = Role.ADMIN.value if user.is_superuser else role
    page.read_version = read_version
    return page


@dataclass(frozen=True)
class TreeLink:
    id: int
    slug: str
    title: str
    kind: str


# One round trip for both the breadcrumbs (ancestors, root first) and the children.
_NEIGHBOURHOOD_SQL = """
WITH RECURSIVE up(id, parent_id, slug, title, kind, depth) AS (
    SELECT p.id, p.parent_id, p.slug, p.title, p.kind, 0
    FROM wikiapp_page p WHERE p.id = %(parent_id)s
  UNION ALL
    SELECT p.id, p.parent_id, p.slug, p.title, p.kind, up.depth + 1
    FROM wikiapp_page p JOIN up ON p.id = up.parent_id
    WHERE up.depth < 100
)
SELECT 'a' AS role, id, slug, title, kind, -depth AS ord, '' AS sort_title FROM up
UNION ALL
SELECT 'c', c.id, c.slug, c.title, c.kind, c.position, c.title
FROM wikiapp_page c WHERE c.parent_id = %(page_id)s
ORDER BY role, ord, sort_title
"""


def neighbourhood(page: Page) -> tuple[list[TreeLink], list[TreeLink]]:
    """(ancestors root first, children in order) of `page`."""
    with connection.cursor() as cursor:
        cursor.execute(_NEIGHBOURHOOD_SQL, {"parent_id": page.parent_id, "page_id": page.pk})
        rows = cursor.fetchall()
    ancestors = [TreeLink(*row[1:5]) for row in rows if row[0] == "a"]
    children = [TreeLink(*row[1:5]) for row in rows if row[0] == "c"]
    return ancestors, children


def ancestor_ids(page: Page) -> set[int]:
    """Ids of `page`'s ancestors (not the page itself)."""
    ancestors, _ = neighbourhood(page)
    return {link.id for link in ancestors}


@dataclass
class TreeNode:
    page: Page
    children: list["TreeNode"]


def space_tree(space_id: int) -> list[TreeNode]:
    """The whole page tree of a space from one query."""
    pages = list(Page.objects.filter(space_id=space_id).tree_rows())
    nodes = {p.pk: TreeNode(page=p, children=[]) for p in pages}
    roots: list[TreeNode] = []
    for page in pages:
        node = nodes[page.pk]
        parent = nodes.get(page.parent_id) if page.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


_TREE_STAMP_SQL = """
SELECT md5(coalesce(json_agg(json_build_array(id, parent_id, position, kind, slug, title)
                             ORDER BY id)::text, ''))
FROM wikiapp_page WHERE space_id = %s
"""


def tree_stamp(space_id: int) -> str:
    """A fingerprint of everything space_tree returns, computed inside PostgreSQL.

    A cached rendering of the tree stays right as long as this does: any page created,
    renamed, moved or given another kind changes it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_TREE_STAMP_SQL, [space_id])
        return cursor.fetchone()[0]


_SUBTREE_SQL = """
WITH RECURSIVE down(id) AS (
    SELECT id FROM wikiapp_page WHERE id = %s
  UNION
    SELECT p.id FROM wikiapp_page p JOIN down ON p.parent_id = down.id
)
SELECT id FROM down
"""


def subtree_ids(page: Page) -> set[int]:
    """Ids of `page` and everything below it."""
    with connection.cursor() as cursor:
        cursor.execute(_SUBTREE_SQL, [page.pk])
        return {row[0] for row in cursor.fetchall()}
