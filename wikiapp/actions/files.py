"""Attachments and read receipts."""

import hashlib
import mimetypes
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from wikiapp import validation
from wikiapp.models import INLINE_IMAGE_TYPES, Attachment, Page, PageRead

_IMAGE_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}


def _sniffed_type(name: str, head: bytes) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if guessed == "image/webp":
        return (
            guessed if head[:4] == b"RIFF" and head[8:12] == b"WEBP" else "application/octet-stream"
        )
    if guessed in INLINE_IMAGE_TYPES:
        # Shown inline only if the bytes really are that image; otherwise a download.
        ok = any(head.startswith(sig) for sig in _IMAGE_SIGNATURES[guessed])
        return guessed if ok else "application/octet-stream"
    return guessed


def attachment_path(sha256: str) -> str:
    """Where the file with this content is kept: one copy, however many pages attach it."""
    return f"attachments/{sha256[:2]}/{sha256}"


def _lock_content(sha256: str) -> None:
    """Hold this content's file until the transaction ends.

    Files are shared by content, so a failed import's clean-up and an upload of the same
    bytes must not interleave: the upload could find the file, the clean-up delete it, and
    the upload commit a row pointing at nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [sha256])


def discard_unreferenced(sha256s: list[str]) -> list[str]:
    """Delete the files of these contents that no attachment row uses; return those deleted."""
    deleted = []
    for sha256 in sha256s:
        with transaction.atomic():
            _lock_content(sha256)
            if not Attachment.objects.filter(sha256=sha256).exists():
                default_storage.delete(attachment_path(sha256))
                deleted.append(sha256)
    return deleted


_CONTENT_NAME = re.compile(r"[0-9a-f]{64}")


def sweep_unreferenced(*, older_than: timedelta, dry_run: bool = False) -> list[str]:
    """Delete attachment files that no row uses and that are older than `older_than`.

    A failed import removes what it wrote, but a process killed mid-import cannot; this
    finds what it left. Young files are left alone: their upload may not have committed.
    """
    cutoff = timezone.now() - older_than
    try:
        folders = default_storage.listdir("attachments")[0]
    except FileNotFoundError:
        return []
    candidates = []
    for folder in folders:
        for name in default_storage.listdir(f"attachments/{folder}")[1]:
            path = f"attachments/{folder}/{name}"
            ours = _CONTENT_NAME.fullmatch(name) and path == attachment_path(name)
            if ours and default_storage.get_modified_time(path) < cutoff:
                candidates.append(name)
    candidates.sort()
    if dry_run:
        used = Attachment.objects.filter(sha256__in=candidates).values_list("sha256", flat=True)
        return sorted(set(candidates) - set(used))
    return discard_unreferenced(candidates)


def add_attachment(
    *, page: Page, upload: UploadedFile, author, name: str | None = None
) -> Attachment:
    name = validation.clean_file_name(name or upload.name or "")
    limit = settings.WIKI_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            f"{name} is {upload.size or 0:,} bytes; attachments may be at most {limit:,} bytes."
        )
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if len(head) < 16:
            head += chunk[:16]
        digest.update(chunk)
    sha256 = digest.hexdigest()
    with transaction.atomic():
        Page.objects.select_for_update().filter(pk=page.pk).exists()
        if Attachment.objects.filter(page=page, name=name).exists():
            raise ValidationError(f"This page already has an attachment named {name!r}.")
        path = attachment_path(sha256)
        _lock_content(sha256)
        if not default_storage.exists(path):
            upload.seek(0)
            stored = default_storage.save(path, upload)
            if stored != path:  # a concurrent upload of the same bytes won the name
                default_storage.delete(stored)
        attachment = Attachment.objects.create(
            page=page,
            file=path,
            name=name,
            content_type=_sniffed_type(name, head),
            size=upload.size,
            sha256=sha256,
            uploaded_by=author,
        )
        Page.objects.filter(pk=page.pk).update(updated_at=timezone.now())
    return attachment


def mark_read(*, page: Page, user) -> None:
    """Remember that `user` saw the page's current revision (one upsert query)."""
    PageRead.objects.bulk_create(
        [PageRead(page=page, user=user, revision_number=page.version, read_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["page", "user"],
        update_fields=["revision_number", "read_at"],
    )
