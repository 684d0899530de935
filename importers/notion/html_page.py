"""One page of a Notion HTML export: its title, properties and body as Markdown.

``parse_page`` reads the page and rewrites Notion's markup into plain HTML the shared
converter understands (one list per run of items, equations as their TeX, callouts with a
kind, icons removed); ``NotionConverter`` turns the body into Markdown and asks the reader,
through two callbacks, where each link and image points.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from importers.htmlmd import Converter, callout

_INLINE = ["strong", "em", "b", "i", "del", "s", "u"]
_LIST_KINDS = ("bulleted-list", "numbered-list", "to-do-list", "toggle")
_LANGUAGES = {
    "plain text": "text",
    "c++": "cpp",
    "c#": "csharp",
    "f#": "fsharp",
    "objective-c": "objectivec",
    "visual basic": "vbnet",
    "java/c/c++/c#": "java",
}
_EMOJI_KINDS = {
    "💡": "tip",
    "⚠": "warning",
    "🚧": "warning",
    "❗": "danger",
    "‼": "danger",
    "🚨": "danger",
    "⛔": "danger",
    "🛑": "danger",
    "❌": "danger",
    "🔥": "danger",
    "\u2139": "info",  # information source
    "📘": "info",
    "✅": "success",
    "✔": "success",
    "☑": "success",
    "🎉": "success",
    "❓": "question",
    "❔": "question",
    "🤔": "question",
}
_ICON_KINDS = (
    ("info", "info"),
    ("warning", "warning"),
    ("alert", "warning"),
    ("error", "danger"),
    ("stop", "danger"),
    ("check", "success"),
    ("question", "question"),
    ("help", "question"),
    ("lightbulb", "tip"),
)
_COLOUR_KINDS = {
    "red": "danger",
    "orange": "warning",
    "yellow": "warning",
    "green": "success",
    "blue": "info",
}
_NOTION_ICON_RE = re.compile(r"/icons/(?P<name>[a-z0-9-]+?)(?:_(?P<colour>[a-z]+))?\.svg")


@dataclass
class Property:
    name: str
    kind: str  # Notion's property type: date, select, multi_select, person, relation, ...
    cell: Tag


@dataclass
class ParsedPage:
    body: Tag | None
    properties: list[Property] = field(default_factory=list)


def parse_page(text: str) -> ParsedPage:
    """The page's body, already rewritten for NotionConverter, and its properties."""
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(["style", "script", "link", "meta"]):
        tag.decompose()
    properties = []
    table = soup.find("table", class_="properties")
    if table is not None:
        for row in table.find_all("tr"):
            kinds = [c for c in row.get("class") or [] if c.startswith("property-row-")]
            name, cell = row.find("th"), row.find("td")
            if name is None or cell is None:
                continue
            kind = kinds[0].removeprefix("property-row-") if kinds else "text"
            properties.append(Property(name.get_text(" ", strip=True), kind, cell))
        table.extract()
    description = soup.find(class_="page-description")
    body = soup.find("div", class_="page-body")
    if body is None:
        # A full-page database has its table straight in the article, beside the header.
        body = soup.find("article") or soup.body
    header = body.find("header") if body is not None else None
    if header is not None:
        header.extract()
    if body is not None:
        if description is not None and description.get_text(strip=True):
            description.name = "p"
            body.insert(0, description)
        _prepare(soup, body)
    return ParsedPage(body=body, properties=properties)


# --------------------------------------------------------------------------- markup


def _prepare(soup: BeautifulSoup, body: Tag) -> None:
    _equations(soup, body)
    for figure in body.find_all("figure", class_="callout"):
        figure["data-kind"] = _callout_kind(figure)
    for item in body.select("ul.to-do-list > li"):
        box = item.find(class_="checkbox")
        if box is not None:
            item["data-checked"] = "true" if "checkbox-on" in box.get("class", []) else "false"
            box.decompose()
    for box in body.find_all(class_="checkbox"):
        box.replace_with("Yes" if "checkbox-on" in box.get("class", []) else "No")
    for icon in body.select(".icon, .property-icon, svg, .page-header-icon"):
        icon.decompose()
    _merge_lists(body)
    _tidy_inline(body)
    for toggle in body.find_all("ul", class_="toggle"):
        for item in toggle.find_all("li", recursive=False):
            item.unwrap()
        toggle.unwrap()
    for figure in body.find_all("figure", class_="image"):
        _image_figure(figure)
    for bookmark in body.find_all("a", class_="bookmark"):
        title = bookmark.find(class_="bookmark-title")
        text = title.get_text(" ", strip=True) if title else ""
        plain = soup.new_tag("a", href=bookmark.get("href", ""))
        plain.string = text or bookmark.get("href", "")
        bookmark.replace_with(plain)
    for nav in body.find_all("nav", class_="table_of_contents"):
        nav.replace_with(soup.new_tag("notion-toc"))
    for cell in body.select("table.collection-content td, table.collection-content th"):
        _join_values(cell)
        for time in cell.find_all("time"):
            time.string = time.get_text().lstrip("@")


def _equations(soup: BeautifulSoup, body: Tag) -> None:
    """Every KaTeX rendering becomes one <notion-equation> holding its TeX source."""
    for annotation in body.find_all("annotation", attrs={"encoding": "application/x-tex"}):
        if annotation.parent is None or annotation.find_parent("notion-equation"):
            continue
        figure = annotation.find_parent("figure", class_="equation")
        outer = figure or annotation.find_parent(class_="notion-text-equation-token")
        outer = outer or annotation.find_parent(class_="katex-display")
        outer = outer or annotation.find_parent(class_="katex") or annotation
        display = figure is not None or "katex-display" in (outer.get("class") or [])
        equation = soup.new_tag(
            "notion-equation",
            attrs={"data-tex": annotation.get_text(), "data-display": str(display).lower()},
        )
        outer.replace_with(equation)


def _callout_kind(figure: Tag) -> str:
    # The icon sits in the callout's first box; a callout nested in the text has its own.
    holder = figure.find("div", recursive=False)
    icon = holder.find(class_="icon") if holder is not None else None
    if icon is not None and icon.find_parent("figure") is not figure:
        icon = None
    if icon is not None and icon.name == "img":
        match = _NOTION_ICON_RE.search(icon.get("src", ""))
        if match:
            for word, kind in _ICON_KINDS:
                if word in match["name"]:
                    return kind
            if match["colour"] in _COLOUR_KINDS:
                return _COLOUR_KINDS[match["colour"]]
    elif icon is not None:
        emoji = icon.get_text().replace("\ufe0f", "").strip()
        if emoji in _EMOJI_KINDS:
            return _EMOJI_KINDS[emoji]
    for cls in figure.get("class") or []:
        colour = cls.removeprefix("block-color-").removesuffix("_background")
        if cls.startswith("block-color-") and colour in _COLOUR_KINDS:
            return _COLOUR_KINDS[colour]
    return "note"


def _merge_lists(body: Tag) -> None:
    """Notion writes each list item as a list of its own; runs of them become one list."""
    for first in body.find_all(["ul", "ol"]):
        if first.parent is None:
            continue
        kind = _list_kind(first)
        sibling = first.next_sibling
        while sibling is not None:
            if isinstance(sibling, NavigableString) and not sibling.strip():
                sibling = sibling.next_sibling
                continue
            if not isinstance(sibling, Tag) or sibling.name != first.name:
                break
            if _list_kind(sibling) != kind:
                break
            following = sibling.next_sibling
            for item in sibling.find_all("li", recursive=False):
                first.append(item.extract())
            sibling.decompose()
            sibling = following


def _tidy_inline(body: Tag) -> None:
    """Notion splits formatting into runs; markdownify would drop blank runs and glue others.

    ``<em>a</em><strong> </strong><em>b</em>`` would lose its space, ``<del>a</del><del>b</del>``
    would become ``~~a~~~~b~~``.
    """
    for tag in body.find_all(_INLINE):
        if tag.parent is not None and not tag.get_text().strip() and tag.find(True) is None:
            tag.replace_with(" " if tag.get_text() else "")
    for tag in body.find_all(_INLINE):
        following = tag.next_sibling
        while tag.parent is not None and _same_inline(tag, following):
            for child in list(following.contents):
                tag.append(child.extract())
            following.decompose()
            following = tag.next_sibling


def _same_inline(tag: Tag, other) -> bool:
    return isinstance(other, Tag) and other.name == tag.name and other.attrs == tag.attrs


def _list_kind(tag: Tag) -> str:
    return next((c for c in tag.get("class") or [] if c in _LIST_KINDS), "")


def _image_figure(figure: Tag) -> None:
    image = figure.find("img")
    if image is None:
        return
    link = image.find_parent("a")
    if link is not None and link.find_parent("figure") is figure:
        link.replace_with(image.extract())
    caption = figure.find("figcaption")
    if caption is not None:
        if not image.get("alt"):
            image["alt"] = caption.get_text(" ", strip=True)
        caption.decompose()


def _join_values(cell: Tag) -> None:
    """Select values and people sit side by side without separators; give them commas."""
    for value in cell.select(".selected-value + .selected-value, .user + .user"):
        value.insert_before(", ")


# --------------------------------------------------------------------------- converter

LinkHook = Callable[[Tag, str, str, bool], str | None]
ImageHook = Callable[[str, str], str | None]


class NotionConverter(Converter):
    """The shared converter plus Notion's blocks; links and images go to the reader's hooks."""

    def __init__(self, *, on_link: LinkHook, on_image: ImageHook, **options):
        super().__init__(**options)
        self.on_link = on_link
        self.on_image = on_image

    def link(self, el, href, label, in_table):
        return self.on_link(el, href, label, in_table)

    def image(self, el, src, alt):
        return self.on_image(src, alt)

    def task_state(self, el):
        state = el.get("data-checked")
        return None if state is None else state == "true"

    def code_language(self, el):
        for candidate in [el, *el.find_all("code", limit=1)]:
            # bs4 splits class="language-Plain Text" in two; join it back.
            match = re.search(r"language-(.+)$", " ".join(candidate.get("class") or []))
            if match:
                name = match[1].strip().lower()
                return _LANGUAGES.get(name, name.replace(" ", "-"))
        return super().code_language(el)

    def convert_notion_equation(self, el, text, parent_tags):
        tex = el.get("data-tex", "")
        if el.get("data-display") == "true" and "_inline" not in parent_tags:
            lines = [line.rstrip() for line in tex.strip().split("\n") if line.strip()]
            return "\n\n$$\n" + "\n".join(lines) + "\n$$\n\n" if lines else ""
        tex = " ".join(tex.split())
        if tex.endswith("\\") and not tex.endswith("\\\\"):
            tex = tex[:-1].rstrip()  # a trailing "\ " is a TeX space; bare, it would escape "$"
        return f"${tex}$" if tex else ""

    def convert_notion_toc(self, el, text, parent_tags):
        return "\n\n[TOC]\n\n"

    def convert_figure(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        if "callout" in (el.get("class") or []):
            return callout(el.get("data-kind", "note"), "", text) if text.strip() else ""
        return f"\n\n{text.strip()}\n\n" if text.strip() else ""

    def convert_h4(self, el, text, parent_tags):
        if "collection-title" in (el.get("class") or []) and not text.strip():
            return ""
        return self.convert_hN(4, el, text, parent_tags)


def to_markdown(body: Tag | None, converter: NotionConverter) -> str:
    if body is None:
        return ""
    markdown = converter.convert_soup(body)  # the shared converter guards the depth
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return markdown + "\n" if markdown else ""
