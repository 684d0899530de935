"""What the artefacts add to the core model: explicit acknowledgements of an agreement."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Acknowledgement(models.Model):
    """A member said "I have read this version" of a working agreement.

    Unlike a read receipt (wikiapp.PageRead, written by viewing), this is a deliberate act;
    a new version of the agreement needs a new acknowledgement.
    """

    page = models.ForeignKey("wikiapp.Page", on_delete=models.CASCADE, related_name="acks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    revision_number = models.PositiveIntegerField()
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="ack_unique_per_user"),
            models.CheckConstraint(
                condition=Q(revision_number__gte=1), name="ack_revision_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} acknowledged page {self.page_id} v{self.revision_number}"


class HealthSettings(models.Model):
    """A space's thresholds for the health page; a space without a row uses the defaults."""

    space = models.OneToOneField(
        "wikiapp.Space", on_delete=models.CASCADE, related_name="health_settings"
    )
    retro_cadence_days = models.PositiveIntegerField(default=14)
    decision_proposed_days = models.PositiveIntegerField(default=30)
    goal_stale_days = models.PositiveIntegerField(default=45)
    action_item_open_days = models.PositiveIntegerField(default=30)
    runbook_exercise_days = models.PositiveIntegerField(default=180)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(retro_cadence_days__gte=1)
                & Q(decision_proposed_days__gte=1)
                & Q(goal_stale_days__gte=1)
                & Q(action_item_open_days__gte=1)
                & Q(runbook_exercise_days__gte=1),
                name="health_thresholds_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"health settings of space {self.space_id}"
