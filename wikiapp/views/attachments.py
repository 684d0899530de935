"""Uploading, listing and downloading a page's attachments."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from wikiapp import actions
from wikiapp.forms import AttachmentForm
from wikiapp.permissions import can, page_for


@login_required
@require_http_methods(["GET", "POST"])
def attachments(request, space, page):
    page = page_for(request.user, space, page, need="edit" if request.method == "POST" else "read")
    form = AttachmentForm()
    status = 200
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                attachment = actions.add_attachment(
                    page=page, upload=form.cleaned_data["file"], author=request.user
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, f"Attached {attachment.name}.")
                return redirect(page.url("attachments"))
    return render(
        request,
        "wikiapp/attachments.html",
        {
            "space": page.space,
            "page": page,
            "attachments": page.attachments.select_related("uploaded_by"),
            "form": form,
            "can_edit": can(page, "edit"),
            "max_upload": settings.WIKI_MAX_UPLOAD_BYTES,
        },
        status=status,
    )


@login_required
@require_GET
def download(request, space, page, pk, name):
    page = page_for(request.user, space, page)
    attachment = page.attachments.filter(pk=pk).first()
    if attachment is None or attachment.name != name:
        raise Http404("No such attachment on this page.")
    return _send(attachment)


@login_required
@require_GET
def download_named(request, space, page, name):
    page = page_for(request.user, space, page)
    attachment = page.attachments.filter(name=name).first()
    if attachment is None:
        raise Http404("No attachment with this name on this page.")
    return _send(attachment)


def _send(attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not attachment.is_image,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    # Even a file that lies about its type cannot run script in our origin.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'none'; base-uri 'none'"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
