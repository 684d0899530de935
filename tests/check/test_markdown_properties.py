"""Whatever text a page holds, its rendered HTML keeps to the renderer's allow-lists.

Hypothesis writes text out of HTML, Markdown and URL fragments (tags, attributes, schemes,
entities, brackets, wiki links); the real renderer turns it into HTML, lxml parses that the
way a browser would, and every element, attribute, class and URL must be one that
wikiapp/rendering.py allows. A fixed never-allowed list is checked as well, so a change
that widened the allow-lists to something dangerous would still fail here.
"""

import re
from urllib.parse import quote

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wikiapp import rendering

NEVER_TAGS = {
    *("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"),
    *("meta", "link", "style", "svg", "math", "form", "input", "button", "textarea"),
    *("select", "template", "noscript", "video", "audio", "source", "isindex", "xmp"),
}
NEVER_ATTRIBUTES = {"style", "srcdoc", "srcset", "formaction", "action", "background", "ping"}
NEVER_SCHEMES = {"javascript", "vbscript", "data", "file"}
# What the browser reads as a URL's scheme: C0 controls and spaces around it are dropped,
# tabs and newlines anywhere in it (the URL standard's "basic URL parser").
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_C0_AND_SPACE = "".join(chr(c) for c in range(33))
_CONTROLS = [c for c in range(32) if chr(c) not in "\t\n\r"] + [0x7F]
_HIDE = {c: 0xF0000 + c for c in _CONTROLS}
_SHOW = {0xF0000 + c: c for c in _CONTROLS}
_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "data", "poster"}

TAGS = [
    *("script", "img", "a", "svg", "math", "iframe", "style", "noscript", "template", "p"),
    *("div", "table", "td", "textarea", "title", "details", "summary", "code", "pre", "h2"),
    *("object", "embed", "form", "button", "base", "meta", "link", "mglyph", "select", "xmp"),
]
ATTRIBUTES = [
    *(" onerror=", " onload=", " href=", " src=", " style=", " class=", " id=", " title="),
    *(" alt=", " srcdoc=", " formaction=", " xlink:href=", " hx-get=", " open", " data="),
]
SCHEMES = [
    *("javascript:", "JaVaScRiPt:", "java\tscript:", "java\nscript:", "\x01javascript:"),
    *(" javascript:", "&#106;avascript:", "&#x6A;avascript:", "javascript&colon;"),
    *("javascript&#58;", "javascript&#x3a", "&#0000106", "vbscript:", "data:text/html,"),
    *("data:image/svg+xml,", "%6Aavascript:", "http://", "https://", "mailto:", "//", "/"),
]
MARKUP = [
    *("<", ">", "</", "/>", '"', "'", "`", "=", " ", "\n", "\n\n", "\t", "alert(1)"),
    *("<!--", "-->", "--!>", "<![CDATA[", "]]>", "&lt;", "&gt;", "&amp;", "&#60;", "&#x3c;"),
    *("&quot;", "&#34;", "&", ";", "#", "%0a", "%3C", "\\", "x.png", "language-py"),
]
MARKDOWN = [
    *("[", "]", "(", ")", "![", "](", "[[", "]]", "|", "`", "```", "~~~", "    ", "> "),
    *("# ", "## ", "- ", "1. ", "- [ ] ", "* ", "_", "**", "[TOC]", '!!! note "'),
    *('??? expand "', "[r]: ", "[r]", ' "t"', "<http://x>", "<javascript:alert(1)>"),
    *("| a | b |\n|---|---|\n| ", " {: onclick=x }", "\n---\n"),
]


def _tag(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([f"<{name}", f"<{name}>", f"</{name}>", f"<{name.upper()} "])


LOOSE = st.one_of(
    st.sampled_from(TAGS).flatmap(_tag),
    st.sampled_from(ATTRIBUTES),
    st.sampled_from(SCHEMES),
    st.sampled_from(MARKUP),
    st.sampled_from(MARKDOWN),
    st.text(max_size=4),
)
# Well-formed pieces too, so that links, images and attributes survive often enough for
# their URLs and values to be tested, not only broken markup.
URL = st.lists(
    st.one_of(st.sampled_from(SCHEMES), st.sampled_from(MARKUP), st.text(max_size=3)),
    min_size=1,
    max_size=4,
).map("".join)
WORDS = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(max_size=3)), max_size=3).map("".join)
QUOTE = st.sampled_from(['"', "'", ""])
ATTRIBUTE = st.builds(
    lambda name, quote, value: f"{name}{quote}{value}{quote}",
    st.sampled_from(ATTRIBUTES),
    QUOTE,
    URL,
)
RAW_TAG = st.builds(
    lambda tag, attributes, body: f"<{tag}{''.join(attributes)}>{body}</{tag}>",
    st.sampled_from(TAGS),
    st.lists(ATTRIBUTE, max_size=3),
    WORDS,
)
LINK = st.builds(
    lambda bang, label, url, title: f"{bang}[{label}]({url}{title})",
    st.sampled_from(["", "!"]),
    WORDS,
    URL,
    st.sampled_from(["", ' "t"', " 'a\" onclick=x'", ' "<img src=x onerror=x>"']),
)
REFERENCE = st.builds(lambda label, url: f"[{label}][r]\n\n[r]: {url}\n", WORDS, URL)
AUTOLINK = st.builds(lambda url: f"<{url}>", URL)
WIKI_LINK = st.builds(lambda title, label: f"[[{title}|{label}]]", WORDS, WORDS)
FRAGMENT = st.one_of(LOOSE, RAW_TAG, LINK, REFERENCE, AUTOLINK, WIKI_LINK)
TEXT = st.lists(FRAGMENT, max_size=30).map("".join)


def render(text: str) -> str:
    return rendering.render_markdown(
        text,
        links={rendering.title_key("Home"): "/s/team/home/"},
        missing_url=lambda title: f"/s/team/-/new/?title={quote(title)}",
        file_url=lambda name: "/s/team/page/files/" + quote(name, safe=""),
    )


def scheme(url: str) -> str | None:
    url = url.strip(_C0_AND_SPACE)
    url = re.sub(r"[\t\n\r]", "", url)
    match = _SCHEME_RE.match(url)
    return match.group(1).lower() if match else None


def violations(html: str) -> list[str]:
    """Everything in `html` the renderer's allow-lists (or the never-list) forbid."""
    found = []
    if not html.strip():
        return found
    # lxml refuses control characters, which a browser keeps; they stand in as private-use
    # characters while parsing and come back in attribute values, where URLs are read.
    wrapper = lxml.html.fragment_fromstring(html.translate(_HIDE), create_parent="div")
    for element in wrapper.iterdescendants():
        if not isinstance(element.tag, str):
            found.append(f"a comment or instruction {element!r}")
            continue
        tag = element.tag.lower()
        if tag not in rendering._ALLOWED_TAGS or tag in NEVER_TAGS:
            found.append(f"tag <{tag}>")
        allowed = set(rendering._ALLOWED_ATTRIBUTES.get(tag, ()))
        allowed |= rendering._ALLOWED_ATTRIBUTES.get("*", set())
        allowed |= {"class"} if tag in rendering._ALLOWED_CLASSES else set()
        allowed |= {"rel"} if tag == "a" else set()
        for name, value in element.attrib.items():
            name, value = name.lower(), value.translate(_SHOW)
            if name not in allowed or name.startswith("on") or name in NEVER_ATTRIBUTES:
                found.append(f"attribute {name} on <{tag}>")
            if name == "class":
                permitted = rendering._ALLOWED_CLASSES.get(tag, set())
                for word in value.split():
                    language = rendering._LANGUAGE_CLASS_RE.fullmatch(word)
                    if word not in permitted and not (tag in ("code", "pre") and language):
                        found.append(f"class {word!r} on <{tag}>")
            if name == "id" and not value.startswith("h-"):
                found.append(f"id {value!r} without the h- prefix")
            if name in _URL_ATTRIBUTES:
                used = scheme(value)
                if used is not None and (
                    used not in rendering._URL_SCHEMES or used in NEVER_SCHEMES
                ):
                    found.append(f"{used}: URL in {name} on <{tag}>")
    return found


# `figures` is function-scoped but only adds to counts kept for the whole run, so the
# examples of one test can share it.
PROPERTY = settings(
    max_examples=600,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(text=TEXT)
def test_rendered_text_keeps_to_the_allow_lists(text, figures):
    found = violations(render(text))
    figures.add("Markdown property examples", checked=1, violations=len(found))
    assert not found, (text, render(text), found)


@PROPERTY
@given(text=st.lists(st.one_of(LOOSE, RAW_TAG), max_size=30).map("".join))
def test_sanitised_html_keeps_to_the_allow_lists(text, figures):
    """The sanitiser alone, as the importers call it on HTML they bring in."""
    found = violations(rendering.sanitize_html(text))
    figures.add("Markdown property examples", checked=1, violations=len(found))
    assert not found, (text, rendering.sanitize_html(text), found)


def test_the_checker_sees_what_it_must_refuse():
    """The property is not vacuous: each kind of forbidden output is reported."""
    bad = (
        '<script>x</script><img src="java\tscript:x" onerror="x"><a href=" &#106;avascript:x"'
        ' class="evil">a</a><h2 id="main">h</h2><svg></svg><p style="x">p</p><!-- c -->'
    )
    found = " | ".join(violations(bad))
    for expected in (
        "tag <script>",
        "javascript: URL in src on <img>",
        "attribute onerror on <img>",
        "javascript: URL in href on <a>",
        "class 'evil' on <a>",
        "id 'main' without the h- prefix",
        "tag <svg>",
        "attribute style on <p>",
        "a comment",
    ):
        assert expected in found, (expected, found)
    assert violations(render("[ok](https://example.com/) ![x](/s/team/x.png) [[Home]]")) == []
