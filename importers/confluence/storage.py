"""Confluence storage format (XHTML with ac: and ri: elements) to the wiki's Markdown.

Bodies are parsed with BeautifulSoup's "html.parser": it keeps prefixed names such as
``ac:link`` and ``ri:page`` as they are, reads the CDATA sections of code and link bodies, and
decodes the HTML entities (``&nbsp;``, ``&mdash;``) that storage format uses without declaring
them, so no namespace wrapper or entity table is needed. Plain HTML goes through the shared
Converter; Confluence elements are handled whole (``process_tag``) so that a macro's
parameters never leak into the text and links inside them are counted once.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote_plus, urlsplit

from bs4 import BeautifulSoup, Tag

from importers.confluence.storage_macros import MacroMixin, in_table
from importers.htmlmd import FLATTENED, Converter, file_target, is_external, wiki_link
from importers.tree import LinkStats, Warning

EMOTICONS = {
    "smile": "🙂",
    "sad": "🙁",
    "cheeky": "😛",
    "laugh": "😄",
    "wink": "😉",
    "thumbs-up": "👍",
    "thumbs-down": "👎",
    "information": "\N{INFORMATION SOURCE}\N{VARIATION SELECTOR-16}",
    "tick": "✅",
    "cross": "❌",
    "warning": "⚠️",
    "plus": "\N{HEAVY PLUS SIGN}",
    "minus": "\N{HEAVY MINUS SIGN}",
    "question": "❓",
    "light-on": "💡",
    "light-off": "💡",
    "yellow-star": "⭐",
    "red-star": "⭐",
    "green-star": "⭐",
    "blue-star": "⭐",
    "heart": "❤️",
    "broken-heart": "💔",
}
_PAGE_ID_URL = re.compile(r"/pages/viewpage\.action$")
_SPACES_URL = re.compile(r"/spaces/[^/]+/pages/(\d+)(?:/|$)")
_DISPLAY_URL = re.compile(r"/display/([^/]+)/([^/]+)$")
_HEX = re.compile(r"^[0-9a-fA-F]{2,6}(?:-[0-9a-fA-F]{2,6})*$")


def title_key(title: str) -> str:
    """How the wiki matches a [[link]] to a title: case and spacing do not matter."""
    return " ".join(title.split()).casefold()


@dataclass
class PageIndex:
    """What a body needs to know about the rest of the import to write its links."""

    ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (space, title key) -> id
    any_space: dict[str, str] = field(default_factory=dict)  # title key -> page id
    titles: dict[str, str] = field(default_factory=dict)  # page id -> title
    children: dict[str, list[str]] = field(default_factory=dict)  # page id -> child ids
    parents: dict[str, str] = field(default_factory=dict)
    spaces: dict[str, str] = field(default_factory=dict)  # page id -> space key (lower case)
    homes: dict[str, str] = field(default_factory=dict)  # space key -> home page id
    attachments: dict[str, set[str]] = field(default_factory=dict)  # page id -> file names
    users: dict[str, str] = field(default_factory=dict)  # user key -> user name

    def add(self, page_id: str, title: str, space: str) -> None:
        self.titles[page_id] = title
        self.spaces[page_id] = space
        self.ids.setdefault((space, title_key(title)), page_id)
        self.any_space.setdefault(title_key(title), page_id)

    def find(self, title: str, space: str | None, *, home_space: str) -> str | None:
        """The id of the page a link names; a link without a space key means its own space."""
        key = title_key(title)
        if space and space.lower() != home_space:
            return self.ids.get((space.lower(), key))
        return self.ids.get((home_space, key)) or self.any_space.get(key)


@dataclass
class Report:
    """Where one conversion records its warnings and link counts."""

    path: str
    warnings: list[Warning] = field(default_factory=list)
    links: LinkStats = field(default_factory=LinkStats)
    _seen: set[str] = field(default_factory=set)

    def warn(self, reason: str) -> None:
        if reason not in self._seen:
            self._seen.add(reason)
            self.warnings.append(Warning(self.path, reason))


class StorageConverter(MacroMixin, Converter):
    def __init__(self, *, index: PageIndex, page_id: str, report: Report, **options):
        super().__init__(**options)
        self.index, self.page_id, self.report = index, page_id, report
        self.space = index.spaces.get(page_id, "")
        self.whole = {
            "ac:link": self.ac_link,
            "ac:image": self.ac_image,
            "ac:emoticon": self.ac_emoticon,
            "ac:structured-macro": self.macro,
            "ac:macro": self.macro,
            "ac:placeholder": lambda el, parent_tags: "",
        }

    def process_tag(self, node, parent_tags=None):
        handler = self.whole.get(node.name)
        if handler is not None:
            return handler(node, parent_tags or set())
        return super().process_tag(node, parent_tags)

    def markdown_of(self, el, parent_tags) -> str:
        """A container element's children as Markdown (for macro and link bodies)."""
        return super().process_tag(el, parent_tags) if el is not None else ""

    # Links -----------------------------------------------------------------------------

    def page_link(self, title: str, label: str, parent_tags, space: str | None = None) -> str:
        links = self.report.links
        links.total += 1
        page_id = self.index.find(title, space, home_space=self.space) if title else None
        if page_id is not None:
            links.resolved += 1
            title = self.index.titles[page_id]
        else:
            links.unresolved += 1
            where = f" in space {space}" if space and space.lower() != self.space else ""
            self.report.warn(f"link to page {title!r}{where} not found in the export")
        text = wiki_link(title, label, in_table=in_table(parent_tags)) if title else None
        return text if text is not None else self.escape(label or title, parent_tags)

    def link_to_id(self, page_id: str, label: str, parent_tags) -> str:
        self.report.links.total += 1
        self.report.links.resolved += 1
        title = self.index.titles[page_id]
        text = wiki_link(title, label, in_table=in_table(parent_tags))
        return text if text is not None else self.escape(label or title, parent_tags)

    def unresolved(self, text: str, reason: str) -> str:
        """Count and report a link that leads nowhere; `text` (Markdown) stays in its place."""
        self.report.links.total += 1
        self.report.links.unresolved += 1
        self.report.warn(reason)
        return text

    def file_link(self, name: str, label: str, owner: Tag | None, parent_tags) -> str:
        label = " ".join((label or name).replace("[", " ").replace("]", " ").split())
        if owner is not None and not self._is_this_page(owner):
            return self.owner_link(owner, label, parent_tags)
        self.check_attachment(name)
        return f"[{self.escape(label, parent_tags)}]({file_target(name)})"

    def owner_link(self, owner: Tag, label: str, parent_tags) -> str:
        """A link to a file attached elsewhere becomes a link to the page holding it."""
        title = owner.get("ri:content-title", "")
        if owner.name == "ri:page" and title:
            return self.page_link(title, label, parent_tags, owner.get("ri:space-key"))
        reason = f"link to a file of {title or 'a blog post'!r} not imported"
        return self.unresolved(self.escape(label, parent_tags), reason)

    def check_attachment(self, name: str) -> None:
        if name not in self.index.attachments.get(self.page_id, ()):
            self.report.warn(f"attachment {name!r} is not in the export")

    def _is_this_page(self, owner: Tag) -> bool:
        title = owner.get("ri:content-title", "")
        own = self.index.titles.get(self.page_id, "")
        return owner.name == "ri:page" and title_key(title) == title_key(own)

    def ac_link(self, el, parent_tags) -> str:
        body = el.find(["ac:link-body", "ac:plain-text-link-body"], recursive=False)
        label = " ".join(body.get_text().split()) if body is not None else ""
        target = next((c for c in el.find_all(recursive=False) if c.name.startswith("ri:")), None)
        name = target.name if target is not None else ""
        if name == "ri:page":
            title = target.get("ri:content-title", "")
            return self.page_link(title, label, parent_tags, target.get("ri:space-key"))
        if name == "ri:attachment":
            owner = target.find(["ri:page", "ri:blog-post"])
            return self.file_link(target.get("ri:filename", ""), label, owner, parent_tags)
        if name == "ri:user":
            return self.escape("@" + self.user_name(target), parent_tags)
        if name == "ri:url":
            href = target.get("ri:value", "")
            self.report.links.total += 1
            self.report.links.external += 1
            return f"[{self.escape(label or href, parent_tags)}]({_url(href)})"
        if name == "ri:content-entity" and target.get("ri:content-id") in self.index.titles:
            return self.link_to_id(target["ri:content-id"], label, parent_tags)
        if name in ("ri:blog-post", "ri:space", "ri:content-entity", "ri:shortcut"):
            what = name.removeprefix("ri:").replace("-", " ")
            title = target.get("ri:content-title") or target.get("ri:space-key") or ""
            reason = f"link to {what} {title!r} not imported".replace(" ''", "")
            return self.unresolved(self.escape(label or title, parent_tags), reason)
        # A link to an anchor on this page: anchors are not kept, the words are.
        return self.escape(label or el.get("ac:anchor", ""), parent_tags)

    def user_name(self, user: Tag) -> str:
        key = user.get("ri:userkey", "")
        return self.index.users.get(key) or user.get("ri:username") or key or "user"

    def link(self, el, href: str, label: str, in_table: bool) -> str | None:
        if href.startswith("#"):
            return None
        page_id = self._confluence_page(href)
        if page_id is not None:
            raw_label = " ".join(el.get_text().split())
            table_tags = {"td"} if in_table else set()  # all that link_to_id asks of them
            return self.link_to_id(page_id, raw_label, table_tags)
        if is_external(href):
            self.report.links.total += 1
            self.report.links.external += 1
            return None
        return self.unresolved(label, f"link to {href!r} not found in the export")

    def _confluence_page(self, href: str) -> str | None:
        """The imported page a Confluence URL (/display/KEY/Title, ?pageId=) points to."""
        url = urlsplit(href)
        page_id = None
        if _PAGE_ID_URL.search(url.path):
            page_id = (parse_qs(url.query).get("pageId") or [""])[0]
        elif match := _SPACES_URL.search(url.path):
            page_id = match[1]
        elif match := _DISPLAY_URL.search(url.path):
            title = unquote_plus(match[2])
            page_id = self.index.find(title, match[1], home_space=self.space)
        return page_id if page_id in self.index.titles else None

    # Images, emoticons, tasks ----------------------------------------------------------

    def ac_image(self, el, parent_tags) -> str:
        alt = el.get("ac:alt") or el.get("ac:title") or ""
        alt = " ".join(alt.replace("[", " ").replace("]", " ").split())
        target = el.find(["ri:attachment", "ri:url"])
        if target is None:
            return alt
        if target.name == "ri:url":
            return f"![{alt}]({_url(target.get('ri:value', ''))})"
        name = target.get("ri:filename", "")
        owner = target.find(["ri:page", "ri:blog-post"])
        if owner is not None and not self._is_this_page(owner):
            return self.owner_link(owner, alt or name, parent_tags)
        self.check_attachment(name)
        return f"![{alt}]({file_target(name)})"

    def ac_emoticon(self, el, parent_tags) -> str:
        fallback = el.get("ac:emoji-fallback", "")
        emoji_id = el.get("ac:emoji-id", "")
        if not fallback and _HEX.match(emoji_id):
            fallback = "".join(chr(int(part, 16)) for part in emoji_id.split("-"))
        return fallback or EMOTICONS.get(el.get("ac:name", ""), "")

    def task_state(self, el) -> bool | None:
        state = el.get("data-task-status")
        return None if state is None else state.strip().lower() == "complete"

    def convert_time(self, el, text, parent_tags):
        return el.get("datetime") or text

    def convert_hN(self, n, el, text, parent_tags):
        # Confluence pages are full of <h1>&nbsp;</h1> spacers; "#" alone is an empty heading.
        if not text.strip():
            return ""
        return super().convert_hN(n, el, text, parent_tags)

    def convert_ac_layout_cell(self, el, text, parent_tags):
        return f"\n\n{text.strip()}\n\n"


def _url(href: str) -> str:
    return href.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _task_lists_as_html(soup: BeautifulSoup) -> None:
    """ac:task-list becomes a <ul> the shared list code can indent and nest."""
    for task_list in soup.find_all("ac:task-list"):
        task_list.name = "ul"
        for task in task_list.find_all("ac:task", recursive=False):
            task.name = "li"
            status = task.find("ac:task-status", recursive=False)
            task["data-task-status"] = status.get_text() if status is not None else ""
            for meta in task.find_all(["ac:task-status", "ac:task-id"], recursive=False):
                meta.decompose()
            for body in task.find_all("ac:task-body", recursive=False):
                body.unwrap()


def storage_to_markdown(body: str, *, index: PageIndex, page_id: str, report: Report) -> str:
    """Markdown for one storage-format body, with its links and warnings put in `report`."""
    soup = BeautifulSoup(body, "html.parser")
    if "ac:task-list" in body:
        _task_lists_as_html(soup)
    converter = StorageConverter(index=index, page_id=page_id, report=report)
    markdown = converter.convert_soup(soup)
    if converter.flattened:
        report.warn(FLATTENED)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
