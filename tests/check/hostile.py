"""Hostile uploads, and the guard every check runs them under.

Each Hostile is what an attacker (or a broken export tool) could upload: the bytes, the source
the admin picks, and a fragment of the message the user must be shown. The zips are built with
tests/importers/builders.py, which can write what zipfile itself refuses to.
"""

import contextlib
import random
import signal
import string
import struct
import tracemalloc
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from importers.htmlmd import FLATTENED
from importers.models import ImportedPage
from tests.importers.builders import (
    PNG,
    _central_records,
    make_zip,
    many_entries_zip,
    patch_member,
    raw_name,
    rename_legacy,
)
from tests.importers.confluence import html_builders as confluence_html
from tests.importers.confluence.test_xml_safety import (
    BILLION_LAUGHS,
    EXTERNAL_DTD,
    PARAMETER_ENTITY,
    XXE,
)
from tests.importers.confluence.xml_builders import Backup
from tests.importers.notion import html_builders as notion_html
from tests.importers.notion.builders import export_zip
from wikiapp.models import Attachment, Page, Revision

MIB = 1024**2
TIME_LIMIT = 30  # seconds: a hang guard, far above what any of these takes
MEMORY_LIMIT = 256 * MIB  # peak Python allocations while one input is handled
HOME = "2a889dba369b48709ec62508d5020d93"
SUB = "25592a85546546a48b02dfa4fb545e1d"
# Random letters: a run of one letter would be refused as a zip bomb before its title is read.
HUGE_TITLE = "".join(random.Random(7).choices(string.ascii_letters, k=MIB))
DEEP_LIST = "- " * 10_000 + "end"


@dataclass(frozen=True)
class Hostile:
    label: str
    data: bytes
    message: str  # what the user must be told, in the form or on the job page
    source: str = "notion"
    name: str = "export.zip"

    def __str__(self) -> str:
        return self.label


# --------------------------------------------------------------------------- the guard


@contextlib.contextmanager
def bounded(seconds: int = TIME_LIMIT, *, trace_memory: bool = True) -> Iterator[dict]:
    """Raise TimeoutError past `seconds`; measure peak Python memory into the dict given."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    measured: dict[str, int] = {"peak": 0}
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    if trace_memory:
        tracemalloc.start()
    try:
        yield measured
    finally:
        if trace_memory:
            measured["peak"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def stored() -> dict[str, int]:
    """Everything an import, a save or an upload could leave behind."""
    media = Path(settings.MEDIA_ROOT)
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "attachments": Attachment.objects.count(),
        "imported": ImportedPage.objects.count(),
        # An import's upload is kept under imports/ so a failed job can be run again.
        "files": sum(1 for p in files if p.relative_to(media).parts[0] != "imports"),
    }


# --------------------------------------------------------------------------- zip surgery


def claim_sizes(data: bytes, name: str, size: int) -> bytes:
    """A stored member whose headers claim `size` bytes, compressed and uncompressed."""
    patched = bytearray(data)
    for offset, record_name in _central_records(data):
        if record_name == name:
            (local,) = struct.unpack_from("<I", data, offset + 42)
            struct.pack_into("<II", patched, offset + 20, size, size)
            struct.pack_into("<II", patched, local + 18, size, size)
            return bytes(patched)
    raise KeyError(name)


def nested(levels: int, inner: bytes) -> bytes:
    for level in range(levels):
        inner = make_zip({f"Export-Part-{level}.zip": inner})
    return inner


def notion(files: dict[str, str | bytes]) -> bytes:
    """A Notion Markdown export of one part holding `files`."""
    return export_zip([files])


def entities(document: str | bytes) -> bytes:
    data = document.encode() if isinstance(document, str) else document
    return make_zip({"entities.xml": data})


def backup(title: str = "Home", body: str = "<p>Text</p>") -> bytes:
    made = Backup().space(home="100")
    made.page("100", title, body)
    return made.zip()


def confluence_html_export(body: str, title: str = "Home") -> bytes:
    page = f"Home_{confluence_html.HOME}.html"
    return make_zip(
        {
            "DOC/index.html": confluence_html.index([(page, title, [])]).encode(),
            f"DOC/{page}": confluence_html.page(title, body).encode(),
        }
    )


def _page(body: str, title: str = "Home") -> dict[str, str]:
    return {f"Home {HOME}.md": f"# {title}\n\n{body}\n"}


def _corrupt_data(data: bytes) -> bytes:
    """Flip bytes in the middle of the first member's compressed data."""
    offset, name = next(_central_records(data))
    (local,) = struct.unpack_from("<I", data, offset + 42)
    start = local + 30 + len(name.encode()) + 8
    return data[:start] + bytes(b ^ 0xFF for b in data[start : start + 32]) + data[start + 32 :]


def _truncated_keeping_end(data: bytes) -> bytes:
    """The first half of a zip with its end record stuck on: offsets point past the data."""
    end = data.rindex(b"PK\x05\x06")
    return data[: len(data) // 2] + data[end:]


def _lying_size() -> bytes:
    """A member whose header claims 100 bytes but which inflates to 50 MiB."""
    name = f"Home {HOME}.md"
    data = make_zip({name: b"# Home\n\n" + b"\0" * (50 * MIB)})
    return patch_member(data, name, file_size=100)


def _invalid_utf8_name() -> bytes:
    data = make_zip({"page-x.md": b"# Page"}, zipfile.ZIP_DEFLATED)
    data = rename_legacy(data, "page-x.md", b"page-\xff.md")
    return patch_member(data, "page-\ufffd.md", set_flags=0x800)  # "this name is UTF-8"


def _fails_after_a_file() -> bytes:
    """Home and its new attachment are stored first; then its subpage is refused."""
    logo = PNG + random.Random(11).randbytes(64)  # bytes no earlier test has stored
    return notion(
        {
            f"Home {HOME}.md": f"# Home\n\n![logo](Home%20{HOME}/logo.png)\n",
            f"Home {HOME}/logo.png": logo,
            f"Home {HOME}/Rules {SUB}.md": "# Rules\n\nNUL \0 here\n",
        }
    )


# --------------------------------------------------------------------------- the catalogue


def refused_at_upload() -> list[Hostile]:
    """Refused by the upload form itself: the admin sees a 400 with the reason."""
    page = make_zip({"page.md": b"# Page\n\n" + b"text " * 2000})
    return [
        Hostile("empty file", b"", "The submitted file is empty"),
        Hostile("text renamed .zip", b"just some text\n" * 100, "This is not a zip file"),
        Hostile("PNG renamed .zip", PNG * 50, "This is not a zip file"),
        Hostile("truncated zip", page[: len(page) // 2], "This is not a zip file"),
        Hostile("zip without its end record", page[:-22], "This is not a zip file"),
    ]


def failed_in_the_job() -> list[Hostile]:
    """Accepted as a zip, then refused by the import job with its reason."""
    slips = {
        "parent path": ("../../etc/evil.md", "escapes the archive"),
        "absolute path": ("/etc/evil.md", "is an absolute path"),
        "drive letter": ("C:\\Windows\\evil.md", "starts with a drive letter"),
        "backslashes": ("docs\\..\\..\\evil.md", "contains a backslash"),
        "NUL in a name": ("evil.md\0.png", "contains a NUL character"),
    }
    cases = []
    for label, (path, message) in slips.items():
        entry = raw_name(path)
        cases += [
            Hostile(f"zip-slip {label}", make_zip([(entry, b"# Evil")]), message),
            Hostile(
                f"zip-slip {label} (confluence)",
                make_zip([("entities.xml", b"<hibernate-generic/>"), (entry, b"x")]),
                message,
                source="confluence",
            ),
            Hostile(
                f"zip-slip {label} in a nested zip",
                make_zip({"Export-Part-1.zip": make_zip([(entry, b"# Evil")])}),
                message,
            ),
        ]
    total_claimed = make_zip(
        {f"file-{n}.bin": b"x" for n in range(5)}, compression=zipfile.ZIP_STORED
    )
    for n in range(5):
        total_claimed = claim_sizes(total_claimed, f"file-{n}.bin", 500 * MIB)
    cases += [
        Hostile("zip bomb by ratio", make_zip({"page.md": b"\0" * (20 * MIB)}), "ratio"),
        Hostile(
            "zip bomb by ratio in a nested zip",
            make_zip({"Export-Part-1.zip": make_zip({"page.md": b"\0" * (20 * MIB)})}),
            "ratio",
        ),
        Hostile("zip bomb with a lying size", _lying_size(), "could not be read"),
        Hostile("uncompressed total over the limit", total_claimed, "uncompressed total"),
        Hostile("100,000 entries", many_entries_zip(100_000), "more than the limit of 20000"),
        Hostile("zips nested 10 deep", nested(10, notion(_page("Deep"))), "nested more than"),
        Hostile(
            "corrupt compressed data",
            _corrupt_data(make_zip({f"Home {HOME}.md": b"# Page\n\n" + b"text " * 2000})),
            "could not be read",
        ),
        Hostile(
            "truncated zip with its end record",
            _truncated_keeping_end(make_zip({"page.md": PNG * 400, "b.md": PNG * 400})),
            "is not a readable zip file",
        ),
        Hostile("invalid UTF-8 in a name", _invalid_utf8_name(), "is not a readable zip file"),
    ]
    cases += [
        Hostile(label, entities(document), "DTDs and entities are not allowed", "confluence")
        for label, document in [
            ("XXE to file:///etc/passwd", XXE),
            ("billion laughs", BILLION_LAUGHS),
            ("external DTD", EXTERNAL_DTD),
            ("parameter entity", PARAMETER_ENTITY),
        ]
    ]
    cases += [
        Hostile(
            "invalid UTF-8 in entities.xml",
            entities(b'<hibernate-generic><object class="Page">\xff\xfe</object>'),
            "not well-formed XML",
            "confluence",
        ),
        Hostile(
            "NUL in entities.xml",
            entities(b"<hibernate-generic><object>\0</object></hibernate-generic>"),
            "not well-formed XML",
            "confluence",
        ),
    ]
    return cases + _refused_contents()


def _refused_contents() -> list[Hostile]:
    """Well-formed zips whose pages the wiki must not store."""
    over = "x" * (settings.WIKI_MAX_BODY_CHARS + 1)
    return [
        Hostile("1 MB title (notion)", notion(_page("body", HUGE_TITLE)), "the limit is 200"),
        Hostile(
            "1 MB title (confluence XML)",
            backup(title=HUGE_TITLE),
            "the limit is 200",
            "confluence",
        ),
        Hostile("NUL in a title (notion)", notion(_page("body", "Ti\0tle")), "NUL"),
        Hostile("NUL in a body (notion)", notion(_page("a\0b")), "NUL"),
        Hostile("body over the size limit (notion)", notion(_page(over)), "the limit is"),
        Hostile("NUL in a page after one with a new attachment", _fails_after_a_file(), "NUL"),
        Hostile(
            "body over the size limit (confluence XML)",
            backup(body=f"<p>{over}</p>"),
            "the limit is",
            "confluence",
        ),
    ]


def deeply_nested_exports() -> list[Hostile]:
    """Lists nested far too deep: stored, but as plain text, never a crash.

    HTML goes 1,000 levels deep: enough to overflow the converter's recursion (about three
    frames a level), and a tenth of the parsing time of 10,000.
    """
    html = "<ul><li>" * 1_000 + "end" + "</li></ul>" * 1_000
    page = notion_html.page_html("Home", html, page_id=HOME)
    # The message: what the page shows, or the warning the import report gives.
    return [
        Hostile("10,000-level list (notion markdown)", notion(_page(DEEP_LIST)), "<pre>- - - "),
        Hostile("1,000-level list (notion HTML)", notion({f"Home {HOME}.html": page}), FLATTENED),
        Hostile("1,000-level list (confluence XML)", backup(body=html), FLATTENED, "confluence"),
        Hostile(
            "1,000-level list (confluence HTML)",
            confluence_html_export(html),
            FLATTENED,
            "confluence",
        ),
    ]
