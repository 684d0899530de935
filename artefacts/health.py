"""Space health: which of the seven artefacts exist, and what is stale, unowned or overdue.

Each kind's module holds its own rules (Kind.health); this module gathers the data they
read in a fixed number of queries and runs them.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from artefacts import kinds
from artefacts.kinds.base import Finding, Kind
from artefacts.models import HealthSettings
from wikiapp.models import Page, Space


@dataclass
class Check:
    """What a kind's health rules read."""

    space: Space
    kind: Kind
    pages: list[Page]
    settings: HealthSettings
    today: datetime.date
    # Goal page id -> when its status last changed (from the revisions).
    status_changed: dict[int, datetime.datetime] = field(default_factory=dict)

    def days_since(self, iso_date: str | None) -> int | None:
        if not iso_date:
            return None
        try:
            return (self.today - datetime.date.fromisoformat(iso_date)).days
        except ValueError:
            return None

    def edit_url(self, page: Page) -> str:
        return f"{self.page_url(page)}edit/"

    def page_url(self, page: Page) -> str:
        return self.space.page_path(page.slug)

    def create_url(self, kind_key: str | None = None) -> str:
        url = reverse("wiki:page_create", args=[self.space.slug])
        return f"{url}?{urlencode({'kind': kind_key or self.kind.key})}"

    def finding(self, message: str, url: str) -> Finding:
        return Finding(message=message, url=url, kind=self.kind.key)


@dataclass(frozen=True)
class Report:
    present: list[Kind]
    missing: list[Kind]
    findings: list[Finding]
    settings: HealthSettings

    @property
    def score(self) -> str:
        return f"{len(self.present)} of {len(self.present) + len(self.missing)}"

    @property
    def is_system(self) -> bool:
        return not self.missing

    def groups(self) -> list[tuple[Kind | None, list[Finding]]]:
        """The findings per kind, in menu order (missing kinds' findings under theirs)."""
        by_kind: dict[str, list[Finding]] = {}
        for finding in self.findings:
            by_kind.setdefault(finding.kind, []).append(finding)
        return [(kinds.KINDS.get(key), found) for key, found in by_kind.items()]


def settings_for(space: Space) -> HealthSettings:
    return HealthSettings.objects.filter(space=space).first() or HealthSettings(space=space)


_STATUS_CHANGES_SQL = """
SELECT page_id, max(created_at) FROM (
    SELECT page_id, created_at,
           fields -> 'status' IS DISTINCT FROM
               lag(fields -> 'status') OVER (PARTITION BY page_id ORDER BY number) AS changed
    FROM wikiapp_revision WHERE page_id = ANY(%s)
) revisions
WHERE changed GROUP BY page_id
"""


def _status_changes(goals: list[Page]) -> dict[int, datetime.datetime]:
    """When each goal's status last changed, worked out by PostgreSQL over their revisions."""
    if not goals:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_STATUS_CHANGES_SQL, [[goal.pk for goal in goals]])
        return dict(cursor.fetchall())


_STAMP_SQL = """
SELECT md5(coalesce(string_agg(concat(id, ' ', version, ' ', kind, ' ', slug), ','
                               ORDER BY id), ''))
FROM wikiapp_page WHERE space_id = %s AND kind = ANY(%s)
"""


def health_stamp(space: Space, settings: HealthSettings, today: datetime.date) -> str:
    """A fingerprint of everything space_health reads: a cached report is right while it is.

    Every change to an artefact's title, fields or kind makes a revision, so the pages'
    versions cover them; the thresholds and the date come in as they are.
    """
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL, [space.pk, [k.key for k in kinds.artefacts()]])
        pages = cursor.fetchone()[0]
    thresholds = [
        getattr(settings, f.attname)
        for f in HealthSettings._meta.concrete_fields
        if f.attname not in {"id", "space_id"}
    ]
    return f"{pages}:{thresholds}:{today.isoformat()}"


def space_health(
    space: Space,
    *,
    today: datetime.date | None = None,
    settings: HealthSettings | None = None,
) -> Report:
    today = today or timezone.localdate()
    settings = settings or settings_for(space)
    artefact_kinds = kinds.artefacts()
    pages = list(
        Page.objects.filter(space=space, kind__in=[k.key for k in artefact_kinds])
        .only("id", "space_id", "slug", "title", "kind", "fields", "version", "created_at")
        .order_by("title")
    )
    by_kind: dict[str, list[Page]] = {k.key: [] for k in artefact_kinds}
    for page in pages:
        by_kind[page.kind].append(page)
    status_changed = _status_changes(by_kind.get("goal", []))
    findings: list[Finding] = []
    for kind in artefact_kinds:
        check = Check(space, kind, by_kind[kind.key], settings, today, status_changed)
        if not check.pages:
            findings.append(
                check.finding(
                    f"No {kind.label.lower()} yet: the system is partial.", check.create_url()
                )
            )
        elif kind.health is not None:
            findings.extend(kind.health(check))
    present = [k for k in artefact_kinds if by_kind[k.key]]
    missing = [k for k in artefact_kinds if not by_kind[k.key]]
    return Report(present=present, missing=missing, findings=findings, settings=settings)
