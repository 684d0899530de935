"""What a kind of page is made of: typed fields, a starting text, and health rules.

A kind is data plus a little code. Field values are plain JSON (strings, numbers,
lists of small records) stored on each revision, so they are versioned with the text.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

MAX_TEXT = 500
MAX_ROWS = 200


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"  # text longtext date choice person url number flag rows
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    # For type "rows": the columns of each row, in the order they are typed.
    columns: tuple["Field", ...] = ()

    def clean(self, raw, *, require: bool = True) -> object:
        """The stored value for `raw` (form text or JSON value); raises ValidationError.

        `require=False` accepts a missing required value: an imported page may lack one,
        and the health page points at it rather than the import failing.
        """
        if self.type == "rows":
            return self._clean_rows(raw, require=require)
        value = "" if raw is None else str(raw).strip()
        if "\x00" in value:
            raise ValidationError(f"{self.label} contains a NUL byte.")
        if not value:
            if self.required and require:
                raise ValidationError(f"{self.label} is required.")
            return None
        limit = 5000 if self.type == "longtext" else MAX_TEXT
        if len(value) > limit:
            raise ValidationError(f"{self.label} is longer than {limit} characters.")
        return _CLEANERS.get(self.type, _clean_plain)(self, value)

    def _clean_rows(self, raw, *, require: bool) -> list[dict]:
        rows = parse_rows(raw) if isinstance(raw, str) else (raw or [])
        if not isinstance(rows, list):
            raise ValidationError(f"{self.label} must be a list.")
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"{self.label} has more than {MAX_ROWS} rows.")
        cleaned = []
        for number, row in enumerate(rows, start=1):
            if isinstance(row, list):
                row = dict(zip([c.name for c in self.columns], row, strict=False))
            if not isinstance(row, dict):
                raise ValidationError(f"{self.label}, row {number}: not a row.")
            item = {}
            for column in self.columns:
                try:
                    item[column.name] = column.clean(row.get(column.name))
                except ValidationError as error:
                    raise ValidationError(
                        f"{self.label}, row {number}: {' '.join(error.messages)}"
                    ) from error
            cleaned.append(item)
        if self.required and require and not cleaned:
            raise ValidationError(f"{self.label} needs at least one row.")
        return cleaned

    def as_text(self, value) -> str:
        """How the value is typed in a form: rows as `a | b | c` lines."""
        if value is None:
            return ""
        if self.type == "rows":
            return "\n".join(
                " | ".join(_cell_text(row.get(c.name)) for c in self.columns) for row in value
            ).rstrip()
        return str(value)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("|", "/")


def parse_rows(text: str) -> list[list[str]]:
    """One row per non-blank line, cells separated by `|`."""
    return [
        [cell.strip() for cell in line.split("|")]
        for line in text.replace("\r\n", "\n").split("\n")
        if line.strip()
    ]


def _clean_plain(f: Field, value: str) -> str:
    return value


def _clean_date(f: Field, value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError as error:
        raise ValidationError(f"{f.label} must be a date like 2026-03-31.") from error


def _clean_choice(f: Field, value: str) -> str:
    folded = {c.casefold(): c for c in f.choices}
    if value.casefold() not in folded:
        raise ValidationError(f"{f.label} must be one of: {', '.join(f.choices)}.")
    return folded[value.casefold()]


_PERSON = re.compile(r"^@?[\w.@+-]{1,150}$")


def _clean_person(f: Field, value: str) -> str:
    if not _PERSON.match(value):
        raise ValidationError(f"{f.label} must be a username, like ada.")
    return value.lstrip("@")


def _clean_url(f: Field, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(f"{f.label} must be an http or https link.")
    return value


def _clean_number(f: Field, value: str) -> int:
    try:
        number = int(value.rstrip("%"))
    except ValueError as error:
        raise ValidationError(f"{f.label} must be a whole number.") from error
    if not 0 <= number <= 100:
        raise ValidationError(f"{f.label} must be between 0 and 100.")
    return number


def _clean_flag(f: Field, value: str) -> bool:
    lowered = value.casefold()
    if lowered in {"yes", "y", "true", "done", "x", "1"}:
        return True
    if lowered in {"no", "n", "false", "open", "", "0"}:
        return False
    raise ValidationError(f"{f.label} must be yes or no.")


_CLEANERS = {
    "date": _clean_date,
    "choice": _clean_choice,
    "person": _clean_person,
    "url": _clean_url,
    "number": _clean_number,
    "flag": _clean_flag,
}


@dataclass(frozen=True)
class Finding:
    """Something the space health page points at, linked to the page that fixes it."""

    message: str
    url: str
    kind: str = ""


@dataclass(frozen=True)
class Kind:
    key: str  # stored in Page.kind
    label: str
    plural: str
    list_slug: str  # URL part of its list view; "" for plain pages
    go_key: str  # the letter after `g` that opens its list
    menu: str = ""  # short name in the space navigation
    fields: tuple[Field, ...] = ()
    template: str = ""  # the Markdown a new page of this kind starts with
    is_artefact: bool = True
    # health(check) -> list[Finding]: what is stale, unowned or overdue among this kind's
    # pages; `check` is an artefacts.health.Check. None: the kind has no rules.
    health: object = None
    extra: dict = field(default_factory=dict)

    def clean_fields(self, data: dict, *, require: bool = True) -> dict:
        """Validated field values; errors name every bad field at once."""
        cleaned, errors = {}, {}
        for f in self.fields:
            try:
                value = f.clean(data.get(f.name), require=require)
            except ValidationError as error:
                errors[f.name] = error.messages
                continue
            if value not in (None, []):
                cleaned[f.name] = value
        if errors:
            raise ValidationError(errors)
        return cleaned

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def parse_date(value) -> datetime.date | None:
    """A stored date field as a date; None when empty or not a date (e.g. imported junk)."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
