"""Page properties of a Notion HTML export as field values.

The HTML export says each property's type (``property-row-<type>``), so values are read by
type: dates from ``<time>``, options from ``.selected-value``, people from ``.user``,
relations as the titles of the linked pages. Anything else goes through ``parse_value``,
like the Markdown export's values, so both exports give the same fields.
"""

import datetime
import re
from collections.abc import Callable

from bs4 import Tag

from importers.notion.common import DATE_FORMATS, field_key, parse_value
from importers.notion.html_page import Property

# Notion writes dates the way the user set it up; the unambiguous settings are read.
TIME_FORMATS = (
    *DATE_FORMATS,
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%b %d, %Y",
    "%Y/%m/%d %I:%M %p",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
_TIMEZONE_RE = re.compile(r"\s*\((?:GMT|UTC)[^)]*\)\s*$")
_PEOPLE = {"person", "people", "created_by", "last_edited_by"}
_OPTIONS = {"select", "multi_select", "status"}
_TIMES = {"date", "created_time", "last_edited_time"}

LinkValue = Callable[[Tag], str]


def parse_time(text: str) -> datetime.datetime | None:
    text = _TIMEZONE_RE.sub("", text.strip().lstrip("@").strip())
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.UTC)
        except ValueError:
            pass
    return None


def property_fields(
    properties: list[Property], *, relation: LinkValue, file: LinkValue
) -> tuple[dict, datetime.datetime | None]:
    """(fields, when the page was last edited or else created, if a property says so)."""
    fields: dict = {}
    times: dict[str, datetime.datetime] = {}
    for prop in properties:
        if prop.kind == "title" or not prop.name:
            continue
        fields[field_key(prop.name)] = _value(prop, relation, file)
        if prop.kind in ("created_time", "last_edited_time"):
            moment = parse_time(prop.cell.get_text(" ", strip=True))
            if moment is not None:
                times.setdefault(prop.kind, moment)
    return fields, times.get("last_edited_time") or times.get("created_time")


def _value(prop: Property, relation: LinkValue, file: LinkValue):
    cell, kind = prop.cell, prop.kind
    text = " ".join(cell.get_text(" ").split())
    if kind == "checkbox":
        box = cell.find(class_="checkbox")
        if box is not None:
            return "checkbox-on" in (box.get("class") or [])
        return parse_value(text)
    if kind in _TIMES:
        time = cell.find("time")
        return _date(time.get_text(" ", strip=True) if time else text)
    if kind in _OPTIONS:
        return _one_or_many([_text(v) for v in cell.select(".selected-value")] or _split(text))
    if kind in _PEOPLE:
        return _one_or_many([_text(v) for v in cell.select(".user")] or _split(text))
    if kind == "relation":
        return _one_or_many([relation(a) for a in cell.find_all("a", href=True)])
    if kind == "file":
        return _one_or_many([file(a) for a in cell.find_all("a", href=True)])
    if kind == "url":
        link = cell.find("a", href=True)
        return link["href"].strip() if link is not None else text
    if kind in ("email", "phone_number", "text"):
        return text
    if kind == "number":
        return _number(text)
    return parse_value(text)


def _date(text: str) -> str:
    """ISO dates, like the Markdown reader's; a range keeps both ends."""
    parts = [part.strip() for part in text.split("→")]
    dates = [parse_time(part) for part in parts]
    if parts and all(dates):
        return " → ".join(d.date().isoformat() for d in dates)
    return text.lstrip("@").strip()


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _one_or_many(values: list[str]):
    values = [v for v in values if v]
    if not values:
        return ""
    return values[0] if len(values) == 1 else values
