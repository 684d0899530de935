from artefacts.kinds.base import Field, Kind


def health(check) -> list:
    findings = []
    for page in check.pages:
        overdue = check.days_since(page.fields.get("review_by"))
        if overdue is None:
            findings.append(
                check.finding(f"{page.title} has no review-by date.", check.edit_url(page))
            )
        elif overdue > 0:
            findings.append(
                check.finding(
                    f"{page.title} was due for review {overdue} days ago.", check.edit_url(page)
                )
            )
        if not page.fields.get("owner"):
            findings.append(check.finding(f"{page.title} has no owner.", check.edit_url(page)))
    return findings


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
    health=health,
    template="""\
How this team works together. Every member acknowledges the current version.

## Why we have it

## How we change it
Propose a change in the retrospective; the owner edits this page after agreement.
""",
)
