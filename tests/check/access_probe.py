"""Send one request as one role and judge it: right status, no secret, no unwanted write."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.test import Client

from tests.check.access_world import Markers, echo_of, response_text

# Rows a request may write without changing anything anyone can see: read receipts,
# sessions, login attempts (django-axes) and the task queue's bookkeeping.
WATCHED_APPS = {"wikiapp", "artefacts", "importers", "auth", "admin", "django_tasks_database"}
UNWATCHED = {"wikiapp.pageread", "auth.permission"}
UNWATCHED_FIELDS = {"last_login"}


def _fingerprint_sql() -> str:
    """One query giving a digest of every watched table's rows (cheap enough per request)."""
    parts = []
    for model in apps.get_models():
        if model._meta.label_lower in UNWATCHED or model._meta.app_label not in WATCHED_APPS:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        columns = [
            connection.ops.quote_name(f.column)
            for f in model._meta.concrete_fields
            if f.name not in UNWATCHED_FIELDS
        ]
        key = connection.ops.quote_name(model._meta.pk.column)
        row = f"ROW({', '.join(columns)})::text"
        digest = f"md5(coalesce(string_agg({row}, '|' ORDER BY {key}), ''))"
        parts.append(f"SELECT '{model._meta.label_lower}', {digest} FROM {table}")  # noqa: S608
    # Table and column names come from the models, quoted; nothing here is user input.
    return " UNION ALL ".join(parts)


def snapshot() -> dict:
    """A digest of every row of every watched table, per table."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return dict(cursor.fetchall())


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


@dataclass
class Verdict:
    """What went wrong with one check; empty lists mean it passed."""

    label: str
    status: int = 0
    leaks: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def leaked(self) -> bool:
        return bool(self.leaks)

    @property
    def failed(self) -> bool:
        return bool(self.leaks or self.wrong)

    def __str__(self) -> str:
        return f"{self.label}: " + "; ".join(self.leaks + self.wrong)


LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


def probe(
    client: Client,
    method: str,
    url: str,
    *,
    label: str,
    markers: Markers,
    allowed: frozenset,
    granted: bool,
    data: Callable[[], dict] | None = None,
    htmx: bool = False,
    must_write: bool = False,
    to_login: bool = False,
) -> Verdict:
    """Send the request; a POST runs in a savepoint that is rolled back afterwards.

    `allowed` are the right statuses; `granted` says whether the role has the right, so
    that a success (or a write) where it has none counts as a leak, not just a mistake.
    """
    verdict = Verdict(label)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with transaction.atomic():
        before = snapshot() if method == "post" else None
        if method == "post":
            response = client.post(url, data() if data else {}, **headers)
        else:
            response = client.get(url, **headers)
        text = response_text(response)
        if method == "post":
            writes = changed_tables(before, snapshot())
            if writes and not granted:
                verdict.leaks.append(f"a refused role changed {writes}")
            if must_write and granted and not writes and response.status_code in allowed:
                verdict.wrong.append("an allowed POST changed nothing: is its form valid?")
            transaction.set_rollback(True)
    status = verdict.status = response.status_code
    location = response.get("Location", "")
    if status not in allowed:
        opened = 200 <= status < 300 or (
            300 <= status < 400 and not location.startswith(LOGIN_PAGES)
        )
        (verdict.wrong if granted or not opened else verdict.leaks).append(
            f"status {status} (want {sorted(allowed)}) {location}".strip()
        )
    elif status == 302 and to_login and not location.startswith(LOGIN_PAGES):
        verdict.leaks.append(f"redirected to {location}, not to the login page")
    found = markers.found_in(text, ignore=echo_of(url))
    if found:
        verdict.leaks.append(f"secret markers in the response: {found}")
    return verdict
