"""Markdown page bodies to sanitised HTML.

Pure functions with no database access: callers resolve [[wiki links]] to URLs first
(see `wiki_link_titles`) and pass them in.
"""

import logging
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from html import escape
from urllib.parse import unquote

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

logger = logging.getLogger(__name__)

MAX_TITLE_LENGTH = 200

# No brackets or newlines inside; no \x02/\x03 either, which are Python-Markdown's
# placeholders for already-processed spans such as inline code.
_WIKI_LINK = r"\[\[([^\[\]|\n\x02\x03]*)(?:\|([^\[\]\n\x02\x03]*))?\]\]"
_WIKI_LINK_RE = re.compile(_WIKI_LINK)
_FENCED_CODE_RE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?<=\n)(?P=fence)[ ]*$", re.MULTILINE | re.DOTALL
)
# Single-line only: a stray backtick must not hide links in later paragraphs.
_INLINE_CODE_RE = re.compile(r"(?<!\\)(`+)[^\n]+?(?<!`)\1(?!`)")

# Python-Markdown slows down quadratically, then overflows the stack, on deeply nested
# blocks, and its link parser is quadratic in nested or unclosed brackets. Such input is
# never a real page, so it is shown as plain text instead. The limits: 40 levels of
# indentation or of list/quote markers on one line, 64 unclosed brackets in a paragraph.
_DEEP_INDENT_RE = re.compile(r"^(?: {4}| {0,3}\t){40}", re.MULTILINE)
_DEEP_MARKERS_RE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*){40}", re.MULTILINE)
_MAX_OPEN_BRACKETS = 64
_BRACKET_RE = re.compile(r"[\[\]()]|\n[ \t]*\n")
# nh3's HTML parser is quadratic in the nesting depth of block elements such as <div>.
_MAX_HTML_DEPTH = 512
_HTML_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])")
_NON_NESTING_TAGS = {"br", "hr", "img", "input", "wbr", "p", "li", "dt", "dd", "tr", "td", "th"}

_ALLOWED_TAGS = {
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6"),
    *("strong", "em", "b", "i", "del", "s", "ins", "mark", "sub", "sup"),
    *("code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"),
    *("a", "img", "span", "div", "abbr", "details", "summary"),
}
# Removed together with their content; everything else not allowed is unwrapped.
_CONTENT_REMOVED_TAGS = {
    *("script", "style", "iframe", "object", "embed", "noscript", "template"),
    *("svg", "math", "textarea", "select"),
}
_HEADING_ATTRIBUTES = {f"h{n}": {"id"} for n in range(1, 7)}
_ALLOWED_ATTRIBUTES = {
    # On any allowed tag: nh3's default, stated so that the whole allow-list is here.
    "*": {"lang", "title"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
    "details": {"open"},
    # Arbitrary language names, so checked by _filter_attribute rather than allowed_classes.
    "code": {"class"},
    "pre": {"class"},
    **_HEADING_ATTRIBUTES,
}
# Callouts are written `!!! note "Title"` (admonition), expand sections `??? expand "Title"`.
CALLOUT_KINDS = ("note", "info", "tip", "warning", "danger", "success", "question")
# nh3 rejects a tag that has "class" both here and in _ALLOWED_ATTRIBUTES.
_ALLOWED_CLASSES = {
    "a": {"wikilink", "missing"},
    "ul": {"task-list"},
    "li": {"task-list-item"},
    "span": {"task-box"},
    "div": {"toc", "admonition", *CALLOUT_KINDS},
    "p": {"admonition-title"},
    "details": {"expand", *CALLOUT_KINDS},
}
_LANGUAGE_CLASS_RE = re.compile(r"language-[\w+#.-]{1,40}")
# Links and images may point only here, or be relative; no javascript:, data: or vbscript:.
_URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class" and tag in ("code", "pre"):
        kept = [c for c in value.split() if _LANGUAGE_CLASS_RE.fullmatch(c)]
        return " ".join(kept) or None
    return value


_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_CONTENT_REMOVED_TAGS,
    attributes=_ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes=_URL_SCHEMES,
    allowed_classes=_ALLOWED_CLASSES,
    # Heading ids from raw HTML get the same prefix as generated ones, so a page cannot
    # clobber globals or ids that the site's own scripts rely on.
    id_prefix="h-",
)


def sanitize_html(html: str) -> str:
    """The allow-list sanitiser, public so importers can reuse it."""
    html = _clean_text(html)
    if _html_too_deep(html):
        return _as_plain_text(html)
    return _CLEANER.clean(html)


def title_key(title: str) -> str:
    """Normalised key to match a wiki-link target against page titles."""
    return " ".join(title.split()).casefold()


def wiki_link_titles(body: str) -> set[str]:
    """Titles referenced by [[Page title]] or [[Page title|label]], outside code."""
    text = _FENCED_CODE_RE.sub("", _clean_text(body))
    text = _INLINE_CODE_RE.sub("\n", text)
    titles = set()
    for match in _WIKI_LINK_RE.finditer(text):
        title = match.group(1).strip()
        if title and len(title) <= MAX_TITLE_LENGTH:
            titles.add(title)
    return titles


def render_markdown(
    body: str,
    *,
    links: Mapping[str, str],
    missing_url: Callable[[str], str],
    file_url: Callable[[str], str] | None = None,
) -> str:
    """Markdown -> sanitised HTML fragment.

    links maps title_key(title) to the URL of an existing page; missing_url(title) gives
    the URL that creates a page with that title. file_url(name) gives the URL of the
    page's attachment called name: a link or image whose target is a bare file name,
    such as ![](diagram.png) or [spec](<spec v2.pdf>), points there.
    """
    body = _clean_text(body)
    if _is_pathological(body):
        return _as_plain_text(body)
    md, wiki_links = _converter()
    wiki_links.links, wiki_links.missing_url, wiki_links.file_url = links, missing_url, file_url
    try:
        html = md.reset().convert(body)
    except Exception:
        _local.__dict__.clear()  # a converter that failed half-way is not used again
        # Saving the page matters more than formatting it; keep the evidence in the log.
        logger.warning("Markdown rendering failed; showing the page as plain text", exc_info=True)
        return _as_plain_text(body)
    finally:
        wiki_links.links, wiki_links.missing_url, wiki_links.file_url = {}, str, None
    return sanitize_html(_TASK_BOX_RE.sub(_task_box, html))


# Building a Markdown converter with its extensions costs ~2 ms; each thread keeps one
# and resets it between pages (Python-Markdown's documented way to reuse one).
_local = threading.local()


def _converter() -> tuple[markdown.Markdown, "_WikiLinkExtension"]:
    if not hasattr(_local, "md"):
        _local.wiki_links = _WikiLinkExtension()
        _local.md = markdown.Markdown(
            extensions=[
                "tables",
                # superfences, unlike fenced_code, also finds fences inside callouts and lists.
                "pymdownx.superfences",
                "pymdownx.highlight",
                "admonition",
                "pymdownx.details",
                "toc",
                "sane_lists",
                "pymdownx.tasklist",
                _local.wiki_links,
            ],
            extension_configs={
                "tables": {"use_align_attribute": True},
                # Highlighting is the browser's job, if any: no per-token spans to sanitise.
                "pymdownx.highlight": {"use_pygments": False},
                # The page title is the page's one h1, so "# Heading" in the text becomes h2.
                "toc": {"slugify": _heading_slug, "permalink": False, "baselevel": 2},
            },
        )
    return _local.md, _local.wiki_links


# pymdownx.tasklist writes disabled checkboxes; a form control with no label is noise to
# a screen reader, and content needs no form controls at all, so a symbol stands in.
_TASK_BOX_RE = re.compile(r'<input type="checkbox" disabled( checked)?/>')


def _task_box(match: re.Match) -> str:
    return '<span class="task-box">' + ("☑" if match.group(1) else "☐") + "</span>"


def _clean_text(text: str) -> str:
    # NUL cannot be stored, \x02/\x03 are Python-Markdown's internal placeholder
    # delimiters, and lone surrogates make nh3 raise UnicodeEncodeError.
    text = text.replace("\x00", "").replace("\x02", "").replace("\x03", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def _heading_slug(value: str, separator: str) -> str:
    return "h-" + slugify_unicode(value, separator)


def _is_pathological(body: str) -> bool:
    if _DEEP_INDENT_RE.search(body) or _DEEP_MARKERS_RE.search(body) or _html_too_deep(body):
        return True
    square = round_ = 0
    for match in _BRACKET_RE.finditer(body):
        char = match.group()
        if char == "[":
            square += 1
        elif char == "]":
            square = max(square - 1, 0)
        elif char == "(":
            round_ += 1
        elif char == ")":
            round_ = max(round_ - 1, 0)
        else:  # a blank line ends the paragraph, and with it any bracket scan
            square = round_ = 0
        if square > _MAX_OPEN_BRACKETS or round_ > _MAX_OPEN_BRACKETS:
            return True
    return False


def _html_too_deep(html: str) -> bool:
    open_tags: dict[str, int] = {}
    depth = 0
    for match in _HTML_TAG_RE.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _NON_NESTING_TAGS:
            continue
        if not closing:
            open_tags[name] = open_tags.get(name, 0) + 1
            depth += 1
        elif open_tags.get(name):
            open_tags[name] -= 1
            depth -= 1
        if depth > _MAX_HTML_DEPTH:
            return True
    return False


def _as_plain_text(body: str) -> str:
    return f"<pre>{escape(body, quote=False)}</pre>"


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, extension: "_WikiLinkExtension") -> None:
        super().__init__(_WIKI_LINK)
        self.extension = extension  # holds the links of the page being rendered

    def handleMatch(self, m: re.Match, data: str):
        title = m.group(1).strip()
        if not title or len(title) > MAX_TITLE_LENGTH:
            return None, None, None
        label = (m.group(2) or "").strip() or title
        link = ET.Element("a")
        url = self.extension.links.get(title_key(title))
        if url is None:
            link.set("href", self.extension.missing_url(title))
            link.set("class", "wikilink missing")
        else:
            link.set("href", url)
            link.set("class", "wikilink")
        # AtomicString: the label is shown as written, not parsed as more Markdown.
        link.text = AtomicString(label)
        return link, m.start(0), m.end(0)


class _FileLinkProcessor(Treeprocessor):
    """Point links and images that name a bare file at the page's attachment."""

    def __init__(self, md: markdown.Markdown, extension: "_WikiLinkExtension") -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ET.Element) -> None:
        file_url = self.extension.file_url
        if file_url is None:
            return
        for element in root.iter():
            if element.tag not in ("a", "img"):
                continue
            attribute = "href" if element.tag == "a" else "src"
            target = element.get(attribute) or ""
            if _BARE_FILE_RE.fullmatch(target):
                element.set(attribute, file_url(unquote(target)))


# A file name: no scheme, no path, not an anchor or query, not a dot-segment.
_BARE_FILE_RE = re.compile(r"(?![.]{1,2}$)[^/\\:#?\s][^/\\:#?]*")


class _WikiLinkExtension(markdown.Extension):
    """[[Page title]] links and bare file names, resolved with the current page's maps."""

    def __init__(self) -> None:
        super().__init__()
        self.links: Mapping[str, str] = {}
        self.missing_url: Callable[[str], str] = str
        self.file_url: Callable[[str], str] | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Above "link" (160) so [[x]] is not read as a reference link; below backticks
        # (190) and escapes (180) so `[[x]]` and \[[x]] stay literal.
        md.inlinePatterns.register(_WikiLinkProcessor(self), "wikilink", 175)
        md.treeprocessors.register(_FileLinkProcessor(md, self), "file_links", 5)
