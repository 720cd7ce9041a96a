"""What every message shares: what it is made of, what it is made from, and the facts several
topics tell (where to follow a dossier, where to answer, the office's address...)."""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from gup.formatting import day, phone
from workflows.documents.qr import public_url

NO_SECRETS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Composed:
    """One message in the two forms it is sent in.

    ``sms`` is already in GSM characters and fits in two SMS (empty when the topic sends none);
    ``subject`` and ``body`` are the email, in plain text, with every detail in full.
    """

    sms: str
    subject: str
    body: str


@dataclass(frozen=True)
class Inputs:
    """What a topic is written from: the dossier as it is now, the history row of the event
    that caused the message, the secrets handed over for this message only, who reads it."""

    dossier: object = None
    entry: object = None
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    recipient_name: str = ""
    expires_on: datetime.date | None = None

    @property
    def name(self) -> str:
        if self.recipient_name:
            return self.recipient_name
        return self.dossier.applicant_name if self.dossier is not None else ""

    def entry_of(self, *kinds: str):
        """The history row given, if it records one of these events."""
        entry = self.entry
        return entry if entry is not None and entry.kind in kinds else None


# --- The email --------------------------------------------------------------------------------


def email_body(name: str, *paragraphs: str) -> str:
    """A greeting, the paragraphs (empty ones left out), and a closing line."""
    greeting = _("Hello %(name)s,") % {"name": name} if name else _("Hello,")
    closing = _("This message was sent by GUP, the provincial one-stop shop. Do not reply to it.")
    return "\n\n".join([greeting, *(p for p in paragraphs if p), closing]) + "\n"


# --- Addresses --------------------------------------------------------------------------------


def address(path: str) -> str:
    """A public address as an SMS writes it: without ``https://``, which phones add."""
    return re.sub(r"^[a-z]+://", "", public_url(path))


def track_path() -> str:
    return reverse("track")


def my_dossiers_path() -> str:
    return reverse("my_dossiers")


def sms_number() -> str:
    """The number citizens text a tracking number to (``GUP_SMS_NUMBER``), or ""."""
    return phone(settings.GUP_SMS_NUMBER)


# --- Facts several topics tell ----------------------------------------------------------------


def date_or_unset(value) -> str:
    return day(value) if value else _("a date still to be set")


def office_place(office) -> str:
    """The office as the citizen finds it: its name, its address and its town."""
    parts = [office.name]
    if office.address:
        parts.append(office.address)
    if office.town and all(office.town not in part for part in parts):
        parts.append(office.town)
    return ", ".join(parts)


ACCOUNT, LINK, OFFICE_ONLY = "account", "link", "office"


def online_access(dossier) -> str:
    """How the citizen opens the dossier online: their account, the resume link, or not at all
    (filed at the counter, no account): the office then answers for them."""
    if dossier.applicant_account_id is not None:
        return ACCOUNT
    if dossier.resume_token_hash:
        return LINK
    return OFFICE_ONLY
