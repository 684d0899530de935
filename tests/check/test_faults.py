"""PostgreSQL restarted under the app: requests fail cleanly, nothing half-saved, it recovers.

Four editors save and two readers read over real HTTP while the private PostgreSQL is
stopped (a fast shutdown, as `make stop-db` does) and started again. Then it is restarted
once more while no request runs, so each gunicorn worker holds a persistent connection to
the old server, and everyone sends a burst at once. Both times the same gunicorn processes
must go on serving reads and saves, without being restarted.
"""

import http.client
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from tests.check.live import Browser, Response, live_wiki, stored_pages

EDITORS = 4
READERS = 2
DOWN_SECONDS = 1.0  # how long PostgreSQL stays stopped, while requests keep coming
AFTER_SECONDS = 1.0  # load kept up after the recovery
BURST = 3  # requests each person sends at once after the quiet restart
BOUND = 30  # seconds; a safety bound for each wait, never a measured target
ERROR_PAGE = "Something went wrong"  # templates/500.html
MARKERS = itertools.count()  # each save's marker is unique in the run

SETUP = f"""
admin = person("admin")
space = actions.create_space(slug="team", name="Team", created_by=admin)
for number in range({READERS}):
    reader = person(f"reader{{number}}")
    actions.set_role(space=space, user=reader, role=Role.READER, acting_user=admin)
for number in range({EDITORS}):
    editor = person(f"editor{{number}}")
    actions.set_role(space=space, user=editor, role=Role.EDITOR, acting_user=admin)
    actions.create_page(space=space, title=f"Notes {{number}}", body="Start.", author=admin)
"""


@dataclass(frozen=True)
class Request:
    kind: str  # read, form or save
    who: str
    started: float
    ended: float
    outcome: str  # ok, failed cleanly, or bad (a wrong answer, or no answer within the bound)
    marker: str = ""
    detail: str = ""


def test_a_postgres_restart_fails_requests_cleanly_and_the_same_server_recovers(figures):
    with live_wiki(SETUP) as wiki:
        names = [f"editor{n}" for n in range(EDITORS)] + [f"reader{n}" for n in range(READERS)]
        with ThreadPoolExecutor(len(names)) as pool:
            browsers = pool.map(lambda name: _logged_in(wiki, name), names)
            people = dict(zip(names, browsers, strict=True))
        processes_before = wiki.server_pids()
        url = wiki.postgres.url
        log: list[Request] = []
        stop = threading.Event()
        threads = [
            threading.Thread(target=_keep_going, args=(browser, name, stop, log))
            for name, browser in people.items()
        ]
        for thread in threads:
            thread.start()
        try:
            if not wait_for(lambda: _everyone_served(log, len(people))):
                pytest.fail(f"no saves and reads within {BOUND} s, before any restart")
            down = time.monotonic()
            wiki.postgres.stop()
            time.sleep(DOWN_SECONDS)
            wiki.postgres.start()
            up = time.monotonic()
            recovered = wait_for(lambda: _recovered_at(log, up))
            time.sleep(AFTER_SECONDS if recovered else 0)
        finally:
            stop.set()
            for thread in threads:
                thread.join(BOUND)

        # Quiet: every worker keeps its connection to the stopped server until asked again.
        wiki.postgres.stop()
        wiki.postgres.start()
        burst: list[Request] = []
        with ThreadPoolExecutor(len(people)) as pool:
            list(pool.map(lambda person: _burst(*person, burst), people.items()))
        processes_after = wiki.server_pids()
        stored = stored_pages(wiki.postgres, "team")
    log += burst

    # Each revision after the first carries the marker of the save that asked for it.
    revisions = {r.message: r for page in stored.values() for r in page.revisions[1:]}
    acknowledged = [r for r in log if r.kind == "save" and r.outcome == "ok"]
    lost = [
        save
        for save in acknowledged
        if save.marker not in revisions
        or revisions[save.marker].author != save.who
        or save.marker not in revisions[save.marker].body
    ]
    failed_saves = {r.marker for r in log if r.kind == "save" and r.outcome == "failed cleanly"}
    strays = [m for m in revisions if m not in failed_saves | {s.marker for s in acknowledged}]
    partial = [slug for slug, page in stored.items() if not page.whole]
    after_up = [r for r in log if r.started >= up]
    figures.add(
        "PostgreSQL restart",
        requests=len(log),
        failed_cleanly=sum(r.outcome == "failed cleanly" for r in log),
        failed_otherwise=sum(r.outcome == "bad" for r in log),
        acknowledged_saves=len(acknowledged),
        lost_saves=len(lost),
        failed_saves_stored=len(failed_saves & set(revisions)),
        partial_revisions=len(partial),
        unasked_revisions=len(strays),
        requests_after_restart=len(after_up),
        failed_after_restart=sum(r.outcome != "ok" for r in after_up),
        down_ms=round((up - down) * 1000),
        recovered=int(recovered),
    )
    if recovered:
        recovered_in = _recovered_at(log, up) - up
        figures.add("PostgreSQL restart", recovered_in_ms=round(recovered_in * 1000))

    assert recovered, f"no read and save succeeded within {BOUND} s of the restart"
    assert [r for r in log if r.outcome == "bad"] == []
    # The restart did hit requests: this run proved something about failing.
    assert any(r.outcome == "failed cleanly" for r in log)
    assert wiki.postgres.url == url
    assert processes_after == processes_before, "gunicorn's master or workers were replaced"
    assert {r.who for r in burst} == set(people)
    assert [r for r in after_up if r.outcome != "ok"] == [], "a worker kept a dead connection"
    assert lost == []
    assert strays == [], "revisions no save asked for"
    assert partial == [], {slug: stored[slug] for slug in partial}


def _logged_in(wiki, name: str) -> Browser:
    browser = Browser(wiki.base_url)
    browser.log_in(name)
    return browser


def _keep_going(browser: Browser, name: str, stop: threading.Event, log: list) -> None:
    """One person's requests until stopped; a crash of the loop itself is logged as bad."""
    started = time.monotonic()
    try:
        while not stop.is_set():
            _one_turn(browser, name, log)
    except Exception as error:
        log.append(Request("loop", name, started, time.monotonic(), "bad", detail=repr(error)))


def _burst(name: str, browser: Browser, log: list) -> None:
    for _ in range(BURST):
        _one_turn(browser, name, log)


def _one_turn(browser: Browser, name: str, log: list) -> None:
    if name.startswith("editor"):
        _save(browser, name, log)
    else:
        _read(browser, name, log, len(log) % EDITORS)


def _save(browser: Browser, editor: str, log: list[Request]) -> None:
    """Save the editor's own page from a fresh edit form, as the browser would."""
    path = f"/s/team/notes-{editor.removeprefix('editor')}/edit/"
    started = time.monotonic()
    try:
        form, fields = browser.form(path, "base_version")
    except (OSError, http.client.HTTPException) as error:
        log.append(_no_answer("form", editor, started, error))
        return
    if not fields:
        log.append(_judge(form, "form", editor, started, ok=False))
        return
    log.append(Request("form", editor, started, time.monotonic(), "ok"))
    marker = f"[{editor}/{next(MARKERS)}]"
    fields |= {"body": f"Saved by {editor}: {marker}", "message": marker}
    started = time.monotonic()
    try:
        answer = browser.post(path, fields)
    except (OSError, http.client.HTTPException) as error:
        log.append(_no_answer("save", editor, started, error, marker))
        return
    saved = answer.status == 302 and answer.location == path.removesuffix("edit/")
    log.append(_judge(answer, "save", editor, started, ok=saved, marker=marker))


def _read(browser: Browser, reader: str, log: list[Request], number: int) -> None:
    started = time.monotonic()
    try:
        answer = browser.get(f"/s/team/notes-{number}/")
    except (OSError, http.client.HTTPException) as error:
        log.append(_no_answer("read", reader, started, error))
        return
    shown = answer.status == 200 and f"Notes {number}" in answer.text
    log.append(_judge(answer, "read", reader, started, ok=shown))


def _judge(
    answer: Response, kind: str, who: str, started: float, *, ok: bool, marker=""
) -> Request:
    ended = time.monotonic()
    if ok:
        return Request(kind, who, started, ended, "ok", marker)
    if answer.status >= 500 and ERROR_PAGE in answer.text:
        return Request(kind, who, started, ended, "failed cleanly", marker)
    detail = f"{answer.status} {answer.text[:300]}"
    return Request(kind, who, started, ended, "bad", marker, detail)


def _no_answer(kind: str, who: str, started: float, error: Exception, marker="") -> Request:
    # A refused or dropped connection is a clean failure; no answer within the bound is not.
    outcome = "bad" if isinstance(error, TimeoutError) else "failed cleanly"
    return Request(kind, who, started, time.monotonic(), outcome, marker, repr(error))


def _everyone_served(log: list[Request], people: int) -> bool:
    return len({r.who for r in log if r.kind in {"read", "save"} and r.outcome == "ok"}) == people


def _recovered_at(log: list[Request], up: float) -> float | None:
    """When a read and a save started after `up` had both been answered successfully."""
    firsts = []
    for kind in ("read", "save"):
        done = [r.ended for r in log if r.kind == kind and r.outcome == "ok" and r.started >= up]
        if not done:
            return None
        firsts.append(min(done))
    return max(firsts)


def wait_for(condition) -> bool:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
