from artefacts.kinds.base import Field, Kind

KIND = Kind(
    key="definition_of_done",
    label="Definition of done",
    plural="Definition of done",
    list_slug="done",
    go_key="o",
    menu="Done",
    fields=(
        Field("scope", "Applies to", required=True, help="e.g. every user story, every release"),
        Field(
            "criteria",
            "Criteria",
            "rows",
            required=True,
            help="One criterion per line",
            columns=(Field("criterion", "Criterion", required=True),),
        ),
    ),
    template="""\
Work in this scope is done when every criterion above holds. If one cannot hold,
say so in the review and record why.
""",
)
