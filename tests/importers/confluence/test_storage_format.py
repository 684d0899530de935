"""Confluence storage format to the wiki's Markdown, one construct at a time."""

import pytest

from importers.confluence.storage import PageIndex, Report, storage_to_markdown
from wikiapp.rendering import render_markdown


def index() -> PageIndex:
    """Home > (Guide > Install, FAQ) in space DS, and Runbook in space OPS."""
    result = PageIndex(users={"ff80aa01": "alice"})
    for page_id, title, space in [
        ("1", "Home", "ds"),
        ("2", "Guide", "ds"),
        ("3", "Install", "ds"),
        ("4", "FAQ", "ds"),
        ("9", "Runbook", "ops"),
    ]:
        result.add(page_id, title, space)
    result.children = {"1": ["2", "4"], "2": ["3"]}
    result.parents = {"2": "1", "4": "1", "3": "2"}
    result.homes = {"ds": "1"}
    result.attachments = {"1": {"spec v2.pdf", "diagram.png"}}
    return result


def convert(body: str, page_id: str = "1") -> tuple[str, Report]:
    report = Report(path="ds/Home")
    return storage_to_markdown(body, index=index(), page_id=page_id, report=report), report


def markdown(body: str, page_id: str = "1") -> str:
    return convert(body, page_id)[0]


def reasons(report: Report) -> list[str]:
    return [w.reason for w in report.warnings]


def macro(name: str, *parts: str) -> str:
    return f'<ac:structured-macro ac:name="{name}">{"".join(parts)}</ac:structured-macro>'


def param(name: str, value: str) -> str:
    return f'<ac:parameter ac:name="{name}">{value}</ac:parameter>'


def rich(html: str) -> str:
    return f"<ac:rich-text-body>{html}</ac:rich-text-body>"


def plain(text: str) -> str:
    return f"<ac:plain-text-body><![CDATA[{text}]]></ac:plain-text-body>"


# Links -----------------------------------------------------------------------------


def test_a_page_link_becomes_a_wiki_link_counted_as_resolved():
    text, report = convert(
        '<p>See <ac:link><ri:page ri:content-title="guide" /></ac:link> and '
        '<ac:link><ri:page ri:content-title="Install" /><ac:plain-text-link-body>'
        "<![CDATA[how to <install>]]></ac:plain-text-link-body></ac:link>.</p>"
    )

    assert text == "See [[Guide]] and [[Install|how to <install>]].\n"
    assert (report.links.total, report.links.resolved) == (2, 2)
    assert report.warnings == []


def test_a_link_body_gives_the_label():
    text = markdown(
        '<p><ac:link><ri:page ri:content-title="FAQ" /><ac:link-body>the <strong>FAQ</strong> '
        "page</ac:link-body></ac:link></p>"
    )

    assert text == "[[FAQ|the FAQ page]]\n"


def test_links_in_a_table_have_no_label_so_the_pipe_does_not_split_the_cell():
    text = markdown(
        "<table><tbody><tr><th>Page</th></tr><tr><td><ac:link>"
        '<ri:page ri:content-title="FAQ" /><ac:plain-text-link-body><![CDATA[questions]]>'
        "</ac:plain-text-link-body></ac:link></td></tr></tbody></table>"
    )

    assert text == "| Page |\n| --- |\n| [[FAQ]] |\n"


def test_a_link_to_a_page_not_in_the_import_is_unresolved_with_a_warning():
    text, report = convert(
        '<p><ac:link><ri:page ri:content-title="Roadmap" /></ac:link> '
        '<ac:link><ri:page ri:space-key="HR" ri:content-title="Holidays" /></ac:link></p>'
    )

    assert text == "[[Roadmap]] [[Holidays]]\n"
    assert (report.links.total, report.links.unresolved) == (2, 2)
    assert reasons(report) == [
        "link to page 'Roadmap' not found in the export",
        "link to page 'Holidays' in space HR not found in the export",
    ]


def test_a_space_key_picks_the_page_of_that_space():
    text, report = convert(
        '<p><ac:link><ri:page ri:space-key="OPS" ri:content-title="Runbook" /></ac:link> '
        '<ac:link><ri:page ri:space-key="OPS" ri:content-title="Guide" /></ac:link></p>'
    )

    assert text == "[[Runbook]] [[Guide]]\n"
    assert (report.links.resolved, report.links.unresolved) == (1, 1)


def test_an_attachment_link_points_at_the_file_of_this_page():
    text, report = convert(
        '<p><ac:link><ri:attachment ri:filename="spec v2.pdf" /><ac:plain-text-link-body>'
        "<![CDATA[the spec]]></ac:plain-text-link-body></ac:link> "
        '<ac:link><ri:attachment ri:filename="diagram.png" /></ac:link></p>'
    )

    assert text == "[the spec](spec%20v2.pdf) [diagram.png](diagram.png)\n"
    assert report.links.total == 0
    assert report.warnings == []


def test_a_file_attached_to_another_page_links_to_that_page():
    text = markdown(
        '<p><ac:link><ri:attachment ri:filename="setup.sh"><ri:page ri:content-title="Install"/>'
        "</ri:attachment></ac:link></p>"
    )

    assert text == "[[Install|setup.sh]]\n"


def test_a_user_mention_is_the_user_name():
    text = markdown(
        '<p>Ask <ac:link><ri:user ri:userkey="ff80aa01" /></ac:link> or '
        '<ac:link><ri:user ri:username="bob" /></ac:link></p>'
    )

    assert text == "Ask @alice or @bob\n"


def test_html_links_are_external_or_point_into_the_import():
    text, report = convert(
        '<p><a href="https://example.com/a_b">site</a> '
        '<a href="/pages/viewpage.action?pageId=4">faq</a> '
        '<a href="https://wiki.example.com/display/ds/Install+guide">gone</a> '
        '<a href="https://wiki.example.com/display/ds/Guide">guide</a> '
        '<a href="#top">top</a></p>'
    )

    assert text == (
        "[site](https://example.com/a_b) [[FAQ|faq]] "
        "[gone](https://wiki.example.com/display/ds/Install+guide) [[Guide|guide]] [top](#top)\n"
    )
    assert (report.links.total, report.links.resolved, report.links.external) == (4, 2, 2)


# Images, tasks, emoticons ------------------------------------------------------------


def test_images_of_attachments_and_urls():
    text, report = convert(
        '<p><ac:image ac:alt="Flow"><ri:attachment ri:filename="diagram.png" /></ac:image>'
        '<ac:image><ri:url ri:value="https://example.com/logo.png" /></ac:image>'
        '<ac:image><ri:attachment ri:filename="missing.png" /></ac:image></p>'
    )

    assert text == ("![Flow](diagram.png)![](https://example.com/logo.png)![](missing.png)\n")
    assert reasons(report) == ["attachment 'missing.png' is not in the export"]


def test_task_lists_become_checkbox_lists():
    text = markdown(
        "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete"
        "</ac:task-status><ac:task-body>Write <strong>tests</strong></ac:task-body></ac:task>"
        "<ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status>"
        "<ac:task-body>Ship it<ac:task-list><ac:task><ac:task-status>incomplete"
        "</ac:task-status><ac:task-body>tag</ac:task-body></ac:task></ac:task-list>"
        "</ac:task-body></ac:task></ac:task-list>"
    )

    assert text == "- [x] Write **tests**\n- [ ] Ship it\n    - [ ] tag\n"


def test_emoticons_become_emoji():
    text = markdown(
        '<p>Done <ac:emoticon ac:name="tick" /> <ac:emoticon ac:name="smile" /> '
        '<ac:emoticon ac:name="blue-star" ac:emoji-fallback="🎉" /></p>'
    )

    assert text == "Done ✅ 🙂 🎉\n"


# Macros ------------------------------------------------------------------------------


def test_the_code_macro_becomes_a_fenced_block_with_its_language():
    text = markdown(
        macro(
            "code",
            param("language", "python"),
            param("title", "Example"),
            plain('if a < b:\n    print("&nbsp; ```")\n'),
        )
    )

    assert text == ('**Example**\n\n````python\nif a < b:\n    print("&nbsp; ```")\n````\n')


def test_the_old_ac_macro_form_and_noformat_are_read_too():
    text = markdown(
        '<ac:macro ac:name="code"><ac:default-parameter>java</ac:default-parameter>'
        + plain("int x;")
        + "</ac:macro>"
        + macro("noformat", plain("raw *text*"))
    )

    assert text == "```java\nint x;\n```\n\n```\nraw *text*\n```\n"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("info", "info"),
        ("tip", "tip"),
        ("note", "warning"),
        ("warning", "danger"),
        ("panel", "note"),
    ],
)
def test_panels_become_callouts(name, kind):
    text = markdown(macro(name, param("title", 'Read "this"'), rich("<p>Body <em>text</em></p>")))

    assert text == f"!!! {kind} \"Read 'this'\"\n    Body *text*\n"


def test_callouts_nest_and_keep_lists():
    text = markdown(
        macro("info", rich("<ul><li>one</li><li>two</li></ul>" + macro("tip", rich("<p>x</p>"))))
    )

    assert text == "!!! info\n    - one\n    - two\n\n    !!! tip\n        x\n"


def test_expand_status_toc_and_anchor():
    text = markdown(
        macro("toc", param("maxLevel", "2"))
        + macro("anchor", param("", "here"))
        + macro("expand", param("title", "More"), rich("<p>Hidden</p>"))
        + "<p>State: "
        + macro("status", param("colour", "Green"), param("title", "done"))
        + "</p>"
    )

    assert text == '[TOC]\n\n??? expand "More"\n    Hidden\n\nState: **[DONE]**\n'


def test_children_and_pagetree_list_the_pages_below():
    children = markdown(macro("children"))
    deep = markdown(macro("children", param("all", "true")))
    of_guide = markdown(
        macro("children", param("page", '<ac:link><ri:page ri:content-title="Guide"/></ac:link>'))
    )
    tree = markdown(macro("pagetree", param("root", "@home")), page_id="3")

    assert children == "- [[Guide]]\n- [[FAQ]]\n"
    assert deep == "- [[Guide]]\n    - [[Install]]\n- [[FAQ]]\n"
    assert of_guide == "- [[Install]]\n"
    assert tree == deep


def test_include_macros_link_to_the_included_page():
    text, report = convert(
        macro("include", param("", '<ac:link><ri:page ri:content-title="FAQ" /></ac:link>'))
        + macro(
            "excerpt-include",
            param("", '<ac:link><ri:page ri:content-title="Missing" /></ac:link>'),
        )
    )

    assert text == "*Included from* [[FAQ]]\n\n*Included from* [[Missing]]\n"
    assert (report.links.resolved, report.links.unresolved) == (1, 1)


def test_jira_macros_keep_the_issue_key():
    text, report = convert(
        "<p>"
        + macro("jira", param("server", "System JIRA"), param("key", "OPS-12"))
        + " "
        + macro("jira", param("server", "https://jira.example.com/"), param("key", "OPS-13"))
        + "</p>"
    )

    assert text == "OPS-12 [OPS-13](https://jira.example.com/browse/OPS-13)\n"
    assert report.links.external == 1


def test_unknown_macros_keep_their_body_or_leave_a_placeholder_and_warn():
    text, report = convert(
        macro("gadget-box", rich("<p>Kept</p>"))
        + macro("recently-updated", param("max", "5"))
        + macro("html", plain("<b>raw</b>"))
    )

    assert text == "Kept\n\n(recently-updated macro)\n\n```\n<b>raw</b>\n```\n"
    assert reasons(report) == [
        "macro 'gadget-box' is not supported; its content was kept",
        "macro 'recently-updated' is not supported; a placeholder was put in its place",
        "macro 'html' is not supported; its text was kept as code",
    ]


def test_layout_and_section_macros_keep_their_content_silently():
    text, report = convert(
        "<ac:layout><ac:layout-section ac:type='two_equal'><ac:layout-cell><p>Left</p>"
        "</ac:layout-cell><ac:layout-cell><p>Right</p></ac:layout-cell></ac:layout-section>"
        "</ac:layout>" + macro("section", rich(macro("column", rich("<p>Col</p>"))))
    )

    assert text == "Left\n\nRight\n\nCol\n"
    assert report.warnings == []


# Plain HTML --------------------------------------------------------------------------


def test_regular_html_goes_through_the_shared_converter():
    text = markdown(
        "<h1>Title</h1><h2>&nbsp;</h2><p>A&nbsp;<strong>bold</strong> &mdash; <em>move</em></p>"
        "<ol><li>one</li><li>two</li></ol>"
        "<table><tbody><tr><th>Name</th><th>Value</th></tr>"
        "<tr><td>a|b</td><td><p>x</p><p>y</p></td></tr></tbody></table>"
        "<pre>line 1\nline 2</pre>"
    )

    assert text == (
        "# Title\n\nA\xa0**bold** — *move*\n\n1. one\n2. two\n\n"
        "| Name | Value |\n| --- | --- |\n| a\\|b | x<br>y |\n\n```\nline 1\nline 2\n```\n"
    )


def test_converted_bodies_render_as_intended():
    text = markdown(
        macro("toc")
        + "<h2>Steps</h2>"
        + macro("info", param("title", "Heads up"), rich("<p>Careful</p>"))
        + "<ac:task-list><ac:task><ac:task-status>complete</ac:task-status>"
        "<ac:task-body>Done</ac:task-body></ac:task></ac:task-list>"
        + macro("code", param("language", "bash"), plain("echo <hi>"))
        + '<p><ac:link><ri:page ri:content-title="FAQ" /></ac:link></p>'
    )

    html = render_markdown(text, links={"faq": "/s/faq/"}, missing_url=lambda t: "/x")

    assert '<div class="toc">' in html
    assert '<div class="admonition info">' in html
    assert "Heads up" in html
    assert 'class="task-list-item"' in html
    assert '<code class="language-bash">echo &lt;hi&gt;' in html
    assert 'href="/s/faq/"' in html


def test_a_list_item_with_a_blank_line_does_not_swallow_the_next_item():
    text = markdown(
        '<ol><li>Click it:<br/><br/><ac:image><ri:attachment ri:filename="diagram.png"/>'
        "</ac:image></li><li>Save</li></ol>"
    )

    html = render_markdown(text, links={}, missing_url=lambda t: "/x")

    assert text == "1. Click it:  \n\n    ![](diagram.png)\n\n2. Save\n"
    assert html.count("<li>") == 2
