"""What both Notion readers share: export entries, names with ids, property values.

Both export variants come as an outer zip of ``Export-<uuid>-Part-N.zip`` parts whose files
may sit in an ``Export-<uuid>/`` folder, and name pages ``Title <32 hex>.<ext>``.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from importers.tree import Warning

ID_RE = re.compile(r"^(?P<title>.*?)\s*(?P<id>[0-9a-f]{32})$")
ANY_ID_RE = re.compile(r"(?<![0-9a-f])([0-9a-f]{32})(?![0-9a-f])")
WRAPPER_RE = re.compile(r"^Export-[0-9a-fA-F-]+$")
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
DATE_FORMATS = ("%B %d, %Y %I:%M %p", "%B %d, %Y %H:%M", "%B %d, %Y")


@dataclass
class ExportEntry:
    path: str
    read: Callable[[], bytes]
    size: int | None = None


def as_entry(item) -> ExportEntry:
    if isinstance(item, ExportEntry):
        return item
    if isinstance(item, tuple):
        return ExportEntry(item[0], item[1], item[2] if len(item) > 2 else None)
    path = getattr(item, "path", None) or item.name
    return ExportEntry(path, item.read, getattr(item, "size", None))


def safe_path(path: str) -> str | None:
    path = path.replace("\\", "/")
    if path.endswith("/") or path.startswith("/") or ":" in path.split("/")[0]:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def zip_entries(data_or_file) -> list[ExportEntry]:
    """Entries of a zip (bytes, path or file object) via the stdlib; no size limits."""
    source = io.BytesIO(data_or_file) if isinstance(data_or_file, bytes) else data_or_file
    archive = zipfile.ZipFile(source)
    entries = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        entries.append(ExportEntry(info.filename, (lambda i=info: archive.read(i)), info.file_size))
    return entries


def flatten(
    archive,
    open_nested,
    warnings: list[Warning],
    duplicates: list[ExportEntry] | None = None,
) -> dict[str, ExportEntry]:
    """All files of every part, wrapper folders removed, first occurrence of a path wins.

    Later files with a path already seen go to `duplicates` when given: every part of an
    HTML export may bring its own index.html.
    """
    files: dict[str, ExportEntry] = {}

    def add(entry: ExportEntry, depth: int) -> None:
        path = safe_path(entry.path)
        if path is None:
            if not entry.path.endswith("/"):
                warnings.append(Warning(entry.path, "unsafe path skipped"))
            return
        if path.lower().endswith(".zip") and depth == 0:
            for inner in open_nested(entry.read()):
                add(as_entry(inner), depth + 1)
            return
        parts = path.split("/")
        if len(parts) > 1 and WRAPPER_RE.match(parts[0]):
            path = "/".join(parts[1:])
        if path in files:
            if duplicates is not None:
                duplicates.append(ExportEntry(path, entry.read, entry.size))
            return
        files[path] = ExportEntry(path, entry.read, entry.size)

    for item in archive:
        add(as_entry(item), 0)
    return files


def split_name(name: str) -> tuple[str, str | None]:
    match = ID_RE.match(name)
    if match:
        return match["title"] or match["id"], match["id"]
    return name, None


def field_key(key: str) -> str:
    return re.sub(r"\s+", "_", key.strip().lower())


def parse_value(value: str):
    value = value.strip()
    if value == "Yes":
        return True
    if value == "No":
        return False
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            pass
    if ", " in value:
        return [part.strip() for part in value.split(",") if part.strip()]
    return value
