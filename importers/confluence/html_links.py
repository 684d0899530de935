"""Where the links and images of a Confluence HTML export point.

A link may name another page of the export by its file (``Other-Page_789.html``,
``789.html``, ``Other Page.html``), by its id (``/pages/viewpage.action?pageId=789``, Cloud's
``/wiki/spaces/DOC/pages/789/...``) or by its title (``/display/DOC/Other+Page``); an
attachment by its file (``attachments/123/456.png``, a thumbnail of it) or its download URL
(``/download/attachments/123/name.png``). Pages become ``[[Title]]``, attachments the file
name on the page, and every link is counted in the tree's LinkStats.
"""

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, unquote_plus, urlsplit

from importers.htmlmd import file_target, is_external, wiki_link
from importers.tree import SourceAttachment, SourcePage, SourceTree, Warning

PAGE_ID_RE = re.compile(r"[?&]pageId=(\d+)")
CLOUD_PAGE_RE = re.compile(r"/spaces/([^/?#]+)/pages/(\d+)")
DISPLAY_RE = re.compile(r"(?:^|/)display/([^/?#]+)/([^/?#]+)")
DOWNLOAD_RE = re.compile(r"(?:^|/)download/(?:attachments|thumbnails)/(\d+)/([^/?#]+)")
# Confluence's own icons and static resources: decoration, neither content nor attachment.
DECORATION_RE = re.compile(r"^(?:images/|s/|download/resources/|rest/|plugins/)")


@dataclass
class ExportFile:
    path: str
    size: int
    read: Callable[[], bytes]


@dataclass
class ExportIndex:
    """What every page's links can point at, filled while the pages are read."""

    tree: SourceTree
    folder: str  # the space folder, "" or ending in "/"
    space_keys: set[str]
    files: dict[str, ExportFile]
    names: dict[str, str] = field(default_factory=dict)  # attachment path -> original name
    by_path: dict[str, SourcePage] = field(default_factory=dict)
    by_id: dict[str, SourcePage] = field(default_factory=dict)
    by_title: dict[str, SourcePage] = field(default_factory=dict)
    # (page id, attachment id) -> path, for thumbnails and download URLs
    by_attachment_id: dict[tuple[str, str], str] = field(default_factory=dict)
    by_download: dict[tuple[str, str], str] = field(default_factory=dict)
    warned: set[Warning] = field(default_factory=set)

    def warn(self, path: str, reason: str) -> None:
        """Add a warning once: a missing file is often both listed and shown."""
        warning = Warning(path, reason)
        if warning not in self.warned:
            self.warned.add(warning)
            self.tree.warnings.append(warning)

    def missing_attachment(self, path: str) -> str:
        where = path.removeprefix(self.folder)
        if path in self.names:
            where = f"{self.names[path]} ({where})"
        return f"attachment {where} not found in the export"

    def add_attachment_path(self, path: str, name: str) -> None:
        parts = path.split("/")
        self.names[path] = name
        self.by_attachment_id[(parts[-2], parts[-1].split(".", 1)[0])] = path
        self.by_download[(parts[-2], name)] = path

    def attachment(self, path: str, name: str) -> SourceAttachment:
        file = self.files[path]
        stem = posixpath.basename(path).split(".", 1)[0]
        return SourceAttachment(name, file.size, file.read, stem if stem.isdigit() else "")

    def attachment_name(self, path: str) -> str:
        return self.names.get(path) or posixpath.basename(path)

    def is_attachment(self, path: str) -> bool:
        rest = path.removeprefix(self.folder)
        return rest.startswith("attachments/") and not rest.startswith("attachments/thumbnails/")

    def add_page(self, page: SourcePage, page_id: str | None) -> None:
        self.by_path[page.path] = page
        if page_id:
            self.by_id.setdefault(page_id, page)
        self.by_title.setdefault(_title_key(page.title), page)


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


class PageLinks:
    """Resolves the links of one page, attaching files it shows from other pages too."""

    def __init__(self, index: ExportIndex, page: SourcePage, paths: dict[str, str]):
        self.index = index
        self.page = page
        self.base = posixpath.dirname(page.path)
        self.paths = paths  # the page's attachments: name -> archive path

    # PageLinks protocol ------------------------------------------------------------------

    def link(self, href: str, label: str, in_table: bool, text: str = "") -> str | None:
        if href.startswith("#"):
            return label  # an anchor in this page; the wiki makes its own heading ids
        attachment = self._attachment(href)
        if attachment is not None:
            name = self._attach(attachment)
            if name is None:
                return label
            if label.startswith("!["):
                return label  # an image that links to its own full-size file
            return f"[{label or name}]({file_target(name)})"
        stats = self.index.tree.links
        stats.total += 1
        target = self._page(href)
        if target is not None:
            stats.resolved += 1
            return wiki_link(target.title, text, in_table=in_table) or label
        if is_external(href):
            stats.external += 1
            return None
        stats.unresolved += 1
        self._warn(f"link to {unquote(href)} not found in the export")
        return label

    def image(self, src: str, alt: str) -> str | None:
        attachment = self._attachment(src)
        if attachment is not None:
            name = self._attach(attachment)
            return f"![{alt}]({file_target(name)})" if name else alt
        if is_external(src):
            return None
        if not DECORATION_RE.match(self._local(src).removeprefix(self.index.folder).lstrip("/")):
            self._warn(f"image {unquote(src)} not found in the export")
        return alt

    def external(self, url: str) -> None:
        self.index.tree.links.total += 1
        self.index.tree.links.external += 1

    # Resolution ----------------------------------------------------------------------

    def _local(self, href: str) -> str:
        path = unquote(urlsplit(href).path)
        return posixpath.normpath(posixpath.join(self.base, path)) if path else ""

    def _attachment(self, href: str) -> str | None:
        """The archive path of the attachment href points at; "" if it is missing."""
        index = self.index
        download = DOWNLOAD_RE.search(urlsplit(href).path)
        if download is not None:
            found = index.by_download.get((download[1], unquote(download[2])))
            if found is None and is_external(href):
                return None  # a file on the live site, linked as any other URL
            return found or self._missing(unquote(href))
        if is_external(href):
            return None
        path = self._local(href)
        rest = path.removeprefix(index.folder)
        if rest.startswith("attachments/thumbnails/"):
            parts = rest.split("/")
            if len(parts) >= 4:
                found = index.by_attachment_id.get((parts[2], parts[3].split(".", 1)[0]))
                return found or self._missing(path)
        if index.is_attachment(path):
            return path if path in index.files else self._missing(path)
        return None

    def _missing(self, path: str) -> str:
        self._warn(self.index.missing_attachment(path))
        return ""

    def _attach(self, path: str) -> str | None:
        """The name the file has on this page, attaching it here if another page owns it."""
        if not path:
            return None
        name = self.index.attachment_name(path)
        for candidate in numbered(name):
            owner = self.paths.get(candidate)
            if owner == path:
                return candidate
            if owner is None:
                self.page.attachments.append(self.index.attachment(path, candidate))
                self.paths[candidate] = path
                return candidate
        return None  # unreachable: _numbered never ends

    def _page(self, href: str) -> SourcePage | None:
        index = self.index
        parts = urlsplit(href)
        if not is_external(href) and parts.path.lower().endswith(".html"):
            found = index.by_path.get(self._local(href))
            if found is not None:
                return found
        page_id = PAGE_ID_RE.search(href)
        if page_id is not None:
            return index.by_id.get(page_id[1])
        cloud = CLOUD_PAGE_RE.search(parts.path)
        if cloud is not None:
            return index.by_id.get(cloud[2])
        display = DISPLAY_RE.search(parts.path)
        if display is not None and (not index.space_keys or display[1] in index.space_keys):
            return index.by_title.get(_title_key(unquote_plus(display[2])))
        return None

    def _warn(self, reason: str) -> None:
        self.index.warn(self.page.path, reason)


def numbered(name: str) -> Iterator[str]:
    """name, then "name (2).ext", "name (3).ext", ... for a file whose name is taken."""
    yield name
    stem, dot, ext = name.rpartition(".")
    if not stem:
        stem, dot, ext = name, "", ""
    number = 2
    while True:
        yield f"{stem} ({number}){dot}{ext}"
        number += 1
