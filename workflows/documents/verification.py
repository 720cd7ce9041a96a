"""Is this document genuine? The seal (``seal.read``) checked against what GUP knows.

Three verifiers give the same answers in the same words:

- the public page (``/verify/<code>``, what the QR code opens) reads the seal and then the
  register: a revoked document says so with the day it was revoked, and a correctly signed code
  whose document the register does not hold is not valid either (a stolen key, or another
  installation's document: either way nobody here vouches for it);
- the offline verifier (``/verify/offline/``, in the browser) and ``manage.py verify_document``
  read the seal with the published keys only, and the list of revoked documents they were given
  (``/verify/revoked.json``), dated: that list is only as fresh as its date.

The reason for a revocation is never shown: it may name the holder's fraud or illness, and
anyone holding the paper can open the page. The day is enough to refuse the document.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from gup.formatting import day, moment
from workflows.documents import keys, kinds, seal
from workflows.models import IssuedDocument


class Finding(StrEnum):
    """What a verifier concludes: the seal's own statuses, and what only the register knows."""

    GENUINE = seal.Status.GENUINE.value
    MALFORMED = seal.Status.MALFORMED.value
    UNKNOWN_KEY = seal.Status.UNKNOWN_KEY.value
    FORGED = seal.Status.FORGED.value
    EXPIRED = seal.Status.EXPIRED.value
    REVOKED = seal.Status.REVOKED.value
    #: Signed with a key of ours, yet the register holds no document with exactly these facts.
    NOT_REGISTERED = "not_registered"


#: The findings where the signature holds: the facts are what GUP sealed (or what a thief of its
#: key sealed, for NOT_REGISTERED), so they are worth showing. A changed or foreign code's facts
#: are not shown at all, lest someone read them as confirmed.
SEALED_FINDINGS = (Finding.GENUINE, Finding.EXPIRED, Finding.REVOKED, Finding.NOT_REGISTERED)
#: The findings that name a document GUP issued: the others are failed look-ups, counted
#: against the client like failed guesses at /track/.
DOCUMENT_FINDINGS = (Finding.GENUINE, Finding.EXPIRED, Finding.REVOKED)


@dataclass(frozen=True)
class Result:
    finding: Finding
    facts: seal.SealedFacts | None = None
    revoked_on: datetime.date | None = None
    #: True when the register was read (the public page); False for an offline check.
    register_read: bool = False
    #: For an offline check: when the list of revoked documents it used was made, if it had one.
    revocations_as_of: datetime.datetime | None = None

    @property
    def is_valid(self) -> bool:
        return self.finding == Finding.GENUINE

    @property
    def names_a_document(self) -> bool:
        return self.finding in DOCUMENT_FINDINGS

    @property
    def shown_facts(self) -> seal.SealedFacts | None:
        return self.facts if self.finding in SEALED_FINDINGS else None

    @property
    def kind_title(self) -> str:
        return str(kinds.KINDS[self.facts.kind].title) if self.facts else ""

    @property
    def headline(self) -> str:
        return headline(self.is_valid)

    @property
    def explanation(self) -> str:
        """Why, in the active language, with the day of expiry or revocation."""
        if self.finding == Finding.GENUINE:
            if self.register_read:
                return explanations()["genuine"]
            if self.revocations_as_of is not None:
                return explanations()["genuine_offline"] % {"date": moment(self.revocations_as_of)}
            return explanations()["genuine_unchecked"]
        if self.finding == Finding.EXPIRED:
            return explanations()["expired"] % {"date": day(self.facts.valid_until)}
        if self.finding == Finding.REVOKED:
            return explanations()["revoked"] % {"date": day(self.revoked_on)}
        return explanations()[self.finding.value]


def headline(is_valid: bool) -> str:
    return _("Genuine") if is_valid else _("Not valid")


def explanations() -> dict[str, str]:
    """Every explanation a verifier gives, in the active language; ``%(date)s`` is a day.

    The offline verifier embeds them as they are, so that the browser speaks the page's language.
    """
    compare = _("Compare the facts below with the paper: they must be the same.")
    return {
        "genuine": _("The seal is intact and the document is in GUP's register.") + " " + compare,
        "genuine_offline": _(
            "The seal is intact, and the document was not on the list of revoked documents of "
            "%(date)s."
        )
        + " "
        + compare,
        "genuine_unchecked": _(
            "The seal is intact. Whether the document was revoked was not checked: no list of "
            "revoked documents was given."
        )
        + " "
        + compare,
        "malformed": _(
            "This is not a GUP verification code. Check that it was typed in full, or scan the QR "
            "code again."
        ),
        "unknown_key": _(
            "This code was not signed with any key GUP publishes: GUP did not issue this "
            "document. Do not accept it."
        ),
        "forged": _(
            "The seal does not match: the code or the facts in it were changed. Do not accept "
            "this document."
        ),
        "expired": _("This document was valid until %(date)s: it has expired."),
        "revoked": _("GUP revoked this document on %(date)s: it is no longer valid."),
        "not_registered": _(
            "The seal looks correct, but GUP's register holds no such document. Do not accept "
            "it: ask the office that issued it."
        ),
        # Only the offline verifier says these.
        "unsupported": _(
            "This browser cannot check signatures. Use a recent browser, or check the document "
            "online."
        ),
        "empty": _("Type or paste the code first."),
    }


def check(code_text: str, today: datetime.date | None = None) -> Result:
    """The answer of the public page: the seal, then the register. Never raises on bad input."""
    today = today or timezone.localdate()
    verdict = seal.read(code_text, keys.public_keys(), today=today)
    if verdict.status not in (seal.Status.GENUINE, seal.Status.EXPIRED):
        return Result(Finding(verdict.status), verdict.facts, register_read=True)
    document = (
        IssuedDocument.objects.filter(number=verdict.facts.number)
        .only("code", "revoked_at")
        .first()
    )
    # Ed25519 signatures are deterministic: the document's own code, to the character, or none.
    if document is None or document.code != seal.normalize(code_text).rstrip("="):
        return Result(Finding.NOT_REGISTERED, verdict.facts, register_read=True)
    if document.is_revoked:
        return Result(
            Finding.REVOKED,
            verdict.facts,
            revoked_on=timezone.localdate(document.revoked_at),
            register_read=True,
        )
    return Result(Finding(verdict.status), verdict.facts, register_read=True)


def check_offline(
    code_text: str,
    public_keys,
    *,
    today: datetime.date,
    revocations: dict[str, datetime.date] | None = None,
    revocations_as_of: datetime.datetime | None = None,
) -> Result:
    """The answer of a verifier without the register: the seal, the keys and a revocation list.

    ``revocations`` maps revoked numbers to the day they were revoked (``revoked_numbers``, or
    ``read_revocation_list`` of a downloaded list); None when the verifier has no list.
    """
    verdict = seal.read(code_text, public_keys, today=today, revoked=revocations or {})
    finding = Finding(verdict.status)
    return Result(
        finding,
        verdict.facts,
        revoked_on=revocations[verdict.facts.number] if finding == Finding.REVOKED else None,
        revocations_as_of=revocations_as_of if revocations is not None else None,
    )


def revoked_numbers() -> dict[str, datetime.date]:
    """Every revoked document's number, with the day (in Burundi) it was revoked."""
    revoked = IssuedDocument.objects.filter(revoked_at__isnull=False).order_by("number")
    return {
        number: timezone.localdate(revoked_at)
        for number, revoked_at in revoked.values_list("number", "revoked_at")
    }


def revocation_list(now: datetime.datetime | None = None) -> dict:
    """The JSON of ``/verify/revoked.json``: numbers and days only, never the reasons."""
    now = now or timezone.now()
    return {
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "revoked": [
            {"number": number, "revoked_on": revoked_on.isoformat()}
            for number, revoked_on in revoked_numbers().items()
        ],
    }


def read_revocation_list(data) -> tuple[dict[str, datetime.date], datetime.datetime]:
    """(revoked numbers → day, when the list was made) of a ``revocation_list`` as downloaded.

    Raises ValueError when ``data`` is not such a list.
    """
    try:
        generated_at = datetime.datetime.fromisoformat(data["generated_at"])
        revoked = {
            entry["number"]: datetime.date.fromisoformat(entry["revoked_on"])
            for entry in data["revoked"]
        }
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a list of revoked documents ({error!r})") from None
    return revoked, generated_at
