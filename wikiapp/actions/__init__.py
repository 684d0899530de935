"""Every way wiki data changes. Views, importers and the API call these; nothing else writes.

Each action is atomic, takes keyword-only arguments and validates its input, so bad
input raises ValidationError and stores nothing. The modules: spaces (spaces and
members), pages (the one save path for pages and revisions), links (rendering, and
links kept true as pages appear), kinds (changing a page's
kind), files (attachments and read receipts).
"""

from wikiapp.actions.files import add_attachment, mark_read
from wikiapp.actions.kinds import change_kind
from wikiapp.actions.links import refresh_links_to, refresh_missing_links, render_body
from wikiapp.actions.pages import (
    WEB,
    EditConflict,
    Provenance,
    SaveResult,
    StaleVersion,
    create_page,
    move_page,
    rename_page,
    restore_revision,
    save_revision,
)
from wikiapp.actions.spaces import create_space, remove_member, set_role

__all__ = [
    "WEB",
    "EditConflict",
    "Provenance",
    "SaveResult",
    "StaleVersion",
    "add_attachment",
    "change_kind",
    "create_page",
    "create_space",
    "mark_read",
    "move_page",
    "refresh_links_to",
    "refresh_missing_links",
    "remove_member",
    "rename_page",
    "render_body",
    "restore_revision",
    "save_revision",
    "set_role",
]
