"""The dossier's history: append-only, one row per transition, hash-chained per dossier.

Each row's hash covers its content and the previous row's hash, so editing or deleting a row in
the database breaks the chain, which ``manage.py verify_history`` detects.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryEntryQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def update(self, **kwargs):
        raise TypeError("The history is append-only.")

    def delete(self):
        raise TypeError("The history is append-only.")

    def bulk_create(self, *args, **kwargs):
        raise TypeError("History rows are written one by one, each chained to the previous.")


class HistoryEntry(models.Model):
    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="history",
    )
    position = models.PositiveIntegerField(_("position"))
    transition = models.CharField(_("step"), max_length=40)
    from_state = models.CharField(_("from"), max_length=32)
    to_state = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("role"), max_length=32)
    actor_name = models.CharField(_("name"), max_length=300)
    comment = models.TextField(_("comment"), blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=True)
    at = models.DateTimeField(_("at"))
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = HistoryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["dossier", "position"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="one_entry_per_position")
        ]

    def __str__(self):
        return f"{self.dossier_id}#{self.position} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The history is append-only.")
        self.hash = self.compute_hash()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The history is append-only.")

    @property
    def to_state_label(self) -> str:
        from workflows.states import DossierState

        return DossierState(self.to_state).label

    @property
    def actor_role_label(self) -> str:
        from gup.roles import Role

        return Role(self.actor_role).label if self.actor_role in Role.values else self.actor_role

    def content_for_hash(self) -> bytes:
        content = {
            "dossier": self.dossier_id,
            "position": self.position,
            "transition": self.transition,
            "from": self.from_state,
            "to": self.to_state,
            "actor": self.actor_id,
            "role": self.actor_role,
            "comment": self.comment,
            "at": self.at.isoformat(),
            "previous": self.previous_hash,
        }
        return json.dumps(content, sort_keys=True, ensure_ascii=False).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.content_for_hash()).hexdigest()
