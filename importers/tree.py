"""The neutral page tree every reader produces and the writer stores.

Plain dataclasses with no database access, so a reader is testable from a zip alone.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class SourceRevision:
    """One version of a page as the source had it (oldest first in SourcePage.revisions)."""

    title: str
    body: str  # Markdown, links already rewritten to [[Title]] where they point inside
    author: str = ""  # the source's name for the author
    created_at: datetime.datetime | None = None
    message: str = ""
    version: str = ""  # the source's own version number or id


@dataclass
class SourceAttachment:
    name: str
    size: int
    read: Callable[[], bytes]
    source_id: str = ""


@dataclass
class SourcePage:
    source_id: str  # the export's own id: Confluence page id, Notion 32-hex id
    revisions: list[SourceRevision]
    path: str = ""  # where in the export it came from, for warnings
    kind: str = "page"
    fields: dict = field(default_factory=dict)
    children: list["SourcePage"] = field(default_factory=list)
    attachments: list[SourceAttachment] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.revisions[-1].title


@dataclass(frozen=True)
class Warning:
    path: str
    reason: str


def decode_text(data: bytes, path: str, warnings: list[Warning]) -> str:
    """An export's text file as str: UTF-8, a bad byte replaced (and reported), no BOM."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        warnings.append(Warning(path, "not valid UTF-8; undecodable bytes replaced"))
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


@dataclass
class LinkStats:
    total: int = 0
    resolved: int = 0  # to a page in this import
    external: int = 0
    unresolved: int = 0


@dataclass
class SourceTree:
    source: str  # "confluence" | "notion"
    roots: list[SourcePage] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    links: LinkStats = field(default_factory=LinkStats)

    def walk(self) -> Iterator[tuple[SourcePage | None, SourcePage]]:
        """(parent, page) pairs, parents before children."""
        stack: list[tuple[SourcePage | None, SourcePage]] = [
            (None, p) for p in reversed(self.roots)
        ]
        while stack:
            parent, page = stack.pop()
            yield parent, page
            stack.extend((page, child) for child in reversed(page.children))

    def count(self) -> tuple[int, int, int]:
        """(pages, revisions, attachments)."""
        pages = revisions = attachments = 0
        for _, page in self.walk():
            pages += 1
            revisions += len(page.revisions)
            attachments += len(page.attachments)
        return pages, revisions, attachments
