"""Reads that need more than a QuerySet method: the tree around a page, in one query each."""

from dataclasses import dataclass

from django.db import connection

from wikiapp.models import Page


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
