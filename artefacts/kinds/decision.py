from artefacts.kinds.base import Field, Kind

STATUSES = ("proposed", "accepted", "superseded", "rejected")

KIND = Kind(
    key="decision",
    label="Decision",
    plural="Decision log",
    list_slug="decisions",
    go_key="d",
    menu="Decisions",
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
