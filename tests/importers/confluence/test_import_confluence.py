"""import_confluence end to end: both export formats stored, history kept, re-runs idempotent."""

import json

import pytest
from django.core.management import CommandError, call_command

from importers.models import ImportedPage
from tests.importers.builders import make_zip
from tests.importers.confluence import html_builders
from tests.importers.confluence.xml_builders import Backup
from wikiapp.models import Attachment, Page, Revision

pytestmark = pytest.mark.django_db

ALICE, BOB = "8a7f808a4f1c", "8a7f808a4f1d"


LATEST = (
    '<p>See <ac:link><ri:page ri:content-title="Runbook: restart" /></ac:link>.</p>'
    '<ac:image><ri:attachment ri:filename="flow chart.png" /></ac:image>'
)


def xml_backup(*, edited_again: bool = False) -> Backup:
    """Three versions of the decision log; edited_again: the same backup after a fourth."""
    backup = Backup().user(ALICE, "alice").user(BOB, "bob").space(home="100")
    versions = ["101", "102"] + (["103"] if edited_again else [])
    backup.page(
        "100",
        "Decision log",
        "<p>Edited once more.</p>" if edited_again else LATEST,
        version=len(versions) + 1,
        modifier=BOB,
        modified="2016-05-12 09:00:00.000",
        comment="latest",
        historical=tuple(versions),
    )
    for number, page_id in enumerate(versions, start=1):
        backup.page(
            page_id,
            "Decision log",
            LATEST if number == 3 else f"<p>Version {number}</p>",
            version=number,
            original="100",
            modifier=ALICE,
            modified=f"2016-05-1{number - 1} 10:00:00.000",
            comment=f"v{number}",
            space=None,
        )
    backup.page("200", "Runbook: restart", "<p>Restart it.</p>", parent="100", position=0)
    backup.attachment("300", "flow chart.png", page="100", data=html_builders.PNG)
    return backup


def run(path, *args) -> None:
    call_command("import_confluence", str(path), "--space", "ops", *args, verbosity=0)


def test_an_xml_backup_keeps_history_authors_and_attachments(tmp_path, people):
    export = tmp_path / "backup.zip"
    export.write_bytes(xml_backup().zip())
    run(export, "--report", str(tmp_path / "report.json"))

    log = Page.objects.get(space__slug="ops", title="Decision log")
    history = list(log.revisions.order_by("number"))
    assert [(r.body.strip(), r.author_name, r.message) for r in history[:2]] == [
        ("Version 1", "alice", "v1"),
        ("Version 2", "alice", "v2"),
    ]
    assert history[-1].author_name == "bob" and history[-1].message == "latest"
    assert [r.created_at.day for r in history] == [10, 11, 12]
    runbook = Page.objects.get(space__slug="ops", title="Runbook: restart")
    assert runbook.parent == log and runbook.kind == "runbook"
    assert Attachment.objects.get(page=log).name == "flow chart.png"
    shown = log.html or log.current.html
    assert '<a class="wikilink" href="/s/ops/runbook-restart/"' in shown
    assert 'src="/s/ops/decision-log/files/flow%20chart.png"' in shown
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["links"]["resolved"] == 1 and report["revisions"] == 4


def test_a_newer_backup_adds_only_the_new_versions(tmp_path, people):
    export = tmp_path / "backup.zip"
    export.write_bytes(xml_backup().zip())
    run(export)
    revisions = Revision.objects.count()
    export.write_bytes(xml_backup(edited_again=True).zip())
    run(export)
    log = Page.objects.get(space__slug="ops", title="Decision log")
    assert Revision.objects.count() == revisions + 1
    assert log.current.body.strip() == "Edited once more." and log.version == 4
    assert ImportedPage.objects.filter(space__slug="ops").count() == 2
    assert Page.objects.filter(space__slug="ops").count() == 2


def test_an_html_export_is_stored_with_its_tree_and_attachments(tmp_path, people):
    export = tmp_path / "html.zip"
    files = html_builders.sample_files()
    export.write_bytes(
        make_zip({p: c.encode() if isinstance(c, str) else c for p, c in files.items()})
    )
    run(export, "--dry-run")
    assert not Page.objects.filter(space__slug="ops").exists()
    run(export)
    home = Page.objects.get(space__slug="ops", title="Home")
    guide = Page.objects.get(space__slug="ops", title="Getting started")
    assert guide.parent == home
    assert set(Attachment.objects.filter(page=home).values_list("name", flat=True)) >= {
        "diagram v2.png",
        "spec sheet.pdf",
    }
    pages = Page.objects.filter(space__slug="ops").count()
    run(export)
    assert Page.objects.filter(space__slug="ops").count() == pages


def test_a_backup_with_a_dtd_is_refused_and_stores_nothing(tmp_path, people):
    export = tmp_path / "evil.zip"
    export.write_bytes(
        make_zip(
            {
                "entities.xml": b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
                b"<hibernate-generic>&a;</hibernate-generic>"
            }
        )
    )
    with pytest.raises(CommandError, match=r"Nothing was imported.*DTD"):
        run(export)
    assert not Page.objects.filter(space__slug="ops").exists()
