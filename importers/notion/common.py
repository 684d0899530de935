"""What both Notion readers share: export entries, names with ids, property values.

Both export variants come as an outer zip of ``Export-<uuid>-Part-N.zip`` parts whose files
may sit in an ``Export-<uuid>/`` folder, and name pages ``Title <32 hex>.<ext>``.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from importers.zipsafe import SafeArchive

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


def flatten(
    archive: SafeArchive, duplicates: list[ExportEntry] | None = None
) -> dict[str, ExportEntry]:
    """All files of every part, wrapper folders removed, first occurrence of a path wins.

    SafeArchive has already checked every path and opened the Part-N zips; their entries
    come as "<part>.zip!/<path>". Later files with a path already seen go to `duplicates`
    when given: every part of an HTML export may bring its own index.html.
    """
    files: dict[str, ExportEntry] = {}
    for entry in archive.entries():
        path = entry.path.split("!/", 1)[-1]
        parts = path.split("/")
        if len(parts) > 1 and WRAPPER_RE.match(parts[0]):
            path = "/".join(parts[1:])
        if path in files:
            if duplicates is not None:
                duplicates.append(ExportEntry(path, entry.read, entry.size))
            continue
        files[path] = ExportEntry(path, entry.read, entry.size)
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
