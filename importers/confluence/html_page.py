"""One file of a Confluence HTML export: the space's index.html, or a page.

Both templates are read: the older one (``span.pagetitle``, "This page last changed on ... by
..." in ``div.pagesubheading``, content in ``td.pagebody``) and the newer one, Server/Data
Center and Cloud (``#title-text``, ``div.page-metadata``, ``#main-content``,
``ol#breadcrumbs``).
"""

import datetime
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import dateparser
from bs4 import BeautifulSoup, Tag

from importers.confluence.html_body import page_body
from importers.tree import Warning
from importers.tree import decode_text as decode

FILE_ID_RE = re.compile(r"^(?:.*_)?(\d+)\.html$")
PAGE_ID_RE = re.compile(r"[?&]pageId=(\d+)")
YEAR_RE = re.compile(r"(?<!\d)(?:1[89]|2\d)\d\d(?!\d)")
MARKUP_RE = re.compile(rb"<\s*(?:html|head|body|title|div|p|table)\b", re.IGNORECASE)
# The languages Confluence's interface is offered in that dateparser reads.
DATE_LANGUAGES = [
    *("en", "de", "fr", "es", "it", "nl", "pt", "pl", "ru", "ja", "zh", "ko"),
    *("cs", "da", "fi", "nb", "sv", "hu", "ro", "sk", "et"),
]
DATE_SETTINGS = {
    "PARSERS": ["absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}
# English wording of exports whose metadata has no author/editor spans.
CREATOR_RE = re.compile(r"\bCreated by (.+?)(?:, last (?:modified|updated)\b| on |$)")
EDITOR_RE = re.compile(r"\blast (?:modified|updated|changed) by (.+?)(?: on |\.?$)")
CHANGED_RE = re.compile(r"\bchanged on .+? by (.+?)\.?$")


@dataclass
class SpaceIndex:
    name: str = ""
    key: str = ""
    # (page path, parent page path or None, link text), in the order index.html lists them
    entries: list[tuple[str, str | None, str]] = field(default_factory=list)


@dataclass
class ParsedPage:
    path: str
    title: str
    page_id: str | None
    author: str = ""
    creator: str = ""
    created_at: datetime.datetime | None = None
    breadcrumbs: list[str] = field(default_factory=list)  # page paths, space first
    listed: dict[str, str] = field(default_factory=dict)  # attachment path -> its name
    aliases: dict[str, str] = field(default_factory=dict)  # attachment path -> its name
    referenced: set[str] = field(default_factory=set)  # attachment folders the body uses
    body: Tag | None = None


def local_path(base: str, href: str) -> str | None:
    """The archive path a relative href points at, or None for URLs and anchors."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(base, unquote(parts.path)))


def parse_index(path: str, data: bytes, warnings: list[Warning]) -> SpaceIndex:
    soup = BeautifulSoup(decode(data, path, warnings), "lxml")
    index = SpaceIndex()
    for row in soup.find_all("tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        if len(cells) >= 2:
            label = cells[0].get_text(" ", strip=True).rstrip(":").strip().casefold()
            value = " ".join(cells[1].get_text(" ").split())
            if label == "name" and not index.name:
                index.name = value
            elif label == "key" and not index.key:
                index.key = value
    base = posixpath.dirname(path)
    lists = [ul for ul in soup.find_all("ul") if ul.find_parent("ul") is None]
    if lists:
        tree = max(lists, key=lambda ul: len(ul.select("a[href]")))
        _walk_list(tree, None, base, index.entries)
    return index


def _walk_list(ul: Tag, parent: str | None, base: str, entries: list) -> None:
    for item in ul.find_all("li", recursive=False):
        link = next((a for a in item.find_all("a", href=True) if a.find_parent("li") is item), None)
        path = local_path(base, link["href"]) if link is not None else None
        if path is not None and path.endswith(".html"):
            entries.append((path, parent, link.get_text(" ", strip=True)))
        for child in item.find_all("ul", recursive=False):
            _walk_list(child, path or parent, base, entries)


def parse_page(
    path: str, data: bytes, *, space_name: str, index_title: str, warnings: list[Warning]
) -> ParsedPage | None:
    """The page, or None (with a warning) when the file is not an HTML page."""
    if b"\x00" in data or not MARKUP_RE.search(data):
        warnings.append(Warning(path, "not an HTML page; skipped"))
        return None
    soup = BeautifulSoup(decode(data, path, warnings), "lxml")
    base = posixpath.dirname(path)
    heading = soup.find(id="title-text") or soup.find(class_="pagetitle") or soup.title
    raw_title = heading.get_text(" ", strip=True) if heading is not None else ""
    title = _title(raw_title, space_name, index_title) or _title_from_name(path)
    page = ParsedPage(path=path, title=title, page_id=_page_id(path, soup))
    page.author, page.creator, date = _metadata(soup, path, warnings)
    page.created_at = date
    crumbs = soup.find(id="breadcrumbs")
    for link in crumbs.find_all("a", href=True) if crumbs is not None else ():
        target = local_path(base, link["href"])
        if target is not None and target != path:
            page.breadcrumbs.append(target)
    for listing in soup.find_all("div", class_="greybox"):
        for link in listing.find_all("a", href=True):
            target = local_path(base, link["href"])
            if target is not None:
                page.listed[target] = link.get_text(" ", strip=True)
    body = page_body(soup)
    if body is not None:
        for el in body.find_all(attrs={"data-linked-resource-default-alias": True}):
            target = local_path(base, el.get("href") or el.get("src") or "")
            if target is not None:
                page.aliases[target] = str(el["data-linked-resource-default-alias"])
        for el in body.find_all(["img", "a"]):
            target = local_path(base, el.get("src") or el.get("href") or "")
            parts = (target or "").split("/")
            if "attachments" in parts[:-2] and "thumbnails" not in parts:
                page.referenced.add(parts[parts.index("attachments") + 1])
    page.body = body
    if page.page_id is None and page.listed:
        # Older exports have no id in the page, but its attachments sit in a folder named so.
        folders = {p.split("/")[-2] for p in page.listed if len(p.split("/")) >= 2}
        if len(folders) == 1 and folders.pop().isdigit():
            page.page_id = next(iter(page.listed)).split("/")[-2]
    return page


def _title(raw: str, space_name: str, index_title: str) -> str:
    raw = " ".join(raw.split())
    if space_name and raw.startswith(f"{space_name} : "):
        return raw[len(space_name) + 3 :]
    if index_title and (raw == index_title or raw.endswith(f" : {index_title}")):
        return index_title
    return raw.split(" : ", 1)[-1]


def _title_from_name(path: str) -> str:
    stem = posixpath.basename(path).removesuffix(".html")
    return re.sub(r"_\d+$", "", stem).replace("+", " ") or stem


def _page_id(path: str, soup: BeautifulSoup) -> str | None:
    match = FILE_ID_RE.match(posixpath.basename(path))
    if match:
        return match[1]
    meta = soup.find("meta", attrs={"name": "ajs-page-id"})
    if meta is not None and str(meta.get("content", "")).isdigit():
        return str(meta["content"])
    field_ = soup.find("input", attrs={"title": "pageId"}) or soup.find(id="pageId")
    if field_ is not None and str(field_.get("value", "")).isdigit():
        return str(field_["value"])
    # "last modified" in the page metadata links to this page's own history.
    meta = soup.find(class_="page-metadata")
    for link in meta.find_all("a", href=True) if meta is not None else ():
        match = PAGE_ID_RE.search(link["href"])
        if match:
            return match[1]
    return None


def _metadata(
    soup: BeautifulSoup, path: str, warnings: list[Warning]
) -> tuple[str, str, datetime.datetime | None]:
    """(last editor, creator, date) from the metadata line; warns about what is missing."""
    meta = soup.find(class_="page-metadata") or soup.find(class_="pagesubheading")
    text = " ".join(meta.get_text(" ").split()) if meta is not None else ""
    creator = _span_text(meta, "author")
    editor = _span_text(meta, "editor")
    if meta is not None and not creator and not editor:
        font = meta.find("font")  # older: "This page last changed on <date> by <font>name"
        if font is not None:
            editor = font.get_text(" ", strip=True)
        else:
            creator = _first_group(CREATOR_RE, text)
            editor = _first_group(EDITOR_RE, text) or _first_group(CHANGED_RE, text)
    date = parse_date(text)
    missing = []
    if not (editor or creator):
        missing.append("author")
    if date is None:
        missing.append("date")
    if missing:
        found = f" in {text!r}" if text else ""
        instead = "; the import time is used" if date is None else ""
        warnings.append(
            Warning(path, f"could not read the {' and '.join(missing)} of the page{found}{instead}")
        )
    return editor or creator, creator, date


def _span_text(meta: Tag | None, name: str) -> str:
    span = meta.find(class_=name) if meta is not None else None
    return " ".join(span.get_text(" ").split()) if span is not None else ""


def _first_group(pattern: re.Pattern, text: str) -> str:
    match = pattern.search(text)
    return match[1].strip() if match else ""


def parse_date(text: str) -> datetime.datetime | None:
    """The date that ends with the last year in `text`, in any of Confluence's languages."""
    years = list(YEAR_RE.finditer(text))
    if not years:
        return None
    words = text[: years[-1].end()].split()
    # The shortest run of words ending at the year that reads as a whole date: the words
    # before it ("on", "am", "le", names) are not part of the date.
    for size in range(1, min(len(words), 6) + 1):
        candidate = " ".join(words[-size:])
        date = dateparser.parse(candidate, languages=DATE_LANGUAGES, settings=DATE_SETTINGS)
        if date is not None:
            return date.replace(tzinfo=datetime.UTC)
    return None
