"""A space's home: its whole page tree, cached until the tree changes."""

import sys

import pytest

from wikiapp import actions
from wikiapp.models import Page, Space
from wikiapp.selectors import TreeNode
from wikiapp.views.spaces import _tree_html

pytestmark = pytest.mark.django_db


def test_it_shows_the_tree_nested_with_kinds_and_escaped_titles(space, people, client_as):
    parent = actions.create_page(space=space, title="Ops <b>", author=people.editor)
    actions.create_page(
        space=space, title="Restart", parent=parent, kind="runbook", author=people.editor
    )
    html = client_as(people.reader).get("/s/team/").content.decode()
    assert (
        '<ul class="tree" data-list><li data-item><a href="/s/team/ops-b/">Ops &lt;b&gt;</a>'
        '<ul class="tree"><li data-item><a href="/s/team/restart/">Restart</a> '
        '<span class="kind">runbook</span></li></ul></li></ul>'
    ) in html


def test_it_shows_a_new_renamed_or_moved_page_at_once(space, people, page, client_as):
    client = client_as(people.reader)
    assert "Working agreement</a>" in client.get("/s/team/").content.decode()
    other = actions.create_page(space=space, title="Goals", author=people.editor)
    assert "Goals</a>" in client.get("/s/team/").content.decode()
    actions.rename_page(page=other, title="Our goals", base_version=1, author=people.editor)
    assert "Our goals</a>" in client.get("/s/team/").content.decode()
    actions.move_page(page=Page.objects.get(pk=other.pk), parent=page, acting_user=people.editor)
    html = client.get("/s/team/").content.decode()
    moved = '<a href="/s/team/our-goals/">'
    assert f'Working agreement</a><ul class="tree"><li data-item>{moved}' in html


def test_it_says_so_when_there_are_no_pages(space, people, client_as):
    assert "<p>No pages yet.</p>" in client_as(people.reader).get("/s/team/").content.decode()


def test_it_draws_a_tree_deeper_than_pythons_recursion_limit():
    space = Space(slug="deep", name="Deep")
    root = node = TreeNode(page=Page(slug="p0", title="P0"), children=[])
    for n in range(1, sys.getrecursionlimit() * 3):
        child = TreeNode(page=Page(slug=f"p{n}", title=f"P{n}"), children=[])
        node.children.append(child)
        node = child
    depth = sys.getrecursionlimit() * 3
    html = _tree_html(space, [root])
    assert html.count("<li data-item>") == depth and html.endswith("</li></ul>" * depth)
