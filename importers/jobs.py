"""Imports as background tasks: queue one, run it in `manage.py db_worker`, report progress.

The import itself is one transaction (see pipeline.run_import), so its progress cannot be
written through that connection: nobody would see it before the commit. A heartbeat thread,
which Django gives its own connection, writes the progress every second instead. If the
worker dies, the transaction is rolled back by PostgreSQL and the heartbeat stops, which is
how a stopped job is recognised (ImportJob.objects.fail_stopped).
"""

import logging
import threading

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from importers.models import ImportJob
from importers.pipeline import run_import
from importers.zipsafe import UnsafeArchive

logger = logging.getLogger(__name__)

BEAT_SECONDS = 1.0


def queue_import(*, space, user, source: str, upload, dry_run: bool = False) -> ImportJob:
    """Keep the upload and queue its import; the job is what the admin watches."""
    job = ImportJob(
        space=space,
        created_by=user,
        source=source,
        dry_run=dry_run,
        upload_name=upload.name[:255],
        upload_size=upload.size,
    )
    job.upload.save(upload.name, upload, save=False)
    job.save()
    _enqueue(job)
    return job


def requeue_import(*, job: ImportJob, user, dry_run: bool) -> ImportJob:
    """Run an earlier upload again (after a failure, or for real after a dry run)."""
    if not job.upload or not job.upload.storage.exists(job.upload.name):
        raise ValidationError("The uploaded file is no longer kept; upload the export again.")
    again = ImportJob.objects.create(
        space=job.space,
        created_by=user,
        source=job.source,
        dry_run=dry_run,
        upload=job.upload.name,
        upload_name=job.upload_name,
        upload_size=job.upload_size,
    )
    _enqueue(again)
    return again


def _enqueue(job: ImportJob) -> None:
    # Queued only once the job row is committed, or the worker could miss it.
    def enqueue() -> None:
        result = run_import_job.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)


class _Heartbeat(threading.Thread):
    def __init__(self, job_id: int):
        super().__init__(name=f"import-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.phase = "reading"
        self.done = 0
        self.total = 0
        self.stopping = threading.Event()

    def progress(self, done: int, total: int) -> None:
        self.phase, self.done, self.total = "storing", done, total

    def run(self) -> None:
        try:
            while not self.stopping.wait(BEAT_SECONDS):
                self.beat()
        finally:
            connection.close()  # this thread's own connection

    def beat(self) -> None:
        ImportJob.objects.filter(pk=self.job_id, status=ImportJob.Status.RUNNING).update(
            heartbeat=timezone.now(), phase=self.phase, done=self.done, total=self.total
        )

    def stop(self) -> None:
        self.stopping.set()
        self.join()


@task()
def run_import_job(job_id: int) -> str:
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat=timezone.now(),
        phase="reading",
    )
    if not claimed:
        return "not queued"  # already run, or given up on
    job = ImportJob.objects.select_related("space", "created_by").get(pk=job_id)
    heartbeat = _Heartbeat(job_id)
    heartbeat.start()
    try:
        report = run_import(
            source=job.source,
            file=job.upload.path,
            space_slug=job.space.slug,
            user=job.created_by,
            dry_run=job.dry_run,
            progress=heartbeat.progress,
        )
    except Exception as error:
        heartbeat.stop()
        _fail(job, error)
        if not isinstance(error, UnsafeArchive | ValidationError | OSError):
            raise  # a bug: keep the traceback in the worker's log and the task result
        return "failed"
    heartbeat.stop()
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.SUCCEEDED,
        phase="",
        done=report["pages"],
        total=report["pages"],
        report=report,
        finished_at=timezone.now(),
    )
    if not job.dry_run:
        # The export is in the wiki now; an admin who wants it again has the original.
        name = job.upload.name
        job.upload.delete(save=False)
        ImportJob.objects.filter(upload=name).update(upload="")
    return "succeeded"


def _fail(job: ImportJob, error: Exception) -> None:
    if isinstance(error, ValidationError):
        reason = " ".join(error.messages)
    elif isinstance(error, UnsafeArchive | OSError):
        reason = str(error)
    else:
        logger.exception("Import job %s failed", job.pk)
        reason = f"Unexpected error ({type(error).__name__}); the worker's log has the details."
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED,
        error=f"Nothing was imported: {reason}",
        finished_at=timezone.now(),
    )
