"""How a page's structured fields are shown: per-kind templates with a plain fallback."""

from dataclasses import dataclass

from django.template.loader import select_template

from artefacts import kinds


@dataclass(frozen=True)
class ShownField:
    name: str
    label: str
    value: object
    rows: list[list[str]] | None = None


def shown_fields(kind_key: str, values: dict) -> list[ShownField]:
    """The kind's fields that have a value, in the kind's order, ready for a template."""
    kind = kinds.get(kind_key)
    shown = []
    for field in kind.fields:
        value = values.get(field.name)
        if value in (None, "", []):
            continue
        rows = None
        if field.type == "rows":
            rows = [[_cell(row.get(c.name)) for c in field.columns] for row in value]
        shown.append(ShownField(field.name, field.label, value, rows))
    return shown


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "done" if value else "open"
    return str(value)


def fields_template(kind_key: str):
    return select_template([f"artefacts/fields/{kind_key}.html", "artefacts/fields/_generic.html"])
