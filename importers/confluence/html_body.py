"""The body of one page of a Confluence HTML export, as the wiki's Markdown.

Two steps: ``page_body`` cuts the page's own content out of the exported page (without the
title, breadcrumbs, metadata, attachment list, comments and footer) and rewrites the markup of
older Confluence versions into the newer one; ``ConfluenceConverter`` then turns Confluence's
macros (code, panels, expand, tasks, Jira issues, emoticons) into Markdown and asks a
``PageLinks`` where each link and image points.
"""

import re
from typing import Protocol

from bs4 import BeautifulSoup, Tag

from importers.htmlmd import CALLOUT_KINDS, Converter, callout, expand

BRUSHES = {
    "js": "javascript",
    "jscript": "javascript",
    "py": "python",
    "html/xml": "xml",
    "shell": "bash",
    "sh": "bash",
    "c#": "csharp",
    "c++": "cpp",
    "ps": "powershell",
    "plain": "text",
    "none": "text",
    "yml": "yaml",
}
# Confluence's information macros by the suffix of their class, and the legacy table classes.
MACRO_KINDS = {
    "information": "info",
    "info": "info",
    "note": "note",
    "tip": "tip",
    "warning": "warning",
}
EMOJI = {
    "smile": "🙂",
    "sad": "🙁",
    "cheeky": "😛",
    "tongue": "😛",
    "laugh": "😀",
    "biggrin": "😀",
    "wink": "😉",
    "thumbs-up": "👍",
    "thumbs-down": "👎",
    "information": "\u2139\ufe0f",
    "tick": "✅",
    "check": "✅",
    "cross": "❌",
    "error": "❌",
    "warning": "⚠️",
    "plus": "\u2795",
    "add": "\u2795",
    "minus": "\u2796",
    "forbidden": "⛔",
    "question": "❓",
    "help-16": "❓",
    "light-on": "💡",
    "lightbulb-on": "💡",
    "light-off": "💡",
    "lightbulb": "💡",
    "yellow-star": "⭐",
    "star-yellow": "⭐",
    "red-star": "⭐",
    "star-red": "⭐",
    "green-star": "⭐",
    "star-green": "⭐",
    "blue-star": "⭐",
    "star-blue": "⭐",
    "heart": "❤️",
    "broken-heart": "💔",
}
BRUSH_RE = re.compile(r"brush:\s*([^;\s]+)")
# Everything around the content that the export repeats on every page.
CHROME_TAGS = {"script", "style", "fieldset"}
CHROME_IDS = {"breadcrumb-section", "breadcrumbs", "footer", "title-heading"}
CHROME_CLASSES = {"page-metadata", "pageheader", "pagesubheading", "greybox", "hidden"}


class PageLinks(Protocol):
    def link(self, href: str, label: str, in_table: bool, text: str) -> str | None: ...

    def image(self, src: str, alt: str) -> str | None: ...

    def external(self, url: str) -> None: ...


def classes(el: Tag | None) -> set[str]:
    return set(el.get("class") or []) if el is not None else set()


def page_body(soup: BeautifulSoup) -> Tag | None:
    """The element holding the page's own content, cleaned; None when the page has none."""
    body = (
        soup.find(id="main-content")
        or soup.find("div", class_="wiki-content")
        or soup.find("td", class_="pagebody")
        or soup.body
    )
    if body is None:
        return None
    _remove_sections(body)
    for el in body.find_all(_is_chrome):
        el.decompose()
    _modernise(soup, body)
    return body


def _is_chrome(el: Tag) -> bool:
    return (
        el.name in CHROME_TAGS
        or el.get("id") in CHROME_IDS
        or not CHROME_CLASSES.isdisjoint(el.get("class") or ())
    )


def _remove_sections(body: Tag) -> None:
    """Drop the Attachments and Comments sections, in both templates."""
    for heading in body.find_all(id=["attachments", "comments"]):
        section = heading.find_parent("div", class_="pageSection")
        if section is not None:
            section.decompose()
    for title in body.find_all("div", class_="tabletitle"):
        anchor = title.find("a", attrs={"name": "comments"})
        listing = title.find_next_sibling("table") if anchor is not None else None
        if listing is not None:
            listing.decompose()
        title.decompose()


def _modernise(soup: BeautifulSoup, body: Tag) -> None:
    """Rewrite the older template's macros as the newer template writes them."""
    for panel in body.find_all("div", class_="panelMacro"):
        table = panel.find("table", recursive=False)
        kinds = [c.removesuffix("Macro") for c in classes(table) if c.endswith("Macro")]
        if not kinds:
            continue
        kind = kinds[0]
        row = table.find("tr")
        cells = row.find_all("td", recursive=False) if row is not None else []
        macro = soup.new_tag("div")
        macro["class"] = ["confluence-information-macro", f"confluence-information-macro-{kind}"]
        if cells:
            _legacy_title(soup, cells[-1], macro)
            content = soup.new_tag("div")
            content.extend(list(cells[-1].contents))
            macro.append(content)
        panel.replace_with(macro)
    # Section/column macros laid the page out with a table; their cells are just blocks.
    for table in body.find_all("table", class_="sectionMacro"):
        layout = soup.new_tag("div")
        for cell in table.find_all("td", recursive=True):
            if cell.find_parent("table") is table:
                block = soup.new_tag("div")
                block.extend(list(cell.contents))
                layout.append(block)
        table.replace_with(layout)
    for el in body.find_all("tt"):
        el.name = "code"


def _legacy_title(soup: BeautifulSoup, cell: Tag, macro: Tag) -> None:
    """Older exports wrote a macro's title as "<b>Title</b><br/>" before its text."""
    children = [c for c in cell.contents if not (isinstance(c, str) and not c.strip())]
    names = [getattr(child, "name", None) for child in children[:2]]
    if names == ["b", "br"]:
        title = soup.new_tag("p")
        title["class"] = ["title"]
        title.string = children[0].get_text(" ", strip=True)
        macro.append(title)
        children[0].decompose()
        children[1].decompose()


class ConfluenceConverter(Converter):
    def __init__(self, links: PageLinks, **options):
        super().__init__(**options)
        self.links = links

    # Hooks ----------------------------------------------------------------------------

    def link(self, el, href: str, label: str, in_table: bool) -> str | None:
        if el.get("data-jira-key"):
            return self._jira(el)
        text = " ".join(el.get_text(" ").split())
        return self.links.link(href, label, in_table, text)

    def image(self, el, src: str, alt: str) -> str | None:
        if "emoticon" in classes(el) or "/emoticons/" in src:
            return _emoji(el, src, alt)
        return self.links.image(src, alt)

    def task_state(self, el) -> bool | None:
        if el.parent is None or "inline-task-list" not in classes(el.parent):
            return None
        return "checked" in classes(el)

    def code_language(self, el) -> str:
        params = el.get("data-syntaxhighlighter-params") or " ".join(el.get("class") or [])
        match = BRUSH_RE.search(params)
        if match:
            brush = match[1].lower()
            return BRUSHES.get(brush, brush)
        return super().code_language(el)

    # Confluence markup ----------------------------------------------------------------

    def convert_div(self, el, text, parent_tags):
        names = classes(el)
        if names & {"codeHeader", "panelHeader", "expand-control"}:
            return ""  # read as the title by the enclosing panel or expand
        if "_inline" in parent_tags or "td" in parent_tags or "th" in parent_tags:
            return super().convert_div(el, text, parent_tags)
        if "code" in names and "panel" in names:
            title = _child_text(el, "codeHeader")
            heading = f"\n\n**{self.escape(title, set())}**\n\n" if title else ""
            return heading + text
        if "confluence-information-macro" in names:
            kind = next(
                (MACRO_KINDS[c.rsplit("-", 1)[-1]] for c in names if _is_macro_kind(c)), "info"
            )
            title = el.find("p", class_="title", recursive=False)
            return callout(kind, title.get_text(" ", strip=True) if title else "", text)
        if "panel" in names and "preformatted" not in names:
            kind = el.get("data-panel-type") or "note"
            kind = kind if kind in CALLOUT_KINDS else "note"
            return callout(kind, _child_text(el, "panelHeader"), text)
        if "expand-container" in names:
            control = el.find(class_="expand-control-text")
            return expand(control.get_text(" ", strip=True) if control else "", text)
        if "toc-macro" in names:
            return "\n\n[TOC]\n\n"  # the wiki's renderer builds its own table of contents
        return super().convert_div(el, text, parent_tags)

    def convert_p(self, el, text, parent_tags):
        parent = el.parent
        if "title" in classes(el) and "confluence-information-macro" in classes(parent):
            return ""  # read as the callout's title
        return super().convert_p(el, text, parent_tags)

    def convert_pre(self, el, text, parent_tags):
        # The editor pads code with no-break spaces, which break a pasted shell command.
        return super().convert_pre(el, text.replace("\xa0", " "), parent_tags)

    def convert_span(self, el, text, parent_tags):
        if "jira-issue" in classes(el) or el.get("data-jira-key"):
            return self._jira(el)
        return text

    def convert_iframe(self, el, text, parent_tags):
        src = (el.get("src") or "").strip()
        if not src.startswith(("http://", "https://")):
            return ""
        self.links.external(src)
        return f"\n\n[{src}]({src})\n\n"

    def _jira(self, el) -> str:
        anchor = el if el.name == "a" else el.find("a", href=True)
        key = el.get("data-jira-key") or (anchor.get_text(strip=True) if anchor else "")
        summary = el.find(class_="summary")
        suffix = f": {self.escape(summary.get_text(' ', strip=True), set())}" if summary else ""
        url = (anchor.get("href") or "").strip() if anchor is not None else ""
        if not key:
            return suffix.removeprefix(": ")
        if not url.startswith(("http://", "https://")):
            return self.escape(key, set()) + suffix
        self.links.external(url)
        return f"[{key}]({url}){suffix}"


def _is_macro_kind(name: str) -> bool:
    prefix, _, kind = name.rpartition("-")
    return prefix == "confluence-information-macro" and kind in MACRO_KINDS


def _child_text(el: Tag, name: str) -> str:
    header = el.find(class_=name, recursive=False)
    return header.get_text(" ", strip=True) if header is not None else ""


def _emoji(el: Tag, src: str, alt: str) -> str:
    if el.get("data-emoji-fallback"):
        return str(el["data-emoji-fallback"])
    name = el.get("data-emoticon-name") or src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    name = str(name).lower().replace("_", "-")
    return EMOJI.get(name, alt)
