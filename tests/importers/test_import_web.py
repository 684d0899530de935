"""The Import page: upload, background run in db_worker, progress, report, re-runs."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from importers.models import STOPPED_REASON, ImportJob
from tests.importers.builders import make_zip
from tests.importers.notion.builders import export_zip
from wikiapp.models import Page

# The worker closes connections it finds inside a transaction, as a test's would be.
pytestmark = pytest.mark.django_db(transaction=True)

HOME = "2a889dba369b48709ec62508d5020d93"
SUB = "25592a85546546a48b02dfa4fb545e1d"


def notion_export() -> bytes:
    return export_zip(
        [
            {
                f"Home {HOME}.md": f"# Home\n\nSee [the rules](Home%20{HOME}/Rules%20{SUB}.md).\n",
                f"Home {HOME}/Rules {SUB}.md": "# Working agreement\n\nWe review every PR.\n",
            }
        ]
    )


def upload(client, data: bytes, *, name="export.zip", source="notion", dry_run=False):
    form = {"source": source, "file": SimpleUploadedFile(name, data)}
    if dry_run:
        form["dry_run"] = "on"
    return client.post("/s/team/-/import/", form)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def admin(people, space, client_as):
    return client_as(people.admin)


def test_an_admin_uploads_an_export_and_the_worker_imports_it(admin, space):
    response = upload(admin, notion_export())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/s/team/-/import/{job.pk}/"
    assert job.status == "queued"
    assert DBTaskResult.objects.get().status == "READY"

    run_worker()

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.report["pages"] == 2
    assert job.report["links"] == {"total": 1, "resolved": 1, "external": 0, "unresolved": 0}
    assert set(Page.objects.filter(space=space).values_list("title", flat=True)) >= {
        "Home",
        "Working agreement",
    }
    assert not job.upload  # the export is in the wiki now
    page = admin.get(job.get_absolute_url()).content.decode()
    assert "Imported" in page
    assert "2 new" in page
    assert 'href="/s/team/working-agreement/"' in page
    assert '<td>Working agreement <a href="/s/team/working-agreement/kind/"' in page


def test_a_check_only_run_stores_nothing_and_can_then_be_imported(admin, space):
    upload(admin, notion_export(), dry_run=True)
    run_worker()
    check = ImportJob.objects.get()
    assert check.status == "succeeded"
    assert check.report["dry_run"] is True
    assert not Page.objects.filter(title="Working agreement").exists()
    assert "Import it now" in admin.get(check.get_absolute_url()).content.decode()

    response = admin.post(f"/s/team/-/import/{check.pk}/again/", {})
    again = ImportJob.objects.exclude(pk=check.pk).get()
    assert response["Location"] == again.get_absolute_url()
    run_worker()
    again.refresh_from_db()
    assert again.status == "succeeded" and again.dry_run is False
    assert Page.objects.filter(title="Working agreement").exists()


def test_a_file_that_is_not_a_zip_is_refused_at_once(admin):
    response = upload(admin, b"just some text", name="export.zip")
    assert response.status_code == 400
    assert "This is not a zip file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_export_over_the_size_limit_is_refused(admin, settings):
    settings.WIKI_MAX_IMPORT_BYTES = 100
    response = upload(admin, notion_export())
    assert response.status_code == 400
    assert "at most 100" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_hostile_zip_fails_the_job_with_its_reason_and_stores_nothing(admin, space):
    pages_before = Page.objects.count()
    upload(admin, make_zip({"../../etc/evil.md": b"# Evil"}))
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.error.startswith("Nothing was imported:")
    assert ".." in job.error
    assert Page.objects.count() == pages_before
    page = admin.get(job.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page
    assert "Run it again" in page  # the upload is kept for another try


def test_progress_is_polled_as_a_fragment_until_the_job_ends(admin, space):
    upload(admin, notion_export())
    job = ImportJob.objects.get()
    polled = admin.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    html = polled.content.decode()
    assert html.lstrip().startswith('<section id="job-status"')
    assert 'hx-trigger="every 1s"' in html
    assert "db_worker" in html
    run_worker()
    done = admin.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done  # polling stops with the report
    assert "Imported" in done


def test_a_job_whose_worker_went_silent_shows_as_failed(admin, space):
    job = ImportJob.objects.create(
        space=space,
        created_by=space.memberships.get(role="admin").user,
        source="notion",
        upload_name="big.zip",
        status="running",
        heartbeat=timezone.now() - timedelta(minutes=5),
    )
    page = admin.get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == STOPPED_REASON
    assert "worker was killed or crashed" in page


def test_the_report_downloads_as_json(admin, space):
    upload(admin, notion_export())
    run_worker()
    job = ImportJob.objects.get()
    response = admin.get(f"/s/team/-/import/{job.pk}/report.json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["pages"] == 2
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["editor", "reader"])
def test_only_space_admins_may_import(role, people, space, client_as):
    response = upload(client_as(getattr(people, role)), notion_export())
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_the_import_page_lists_earlier_jobs(admin, space, django_assert_num_queries):
    upload(admin, notion_export(), name="first.zip", dry_run=True)
    upload(admin, notion_export(), name="second.zip")
    with django_assert_num_queries(5):  # session, user, space+role, stale check, jobs
        html = admin.get("/s/team/-/import/").content.decode()
    assert "first.zip" in html and "second.zip" in html
    assert "(check only)" in html
