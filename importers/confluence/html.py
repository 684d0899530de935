"""Read a Confluence HTML space export (Server/Data Center or Cloud) into a SourceTree.

The zip holds a space folder (``DOC/``) with ``index.html``, whose nested lists give the page
tree, one file per page (``Title_123456.html``, ``123456.html`` or, from older versions,
``Title.html``), ``attachments/<page id>/<file>`` and Confluence's own ``images/`` and
``styles/``. A page missing from index.html is placed by its breadcrumbs.

Pages are read in two passes: first every page's title, id, metadata and attachments, so that
the second pass, which converts the bodies, can point each link at the page it names.
"""

import posixpath
from collections import defaultdict
from functools import partial

from django.core.exceptions import ValidationError

from importers.confluence.html_body import ConfluenceConverter
from importers.confluence.html_links import ExportFile, ExportIndex, PageLinks, numbered
from importers.confluence.html_page import ParsedPage, SpaceIndex, parse_index, parse_page
from importers.htmlmd import FLATTENED, to_markdown
from importers.tree import SourcePage, SourceRevision, SourceTree, Warning
from importers.zipsafe import READ_ERRORS, SafeArchive, UnsafeArchive

IGNORED_FOLDERS = {"attachments", "images", "styles"}


def read_confluence_html(archive: SafeArchive) -> SourceTree:
    """The SourceTree of the Confluence HTML export in `archive`.

    Raises ValidationError when the archive holds no Confluence HTML pages at all.
    """
    tree = SourceTree(source="confluence")
    files = _files(archive)
    folders = _space_folders(files)
    if not folders:
        raise ValidationError(
            "This is not a Confluence HTML export: it has no index.html and no page files."
        )
    for folder in folders:
        _read_space(folder, files, tree)
    return tree


def _files(archive: SafeArchive) -> dict[str, ExportFile]:
    """Every file, with an attached zip as one file even though SafeArchive looked inside."""
    files: dict[str, ExportFile] = {}
    for entry in archive.entries():
        if "!/" not in entry.path:
            files[entry.path] = ExportFile(entry.path, entry.size, entry.read)
            continue
        outer = entry.path.split("!/", 1)[0]
        if outer not in files:
            read = partial(_read_member, archive, outer)
            files[outer] = ExportFile(outer, len(read()), read)
    return files


def _read_member(archive: SafeArchive, path: str) -> bytes:
    with archive.open(path) as stream:
        return stream.read()


def _space_folders(files: dict[str, ExportFile]) -> list[str]:
    """Folders holding an index.html, or else any HTML pages; "" or ending in "/"."""
    candidates = [p for p in files if not IGNORED_FOLDERS & set(p.split("/")[:-1])]
    folders = sorted({_folder(p) for p in candidates if posixpath.basename(p) == "index.html"})
    if folders:
        return folders
    return sorted({_folder(p) for p in candidates if p.endswith(".html")})


def _folder(path: str) -> str:
    folder = posixpath.dirname(path)
    return f"{folder}/" if folder else ""


def _read_space(folder: str, files: dict[str, ExportFile], tree: SourceTree) -> None:
    index_path = f"{folder}index.html"
    space = SpaceIndex()
    if index_path in files:
        data = _read(files[index_path], tree)
        if data is not None:
            space = parse_index(index_path, data, tree.warnings)
    else:
        tree.warnings.append(
            Warning(index_path, "no index.html; the page tree comes from the breadcrumbs")
        )
    key = space.key or posixpath.basename(folder.rstrip("/"))
    index = ExportIndex(tree=tree, folder=folder, space_keys={key} if key else set(), files=files)
    index_titles = {path: text for path, _parent, text in space.entries}

    parsed: list[ParsedPage] = []
    for path in sorted(files):
        if _folder(path) != folder or not path.endswith(".html") or path == index_path:
            continue
        data = _read(files[path], tree)
        if data is None:
            continue
        page = parse_page(
            path,
            data,
            space_name=space.name,
            index_title=index_titles.get(path, ""),
            warnings=tree.warnings,
        )
        if page is not None:
            parsed.append(page)

    _infer_page_ids(parsed)
    pages = {p.path: _source_page(p, index) for p in parsed}
    page_files = _attach_files(parsed, index, pages)
    _build_tree(space, parsed, pages, files, tree)
    for page in parsed:
        source = pages[page.path]
        body = ""
        if page.body is not None:
            links = PageLinks(index, source, page_files[page.path])
            converter = ConfluenceConverter(links)
            markdown = to_markdown(page.body.decode_contents(), converter)
            if converter.flattened:
                tree.warnings.append(Warning(page.path, FLATTENED))
            body = markdown.replace("\ufeff", "") if markdown.strip() else ""
        source.revisions[0].body = body


def _read(file: ExportFile, tree: SourceTree) -> bytes | None:
    try:
        return file.read()
    except (UnsafeArchive, *READ_ERRORS) as error:
        tree.warnings.append(Warning(file.path, f"could not be read ({error}); skipped"))
        return None


def _infer_page_ids(parsed: list[ParsedPage]) -> None:
    """Give a page without an id the one attachment folder its body alone uses.

    Older exports name pages by title only; a page that shows its own images but has no
    Attachments section is recognised by the folder those images are in.
    """
    claimed = {p.page_id for p in parsed if p.page_id}
    users: dict[str, list[ParsedPage]] = defaultdict(list)
    for page in parsed:
        for folder in page.referenced:
            users[folder].append(page)
    for page in parsed:
        if page.page_id is None and len(page.referenced) == 1:
            (folder,) = page.referenced
            if folder.isdigit() and folder not in claimed and users[folder] == [page]:
                page.page_id = folder
                claimed.add(folder)


def _source_page(page: ParsedPage, index: ExportIndex) -> SourcePage:
    page_id = page.page_id
    if page_id and page_id in index.by_id:
        index.tree.warnings.append(
            Warning(page.path, f"page id {page_id} also used by {index.by_id[page_id].path}")
        )
        page_id = None
    message = ""
    if page.creator and page.creator != page.author:
        message = f"Imported from Confluence; page created by {page.creator}"
    revision = SourceRevision(
        title=page.title,
        body="",
        author=page.author,
        created_at=page.created_at,
        message=message,
    )
    source = SourcePage(source_id=page_id or page.path, revisions=[revision], path=page.path)
    index.add_page(source, page_id)
    return source


def _attach_files(
    parsed: list[ParsedPage], index: ExportIndex, pages: dict[str, SourcePage]
) -> dict[str, dict[str, str]]:
    """Give each page the files of its attachment folder; name -> archive path per page."""
    for page in parsed:
        for path, name in [*page.listed.items(), *page.aliases.items()]:
            if name:
                index.names.setdefault(path, name)
    for page in parsed:
        for path in page.listed:
            if path not in index.files:
                index.warn(page.path, index.missing_attachment(path))

    page_files: dict[str, dict[str, str]] = {path: {} for path in pages}
    orphans: dict[str, int] = defaultdict(int)
    for path in sorted(index.files):
        if not index.is_attachment(path):
            continue
        name = index.attachment_name(path)
        index.add_attachment_path(path, name)
        owner_id = path.removeprefix(index.folder).split("/")[1]
        owner = index.by_id.get(owner_id)
        if owner is None:
            orphans[owner_id] += 1
            continue
        taken = page_files[owner.path]
        name = next(n for n in numbered(name) if n not in taken)
        taken[name] = path
        owner.attachments.append(index.attachment(path, name))
    for owner_id, count in orphans.items():
        index.tree.warnings.append(
            Warning(
                f"{index.folder}attachments/{owner_id}/",
                f"{count} attachment(s) of page {owner_id}, which is not in the export, skipped",
            )
        )
    return page_files


def _build_tree(
    space: SpaceIndex,
    parsed: list[ParsedPage],
    pages: dict[str, SourcePage],
    files: dict[str, ExportFile],
    tree: SourceTree,
) -> None:
    parents: dict[str, str | None] = {}
    for path, parent, _text in space.entries:
        if path not in files:
            tree.warnings.append(Warning(path, "listed in index.html but not in the export"))
        elif path in pages and path not in parents:
            parents[path] = parent if parent in pages else None
    listed = bool(space.entries)
    for page in parsed:
        if page.path in parents:
            continue
        crumbs = [p for p in page.breadcrumbs if p in pages and p != page.path]
        parents[page.path] = crumbs[-1] if crumbs else None
        if listed and not crumbs:
            tree.warnings.append(
                Warning(page.path, "not in index.html and no breadcrumbs; put at the top level")
            )
    for path in list(parents):
        _break_cycle(path, parents)
    for path, parent in parents.items():
        if parent is None:
            tree.roots.append(pages[path])
        else:
            pages[parent].children.append(pages[path])


def _break_cycle(path: str, parents: dict[str, str | None]) -> None:
    seen = {path}
    current = parents[path]
    while current is not None:
        if current in seen:
            parents[path] = None  # breadcrumbs that point at each other
            return
        seen.add(current)
        current = parents.get(current)
