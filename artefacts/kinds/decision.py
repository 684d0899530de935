from artefacts.kinds.base import Field, Kind

STATUSES = ("proposed", "accepted", "superseded", "rejected")


def health(check) -> list:
    findings = []
    limit = check.settings.decision_proposed_days
    for page in check.pages:
        if page.fields.get("status") != "proposed":
            continue
        waiting = check.days_since(page.fields.get("date"))
        if waiting is None:
            waiting = (check.today - page.created_at.date()).days
        if waiting > limit:
            findings.append(
                check.finding(
                    f"Decision {page.title} has been proposed for {waiting} days.",
                    check.edit_url(page),
                )
            )
    return findings


KIND = Kind(
    key="decision",
    label="Decision",
    plural="Decision log",
    list_slug="decisions",
    go_key="d",
    menu="Decisions",
    health=health,
    fields=(
        Field("date", "Date", "date", required=True),
        Field("owner", "Owner", "person"),
        Field("status", "Status", "choice", required=True, choices=STATUSES),
        Field("supersedes", "Supersedes", help="Address of the decision this one replaces"),
        Field("superseded_by", "Superseded by", help="Address of the decision replacing this"),
    ),
    template="""\
## Context
What is the issue that we are seeing that motivates this decision?

## Decision
What we decided to do.

## Consequences
What becomes easier or harder because of this decision.
""",
)
