"""Pages and their revisions: the one save path, with merge, restore, rename and move."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from wikiapp import search, validation
from wikiapp.actions.links import refresh_links_to, render_body
from wikiapp.merging import MergeOutcome, three_way
from wikiapp.models import Origin, Page, PageRedirect, Revision, Space
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
    page.html = ""  # the revision's own HTML is current again
    page.title = title
    page.fields = fields
    page.updated_at = max(when, page.updated_at) if page.updated_at else when
    page.search_vector = search.document_vector(title=title, fields=fields, body=body)
    page.title_vector = search.title_vector(title)
    page.save(
        update_fields=[
            "version",
            "current",
            "html",
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
    refresh_links: bool = True,
) -> Page:
    """A new page with its first revision.

    Pages already linking to its title show the link as present from now on; an importer
    creating many pages passes refresh_links=False and refreshes once at the end.
    """
    title = validation.clean_title(title)
    body = validation.clean_body(body)
    kind = validation.clean_kind(kind)
    fields = validation.clean_fields(fields or {}, kind=kind)
    message = validation.clean_message(message)
    if parent is not None and parent.space_id != space.pk:
        raise ValidationError("A page's parent must be in the same space.")
    when = provenance.created_at or timezone.now()
    for _attempt in range(5):
        slug = _unique_slug(space, title)
        html = render_body(space, body, slug)
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
                    slug=slug,
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
                if refresh_links:
                    refresh_links_to(space, title)
                return page
        except IntegrityError as error:
            # Another page took the same slug between our check and insert: pick again.
            if "page_slug_unique_in_space" not in str(error):
                raise
    raise ValidationError("Could not find a free address for this page; try another title.")


def lock_page(page: Page, base_version: int) -> Page:
    """The page locked for a change made from `base_version`, with its current revision.

    Lock the bare row, then read the current revision in a new statement: a join in the
    locking query would be re-checked against a snapshot that predates the revision a
    concurrent save just wrote. Call inside a transaction.
    """
    locked = Page.objects.select_for_update().get(pk=page.pk)
    locked.space = page.space
    locked.current = Revision.objects.get(pk=locked.current_id)
    if not 1 <= base_version <= locked.version:
        raise ValidationError(
            f"Version {base_version} of {locked.title!r} does not exist; reload the page."
        )
    return locked


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
    html = render_body(page.space, body, page.slug)
    with transaction.atomic():
        locked = lock_page(page, base_version)
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
                html = render_body(locked.space, outcome.body, locked.slug)
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
        refresh_links_to(locked.space, locked.title)
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
