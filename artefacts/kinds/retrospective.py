from artefacts.kinds.base import Field, Kind

KIND = Kind(
    key="retrospective",
    label="Retrospective",
    plural="Retrospectives",
    list_slug="retros",
    go_key="r",
    menu="Retros",
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
