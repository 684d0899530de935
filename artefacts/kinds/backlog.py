from artefacts.kinds.base import Field, Kind

PRIORITIES = ("high", "medium", "low")
STATUSES = ("todo", "doing", "done")


def health(check) -> list:
    findings = []
    for page in check.pages:
        unowned = [
            item["title"]
            for item in page.fields.get("items", [])
            if not item.get("owner") and item.get("status") != "done"
        ]
        if unowned:
            shown = ", ".join(unowned[:3]) + (" …" if len(unowned) > 3 else "")
            findings.append(
                check.finding(
                    f"{len(unowned)} backlog item{'s' if len(unowned) > 1 else ''} in "
                    f"{page.title} without an owner: {shown}.",
                    check.edit_url(page),
                )
            )
    return findings


KIND = Kind(
    key="backlog",
    label="Backlog",
    plural="Backlog",
    list_slug="backlog",
    go_key="b",
    menu="Backlog",
    health=health,
    fields=(
        Field(
            "items",
            "Items",
            "rows",
            help="In order, one per line: title | owner | priority | status | ticket link",
            columns=(
                Field("title", "Title", required=True),
                Field("owner", "Owner", "person"),
                Field("priority", "Priority", "choice", choices=PRIORITIES),
                Field("status", "Status", "choice", choices=STATUSES),
                Field("ticket", "Ticket", "url"),
            ),
        ),
    ),
    template="""\
The team's one ordered backlog: the top item is the next one to pick up.
""",
)
