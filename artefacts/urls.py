"""Artefact URLs, mounted inside the wiki namespace (see wikiapp/urls.py).

Dedicated list views come before wikiapp's generic kind list, so a kind with its own
view here takes over its /s/<space>/-/<list>/ address.
"""

from django.urls import path

from artefacts.views import decisions, health, joiner, retros, runbooks, team

# Paths relative to s/<space>/-/
space_patterns: list = [
    path("agreement/", team.agreement, name="agreement"),
    path("goals/", team.goals, name="goals"),
    path("backlog/", team.backlog, name="backlog"),
    path("done/", team.done, name="done"),
    path("health/", health.health, name="health"),
    path("start/", joiner.joiner, name="joiner"),
    path("decisions/", decisions.decision_list, name="decision_list"),
    path("runbooks/", runbooks.runbook_list, name="runbook_list"),
    path("retros/", retros.retro_list, name="retro_list"),
]

# Paths relative to s/<space>/<page>/
page_patterns: list = [
    path("acknowledge/", team.acknowledge, name="acknowledge"),
    path("backlog/move/", team.move_item, name="backlog_move"),
    path("supersede/", decisions.supersede, name="supersede"),
    path("exercised/", runbooks.mark_exercised, name="mark_exercised"),
    path("action-items/<int:index>/close/", retros.close_action_item, name="close_action_item"),
]
