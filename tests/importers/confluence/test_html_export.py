import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from importers.confluence.html import read_confluence_html
from importers.confluence.html_page import parse_date
from importers.tree import SourcePage, SourceTree, Warning
from importers.zipsafe import SafeArchive
from tests.importers.builders import PNG, make_zip
from tests.importers.confluence import html_builders as b


def _tree() -> SourceTree:
    return read_confluence_html(b.sample_export())


def _page(tree: SourceTree, title: str) -> SourcePage:
    return next(page for _, page in tree.walk() if page.title == title)


def _reasons(tree: SourceTree, path: str) -> list[str]:
    return [w.reason for w in tree.warnings if w.path == path]


def _one_page(body: str, **files) -> SourceTree:
    return read_confluence_html(
        b.archive(
            {
                "DOC/index.html": b.index([("P_1.html", "P", [])]),
                "DOC/P_1.html": b.page("P", body),
                **files,
            }
        )
    )


@pytest.fixture(autouse=True)
def _close_archives():
    yield
    b.close_all()


def test_it_builds_the_hierarchy_in_index_order():
    tree = _tree()
    assert [p.title for p in tree.roots] == ["Home", "Auf Deutsch", "Undated", "Empty", "Stray"]
    home = tree.roots[0]
    assert [c.title for c in home.children] == ["Getting started", "Numbered page", "Legacy Title"]
    assert [c.title for c in home.children[0].children] == ["Child", "Orphan"]


def test_it_places_a_page_missing_from_the_index_by_its_breadcrumbs():
    tree = _tree()
    guide = _page(tree, "Getting started")
    assert guide.children[-1].title == "Orphan"
    assert _reasons(tree, f"DOC/Orphan_{b.ORPHAN}.html") == []


def test_it_puts_a_page_without_index_entry_or_breadcrumbs_at_the_top():
    tree = _tree()
    assert tree.roots[-1].title == "Stray"
    assert _reasons(tree, f"DOC/Stray_{b.STRAY}.html") == [
        "not in index.html and no breadcrumbs; put at the top level"
    ]


def test_it_warns_about_pages_the_index_lists_but_the_export_lacks():
    assert _reasons(_tree(), "DOC/Listed-but-gone_70000.html") == [
        "listed in index.html but not in the export"
    ]


def test_it_takes_the_page_id_from_the_file_name_or_the_attachment_folder():
    tree = _tree()
    assert _page(tree, "Home").source_id == b.HOME  # Title_123.html
    assert _page(tree, "Numbered page").source_id == b.NUMBERED  # 123.html
    assert _page(tree, "Legacy Title").source_id == b.LEGACY_ID  # from its attachments
    assert _page(tree, "Legacy Title").path == "DOC/Legacy Title.html"


def test_it_falls_back_to_the_path_as_source_id():
    tree = read_confluence_html(
        b.archive({"DOC/index.html": b.index([]), "DOC/Plain.html": b.legacy_page("Plain", "")})
    )
    assert tree.roots[0].source_id == "DOC/Plain.html"


@pytest.mark.parametrize(
    "html",
    [
        b.page("Meta", "<p>x</p>").replace(
            "<head>", '<head><meta name="ajs-page-id" content="4242">'
        ),
        b.page(
            "Meta",
            "<p>x</p>",
            meta="Created by <span class='author'>Ann</span>, last modified on <a"
            " class='last-modified' href='/pages/diffpagesbyversion.action?pageId=4242"
            "&amp;selectedPageVersions=2&amp;selectedPageVersions=1'>Mar 05, 2019</a>",
        ),
    ],
)
def test_it_reads_the_page_id_from_the_page_when_the_name_has_none(html):
    tree = read_confluence_html(b.archive({"DOC/index.html": b.index([]), "DOC/Meta.html": html}))
    assert tree.roots[0].source_id == "4242"


def test_it_strips_the_space_name_from_titles():
    tree = _tree()
    assert _page(tree, "Legacy Title").revisions[0].title == "Legacy Title"
    other_space = b.page("Colon : in title", "", space="Team Space")
    tree = read_confluence_html(
        b.archive(
            {
                "X/index.html": b.index([("Y_5.html", "Colon : in title", [])], space="Team"),
                "X/Y_5.html": other_space,
            }
        )
    )
    assert tree.roots[0].title == "Colon : in title"


def test_it_reads_author_and_date_from_the_page_metadata():
    home = _page(_tree(), "Home").revisions[0]
    assert home.author == "Bob Jones"  # the revision is the last modification
    assert home.created_at == datetime.datetime(2019, 3, 5, tzinfo=datetime.UTC)
    assert "page created by Ann Smith" in home.message


def test_it_reads_the_older_template_metadata():
    legacy = _page(_tree(), "Legacy Title").revisions[0]
    assert legacy.author == "alainodea"
    assert legacy.created_at == datetime.datetime(2013, 10, 13, tzinfo=datetime.UTC)


def test_it_reads_localised_metadata():
    german = _page(_tree(), "Auf Deutsch").revisions[0]
    assert german.author == "Bernd"
    assert german.created_at == datetime.datetime(2019, 3, 12, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Created by Ann Smith, last modified by Bob on Mar 05, 2019", (2019, 3, 5)),
        ("Created by X on 12 March 2019", (2019, 3, 12)),
        ("Erstellt von X, zuletzt geändert am 12. März 2019", (2019, 3, 12)),
        ("Erstellt von X am Mai 05, 2019", (2019, 5, 5)),
        ("Créé par X, dernière modification le 5 févr. 2019", (2019, 2, 5)),
        ("Creado por X, modificado por última vez el 5 dic. 2019", (2019, 12, 5)),
        ("Creato da X, ultima modifica il 05 mag 2019", (2019, 5, 5)),
        ("Gemaakt door X, laatst gewijzigd op mrt 05, 2019", (2019, 3, 5)),
        ("Criado por X, última alteração em 5 de fev de 2019", (2019, 2, 5)),
        ("This page last changed on Oct 13, 2013 by alainodea.", (2013, 10, 13)),
    ],
)
def test_it_parses_dates_in_confluence_languages(text, expected):
    assert parse_date(text) == datetime.datetime(*expected, tzinfo=datetime.UTC)


@pytest.mark.parametrize("text", ["Created by Ann", "Created by X in the spring of 2019", ""])
def test_it_gives_no_date_when_there_is_none(text):
    assert parse_date(text) is None


def test_it_warns_and_leaves_the_date_empty_when_it_cannot_be_read():
    tree = _tree()
    undated = _page(tree, "Undated").revisions[0]
    assert undated.author == "Ann Smith"
    assert undated.created_at is None
    assert _reasons(tree, f"DOC/Undated_{b.UNDATED}.html") == [
        "could not read the date of the page in 'Created by Ann Smith'; the import time is used"
    ]


def test_it_reads_metadata_without_author_spans():
    tree = _one_page(
        "", **{"DOC/P_1.html": b.page("P", "", meta="Created by Ann Smith on 12 March 2019")}
    )
    revision = tree.roots[0].revisions[0]
    assert (revision.author, revision.created_at.date()) == (
        "Ann Smith",
        datetime.date(2019, 3, 12),
    )


def test_it_warns_when_a_page_has_no_metadata():
    tree = _one_page("", **{"DOC/P_1.html": b.page("P", "<p>x</p>", meta="")})
    assert tree.roots[0].revisions[0].author == ""
    assert _reasons(tree, "DOC/P_1.html") == [
        "could not read the author and date of the page; the import time is used"
    ]


def test_it_gives_a_page_without_body_an_empty_body():
    tree = _tree()
    assert _page(tree, "Empty").revisions[0].body == ""
    assert _reasons(tree, f"DOC/Empty_{b.EMPTY}.html") == []


def test_it_skips_a_file_that_is_not_a_page_with_a_warning():
    tree = _tree()
    assert all(page.path != "DOC/Broken.html" for _, page in tree.walk())
    assert _reasons(tree, "DOC/Broken.html") == ["not an HTML page; skipped"]


def test_it_replaces_undecodable_bytes_with_a_warning():
    html = b.page("Caf\xe9", "<p>Caf\xe9 cr\xe8me</p>").encode("latin-1")
    tree = _one_page("", **{"DOC/P_1.html": html})
    assert tree.roots[0].title == "Caf\ufffd"
    assert "Caf\ufffd cr\ufffdme" in tree.roots[0].revisions[0].body
    assert _reasons(tree, "DOC/P_1.html") == ["not valid UTF-8; undecodable bytes replaced"]


def test_it_attaches_files_under_their_original_names():
    tree = _tree()
    home = _page(tree, "Home")
    assert [(a.name, a.read(), a.source_id) for a in home.attachments] == [
        ("diagram v2.png", b.PNG, "98305"),
        ("spec sheet.pdf", b"%PDF-1.4 spec", "98306"),
    ]
    assert home.attachments[0].size == len(b.PNG)
    legacy = _page(tree, "Legacy Title")
    assert [a.name for a in legacy.attachments] == ["logo.png"]
    assert tree.count() == (10, 10, 3)  # icons, styles and the orphan folder are not attached


def test_it_names_attachments_from_their_aliases_without_an_attachments_section():
    body = (
        '<p><img class="confluence-embedded-image" src="attachments/1/77.png"'
        ' data-linked-resource-default-alias="chart.png"></p>'
    )
    tree = _one_page(body, **{"DOC/attachments/1/77.png": PNG, "DOC/attachments/1/78.txt": b"t"})
    assert [a.name for a in tree.roots[0].attachments] == ["chart.png", "78.txt"]
    assert tree.roots[0].revisions[0].body == "![](chart.png)\n"


def test_it_numbers_attachments_that_share_a_name():
    listing = [("attachments/1/10.png", "shot.png"), ("attachments/1/11.png", "shot.png")]
    files = {"DOC/attachments/1/10.png": PNG, "DOC/attachments/1/11.png": PNG + b"2"}
    tree = _one_page("", **{"DOC/P_1.html": b.page("P", "", attachments=listing)}, **files)
    assert [a.name for a in tree.roots[0].attachments] == ["shot.png", "shot (2).png"]


def test_it_keeps_an_attached_zip_as_one_file():
    inner = make_zip({"readme.txt": b"hello"})
    listing = [("attachments/1/10.zip", "bundle.zip")]
    tree = _one_page(
        "",
        **{"DOC/P_1.html": b.page("P", "", attachments=listing), "DOC/attachments/1/10.zip": inner},
    )
    (attachment,) = tree.roots[0].attachments
    assert (attachment.name, attachment.size, attachment.read()) == (
        "bundle.zip",
        len(inner),
        inner,
    )


def test_it_warns_about_missing_and_unowned_attachments():
    tree = _tree()
    assert _reasons(tree, f"DOC/Home_{b.HOME}.html") == [
        "attachment notes.txt (attachments/65537/98307.txt) not found in the export",
        "link to Missing-page_999.html not found in the export",
        "attachment attachments/65537/98399.png not found in the export",
    ]
    assert _reasons(tree, "DOC/attachments/424242/") == [
        "1 attachment(s) of page 424242, which is not in the export, skipped"
    ]


def test_it_counts_links_by_where_they_point():
    links = _tree().links
    # Home: 7 to pages, example.com, mailto, Jira, 1 lost; Legacy Title: 1 to Home.
    assert (links.total, links.resolved, links.external, links.unresolved) == (12, 7, 4, 1)


def test_it_reads_an_export_without_a_space_folder_or_index():
    tree = read_confluence_html(
        b.archive(
            {
                "Parent_1.html": b.page("Parent", "<p>p</p>"),
                "Kid_2.html": b.page("Kid", "<p>k</p>", crumbs=[("Parent_1.html", "Parent")]),
            }
        )
    )
    assert [(p.title, [c.title for c in p.children]) for p in tree.roots] == [("Parent", ["Kid"])]
    assert tree.warnings == [
        Warning("index.html", "no index.html; the page tree comes from the breadcrumbs")
    ]


def test_it_breaks_breadcrumb_cycles():
    tree = read_confluence_html(
        b.archive(
            {
                "DOC/index.html": b.index([]),
                "DOC/A_1.html": b.page("A", "", crumbs=[("B_2.html", "B")]),
                "DOC/B_2.html": b.page("B", "", crumbs=[("A_1.html", "A")]),
            }
        )
    )
    assert tree.count()[0] == 2


def test_it_refuses_an_archive_without_pages():
    with pytest.raises(ValidationError, match="not a Confluence HTML export"):
        read_confluence_html(b.archive({"notes.txt": b"hello"}))


def test_it_reads_the_older_index_and_title_named_pages():
    tree = read_confluence_html(
        b.archive(
            {
                "DOC/index.html": b.index(
                    [("Top.html", "Top", [("Sub%20Page.html", "Sub Page", [])])],
                    space="My Docs",
                    legacy=True,
                ),
                "DOC/Top.html": b.legacy_page("Top", "<p>t</p>", space="My Docs"),
                "DOC/Sub Page.html": b.legacy_page(
                    "Sub Page", '<p><a href="Top.html">up</a></p>', space="My Docs"
                ),
            }
        )
    )
    assert [(p.title, [c.title for c in p.children]) for p in tree.roots] == [("Top", ["Sub Page"])]
    assert tree.roots[0].children[0].revisions[0].body == "[[Top|up]]\n"
    assert tree.warnings == []


def test_it_skips_a_page_whose_file_cannot_be_read():
    files = {"DOC/index.html": b.index([]), "DOC/A_1.html": b.page("A", "<p>fine</p>")}
    files["DOC/B_2.html"] = b.page("B", "<p>damaged</p>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    # Stored data with a changed byte: the headers are fine, the CRC check on reading fails.
    data = buffer.getvalue().replace(b"<p>damaged</p>", b"<p>Damaged</p>")
    with SafeArchive(io.BytesIO(data)) as damaged:
        tree = read_confluence_html(damaged)
    assert [p.title for p in tree.roots] == ["A"]
    assert [w.path for w in tree.warnings] == ["DOC/B_2.html"]
    assert tree.warnings[0].reason.startswith("could not be read (")
