"""A real db_worker killed mid-import: nothing half-imported, the job failed, a re-run works."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from importers.models import STOPPED_REASON, ImportedPage, ImportJob
from tests.importers.notion.builders import generated_export
from wikiapp.models import Page

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
PAGES = 1500  # several seconds of storing, so the kill lands in the middle


def worker_database_url() -> str:
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    auth = f"{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}"
    if db["HOST"].startswith("/"):  # a Unix socket directory
        return f"postgresql://{auth}@/{db['NAME']}?host={quote(db['HOST'], safe='')}"
    return f"postgresql://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up after {seconds} s waiting for {what}")


def test_a_killed_worker_leaves_nothing_behind_and_the_job_can_run_again(
    people, space, client_as, settings, figures
):
    settings.WIKI_IMPORT_STALE_SECONDS = 2
    client = client_as(people.admin)
    client.post(
        "/s/team/-/import/",
        {"source": "notion", "file": SimpleUploadedFile("big.zip", generated_export(PAGES))},
    )
    job = ImportJob.objects.get()
    pages_before = Page.objects.count()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "WIKI_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(
            lambda: ImportJob.objects.filter(pk=job.pk, phase="storing", done__gt=0).exists(),
            90,
            "the worker to start storing pages",
        )
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)

    job.refresh_from_db()
    left_behind = Page.objects.count() - pages_before + ImportedPage.objects.count()
    figures.add("import worker killed", pages_stored_when_killed=job.done, left_behind=left_behind)
    assert job.status == "running"
    assert 0 < job.done < PAGES
    # PostgreSQL rolled the import's transaction back when the connection died.
    assert Page.objects.count() == pages_before
    assert not ImportedPage.objects.exists()

    time.sleep(settings.WIKI_IMPORT_STALE_SECONDS + 1)
    shown = client.get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == STOPPED_REASON
    assert "worker was killed or crashed" in shown

    client.post(f"/s/team/-/import/{job.pk}/again/", {})
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    again = ImportJob.objects.exclude(pk=job.pk).get()
    rerun_pages = Page.objects.count() - pages_before
    figures.add("import worker killed", rerun_pages=rerun_pages)
    assert again.status == "succeeded", again.error
    assert again.report["stored"]["pages_created"] == PAGES
    assert rerun_pages == PAGES
