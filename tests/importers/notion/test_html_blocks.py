"""Notion's blocks, files and images in the HTML export reader's Markdown."""

import pytest

from importers.notion import read_notion_html
from importers.tree import SourceTree, Warning
from tests.importers.notion import html_builders as b
from wikiapp.rendering import render_markdown


@pytest.fixture(scope="module")
def tree() -> SourceTree:
    return read_notion_html(b.archive(b.sample_export()))


# --------------------------------------------------------------------------- blocks


def test_it_converts_headings_and_merges_notions_one_item_lists(tree):
    body = b.body_of(tree, b.BLOCKS)
    assert body.startswith("# Heading one\n\n## Heading two\n\n### Heading three\n\n")
    assert "- First\n- Second\n    - Nested\n\n1. One\n2. Two\n" in body


def test_it_converts_to_dos_and_toggles(tree):
    body = b.body_of(tree, b.BLOCKS)
    assert "- [x] Done task\n- [ ] Open task\n" in body
    assert '??? expand "Toggle title"\n    Hidden text\n' in body
    assert '??? expand "Toggle heading"\n    Inside\n' in body


def test_it_converts_callouts_with_a_kind_from_their_icon_or_colour(tree):
    body = b.body_of(tree, b.BLOCKS)
    for kind, text in [
        ("tip", "A tip"),  # 💡
        ("warning", "Careful"),  # ⚠️
        ("info", "Info"),  # Notion's info icon
        ("danger", "Red alert"),  # red background, no icon
        ("note", "Plain"),
    ]:
        assert f"!!! {kind}\n    {text}\n" in body


def test_it_takes_a_callouts_kind_from_its_own_icon_not_a_nested_ones():
    inner = b.callout('<span class="icon">⚠️</span>', "Inner")
    outer = b.callout("", f"Outer</p>{inner}<p>")
    tree = b.read([{f"P {b.HOME}.html": b.page_html("P", outer)}])
    assert tree.roots[0].revisions[-1].body.startswith("!!! note\n    Outer\n\n    !!! warning")


def test_it_converts_code_quotes_dividers_and_tables(tree):
    body = b.body_of(tree, b.BLOCKS)
    assert '```python\nprint("hi")\n```' in body
    assert "```text\nplain text\n```" in body
    assert "> A quote\n\n---\n" in body
    assert "| Key | Value |\n| --- | --- |\n| a | 1 |\n" in body


def test_it_keeps_equations_as_tex(tree):
    body = b.body_of(tree, b.BLOCKS)
    assert "\n$$\nE = mc^2\n$$\n" in body
    assert "Inline $a^2 + b^2$ math." in body
    assert "LAYOUT" not in body and "katex" not in body


def test_it_converts_bookmarks_page_links_and_the_table_of_contents(tree):
    assert "[An article](https://example.com/article)" in b.body_of(tree, b.BLOCKS)
    assert "[TOC]" in b.body_of(tree, b.BLOCKS)
    assert b.body_of(tree, b.HOME).startswith("[[Sub page]]\n")  # a link-to-page block


# --------------------------------------------------------------------------- files


def test_it_attaches_files_under_their_original_names(tree):
    files = b.page_in(tree, b.FILES)
    names = [a.name for a in files.attachments]
    assert names == [
        "diagram v2 (final).png",
        "kočky-jsou-nejlepší.jpg",  # the link text; the file on disk lost its accents
        "кошки.png",  # percent-encoded on disk
        "name-with-percents-%00%63.jpg",
        "----.jpg",
        "notes.txt",  # in the page's folder, linked from nowhere
    ]
    sizes = {a.name: (a.size, a.read()) for a in files.attachments}
    assert sizes["кошки.png"] == (13, b"\x89PNG cyrillic")


def test_it_keeps_two_files_with_the_same_name_apart():
    link = (
        '<figure><div class="source"><a href="P%20{}/{}/report.pdf">Report.pdf</a></div></figure>'
    )
    body = link.format(b.HOME, "a") + link.format(b.HOME, "b")
    files = {f"P {b.HOME}/a/report.pdf": b"one", f"P {b.HOME}/b/report.pdf": b"two"}
    tree = b.read([{f"P {b.HOME}.html": b.page_html("P", body), **files}])
    page = tree.roots[0]
    assert [(a.name, a.read()) for a in page.attachments] == [
        ("Report.pdf", b"one"),
        ("Report (2).pdf", b"two"),
    ]
    assert "[Report.pdf](Report%20%282%29.pdf)" in page.revisions[-1].body


def test_it_references_attachments_by_file_name(tree):
    body = b.body_of(tree, b.FILES)
    assert "![The diagram](diagram%20v2%20%28final%29.png)" in body
    assert "[kočky-jsou-nejlepší.jpg](ko%C4%8Dky-jsou-nejlep%C5%A1%C3%AD.jpg)" in body
    assert "![](%D0%BA%D0%BE%D1%88%D0%BA%D0%B8.png)" in body
    assert "(name-with-percents-%2500%2563.jpg)" in body
    assert "![](----.jpg)" in body


def test_it_leaves_external_images_external(tree):
    assert "![A cat](https://upload.example/cat.jpg)" in b.body_of(tree, b.FILES)


def test_it_warns_about_missing_images_and_files_outside_any_page(tree):
    missing = f"image Files {b.FILES}/missing.png not found in the export"
    assert Warning(f"Files {b.FILES}.html", missing) in tree.warnings
    assert Warning("loose.txt", "file outside any page folder skipped") in tree.warnings


def test_its_bodies_render(tree):
    html = render_markdown(b.body_of(tree, b.BLOCKS), links={}, missing_url=lambda t: "/new")
    assert '<div class="admonition tip">' in html
    assert '<details class="expand">' in html
    assert '<ul class="task-list">' in html
    assert "<table>" in html and '<code class="language-python">' in html
    html = render_markdown(
        b.body_of(tree, b.FILES),
        links={},
        missing_url=lambda t: "/new",
        file_url=lambda n: f"/f/{n}",
    )
    assert 'src="/f/кошки.png"' in html and 'href="/f/kočky-jsou-nejlepší.jpg"' in html
