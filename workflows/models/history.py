"""The dossier's history: append-only events, hash-chained per dossier, anchored by a head.

Each row is one event on a dossier: a transition (its name, from one state to another) or an
event that leaves the state alone ("payment_recorded", "note_added"...). Each row's hash covers
every stored field and the previous row's hash (``workflows.history_hash``), so editing a row in
the database breaks the chain. ``HistoryHead`` names each dossier's last row, so removing the last
rows, or all of them, shows too. ``manage.py verify_history`` checks both.

Rows are written only by ``HistoryEntry.objects.append``, with the dossier row locked.

On PostgreSQL the database itself keeps it so (``Meta.triggers``, installed by migration
0016 through django-pgtrigger): an UPDATE or DELETE of a history row is refused, whoever sends
it (the ORM, raw SQL, psql), and a head can only move forward. The model's own refusals below
are the first line, the triggers the last. SQLite, the embedded default for a first look, has
no such triggers; ``verify_history`` is the check on both.
"""

import json

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows import history_hash
from workflows.actors import INSTITUTION_SYSTEM_ROLE, SYSTEM_ROLE, ActorKind

ACTOR_ROLE_LABELS = {
    SYSTEM_ROLE: _("GUP"),
    INSTITUTION_SYSTEM_ROLE: _("Institution's system"),
}


class HistoryEntryQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def update(self, **kwargs):
        raise TypeError("The history is append-only.")

    def delete(self):
        raise TypeError("The history is append-only.")

    def create(self, **kwargs):
        raise TypeError("History rows are written with HistoryEntry.objects.append().")

    def bulk_create(self, *args, **kwargs):
        raise TypeError("History rows are written one by one, each chained to the previous.")

    def get_or_create(self, *args, **kwargs):
        raise TypeError("History rows are written with HistoryEntry.objects.append().")

    def update_or_create(self, *args, **kwargs):
        raise TypeError("The history is append-only.")

    def bulk_update(self, *args, **kwargs):
        raise TypeError("The history is append-only.")


class HistoryEntryManager(models.Manager.from_queryset(HistoryEntryQuerySet)):
    def append(
        self,
        dossier,
        *,
        kind: str,
        from_state: str,
        to_state: str,
        actor,
        at,
        comment: str = "",
        details: dict | None = None,
        is_public: bool = True,
        first: bool = False,
    ) -> "HistoryEntry":
        """Write the dossier's next history row, chained to its head, and move the head.

        The caller has locked the dossier row (``select_for_update``) in the transaction this
        runs in: that lock is what keeps two appends to one dossier apart. Three queries: read
        the head, insert the row, insert or update the head. ``first``: the dossier was created
        in this transaction, so it has no head to read yet (were there one, inserting the new
        head would fail on its primary key).
        """
        if actor is None:
            raise ValueError("Every history event has an actor (Actor.system() for GUP itself).")
        if not kind or len(kind) > HistoryEntry._meta.get_field("kind").max_length:
            raise ValueError(f"An event kind is 1 to 40 characters, not {kind!r}.")
        if timezone.is_naive(at):
            raise ValueError("The time of a history event must be timezone-aware.")
        # Store exactly what the database gives back, so the hash computed now is the hash
        # recomputed later: JSON keys become strings, tuples lists; NaN is refused.
        details = json.loads(json.dumps(details or {}, ensure_ascii=False, allow_nan=False))
        head = None if first else HistoryHead.objects.filter(dossier_id=dossier.pk).first()
        entry = HistoryEntry(
            dossier=dossier,
            position=(head.position if head else 0) + 1,
            kind=kind,
            from_state=from_state,
            to_state=to_state,
            actor_kind=actor.kind,
            actor_user_id=actor.user_id,
            actor_reference=actor.reference,
            actor_role=actor.role,
            actor_name=actor.display_name[:300],
            comment=comment or "",
            details=details,
            is_public=bool(is_public),
            at=at,
            version=history_hash.CURRENT_VERSION,
            previous_hash=head.hash if head else "",
        )
        if actor.user is not None:
            entry.actor_user = actor.user
        entry.save(force_insert=True)
        if head is None:
            HistoryHead(dossier=dossier, position=entry.position, hash=entry.hash).save(
                force_insert=True
            )
        else:
            head.position, head.hash = entry.position, entry.hash
            head.save(update_fields=["position", "hash"])
        return entry


class HistoryEntry(models.Model):
    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="history",
    )
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(
        _("event"),
        max_length=40,
        help_text=_("The step taken, or what happened (a payment recorded, a note added)."),
    )
    #: Equal when the event is not a transition.
    from_state = models.CharField(_("from"), max_length=32)
    to_state = models.CharField(_("to"), max_length=32)
    actor_kind = models.CharField(_("actor kind"), max_length=24, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_reference = models.CharField(
        _("actor reference"),
        max_length=64,
        help_text=_("user:12, dossier:5 (a resume link), institution:3 or system."),
    )
    actor_role = models.CharField(_("role"), max_length=32)
    actor_name = models.CharField(_("name"), max_length=300)
    comment = models.TextField(_("comment"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=True)
    at = models.DateTimeField(_("at"))
    version = models.PositiveSmallIntegerField(
        _("hash version"), default=history_hash.CURRENT_VERSION
    )
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = HistoryEntryManager()

    class Meta:
        ordering = ["dossier", "position"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="one_entry_per_position")
        ]
        # TRUNCATE is left to the database's privileges: the application's role needs none, and
        # the test runner empties tables with it between browser tests.
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"{self.dossier_id}#{self.position} {self.kind} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The history is append-only.")
        self.hash = self.compute_hash()
        if self.hash is None:
            raise ValueError(f"There is no history hash version {self.version}.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The history is append-only.")

    @property
    def is_transition(self) -> bool:
        return self.from_state != self.to_state

    @property
    def to_state_label(self) -> str:
        from workflows.states import DossierState

        return DossierState(self.to_state).label

    @property
    def actor_role_label(self) -> str:
        from gup.roles import Role

        if self.actor_role in Role.values:
            return Role(self.actor_role).label
        return ACTOR_ROLE_LABELS.get(self.actor_role, self.actor_role)

    def content_for_hash(self) -> bytes | None:
        """What the row's hash covers, by the rules of its version (None: unknown version)."""
        return history_hash.content_for_hash(self)

    def compute_hash(self) -> str | None:
        return history_hash.compute_hash(self)


class HistoryHeadQuerySet(models.QuerySet):
    def delete(self):
        raise TypeError("A history anchor is never removed.")


class HistoryHead(models.Model):
    """The anchor of a dossier's chain: its last row's position and hash (0 and "": none yet).

    Moved by ``HistoryEntry.objects.append`` in the same transaction as the row it names. A row
    removed from the end of the chain leaves the head pointing at nothing, which verify reports.
    """

    dossier = models.OneToOneField(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="history_head",
    )
    position = models.PositiveIntegerField(_("last position"), default=0)
    hash = models.CharField(_("last hash"), max_length=64, blank=True)

    objects = HistoryHeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("history anchor")
        verbose_name_plural = _("history anchors")
        # A head only moves forward, with its dossier: rewinding it (to hide rows removed from
        # the end), moving it to another dossier or removing it is refused by the database.
        triggers = [
            pgtrigger.Protect(name="never_removed", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="only_forward",
                operation=pgtrigger.Update,
                condition=(
                    pgtrigger.Q(new__position__lte=pgtrigger.F("old__position"))
                    | pgtrigger.Q(new__dossier_id__df=pgtrigger.F("old__dossier_id"))
                ),
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id}#{self.position}"

    def delete(self, *args, **kwargs):
        raise TypeError("A history anchor is never removed.")
