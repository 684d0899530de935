"""An admin imports a Notion export from the browser and watches it finish."""

import re
import struct
import zlib

import pytest
from django.core.management import call_command

from tests.e2e.conftest import axe_violations, keys, log_in, press_tab_until, shot
from tests.importers.notion.builders import export_zip

pytestmark = pytest.mark.e2e

HOME = "2a889dba369b48709ec62508d5020d93"
SUB = "25592a85546546a48b02dfa4fb545e1d"


def png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x1f\x5f\xbf" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def export() -> bytes:
    return export_zip(
        [
            {
                f"Onboarding {HOME}.md": "# Onboarding\n\n"
                f"Read [our rules](Onboarding%20{HOME}/Team%20rules%20{SUB}.md).\n\n"
                f"![Team chart](Onboarding%20{HOME}/team%20chart.png)\n",
                f"Onboarding {HOME}/team chart.png": png(),
                f"Onboarding {HOME}/Team rules {SUB}.md": "# Team rules\n\nWe review every PR.\n",
            }
        ]
    )


def test_an_admin_imports_an_export_and_sees_the_report(tab, live_server, team, tmp_path):
    upload = tmp_path / "notion-export.zip"
    upload.write_bytes(export())
    log_in(tab, live_server, "ada", "ada-password-123")
    tab.goto(f"{live_server.url}/s/team/")
    press_tab_until(tab, ".space-nav a[href$='/-/import/']")
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/s/team/-/import/$"))
    tab.locator("h1", has_text="Import into Team").wait_for()
    assert axe_violations(tab) == []

    press_tab_until(tab, "input[name=source]")
    keys(tab, "ArrowDown")  # radio group: the second choice is Notion
    assert tab.locator("input[name=source][value=notion]").is_checked()
    # A file chooser is the operating system's; Playwright fills it in directly.
    tab.locator("input[type=file]").set_input_files(str(upload))
    press_tab_until(tab, "button[type=submit]")
    keys(tab, "Enter")
    tab.wait_for_url(re.compile(r"/s/team/-/import/\d+/$"))
    tab.locator(".job-status", has_text="Waiting for the worker").wait_for()
    tab.evaluate("window.__sameDocument = true")
    shot(tab, "import-queued")

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    # htmx polling swaps the finished status in; the document is not reloaded.
    tab.locator(".job-status", has_text="Finished").wait_for(timeout=10_000)
    assert tab.evaluate("window.__sameDocument") is True
    assert tab.locator(".report-counts").inner_text().startswith("Pages\n2")
    assert tab.locator(".report-kinds tbody tr").count() == 2
    shot(tab, "import-report")
    assert axe_violations(tab) == []

    tab.locator(".report-kinds a", has_text="Onboarding").click()
    tab.wait_for_url(re.compile(r"/s/team/onboarding/$"))
    image = tab.locator(".prose img[alt='Team chart']")
    image.wait_for()
    assert image.get_attribute("src") == "/s/team/onboarding/files/team%20chart.png"
    tab.wait_for_function('document.querySelector(".prose img").naturalWidth === 3')
    link = tab.locator(".prose a.wikilink", has_text="our rules")
    assert link.get_attribute("href") == "/s/team/team-rules/"
    assert tab.console_errors == []
