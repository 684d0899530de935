"""Every URL the project serves, what each role may do with it, and a valid form for it.

ROUTES is keyed by URL name; `served_routes()` walks the URL resolver, so a URL added
without an entry here fails test_every_served_url_has_an_entry. Django's admin is covered
by one rule (staff only) applied to every one of its patterns, found the same way.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.check.access_world import SECRET_WORD, Side, World
from tests.importers.builders import make_zip

ROLES = ("anonymous", "outsider", "reader", "editor", "admin")
RANK = {"anonymous": 0, "outsider": 0, "reader": 1, "editor": 2, "admin": 3}
NEED_RANK = {"read": 1, "edit": 2, "admin": 3}


@dataclass(frozen=True)
class Target:
    """Where a URL points: the space from one side, the page from one, the ids from one."""

    space: Side
    page: Side
    ids: Side


@dataclass(frozen=True)
class Route:
    # Needs: "public" (anyone), "anonymous" (the login form), "login", "staff", or a role
    # right in the space ("read", "edit", "admin"); None: the method is not served (405).
    get: str | None
    post: str | None
    kwargs: Callable[[Target], dict]
    query: Callable[[Target], dict] = lambda t: {}
    # A form that succeeds for someone with the right; None for a route without POST.
    form: Callable[[Side], dict] | None = None
    get_ok: frozenset = frozenset({200})
    post_ok: frozenset = frozenset({302})
    writes: bool = True  # an allowed POST changes the database


def space_kwargs(t: Target) -> dict:
    return {"space": t.space.space.slug}


def page_kwargs(key: str = "plain") -> Callable[[Target], dict]:
    def kwargs(t: Target) -> dict:
        return {"space": t.space.space.slug, "page": t.page.page(key).slug}

    return kwargs


def _with(base: Callable[[Target], dict], extra: Callable[[Target], dict]):
    def kwargs(t: Target) -> dict:
        return {**base(t), **extra(t)}

    return kwargs


def no_kwargs(t: Target) -> dict:
    return {}


PLAIN = page_kwargs("plain")


def _version(side: Side, key: str = "plain") -> int:
    side.page(key).refresh_from_db()
    return side.page(key).version


def _zip_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("export.zip", make_zip({"Hello.md": b"# Hello\n"}))


ROUTES: dict[str, Route] = {
    "wiki:home": Route("login", None, no_kwargs),
    "wiki:space_create": Route(
        None, "staff", no_kwargs, form=lambda s: {"name": "Another", "slug": "another"}
    ),
    "wiki:space": Route("read", None, space_kwargs),
    "wiki:members": Route(
        "read", "admin", space_kwargs, form=lambda s: {"username": "otto", "role": "reader"}
    ),
    "wiki:import": Route(
        "admin",
        "admin",
        space_kwargs,
        form=lambda s: {"source": "notion", "file": _zip_upload(), "dry_run": "on"},
    ),
    "wiki:import_job": Route("admin", None, _with(space_kwargs, lambda t: {"job": t.ids.job.pk})),
    "wiki:import_report": Route(
        "admin", None, _with(space_kwargs, lambda t: {"job": t.ids.job.pk})
    ),
    "wiki:import_again": Route(
        None,
        "admin",
        _with(space_kwargs, lambda t: {"job": t.ids.job.pk}),
        form=lambda s: {"dry_run": "on"},
    ),
    "wiki:page_create": Route(
        "edit", "edit", space_kwargs, form=lambda s: {"title": "Fresh page", "body": "New.\n"}
    ),
    "wiki:preview": Route(
        None, "edit", space_kwargs, form=lambda s: {"body": "*hi*"}, post_ok={200}, writes=False
    ),
    "wiki:page": Route("read", None, PLAIN),
    "wiki:page_edit": Route(
        "edit",
        "edit",
        PLAIN,
        form=lambda s: {"title": "Notes", "body": "Changed.\n", "base_version": _version(s)},
    ),
    "wiki:page_rename": Route(
        "edit", "edit", PLAIN, form=lambda s: {"title": "Renamed", "base_version": _version(s)}
    ),
    "wiki:page_move": Route(
        "edit", "edit", PLAIN, form=lambda s: {"parent": s.page("parent").slug, "position": ""}
    ),
    "wiki:page_kind": Route(
        "admin",
        "admin",
        PLAIN,
        form=lambda s: {"kind": "backlog", "base_version": _version(s), "message": ""},
    ),
    "wiki:history": Route("read", None, PLAIN),
    "wiki:diff": Route(
        "read", None, PLAIN, query=lambda t: {"from": 1, "to": t.ids.versions, "mode": "inline"}
    ),
    "wiki:revision": Route("read", None, _with(PLAIN, lambda t: {"number": t.ids.versions})),
    "wiki:restore": Route(
        "edit",
        "edit",
        _with(PLAIN, lambda t: {"number": 1}),
        form=lambda s: {"base_version": _version(s)},
    ),
    "wiki:attachments": Route(
        "read",
        "edit",
        PLAIN,
        form=lambda s: {"file": SimpleUploadedFile("more.txt", b"more")},
    ),
    "wiki:attachment": Route(
        "read",
        None,
        _with(PLAIN, lambda t: {"pk": t.ids.attachment.pk, "name": t.ids.attachment.name}),
    ),
    "wiki:attachment_named": Route(
        "read", None, _with(PLAIN, lambda t: {"name": t.ids.attachment.name})
    ),
    "wiki:search": Route(
        "login", None, no_kwargs, query=lambda t: {"q": SECRET_WORD, "space": t.space.space.slug}
    ),
    "wiki:palette": Route(
        "login",
        None,
        no_kwargs,
        query=lambda t: {"q": SECRET_WORD, "from": t.page.page().get_absolute_url()},
    ),
    # Every list slug has a dedicated view, which takes this address over (see urls.py).
    "wiki:kind_list": Route("read", None, _with(space_kwargs, lambda t: {"listing": "retros"})),
    "wiki:agreement": Route("read", None, space_kwargs),
    "wiki:goals": Route("read", None, space_kwargs),
    "wiki:backlog": Route("read", None, space_kwargs),
    "wiki:done": Route("read", None, space_kwargs),
    "wiki:health": Route(
        "read",
        "admin",
        space_kwargs,
        form=lambda s: {
            "retro_cadence_days": 7,
            "decision_proposed_days": 9,
            "goal_stale_days": 11,
            "action_item_open_days": 13,
            "runbook_exercise_days": 15,
        },
    ),
    "wiki:joiner": Route("read", None, space_kwargs),
    "wiki:decision_list": Route("read", None, space_kwargs),
    "wiki:runbook_list": Route("read", None, space_kwargs),
    "wiki:retro_list": Route("read", None, space_kwargs),
    "wiki:acknowledge": Route(
        None,
        "read",
        page_kwargs("agreement"),
        form=lambda s: {"version": _version(s, "agreement")},
    ),
    "wiki:backlog_move": Route(
        None,
        "edit",
        page_kwargs("backlog"),
        form=lambda s: {"index": 0, "offset": 1, "base_version": _version(s, "backlog")},
    ),
    "wiki:supersede": Route(
        "edit",
        "edit",
        page_kwargs("decision"),
        form=lambda s: {
            "title": "A newer decision",
            "body": "Because.\n",
            "date": "2026-02-01",
            "owner": "",
            "status": "accepted",
            "base_version": _version(s, "decision"),
        },
    ),
    "wiki:mark_exercised": Route(
        "edit",
        "edit",
        page_kwargs("runbook"),
        form=lambda s: {
            "on": "2026-11-30",
            "note": "drill",
            "base_version": _version(s, "runbook"),
        },
    ),
    "wiki:close_action_item": Route(
        None,
        "edit",
        _with(page_kwargs("retro"), lambda t: {"index": 0}),
        form=lambda s: {"base_version": _version(s, "retro")},
    ),
    "login": Route(
        "anonymous",
        "anonymous",
        no_kwargs,
        form=lambda s: {"username": "rita", "password": "not-her-password"},
        post_ok={200},
        writes=False,
    ),
    "logout": Route(None, "public", no_kwargs, form=lambda s: {}, writes=False),
    "healthz": Route("public", None, no_kwargs),
}


def served_routes() -> list[tuple[str, str | None]]:
    """(route text, URL name with namespace) of every pattern the resolver can match."""

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, text, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                yield text, name

    return list(walk(get_resolver().url_patterns, "", None))


def expected(need: str | None, role: str, ok: frozenset) -> frozenset:
    """The statuses that answer `role` correctly for a URL needing `need`."""
    if need is None:
        return frozenset({405}) if role != "anonymous" else frozenset({302, 405})
    if need == "public":
        return ok
    if need == "anonymous":
        return ok if role == "anonymous" else frozenset({302})
    if role == "anonymous":
        return frozenset({302})
    if need == "login":
        return ok
    if need == "staff":
        return frozenset({403})
    if role == "outsider":
        return frozenset({404})
    return ok if RANK[role] >= NEED_RANK[need] else frozenset({403})


def grants(need: str | None, role: str) -> bool:
    """Whether the role has the right `need` asks for (so a success is no leak)."""
    return need is not None and expected(need, role, frozenset({-1})) == {-1}


def url_for(name: str, route: Route, target: Target) -> str:
    url = reverse(name, kwargs=route.kwargs(target))
    query = route.query(target)
    return f"{url}?{urlencode(query)}" if query else url


def mixed_targets(world: World) -> list[Target]:
    """Targets with at least one part from each space: ids or slugs under the wrong space."""
    sides = (world.team, world.vault)
    return [
        Target(a, b, c)
        for a in sides
        for b in sides
        for c in sides
        if len({id(a), id(b), id(c)}) == 2
    ]


# Admin patterns, by the shape of their route; each is filled in with a vault object.
ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")
APP_LIST = re.compile(r"^admin/\^\(\?P<app_label>(?P<labels>[\w|]+)\)/\$$")


def admin_urls(world: World) -> list[str]:
    """One URL per admin pattern, pointing at vault data where the pattern takes an id."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from wikiapp.models import Page

    examples = {
        "wikiapp.space": world.vault.space.pk,
        "wikiapp.page": world.vault.page().pk,
        "wikiapp.revision": world.vault.page().current_id,
        "wikiapp.attachment": world.vault.attachment.pk,
        "auth.user": world.vault_admin.pk,
    }
    urls = []
    for text, _name in served_routes():
        if not text.startswith("admin/"):
            continue
        if text.startswith("admin/r/"):  # "view on site": a content type and an object
            page_type = ContentType.objects.get_for_model(Page).pk
            urls.append(f"/admin/r/{page_type}/{world.vault.page().pk}/")
            continue
        app_list = APP_LIST.match(text)
        if app_list:
            urls.extend(f"/admin/{label}/" for label in app_list["labels"].split("|"))
            continue
        model = ADMIN_MODEL.match(text)
        pk = None
        if model and "<" in text:
            label = f"{model['app']}.{model['model']}"
            pk = examples.get(label) or getattr(
                apps.get_model(label).objects.order_by("pk").first(), "pk", 1
            )
        url = "/" + text.replace("<path:object_id>", str(pk)).replace("<id>", str(pk))
        url = url.replace("(?P<url>.*)$", "anything/")
        assert "<" not in url and "(" not in url and "None" not in url, (
            f"admin route with an unknown shape: {text}"
        )
        urls.append(url)
    return urls
