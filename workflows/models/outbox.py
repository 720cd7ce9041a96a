"""The outbox: work that must follow a change, written in the change's own transaction."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Effect(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    DOCUMENTS = "documents", _("Documents")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RUNNING = "running", _("Being sent")
    DONE = "done", _("Done")
    DEAD = "dead", _("Failed for good")


class DeliveryStatus(models.TextChoices):
    """What the SMS gateway reported back about a message it accepted."""

    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered")


class OutboxMessage(models.Model):
    """One side effect owed: an SMS, an email, the documents of an event.

    Written in the transaction of the event that causes it, so that it exists if and only if
    the event committed; relayed to a queue after the commit, and found again by the sweeper if
    the relay never happened (Redis down, process killed). Its id is the idempotency key the
    SMS gateway is given: running it twice sends nothing twice (``workflows.outbox``).
    """

    effect = models.CharField(_("effect"), max_length=16, choices=Effect.choices)
    #: What the message says (``workflows.messages`` topics); empty for documents.
    topic = models.CharField(_("topic"), max_length=32, blank=True)
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="outbox_messages",
        null=True,
        blank=True,
    )
    #: The event that caused it.
    history_entry = models.ForeignKey(
        "workflows.HistoryEntry",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    #: The staff member a digest is for.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    #: Secrets the message carries (a resume link, a one-time code), sealed (``gup.sealing``),
    #: and erased once the message is sent.
    sealed_secrets = models.TextField(blank=True, editable=False)
    #: Scheduled messages (a reminder, a digest) are written once per key, however many
    #: schedulers run.
    once_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    status = models.CharField(
        _("status"), max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    #: Not before: a retry waits for its backoff.
    available_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    #: A worker holds a running message until then; past it, the worker is presumed dead.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    provider_reference = models.CharField(_("gateway reference"), max_length=100, blank=True)
    delivery_status = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryStatus.choices, blank=True
    )
    delivery_reported_at = models.DateTimeField(_("delivery reported"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        indexes = [
            # The sweeper's question: what is owed and due?
            models.Index(
                fields=["available_at"],
                name="outbox_owed",
                condition=Q(status__in=["pending", "running"]),
            ),
            models.Index(fields=["dossier", "created_at"], name="outbox_by_dossier"),
            models.Index(fields=["provider_reference"], name="outbox_by_reference"),
        ]
        constraints = [
            models.CheckConstraint(
                name="outbox_messages_have_a_recipient",
                condition=Q(effect="documents") | ~Q(recipient=""),
            ),
        ]

    def __str__(self):
        return f"{self.get_effect_display()} {self.topic} #{self.pk}"

    @property
    def is_dead(self) -> bool:
        return self.status == OutboxState.DEAD
