from artefacts.kinds.base import Field, Kind

PRIORITIES = ("high", "medium", "low")
STATUSES = ("todo", "doing", "done")

KIND = Kind(
    key="backlog",
    label="Backlog",
    plural="Backlog",
    list_slug="backlog",
    go_key="b",
    menu="Backlog",
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
