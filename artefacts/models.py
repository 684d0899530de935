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
