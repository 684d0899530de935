"""Store a SourceTree through the wiki's actions: all or nothing, updating earlier imports.

Every page and revision goes through wikiapp.actions, exactly like a web edit, with the
source's ids, versions, authors and dates as its provenance.
"""

import contextlib
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from importers.models import ImportedPage
from importers.tree import SourcePage, SourceRevision, SourceTree, Warning
from wikiapp import actions
from wikiapp.actions.files import attachment_path, discard_unreferenced
from wikiapp.models import Attachment, Origin, Page, Space


@dataclass
class WriteResult:
    pages_created: int = 0
    pages_updated: int = 0
    revisions: int = 0
    attachments: int = 0
    kinds: Counter = field(default_factory=Counter)
    slugs: dict[str, str] = field(default_factory=dict)  # source id -> wiki page slug
    warnings: list[Warning] = field(default_factory=list)


def _provenance(page: SourcePage, revision: SourceRevision, source: str) -> actions.Provenance:
    return actions.Provenance(
        origin=Origin.IMPORT,
        author_name=revision.author or f"({source} import)",
        source_id=page.source_id,
        source_version=revision.version,
        created_at=revision.created_at,
    )


def _new_revisions(page: SourcePage, last_version: str) -> list[SourceRevision]:
    """The source revisions after the last one stored by an earlier import."""
    if not last_version:
        return page.revisions
    versions = [r.version for r in page.revisions]
    if last_version in versions:
        return page.revisions[versions.index(last_version) + 1 :]
    return page.revisions[-1:]  # unknown history: bring the page up to date


def store_tree(
    *,
    tree: SourceTree,
    space: Space,
    author,
    progress: Callable[[int], None] | None = None,
) -> WriteResult:
    """Create or update every page of `tree` in `space`; any error rolls everything back."""
    new_files: list[str] = []  # sha256 of the files this import wrote
    try:
        with transaction.atomic():
            return _store_tree(tree, space, author, progress, new_files)
    except BaseException:
        # The rows are rolled back, but not the attachment files written for them.
        # If the connection went with the transaction, the files cannot be checked.
        with contextlib.suppress(DatabaseError):
            discard_unreferenced(new_files)
        raise


def _store_tree(tree, space, author, progress, new_files: list[str]) -> WriteResult:
    result = WriteResult(warnings=list(tree.warnings))
    stored: dict[int, Page] = {}  # id(SourcePage) -> wiki page
    known = {
        m.source_id: m
        for m in ImportedPage.objects.filter(space=space, source=tree.source).select_related(
            "page", "page__space", "page__current"
        )
    }
    for done, (parent, source_page) in enumerate(tree.walk(), start=1):
        wiki_parent = stored.get(id(parent)) if parent is not None else None
        mapping = known.get(source_page.source_id)
        try:
            page = _store_page(tree, space, author, source_page, wiki_parent, mapping, result)
        except (ValidationError, actions.EditConflict) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise ValidationError(f"{source_page.path or source_page.title}: {text}") from error
        stored[id(source_page)] = page
        result.slugs[source_page.source_id] = page.slug
        result.kinds[page.kind] += 1
        _store_attachments(source_page, page, author, result, new_files)
        if progress is not None:
            progress(done)
    # Pages were stored parents first, so links to later pages were rendered as missing.
    actions.refresh_missing_links(stored.values())
    return result


def _store_page(tree, space, author, source_page, parent, mapping, result) -> Page:
    revisions = _new_revisions(source_page, mapping.last_version if mapping else "")
    created = mapping is None
    if created:
        first, *rest = revisions
        page = actions.create_page(
            space=space,
            parent=parent,
            title=first.title,
            body=first.body,
            kind=source_page.kind,
            fields=source_page.fields if not rest else {},
            message=first.message or f"Imported from {tree.source}",
            author=None,
            provenance=_provenance(source_page, first, tree.source),
            refresh_links=False,  # once for the whole tree, in store_tree
        )
        mapping = ImportedPage.objects.create(
            space=space, source=tree.source, source_id=source_page.source_id, page=page
        )
        result.pages_created += 1
        result.revisions += 1
    else:
        page = mapping.page
        rest = revisions
    stored_before = result.revisions
    for index, revision in enumerate(rest):
        last = index == len(rest) - 1
        fields = source_page.fields if last else page.fields
        current = page.current
        if (revision.title, revision.body, fields) == (current.title, current.body, current.fields):
            continue  # unchanged since the last import: skip rendering it again
        saved = actions.save_revision(
            page=page,
            base_version=page.version,
            title=revision.title,
            body=revision.body,
            fields=fields,
            message=revision.message or f"Imported from {tree.source}",
            author=None,
            provenance=_provenance(source_page, revision, tree.source),
        )
        page = saved.page  # locked and current again: no need to read it back
        result.revisions += 0 if saved.unchanged else 1
    if not created and result.revisions > stored_before:
        result.pages_updated += 1
    mapping.last_version = source_page.revisions[-1].version
    mapping.save(update_fields=["last_version"])
    return page


def _store_attachments(
    source_page: SourcePage, page: Page, author, result: WriteResult, new_files: list[str]
) -> None:
    existing = dict(Attachment.objects.filter(page=page).values_list("name", "sha256"))
    for attachment in source_page.attachments:
        data = attachment.read()
        sha256 = hashlib.sha256(data).hexdigest()
        if attachment.name in existing:
            if existing[attachment.name] != sha256:
                result.warnings.append(
                    Warning(
                        f"{source_page.path}/{attachment.name}",
                        "an attachment with this name already exists with other content; "
                        "kept the existing one",
                    )
                )
            continue
        if not default_storage.exists(attachment_path(sha256)):
            new_files.append(sha256)
        try:
            with transaction.atomic():
                actions.add_attachment(
                    page=page, upload=SimpleUploadedFile(attachment.name, data), author=author
                )
        except ValidationError as error:
            # One unusable file (too large, a bad name) should not cost the whole import.
            reason = " ".join(error.messages)
            result.warnings.append(Warning(f"{source_page.path}/{attachment.name}", reason))
            continue
        result.attachments += 1
