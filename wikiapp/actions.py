"""Every way wiki data changes. Views, importers and the API call these; nothing else writes.

Each action is atomic, takes keyword-only arguments and validates its input, so bad
input raises ValidationError and stores nothing.
"""

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from wikiapp import rendering, search, validation
from wikiapp.merging import MergeOutcome, three_way
from wikiapp.models import (
    INLINE_IMAGE_TYPES,
    Attachment,
    Membership,
    Origin,
    Page,
    PageRead,
    PageRedirect,
    Revision,
    Role,
    Space,
)
from wikiapp.selectors import ancestor_ids


class EditConflict(Exception):
    """The page changed since the editor's base version and the edits overlap."""

    def __init__(self, *, page: Page, base: Revision, current: Revision, outcome: MergeOutcome):
        self.page = page
        self.base = base
        self.current = current
        self.outcome = outcome
        super().__init__(
            f"{page.title!r} changed since version {base.number}: "
            f"your edit conflicts in {', '.join(outcome.conflicts)}"
        )


class StaleVersion(Exception):
    """The page moved on since the user looked; they must look again before acting."""


@dataclass(frozen=True)
class Provenance:
    """Where a revision comes from: a web edit by default, or an import, API call or restore."""

    origin: str = Origin.WEB
    author_name: str = ""  # the source's author when they have no account here
    source_id: str = ""
    source_version: str = ""
    created_at: datetime | None = None  # the source's own time; now when None


WEB = Provenance()


@dataclass(frozen=True)
class SaveResult:
    page: Page
    revision: Revision
    merged: bool = False  # another edit landed meanwhile and was merged with this one
    unchanged: bool = False  # nothing differed from the current revision; nothing stored


# Spaces and members


@transaction.atomic
def create_space(*, slug: str, name: str, created_by, description: str = "") -> Space:
    name = validation.clean_title(name, label="Space name")
    slug = validation.clean_slug(slug or slugify(name))
    if Space.objects.filter(slug=slug).exists():
        raise ValidationError(f"A space with the address {slug!r} already exists.")
    space = Space.objects.create(
        slug=slug, name=name, description=validation.clean_text(description, label="Description")
    )
    if created_by is not None:
        Membership.objects.create(space=space, user=created_by, role=Role.ADMIN)
    return space


@transaction.atomic
def set_role(*, space: Space, user, role: str, acting_user) -> Membership:
    """Add `user` to `space` with `role`, or change their role."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}; choose reader, editor or admin.")
    membership = Membership.objects.select_for_update().filter(space=space, user=user).first()
    if membership is None:
        return Membership.objects.create(space=space, user=user, role=role)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _keep_one_admin(space, leaving=user)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, space: Space, user, acting_user) -> None:
    membership = Membership.objects.select_for_update().filter(space=space, user=user).first()
    if membership is None:
        raise ValidationError(f"{user} is not a member of {space}.")
    if membership.role == Role.ADMIN:
        _keep_one_admin(space, leaving=user)
    membership.delete()


def _keep_one_admin(space: Space, *, leaving) -> None:
    admins = (
        Membership.objects.select_for_update()
        .filter(space=space, role=Role.ADMIN)
        .exclude(user=leaving)
    )
    if not admins.exists():
        raise ValidationError("A space needs at least one admin; make someone else admin first.")


# Pages and revisions


def _unique_slug(space: Space, title: str, *, exclude_page: Page | None = None) -> str:
    base = slugify(title, allow_unicode=True)[:180].strip("-_") or "page"
    taken_pages = Page.objects.filter(space=space, slug__startswith=base)
    if exclude_page is not None:
        taken_pages = taken_pages.exclude(pk=exclude_page.pk)
    taken = set(taken_pages.values_list("slug", flat=True))
    taken |= set(
        PageRedirect.objects.filter(space=space, slug__startswith=base)
        .exclude(page=exclude_page)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def render_body(space: Space, body: str) -> str:
    """Sanitised HTML for `body`, with [[wiki links]] resolved against `space`."""
    titles = rendering.wiki_link_titles(body)
    links: dict[str, str] = {}
    if titles:
        # PostgreSQL lowercases but cannot casefold; candidates come by lower(), and the
        # final match uses the same key as the renderer.
        candidates = {" ".join(t.split()).lower() for t in titles}
        candidates |= {rendering.title_key(t) for t in titles}
        rows = (
            Page.objects.filter(space=space)
            .annotate(lower_title=Lower("title"))
            .filter(lower_title__in=candidates)
            .values_list("title", "slug")
        )
        for title, slug in rows:
            links[rendering.title_key(title)] = reverse("wiki:page", args=[space.slug, slug])
    create_url = reverse("wiki:page_create", args=[space.slug])
    return rendering.render_markdown(
        body, links=links, missing_url=lambda t: f"{create_url}?title={quote(t)}"
    )


def _write_revision(
    *,
    page: Page,
    title: str,
    body: str,
    fields: dict,
    html: str,
    author,
    message: str,
    provenance: Provenance,
) -> Revision:
    """Append the next revision to a page locked by the caller and make it current."""
    when = provenance.created_at or timezone.now()
    revision = Revision.objects.create(
        page=page,
        number=page.version + 1,
        title=title,
        body=body,
        fields=fields,
        html=html,
        author=author,
        author_name=provenance.author_name,
        created_at=when,
        message=message,
        origin=provenance.origin,
        source_id=provenance.source_id,
        source_version=provenance.source_version,
    )
    page.version = revision.number
    page.current = revision
    page.title = title
    page.fields = fields
    page.updated_at = max(when, page.updated_at) if page.updated_at else when
    page.search_vector = search.document_vector(title=title, fields=fields, body=body)
    page.title_vector = search.title_vector(title)
    page.save(
        update_fields=[
            "version",
            "current",
            "title",
            "fields",
            "updated_at",
            "search_vector",
            "title_vector",
        ]
    )
    # The two are SQL expressions until reloaded: forget them, so reading one loads the
    # stored vector and a later save cannot write a stale expression back.
    del page.search_vector, page.title_vector
    return revision


def create_page(
    *,
    space: Space,
    title: str,
    author,
    body: str = "",
    parent: Page | None = None,
    kind: str = "page",
    fields: dict | None = None,
    message: str = "",
    provenance: Provenance = WEB,
) -> Page:
    title = validation.clean_title(title)
    body = validation.clean_body(body)
    kind = validation.clean_kind(kind)
    fields = validation.clean_fields(fields or {}, kind=kind)
    message = validation.clean_message(message)
    if parent is not None and parent.space_id != space.pk:
        raise ValidationError("A page's parent must be in the same space.")
    html = render_body(space, body)
    when = provenance.created_at or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                position = (
                    Page.objects.filter(space=space, parent=parent).aggregate(m=Max("position"))[
                        "m"
                    ]
                    or 0
                ) + 1
                page = Page.objects.create(
                    space=space,
                    parent=parent,
                    slug=_unique_slug(space, title),
                    title=title,
                    kind=kind,
                    position=position,
                    created_at=when,
                    updated_at=when,
                )
                _write_revision(
                    page=page,
                    title=title,
                    body=body,
                    fields=fields,
                    html=html,
                    author=author,
                    message=message or "Created",
                    provenance=provenance,
                )
                return page
        except IntegrityError as error:
            # Another page took the same slug between our check and insert: pick again.
            if "page_slug_unique_in_space" not in str(error):
                raise
    raise ValidationError("Could not find a free address for this page; try another title.")


def save_revision(
    *,
    page: Page,
    base_version: int,
    title: str,
    body: str,
    author,
    fields: dict | None = None,
    message: str = "",
    provenance: Provenance = WEB,
) -> SaveResult:
    """Save an edit that started from `base_version`.

    If the page moved on meanwhile, the edit is merged three-way with what was saved
    since; overlapping changes raise EditConflict and store nothing.
    """
    title = validation.clean_title(title)
    body = validation.clean_body(body)
    fields = validation.clean_fields(fields if fields is not None else page.fields, kind=page.kind)
    message = validation.clean_message(message)
    html = render_body(page.space, body)
    with transaction.atomic():
        # Lock the bare row, then read the current revision in a new statement: a join in
        # the locking query would be re-checked against a snapshot that predates the
        # revision a concurrent save just wrote.
        locked = Page.objects.select_for_update().get(pk=page.pk)
        locked.space = page.space
        locked.current = Revision.objects.get(pk=locked.current_id)
        if not 1 <= base_version <= locked.version:
            raise ValidationError(
                f"Version {base_version} of {locked.title!r} does not exist; reload the page."
            )
        merged = False
        current = locked.current
        if base_version != locked.version:
            base = locked.revisions.get(number=base_version)
            outcome = three_way(
                base=(base.title, base.body, base.fields),
                theirs=(current.title, current.body, current.fields),
                mine=(title, body, fields),
            )
            if not outcome.clean:
                raise EditConflict(page=locked, base=base, current=current, outcome=outcome)
            merged = True
            if outcome.body != body:
                html = render_body(locked.space, outcome.body)
            title, body, fields = outcome.title, outcome.body, outcome.fields
        if (title, body, fields) == (current.title, current.body, current.fields):
            return SaveResult(page=locked, revision=current, merged=merged, unchanged=True)
        revision = _write_revision(
            page=locked,
            title=title,
            body=body,
            fields=fields,
            html=html,
            author=author,
            message=message,
            provenance=provenance,
        )
    return SaveResult(page=locked, revision=revision, merged=merged)


def restore_revision(*, page: Page, number: int, base_version: int, author) -> SaveResult:
    """Make an old revision's content current again, as a new revision."""
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        locked.space = page.space
        if locked.version != base_version:
            raise StaleVersion(
                f"{locked.title!r} changed since you looked (now version {locked.version}). "
                "Review the history again before restoring."
            )
        old = locked.revisions.filter(number=number).first()
        if old is None:
            raise ValidationError(f"Version {number} of {locked.title!r} does not exist.")
        return save_revision(
            page=locked,
            base_version=base_version,
            title=old.title,
            body=old.body,
            fields=old.fields,
            author=author,
            message=f"Restored version {number}",
            provenance=Provenance(origin=Origin.RESTORE, source_version=str(number)),
        )


def rename_page(*, page: Page, title: str, base_version: int, author) -> SaveResult:
    """Change the title (a new revision) and the address; the old address redirects."""
    with transaction.atomic():
        result = save_revision(
            page=page,
            base_version=base_version,
            title=title,
            body=page.current.body,
            fields=page.current.fields,
            author=author,
            message=f"Renamed from {page.title!r}",
        )
        locked = result.page
        new_slug = _unique_slug(locked.space, locked.title, exclude_page=locked)
        if new_slug != locked.slug:
            PageRedirect.objects.filter(space=locked.space, slug=new_slug).delete()
            PageRedirect.objects.create(space=locked.space, slug=locked.slug, page=locked)
            locked.slug = new_slug
            locked.save(update_fields=["slug"])
    return result


@transaction.atomic
def move_page(*, page: Page, parent: Page | None, acting_user, position: int | None = None) -> Page:
    """Put `page` (with its subtree) under `parent`, at `position` among its new siblings."""
    locked = Page.objects.select_for_update().get(pk=page.pk)
    if parent is not None:
        if parent.space_id != locked.space_id:
            raise ValidationError("A page can only move within its space.")
        if parent.pk == locked.pk or locked.pk in ancestor_ids(parent):
            raise ValidationError("A page cannot move under itself or one of its own subpages.")
    siblings = list(
        Page.objects.select_for_update()
        .filter(space_id=locked.space_id, parent=parent)
        .exclude(pk=locked.pk)
        .order_by("position", "title")
    )
    index = len(siblings) if position is None else max(0, min(position, len(siblings)))
    siblings.insert(index, locked)
    locked.parent = parent
    for n, sibling in enumerate(siblings, start=1):
        sibling.position = n
        if sibling is locked:
            sibling.parent = parent
    Page.objects.bulk_update(siblings, ["position", "parent"])
    return locked


# Attachments and reads


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
        path = f"attachments/{sha256[:2]}/{sha256}"
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
