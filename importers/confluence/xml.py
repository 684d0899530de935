"""Read a Confluence XML backup (site or space export) into a SourceTree.

The zip holds ``entities.xml`` (every object of the exported spaces) and the attachment files
under ``attachments/<page id>/<attachment id>/<version>``. Only current pages are imported:
drafts, deleted pages, blog posts and comments are left out. A page's historical versions
(Page objects whose originalVersion is the current page) become its earlier revisions, and
only the latest version of each current attachment is brought along.

entities.xml is streamed (xml_entities), bodies are kept compressed until the whole file has
been read, then converted to Markdown (storage) once every page title is known.
"""

import datetime
import posixpath
from collections import defaultdict

from importers.confluence.storage import PageIndex, Report, storage_to_markdown, title_key
from importers.confluence.xml_entities import (
    AttachmentRecord,
    Entities,
    PageRecord,
    read_entities,
)
from importers.tree import SourceAttachment, SourcePage, SourceRevision, SourceTree, Warning
from importers.zipsafe import Entry, SafeArchive, UnsafeArchive

SKIPPED_STATUSES = {"draft", "deleted"}
STORAGE_FORMAT = "2"  # bodyType; 0 is the wiki markup of Confluence 3


def read_confluence_xml(archive: SafeArchive) -> SourceTree:
    """The SourceTree of a Confluence XML backup; UnsafeArchive if entities.xml is refused."""
    tree = SourceTree(source="confluence")
    entries = archive.entries()
    entities_path = _entities_path(entries)
    with archive.open(entities_path) as stream:
        entities = read_entities(stream, entities_path)
    root = posixpath.dirname(entities_path)

    current, history = _current_pages(entities)
    index = PageIndex(users=entities.users)
    space_keys = {sid: space.key.lower() for sid, space in entities.spaces.items()}
    for page in current.values():
        index.add(page.id, page.title, space_keys.get(page.space or "", ""))
    for space in entities.spaces.values():
        if space.home in current:
            index.homes[space.key.lower()] = space.home

    pages = {
        rec.id: SourcePage(source_id=rec.id, revisions=[], path=_page_path(rec, index))
        for rec in current.values()
    }
    _build_hierarchy(current, pages, index, tree)
    _attach_files(entities, current, history, pages, index, entries, root, tree)

    for _, page in tree.walk():
        page.revisions = _revisions(page, current, history[page.source_id], entities, index, tree)
    return tree


def _entities_path(entries: list[Entry]) -> str:
    candidates = [e.path for e in entries if posixpath.basename(e.path) == "entities.xml"]
    if not candidates:
        raise UnsafeArchive("not a Confluence XML backup: there is no entities.xml in the zip")
    return min(candidates, key=lambda path: (path.count("/"), path))


def _page_path(rec: PageRecord, index: PageIndex) -> str:
    space = index.spaces.get(rec.id, "")
    return f"{space}/{rec.title}" if space else rec.title


def _current_pages(entities: Entities) -> tuple[dict, dict[str, list[PageRecord]]]:
    """Current pages by id, and each one's historical versions, oldest first."""
    historical_ids = {hid for rec in entities.pages.values() for hid in rec.historical}
    current = {
        rec.id: rec
        for rec in entities.pages.values()
        if rec.original is None and rec.status == "current" and rec.id not in historical_ids
    }
    owner = {hid: rec.id for rec in current.values() for hid in rec.historical}
    history: dict[str, list[PageRecord]] = defaultdict(list)
    for rec in entities.pages.values():
        original = rec.original or owner.get(rec.id)
        if original in current and rec.status not in SKIPPED_STATUSES:
            history[original].append(rec)
    for versions in history.values():
        versions.sort(key=lambda rec: (rec.version, rec.modified, _numeric(rec.id)))
    return current, history


def _numeric(value: str) -> tuple[int, str]:
    return (int(value), value) if value.isdigit() else (-1, value)


def _build_hierarchy(current: dict, pages: dict, index: PageIndex, tree: SourceTree) -> None:
    def order(rec: PageRecord) -> tuple:
        space = index.spaces.get(rec.id, "")  # a site backup's roots come space by space
        position = (rec.position is None, rec.position or 0)
        return (space, *position, title_key(rec.title), _numeric(rec.id))

    for rec in sorted(current.values(), key=order):
        parent = rec.parent
        if parent is not None and parent not in current:
            tree.warnings.append(
                Warning(
                    pages[rec.id].path,
                    f"parent page {parent} is not in the export; imported as a top-level page",
                )
            )
            parent = None
        elif parent is not None and _in_cycle(rec.id, current):
            tree.warnings.append(
                Warning(
                    pages[rec.id].path, "page is its own ancestor; imported as a top-level page"
                )
            )
            parent = None
        if parent is None:
            tree.roots.append(pages[rec.id])
        else:
            pages[parent].children.append(pages[rec.id])
            index.children.setdefault(parent, []).append(rec.id)
            index.parents[rec.id] = parent


def _in_cycle(page_id: str, current: dict) -> bool:
    seen = {page_id}
    parent = current[page_id].parent
    while parent in current:
        if parent in seen:
            return True
        seen.add(parent)
        parent = current[parent].parent
    return False


# Revisions -----------------------------------------------------------------------------


def _revisions(page, current, versions, entities, index, tree) -> list[SourceRevision]:
    """The page's revisions, oldest first; only the current one counts links and warns."""
    records = [*versions, current[page.source_id]]
    converted: dict[bytes, str] = {}  # unchanged bodies between versions are converted once
    revisions = []
    for position, rec in enumerate(records):
        last = position == len(records) - 1
        report = Report(path=page.path)
        body = entities.bodies.pop(rec.id, None)
        if body is None:
            markdown = ""
            report.warn("page has no body in entities.xml; imported empty")
        elif body.data in converted and not last:
            markdown = converted[body.data]
        elif body.body_type != STORAGE_FORMAT and body.body_type != "":
            markdown = _plain_text(body.text())
            report.warn("body is in Confluence 3 wiki markup; imported as plain text")
        else:
            markdown = storage_to_markdown(
                body.text(), index=index, page_id=page.source_id, report=report
            )
        if body is not None:
            converted[body.data] = markdown
        if last:
            tree.warnings.extend(report.warnings)
            tree.links.total += report.links.total
            tree.links.resolved += report.links.resolved
            tree.links.external += report.links.external
            tree.links.unresolved += report.links.unresolved
        revisions.append(
            SourceRevision(
                title=rec.title or page.source_id,
                body=markdown,
                author=_author(rec, entities.users),
                created_at=_date(rec.modified),
                message=rec.comment.strip(),
                version=str(rec.version),
            )
        )
    return revisions


def _author(rec: PageRecord, users: dict[str, str]) -> str:
    if rec.author_key:
        return users.get(rec.author_key, rec.author_key)
    return rec.author_name


def _date(text: str) -> datetime.datetime | None:
    # Confluence writes "2016-05-10 15:04:07.000" in the server's zone, which the backup
    # does not record; UTC is the least surprising reading.
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _plain_text(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}\n{text.strip()}\n{fence}\n"


# Attachments ---------------------------------------------------------------------------


def _attach_files(entities, current, history, pages, index, entries, root, tree) -> None:
    """The latest version of each current attachment, one per file name and page."""
    files = _attachment_files(entries, root)
    page_of = {rec.id: page_id for page_id, versions in history.items() for rec in versions}
    page_of.update({page_id: page_id for page_id in current})
    by_id = {rec.id: rec for rec in entities.attachments}

    groups: dict[tuple[str, str], list[AttachmentRecord]] = defaultdict(list)
    for rec in entities.attachments:
        head = by_id.get(rec.original, rec) if rec.original else rec
        if head.status in SKIPPED_STATUSES or rec.status in SKIPPED_STATUSES:
            continue
        page_id = page_of.get(head.container or "")
        if page_id is not None and head.title:
            groups[(page_id, head.title)].append(rec)

    for (page_id, name), members in groups.items():
        members.sort(key=lambda r: (r.version, r.modified, _numeric(r.id)), reverse=True)
        page = pages[page_id]
        found = _find_file(members, files)
        if found is None:
            tree.warnings.append(
                Warning(f"{page.path}/{name}", "attachment file is missing from the export")
            )
            continue
        chosen, version, entry = found
        if (chosen, version) != (members[0], members[0].version):
            tree.warnings.append(
                Warning(
                    f"{page.path}/{name}",
                    f"version {members[0].version} of the file is missing from the export; "
                    f"version {version} was imported",
                )
            )
        # Separate attachments that share a name (not versions of one) lose their files.
        others = [
            m
            for m in members
            if m.original is None
            and m.id not in (chosen.id, chosen.original)
            and any(e is not entry for e in files.get(m.id, {}).values())
        ]
        if others:
            tree.warnings.append(
                Warning(
                    f"{page.path}/{name}",
                    f"{len(others)} other attachment(s) with this name on the page were skipped",
                )
            )
        page.attachments.append(
            SourceAttachment(name=name, size=entry.size, read=entry.read, source_id=chosen.id)
        )
        index.attachments.setdefault(page_id, set()).add(name)
    for page in pages.values():
        page.attachments.sort(key=lambda a: a.name.casefold())


def _attachment_files(entries: list[Entry], root: str) -> dict[str, dict[int | None, Entry]]:
    """attachments/<page>/<attachment>/<version> (or .../<attachment>) by attachment id."""
    prefix = f"{root}/attachments/" if root else "attachments/"
    files: dict[str, dict[int | None, Entry]] = defaultdict(dict)
    for entry in entries:
        if not entry.path.startswith(prefix):
            continue
        parts = entry.path[len(prefix) :].split("/")
        if len(parts) == 3 and parts[2].isdigit():
            files[parts[1]][int(parts[2])] = entry
        elif len(parts) == 2:
            files[parts[1]][None] = entry
    return files


def _find_file(members: list[AttachmentRecord], files) -> tuple | None:
    """(record, version, entry) of the newest version whose file is in the zip."""
    for rec in members:
        stored = files.get(rec.id, {})
        if rec.version in stored:
            return rec, rec.version, stored[rec.version]
        if None in stored:
            return rec, rec.version, stored[None]
        # Some exports keep older versions in the folder of the current attachment.
        if rec.original and rec.version in files.get(rec.original, {}):
            return rec, rec.version, files[rec.original][rec.version]
    for rec in members:
        versions = [v for v in files.get(rec.id, {}) if v is not None]
        if versions:
            return rec, max(versions), files[rec.id][max(versions)]
    return None
