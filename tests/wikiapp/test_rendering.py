"""Markdown rendering and sanitising: pure functions, no database."""

import time
from html.parser import HTMLParser
from urllib.parse import quote

import markdown
import pytest

from wikiapp.rendering import render_markdown, sanitize_html, title_key, wiki_link_titles

HANG_GUARD_SECONDS = 30

LINKS = {title_key("Home Page"): "/s/team/home-page/"}


def missing_url(title: str) -> str:
    return f"/s/team/new/?title={quote(title)}"


def render(body: str) -> str:
    return render_markdown(body, links=LINKS, missing_url=missing_url)


def elements(html: str, tag: str) -> list[dict[str, str | None]]:
    """Attributes of each `tag` element; nh3 does not keep attribute order stable."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, name, attrs):
            if name == tag:
                found.append(dict(attrs))

    Collector().feed(html)
    return found


def test_it_renders_tables_with_header_rows_and_align_attributes():
    html = render("| Name | Count |\n|:-----|------:|\n| a | 1 |\n")

    assert "<thead>" in html
    assert '<th align="left">Name</th>' in html
    assert '<td align="right">1</td>' in html
    assert "style" not in html


def test_it_renders_fenced_code_with_a_language_class():
    html = render("```python\nprint('<hi>')\n```\n")

    assert '<pre><code class="language-python">' in html
    assert "print('&lt;hi&gt;')" in html


def test_it_keeps_only_language_classes_on_code():
    html = sanitize_html('<code class="language-sql btn evil">x</code>')

    assert html == '<code class="language-sql">x</code>'


def test_headings_get_ids_with_the_h_prefix_one_level_below_the_page_title():
    html = render("# Getting started\n\n## Getting started\n")

    assert '<h2 id="h-getting-started">' in html
    assert '<h3 id="h-getting-started_1">' in html
    assert "<h1" not in html


def test_raw_html_heading_ids_also_get_the_prefix_and_other_ids_are_dropped():
    html = render('<h2 id="csrftoken">x</h2>\n\n<p id="main">y</p>\n')

    assert '<h2 id="h-csrftoken">' in html
    assert 'id="main"' not in html


def test_task_list_items_show_their_state_without_form_controls():
    html = render("- [ ] write docs\n- [x] ship it\n")

    assert "<input" not in html
    assert '<span class="task-box">☐</span> write docs</li>' in html
    assert '<span class="task-box">☑</span> ship it</li>' in html
    assert elements(html, "li") == [{"class": "task-list-item"}] * 2


def test_raw_inputs_are_removed():
    html = sanitize_html('<p>a<input type="text" name="q" autofocus onfocus="alert(1)">b</p>')

    assert "<input" not in html and "onfocus" not in html
    assert html == "<p>ab</p>"


def test_wiki_link_to_an_existing_page_uses_its_url():
    html = render("See [[Home Page]].")

    assert elements(html, "a") == [
        {"class": "wikilink", "href": "/s/team/home-page/", "rel": "noopener noreferrer"}
    ]
    assert ">Home Page</a>" in html


def test_wiki_link_to_a_missing_page_points_at_the_create_url():
    html = render("See [[New Idea]].")

    assert elements(html, "a") == [
        {
            "class": "wikilink missing",
            "href": "/s/team/new/?title=New%20Idea",
            "rel": "noopener noreferrer",
        }
    ]
    assert ">New Idea</a>" in html


def test_wiki_link_label_form_shows_the_label():
    html = render("Go [[Home Page|back home]].")

    assert elements(html, "a")[0]["href"] == "/s/team/home-page/"
    assert ">back home</a>" in html
    assert ">Home Page<" not in html


def test_wiki_links_match_titles_ignoring_case_and_extra_spaces():
    html = render("[[home   PAGE]]")

    [link] = elements(html, "a")
    assert link["class"] == "wikilink"
    assert link["href"] == "/s/team/home-page/"


def test_wiki_link_titles_and_labels_are_escaped():
    html = render("[[<script>alert(1)</script>]] and [[x|<img src=x onerror=alert(1)>]]")

    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a>" in html
    assert (
        elements(html, "a")[0]["href"] == "/s/team/new/?title=%3Cscript%3Ealert%281%29%3C/script%3E"
    )


@pytest.mark.parametrize("body", ["[[]]", "[[ | x]]", "[[   ]]"])
def test_empty_wiki_links_stay_literal_text(body):
    html = render(body)

    assert "<a" not in html
    assert body.strip() in html


def test_wiki_links_with_overlong_titles_are_not_links():
    html = render(f"[[{'x' * 201}]]")

    assert "<a" not in html


def test_wiki_links_inside_code_are_not_links():
    html = render("`[[Home Page]]`\n\n```\n[[Home Page]]\n```\n")

    assert "<a" not in html
    assert "<code>[[Home Page]]</code>" in html


def test_wiki_link_titles_collects_stripped_titles_outside_code():
    body = "[[ Alpha ]] [[Beta|label]] [[]] `[[Gamma]]`\n\n```\n[[Delta]]\n```\n[[Alpha]]"

    assert wiki_link_titles(body) == {"Alpha", "Beta"}


def test_title_key_casefolds_and_collapses_whitespace():
    assert title_key("  Straße \t Plan\n") == "strasse plan"


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JAVASCRIPT:alert(1)">click</a>',
        '<a href="jav&#x09;ascript:alert(1)">click</a>',
        '<a href="&#106;avascript:alert(1)">click</a>',
        '<a href=" javascript:alert(1)">click</a>',
        '<a href="data:text/html,<script>alert(1)</script>">click</a>',
        '<a href="vbscript:msgbox(1)">click</a>',
        "![x](javascript:alert(1))",
    ],
)
def test_dangerous_link_schemes_are_removed(body):
    html = render(body).lower()

    assert "href" not in html
    assert "src" not in html
    assert "script:" not in html
    assert "data:" not in html


@pytest.mark.parametrize(
    ("body", "url"),
    [
        ("[a](https://example.com/x?a=1&b=2)", "https://example.com/x?a=1&amp;b=2"),
        ("[a](http://example.com/)", "http://example.com/"),
        ("[a](mailto:ann@example.com)", "mailto:ann@example.com"),
        ("[a](/s/team/page/)", "/s/team/page/"),
        ("[a](#h-intro)", "#h-intro"),
    ],
)
def test_safe_links_are_kept(body, url):
    assert f'href="{url}"' in render(body)


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("<script>alert(1)</script>", "alert"),
        ("<svg onload=alert(1)><circle r=1 /></svg>", "<svg"),
        ("<math><mi>x</mi></math>", "<math"),
        ('<iframe src="https://evil.example/"></iframe>', "<iframe"),
        ("<style>body { display: none }</style>", "display"),
        ('<form action="/logout"><button>go</button></form>', "<form"),
        ('<form action="/logout"><button>go</button></form>', "<button"),
        ('<object data="x.swf"></object><embed src="x.swf">', "swf"),
        ('<link rel="stylesheet" href="x.css"><meta http-equiv="refresh">', "x.css"),
    ],
)
def test_dangerous_elements_are_removed(body, forbidden):
    html = render(f"before\n\n{body}\n\nafter")

    assert forbidden not in html
    assert "before" in html
    assert "after" in html


def test_event_handler_attributes_are_removed():
    html = render('<img src="/x.png" onerror="alert(1)"> <b onclick="alert(2)">b</b>')

    assert "onerror" not in html
    assert "onclick" not in html
    assert "alert" not in html
    assert '<img src="/x.png">' in html


def test_style_attributes_are_removed():
    html = render('<p style="position:fixed;top:0">x</p> <span style="color:red">y</span>')

    assert "style" not in html
    assert "<p>x</p>" in html


def test_links_get_rel_noopener_noreferrer():
    html = render("[a](https://example.com/) <a href='/x' rel='opener'>b</a>")

    assert [link["rel"] for link in elements(html, "a")] == ["noopener noreferrer"] * 2


def test_link_classes_are_limited_to_wikilink_classes():
    html = sanitize_html('<a href="/x" class="wikilink missing btn-danger">x</a>')

    assert elements(html, "a")[0]["class"] == "wikilink missing"


def test_harmless_raw_html_and_collapsed_sections_are_kept():
    html = render("<b>ok</b>\n\n<details><summary>More</summary>hidden</details>\n")

    assert "<b>ok</b>" in html
    assert "<details><summary>More</summary>hidden</details>" in html


def test_comments_are_stripped():
    html = render("text <!-- secret note -->\n\n<!-- another -->\n")

    assert "secret" not in html
    assert "another" not in html


def test_nul_bytes_are_removed():
    html = render("a\x00b [[Ho\x00me Page]]")

    assert "\x00" not in html
    assert "<p>ab " in html
    assert 'href="/s/team/home-page/"' in html


def test_markdown_placeholder_characters_cannot_reach_stashed_content():
    html = render("<b>x</b>\n\n\x02wzxhzdk:0\x03")

    assert html.count("<b>x</b>") == 1
    assert "\x02" not in html


def test_lone_surrogates_do_not_raise():
    html = render("a\ud800b")

    assert html == "<p>a?b</p>"


# Unguarded, each of these takes Python-Markdown or nh3 from seconds to minutes, or raises.
@pytest.mark.parametrize(
    "body",
    [
        "- " * 10_000 + "end",
        "".join("  " * depth + "- x\n" for depth in range(1_000)) + "end",
        "".join("\t" * depth + "1. x\n" for depth in range(1_000)) + "end",
        ">" * 5_000 + " end",
        "".join(">" * depth + " x\n" for depth in range(1_000)) + "end",
        "[" * 50_000 + "end",
        "[" * 20_000 + "end" + "]" * 20_000,
        "[a](" * 20_000 + "end",
        "<div>" * 50_000 + "end",
    ],
)
def test_deep_nesting_neither_raises_nor_takes_long(body):
    started = time.perf_counter()
    html = render(body)

    # A hang guard, not a speed target (that is bench/'s job): runaway nesting takes minutes.
    assert time.perf_counter() - started < HANG_GUARD_SECONDS
    assert html.startswith("<pre>")
    assert "end" in html


def test_it_falls_back_to_escaped_text_when_markdown_fails(monkeypatch):
    def explode(self, source):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown.Markdown, "convert", explode)

    assert render("# Title <b>&</b>") == "<pre># Title &lt;b&gt;&amp;&lt;/b&gt;</pre>"
