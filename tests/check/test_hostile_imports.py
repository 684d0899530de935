"""Hostile exports through the real Import page and the real import worker.

Each one is uploaded by the space admin at /s/team/-/import/, then run by `db_worker` as in
production. It must be refused (a 400 from the form, or a failed job whose page says why),
never a server error, within a time and memory bound, and must leave nothing stored.
"""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from importers.models import ImportJob
from tests.check.hostile import (
    HOME,
    MEMORY_LIMIT,
    Hostile,
    bounded,
    deeply_nested_exports,
    failed_in_the_job,
    notion,
    refused_at_upload,
    stored,
)
from tests.importers.builders import make_zip
from wikiapp.models import Page

# The worker closes connections it finds inside a transaction, as a test's would be.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin(people, space) -> Client:
    client = Client(raise_request_exception=False)  # a crash must show as a 500, counted
    client.force_login(people.admin)
    return client


def upload(client: Client, case: Hostile):
    form = {"source": case.source, "file": SimpleUploadedFile(case.name, case.data)}
    return client.post("/s/team/-/import/", form)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def import_through_the_web(client: Client, case: Hostile) -> dict:
    """Upload, run the worker if a job was queued, and look at the job page."""
    with bounded() as memory:
        response = upload(client, case)
        if response.status_code == 302:
            run_worker()
    job = ImportJob.objects.first()  # the newest
    page = client.get(job.get_absolute_url()) if job else None
    task = DBTaskResult.objects.filter(id=job.task_id).first() if job else None
    statuses = [response.status_code, page.status_code if page else 200]
    return {
        "response": response,
        "job": job,
        "page": page.content.decode() if page else "",
        "server_error": any(status >= 500 for status in statuses)
        or (task is not None and task.status != "SUCCESSFUL"),  # the task itself raised
        "peak": memory["peak"],
    }


# No job is queued, so no worker runs: these need no committed transaction.
@pytest.mark.django_db
@pytest.mark.parametrize("case", refused_at_upload(), ids=str)
def test_the_upload_form_refuses_what_is_not_a_zip(case, admin, figures):
    before = stored()
    result = import_through_the_web(admin, case)
    kept = stored() != before or result["job"] is not None
    figures.add("hostile inputs", tried=1, stored=int(kept), server_errors=result["server_error"])

    assert result["response"].status_code == 400
    assert escape(case.message) in result["response"].content.decode()
    assert not kept
    assert result["peak"] < MEMORY_LIMIT


@pytest.mark.django_db
def test_an_export_over_the_upload_limit_is_refused_before_it_is_kept(admin, settings, figures):
    settings.WIKI_MAX_IMPORT_BYTES = 1024**2
    noise = random.Random(1).randbytes(2 * 1024**2)  # incompressible: the zip stays 2 MB
    case = Hostile("over the upload limit", make_zip({"a.bin": noise}), "at most 1")
    before = stored()
    result = import_through_the_web(admin, case)
    kept = stored() != before or result["job"] is not None
    figures.add("hostile inputs", tried=1, stored=int(kept), server_errors=result["server_error"])

    assert result["response"].status_code == 400
    assert "at most 1.0" in result["response"].content.decode()
    assert not kept


def check_the_job_fails_and_stores_nothing(admin: Client, case: Hostile, figures) -> None:
    before = stored()
    result = import_through_the_web(admin, case)
    after = stored()
    figures.add(
        "hostile inputs", tried=1, stored=int(after != before), server_errors=result["server_error"]
    )

    assert result["response"].status_code == 302, "the upload form refused it"
    job = result["job"]
    assert job.status == "failed"
    assert job.error.startswith("Nothing was imported: ")
    assert case.message in job.error
    assert "Unexpected error" not in job.error
    assert escape(job.error) in result["page"]  # the admin reads the reason on the job page
    assert "root:x:0:0" not in job.error + result["page"]  # nothing of /etc/passwd
    assert not result["server_error"]
    assert after == before
    assert result["peak"] < MEMORY_LIMIT


def test_every_hostile_export_fails_its_job_with_its_reason_and_stores_nothing(admin, figures):
    # One test for all of them: each transactional test costs a flush of every table.
    problems = {}
    for case in failed_in_the_job():
        try:
            check_the_job_fails_and_stores_nothing(admin, case, figures)
        except AssertionError as error:
            problems[case.label] = str(error).split("\n")[0]
    assert not problems, "\n".join(f"{label}: {reason}" for label, reason in problems.items())


def _import_kept_safely(admin, case, figures):
    """Import an input the wiki keeps in a safe form; count it among the hostile inputs."""
    result = import_through_the_web(admin, case)
    job = result["job"]
    figures.add(
        "hostile inputs",
        tried=1,
        accepted_safely=int(job.status == "succeeded"),
        server_errors=result["server_error"],
    )
    return result, job


@pytest.mark.parametrize("case", deeply_nested_exports(), ids=str)
def test_a_deeply_nested_page_is_imported_as_plain_text_without_a_crash(case, admin, figures):
    result, job = _import_kept_safely(admin, case, figures)

    assert job.status == "succeeded", job.error
    page = Page.objects.get(space__slug="team")
    with bounded() as memory:
        shown = admin.get(page.get_absolute_url())
    assert shown.status_code == 200
    assert "end" in shown.content.decode()
    assert case.message in shown.content.decode() + result["page"]
    assert result["peak"] < MEMORY_LIMIT and memory["peak"] < MEMORY_LIMIT


def test_invalid_utf8_in_a_page_is_replaced_and_reported(admin, figures):
    case = Hostile(
        "invalid UTF-8 in a page", notion({f"Home {HOME}.md": b"# Home\n\nbad \xff"}), ""
    )
    result, job = _import_kept_safely(admin, case, figures)

    assert job.status == "succeeded", job.error
    assert Page.objects.get(title="Home").current.body == "bad \ufffd"
    assert "not valid UTF-8; undecodable bytes replaced" in result["page"]
