"""read_confluence_xml: a Confluence XML backup zip to a SourceTree, without a database."""

import datetime
import os

import pytest

from importers.confluence.xml import read_confluence_xml
from tests.importers.confluence.xml_builders import Backup

UTC = datetime.UTC
ALICE, BOB = "ff8080815a0001", "ff8080815a0002"


def titles(pages):
    return [page.title for page in pages]


def by_title(tree):
    return {page.title: page for _, page in tree.walk()}


def reasons(tree):
    return [w.reason for w in tree.warnings]


def site() -> Backup:
    """A space with a nested tree, a history, and everything that must be left out."""
    backup = Backup().user(ALICE, "alice").user(BOB, "bob").space(home="100").noise()
    backup.page("100", "Home", "<p>Welcome</p>", position=0, creator=ALICE)
    backup.page("110", "Guides", parent="100", position=2)
    backup.page("120", "Alpha", parent="100", position=1)
    backup.page("130", "Beta", parent="100", position=1)
    backup.page("140", "Unordered", parent="100")
    backup.page("111", "Install", parent="110", position=0)
    backup.page("112", "Upgrade", parent="110", position=1)
    backup.page("200", "Draft idea", status="draft", parent="100")
    backup.page("210", "Binned", status="deleted", parent="100")
    backup.page("220", "Company news", cls="BlogPost")
    backup.page("230", "", "<p>Nice page!</p>", cls="Comment", space=None)
    backup.page("240", "Home", "<p>Shared draft</p>", cls="Draft")
    return backup


def test_it_builds_the_hierarchy_ordered_by_position_then_title():
    tree = read_confluence_xml(site().archive())

    assert tree.source == "confluence"
    assert titles(tree.roots) == ["Home"]
    home = tree.roots[0]
    assert titles(home.children) == ["Alpha", "Beta", "Guides", "Unordered"]
    assert titles(home.children[2].children) == ["Install", "Upgrade"]
    assert home.source_id == "100"
    assert home.path == "ds/Home"
    assert tree.warnings == []


def test_it_leaves_out_drafts_deleted_pages_blog_posts_and_comments():
    tree = read_confluence_xml(site().archive())

    assert sorted(by_title(tree)) == sorted(
        ["Home", "Alpha", "Beta", "Guides", "Unordered", "Install", "Upgrade"]
    )
    assert tree.count() == (7, 7, 0)
    assert by_title(tree)["Home"].revisions[-1].body == "Welcome\n"


@pytest.mark.parametrize("style", ["ref", "id"])
def test_historical_versions_become_earlier_revisions_in_version_order(style):
    backup = Backup().user(ALICE, "alice").user(BOB, "bob").space()
    backup.page(
        "300",
        "Runbook",
        "<p>Third</p>",
        version=3,
        creator=ALICE,
        modifier=BOB,
        modified="2016-05-12 09:00:00.000",
        comment="Fix typo",
    )
    # Written out of order, as backups do: the reader sorts by version.
    backup.page(
        "302",
        "Runbook (draft title)",
        "<p>Second</p>",
        version=2,
        original="300",
        original_style=style,
        creator=ALICE,
        modifier=ALICE,
        modified="2016-05-11 10:30:00.500",
        comment="More steps",
    )
    backup.page(
        "301",
        "Runbook",
        "<p>First</p>",
        version=1,
        original="300",
        original_style=style,
        creator=BOB,
        modified="2016-05-10 08:00:00.000",
    )

    tree = read_confluence_xml(backup.archive())

    (page,) = tree.roots
    assert page.source_id == "300"
    assert [(r.version, r.title, r.body) for r in page.revisions] == [
        ("1", "Runbook", "First\n"),
        ("2", "Runbook (draft title)", "Second\n"),
        ("3", "Runbook", "Third\n"),
    ]
    assert [r.author for r in page.revisions] == ["bob", "alice", "bob"]
    assert [r.message for r in page.revisions] == ["", "More steps", "Fix typo"]
    assert page.revisions[0].created_at == datetime.datetime(2016, 5, 10, 8, 0, tzinfo=UTC)
    assert page.revisions[1].created_at == datetime.datetime(
        2016, 5, 11, 10, 30, 0, 500000, tzinfo=UTC
    )


def test_versions_listed_only_in_historical_versions_are_not_pages():
    backup = Backup().space()
    backup.page("400", "Policy", "<p>New</p>", version=2, historical=("401",))
    backup.page("401", "Policy", "<p>Old</p>", version=1)  # no originalVersion of its own

    tree = read_confluence_xml(backup.archive())

    assert [r.body for r in tree.roots[0].revisions] == ["Old\n", "New\n"]


def test_history_of_deleted_pages_and_draft_versions_are_ignored():
    backup = Backup().space()
    backup.page("500", "Kept", "<p>Now</p>", version=2)
    backup.page("501", "Kept", "<p>Draft</p>", version=3, original="500", status="draft")
    backup.page("510", "Gone", version=2, status="deleted")
    backup.page("511", "Gone", version=1, original="510")

    tree = read_confluence_xml(backup.archive())

    assert titles(tree.roots) == ["Kept"]
    assert [r.body for r in tree.roots[0].revisions] == ["Now\n"]


def test_authors_fall_back_to_the_creator_then_to_old_user_names():
    backup = Backup().user(ALICE, "alice").space()
    backup.page("600", "Created only", creator=ALICE)
    backup.page(
        "610", "Old export", extra='<property name="creatorName"><![CDATA[carol]]></property>'
    )
    backup.page("620", "Nobody")

    pages = by_title(read_confluence_xml(backup.archive()))

    assert pages["Created only"].revisions[0].author == "alice"
    assert pages["Old export"].revisions[0].author == "carol"
    assert pages["Nobody"].revisions[0].author == ""


def test_a_page_whose_parent_is_missing_becomes_a_root_with_a_warning():
    backup = Backup().space()
    backup.page("700", "Root")
    backup.page("710", "Orphan", parent="999")
    backup.page("720", "Child of a deleted page", parent="730")
    backup.page("730", "Deleted", status="deleted")

    tree = read_confluence_xml(backup.archive())

    assert titles(tree.roots) == ["Child of a deleted page", "Orphan", "Root"]
    assert [(w.path, w.reason) for w in tree.warnings] == [
        ("ds/Child of a deleted page", "parent page 730 is not in the export; "
         "imported as a top-level page"),
        ("ds/Orphan", "parent page 999 is not in the export; imported as a top-level page"),
    ]  # fmt: skip


def test_bodies_are_converted_with_links_to_pages_of_the_import():
    backup = Backup().space()
    backup.page(
        "800",
        "Index",
        '<p><ac:link><ri:page ri:content-title="Target" /></ac:link> and '
        '<ac:link><ri:page ri:content-title="Nowhere" /></ac:link> and '
        '<a href="https://example.com">out</a></p>',
    )
    backup.page("810", "Target", parent="800")

    tree = read_confluence_xml(backup.archive())

    body = tree.roots[0].revisions[-1].body
    assert body == "[[Target]] and [[Nowhere]] and [out](https://example.com)\n"
    assert (tree.links.total, tree.links.resolved) == (3, 1)
    assert (tree.links.external, tree.links.unresolved) == (1, 1)
    assert reasons(tree) == ["link to page 'Nowhere' not found in the export"]


def test_only_the_current_revision_counts_links_and_warns():
    backup = Backup().space()
    old_link = '<p><ac:link><ri:page ri:content-title="Old target" /></ac:link></p>'
    backup.page("900", "Page", "<p>Clean now</p>", version=3)
    backup.page("901", "Page", old_link, version=1, original="900")
    backup.page("902", "Page", old_link, version=2, original="900")

    tree = read_confluence_xml(backup.archive())

    assert [r.body for r in tree.roots[0].revisions] == ["[[Old target]]\n"] * 2 + ["Clean now\n"]
    assert tree.links.total == 0
    assert tree.warnings == []


def test_wiki_markup_bodies_of_confluence_3_are_kept_as_text():
    backup = Backup().space()
    backup.page("950", "Legacy", "h1. Title\n* item", body_type=0)

    tree = read_confluence_xml(backup.archive())

    assert tree.roots[0].revisions[0].body == "```\nh1. Title\n* item\n```\n"
    assert reasons(tree) == ["body is in Confluence 3 wiki markup; imported as plain text"]


def test_a_code_macro_survives_the_cdata_nested_in_the_body_cdata():
    backup = Backup().space()
    backup.page(
        "960",
        "Snippets",
        '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">xml'
        "</ac:parameter><ac:plain-text-body><![CDATA[<a>&amp;</a>]]></ac:plain-text-body>"
        "</ac:structured-macro>",
    )

    tree = read_confluence_xml(backup.archive())

    assert tree.roots[0].revisions[0].body == "```xml\n<a>&amp;</a>\n```\n"


def test_a_body_beyond_libxml2s_default_text_limit_is_read():
    text = os.urandom(6 * 1024**2).hex()  # 12 MB; random so the zip ratio stays low
    backup = Backup().space()
    backup.page("970", "Huge", text, body_type=0)

    tree = read_confluence_xml(backup.archive())

    assert len(tree.roots[0].revisions[0].body) == len(text) + len("```\n\n```\n")


# Attachments ---------------------------------------------------------------------------


def test_it_attaches_the_latest_current_version_of_each_file():
    backup = Backup().space()
    backup.page("100", "Home")
    backup.attachment("1001", "diagram v1.png", "100", b"old", version=1, original="1003")
    backup.attachment("1003", "diagram v1.png", "100", b"newest", version=3)
    backup.attachment("1002", "diagram v1.png", "100", b"middle", version=2, original="1003")
    backup.attachment("1010", "spec.pdf", "100", b"%PDF-1.4")
    backup.attachment("1020", "removed.txt", "100", b"bye", status="deleted")
    backup.attachment("1030", "draft.png", "240", b"draft")  # on a page not imported

    tree = read_confluence_xml(backup.archive())

    attachments = tree.roots[0].attachments
    assert [(a.name, a.size, a.source_id) for a in attachments] == [
        ("diagram v1.png", 6, "1003"),
        ("spec.pdf", 8, "1010"),
    ]
    assert attachments[0].read() == b"newest"
    assert tree.count() == (1, 1, 2)
    assert tree.warnings == []


def test_it_finds_files_stored_without_a_version_folder_or_under_the_original_id():
    backup = Backup().space()
    backup.page("100", "Home")
    backup.attachment("1040", "flat.txt", "100", b"flat", path="attachments/100/1040")
    backup.attachment("1050", "chart.png", "100", None, version=2)
    backup.attachment(
        "1051", "chart.png", "100", b"v1", original="1050", path="attachments/100/1050/1"
    )

    tree = read_confluence_xml(backup.archive())

    files = {a.name: a.read() for a in tree.roots[0].attachments}
    assert files == {"flat.txt": b"flat", "chart.png": b"v1"}
    assert reasons(tree) == [
        "version 2 of the file is missing from the export; version 1 was imported"
    ]


def test_a_missing_attachment_file_is_a_warning_not_an_error():
    backup = Backup().space()
    backup.page(
        "100", "Home", '<p><ac:image><ri:attachment ri:filename="gone.png"/></ac:image></p>'
    )
    backup.attachment("1060", "gone.png", "100", None)

    tree = read_confluence_xml(backup.archive())

    assert tree.roots[0].attachments == []
    assert [(w.path, w.reason) for w in tree.warnings] == [
        ("ds/Home/gone.png", "attachment file is missing from the export"),
        ("ds/Home", "attachment 'gone.png' is not in the export"),
    ]


def test_same_named_attachments_on_one_page_keep_the_newest():
    backup = Backup().space()
    backup.page("100", "Home")
    backup.attachment("1071", "shot.png", "100", b"a", modified="2016-05-10 10:00:00.000")
    backup.attachment("1072", "shot.png", "100", b"b", modified="2016-05-11 10:00:00.000")

    tree = read_confluence_xml(backup.archive())

    assert [a.read() for a in tree.roots[0].attachments] == [b"b"]
    assert reasons(tree) == ["1 other attachment(s) with this name on the page were skipped"]


def test_attachment_files_are_read_only_when_asked():
    backup = Backup().space()
    backup.page("100", "Home")
    backup.attachment("1080", "big.bin", "100", b"x" * 1000)
    archive = backup.archive()
    opened = []
    original_open = archive.open
    archive.open = lambda path: opened.append(path) or original_open(path)

    tree = read_confluence_xml(archive)

    assert opened == ["entities.xml"]
    assert tree.roots[0].attachments[0].read() == b"x" * 1000


def test_a_backup_wrapped_in_a_folder_is_read():
    backup = Backup().space()
    backup.page("100", "Home")
    backup.attachment("1090", "a.txt", "100", b"a")

    tree = read_confluence_xml(backup.archive(folder="Confluence-space-export/"))

    assert [a.read() for a in tree.roots[0].attachments] == [b"a"]
