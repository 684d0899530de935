from artefacts.kinds.base import Field, Kind

STATUSES = ("on track", "at risk", "off track", "done", "dropped")

KIND = Kind(
    key="goal",
    label="Goal",
    plural="Goals",
    list_slug="goals",
    go_key="g",
    menu="Goals",
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
