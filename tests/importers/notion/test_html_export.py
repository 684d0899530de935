"""The Notion HTML export reader: layout and hierarchy, properties, databases, links, bad input."""

import datetime

import pytest

from importers.notion import read_notion_html
from importers.tree import SourceTree, Warning
from importers.zipsafe import SafeArchive
from tests.importers.notion import html_builders as b


@pytest.fixture(scope="module")
def tree() -> SourceTree:
    return read_notion_html(b.archive(b.sample_export()))


# --------------------------------------------------------------------------- layout


def test_it_reads_every_part_without_the_wrapper_folder(tree):
    ids = {page.source_id for _, page in tree.walk()}
    assert {b.HOME, b.BLOCKS, b.FILES} <= ids  # part 1
    assert {b.SUB, b.ROW_SHIP, b.CHILD, b.NOTES} <= ids  # part 2
    assert all(not page.path.startswith("Export-") for _, page in tree.walk())
    assert tree.count() == (11, 11, 6)


def test_it_reads_parts_that_have_no_wrapper_folder():
    tree = b.read([{f"Solo {b.HOME}.html": b.page_html("Solo", "<p>x</p>")}], wrapper=None)
    assert [p.title for p in tree.roots] == ["Solo"]


def test_it_reads_the_export_as_the_pipeline_hands_it_over(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(b.sample_export())
    with SafeArchive(path) as archive:
        tree = read_notion_html(archive)
        assert tree.count() == (11, 11, 6)
        files = b.page_in(tree, b.FILES)
        assert files.attachments[0].read() == b"\x89PNG diagram"


def test_it_shows_titles_without_ids_and_keeps_the_hex_id_as_source_id(tree):
    home = b.page_in(tree, b.HOME)
    assert home.title == "Home"
    assert home.path == f"Home {b.HOME}.html"
    assert len(home.revisions) == 1


def test_it_falls_back_to_the_file_name_and_the_article_id():
    untitled = b.page_html("", "<p>x</p>").replace('<h1 class="page-title"></h1>', "")
    no_id_in_name = b.page_html("Named", "<p>y</p>", page_id=b.SUB)
    tree = b.read([{f"Plain title {b.HOME}.html": untitled, "Named.html": no_id_in_name}])
    assert b.page_in(tree, b.HOME).title == "Plain title"
    assert b.page_in(tree, b.SUB).title == "Named"


def test_it_nests_subpages_found_in_the_folder_of_their_page(tree):
    assert b.parent_id(tree, b.SUB) == b.HOME  # in part 2, its page in part 1
    assert b.parent_id(tree, b.TASKS) == b.HOME
    assert b.parent_id(tree, b.ROW_DOCS) == b.TASKS
    assert {p.title for p in tree.roots} == {
        "Home",
        "Blocks",
        "Files",
        "Notes",
        "Latin1",
        "Kept child",
    }


def test_it_orders_children_as_their_page_links_them(tree):
    home = b.page_in(tree, b.HOME)
    assert [c.title for c in home.children] == ["Sub page", "Tasks", "Child"]


def test_it_handles_byte_order_marks_and_trailing_spaces_in_names(tree):
    assert b.parent_id(tree, b.CHILD) == b.HOME  # folder "Home <id> /"
    notes = b.page_in(tree, b.NOTES)
    assert notes.title == "Notes"
    assert notes.revisions[-1].body == "Noted.\n"
    assert "[[Notes|the notes]]" in b.body_of(tree, b.HOME)  # linked as %EF%BB%BFNotes...


INDEX_LISTS = (
    # As Notion writes it: each page a list holding its link and then its subpages' lists.
    '<ul id="id::ws"><li><h3>Workspace details:</h3></li><li><ul id="id::home">'
    f'<a href="Home%20{b.HOME}.html">Home {b.HOME}.html</a>'
    f'<li><ul id="id::sub"><a href="Home%20{b.HOME}/Sub%20page%20{b.SUB}.html">Sub</a>'
    f'<li><ul id="id::notes"><a href="Notes%20{b.NOTES}.html">Notes</a></ul></li>'
    "</ul></li></ul></li></ul>"
)
INDEX_ITEMS = (
    # Plain nested lists: an item holds the page's link and a list of its subpages.
    f'<ul><li><a href="Home%20{b.HOME}.html">Home</a><ul>'
    f'<li><a href="Home%20{b.HOME}/Sub%20page%20{b.SUB}.html">Sub</a>'
    f'<ul><li><p><a href="Notes%20{b.NOTES}.html">Notes</a></p></li></ul></li>'
    "</ul></li></ul>"
)


@pytest.mark.parametrize("index", [INDEX_LISTS, INDEX_ITEMS])
def test_it_takes_the_hierarchy_from_index_html(index):
    pages = {
        f"Home {b.HOME}.html": b.page_html("Home", ""),
        f"Home {b.HOME}/Sub page {b.SUB}.html": b.page_html("Sub", ""),
        f"Notes {b.NOTES}.html": b.page_html("Notes", ""),  # at the top, but listed under Sub
        f"Home {b.HOME}/Child {b.CHILD}.html": b.page_html("Child", ""),  # not listed
    }
    tree = b.read([{"index.html": f"<html><body>{index}</body></html>", **pages}])
    assert [p.title for p in tree.roots] == ["Home"]
    assert b.parent_id(tree, b.SUB) == b.HOME
    assert b.parent_id(tree, b.NOTES) == b.SUB
    assert b.parent_id(tree, b.CHILD) == b.HOME  # by its folder
    assert all(page.title != "index" for _, page in tree.walk())


def test_it_reads_the_index_of_every_part():
    index = f'<ul><li><a href="A%20{b.HOME}.html">A</a><ul><li><a href="B%20{b.SUB}.html">B</a>'
    tree = b.read(
        [
            {"index.html": "<ul></ul>", f"A {b.HOME}.html": b.page_html("A", "")},
            {"index.html": index + "</li></ul></li></ul>", f"B {b.SUB}.html": b.page_html("B", "")},
        ]
    )
    assert b.parent_id(tree, b.SUB) == b.HOME


def test_it_keeps_only_the_first_page_with_an_id():
    tree = b.read([{f"A {b.HOME}.html": b.page_html("A", ""), f"x/A {b.HOME}.html": "<p>B</p>"}])
    assert [p.title for p in tree.roots] == ["A"]
    assert tree.warnings == [
        Warning(f"x/A {b.HOME}.html", f"same page id as A {b.HOME}.html; skipped")
    ]


def test_it_breaks_a_cycle_of_folders():
    # Each page's file sits in the other's folder.
    tree = b.read(
        [
            {
                f"Folder {b.HOME}/N {b.SUB}.html": b.page_html("N", ""),
                f"Other {b.SUB}/A {b.HOME}.html": b.page_html("A", ""),
            }
        ]
    )
    assert tree.count()[0] == 2
    assert any("cycle" in w.reason for w in tree.warnings)


# --------------------------------------------------------------------------- properties


def test_it_reads_properties_by_their_type(tree):
    assert b.page_in(tree, b.ROW_DOCS).fields == {
        "status": "In progress",
        "due": "2024-12-04",
        "sprint": "2024-12-01 → 2024-12-14",
        "owner": "Ann Lee",
        "reviewers": ["Bob", "Cleo"],
        "area": "Docs",
        "tags": ["docs", "urgent"],
        "done": True,
        "blocked": False,
        "spec": "https://example.com/spec",
        "estimate": 3,
        "budget": "$1,234.50",
        "summary": "Write it, then ship it",
        "blocks": "Ship it",  # a relation: the linked page's title
        "created": "2024-11-30",
    }


def test_it_dates_the_revision_from_the_created_time_property(tree):
    revision = b.page_in(tree, b.ROW_DOCS).revisions[-1]
    assert revision.created_at == datetime.datetime(2024, 11, 30, 9, 15, tzinfo=datetime.UTC)
    assert b.page_in(tree, b.HOME).revisions[-1].created_at is None


def test_it_prefers_the_last_edited_time():
    props = b.properties(
        [
            ("created_time", "Created", "<time>@Jan 2, 2024 10:00 AM</time>"),
            ("last_edited_time", "Edited", "<time>@March 5, 2024 4:30 PM</time>"),
        ]
    )
    tree = b.read([{f"P {b.HOME}.html": b.page_html("P", "", properties=props)}])
    revision = tree.roots[0].revisions[-1]
    assert revision.created_at == datetime.datetime(2024, 3, 5, 16, 30, tzinfo=datetime.UTC)


def test_it_strips_the_header_and_styles_from_the_body(tree):
    body = b.body_of(tree, b.ROW_DOCS)
    assert body == "Depends on [[Ship it]].\n"
    for _, page in tree.walk():
        text = page.revisions[-1].body
        assert "margin" not in text and "📄" not in text and "# Home" not in text


def test_it_starts_the_body_with_the_page_description():
    page = b.page_html("P", "<p>Body.</p>", description="In <strong>short</strong>.")
    tree = b.read([{f"P {b.HOME}.html": page}])
    assert tree.roots[0].revisions[-1].body == "In **short**.\n\nBody.\n"


# --------------------------------------------------------------------------- databases


def test_it_makes_each_database_row_a_child_page_with_fields(tree):
    tasks = b.page_in(tree, b.TASKS)
    assert tasks.title == "Tasks"
    assert [c.title for c in tasks.children] == ["Write docs", "Ship it"]
    assert b.page_in(tree, b.ROW_SHIP).fields == {"status": "Not started"}
    assert tasks.fields == {}


def test_it_writes_the_database_as_a_table_linking_its_rows(tree):
    assert b.body_of(tree, b.TASKS) == (
        "| Name | Status | Due | Done | Tags |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| [[Write docs]] | In progress | December 4, 2024 | Yes | docs, urgent |\n"
        "| [[Ship it]] | Not started |  | No |  |\n"
    )


# --------------------------------------------------------------------------- links


def test_it_rewrites_links_to_pages_as_wiki_links(tree):
    body = b.body_of(tree, b.HOME)
    assert "See [[Tasks|the task list]], [[Blocks]] and [[Notes|the notes]]." in body
    sub = b.body_of(tree, b.SUB)
    assert "Back [[Home|home]], on to [[Blocks|a heading]]." in sub  # ../ and a block anchor


def test_it_keeps_external_links_and_drops_dead_anchors(tree):
    body = b.body_of(tree, b.HOME)
    assert "[docs](https://example.com/docs), [mail](mailto:ann@example.com)" in body
    assert "this heading." in body and "#15b0080a" not in body


def test_it_counts_links_and_warns_about_unresolved_ones(tree):
    # Home: 3 pages + 1 notion.so URL, 2 external, 1 lost; Sub 2; Tasks 2 rows;
    # Write docs: 1 in the body and 1 relation.
    assert (tree.links.total, tree.links.resolved) == (14, 10)
    assert (tree.links.external, tree.links.unresolved) == (3, 1)
    lost = f"link to Gone {b.GONE}.html not found in the export"
    assert Warning(f"Home {b.HOME}.html", lost) in tree.warnings
    assert "Lost: Gone page" in b.body_of(tree, b.HOME)


# --------------------------------------------------------------------------- bad input


def test_it_replaces_undecodable_bytes_with_a_warning(tree):
    assert b.body_of(tree, b.LATIN1) == "caf\ufffd\n"
    reason = "not valid UTF-8; undecodable bytes replaced"
    assert Warning(f"Latin1 {b.LATIN1}.html", reason) in tree.warnings


def test_it_skips_a_file_that_is_not_html_and_keeps_its_subpages(tree):
    assert Warning(f"Broken {b.BROKEN}.html", "not an HTML page; skipped") in tree.warnings
    assert b.BROKEN not in {page.source_id for _, page in tree.walk()}
    assert b.parent_id(tree, b.BROKEN_CHILD) is None


def test_it_skips_a_page_it_cannot_convert(monkeypatch):
    def fail(text):
        raise ValueError("bad markup")

    monkeypatch.setattr("importers.notion.html.parse_page", fail)
    tree = b.read([{f"P {b.HOME}.html": b.page_html("P", "")}])
    assert tree.roots == []
    assert tree.warnings == [Warning(f"P {b.HOME}.html", "could not be read (ValueError); skipped")]
