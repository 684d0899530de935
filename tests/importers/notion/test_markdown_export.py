import pytest

from importers.notion import read_notion_markdown
from importers.notion.markdown import parse_value
from importers.tree import SourcePage, SourceTree
from importers.zipsafe import UnsafeArchive
from tests.importers.notion import builders as b


def _tree() -> SourceTree:
    return read_notion_markdown(b.archive(b.sample_export()))


def _page(tree: SourceTree, source_id: str) -> SourcePage:
    return next(page for _, page in tree.walk() if page.source_id == source_id)


def _parent_id(tree: SourceTree, source_id: str) -> str | None:
    for parent, page in tree.walk():
        if page.source_id == source_id:
            return parent.source_id if parent else None
    raise AssertionError(source_id)


def test_it_reads_titles_without_ids_and_strips_heading_and_bom():
    tree = _tree()
    home = _page(tree, b.HOME)
    assert home.title == "Home"
    assert home.kind == "page"
    body = home.revisions[0].body
    assert not body.startswith("# Home")
    assert "\ufeff" not in body
    assert body.startswith("See ")
    assert len(home.revisions) == 1
    assert home.revisions[0].author == "" and home.revisions[0].created_at is None


def test_it_builds_the_hierarchy_across_both_parts():
    tree = _tree()
    assert {p.title for p in tree.roots} == {"Home", "Orphan", "Bad"}
    assert _parent_id(tree, b.SUB) == b.HOME  # Sub page is in part 2, Home in part 1
    assert _parent_id(tree, b.TASKS) == b.HOME
    assert _parent_id(tree, b.ROW) == b.TASKS
    assert tree.count() == (7, 7, 1)


def test_it_makes_a_database_page_from_the_all_csv_with_row_pages():
    tree = _tree()
    tasks = _page(tree, b.TASKS)
    assert tasks.title == "Tasks"
    assert [c.title for c in tasks.children] == ["Write docs"]
    body = tasks.revisions[0].body
    assert "| Name | Due | Done | Tags | Owner |" in body  # _all.csv preferred
    assert "| [[Write docs]] | December 4, 2024 8:45 AM | Yes | docs, urgent | Ann |" in body


def test_it_parses_row_properties_into_fields():
    row = _page(_tree(), b.ROW)
    assert row.title == "Write docs"
    assert row.fields == {
        "due": "2024-12-04",
        "done": True,
        "tags": ["docs", "urgent"],
        "owner": "Ann",
        "start": "2024-12-01",
    }
    assert row.revisions[0].body.endswith("Body text.")


def test_it_parses_values():
    assert parse_value("December 4, 2024 8:45 AM") == "2024-12-04"
    assert parse_value("December 4, 2024") == "2024-12-04"
    assert parse_value("No") is False
    assert parse_value(" a, b ,c ") == ["a", "b", "c"]
    assert parse_value(" plain ") == "plain"


def test_it_rewrites_links_and_counts_them():
    tree = _tree()
    body = _page(tree, b.HOME).revisions[0].body
    assert "See [[Sub page]] and [[Tasks|the tasks]]." in body
    assert "[Notion](https://www.notion.so/x)" in body
    assert "[mail](mailto:a@example.com)" in body
    assert "Lost: Gone page\n" in body
    assert "`[code](not-a-link.md)`" in body
    assert "Back [[Home|home]]." in _page(tree, b.SUB).revisions[0].body
    assert (tree.links.total, tree.links.resolved, tree.links.external) == (6, 3, 2)
    assert tree.links.unresolved == 1
    lost = [w for w in tree.warnings if "not found" in w.reason]
    assert len(lost) == 1
    assert lost[0].path == f"Home {b.HOME}.md"
    assert f"Gone {b.GONE}.md" in lost[0].reason


def test_it_turns_images_into_attachments_with_decoded_names():
    home = _page(_tree(), b.HOME)
    assert [a.name for a in home.attachments] == ["Bild ü.png"]
    assert home.attachments[0].read() == b"\x89PNG fake image"
    assert home.attachments[0].size == len(b"\x89PNG fake image")
    assert "![Bild](<Bild ü.png>)" in home.revisions[0].body


def test_it_makes_a_page_of_a_folder_without_markdown():
    tree = _tree()
    orphan = _page(tree, b.ORPHAN)
    assert orphan.title == "Orphan"
    assert orphan.revisions[0].body == ""
    assert [c.title for c in orphan.children] == ["Child"]


def test_it_replaces_undecodable_bytes_with_a_warning():
    tree = _tree()
    bad = _page(tree, b.BAD)
    assert bad.revisions[0].body == "broken \ufffd byte"
    assert any(w.path == f"Bad {b.BAD}.md" and "UTF-8" in w.reason for w in tree.warnings)


def test_it_reads_plain_entries_without_a_wrapper():
    data = b.zip_bytes({f"Page {b.HOME}.md": "# Page\n\nhello", f"Page {b.HOME}/pic.png": b"img"})
    tree = read_notion_markdown(b.archive(data))
    assert [p.title for p in tree.roots] == ["Page"]
    assert tree.roots[0].attachments[0].name == "pic.png"


def test_an_unsafe_path_refuses_the_export_before_it_is_read():
    with pytest.raises(UnsafeArchive, match="Evil"):
        read_notion_markdown(b.archive(b.zip_bytes({f"../Evil {b.HOME}.md": "# Evil"})))
