"""How a Notion HTML export names things: paths on disk, ids in links, attachment names."""

import posixpath
import re
import unicodedata
from urllib.parse import unquote

from importers.notion.common import ANY_ID_RE

_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def norm_path(path: str) -> str:
    """Paths compared the same whether zipped on macOS (NFD) or with stray BOMs and spaces."""
    parts = (unicodedata.normalize("NFC", p.replace("\ufeff", "")).strip() for p in path.split("/"))
    return "/".join(parts)


def notion_id(text: str) -> str | None:
    """The last page id in a link: ``Title-<32 hex>`` or a dashed UUID, as notion.so has it."""
    text = _UUID_RE.sub(lambda m: m[0].replace("-", ""), text.lower())
    ids = ANY_ID_RE.findall(text)
    return ids[-1] if ids else None


def file_name(path: str, label: str) -> str:
    """The name the file had in Notion: its link text when that is one, else its decoded name.

    Notion flattens names on disk (Czech accents dropped, Greek turned into dashes), but a
    file block's link text keeps the name as uploaded.
    """
    disk = posixpath.basename(path)
    label = unicodedata.normalize("NFC", label.strip())
    if (
        label not in ("", ".", "..")
        and len(label) <= 255
        and not _CONTROL_RE.search(label)
        and not any(c in label for c in "/\\\ufffd")
        and posixpath.splitext(label)[1].casefold() == posixpath.splitext(disk)[1].casefold()
    ):
        return label
    if "%" in disk:
        try:
            decoded = unquote(disk, errors="strict")
        except UnicodeDecodeError:
            return disk
        if decoded.strip() and not _CONTROL_RE.search(decoded) and "/" not in decoded:
            return unicodedata.normalize("NFC", decoded)
    return disk


def unique_name(name: str, taken: set[str]) -> str:
    stem, ext = posixpath.splitext(name)
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem} ({number}){ext}"
    return candidate
