"""Two spaces for the access checks: one the acting people work in, one full of secrets.

"team" has a page of every kind, an attachment, old revisions and an import job, so every
URL has a real target. "vault" mirrors it, but every title, body, field value, file name,
file content, import report and member name in it carries a marker string. Nobody in the
`people` fixture is a member of the vault, so no response to them may contain a marker.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from importers import jobs
from importers.models import ImportJob
from tests.importers.builders import make_zip
from wikiapp import actions
from wikiapp.models import Page, Space

# A word in every secret title and body: what someone hunting for the vault would search.
SECRET_WORD = "zebracorn"
# The vault's pages have more versions than any team page, so a version number that only
# exists in the vault can be asked for under a team page.
VAULT_VERSIONS = 5


class Markers:
    """Unique strings, each hidden in one place of the vault."""

    def __init__(self) -> None:
        self.all: list[str] = []

    def new(self, purpose: str) -> str:
        marker = f"xqv{purpose}{len(self.all)}q"
        self.all.append(marker)
        return marker

    def found_in(self, text: str, *, ignore: str = "") -> list[str]:
        """The markers in `text`, except any that are part of `ignore` (the request itself)."""
        folded = text.casefold()
        return [m for m in self.all if m.casefold() in folded and m.casefold() not in ignore]


@dataclass
class Side:
    """One space and a target object for each kind of URL."""

    space: Space
    pages: dict[str, Page]  # "plain", "parent", and one per artefact kind
    attachment: object
    job: ImportJob
    versions: int  # how many versions pages["plain"] has
    extra: dict = field(default_factory=dict)

    def page(self, key: str = "plain") -> Page:
        return self.pages[key]


@dataclass
class World:
    team: Side
    vault: Side
    ghost: Side  # ids that exist nowhere, to compare the vault's ids with
    vault_admin: object
    markers: Markers

    def side(self, which: str) -> Side:
        return self.vault if which == "vault" else self.team


def _kind_pages(space, author, say, who) -> dict[str, Page]:
    """One page of each artefact kind; `say(purpose)` gives a text, `who(purpose)` a name."""

    def make(kind: str, title: str, **fields) -> Page:
        return actions.create_page(
            space=space,
            title=title,
            kind=kind,
            body=f"{say('body')} for {kind}\n",
            fields=fields,
            author=author,
        )

    return {
        "agreement": make(
            "working_agreement",
            say("agreement"),
            owner=who("owner"),
            review_by="2030-01-01",
            clauses=[{"clause": say("clause")}],
        ),
        "goal": make(
            "goal",
            say("goal"),
            objective=say("objective"),
            status="on track",
            key_results=[{"measure": say("measure"), "progress": 10}],
        ),
        "backlog": make(
            "backlog",
            say("backlog"),
            items=[{"title": say("item")}, {"title": say("item")}],
        ),
        "done": make(
            "definition_of_done",
            say("dod"),
            scope=say("scope"),
            criteria=[{"criterion": say("criterion")}],
        ),
        "decision": make(
            "decision", say("decision"), date="2026-01-05", status="accepted", owner=who("owner")
        ),
        "retro": make(
            "retrospective",
            say("retro"),
            date="2026-01-06",
            facilitator=who("owner"),
            action_items=[{"action": say("action"), "owner": who("owner"), "done": False}],
        ),
        "runbook": make(
            "runbook",
            say("runbook"),
            trigger=say("trigger"),
            steps=[{"step": say("step")}],
            last_exercised="2025-01-01",
        ),
    }


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def build_team(space: Space, people) -> Side:
    n = iter(range(1000))

    def say(purpose: str) -> str:
        return f"Team {purpose} {next(n)}"

    admin = people.admin
    plain = actions.create_page(space=space, title="Notes", body="Our notes.\n", author=admin)
    actions.save_revision(
        page=plain, base_version=1, title="Notes", body="Our notes, v2.\n", author=people.editor
    )
    plain.refresh_from_db()
    parent = actions.create_page(space=space, title="Handbook", author=admin)
    pages = {"plain": plain, "parent": parent, **_kind_pages(space, admin, say, lambda _: "eddie")}
    attachment = actions.add_attachment(
        page=plain, upload=_upload("notes.txt", b"team notes"), author=admin
    )
    job = jobs.queue_import(
        space=space,
        user=admin,
        source="notion",
        upload=_upload("team-export.zip", make_zip({"Notes.md": b"# Notes\n"})),
    )
    ImportJob.objects.filter(pk=job.pk).update(status="failed", error="Nothing was imported.")
    job.refresh_from_db()
    return Side(space=space, pages=pages, attachment=attachment, job=job, versions=2)


def build_vault(markers: Markers) -> tuple[Side, object]:
    def say(purpose: str) -> str:
        return f"{SECRET_WORD} {markers.new(purpose)}"

    owner = get_user_model().objects.create_user(
        markers.new("user"), password="vault-password-123", email=f"{markers.new('mail')}@x.org"
    )
    space = actions.create_space(
        slug="vault",
        name=f"Vault {markers.new('space')}",
        description=say("description"),
        created_by=owner,
    )
    plain = actions.create_page(space=space, title=say("title"), body=say("body"), author=owner)
    for version in range(1, VAULT_VERSIONS):
        plain = actions.save_revision(
            page=plain,
            base_version=version,
            title=plain.title,
            body=f"{say('revision')}\n",
            message=say("message"),
            author=owner,
        ).page
    parent = actions.create_page(space=space, title=say("parent"), author=owner)
    pages = {"plain": plain, "parent": parent, **_kind_pages(space, owner, say, markers.new)}
    attachment = actions.add_attachment(
        page=plain,
        upload=_upload(f"{markers.new('file')}.txt", say("content").encode()),
        author=owner,
    )
    job = ImportJob.objects.create(
        space=space,
        created_by=owner,
        source="notion",
        upload_name=f"{markers.new('upload')}.zip",
        status="succeeded",
        report={
            "pages": 1,
            "kinds_assigned": [
                {"title": say("imported"), "kind": "page", "path": markers.new("path")}
            ],
            "warnings": [{"path": markers.new("wpath"), "reason": say("warning")}],
        },
    )
    # A renamed page leaves its old address behind, redirecting (for members) to the new one.
    moved = actions.create_page(space=space, title=say("moved"), author=owner)
    old_slug = moved.slug
    moved = actions.rename_page(page=moved, title=say("renamed"), base_version=1, author=owner).page
    failed = ImportJob.objects.create(
        space=space,
        created_by=owner,
        source="confluence",
        upload_name=f"{markers.new('upload')}.zip",
        status="failed",
        error=say("error"),
    )
    side = Side(
        space=space,
        pages=pages,
        attachment=attachment,
        job=job,
        versions=VAULT_VERSIONS,
        extra={"failed_job": failed, "old_slug": old_slug, "moved": moved},
    )
    return side, owner


def build_ghost(team: Side) -> Side:
    """A space, pages, a file and a job that do not exist: what a made-up id looks like."""
    space = Space(slug="ghost", name="Ghost")
    pages = {key: Page(space=space, slug=f"ghost-{key}", title="Ghost") for key in team.pages}
    return Side(
        space=space,
        pages=pages,
        attachment=SimpleNamespace(pk=10**9, name="ghost.txt"),
        job=SimpleNamespace(pk=10**9),
        versions=10**6,
    )


def build_world(space: Space, people) -> World:
    markers = Markers()
    team = build_team(space, people)
    vault, owner = build_vault(markers)
    ghost = build_ghost(team)
    return World(team=team, vault=vault, ghost=ghost, vault_admin=owner, markers=markers)


def response_text(response) -> str:
    """Headers and body of a response, streamed or not, as text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return headers + "\n" + body.decode("utf-8", errors="replace")


def echo_of(url: str) -> str:
    """The request as a response may repeat it (a login redirect's `next`), casefolded."""
    return " ".join([url, quote(url), quote(url, safe="")]).casefold()
