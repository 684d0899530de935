from artefacts.kinds.base import Field, Kind


def health(check) -> list:
    findings = []
    limit = check.settings.runbook_exercise_days
    for page in check.pages:
        url = check.edit_url(page)
        age = check.days_since(page.fields.get("last_exercised"))
        if age is None:
            findings.append(check.finding(f"Runbook {page.title} has never been exercised.", url))
        elif age > limit:
            findings.append(
                check.finding(
                    f"Runbook {page.title} was last exercised {age} days ago (more than {limit}).",
                    url,
                )
            )
        if not page.fields.get("owner"):
            findings.append(check.finding(f"Runbook {page.title} has no owner.", url))
    return findings


KIND = Kind(
    key="runbook",
    label="Runbook",
    plural="Runbooks",
    list_slug="runbooks",
    go_key="u",
    menu="Runbooks",
    health=health,
    fields=(
        Field("trigger", "When to use it", required=True),
        Field("owner", "Owner", "person"),
        Field(
            "steps",
            "Steps",
            "rows",
            required=True,
            help="One step per line, in order",
            columns=(Field("step", "Step", required=True),),
        ),
        Field("last_exercised", "Last exercised", "date"),
    ),
    template="""\
## Before you start

## If it goes wrong
""",
)
