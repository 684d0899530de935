"""Peak memory and time of read_confluence_xml on a large synthetic Confluence backup.

    .venv/bin/python bench/confluence_xml_memory.py [SIZE_MB] [--keep DIR]

Writes an entities.xml of about SIZE_MB megabytes (default 500) into a temporary zip (deflated),
then reads it in a fresh child process, so the peak RSS it reports (ru_maxrss) is the reader's
alone. Pages get 0-5 historical versions, bodies of 2-30 kB with links, macros, tables and
task lists, and a few attachments each; text is drawn at random so that deflate compresses it
about as well as real pages (ratio well under SafeArchive's limit of 200).
"""

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_VOCABULARY = (
    "deploy server cluster backup restore release branch merge review ticket customer invoice "
    "report quarterly budget forecast roadmap milestone sprint retro incident outage latency "
    "database index query cache queue worker schedule policy security access token audit "
    "network firewall proxy certificate renewal storage volume snapshot migration rollback "
    "the a of to and in for on with by from is are was be this that it as at or not"
)
WORDS = _VOCABULARY.split()
USERS = [(f"ff8080815{n:07x}", f"user{n}") for n in range(40)]
SPACE = "360449"


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    words.append(str(rng.randint(1, 99999)))  # numbers keep deflate honest
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, titles: list[str]) -> str:
    parts, size, target = [], 0, rng.randint(2_000, 30_000)
    while size < target:
        kind = rng.random()
        if kind < 0.55:
            link = ""
            if titles and rng.random() < 0.4:
                link = f'<ac:link><ri:page ri:content-title="{rng.choice(titles)}" /></ac:link> '
            part = f"<p>{sentence(rng)} {link}<strong>{sentence(rng)}</strong>&nbsp;</p>"
        elif kind < 0.65:
            part = f"<h2>{sentence(rng)}</h2>"
        elif kind < 0.75:
            code = "\n".join(f"run {rng.choice(WORDS)} --n {rng.randint(1, 999)}" for _ in "abc")
            part = (
                '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash'
                f"</ac:parameter><ac:plain-text-body><![CDATA[{code}]]></ac:plain-text-body>"
                "</ac:structured-macro>"
            )
        elif kind < 0.82:
            part = (
                '<ac:structured-macro ac:name="info"><ac:rich-text-body>'
                f"<p>{sentence(rng)}</p></ac:rich-text-body></ac:structured-macro>"
            )
        elif kind < 0.9:
            rows = "".join(
                f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 10**6)}</td></tr>"
                for _ in range(rng.randint(2, 8))
            )
            part = f"<table><tbody><tr><th>Name</th><th>Value</th></tr>{rows}</tbody></table>"
        else:
            tasks = "".join(
                f"<ac:task><ac:task-status>{rng.choice(['complete', 'incomplete'])}"
                f"</ac:task-status><ac:task-body>{sentence(rng)}</ac:task-body></ac:task>"
                for _ in range(3)
            )
            part = f"<ac:task-list>{tasks}</ac:task-list>"
        parts.append(part)
        size += len(part)
    return "".join(parts)


def page_object(page_id, title, version, original, parent, position, user, date, body_id):
    original_xml = (
        f'<property name="originalVersion" class="Page" package="com.atlassian.confluence.pages">'
        f'<id name="id">{original}</id></property>'
        if original
        else '<property name="originalVersionId"/>'
    )
    parent_xml = (
        f'<property name="parent" class="Page" package="com.atlassian.confluence.pages">'
        f'<id name="id">{parent}</id></property>'
        if parent
        else ""
    )
    return (
        f'<object class="Page" package="com.atlassian.confluence.pages">\n<id name="id">{page_id}'
        f'</id>\n<property name="position">{position}</property>\n{parent_xml}\n'
        f'<property name="space" class="Space" package="com.atlassian.confluence.spaces">'
        f'<id name="id">{SPACE}</id></property>\n'
        f'<property name="title"><![CDATA[{title}]]></property>\n'
        f'<collection name="bodyContents" class="java.util.Collection"><element class='
        f'"BodyContent" package="com.atlassian.confluence.core"><id name="id">{body_id}</id>'
        f"</element></collection>\n"
        f'<property name="version">{version}</property>\n'
        f'<property name="lastModifier" class="ConfluenceUserImpl" package="com.atlassian.'
        f'confluence.user"><id name="key"><![CDATA[{user}]]></id></property>\n'
        f'<property name="lastModificationDate">{date}</property>\n'
        f'<property name="versionComment"><![CDATA[edit {version}]]></property>\n'
        f'{original_xml}<property name="contentStatus"><![CDATA[current]]></property>\n'
        "</object>\n"
    )


def body_object(body_id, page_id, text):
    text = text.replace("]]>", "]]]]><![CDATA[>")  # a code macro's CDATA inside the body's
    return (
        f'<object class="BodyContent" package="com.atlassian.confluence.core">\n'
        f'<id name="id">{body_id}</id>\n<property name="body"><![CDATA[{text}]]></property>\n'
        f'<property name="content" class="Page" package="com.atlassian.confluence.pages">'
        f'<id name="id">{page_id}</id></property>\n<property name="bodyType">2</property>\n'
        "</object>\n"
    )


def attachment_object(attachment_id, page_id, name):
    return (
        f'<object class="Attachment" package="com.atlassian.confluence.pages">\n'
        f'<id name="id">{attachment_id}</id>\n'
        f'<property name="title"><![CDATA[{name}]]></property>\n'
        f'<property name="version">1</property>\n<property name="originalVersionId"/>'
        f'<property name="contentStatus"><![CDATA[current]]></property>\n'
        f'<property name="containerContent" class="Page" package="com.atlassian.confluence.'
        f'pages"><id name="id">{page_id}</id></property>\n</object>\n'
    )


def generate(path: Path, size: int, seed: int = 1) -> dict:
    """Write a zip with an entities.xml of about `size` bytes; what it holds."""
    rng = random.Random(seed)
    counts = {"pages": 0, "revisions": 0, "attachments": 0}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("entities.xml", "w", force_zip64=True) as out:
            written = 0

            def emit(text: str) -> None:
                nonlocal written
                data = text.encode()
                out.write(data)
                written += len(data)

            emit('<?xml version="1.0" encoding="UTF-8"?>\n<hibernate-generic datetime="x">\n')
            for key, name in USERS:
                emit(
                    f'<object class="ConfluenceUserImpl" package="com.atlassian.confluence.user">'
                    f'<id name="key"><![CDATA[{key}]]></id><property name="name"><![CDATA['
                    f"{name}]]></property></object>\n"
                )
            emit(
                f'<object class="Space" package="com.atlassian.confluence.spaces"><id name="id">'
                f'{SPACE}</id><property name="key"><![CDATA[BIG]]></property></object>\n'
            )
            next_id, titles = 1_000_000, []
            while written < size:
                page_id, next_id = next_id, next_id + 100
                title = f"{sentence(rng)[:40].rstrip('.')} {page_id}"
                parent = rng.choice(titles)[1] if titles and rng.random() < 0.8 else None
                history = rng.randint(0, 5)
                for version in range(1, history + 2):
                    current = version == history + 1
                    object_id = page_id if current else page_id + version
                    user = rng.choice(USERS)[0]
                    date = f"2019-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 10:00:00.000"
                    links = [t for t, _ in rng.sample(titles, min(5, len(titles)))]
                    emit(body_object(object_id + 50, object_id, body(rng, links)))
                    emit(
                        page_object(
                            object_id,
                            title,
                            version,
                            None if current else page_id,
                            parent,
                            rng.randint(0, 50),
                            user,
                            date,
                            object_id + 50,
                        )
                    )
                    counts["revisions"] += 1
                for n in range(rng.randint(0, 2)):
                    emit(attachment_object(page_id + 60 + n, page_id, f"file-{n}.png"))
                    archive_name = f"attachments/{page_id}/{page_id + 60 + n}/1"
                    counts.setdefault("files", []).append(archive_name)
                    counts["attachments"] += 1
                titles.append((title, page_id))
                counts["pages"] += 1
            emit("</hibernate-generic>\n")
        for name in counts.pop("files", []):
            archive.writestr(name, rng.randbytes(rng.randint(200, 4000)))
    counts["entities_bytes"] = written
    return counts


def read(path: str) -> dict:
    from importers.confluence.xml import read_confluence_xml
    from importers.zipsafe import SafeArchive

    started = time.monotonic()
    with SafeArchive(path) as archive:
        tree = read_confluence_xml(archive)
        pages, revisions, attachments = tree.count()
    return {
        "seconds": round(time.monotonic() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "pages": pages,
        "revisions": revisions,
        "attachments": attachments,
        "links": vars(tree.links),
        "warnings": len(tree.warnings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size_mb", nargs="?", type=int, default=500)
    parser.add_argument("--keep", help="write the zip into this folder and keep it")
    parser.add_argument("--read", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.read:
        print(json.dumps(read(args.read)))
        return
    with tempfile.TemporaryDirectory(dir=args.keep) as folder:
        path = Path(args.keep or folder) / f"confluence-{args.size_mb}mb.zip"
        started = time.monotonic()
        counts = generate(path, args.size_mb * 1024**2)
        print(
            f"generated {counts['entities_bytes'] / 1024**2:.0f} MB entities.xml "
            f"({path.stat().st_size / 1024**2:.0f} MB zipped, {counts['pages']} pages, "
            f"{counts['revisions']} revisions, {counts['attachments']} attachments) "
            f"in {time.monotonic() - started:.0f} s"
        )
        child = subprocess.run(  # noqa: S603 - this same script, on the zip it just wrote
            [sys.executable, __file__, "--read", str(path)],
            capture_output=True,
            text=True,
        )
        if child.returncode:
            sys.exit(child.stderr)
        result = json.loads(child.stdout)
        print(
            f"read_confluence_xml: {result['seconds']} s, peak RSS {result['peak_rss_mb']} MB; "
            f"{result['pages']} pages, {result['revisions']} revisions, "
            f"{result['attachments']} attachments, links {result['links']}, "
            f"{result['warnings']} warnings"
        )


if __name__ == "__main__":
    main()
