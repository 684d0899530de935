"""Read a Notion "Markdown & CSV" export into a SourceTree.

The export is an outer zip holding one or more ``Export-<uuid>-Part-N.zip``; each part may wrap
its files in an ``Export-<uuid>/`` folder. Pages are ``Title <32 hex>.md``, their subpages live
in a folder with the same stem, databases are ``Name <id>.csv`` / ``Name <id>_all.csv`` with a
folder of row pages.

The reader takes the upload as a SafeArchive, which has checked it and opened its parts.
"""

import csv
import io
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from importers.notion.common import (
    ANY_ID_RE,
    SCHEME_RE,
    ExportEntry,
    field_key,
    parse_value,
)
from importers.notion.common import flatten as _flatten
from importers.notion.common import split_name as _split_name
from importers.tree import (
    LinkStats,
    SourceAttachment,
    SourcePage,
    SourceRevision,
    SourceTree,
    Warning,
    decode_text,
)
from importers.zipsafe import SafeArchive

__all__ = ["ExportEntry", "field_key", "parse_value", "read_notion_markdown"]

# [label](target) / ![alt](target); targets may hold one level of unencoded parentheses.
LINK_RE = re.compile(
    r"(?P<code>`+[^`]*`+)"
    r"|(?P<bang>!?)\[(?P<label>[^\]]*)\]\((?P<target>(?:[^()\s]|\([^()\s]*\))+)"
    r'(?:\s+"[^"]*")?\)'
)
PROPERTY_RE = re.compile(r"^(?P<key>[^:\n]{1,100}?):\s?(?P<value>.*)$")


@dataclass
class _Node:
    key: str  # path of the stem inside the export, without wrapper and extension
    source_id: str
    name_title: str  # title from the file/folder name, without the id
    md: ExportEntry | None = None
    csv: ExportEntry | None = None
    csv_is_all: bool = False
    attachments: list[ExportEntry] = field(default_factory=list)
    page: SourcePage | None = None
    body: str = ""
    title: str = ""


# --------------------------------------------------------------------------- values


def _split_heading(text: str) -> tuple[str | None, str]:
    lines = text.split("\n")
    if lines and lines[0].startswith("# "):
        rest = lines[1:]
        while rest and not rest[0].strip():
            rest.pop(0)
        return lines[0][2:].strip(), "\n".join(rest)
    return None, text


def _properties(body: str) -> dict:
    fields = {}
    for line in body.split("\n"):
        if not line.strip():
            break
        match = PROPERTY_RE.match(line)
        if not match:
            break
        fields[field_key(match["key"])] = parse_value(match["value"])
    return fields


def _read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    rows = [row for row in rows if any(row)]
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --------------------------------------------------------------------------- tree


def read_notion_markdown(archive: SafeArchive) -> SourceTree:
    """The SourceTree of a Notion Markdown & CSV export."""
    tree = SourceTree(source="notion")
    files = _flatten(archive)
    nodes: dict[str, _Node] = {}

    def node_for(key: str) -> _Node:
        if key not in nodes:
            title, source_id = _split_name(posixpath.basename(key))
            nodes[key] = _Node(key, source_id or f"path:{key}", title)
        return nodes[key]

    loose: list[ExportEntry] = []
    for path, entry in files.items():
        stem, ext = posixpath.splitext(path)
        ext = ext.lower()
        if ext == ".md" and _split_name(posixpath.basename(stem))[1]:
            node_for(stem).md = entry
        elif ext == ".csv" and _split_name(posixpath.basename(stem).removesuffix("_all"))[1]:
            is_all = stem.endswith("_all")
            node = node_for(stem.removesuffix("_all"))
            if node.csv is None or (is_all and not node.csv_is_all):
                node.csv, node.csv_is_all = entry, is_all
        elif path == "index.html":
            continue
        else:
            loose.append(entry)

    # Every folder on the way to a node is a page too (a folder may come without its .md).
    for key in list(nodes):
        parent = posixpath.dirname(key)
        while parent:
            node_for(parent)
            parent = posixpath.dirname(parent)

    for entry in loose:
        folder = posixpath.dirname(entry.path)
        while folder and folder not in nodes:
            folder = posixpath.dirname(folder)
        if not folder:
            # A top-level file that is neither a page nor a database has no page to go on.
            tree.warnings.append(Warning(entry.path, "file outside any page folder skipped"))
            continue
        nodes[folder].attachments.append(entry)

    by_id = {node.source_id: node for node in nodes.values()}

    # First pass: titles and raw bodies, so links can be resolved to titles afterwards.
    for node in nodes.values():
        title, body = None, ""
        if node.md is not None:
            title, body = _split_heading(decode_text(node.md.read(), node.md.path, tree.warnings))
        node.title = title or node.name_title
        node.body = body

    for key in sorted(nodes):
        node = nodes[key]
        parent = nodes.get(posixpath.dirname(key))
        fields = _properties(node.body) if parent is not None and parent.csv else {}
        body = _rewrite_links(node, node.body, files, by_id, tree)
        if node.csv is not None:
            child_titles = {
                other.title for other in nodes.values() if posixpath.dirname(other.key) == key
            }
            body = _join(body, _database_body(node, child_titles, tree))
        attachments = [
            SourceAttachment(
                name=posixpath.basename(a.path),
                size=a.size if a.size is not None else len(a.read()),
                read=a.read,
            )
            for a in node.attachments
        ]
        node.page = SourcePage(
            source_id=node.source_id,
            revisions=[SourceRevision(title=node.title, body=body)],
            path=(node.md or node.csv or ExportEntry(key, bytes)).path,
            fields=fields,
            attachments=attachments,
        )
        if parent is None:
            tree.roots.append(node.page)
        else:
            parent.page.children.append(node.page)
    return tree


def _join(body: str, extra: str) -> str:
    if not body.strip():
        return extra
    return body.rstrip("\n") + "\n\n" + extra


def _database_body(node: _Node, child_titles: set[str], tree: SourceTree) -> str:
    """A Markdown table of the database's rows, the first column linking to the row pages."""
    header, rows = _read_csv(decode_text(node.csv.read(), node.csv.path, tree.warnings))
    if not header:
        return ""
    lines = [
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in rows:
        row = row + [""] * (len(header) - len(row))
        cells = [_cell(c) for c in row[: len(header)]]
        if row[0] in child_titles:
            cells[0] = f"[[{_cell(row[0])}]]"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _rewrite_links(node: _Node, body: str, files, by_id, tree: SourceTree) -> str:
    base = posixpath.dirname(node.md.path) if node.md is not None else node.key
    stats: LinkStats = tree.links

    def replace(match: re.Match) -> str:
        if match["code"]:
            return match["code"]
        image, label, target = match["bang"], match["label"], match["target"]
        if target.startswith("#"):
            return match[0]
        if SCHEME_RE.match(target):
            if not image:
                stats.total += 1
                stats.external += 1
            return match[0]
        decoded = unquote(target.split("#", 1)[0])
        resolved = posixpath.normpath(posixpath.join(base, decoded))
        if resolved in files and not resolved.lower().endswith((".md", ".csv")):
            name = posixpath.basename(resolved)
            return f"{image}[{label}](<{name}>)" if " " in name else f"{image}[{label}]({name})"
        stats.total += 1
        ids = ANY_ID_RE.findall(decoded)
        target_node = by_id.get(ids[-1]) if ids else None
        if target_node is not None:
            stats.resolved += 1
            title = target_node.title
            return f"[[{title}]]" if label in ("", title) else f"[[{title}|{label}]]"
        stats.unresolved += 1
        tree.warnings.append(
            Warning(
                node.md.path if node.md else node.key, f"link to {decoded} not found in the export"
            )
        )
        return label

    out, fence = [], None
    for line in body.split("\n"):
        stripped = line.lstrip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None:
            if stripped.startswith(fence):
                fence = None
        else:
            line = LINK_RE.sub(replace, line)
        out.append(line)
    return "\n".join(out)
