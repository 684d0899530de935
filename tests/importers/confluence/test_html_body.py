"""Page bodies of a Confluence HTML export as Markdown, and that Markdown as the wiki shows it."""

import pytest

from importers.confluence.html import read_confluence_html
from importers.tree import SourceTree
from tests.importers.builders import PNG
from tests.importers.confluence import html_builders as b
from wikiapp.rendering import render_markdown

OTHERS = {
    "DOC/Other-Page_789.html": b.page("Other Page", "<p>o</p>"),
    "DOC/790.html": b.page("Numbered", "<p>n</p>"),
    "DOC/Old Style.html": b.legacy_page("Old Style", "<p>s</p>"),
}
INDEX = [
    ("P_1.html", "P", []),
    ("Other-Page_789.html", "Other Page", []),
    ("790.html", "Numbered", []),
    ("Old%20Style.html", "Old Style", []),
]


def _read(body: str, files: dict | None = None) -> SourceTree:
    return read_confluence_html(
        b.archive(
            {
                "DOC/index.html": b.index(INDEX),
                "DOC/P_1.html": b.page("P", body),
                **OTHERS,
                **(files or {}),
            }
        )
    )


def _body(body: str, files: dict | None = None) -> str:
    return _read(body, files).roots[0].revisions[0].body


def _html(markdown: str) -> str:
    return render_markdown(markdown, links={}, missing_url=lambda title: "/x")


@pytest.fixture(autouse=True)
def _close_archives():
    yield
    b.close_all()


def test_it_keeps_headings_and_nested_lists():
    body = _body(
        "<h2>Setup</h2><ul><li>One<ul><li>Inner<ol><li>Deep</li></ol></li></ul></li>"
        "<li>Two</li></ul>"
    )
    assert body == "## Setup\n\n- One\n    - Inner\n        1. Deep\n- Two\n"
    html = _html(body)
    assert '<h3 id="h-setup">Setup</h3>' in html  # the wiki renders one level down
    assert "<li>One<ul>\n<li>Inner<ol>\n<li>Deep</li>" in html


def test_it_converts_tables_with_a_header_row_and_lists_in_cells():
    body = _body(
        '<div class="table-wrap"><table class="confluenceTable"><tbody>'
        '<tr><th class="confluenceTh">Name</th><th class="confluenceTh">Notes</th></tr>'
        '<tr><td class="confluenceTd">Alpha</td>'
        '<td class="confluenceTd"><ul><li>x</li><li>y</li></ul></td></tr>'
        "</tbody></table></div>"
    )
    assert body == "| Name | Notes |\n| --- | --- |\n| Alpha | • x<br>• y |\n"
    html = _html(body)
    assert "<thead>\n<tr>\n<th>Name</th>" in html
    assert "<td>• x<br>• y</td>" in html


def test_it_converts_code_panels_with_their_language():
    body = _body(
        '<div class="code panel pdl"><div class="codeHeader panelHeader pdl"><b>Main.java</b>'
        '</div><div class="codeContent panelContent pdl"><pre class="syntaxhighlighter-pre"'
        ' data-syntaxhighlighter-params="brush: java; gutter: false; theme: Confluence">'
        "if (a &lt; b) {}</pre></div></div>"
        '<div class="code panel"><div class="codeContent panelContent"><pre'
        ' class="theme: Confluence; brush: js; gutter: false">let x;</pre></div></div>'
        '<div class="preformatted panel"><div class="preformattedContent panelContent">'
        "<pre>plain *text*</pre></div></div>"
    )
    assert body == (
        "**Main.java**\n\n```java\nif (a < b) {}\n```\n\n"
        "```javascript\nlet x;\n```\n\n```\nplain *text*\n```\n"
    )
    assert '<code class="language-java">if (a &lt; b) {}</code>' in _html(body)


def test_it_turns_information_macros_and_panels_into_callouts():
    macro = (
        '<div class="confluence-information-macro confluence-information-macro-{kind}">'
        '{title}<span class="aui-icon confluence-information-macro-icon"></span>'
        '<div class="confluence-information-macro-body"><p>{kind} text</p></div></div>'
    )
    body = _body(
        macro.format(kind="warning", title='<p class="title">Careful</p>')
        + "".join(macro.format(kind=kind, title="") for kind in ("information", "note", "tip"))
        + '<div class="panel"><div class="panelHeader"><b>Box</b></div>'
        '<div class="panelContent"><p>In a box</p></div></div>'
    )
    assert body == (
        '!!! warning "Careful"\n    warning text\n\n'
        "!!! info\n    information text\n\n"
        "!!! note\n    note text\n\n"
        "!!! tip\n    tip text\n\n"
        '!!! note "Box"\n    In a box\n'
    )
    html = _html(body)
    assert '<div class="admonition warning">\n<p class="admonition-title">Careful</p>' in html
    assert '<div class="admonition tip">' in html


def test_it_reads_the_older_templates_macros():
    body = _body(
        "<div class='panelMacro'><table class='noteMacro'><tr><td><img"
        ' src="images/icons/emoticons/warning.gif"></td><td><b>Heads up</b><br/>Mind'
        " <tt>/usbkey</tt>.</td></tr></table></div>"
        "<div class='panelMacro'><table class='infoMacro'><tr><td></td><td><p>Sizes:</p>"
        "<table><tr><th>Disk</th></tr><tr><td>8 GB</td></tr></table></td></tr></table></div>"
        '<table class="sectionMacro"><tbody><tr><td class="confluenceTd"><p>Left</p></td>'
        '<td class="confluenceTd"><p>Right</p></td></tr></tbody></table>'
    )
    assert body == (
        '!!! note "Heads up"\n    Mind `/usbkey`.\n\n'
        "!!! info\n    Sizes:\n\n    | Disk |\n    | --- |\n    | 8 GB |\n\n"
        "Left\n\nRight\n"
    )


def test_it_turns_expand_sections_into_collapsed_details():
    body = _body(
        '<div class="expand-container"><div class="expand-control"><span'
        ' class="expand-control-icon"><img src="images/icons/grey_arrow_down.png"></span>'
        '<span class="expand-control-text">Show "more"</span></div>'
        '<div class="expand-content"><p>Hidden</p></div></div>'
    )
    assert body == "??? expand \"Show 'more'\"\n    Hidden\n"
    assert "<details class=\"expand\">\n<summary>Show 'more'</summary>" in _html(body)


def test_it_converts_task_lists():
    body = _body(
        '<ul class="inline-task-list"><li class="checked" data-inline-task-id="1">'
        '<span>Done</span></li><li data-inline-task-id="2"><span>Open</span></li></ul>'
        '<ul><li class="checked">Not a task</li></ul>'
    )
    assert body == "- [x] Done\n- [ ] Open\n\n- Not a task\n"
    assert '<span class="task-box">☑</span> Done' in _html(body)


def test_it_turns_emoticons_into_emoji_or_their_text():
    body = _body(
        '<p><img class="emoticon emoticon-tick" data-emoticon-name="tick"'
        ' src="images/icons/emoticons/check.svg" alt="(tick)">'
        ' <img class="emoticon" src="images/icons/emoticons/warning.gif" alt="">'
        ' <img class="emoticon" data-emoji-fallback="🎉" src="x.png" alt=":tada:">'
        ' <img class="emoticon" src="images/icons/emoticons/odd.png" alt="(odd)"></p>'
    )
    assert body == "✅ ⚠️ 🎉 (odd)\n"


def test_it_links_jira_issues_by_key():
    body = _body(
        '<p><span class="jira-issue" data-jira-key="WIKI-7"><a class="jira-issue-key"'
        ' href="https://jira.example.com/browse/WIKI-7"><img class="icon"'
        ' src="https://jira.example.com/bug.png">WIKI-7</a> - <span class="summary">Fix it'
        '</span></span> and <a href="https://jira.example.com/browse/WIKI-8"'
        ' data-jira-key="WIKI-8">see</a> and <span class="jira-issue"'
        ' data-jira-key="WIKI-9">WIKI-9</span></p>'
    )
    assert body == (
        "[WIKI-7](https://jira.example.com/browse/WIKI-7): Fix it and "
        "[WIKI-8](https://jira.example.com/browse/WIKI-8) and WIKI-9\n"
    )


def test_it_rewrites_links_to_pages_of_the_export_as_wiki_links():
    tree = _read(
        '<p><a href="Other-Page_789.html">by file</a> <a href="790.html">Numbered</a>'
        ' <a href="Old%20Style.html">old</a> <a href="Old Style.html#Part">old part</a>'
        ' <a href="/pages/viewpage.action?pageId=789">by id</a>'
        ' <a href="https://x.atlassian.net/wiki/display/DOC/Other+Page">by title</a>'
        ' <a href="https://x.atlassian.net/wiki/spaces/DOC/pages/790/Numbered">cloud</a></p>'
        '<table><tr><th>Link</th></tr><tr><td><a href="790.html">in a cell</a></td></tr>'
        "</table>"
    )
    assert tree.roots[0].revisions[0].body == (
        "[[Other Page|by file]] [[Numbered]] [[Old Style|old]] [[Old Style|old part]]"
        " [[Other Page|by id]] [[Other Page|by title]] [[Numbered|cloud]]\n\n"
        "| Link |\n| --- |\n| [[Numbered]] |\n"
    )
    assert (tree.links.total, tree.links.resolved) == (8, 8)


def test_it_counts_external_unresolved_and_skips_anchor_links():
    tree = _read(
        '<p><a href="https://example.com/a_b">site</a> <a href="mailto:a@example.com">mail</a>'
        ' <a href="#P-Section">here</a> <a href="Gone_5.html">gone</a>'
        ' <a href="/display/~ann">Ann</a> <a href="/display/OTHER/Some+Page">elsewhere</a>'
        ' <a href="https://other.example.com/wiki/display/DOC/Unknown">unknown</a></p>'
    )
    assert tree.roots[0].revisions[0].body == (
        "[site](https://example.com/a_b) [mail](mailto:a@example.com) here gone Ann elsewhere"
        " [unknown](https://other.example.com/wiki/display/DOC/Unknown)\n"
    )
    links = tree.links
    assert (links.total, links.resolved, links.external, links.unresolved) == (6, 0, 3, 3)
    assert [w.reason for w in tree.warnings] == [
        "link to Gone_5.html not found in the export",
        "link to /display/~ann not found in the export",
        "link to /display/OTHER/Some+Page not found in the export",
    ]


def test_it_points_images_and_file_links_at_attachments_by_their_original_names():
    listing = [("attachments/1/10.png", "my chart.png"), ("attachments/1/11.pdf", "a (1).pdf")]
    tree = read_confluence_html(
        b.archive(
            {
                "DOC/index.html": b.index([("P_1.html", "P", [])]),
                "DOC/P_1.html": b.page(
                    "P",
                    '<p><img class="confluence-embedded-image" src="attachments/1/10.png"'
                    ' alt="Chart"> <a href="attachments/1/11.pdf">the spec</a>'
                    ' <a href="https://wiki.example.com/download/attachments/1/my%20chart.png">'
                    '<img src="attachments/thumbnails/1/10"></a>'
                    ' <img src="images/icons/bullet_blue.gif"></p>',
                    attachments=listing,
                ),
                "DOC/attachments/1/10.png": PNG,
                "DOC/attachments/1/11.pdf": b"%PDF",
                "DOC/attachments/thumbnails/1/10": PNG,
            }
        )
    )
    page = tree.roots[0]
    assert page.revisions[0].body == (
        "![Chart](my%20chart.png) [the spec](a%20%281%29.pdf) ![](my%20chart.png)\n"
    )
    assert [a.name for a in page.attachments] == ["my chart.png", "a (1).pdf"]
    assert tree.warnings == [] and tree.links.total == 0
    html = render_markdown(
        page.revisions[0].body, links={}, missing_url=lambda t: "/x", file_url=lambda n: f"/f/{n}"
    )
    assert '<img alt="Chart" src="/f/my chart.png">' in html


def test_it_attaches_an_image_shown_from_another_pages_attachments():
    tree = _read(
        '<p><img src="attachments/789/5.png"></p>',
        {
            "DOC/Other-Page_789.html": b.page(
                "Other Page", "", attachments=[("attachments/789/5.png", "shared.png")]
            ),
            "DOC/attachments/789/5.png": PNG,
        },
    )
    page = tree.roots[0]
    assert page.revisions[0].body == "![](shared.png)\n"
    assert [a.name for a in page.attachments] == ["shared.png"]


def test_it_drops_breadcrumbs_metadata_attachments_comments_and_footer():
    html = b.page(
        "P",
        "<p>Only this.</p>",
        crumbs=[("Other-Page_789.html", "Other Page")],
        attachments=[("attachments/1/10.png", "x.png")],
        comments="<p>A comment</p>",
    )
    tree = read_confluence_html(
        b.archive(
            {
                "DOC/index.html": b.index([]),
                "DOC/P_1.html": html,
                "DOC/attachments/1/10.png": PNG,
                **OTHERS,
            }
        )
    )
    page = next(p for _, p in tree.walk() if p.title == "P")
    assert page.revisions[0].body == "Only this.\n"
    legacy = _read("", {"DOC/Old Style.html": b.legacy_page("Old Style", "<p>Old body</p>")})
    assert next(p for _, p in legacy.walk() if p.title == "Old Style").revisions[0].body == (
        "Old body\n"
    )


def test_it_replaces_the_table_of_contents_and_links_embedded_videos():
    body = _body(
        '<div class="toc-macro rbtoc1"><ul><li><a href="#P-A">A</a></li></ul></div><h2>A</h2>'
        '<iframe class="youtube-player" src="https://www.youtube.com/embed/abc"></iframe>'
    )
    assert body == (
        "[TOC]\n\n## A\n\n[https://www.youtube.com/embed/abc](https://www.youtube.com/embed/abc)\n"
    )
    assert '<div class="toc">' in _html(body)
