from django.db import models


class TrackingCounter(models.Model):
    """The last sequence number used per office and year. Incremented under a row lock."""

    office = models.ForeignKey("services.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_counter_per_office_year")
        ]

    def __str__(self):
        return f"{self.office_id}/{self.year}: {self.last_value}"
