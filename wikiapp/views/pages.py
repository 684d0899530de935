"""Reading, creating and editing pages."""

import hashlib
import re
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.http import parse_etags, quote_etag
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from artefacts import kinds
from artefacts.display import fields_template, shown_fields
from artefacts.forms import initial_values
from wikiapp import actions, diffing, release, validation
from wikiapp.forms import CreateForm, EditForm, MoveForm, RenameForm
from wikiapp.models import Page
from wikiapp.permissions import can, page_for, space_for
from wikiapp.selectors import neighbourhood, subtree_ids


def _content_key(page: Page, ancestors, children, attachments) -> str:
    """A fingerprint of everything the page's content shows, whoever reads it.

    Readers with the same role see the same content, so it keys the cached HTML of the
    page's body; with the reader's id it makes the ETag.
    """
    parts = [
        release.RELEASE,
        page.role,
        page.pk,
        page.slug,
        page.title,
        page.version,
        hashlib.sha256(page.html.encode()).hexdigest() if page.html else "",
        page.kind,
        page.parent_id,
        [(a.id, a.slug, a.title) for a in ancestors],
        [(c.id, c.slug, c.title, c.kind) for c in children],
        [(a.pk, a.name, a.size) for a in attachments],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _etag(request, content_key: str) -> str:
    return quote_etag(hashlib.sha256(f"{request.user.pk}:{content_key}".encode()).hexdigest()[:32])


@login_required
@require_GET
def page_view(request, space, page):
    page = page_for(request.user, space, page)
    ancestors, children = neighbourhood(page)
    attachments = list(page.attachments.only("id", "name", "size", "content_type", "page_id"))
    content_key = _content_key(page, ancestors, children, attachments)
    etag = _etag(request, content_key)
    # A pending flash message is part of the response, so never answer 304 with one queued.
    if "messages" not in request.COOKIES and etag in parse_etags(
        request.headers.get("If-None-Match", "")
    ):
        response = HttpResponseNotModified()
    else:
        if page.read_version != page.version:
            actions.mark_read(page=page, user=request.user)
        response = render(
            request,
            "wikiapp/page.html",
            {
                "space": page.space,
                "page": page,
                "content_key": content_key,
                "revision": page.current,
                "ancestors": ancestors,
                "children": children,
                "attachments": attachments,
                "can_edit": can(page, "edit"),
                "kind": kinds.get(page.kind),
                # Called by the template only when the content is not cached already.
                "fields": partial(shown_fields, page.kind, page.current.fields),
                "fields_template": partial(fields_template, page.kind),
            },
        )
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _author(request):
    return request.user


def _fields_after_edit(page: Page, edited: dict) -> dict:
    """The form's fields, plus any other keys the page carries (e.g. from an import)."""
    own = {field.name for field in kinds.get(page.kind).fields}
    kept = {k: v for k, v in page.current.fields.items() if k not in own}
    return {**kept, **edited}


@login_required
@require_http_methods(["GET", "POST"])
def page_create(request, space):
    space = space_for(request.user, space, need="edit")
    source = request.POST if request.method == "POST" else request.GET
    parent_slug = source.get("parent", "")
    parent = page_for(request.user, space.slug, parent_slug, need="edit") if parent_slug else None
    kind = kinds.KINDS.get(source.get("kind", ""), kinds.PLAIN)
    context = {"space": space, "parent": parent, "kind": kind}
    if request.method == "GET":
        title = request.GET.get("title", "").strip()
        existing = Page.objects.filter(space=space, title__iexact=title).first() if title else None
        if existing:
            # A [[link]] rendered before its target existed still lands on the page.
            return redirect(existing)
        initial = {"title": title, "parent": parent_slug, "body": kind.template}
        context["form"] = CreateForm(initial=initial, kind=kind)
        return render(request, "wikiapp/page_create.html", context)
    form = context["form"] = CreateForm(request.POST, kind=kind)
    if form.is_valid():
        try:
            page = actions.create_page(
                space=space,
                parent=parent,
                kind=kind.key,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                fields=form.page_fields,
                message=form.cleaned_data["message"],
                author=_author(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Created {page.title}.")
            return redirect(page)
    return render(request, "wikiapp/page_create.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def page_edit(request, space, page):
    page = page_for(request.user, space, page, need="edit")
    context = {"space": page.space, "page": page, "conflict": None}
    if request.method == "GET":
        kind = kinds.get(page.kind)
        initial = {"title": page.title, "body": page.current.body, "base_version": page.version}
        initial |= initial_values(kind, page.current.fields)
        context["form"] = EditForm(initial=initial, kind=kind)
        return render(request, "wikiapp/page_edit.html", context)
    form = EditForm(request.POST, kind=kinds.get(page.kind))
    context["form"] = form
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = actions.save_revision(
                page=page,
                base_version=data["base_version"],
                title=data["title"],
                body=data["body"],
                fields=_fields_after_edit(page, form.page_fields),
                message=data["message"],
                author=_author(request),
            )
        except actions.EditConflict as conflict:
            status = 409
            context["conflict"] = conflict
            context["conflict_rows"] = diffing.side_by_side(conflict.current.body, data["body"])
            # The user's text stays; the base moves to what they now see beside it, so
            # saving again is a decision made with the other edit in view.
            form.data = form.data.copy()
            form.data["base_version"] = conflict.current.number
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.unchanged:
                messages.info(request, "Nothing changed, so no new version was saved.")
            elif result.merged:
                messages.warning(
                    request,
                    f"Someone else saved {result.page.title} while you were editing. Your "
                    "changes did not overlap theirs and were merged into version "
                    f"{result.revision.number}.",
                )
            else:
                messages.success(request, f"Saved version {result.revision.number}.")
            return redirect(result.page)
    return render(request, "wikiapp/page_edit.html", context, status=status)


@login_required
@require_POST
def preview(request, space):
    space = space_for(request.user, space, need="edit")
    body = request.POST.get("body", "")
    # Only used to build attachment URLs, which answer 404 for a slug that is not a page.
    page_slug = request.POST.get("page", "")
    if not re.fullmatch(validation.ADDRESS_PATTERN, page_slug):
        page_slug = None
    try:
        html = actions.render_body(space, validation.clean_body(body), page_slug)
    except ValidationError as error:
        return HttpResponse(
            format_html('<p class="error">{}</p>', " ".join(error.messages)), status=400
        )
    return render(request, "wikiapp/_preview.html", {"html": html})


@login_required
@require_http_methods(["GET", "POST"])
def page_rename(request, space, page):
    page = page_for(request.user, space, page, need="edit")
    form = RenameForm(
        request.POST or None, initial={"title": page.title, "base_version": page.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = actions.rename_page(
                    page=page,
                    title=form.cleaned_data["title"],
                    base_version=form.cleaned_data["base_version"],
                    author=_author(request),
                )
            except actions.EditConflict:
                form.add_error(
                    None, "Someone renamed this page meanwhile. Check its title and try again."
                )
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Renamed to {result.page.title}.")
                return redirect(result.page)
    return render(
        request,
        "wikiapp/page_rename.html",
        {"space": page.space, "page": page, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def page_move(request, space, page):
    page = page_for(request.user, space, page, need="edit")
    excluded = subtree_ids(page)
    candidates = Page.objects.filter(space=page.space).exclude(pk__in=excluded).order_by("title")
    parents = [(p.slug, p.title) for p in candidates.only("slug", "title")]
    initial = {"parent": page.parent.slug if page.parent_id else ""}
    form = MoveForm(request.POST or None, parents=parents, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            slug = form.cleaned_data["parent"]
            parent = candidates.filter(slug=slug).first() if slug else None
            position = form.cleaned_data["position"]
            try:
                actions.move_page(
                    page=page,
                    parent=parent,
                    position=position - 1 if position else None,
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Moved {page.title}.")
                return redirect(page)
    return render(
        request,
        "wikiapp/page_move.html",
        {"space": page.space, "page": page, "form": form},
        status=status,
    )
