from artefacts.kinds.base import Field, Kind

KIND = Kind(
    key="runbook",
    label="Runbook",
    plural="Runbooks",
    list_slug="runbooks",
    go_key="u",
    menu="Runbooks",
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
