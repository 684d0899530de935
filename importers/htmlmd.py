"""HTML to the wiki's Markdown, shared by the Confluence and Notion readers.

A markdownify converter tuned for Python-Markdown as the wiki renders it: ATX headings,
four-space list indentation, fenced code with its language, tables whose cells stay on one
line (lists and paragraphs inside a cell become ``<br>``-separated lines), callouts as
``!!! kind "Title"`` and expand sections as ``??? expand "Title"``.

Readers subclass ``Converter`` and override ``link`` and ``image`` to say where a link
points: an imported page (written as ``[[Title]]``), an attachment of the same page (written
with ``file_target``), or elsewhere.
"""

import re
from urllib.parse import quote

from bs4 import Tag
from markdownify import MarkdownConverter

# markdownify recurses several frames per element level and overflows the stack at a few
# hundred; no real page nests anywhere near this deep. Deeper pages become plain text.
MAX_NESTING = 100
FLATTENED = f"nested more than {MAX_NESTING} levels deep; imported as plain text"
CALLOUT_KINDS = {"note", "info", "tip", "warning", "danger", "success", "question"}
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_WIKI_UNSAFE = re.compile(r"[\[\]|\n]")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_LINE_START_HASH = re.compile(r"(^|\n[ \t]*)#")
_MID_LINE_ESCAPE = re.compile(r"(?<=[^\n])\\([=~])")


def is_external(href: str) -> bool:
    return bool(_SCHEME_RE.match(href)) or href.startswith("//")


def file_target(name: str) -> str:
    """A link target naming an attachment of the page the link is on."""
    return quote(name, safe="")


def wiki_link(title: str, label: str = "", *, in_table: bool = False) -> str | None:
    """``[[Title]]`` or ``[[Title|label]]``; None when the title cannot be written as one."""
    title = " ".join(title.split())
    if not title or _WIKI_UNSAFE.search(title):
        return None
    label = " ".join(label.replace("]", " ").replace("[", " ").replace("|", " ").split())
    if in_table or not label or label == title:
        return f"[[{title}]]"  # a "|" would split the table cell
    return f"[[{title}|{label}]]"


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.split("\n"))


def callout(kind: str, title: str, body: str) -> str:
    """A callout block (info, note, tip, warning panels; Notion callouts)."""
    kind = kind if kind in CALLOUT_KINDS else "note"
    heading = f'!!! {kind} "{_quote_title(title)}"' if title else f"!!! {kind}"
    return f"\n\n{heading}\n{indent(body.strip())}\n\n"


def expand(title: str, body: str) -> str:
    """A collapsed section that opens on click (Confluence expand, Notion toggle)."""
    return f'\n\n??? expand "{_quote_title(title or "Details")}"\n{indent(body.strip())}\n\n'


def _quote_title(title: str) -> str:
    return " ".join(title.replace('"', "'").split())


class Converter(MarkdownConverter):
    """markdownify with the wiki's conventions; override link() and image() per reader."""

    def __init__(self, **options):
        options = {
            "heading_style": "atx",
            "bullets": "-",
            "escape_misc": True,  # text that looks like Markdown or HTML stays text
            "table_infer_header": True,
            "code_language_callback": self.code_language,
            **options,
        }
        super().__init__(**options)
        self.flattened = False  # the last conversion was too deep: the caller should warn

    def convert_soup(self, soup):
        self.flattened = _deeper_than(soup, MAX_NESTING)
        if self.flattened:
            return self.escape(soup.get_text("\n"), set())
        return super().convert_soup(soup)

    # Hooks ----------------------------------------------------------------------------

    def link(self, el, href: str, label: str, in_table: bool) -> str | None:
        """Markdown for a link, or None for the default ``[label](href)``."""
        return None

    def image(self, el, src: str, alt: str) -> str | None:
        """Markdown for an image, or None for the default ``![alt](src)``."""
        return None

    def code_language(self, el) -> str:
        for candidate in [el, *el.find_all("code", limit=1)]:
            for cls in candidate.get("class") or []:
                if cls.startswith("language-"):
                    return cls.removeprefix("language-")
            language = candidate.get("data-language") or candidate.get("data-lang")
            if language:
                return str(language)
        return ""

    def escape(self, text, parent_tags):
        # Python-Markdown has no \<, \&, \= or \~ escapes and would show the backslash: an
        # entity keeps "<tag>" and "&amp;" in text as text; "=" and "~" need escaping only
        # where they could start a line (a setext underline, a ~~~ fence).
        text = super().escape(text, parent_tags).replace("\\<", "&lt;").replace("\\&", "&amp;")
        text = _MID_LINE_ESCAPE.sub(r"\1", text)
        if self.options["escape_misc"]:
            # Python-Markdown reads "#word" at a line start as a heading, space or not.
            text = _LINE_START_HASH.sub(r"\1\\#", text)
        return text

    # Conversions ----------------------------------------------------------------------

    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        if "_noformat" in parent_tags or not href:
            return text
        markdown = self.link(el, href, text.strip(), in_table=_in_table(parent_tags))
        if markdown is not None:
            return markdown
        if not text.strip():
            return ""
        return f"[{text.strip()}]({_target(href)})"

    def convert_img(self, el, text, parent_tags):
        src = (el.get("src") or "").strip()
        alt = " ".join((el.get("alt") or "").replace("[", " ").replace("]", " ").split())
        markdown = self.image(el, src, alt)
        if markdown is not None:
            return markdown
        if not src:
            return alt
        return f"![{alt}]({_target(src)})"

    def convert_li(self, el, text, parent_tags):
        if _in_table(parent_tags):
            text = " ".join(line.strip() for line in (text or "").split("\n") if line.strip())
            bullet = "•"
            if el.parent is not None and el.parent.name == "ol":
                bullet = f"{len(el.find_previous_siblings('li')) + 1}."
            return f"{bullet} {text}<br>"
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            number = int(start) if start.isdigit() else 1
            bullet = f"{number + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        checked = self.task_state(el)
        if checked is not None:
            bullet += " [x]" if checked else " [ ]"
        # Python-Markdown needs four spaces to continue a list item, whatever the bullet.
        first, _, rest = text.partition("\n")
        item = f"{bullet} {first}" + ("\n" + indent(rest) if rest else "") + "\n"
        # After a blank line inside an item, Python-Markdown reads the next "2." as more of
        # that paragraph unless a blank line ends the item too.
        return item + "\n" if "\n\n" in item else item

    def task_state(self, el) -> bool | None:
        """True/False for a ticked/unticked task list item, None for an ordinary item."""
        return None

    def convert_list(self, el, text, parent_tags):
        if _in_table(parent_tags):
            return text
        return super().convert_list(el, text, parent_tags)

    convert_ul = convert_list
    convert_ol = convert_list

    def convert_p(self, el, text, parent_tags):
        if _in_table(parent_tags):
            return text.strip() + "<br>" if text.strip() else ""
        return super().convert_p(el, text, parent_tags)

    def convert_br(self, el, text, parent_tags):
        if _in_table(parent_tags):
            return "<br>"
        return super().convert_br(el, text, parent_tags)

    def convert_pre(self, el, text, parent_tags):
        if _in_table(parent_tags):
            return "`" + " ".join(text.split()).replace("`", "'") + "`"
        language = self.code_language(el)
        fence = "```"
        while fence in text:
            fence += "`"
        return f"\n\n{fence}{language}\n{text.strip(chr(10))}\n{fence}\n\n"

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, _cell_text(text), parent_tags)

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, _cell_text(text), parent_tags)

    def convert_details(self, el, text, parent_tags):
        summary = el.find("summary")
        title = summary.get_text(" ", strip=True) if summary else ""
        return expand(title, text)

    def convert_summary(self, el, text, parent_tags):
        return ""  # used as the expand title by convert_details


def _deeper_than(root: Tag, limit: int) -> bool:
    stack = [(root, 0)]
    while stack:
        tag, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in tag.children if isinstance(child, Tag))
    return False


def _in_table(parent_tags) -> bool:
    return "td" in parent_tags or "th" in parent_tags


def _cell_text(text: str) -> str:
    text = text.strip()
    while text.endswith("<br>"):
        text = text[: -len("<br>")].rstrip()
    return " ".join(_UNESCAPED_PIPE.sub(r"\\|", text).split("\n"))


def _target(url: str) -> str:
    if any(c in url for c in " <>()"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def to_markdown(html: str, converter: Converter | None = None) -> str:
    """Convert an HTML fragment with `converter` (default: a plain Converter)."""
    markdown = (converter or Converter()).convert(html)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
