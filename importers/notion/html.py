"""Read a Notion "HTML" export into a SourceTree.

The export is laid out like the Markdown one (see common.py): pages are
``Title <32 hex>.html``, a page's subpages and files live in the folder ``Title <32 hex>/``,
and a database page holds a ``collection-content`` table linking to its row pages in that
folder. An ``index.html`` at the top, when there is one, lists the pages as nested lists:
it says the hierarchy, and the folders fill in the pages it does not list.

Pages are read twice: first only for their titles, so that every link can be written as
``[[Title]]`` when the bodies are converted in the second pass.
"""

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from importers.htmlmd import FLATTENED, file_target, is_external, wiki_link
from importers.notion.common import ExportEntry, flatten, split_name
from importers.notion.html_fields import property_fields
from importers.notion.html_names import file_name, norm_path, notion_id, unique_name
from importers.notion.html_page import NotionConverter, parse_page, to_markdown
from importers.tree import SourceAttachment, SourcePage, SourceRevision, SourceTree, Warning
from importers.tree import decode_text as decode
from importers.zipsafe import SafeArchive

_TITLE_RE = re.compile(r"<h1[^>]*\bclass=\"page-title\"[^>]*>.*?</h1>", re.S)
_ARTICLE_ID_RE = re.compile(r"<article[^>]*\bid=\"([0-9a-fA-F-]{32,36})\"")
_MARKUP_RE = re.compile(r"<(html|body|article|div|p|h1)\b", re.I)
_NOTION_HOSTS = ("notion.so", "notion.site")
_LAST = float("inf")


@dataclass
class _Node:
    source_id: str
    path: str
    entry: ExportEntry
    title: str
    parent: "_Node | None" = None
    manifest_order: float = _LAST
    attachments: dict[str, SourceAttachment] = field(default_factory=dict)
    linked: dict[str, int] = field(default_factory=dict)  # page id -> first link position
    page: SourcePage | None = None


def read_notion_html(archive: SafeArchive) -> SourceTree:
    """The SourceTree of a Notion HTML export."""
    tree = SourceTree(source="notion")
    duplicates: list[ExportEntry] = []
    files: dict[str, ExportEntry] = {}
    for path, entry in flatten(archive, duplicates).items():
        files.setdefault(norm_path(path), ExportEntry(norm_path(path), entry.read, entry.size))
    manifests = [files.pop("index.html")] if "index.html" in files else []
    manifests += [entry for entry in duplicates if norm_path(entry.path) == "index.html"]
    export = _Export(files, tree)
    export.find_pages()
    for manifest in manifests:
        export.read_manifest(manifest)
    export.place_pages()
    export.convert_pages()
    export.attach_unreferenced_files()
    export.build_tree()
    return tree


class _Export:
    def __init__(self, files: dict[str, ExportEntry], tree: SourceTree):
        self.files = files
        self.tree = tree
        self.nodes: dict[str, _Node] = {}  # by source id
        self.by_path: dict[str, _Node] = {}
        self.referenced: set[str] = set()

    # ----------------------------------------------------------------------- pages

    def find_pages(self) -> None:
        for path, entry in self.files.items():
            if not path.lower().endswith(".html"):
                continue
            text = decode(entry.read(), path, self.tree.warnings)
            if "\x00" in text or not _MARKUP_RE.search(text):
                self.tree.warnings.append(Warning(path, "not an HTML page; skipped"))
                continue
            name_title, source_id = split_name(posixpath.basename(path)[: -len(".html")])
            article = _ARTICLE_ID_RE.search(text)
            source_id = source_id or (article and article[1].replace("-", "").lower())
            source_id = source_id or f"path:{path}"
            if source_id in self.nodes:
                other = self.nodes[source_id].path
                self.tree.warnings.append(Warning(path, f"same page id as {other}; skipped"))
                continue
            heading = _TITLE_RE.search(text)
            title = BeautifulSoup(heading[0], "html.parser").get_text(" ") if heading else ""
            title = " ".join(title.split()) or " ".join(name_title.split()) or source_id
            node = _Node(source_id, path, entry, title)
            self.nodes[source_id] = self.by_path[path] = node

    def read_manifest(self, manifest: ExportEntry) -> None:
        """Parents and order from index.html's nested lists of links."""
        text = decode(manifest.read(), manifest.path, self.tree.warnings)
        soup = BeautifulSoup(text, "html.parser")
        order = 0
        for link in soup.find_all("a", href=True):
            node = self._page_at("", link["href"])
            if node is None or node.manifest_order != _LAST:
                continue
            order += 1
            node.manifest_order = order
            parent_link = _manifest_parent(link, self._is_page_link)
            node.parent = self._page_at("", parent_link["href"]) if parent_link else None

    def _is_page_link(self, link: Tag) -> bool:
        return self._page_at("", link.get("href", "")) is not None

    def place_pages(self) -> None:
        """Pages the manifest does not place go under the page of their nearest folder."""
        for node in self.nodes.values():
            if node.manifest_order == _LAST:
                node.parent = self._folder_page(node.path, node)
        for node in self.nodes.values():
            seen, ancestor = {node.source_id}, node.parent
            while ancestor is not None:
                if ancestor.source_id in seen:
                    self.tree.warnings.append(
                        Warning(node.path, "pages nest in a cycle; placed at the top")
                    )
                    node.parent = None
                    break
                seen.add(ancestor.source_id)
                ancestor = ancestor.parent

    def _folder_page(self, path: str, node: _Node | None = None) -> _Node | None:
        folder = posixpath.dirname(path)
        while folder:
            source_id = split_name(posixpath.basename(folder))[1]
            found = self.nodes.get(source_id or "")
            if found is not None and found is not node:
                return found
            folder = posixpath.dirname(folder)
        return None

    def convert_pages(self) -> None:
        for node in self.nodes.values():
            try:
                self._convert(node)
            except Exception as error:  # one broken page must not stop the import
                self.tree.warnings.append(
                    Warning(node.path, f"could not be read ({type(error).__name__}); skipped")
                )
                node.page = None
                self.referenced -= node.attachments.keys()  # its folder's page takes them
                node.attachments.clear()

    def _convert(self, node: _Node) -> None:
        parsed = parse_page(decode(node.entry.read(), node.path, []))
        converter = NotionConverter(
            on_link=lambda el, href, label, in_table: self._link(node, el, href, label, in_table),
            on_image=lambda src, alt: self._image(node, src, alt),
        )
        body = to_markdown(parsed.body, converter)
        if converter.flattened:
            self.tree.warnings.append(Warning(node.path, FLATTENED))
        fields, created_at = property_fields(
            parsed.properties,
            relation=lambda a: self._relation(node, a),
            file=lambda a: self._file_value(node, a),
        )
        node.page = SourcePage(
            source_id=node.source_id,
            revisions=[SourceRevision(title=node.title, body=body, created_at=created_at)],
            path=node.path,
            fields=fields,
        )

    def build_tree(self) -> None:
        children: dict[str | None, list[_Node]] = {}
        for node in self.nodes.values():
            if node.page is None:
                continue
            parent = node.parent
            while parent is not None and parent.page is None:
                parent = parent.parent  # its page could not be read: move up
            children.setdefault(parent and parent.source_id, []).append(node)
        for parent_id, nodes in children.items():
            parent = self.nodes[parent_id] if parent_id else None
            nodes.sort(
                key=lambda n: (
                    n.manifest_order,
                    parent.linked.get(n.source_id, _LAST) if parent else _LAST,
                    n.path,
                )
            )
            pages = [n.page for n in nodes]
            if parent is None:
                self.tree.roots.extend(pages)
            else:
                parent.page.children.extend(pages)
        for node in self.nodes.values():
            if node.page is not None:
                node.page.attachments = list(node.attachments.values())

    # ----------------------------------------------------------------------- links

    def _resolve(self, node: _Node, href: str) -> tuple[str, object]:
        """("anchor" | "page" | "file" | "external" | "missing", the page, path or href)."""
        href = href.strip()
        if not href or href.startswith("#"):
            return "anchor", None
        if is_external(href):
            parts = urlsplit(href)
            if parts.hostname and parts.hostname.endswith(_NOTION_HOSTS):
                target = self.nodes.get(notion_id(parts.path) or "")
                if target is not None:
                    return "page", target
            return "external", href
        target = self._page_at(posixpath.dirname(node.path), href)
        if target is not None:
            return "page", target
        raw = href.split("#", 1)[0].split("?", 1)[0]
        folder = posixpath.dirname(node.path)
        for candidate in (unquote(raw), raw):
            path = norm_path(posixpath.normpath(posixpath.join(folder, candidate)))
            if path in self.files and not path.lower().endswith(".html"):
                return "file", path
        return "missing", unquote(raw)

    def _page_at(self, folder: str, href: str) -> _Node | None:
        if not href or is_external(href):
            return None
        decoded = unquote(href.split("#", 1)[0].split("?", 1)[0])
        path = norm_path(posixpath.normpath(posixpath.join(folder, decoded)))
        found = self.by_path.get(path)
        if found is None and decoded.lower().endswith(".html"):
            found = self.nodes.get(notion_id(posixpath.basename(decoded)) or "")
        return found

    def _link(self, node: _Node, el: Tag, href: str, markdown: str, in_table: bool) -> str | None:
        """Markdown for a link; `markdown` is its label already converted."""
        kind, target = self._resolve(node, href)
        label = " ".join(el.get_text(" ").split())
        stats = self.tree.links
        if kind == "anchor":
            return markdown  # Notion's block anchors mean nothing once converted
        if kind == "file":
            name = self._attach(node, target, label)
            return f"[{markdown or name}]({file_target(name)})"
        stats.total += 1
        if kind == "external":
            stats.external += 1
            return None if markdown else f"<{href.strip()}>"
        if kind == "page":
            stats.resolved += 1
            node.linked.setdefault(target.source_id, len(node.linked))
            if is_external(label):
                label = ""  # Notion labels some links with their notion.so address
            return wiki_link(target.title, label, in_table=in_table) or label or target.title
        stats.unresolved += 1
        self.tree.warnings.append(Warning(node.path, f"link to {target} not found in the export"))
        return label

    def _image(self, node: _Node, src: str, alt: str) -> str | None:
        if src.startswith("data:"):
            return alt
        kind, target = self._resolve(node, src)
        if kind == "file":
            return f"![{alt}]({file_target(self._attach(node, target, ''))})"
        if kind != "missing":
            return None
        self.tree.warnings.append(Warning(node.path, f"image {target} not found in the export"))
        return alt

    def _relation(self, node: _Node, link: Tag) -> str:
        kind, target = self._resolve(node, link["href"])
        self.tree.links.total += 1
        if kind == "page":
            self.tree.links.resolved += 1
            return target.title
        if kind == "external":
            self.tree.links.external += 1
        else:
            self.tree.links.unresolved += 1
            self.tree.warnings.append(
                Warning(node.path, f"link to {target or link['href']} not found in the export")
            )
        return " ".join(link.get_text(" ").split())

    def _file_value(self, node: _Node, link: Tag) -> str:
        label = " ".join(link.get_text(" ").split())
        kind, target = self._resolve(node, link["href"])
        return self._attach(node, target, label) if kind == "file" else label

    # ----------------------------------------------------------------------- files

    def _attach(self, node: _Node, path: str, label: str) -> str:
        """The page's attachment for the file at path, added on first use."""
        self.referenced.add(path)
        if path in node.attachments:
            return node.attachments[path].name
        name = unique_name(file_name(path, label), {a.name for a in node.attachments.values()})
        entry = self.files[path]
        size = entry.size if entry.size is not None else len(entry.read())
        node.attachments[path] = SourceAttachment(name=name, size=size, read=entry.read)
        return name

    def attach_unreferenced_files(self) -> None:
        """Files no page links to still belong to the page whose folder holds them."""
        for path in self.files:
            if path in self.referenced or path.lower().endswith(".html"):
                continue
            owner = self._folder_page(path)
            while owner is not None and owner.page is None:
                owner = owner.parent
            if owner is None:
                self.tree.warnings.append(Warning(path, "file outside any page folder skipped"))
                continue
            self._attach(owner, path, "")


def _manifest_parent(link: Tag, is_page_link) -> Tag | None:
    """The link naming the list that encloses the list or item this link names."""
    for ancestor in link.parents:
        if ancestor.name not in ("ul", "ol", "li"):
            continue
        own = _own_link(ancestor, is_page_link)
        if own is not None and own is not link:
            return own
    return None


def _own_link(container: Tag, is_page_link) -> Tag | None:
    for child in container.children:
        if not isinstance(child, Tag) or child.name in ("ul", "ol", "li"):
            continue
        candidates = [child] if child.name == "a" else child.find_all("a", href=True)
        for candidate in candidates:
            if is_page_link(candidate):
                return candidate
    return None
