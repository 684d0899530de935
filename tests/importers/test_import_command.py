"""The import_notion command: dry run, real run, re-run, report file and hostile uploads."""

import json

import pytest
from django.core.management import CommandError, call_command

from importers.models import ImportedPage
from tests.importers.notion.builders import export_zip
from wikiapp.models import Page, Space

pytestmark = pytest.mark.django_db

HOME = "2a889dba369b48709ec62508d5020d93"
ADRS = "c86dcb5c74ae4e5399086dd0b8272e87"
ROW = "152bb52ee2b581969debf801f63aa833"


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(
        export_zip(
            [
                {
                    f"Home {HOME}.md": f"# Home\n\nSee [the log](Decisions%20{ADRS}.csv).\n",
                    f"Decisions {ADRS}_all.csv": "\ufeffName,Status,Owner,Date\n"
                    'Use PostgreSQL ,Accepted,ada,"May 4, 2021"\n',
                },
                {
                    f"Decisions {ADRS}/Use PostgreSQL {ROW}.md": "# Use PostgreSQL\n\n"
                    "Status: Accepted\nOwner: ada\nDate: May 4, 2021\n\n## Context\nOne DB.\n",
                },
            ]
        )
    )
    return path


def test_a_dry_run_reports_and_stores_nothing(export, tmp_path, people):
    report_file = tmp_path / "report.json"
    call_command(
        "import_notion",
        str(export),
        space="imported",
        dry_run=True,
        report=str(report_file),
        verbosity=0,
    )
    report = json.loads(report_file.read_text())
    assert (report["pages"], report["revisions"], report["attachments"]) == (3, 3, 0)
    assert report["links"] == {"total": 1, "resolved": 1, "external": 0, "unresolved": 0}
    assert report["kinds"] == {"page": 2, "decision": 1}
    assert not Space.objects.filter(slug="imported").exists()


def test_an_import_creates_the_space_and_classifies_database_rows(export, people):
    call_command("import_notion", str(export), space="imported", verbosity=0)
    decision = Page.objects.get(space__slug="imported", title="Use PostgreSQL")
    assert decision.kind == "decision"
    assert decision.fields["status"] == "accepted" and decision.fields["date"] == "2021-05-04"
    assert decision.parent.title == "Decisions"
    home = Page.objects.get(space__slug="imported", title="Home")
    assert "[[Decisions|the log]]" in home.current.body


def test_importing_again_creates_no_duplicates(export, people, tmp_path):
    call_command("import_notion", str(export), space="imported", verbosity=0)
    report_file = tmp_path / "again.json"
    call_command(
        "import_notion", str(export), space="imported", report=str(report_file), verbosity=0
    )
    stored = json.loads(report_file.read_text())["stored"]
    assert stored == {"pages_created": 0, "pages_updated": 0, "revisions": 0, "attachments": 0}
    assert Page.objects.filter(space__slug="imported").count() == 3
    assert ImportedPage.objects.count() == 3


def test_a_hostile_upload_is_refused_with_a_clear_message_and_nothing_stored(tmp_path, people):
    from tests.importers.notion.builders import zip_bytes

    evil = tmp_path / "evil.zip"
    evil.write_bytes(zip_bytes({"../../etc/passwd": "x"}))
    with pytest.raises(CommandError, match=r"Nothing was imported: .*escapes the archive"):
        call_command("import_notion", str(evil), space="imported", verbosity=0)
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("just text")
    with pytest.raises(CommandError, match="not a readable zip file"):
        call_command("import_notion", str(not_zip), space="imported", verbosity=0)
    assert not Space.objects.filter(slug="imported").exists()
