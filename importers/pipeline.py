"""One import from start to end: open the upload safely, read it, classify, store, report."""

import json
import posixpath
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from importers.classify import classify, map_fields
from importers.confluence.html import read_confluence_html
from importers.confluence.xml import read_confluence_xml
from importers.notion import read_notion_html, read_notion_markdown
from importers.tree import SourceTree, Warning
from importers.writer import store_tree
from importers.zipsafe import SafeArchive
from wikiapp import actions
from wikiapp.models import Space


def assign_kinds(tree: SourceTree) -> list[dict]:
    """Give every page a kind and map its properties onto that kind's fields."""
    assigned = []
    for parent, page in tree.walk():
        body = page.revisions[-1].body
        kind = classify(page.title, body)
        if parent is not None and page.fields:
            # A database row: its database's name and columns say what the rows are.
            by_database = classify(parent.title, columns=page.fields.keys())
            kind = by_database if by_database != "page" else kind
        if page.children and all(child.fields for child in page.children):
            kind = "page"  # a database itself is a list of rows, not one artefact
        page.kind = kind
        page.fields, warnings = map_fields(kind, page.fields, path=page.path)
        tree.warnings.extend(warnings)
        assigned.append(
            {"source_id": page.source_id, "path": page.path, "title": page.title, "kind": kind}
        )
    return assigned


def read_export(source: str, archive: SafeArchive) -> SourceTree:
    """The export's page tree; which reader depends on what the zip holds."""
    names = [entry.path.split("!/", 1)[-1] for entry in archive.entries()]
    if source == "notion":
        if any(n.endswith(".md") for n in names) or not any(n.endswith(".html") for n in names):
            return read_notion_markdown(archive)
        return read_notion_html(archive)
    if source == "confluence":
        if any(posixpath.basename(n) == "entities.xml" for n in names):
            return read_confluence_xml(archive)
        if any(n.endswith(".html") for n in names):
            return read_confluence_html(archive)
        raise ValidationError(
            "This is not a Confluence export: it has neither entities.xml (XML export) "
            "nor .html pages (HTML export)."
        )
    raise ValueError(f"Unknown import source {source!r}")


def run_import(
    *,
    source: str,
    file: str | Path | BinaryIO,
    space_slug: str,
    user=None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Import `file` into the space (created if missing); the report as a dict.

    Raises importers.zipsafe.UnsafeArchive or ValidationError on bad input, storing nothing.
    """
    # Notion splits big exports into nested Part-N zips; in a Confluence export a zip is
    # an attachment, kept whole rather than opened.
    with SafeArchive(file, expand_nested=source == "notion") as archive:
        tree = read_export(source, archive)
        tree.warnings.extend(Warning(path, reason) for path, reason in archive.skipped)
        assigned = assign_kinds(tree)
        pages, revisions, attachments = tree.count()
        report = {
            "source": source,
            "space": space_slug,
            "dry_run": dry_run,
            "pages": pages,
            "revisions": revisions,
            "attachments": attachments,
            "links": vars(tree.links).copy(),
            "kinds": dict(Counter(item["kind"] for item in assigned)),
            "kinds_assigned": assigned,
        }
        if not dry_run:
            author = user or get_user_model().objects.filter(is_superuser=True).first()
            with transaction.atomic():
                space = Space.objects.filter(slug=space_slug).first() or actions.create_space(
                    slug=space_slug, name=space_slug.replace("-", " ").title(), created_by=author
                )
                written = store_tree(
                    tree=tree,
                    space=space,
                    author=author,
                    progress=(lambda done: progress(done, pages)) if progress else None,
                )
            report["stored"] = {
                "pages_created": written.pages_created,
                "pages_updated": written.pages_updated,
                "revisions": written.revisions,
                "attachments": written.attachments,
            }
            tree.warnings = written.warnings
            for item in assigned:
                item["slug"] = written.slugs.get(item["source_id"], "")
        report["warnings"] = [{"path": w.path, "reason": w.reason} for w in tree.warnings]
    return report


def write_report(report: dict, path: str | Path) -> None:
    Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
