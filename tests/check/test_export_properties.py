"""Mutated exports through the import pipeline: imported, or refused with the importer's reason.

Hypothesis takes a small valid export of each kind, damages it the ways real files get
damaged (bytes flipped, cut off or inserted, entries renamed, dropped, duplicated or
reordered, markup broken) and runs it through importers.pipeline.run_import, the function
the import job calls. Each one must either import or fail with UnsafeArchive or
ValidationError and a readable message, and a failed one must store nothing.
"""

import io
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.pipeline import run_import
from importers.zipsafe import UnsafeArchive
from tests.check.hostile import HOME, SUB, bounded, stored
from tests.importers.builders import PNG, make_zip
from tests.importers.confluence import html_builders as confluence_html
from tests.importers.confluence.xml_builders import DESCRIPTOR, Backup
from tests.importers.notion.builders import EXPORT_UUID
from tests.importers.notion.html_builders import page_html
from wikiapp.models import Attachment, Space

pytestmark = pytest.mark.django_db

EXAMPLES = 60  # per kind of export: a few seconds each
READABLE = 5_000  # characters: a message, not a dump


@dataclass(frozen=True)
class Export:
    source: str
    files: dict[str, bytes]
    pack: Callable[[dict[str, bytes] | list[tuple[str, bytes]]], bytes]


def _encoded(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {name: data.encode() if isinstance(data, str) else data for name, data in files.items()}


def _notion(files) -> bytes:
    """One Part zip inside the outer one, as Notion splits an export (duplicates kept)."""
    return make_zip({f"Export-{EXPORT_UUID}-Part-1.zip": make_zip(files)})


def _confluence_xml() -> dict[str, bytes]:
    backup = Backup().user("8a7f808a", "alice").space(home="100")
    backup.page(
        "100",
        "Home",
        '<p>Welcome. Read <ac:link><ri:page ri:content-title="Guide"/></ac:link>.</p>',
        creator="8a7f808a",
    )
    backup.page("110", "Guide", "<ul><li>Step one</li><li>Step two</li></ul>", parent="100")
    backup.attachment("500", "notes.txt", "100", b"some notes")
    return {"entities.xml": backup.xml(), "exportDescriptor.properties": DESCRIPTOR, **backup.files}


def _confluence_html() -> dict[str, bytes]:
    home, guide = f"Home_{confluence_html.HOME}.html", f"Guide_{confluence_html.GUIDE}.html"
    image = f"attachments/{confluence_html.HOME}/1.png"
    return _encoded(
        {
            "DOC/index.html": confluence_html.index([(home, "Home", [(guide, "Guide", [])])]),
            f"DOC/{home}": confluence_html.page(
                "Home",
                f'<p>Read <a href="{guide}">the guide</a>.</p><p><img src="{image}"></p>',
                attachments=[(image, "1.png")],
            ),
            f"DOC/{guide}": confluence_html.page(
                "Guide", "<p>Start here.</p>", crumbs=[(home, "Home")]
            ),
            f"DOC/{image}": PNG,
        }
    )


EXPORTS = {
    "notion markdown": Export(
        "notion",
        _encoded(
            {
                f"Home {HOME}.md": f"# Home\n\nSee [the rules](Home%20{HOME}/Rules%20{SUB}.md).\n\n"
                f"![logo](Home%20{HOME}/logo.png)\n",
                f"Home {HOME}/Rules {SUB}.md": "# Rules\n\nStatus: Accepted\n\n- We review.\n",
                f"Home {HOME}/logo.png": PNG,
            }
        ),
        _notion,
    ),
    "notion HTML": Export(
        "notion",
        _encoded(
            {
                f"Home {HOME}.html": page_html(
                    "Home",
                    f'<p>See <a href="Home%20{HOME}/Rules%20{SUB}.html">the rules</a>.</p>'
                    "<ul><li>one</li><li>two</li></ul>",
                    page_id=HOME,
                ),
                f"Home {HOME}/Rules {SUB}.html": page_html(
                    "Rules", "<p>We review.</p>", page_id=SUB
                ),
            }
        ),
        _notion,
    ),
    "confluence XML": Export("confluence", _confluence_xml(), make_zip),
    "confluence HTML": Export("confluence", _confluence_html(), make_zip),
}

# Fragments that break markup, or look like it, spliced into a file's text.
BREAKERS = [
    b"<",
    b"</div></ul></p>",
    b"<![CDATA[",
    b"]]>",
    b"&",
    b"&#0;",
    b"&undefined;",
    b"\0",
    b"\xff\xfe",
    b"\xef\xbf\xbd",
    b"# ",
    b"[[",
    b"](",
    b"```",
    b"\r\n",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b'<object class="Page"><id name="id">100</id></object>',
    b"<ac:structured-macro ac:name=",
]
NAMES = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30),
    st.sampled_from(["../x.md", "/abs.md", "a\\b.md", "C:evil", "__MACOSX/x", "dir/", "x.zip"]),
)
MUTATIONS = ["flip", "truncate", "insert", "splice", "rename", "drop", "duplicate", "shuffle"]


def mutate(data: st.DataObject, export: Export) -> bytes:
    """The export with one to four damages drawn by hypothesis, packed as a zip."""
    files = list(export.files.items())
    for _ in range(data.draw(st.integers(1, 4), label="damages")):
        kind = data.draw(st.sampled_from([*MUTATIONS, "zip bytes"]), label="damage")
        if kind == "zip bytes":
            return _damage_bytes(data, export.pack(files))
        if not files:
            break
        index = data.draw(st.integers(0, len(files) - 1), label="entry")
        name, content = files[index]
        if kind in {"flip", "truncate", "insert", "splice"}:
            files[index] = (name, _damage(data, kind, content))
        elif kind == "rename":
            files[index] = (data.draw(NAMES, label="new name"), content)
        elif kind == "drop":
            del files[index]
        elif kind == "duplicate":
            files.append((name, content))
        else:
            random.Random(data.draw(st.integers(0, 2**16), label="seed")).shuffle(files)
    return export.pack(files)


def _damage(data: st.DataObject, kind: str, content: bytes) -> bytes:
    at = data.draw(st.integers(0, len(content)), label="at")
    if kind == "flip" and content:
        at = min(at, len(content) - 1)
        bit = data.draw(st.integers(0, 7), label="bit")
        return content[:at] + bytes([content[at] ^ (1 << bit)]) + content[at + 1 :]
    if kind == "truncate":
        return content[:at]
    if kind == "insert":
        return content[:at] + data.draw(st.binary(min_size=1, max_size=16), label="bytes")
    return content[:at] + data.draw(st.sampled_from(BREAKERS), label="breaker") + content[at:]


def _damage_bytes(data: st.DataObject, packed: bytes) -> bytes:
    """Damage the zip itself: its headers, its directory, its end."""
    at = data.draw(st.integers(0, len(packed) - 1), label="zip at")
    if data.draw(st.booleans(), label="cut"):
        return packed[:at]
    span = data.draw(st.integers(1, 8), label="span")
    return packed[:at] + bytes(b ^ 0xFF for b in packed[at : at + span]) + packed[at + span :]


def _everything() -> dict[str, int]:
    return {**stored(), "spaces": Space.objects.count()}


class Run:
    """One mutated export through the pipeline: what it did, counted for the figures."""

    def __init__(self, figures, admin):
        self.figures, self.admin, self.count = figures, admin, 0

    def __call__(self, export: Export, data: bytes) -> None:
        self.count += 1
        # Files are kept by content, once: with no attachment kept yet, every one is written
        # anew, so a refused import that leaves its files behind is seen.
        Attachment.objects.all().delete()
        shutil.rmtree(Path(django_settings.MEDIA_ROOT) / "attachments", ignore_errors=True)
        before = _everything()
        try:
            with bounded(trace_memory=False):
                run_import(
                    source=export.source,
                    file=io.BytesIO(data),
                    space_slug=f"mutated-{self.count}",
                    user=self.admin,
                )
        except (UnsafeArchive, ValidationError) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.figures.add("mutated exports", tried=1, refused=1)
            assert message.strip() and len(message) < READABLE, message
            assert "Traceback" not in message
            assert _everything() == before, "a refused import stored something"
        except Exception:
            self.figures.add("mutated exports", tried=1, crashed=1)
            raise
        else:
            self.figures.add("mutated exports", tried=1, imported=1)


@pytest.fixture
def run(figures, people) -> Run:
    figures.add("mutated exports", tried=0, imported=0, refused=0, crashed=0)
    return Run(figures, people.admin)


@pytest.mark.parametrize("kind", EXPORTS)
def test_the_unmutated_export_imports(kind, people):
    export = EXPORTS[kind]
    report = run_import(
        source=export.source,
        file=io.BytesIO(export.pack(export.files)),
        space_slug="seed",
        user=people.admin,
    )
    assert report["stored"]["pages_created"] == 2
    assert report["links"]["resolved"] >= 1


@pytest.mark.parametrize("kind", EXPORTS)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mutated_export_imports_or_is_refused_with_its_reason(kind, data, run):
    export = EXPORTS[kind]
    run(export, mutate(data, export))
