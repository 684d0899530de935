"""A page's history: the list of revisions, old revisions, diffs and restore."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from artefacts import kinds
from wikiapp import actions, diffing
from wikiapp.forms import RestoreForm
from wikiapp.models import Revision
from wikiapp.permissions import can, page_for
from wikiapp.views import wants_fragment

HISTORY_PAGE_SIZE = 50


def _revision(page, number: int) -> Revision:
    revision = page.revisions.select_related("author").filter(number=number).first()
    if revision is None:
        raise Http404(f"{page.title} has no version {number}.")
    return revision


def _labelled(kind_key: str, changes: list) -> list[tuple[str, str, str]]:
    """(label, old, new) with each value written the way it is typed in the form."""
    known = {field.name: field for field in kinds.get(kind_key).fields}
    rows = []
    for change in changes:
        field = known.get(change.name)
        if field is None:
            rows.append((change.name, _plain(change.old), _plain(change.new)))
        else:
            rows.append((field.label, field.as_text(change.old), field.as_text(change.new)))
    return rows


def _plain(value) -> str:
    return "" if value is None else str(value)


def _number(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


@login_required
@require_GET
def history(request, space, page):
    page = page_for(request.user, space, page)
    revisions = Paginator(page.revisions.history(), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "wikiapp/history.html#rows" if wants_fragment(request) else "wikiapp/history.html"
    return render(
        request,
        template,
        {"space": page.space, "page": page, "revisions": revisions, "can_edit": can(page, "edit")},
    )


@login_required
@require_GET
def diff(request, space, page):
    page = page_for(request.user, space, page)
    new_number = _number(request.GET.get("to"), page.version)
    old_number = _number(request.GET.get("from"), max(1, new_number - 1))
    if old_number > new_number:
        old_number, new_number = new_number, old_number
    old, new = _revision(page, old_number), _revision(page, new_number)
    mode = "inline" if request.GET.get("mode") == "inline" else "side"
    rows = (diffing.inline if mode == "inline" else diffing.side_by_side)(old.body, new.body)
    return render(
        request,
        "wikiapp/diff.html",
        {
            "space": page.space,
            "page": page,
            "old": old,
            "new": new,
            "mode": mode,
            "old_label": f"Version {old.number}",
            "new_label": f"Version {new.number}",
            "rows": rows,
            "stats": diffing.stats(old.body, new.body),
            "title_changed": old.title != new.title,
            "field_changes": _labelled(page.kind, diffing.field_changes(old.fields, new.fields)),
        },
    )


@login_required
@require_GET
def revision_view(request, space, page, number):
    page = page_for(request.user, space, page)
    revision = _revision(page, number)
    return render(
        request,
        "wikiapp/revision.html",
        {
            "space": page.space,
            "page": page,
            "revision": revision,
            "here": f"Version {revision.number}",
            "can_edit": can(page, "edit"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, space, page, number):
    page = page_for(request.user, space, page, need="edit")
    revision = _revision(page, number)
    form = RestoreForm(request.POST or None, initial={"base_version": page.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = actions.restore_revision(
                    page=page,
                    number=number,
                    base_version=form.cleaned_data["base_version"],
                    author=request.user,
                )
            except actions.StaleVersion as stale:
                messages.error(request, str(stale))
                return redirect(page.url("history"))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if result.unchanged:
                    messages.info(request, f"Version {number} is already the current content.")
                else:
                    messages.success(
                        request,
                        f"Restored version {number} as version {result.revision.number}.",
                    )
                return redirect(result.page)
    rows = diffing.side_by_side(page.current.body, revision.body)
    return render(
        request,
        "wikiapp/restore.html",
        {"space": page.space, "page": page, "revision": revision, "form": form, "rows": rows},
        status=status,
    )
