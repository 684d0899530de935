"""In-memory Notion HTML exports for the reader's tests, with Notion's own markup."""

from urllib.parse import quote

from importers.notion import read_notion_html
from importers.tree import SourcePage, SourceTree
from tests.importers.notion.builders import WRAPPER, archive, export_zip

HOME = "1590080aa5a3802488c2e857dea7aa7d"
SUB = "1580080aa5a38194a9c0e77779ee82d5"
TASKS = "c86dcb5c74ae4e5399086dd0b8272e87"
ROW_DOCS = "152bb52ee2b581969debf801f63aa833"
ROW_SHIP = "152bb52ee2b580179846fd78b2b60ea9"
BLOCKS = "1580080aa5a380d1b0c7c2f979343d88"
FILES = "15f0080aa5a380c6b16cfed449a03a8b"
ORPHAN = "0ef88ee1ec0d4a4880b32919ab8ece4a"
CHILD = "25592a85546546a48b02dfa4fb545e1d"
NOTES = "2a889dba369b48709ec62508d5020d93"
LATIN1 = "152bb52ee2b580ba808bed6975159f7c"
BROKEN = "ba969b930dec4f26b1d82ab1f6306d94"
BROKEN_CHILD = "7d3f3a8e2b1c4d5e9f0a1b2c3d4e5f60"
GONE = "0123456789abcdef0123456789abcdef"

STYLE = "<style>body { margin: 0 } .page-title { font-size: 2em }</style>"


def dashed(page_id: str) -> str:
    p = page_id
    return f"{p[:8]}-{p[8:12]}-{p[12:16]}-{p[16:20]}-{p[20:]}"


def href(path: str) -> str:
    """A link the way Notion writes it: every path segment percent-encoded."""
    return quote(path, safe="/")


def page_html(
    title: str, body: str, *, page_id: str = "", properties: str = "", description: str = ""
) -> str:
    article_id = f' id="{dashed(page_id)}"' if page_id else ""
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>'
        f"<title>{title}</title>{STYLE}</head><body>"
        f'<article{article_id} class="page sans"><header>'
        '<div class="page-header-icon undefined"><span class="icon">📄</span></div>'
        f'<h1 class="page-title">{title}</h1><p class="page-description">{description}</p>'
        f"{properties}</header>"
        f'<div class="page-body">{body}</div></article>'
        '<span class="sans" style="font-size:14px;padding-top:2em"></span></body></html>'
    )


def database_html(title: str, table: str, *, page_id: str) -> str:
    """A full-page database: the table sits in the article, there is no page-body."""
    return (
        f"<html><head><title>{title}</title>{STYLE}</head><body>"
        f'<article id="{dashed(page_id)}" class="page sans"><header>'
        f'<h1 class="page-title">{title}</h1><p class="page-description"></p></header>'
        f"{table}</article></body></html>"
    )


def properties(rows: list[tuple[str, str, str]]) -> str:
    """A page's properties table from (type, name, cell HTML) rows."""
    cells = "".join(
        f'<tr class="property-row property-row-{kind}"><th><span class="icon property-icon">'
        f'<svg class="typesText"><path d="M0 0"></path></svg></span>{name}</th>'
        f"<td>{cell}</td></tr>"
        for kind, name, cell in rows
    )
    return f'<table class="properties"><tbody>{cells}</tbody></table>'


def collection(headers: list[str], rows: list[tuple[str, list[str]]]) -> str:
    """A database table; rows are (row id, cell HTML), the first cell a link to the row page."""
    head = "".join(
        f'<th><span class="icon property-icon"><svg class="typesTitle"></svg></span>{h}</th>'
        for h in headers
    )
    body = "".join(
        f'<tr id="{dashed(row_id)}"><td class="cell-title">{cells[0]}</td>'
        + "".join(f"<td>{cell}</td>" for cell in cells[1:])
        + "</tr>"
        for row_id, cells in rows
    )
    return (
        f'<table class="collection-content"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def select(*values: str) -> str:
    return "".join(
        f'<span class="selected-value select-value-color-blue">{v}</span>' for v in values
    )


def user(*names: str) -> str:
    return "".join(
        f'<span class="user"><img src="https://s3.example/avatar.png" class="icon user-icon"/>'
        f"{name}</span>"
        for name in names
    )


def checkbox(on: bool) -> str:
    return f'<div class="checkbox checkbox-{"on" if on else "off"}"></div>'


def katex(tex: str, *, display: bool) -> str:
    """KaTeX output as Notion exports it: MathML with the TeX source, plus the HTML layout."""
    math = (
        '<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>x</mi></mrow>'
        f'<annotation encoding="application/x-tex">{tex}</annotation></semantics></math></span>'
        '<span class="katex-html" aria-hidden="true"><span class="base">'
        '<span class="mord mathnormal">LAYOUT</span></span></span></span>'
    )
    if display:
        return (
            '<figure id="1580080a-a5a3-8173-8d6f-dcaa148dd5e5" class="equation">'
            "<style>@import url('https://cdnjs.example/katex.min.css')</style>"
            f'<div class="equation-container"><span class="katex-display">{math}</span></div>'
            "</figure>"
        )
    return (
        "<style>@import url('https://cdnjs.example/katex.min.css')</style>"
        '<span data-token-index="0" contenteditable="false" class="notion-text-equation-token">'
        f"<span></span><span>{math}</span><span>\ufeff</span></span>"
    )


def callout(icon: str, text: str, colour: str = "default_background") -> str:
    return (
        f'<figure class="block-color-{colour} callout" style="white-space:pre-wrap;display:flex">'
        f'<div style="font-size:1.5em">{icon}</div>'
        f'<div style="width:100%"><p class="">{text}</p></div></figure>'
    )


def html_export(parts: list[dict[str, bytes | str]], wrapper: str | None = WRAPPER) -> bytes:
    return export_zip(parts, wrapper=wrapper)


def read(parts: list[dict[str, bytes | str]], **kwargs) -> SourceTree:
    return read_notion_html(archive(html_export(parts, **kwargs)))


def page_in(tree: SourceTree, source_id: str) -> SourcePage:
    return next(page for _, page in tree.walk() if page.source_id == source_id)


def body_of(tree: SourceTree, source_id: str) -> str:
    return page_in(tree, source_id).revisions[-1].body


def parent_id(tree: SourceTree, source_id: str) -> str | None:
    for parent, page in tree.walk():
        if page.source_id == source_id:
            return parent.source_id if parent else None
    raise AssertionError(source_id)


# --------------------------------------------------------------------------- the sample export

H = f"Home {HOME}"
T = f"{H}/Tasks {TASKS}"
F = f"Files {FILES}"

HOME_BODY = (
    f'<figure class="link-to-page"><a href="{href(f"{H}/Sub page {SUB}.html")}">'
    '<span class="icon">📄</span>Sub page</a></figure>'
    f'<p>See <a href="{href(f"{H}/Tasks {TASKS}.html")}">the task list</a>, '
    f'<a href="https://www.notion.so/Blocks-{BLOCKS}?pvs=4#15b0080aa5a3805aba38c10161727d4c">'
    f"https://www.notion.so/Blocks-{BLOCKS}?pvs=4</a> and "
    f'<a href="%EF%BB%BFNotes%20{NOTES}.html">the notes</a>.</p>'
    '<p>Out: <a href="https://example.com/docs">docs</a>, '
    '<a href="mailto:ann@example.com">mail</a>, '
    '<a href="#15b0080a-a5a3-805a-ba38-c10161727d4c">this heading</a>.</p>'
    f'<p>Lost: <a href="Gone%20{GONE}.html">Gone page</a></p>'
)

TASKS_TABLE = collection(
    ["Name", "Status", "Due", "Done", "Tags"],
    [
        (
            ROW_DOCS,
            [
                f'<a href="{href(f"Tasks {TASKS}/Write docs {ROW_DOCS}.html")}">Write docs</a>',
                select("In progress"),
                "<time>@December 4, 2024</time>",
                checkbox(True),
                select("docs", "urgent"),
            ],
        ),
        (
            ROW_SHIP,
            [
                f'<a href="{href(f"Tasks {TASKS}/Ship it {ROW_SHIP}.html")}">Ship it</a>',
                select("Not started"),
                "",
                checkbox(False),
                "",
            ],
        ),
    ],
)

ROW_PROPERTIES = properties(
    [
        ("status", "Status", select("In progress")),
        ("date", "Due", "<time>@December 4, 2024 8:45 AM</time>"),
        ("date", "Sprint", "<time>@Dec 1, 2024 → Dec 14, 2024</time>"),
        ("person", "Owner", user("Ann Lee")),
        ("person", "Reviewers", user("Bob", "Cleo")),
        ("select", "Area", select("Docs")),
        ("multi_select", "Tags", select("docs", "urgent")),
        ("checkbox", "Done", checkbox(True)),
        ("checkbox", "Blocked", checkbox(False)),
        (
            "url",
            "Spec",
            '<a href="https://example.com/spec" class="url-value">example.com/spec</a>',
        ),
        ("number", "Estimate", "3"),
        ("number", "Budget", "$1,234.50"),
        ("text", "Summary", "Write it, then ship it"),
        ("relation", "Blocks", f'<a href="Ship%20it%20{ROW_SHIP}.html">Ship it</a>'),
        ("created_time", "Created", "<time>@November 30, 2024 9:15 AM</time>"),
    ]
)

BLOCKS_BODY = (
    '<h1 id="15b0080a-a5a3-805a-ba38-c10161727d4c">Heading one</h1><h2>Heading two</h2>'
    "<h3>Heading three</h3>"
    '<ul class="bulleted-list"><li style="list-style-type:disc">First</li></ul>'
    '<ul class="bulleted-list"><li style="list-style-type:disc">Second'
    '<ul class="bulleted-list"><li style="list-style-type:circle">Nested</li></ul></li></ul>'
    '<ol type="1" class="numbered-list" start="1"><li>One</li></ol>'
    '<ol type="1" class="numbered-list" start="2"><li>Two</li></ol>'
    '<ul class="to-do-list"><li><div class="checkbox checkbox-on"></div> '
    '<span class="to-do-children-checked">Done task</span><div class="indented"></div></li></ul>'
    '<ul class="to-do-list"><li><div class="checkbox checkbox-off"></div> '
    '<span class="to-do-children-unchecked">Open task</span><div class="indented"></div></li></ul>'
    '<ul class="toggle"><li><details open=""><summary>Toggle title</summary>'
    "<p>Hidden text</p></details></li></ul>"
    '<details open=""><summary style="font-weight:600;font-size:1.5em">Toggle heading</summary>'
    '<div class="indented"><p>Inside</p></div></details>'
    + callout('<span class="icon">💡</span>', "A tip")
    + callout('<span class="icon">⚠️</span>', "Careful")
    + callout(
        '<img class="icon" src="https://www.notion.so/icons/info-alternate_green.svg"/>', "Info"
    )
    + callout("", "Red alert", colour="red_background")
    + callout("", "Plain")
    + '<pre class="code"><code class="language-Python">print(&quot;hi&quot;)</code></pre>'
    '<pre class="code"><code class="language-Plain Text">plain text</code></pre>'
    "<blockquote>A quote</blockquote><hr/>"
    '<table class="simple-table"><tbody><tr><td class="">Key</td><td>Value</td></tr>'
    "<tr><td>a</td><td>1</td></tr></tbody></table>"
    + katex("E = mc^2", display=True)
    + "<p>Inline "
    + katex(" a^2 + b^2 ", display=False)
    + " math.</p>"
    '<figure><a href="https://example.com/article" class="bookmark source">'
    '<div class="bookmark-info"><div class="bookmark-text">'
    '<div class="bookmark-title">An article</div>'
    '<div class="bookmark-description">What it says</div></div>'
    '<div class="bookmark-href"><img src="https://example.com/favicon.ico" '
    'class="icon bookmark-icon"/>https://example.com/article</div></div>'
    '<img src="https://example.com/cover.png" class="bookmark-image"/></a></figure>'
    '<nav class="block-color-gray table_of_contents"><div class="table_of_contents-item">'
    '<a class="table_of_contents-link" href="#15b0080a">Heading one</a></div></nav>'
)


def _file_block(path: str, label: str) -> str:
    return f'<figure><div class="source"><a href="{href(path)}">{label}</a></div></figure>'


def _image(path: str, caption: str = "") -> str:
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    src = path if path.startswith("https:") else href(path)
    return (
        f'<figure class="image"><a href="{src}"><img style="width:720px" '
        f'src="{src}"/></a>{figcaption}</figure>'
    )


FILES_BODY = (
    _image(f"{F}/diagram v2 (final).png", "The diagram")
    + _file_block(f"{F}/kocky-jsou-nejlepsi.jpg", "kočky-jsou-nejlepší.jpg")
    # Notion keeps a percent-encoded name as is on disk and encodes it once more in links.
    + _image(f"{F}/%D0%BA%D0%BE%D1%88%D0%BA%D0%B8.png")
    + _file_block(f"{F}/name-with-percents-0063.jpg", "name-with-percents-%00%63.jpg")
    + _image(f"{F}/----.jpg")
    + _image(f"{F}/diagram v2 (final).png")
    + _image("https://upload.example/cat.jpg", "A cat")
    + _image(f"{F}/missing.png")
)

PART_1 = {
    f"{H}.html": page_html("Home", HOME_BODY, page_id=HOME),
    f"{T}.html": database_html("Tasks", TASKS_TABLE, page_id=TASKS),
    f"{T}/Write docs {ROW_DOCS}.html": page_html(
        "Write docs",
        f'<p>Depends on <a href="Ship%20it%20{ROW_SHIP}.html">Ship it</a>.</p>',
        page_id=ROW_DOCS,
        properties=ROW_PROPERTIES,
    ),
    f"Blocks {BLOCKS}.html": page_html("Blocks", BLOCKS_BODY, page_id=BLOCKS),
    f"{F}.html": page_html("Files", FILES_BODY, page_id=FILES),
    f"{F}/diagram v2 (final).png": b"\x89PNG diagram",
    f"{F}/kocky-jsou-nejlepsi.jpg": b"\xff\xd8\xff czech",
    f"{F}/%D0%BA%D0%BE%D1%88%D0%BA%D0%B8.png": b"\x89PNG cyrillic",
    f"{F}/name-with-percents-0063.jpg": b"\xff\xd8\xff percents",
    f"{F}/----.jpg": b"\xff\xd8\xff dashes",
    f"{F}/notes.txt": b"not linked from the page",
    "loose.txt": b"belongs to no page",
}

PART_2 = {
    f"{H}/Sub page {SUB}.html": page_html(
        "Sub page",
        f'<p>Back <a href="../Home%20{HOME}.html">home</a>, on to '
        f'<a href="../Blocks%20{BLOCKS}.html#15b0080aa5a3805aba38c10161727d4c">a heading</a>.</p>',
        page_id=SUB,
    ),
    f"{T}/Ship it {ROW_SHIP}.html": page_html(
        "Ship it",
        "<p>Release.</p>",
        page_id=ROW_SHIP,
        properties=properties([("status", "Status", select("Not started"))]),
    ),
    # A folder name with a trailing space still names its page.
    f"{H} /Child {CHILD}.html": page_html("Child", "<p>Nested.</p>", page_id=CHILD),
    f"\ufeffNotes {NOTES}.html": "\ufeff" + page_html("Notes", "<p>Noted.</p>", page_id=NOTES),
    f"Latin1 {LATIN1}.html": page_html("Latin1", "<p>café</p>")
    .encode()
    .replace(
        "é".encode(),
        b"\xe9",  # one Latin-1 byte in otherwise UTF-8 text
    ),
    f"Broken {BROKEN}.html": b"\x00\x01\x02 not html \x00",
    f"Broken {BROKEN}/Kept child {BROKEN_CHILD}.html": page_html("Kept child", "<p>Here.</p>"),
}


def sample_export() -> bytes:
    return html_export([PART_1, PART_2])
