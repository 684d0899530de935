"""Input checks for the actions: each raises ValidationError with a message a user can act on."""

import json
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG = re.compile(r"^[-\w]+$")
# Any page or space address, as the URLs accept it (page slugs run to 200 characters).
ADDRESS_PATTERN = r"[^\W_][-\w]*"
_KIND = re.compile(r"^[a-z][a-z_]{0,31}$")


def _no_control_characters(value: str, label: str) -> None:
    if "\x00" in value:
        raise ValidationError(f"{label} contains a NUL byte, which cannot be stored.")
    if _CONTROL.search(value):
        raise ValidationError(f"{label} contains control characters; remove them and try again.")


def clean_title(value: str, *, label: str = "Title") -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{label} must be text.")
    _no_control_characters(value, label)
    value = " ".join(value.split())
    if not value:
        raise ValidationError(f"{label} cannot be empty.")
    limit = settings.WIKI_MAX_TITLE_LENGTH
    if len(value) > limit:
        raise ValidationError(f"{label} is {len(value):,} characters long; the limit is {limit}.")
    return value


def clean_text(value: str, *, label: str, limit: int = 10_000) -> str:
    if "\x00" in value:
        raise ValidationError(f"{label} contains a NUL byte, which cannot be stored.")
    if len(value) > limit:
        raise ValidationError(f"{label} is {len(value):,} characters long; the limit is {limit:,}.")
    return value.strip()


def clean_body(value: str) -> str:
    if not isinstance(value, str):
        raise ValidationError("The page text must be text.")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in value:
        raise ValidationError("The page text contains a NUL byte, which cannot be stored.")
    limit = settings.WIKI_MAX_BODY_CHARS
    if len(value) > limit:
        raise ValidationError(
            f"The page text is {len(value):,} characters long; the limit is {limit:,}."
        )
    return value


def clean_message(value: str) -> str:
    value = clean_text(value or "", label="Change note", limit=500)
    _no_control_characters(value.replace("\n", " ").replace("\t", " "), "Change note")
    return " ".join(value.split())


def clean_slug(value: str) -> str:
    if not value or not _SLUG.match(value) or value.startswith(("-", "_")) or len(value) > 64:
        raise ValidationError(
            "An address may use letters, digits, - and _, must not start with - or _, "
            "and is at most 64 characters."
        )
    return value


def clean_kind(value: str) -> str:
    from artefacts import kinds

    if not _KIND.match(value or "") or value not in kinds.KINDS:
        raise ValidationError(f"Unknown page kind {value!r}.")
    return value


def _check_json_strings(value, path: str) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError(f"Field {path} contains a NUL byte, which cannot be stored.")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(f"Field names must be text (at {path}).")
            _check_json_strings(key, path)
            _check_json_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json_strings(item, f"{path}[{index}]")
    elif value is not None and not isinstance(value, bool | int | float):
        raise ValidationError(f"Field {path} has a value of type {type(value).__name__}.")


def clean_fields(value: dict, *, kind: str = "page") -> dict:
    """The kind's own fields validated and normalised; other keys kept as plain JSON."""
    from artefacts import kinds

    if not isinstance(value, dict):
        raise ValidationError("Structured fields must be a mapping of names to values.")
    _check_json_strings(value, "")
    if len(json.dumps(value)) > 200_000:
        raise ValidationError("Structured fields are larger than 200,000 characters.")
    known = kinds.get(kind)
    names = {f.name for f in known.fields}
    # Values must be well-formed; whether one is required is the form's concern.
    cleaned = known.clean_fields({k: v for k, v in value.items() if k in names}, require=False)
    return {**{k: v for k, v in value.items() if k not in names}, **cleaned}


def clean_file_name(value: str) -> str:
    # Browsers on Windows may send a full path; keep only the last component.
    value = value.replace("\\", "/").rsplit("/", 1)[-1]
    value = unicodedata.normalize("NFC", value).strip()
    if "\ufffd" in value:
        raise ValidationError("The file name is not valid UTF-8; rename the file and try again.")
    _no_control_characters(value, "The file name")
    if value in {"", ".", ".."}:
        raise ValidationError("The file needs a name.")
    if len(value) > 255:
        raise ValidationError(f"The file name is {len(value)} characters long; the limit is 255.")
    return value
