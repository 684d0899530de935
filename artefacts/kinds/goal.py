from artefacts.kinds.base import Field, Kind

STATUSES = ("on track", "at risk", "off track", "done", "dropped")
FINISHED = ("done", "dropped")


def health(check) -> list:
    findings = []
    for page in check.pages:
        status = page.fields.get("status")
        url = check.edit_url(page)
        if not page.fields.get("owner"):
            findings.append(check.finding(f"Goal {page.title} has no owner.", url))
        if status in FINISHED:
            continue
        late = check.days_since(page.fields.get("target_date"))
        if late is not None and late > 0:
            findings.append(
                check.finding(f"Goal {page.title} is {late} days past its target date.", url)
            )
        changed = check.status_changed.get(page.pk)
        if changed is not None:
            quiet = (check.today - changed.date()).days
            if quiet > check.settings.goal_stale_days:
                findings.append(
                    check.finding(
                        f"Goal {page.title} has been {status or 'without a status'} for "
                        f"{quiet} days without a status change.",
                        url,
                    )
                )
    return findings


KIND = Kind(
    key="goal",
    label="Goal",
    plural="Goals",
    list_slug="goals",
    go_key="g",
    menu="Goals",
    health=health,
    fields=(
        Field("objective", "Objective", "longtext", required=True),
        Field("owner", "Owner", "person"),
        Field("target_date", "Target date", "date"),
        Field("status", "Status", "choice", required=True, choices=STATUSES),
        Field(
            "key_results",
            "Key results",
            "rows",
            help="One per line: measure | progress in % (0 to 100)",
            columns=(
                Field("measure", "Measure", required=True),
                Field("progress", "Progress", "number"),
            ),
        ),
    ),
    template="""\
## Why this matters

## How we will know
See the key results above; update their progress as it moves.
""",
)
