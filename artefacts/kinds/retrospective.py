from artefacts.kinds.base import Field, Kind


def health(check) -> list:
    findings = []
    settings = check.settings
    ages = [check.days_since(p.fields.get("date")) for p in check.pages]
    known = [age for age in ages if age is not None]
    latest = min(known) if known else None
    if latest is None or latest > settings.retro_cadence_days:
        when = "no dated retrospective" if latest is None else f"the last was {latest} days ago"
        findings.append(
            check.finding(
                f"No retrospective within the {settings.retro_cadence_days}-day cadence ({when}).",
                check.create_url(),
            )
        )
    for page, age in zip(check.pages, ages, strict=True):
        for item in page.fields.get("action_items", []):
            if item.get("done"):
                continue
            url = check.edit_url(page)
            if not item.get("owner"):
                findings.append(check.finding(f"Action item “{item['action']}” has no owner.", url))
            if age is not None and age > settings.action_item_open_days:
                findings.append(
                    check.finding(
                        f"Action item “{item['action']}” from {page.title} has been open "
                        f"for {age} days.",
                        url,
                    )
                )
    return findings


KIND = Kind(
    key="retrospective",
    label="Retrospective",
    plural="Retrospectives",
    list_slug="retros",
    go_key="r",
    menu="Retros",
    health=health,
    fields=(
        Field("date", "Date", "date", required=True),
        Field("facilitator", "Facilitator", "person"),
        Field(
            "action_items",
            "Action items",
            "rows",
            help="One per line: action | owner | done (yes/no)",
            columns=(
                Field("action", "Action", required=True),
                Field("owner", "Owner", "person"),
                Field("done", "Done", "flag"),
            ),
        ),
        Field("agreement_change", "Agreement change", help="What it changed in the agreement"),
    ),
    template="""\
## Went well

## To improve
""",
)
