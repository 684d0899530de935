"""Import jobs, and which wiki page each imported source page became."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

STOPPED_REASON = (
    "The import stopped without finishing: its worker was killed or crashed. "
    "Nothing was stored; run it again."
)


class ImportedPage(models.Model):
    space = models.ForeignKey("wikiapp.Space", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=16)  # confluence | notion
    source_id = models.CharField(max_length=200)
    page = models.OneToOneField("wikiapp.Page", on_delete=models.CASCADE, related_name="import_of")
    # The last source version stored, so a re-import adds only what is new.
    last_version = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "source", "source_id"], name="imported_page_unique_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id} -> page {self.page_id}"


class ImportJobQuerySet(models.QuerySet):
    def fail_stopped(self) -> int:
        """Mark running jobs whose worker went silent as failed; how many were."""
        silent_since = timezone.now() - timedelta(seconds=settings.WIKI_IMPORT_STALE_SECONDS)
        return self.filter(status="running", heartbeat__lt=silent_since).update(
            status="failed", error=STOPPED_REASON, finished_at=timezone.now()
        )


def _upload_path(job: "ImportJob", filename: str) -> str:
    # The admin's file name is kept on the job; on disk only a fresh random name is used.
    return f"imports/{uuid.uuid4().hex}.zip"


class ImportJob(models.Model):
    """One upload imported (or checked) in the background, with its progress and report."""

    class Source(models.TextChoices):
        CONFLUENCE = "confluence", "Confluence (HTML or XML export)"
        NOTION = "notion", "Notion (Markdown & CSV or HTML export)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    space = models.ForeignKey("wikiapp.Space", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=16, choices=Source.choices)
    dry_run = models.BooleanField(default=False)
    upload = models.FileField(upload_to=_upload_path, blank=True)
    upload_name = models.CharField(max_length=255)
    upload_size = models.BigIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=32, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="import_job_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import of {self.upload_name} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("wiki:import_job", args=[self.space.slug, self.pk])

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
