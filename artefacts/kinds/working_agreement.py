from artefacts.kinds.base import Field, Kind

KIND = Kind(
    key="working_agreement",
    label="Working agreement",
    plural="Working agreement",
    list_slug="agreement",
    go_key="a",
    menu="Agreement",
    fields=(
        Field("owner", "Owner", "person", help="Who keeps it current"),
        Field("review_by", "Review by", "date", help="When the team looks at it again"),
        Field(
            "clauses",
            "Clauses",
            "rows",
            help="One clause per line",
            columns=(Field("clause", "Clause", required=True),),
        ),
    ),
    template="""\
How this team works together. Every member acknowledges the current version.

## Why we have it

## How we change it
Propose a change in the retrospective; the owner edits this page after agreement.
""",
)
