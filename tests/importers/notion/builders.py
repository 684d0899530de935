"""In-memory Notion "Markdown & CSV" exports for the reader's tests."""

import io
import posixpath
import random
import zipfile
from urllib.parse import quote

from importers.zipsafe import SafeArchive

EXPORT_UUID = "d2b14fbf-86de-4508-a1b2-6515ff8d7aab"
WRAPPER = f"Export-{EXPORT_UUID}"

HOME = "2a889dba369b48709ec62508d5020d93"
SUB = "25592a85546546a48b02dfa4fb545e1d"
TASKS = "c86dcb5c74ae4e5399086dd0b8272e87"
ROW = "152bb52ee2b581969debf801f63aa833"
ORPHAN = "0ef88ee1ec0d4a4880b32919ab8ece4a"
CHILD = "152bb52ee2b580179846fd78b2b60ea9"
BAD = "152bb52ee2b580ba808bed6975159f7c"
GONE = "ba969b930dec4f26b1d82ab1f6306d94"

BOM = "\ufeff"


def zip_bytes(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def export_zip(parts: list[dict[str, bytes | str]], wrapper: str | None = WRAPPER) -> bytes:
    """An outer zip of Export-<uuid>-Part-N.zip files, each optionally wrapped in a folder."""
    prefix = f"{wrapper}/" if wrapper else ""
    return zip_bytes(
        {
            f"Export-{EXPORT_UUID}-Part-{n}.zip": zip_bytes(
                {prefix + path: data for path, data in files.items()}
            )
            for n, files in enumerate(parts, start=1)
        }
    )


PART_1 = {
    "index.html": "<html>manifest</html>",
    f"Home {HOME}.md": BOM
    + "# Home\n\n"
    + f"See [Sub page](Home%20{HOME}/Sub%20page%20{SUB}.md) and "
    + f"[the tasks](Home%20{HOME}/Tasks%20{TASKS}.csv).\n"
    + "Out: [Notion](https://www.notion.so/x) and [mail](mailto:a@example.com).\n"
    + f"Lost: [Gone page](Gone%20{GONE}.md)\n\n"
    + f"![Bild](Home%20{HOME}/Bild%20%C3%BC.png)\n\n"
    + "`[code](not-a-link.md)`\n",
    f"Home {HOME}/Tasks {TASKS}.csv": BOM + "Name,Due,Done,Tags\r\nWrite docs ,x,Yes,docs\r\n",
    f"Home {HOME}/Tasks {TASKS}_all.csv": BOM
    + 'Name,Due,Done,Tags,Owner\r\nWrite docs ,"December 4, 2024 8:45 AM",Yes,'
    + '"docs, urgent",Ann \r\n',
    f"Home {HOME}/Bild ü.png": b"\x89PNG fake image",
}

PART_2 = {
    f"Home {HOME}/Sub page {SUB}.md": f"# Sub page\n\nBack [home](../Home%20{HOME}.md).\n",
    f"Home {HOME}/Tasks {TASKS}/Write docs {ROW}.md": (
        "# Write docs\n\n"
        "Due: December 4, 2024 8:45 AM\n"
        "Done: Yes \n"
        "Tags: docs, urgent\n"
        "Owner: Ann  \n"
        "Start: December 1, 2024\n"
        "\n"
        "Body text."
    ),
    f"Orphan {ORPHAN}/Child {CHILD}.md": "# Child\n\nI have no parent file.",
    f"Bad {BAD}.md": b"# Bad\n\nbroken \xff byte",
}


def archive(data: bytes) -> SafeArchive:
    """The export as every reader gets it: checked, with its Part-N zips opened."""
    return SafeArchive(io.BytesIO(data))


def sample_export() -> bytes:
    return export_zip([PART_1, PART_2])


def generated_export(pages: int, *, seed: int = 1) -> bytes:
    """A Notion Markdown & CSV export of about `pages` pages, shaped like a real team's.

    Top-level pages with two levels of subpages, Markdown with headings, lists, a table,
    code and links to other pages, and a decision database whose rows carry properties.
    Deterministic for a given seed, so benchmark runs compare like with like.
    """
    rng = random.Random(seed)
    ids = [f"{rng.getrandbits(128):032x}" for _ in range(pages)]
    files: dict[str, str] = {}
    decisions = max(1, pages // 10)
    paths = [f"Decision log {ids[0]}.md"]  # each page's .md path, by index
    for index in range(1, pages):
        if index <= decisions:
            folder, title = f"Decision log {ids[0]}", f"ADR {index:04d} Use tool {index}"
        elif index % 25 == 1 or index == decisions + 1:
            folder, title = "", f"Area {index}"
        else:
            parent = paths[rng.randrange(decisions + 1, index)]
            folder, title = parent.removesuffix(".md"), f"Topic {index}"
        paths.append(f"{folder}/{title} {ids[index]}.md".lstrip("/"))
    rows = ["Name,Status,Owner,Date"]
    for index, path in enumerate(paths):
        title = posixpath.basename(path).rsplit(" ", 1)[0]
        links = [paths[rng.randrange(pages)] for _ in range(3)]
        body = [f"# {title}", ""]
        if path.startswith("Decision log ") and index:
            body += ["Status: Accepted", "Owner: ada", "Date: May 4, 2021", ""]
            rows.append(f'{title},Accepted,ada,"May 4, 2021"')
        body += [
            "## Context",
            "",
            " ".join(rng.choice(WORDS) for _ in range(rng.randrange(60, 160))) + ".",
            "",
            "- " + "\n- ".join(rng.choice(WORDS) for _ in range(4)),
            "",
            "| Option | Cost |",
            "|---|---|",
            f"| {rng.choice(WORDS)} | {rng.randrange(100)} |",
            "",
            "```python",
            f"print({index})",
            "```",
            "",
        ]
        depth = path.count("/")
        for target in links:
            name = posixpath.basename(target).rsplit(" ", 1)[0]
            href = quote("../" * depth + target)
            body.append(f"See [{name}]({href}).")
        files[path] = "\n".join(body) + "\n"
    files[f"Decision log {ids[0]}.csv"] = "\n".join(rows) + "\n"
    return export_zip([files])


WORDS = [
    "team",
    "review",
    "deploy",
    "incident",
    "owner",
    "backlog",
    "sprint",
    "goal",
    "decision",
    "runbook",
    "retro",
    "service",
    "latency",
    "database",
    "release",
    "rollback",
    "alert",
    "customer",
    "feature",
    "estimate",
    "agreement",
    "quality",
]
