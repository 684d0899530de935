"""Many editors saving the same pages over real HTTP: every acknowledged save is kept.

Eight people, each logged in through the login form, edit two pages for six seconds
against gunicorn as production runs it. Each edit starts from the edit form (its base
version and CSRF token) and rewrites one of the page's slots with a marker of its own, so
edits of different slots merge and edits of the same slot conflict. Afterwards the database
must hold exactly the acknowledged saves, numbered without gaps, and none of the refused.
"""

import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tests.check.live import Browser, Response, live_wiki, stored_pages

EDITORS = 8
SECONDS = 6
TITLES = ["Plan A", "Plan B"]
SLOTS = 3
# Filler between the slots, so edits of neighbouring slots do not overlap.
BODY = "\n\n".join(f"Slot {n}: first text\n\nFiller {n} that nobody edits." for n in range(SLOTS))
CONFLICT = "Someone else changed this page while you were editing"

SETUP = f"""
admin = person("admin")
space = actions.create_space(slug="team", name="Team", created_by=admin)
for number in range({EDITORS}):
    editor = person(f"editor{{number}}")
    actions.set_role(space=space, user=editor, role=Role.EDITOR, acting_user=admin)
for title in {TITLES!r}:
    actions.create_page(space=space, title=title, body={BODY!r}, author=admin)
"""


@dataclass(frozen=True)
class Save:
    editor: str
    page: str
    marker: str
    outcome: str  # acknowledged, refused or unexpected
    version: int | None = None
    merged: bool = False
    detail: str = ""


def test_it_keeps_every_acknowledged_save_and_none_of_the_refused(figures):
    with live_wiki(SETUP) as wiki:
        slugs = sorted(stored_pages(wiki.postgres, "team"))
        with ThreadPoolExecutor(EDITORS) as pool:
            runs = [
                pool.submit(edit_for, wiki.base_url, f"editor{n}", slugs) for n in range(EDITORS)
            ]
            saves = [save for run in runs for save in run.result()]
        stored = stored_pages(wiki.postgres, "team")

    revisions = {
        revision.message: (slug, revision)
        for slug, page in stored.items()
        for revision in page.revisions
    }
    acknowledged = [save for save in saves if save.outcome == "acknowledged"]
    refused = [save for save in saves if save.outcome == "refused"]
    lost = [save for save in acknowledged if not _kept(save, revisions)]
    every_revision = [revision for page in stored.values() for revision in page.revisions]
    refused_but_stored = [
        save
        for save in refused
        if any(save.marker in r.body or save.marker == r.message for r in every_revision)
    ]
    # Each save changed one slot of what it started from, so each revision must be the one
    # before it with exactly that slot changed: anything else overwrote someone's edit.
    overwritten = [
        (slug, revision.number)
        for slug, page in stored.items()
        for before, revision in zip(page.revisions, page.revisions[1:], strict=False)
        if not _one_slot_changed(before.body, revision.body, revision.message)
    ]
    figures.add(
        "concurrent saves",
        acknowledged=len(acknowledged),
        merged=sum(save.merged for save in acknowledged),
        stored=len(acknowledged) - len(lost),
        refused=len(refused),
        lost=len(lost),
        overwritten=len(overwritten),
        refused_but_stored=len(refused_but_stored),
    )

    assert [save for save in saves if save.outcome == "unexpected"] == []
    # Both answers happened, so the run really had editors racing each other.
    assert acknowledged and refused
    assert lost == []
    assert overwritten == []
    assert refused_but_stored == []
    for slug, page in stored.items():
        assert page.whole, f"{slug}: revisions {[r.number for r in page.revisions]}"
        later = sorted(r.message for r in page.revisions[1:])
        assert later == sorted(save.marker for save in acknowledged if save.page == slug)
        assert len(page.revisions) == 1 + sum(save.page == slug for save in acknowledged)


def edit_for(base_url: str, editor: str, slugs: list[str]) -> list[Save]:
    """One person editing for SECONDS: open the edit form, change one slot, save."""
    browser = Browser(base_url)
    browser.log_in(editor)
    choose = random.Random(editor)
    saves: list[Save] = []
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        slug = choose.choice(slugs)
        path = f"/s/team/{slug}/edit/"
        marker = f"[{editor}/{len(saves)}]"
        form, fields = browser.form(path, "base_version")
        if not fields:
            saves.append(Save(editor, slug, marker, "unexpected", detail=f"form {form.status}"))
            continue
        slot = choose.randrange(SLOTS)
        # The marker holds no backslash, so it is safe as a replacement string.
        fields["body"] = re.sub(
            rf"^Slot {slot}: .*$", f"Slot {slot}: {marker}", fields["body"], flags=re.M
        )
        fields["message"] = marker
        saves.append(_answer(browser, editor, slug, marker, browser.post(path, fields)))
    return saves


def _answer(browser: Browser, editor: str, slug: str, marker: str, answer: Response) -> Save:
    page_path = f"/s/team/{slug}/"
    if answer.status == 302 and answer.location == page_path:
        # The page the redirect leads to says which version the save became.
        shown = browser.get(page_path).text
        found = re.search(r"(Saved|merged into) version (\d+)", shown)
        if found is None:
            return Save(editor, slug, marker, "unexpected", detail="no version after saving")
        merged = found.group(1) == "merged into"
        return Save(editor, slug, marker, "acknowledged", int(found.group(2)), merged)
    if answer.status == 409 and CONFLICT in answer.text and "nothing was saved" in answer.text:
        return Save(editor, slug, marker, "refused")
    return Save(editor, slug, marker, "unexpected", detail=f"{answer.status} {answer.text[:300]}")


def _kept(save: Save, revisions: dict) -> bool:
    """The save is the revision it was acknowledged as: its page, number, author and text."""
    if save.marker not in revisions:
        return False
    slug, revision = revisions[save.marker]
    return (
        slug == save.page
        and revision.number == save.version
        and revision.author == save.editor
        and save.marker in revision.body
    )


def _one_slot_changed(before: str, after: str, marker: str) -> bool:
    """`after` is `before` with the text of one slot replaced by `marker`."""
    edits = (
        re.sub(rf"^Slot {slot}: .*$", f"Slot {slot}: {marker}", before, flags=re.M)
        for slot in range(SLOTS)
    )
    return before != after and after in edits
