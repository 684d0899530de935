"""A save the server cannot finish keeps the typed text on screen and says so.

The server side of a failure (PostgreSQL restarted under load) is proved in
tests/check/test_faults.py; here the browser gets those answers, a 500 error page or no
answer at all, for the save it sends, and the text being edited must survive them.
"""

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import log_in, shot
from wikiapp.models import Page

pytestmark = pytest.mark.e2e

ERROR_PAGE = (Path(__file__).resolve().parents[2] / "templates" / "500.html").read_text()
TYPED = "We also review on Fridays, typed during an outage."


def _edit_with_failing_saves(tab, live_server, answer):
    """Open the editor and type; from then on every save gets `answer` instead of the server.

    The route is in place before the first page loads, so no request can slip past it.
    """
    failing = {"on": False}

    def route(route):
        if failing["on"] and route.request.method == "POST":
            answer(route)
        else:
            route.continue_()

    tab.route(re.compile(r".*/s/team/working-agreement/edit/$"), route)
    log_in(tab, live_server, "eddie", "eddie-password-123")
    tab.goto(f"{live_server.url}/s/team/working-agreement/edit/")
    editor = tab.locator("textarea[name=body]")
    editor.focus()
    tab.keyboard.press("Control+End")
    tab.keyboard.type("\n" + TYPED + "\n")
    failing["on"] = True
    return editor, failing


def test_a_server_error_on_save_keeps_the_text_and_a_retry_saves_it(tab, live_server, team):
    editor, failing = _edit_with_failing_saves(
        tab, live_server, lambda r: r.fulfill(status=500, body=ERROR_PAGE, content_type="text/html")
    )
    tab.keyboard.press("Control+Enter")

    alert = tab.locator("#request-failed[role=alert]")
    alert.wait_for()
    assert "error 500" in alert.inner_text() and "Your text is still here" in alert.inner_text()
    assert TYPED in editor.input_value()
    assert tab.url.endswith("/edit/")
    assert tab.locator("form[data-save-form][data-dirty]").count() == 1  # Esc still asks
    shot(tab, "save-failed")

    failing["on"] = False
    editor.focus()
    tab.keyboard.press("Control+Enter")
    tab.wait_for_url(re.compile(r"/s/team/working-agreement/$"))
    assert tab.get_by_text("Saved version 2").is_visible()
    assert TYPED in Page.objects.get(slug="working-agreement").current.body
    assert not tab.locator("#request-failed").is_visible()
    # Chromium and htmx each log the failed request; nothing else may go wrong.
    expected = ("status of 500 (Internal Server Error)", "Response Status Error Code 500")
    assert [e for e in tab.console_errors if not any(x in e for x in expected)] == []


def test_no_answer_on_save_keeps_the_text_and_says_it_may_not_be_saved(tab, live_server, team):
    editor, _ = _edit_with_failing_saves(tab, live_server, lambda r: r.abort("connectionrefused"))
    tab.keyboard.press("Control+Enter")

    alert = tab.locator("#request-failed[role=alert]")
    alert.wait_for()
    assert "may not have been saved" in alert.inner_text()
    assert TYPED in editor.input_value()
    assert tab.locator("form[data-save-form][data-dirty]").count() == 1
    assert Page.objects.get(slug="working-agreement").version == 1
