"""What every kind of document shares: the event it records, what a kind adds, and small
pieces several kinds print (the deciding institution, the status page's address)."""

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.urls import reverse

from services.translated import localized
from workflows.documents.bilingual import Both, both
from workflows.documents.qr import public_url


@dataclass(frozen=True)
class Occasion:
    """The event a document records."""

    event: str
    at: datetime.datetime
    comment: str = ""
    details: dict = field(default_factory=dict)
    actor_name: str = ""

    @classmethod
    def of(cls, entry) -> "Occasion":
        return cls(
            event=entry.kind,
            at=entry.at,
            comment=entry.comment,
            details=dict(entry.details or {}),
            actor_name=entry.actor_name,
        )


@dataclass
class Contents:
    """What a kind adds to the shared context."""

    facts: list[tuple[Both, object]] = field(default_factory=list)
    #: Printed right under the holder's name: what else identifies them.
    holder_facts: list[tuple[Both, object]] = field(default_factory=list)
    paragraphs: list[Both] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def status_page_address() -> str:
    return public_url(reverse("track"))


def institution_name(dossier) -> str:
    """The deciding institution's name in the active language: a parameter of ``both_of``."""
    institution = dossier.institution
    return localized(institution, "name") if institution is not None else ""


def deciding_institution(dossier, language) -> Both:
    return both(language, partial(institution_name, dossier))
