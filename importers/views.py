"""The Import page: space admins upload an export and watch it run in the background."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from artefacts import kinds
from importers import jobs
from importers.forms import AgainForm, ImportForm
from importers.models import ImportJob
from wikiapp.permissions import space_for
from wikiapp.views import wants_fragment

RECENT_JOBS = 20
REPORT_WARNINGS_SHOWN = 200


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request, space):
    space = space_for(request.user, space, need="admin")
    ImportJob.objects.filter(space=space).fail_stopped()
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            job = jobs.queue_import(
                space=space,
                user=request.user,
                source=form.cleaned_data["source"],
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )
            return redirect(job)
    recent = list(ImportJob.objects.filter(space=space).select_related("created_by")[:RECENT_JOBS])
    for job in recent:
        job.space = space  # for its URL, without a query per row
    return render(
        request,
        "importers/import.html",
        {"space": space, "form": form, "jobs": recent},
        status=status,
    )


def _job_for(request, space: str, job: int, need: str = "admin") -> ImportJob:
    space = space_for(request.user, space, need=need)
    ImportJob.objects.filter(space=space, pk=job).fail_stopped()
    found = get_object_or_404(ImportJob.objects.select_related("created_by"), space=space, pk=job)
    found.space = space
    return found


@login_required
@require_GET
def import_job(request, space, job):
    job = _job_for(request, space, job)
    template = "importers/job.html#status" if wants_fragment(request) else "importers/job.html"
    report = job.report or {}
    for item in report.get("kinds_assigned", []):
        item["kind_label"] = kinds.get(item["kind"]).label
    return render(
        request,
        template,
        {
            "space": job.space,
            "job": job,
            "report": report,
            "warnings": (report.get("warnings") or [])[:REPORT_WARNINGS_SHOWN],
            "upload_kept": bool(job.upload),
        },
    )


@login_required
@require_GET
def import_report(request, space, job):
    job = _job_for(request, space, job)
    response = JsonResponse(
        job.report or {"status": job.status, "error": job.error},
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.json"'
    return response


@login_required
@require_POST
def import_again(request, space, job):
    job = _job_for(request, space, job)
    form = AgainForm(request.POST)
    form.is_valid()  # one optional checkbox: always valid
    try:
        again = jobs.requeue_import(
            job=job, user=request.user, dry_run=form.cleaned_data.get("dry_run", False)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(job)
    return redirect(again)
