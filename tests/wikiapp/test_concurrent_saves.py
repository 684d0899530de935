"""Several editors saving one page at once, each on its own database connection."""

import re
import threading
from collections import defaultdict

import pytest
from django.db import connection

from wikiapp import actions
from wikiapp.models import Page

EDITORS = 4
SAVES_EACH = 25
SLOT = re.compile(r"^slot (\d+): (\d+)$", re.M)


def slots(body: str) -> dict[int, int]:
    return {int(k): int(v) for k, v in SLOT.findall(body)}


def initial_body() -> str:
    # Blank lines between slots keep one editor's line from touching another's, so
    # those edits merge; the shared line is where edits really overlap.
    lines = [f"slot {n}: 0" for n in range(EDITORS)]
    return "\n\n".join(["shared: nobody", *lines]) + "\n"


@pytest.mark.django_db(transaction=True)
def test_parallel_editors_never_lose_or_overwrite_an_accepted_save(space, people):
    page = actions.create_page(
        space=space, title="Hot page", body=initial_body(), author=people.admin
    )
    accepted: dict[int, list[tuple[int, int]]] = defaultdict(list)  # editor -> [(value, rev)]
    refused: dict[int, int] = defaultdict(int)
    errors: list[BaseException] = []
    start = threading.Barrier(EDITORS)

    def editor(n: int) -> None:
        try:
            start.wait()
            for value in range(1, SAVES_EACH + 1):
                current = Page.objects.select_related("current").get(pk=page.pk)
                body = current.current.body.replace(f"slot {n}: {value - 1}", f"slot {n}: {value}")
                if value % 5 == 0:  # now and then everyone rewrites the same line
                    body = re.sub(
                        r"^shared: .*$", f"shared: editor {n} at {value}", body, flags=re.M
                    )
                while True:
                    try:
                        result = actions.save_revision(
                            page=current,
                            base_version=current.version,
                            title=current.title,
                            body=body,
                            author=people.editor,
                        )
                    except actions.EditConflict as conflict:
                        # Told so: take their version and redo only our own slot.
                        refused[n] += 1
                        current = Page.objects.select_related("current").get(pk=page.pk)
                        body = conflict.current.body.replace(
                            f"slot {n}: {value - 1}", f"slot {n}: {value}"
                        )
                        continue
                    assert not result.unchanged
                    accepted[n].append((value, result.revision.number))
                    break
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    page.refresh_from_db()
    revisions = list(page.revisions.order_by("number").values_list("number", "body"))
    numbers = [number for number, _ in revisions]
    saves = sum(len(v) for v in accepted.values())
    # Every accepted save is exactly one revision, numbered without gaps.
    assert numbers == list(range(1, saves + 2))
    assert saves == EDITORS * SAVES_EACH
    by_number = dict(revisions)
    for n, saved in accepted.items():
        for value, number in saved:
            # The revision an editor was told about holds that editor's change...
            assert slots(by_number[number])[n] == value
        # ...and no later save by anyone took it back.
        values_over_time = [slots(body)[n] for _, body in revisions]
        assert values_over_time == sorted(values_over_time)
        assert slots(page.current.body)[n] == SAVES_EACH
