"""Storing the XSS payloads where the wiki shows them, through the real write paths.

Pages, fields, change notes, attachments and spaces go through wikiapp.actions, what the
edit forms call; imported content through Notion and Confluence exports built with the
importer tests' builders, for the real import pipeline to store.
"""

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.check import xss_payloads as corpus
from tests.check.xss_watch import Planted, Watch
from tests.e2e.test_import import png
from tests.importers.confluence.xml_builders import Backup
from tests.importers.notion.builders import export_zip
from wikiapp import actions, validation

# One page per payload for the families where one payload's unclosed tag or comment could
# swallow the next; script URLs are inline links, one paragraph each, so each way of placing
# them gets one page holding every spelling, told apart by their markers.
FAMILIES = (
    ("raw HTML", corpus.RAW_HTML),
    ("SVG and MathML", corpus.SVG_MATH),
    ("mutation", corpus.MUTATION),
    ("Markdown", corpus.MARKDOWN),
    ("wiki link", corpus.WIKI_LINKS),
    ("plain text", corpus.PLAIN_TEXT),
)


def url_payloads() -> list[list[str]]:
    """The script-URL payloads, one list per context."""
    pages = [[c.replace("URL", url) for url in corpus.SCRIPT_URLS] for c in corpus.URL_CONTEXTS]
    pages += [
        [c.replace("URL", url) for url in corpus.URL_CONTEXT_SAMPLE]
        for c in corpus.SAMPLED_URL_CONTEXTS
    ]
    return pages


def distinct_payloads() -> set[str]:
    texts = [t for page in url_payloads() for t in page] + list(corpus.CONFLUENCE_STORAGE)
    return set(texts) | {t for _, family in FAMILIES for t in family}


# Artefact kinds and where their free-text fields take a payload (rows as lists of dicts).
def kind_fields(kind: str, planted: Planted) -> dict:
    text, short = planted.text, planted.text[:480]
    # A link field only takes http(s) addresses; this one tries to leave its attribute.
    ticket = f"https://example.com/{planted.marker}\"onmouseover='alert({planted.marker})'"
    return {
        "decision": {"date": "2020-01-01", "status": "proposed", "supersedes": short},
        "goal": {
            "objective": text,
            "status": "at risk",
            "key_results": [{"measure": short, "progress": 10}],
        },
        "backlog": {
            "items": [
                {"title": short, "ticket": ticket},
                {"title": "second"},
            ]
        },
        "retrospective": {
            "date": "2020-01-01",
            "action_items": [{"action": short}],
            "agreement_change": short,
        },
        "runbook": {"trigger": short, "steps": [{"step": short}]},
        "working_agreement": {"clauses": [{"clause": short}]},
        "definition_of_done": {"scope": short, "criteria": [{"criterion": short}]},
    }[kind]


ARTEFACT_KINDS = (
    "decision",
    "goal",
    "backlog",
    "retrospective",
    "runbook",
    "working_agreement",
    "definition_of_done",
)


def plant_page(watch: Watch, *, space, author, family: str, text: str, index: int):
    """A page whose title, text and (every other one) artefact fields all carry `text`."""
    body = watch.plant(family, "page text", text)
    title = watch.plant(family, "page title", text)
    kind = ARTEFACT_KINDS[index // 2 % len(ARTEFACT_KINDS)] if index % 2 == 0 else "page"
    fields = {}
    if kind != "page":
        fields = kind_fields(kind, watch.plant(family, f"{kind} field", text))
    try:
        validation.clean_title(title.text)
    except ValidationError:
        # Control characters or too long: the action refuses such a title outright, so
        # the text and fields are stored under a plain one.
        del watch.planted[title.marker]
        watch.refused += 1
        title = Planted(0, family, "", f"Payload {index}")
    return actions.create_page(
        space=space, title=title.text, body=body.text, kind=kind, fields=fields, author=author
    )


def plant_links(watch: Watch, *, space, author, texts: list[str], index: int):
    """One page of script-URL links, each payload a paragraph of its own."""
    planted = [watch.plant("script URL", "page text", text).text for text in texts]
    return actions.create_page(
        space=space, title=f"Links {index}", body="\n\n".join(planted), author=author
    )


def plant_history(watch: Watch, *, space, author, texts: list[tuple[str, str]]):
    """A page with one revision per payload, the payload as its change note."""
    notes = actions.create_page(space=space, title="Change notes", body="v1", author=author)
    for number, (family, text) in enumerate(texts, start=2):
        message = watch.plant(family, "change note", text).text
        actions.save_revision(
            page=notes,
            base_version=notes.version,
            title=notes.title,
            body=f"v{number}",
            message=message,
            author=author,
        )
        notes.refresh_from_db()
    return notes


def plant_diff(watch: Watch, *, space, author, texts: list[tuple[str, str]]):
    """A page whose two revisions hold every payload, the second with each one changed."""
    before = [watch.plant(family, "diff", text).text for family, text in texts]
    after = [watch.plant(family, "diff", text).text + " edited" for family, text in texts]
    page = actions.create_page(
        space=space, title="Everything at once", body="\n\n".join(before), author=author
    )
    actions.save_revision(
        page=page, base_version=1, title=page.title, body="\n\n".join(after), author=author
    )
    return page


def plant_files(watch: Watch, *, space, author, texts: list[tuple[str, str]]):
    """A page with one attachment per payload, named by it; every other one a real PNG."""
    page = actions.create_page(space=space, title="Files", body="Attached files.", author=author)
    for index, (family, text) in enumerate(texts):
        planted = watch.plant(family, "attachment name", text)
        name, data = planted.text, b"plain text"
        if index % 2:
            name, data = name + ".png", png()
        actions.add_attachment(
            page=page, upload=SimpleUploadedFile("upload", data), name=name, author=author
        )
    return page


# Every sixth payload of each family, so both exports together see every family.
SAMPLED = [
    (family, text)
    for family, texts in (
        ("raw HTML", corpus.RAW_HTML),
        ("SVG and MathML", corpus.SVG_MATH),
        ("mutation", corpus.MUTATION),
        ("Markdown", corpus.MARKDOWN),
        ("wiki link", corpus.WIKI_LINKS),
    )
    for text in texts[::6]
]
# Titles and file names are one line; a "/" would make a folder of a Notion file name.
ONE_LINE = [t for t in corpus.PLAIN_TEXT if "/" not in t]


def notion_export(watch: Watch) -> bytes:
    """Pages with payload titles, text and properties, and a database with payload cells."""
    files: dict[str, str | bytes] = {}
    rows = []
    for index, (family, text) in enumerate(SAMPLED):
        page_id = f"{index + 1:032x}"
        one_line = ONE_LINE[index % len(ONE_LINE)]
        title = watch.plant("plain text", "Notion title", one_line).text
        body = watch.plant(family, "Notion text", text).text
        name = watch.plant("plain text", "Notion file name", one_line)
        properties = ""
        if index % 3 == 0:
            # "Goal" in the title makes a goal, whose Objective property becomes its field.
            title = f"Goal {title}"
            goal = watch.plant("plain text", "Notion property", one_line)
            properties = f"Objective: {goal.text}\nStatus: at risk\n\n"
        files[f"Page {index} {page_id}.md"] = (
            f"# {title}\n\n{properties}{body}\n\n"
            f"![picture](Page%20{index}%20{page_id}/{quote(name.text)}.png)\n"
        )
        files[f"Page {index} {page_id}/{name.text}.png"] = png()
        cell = watch.plant(family, "Notion database cell", text).text
        rows.append('"' + cell.replace('"', '""') + '",proposed,ada,"May 4, 2021"')
    database = "Name,Status,Owner,Date\n" + "\n".join(rows) + "\n"
    files[f"Decisions {'d' * 32}.csv"] = database
    files[f"Decisions {'d' * 32}_all.csv"] = database
    return export_zip([files])


def confluence_export(watch: Watch) -> bytes:
    """An XML backup: payload titles, storage-format bodies, version comments, attachments."""
    backup = Backup().user("u1", "alice").space(home="100")
    texts = [("Confluence storage", t) for t in corpus.CONFLUENCE_STORAGE]
    texts += [(family, text) for family, text in SAMPLED[3::2]]
    backup.page("100", "Home", "<p>Home</p>")
    for index, (family, text) in enumerate(texts):
        page_id = str(200 + index)
        title = watch.plant("plain text", "Confluence title", ONE_LINE[index % len(ONE_LINE)])
        body = watch.plant(family, "Confluence body", text).text
        # Change notes show on the history page, opened for every third page.
        comment = ""
        if index % 3 == 0:
            comment = watch.plant("plain text", "Confluence version comment", ONE_LINE[index % 9])
        backup.page(
            page_id,
            f"{title.text} {index}",
            body,
            parent="100",
            position=index,
            creator="u1",
            modifier="u1",
            comment=comment and comment.text,
        )
        name = watch.plant("plain text", "Confluence attachment", ONE_LINE[index % len(ONE_LINE)])
        backup.attachment(str(900 + index), f"{name.text}.png", page=page_id, data=png())
    return backup.zip()
