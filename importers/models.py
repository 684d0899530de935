"""Which wiki page an imported source page became, so a re-import updates it."""

from django.db import models


class ImportedPage(models.Model):
    space = models.ForeignKey("wikiapp.Space", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=16)  # confluence | notion
    source_id = models.CharField(max_length=200)
    page = models.OneToOneField("wikiapp.Page", on_delete=models.CASCADE, related_name="import_of")
    # The last source version stored, so a re-import adds only what is new.
    last_version = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "source", "source_id"], name="imported_page_unique_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id} -> page {self.page_id}"
