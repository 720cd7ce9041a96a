"""How a citizen reaches their dossiers: their account, or the secret resume link of each one.

The resume link carries a random token; only its SHA-256 is stored, so a database leak opens
nobody's dossier. A browser keeps the tokens of the applications it started or reopened in its
session. From there, ``actor_for`` says who acts on a dossier for this visitor, and
``held_or_owned`` which dossiers they may list: both go through the same token check.

Two narrower doors, for people who hold neither: a citizen whose account's phone number is
confirmed is offered the dossiers filed with that number (``offered_by_phone``), to link; and
whoever followed a dossier on /track/ and typed the code sent to its phone may download its
documents, from this browser, for ``DOCUMENTS_FOR`` (``grant_documents``).
"""

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Mapping

from django.contrib.auth.signals import user_logged_in
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gup.accounts import one_time_codes
from gup.accounts.models import CodePurpose
from gup.roles import Role
from workflows.actors import Actor, ActorKind
from workflows.models import Dossier
from workflows.states import DossierState as S

SESSION_TOKENS = "gup_resume_tokens"
#: Public id → until when (epoch seconds): dossiers found on /track/ by number and phone digits.
SESSION_TRACKED = "gup_tracked"
#: Public id → until when (epoch seconds): dossiers whose documents the SMS code opened.
SESSION_DOCUMENTS = "gup_document_grants"
#: How long a /track/ look-up lets this browser ask for the code, and the code opens documents.
TRACKED_FOR = datetime.timedelta(minutes=30)
DOCUMENTS_FOR = datetime.timedelta(minutes=30)
#: A browser remembers a few such dossiers at most.
MAX_GRANTS = 10
#: A browser keeps the tokens of its most recent applications only.
MAX_HELD_TOKENS = 20
#: Tokens are 32 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 64


# --- Tokens -----------------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh secret (for the citizen's link) and its hash (for the database)."""
    raw = secrets.token_urlsafe(24)
    return raw, hash_token(raw)


def token_opens(raw: str, dossier) -> bool:
    """True when ``raw`` is this dossier's resume token. Compared in constant time."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH or not dossier.resume_token_hash:
        return False
    return hmac.compare_digest(hash_token(raw), dossier.resume_token_hash)


def dossier_for_token(raw: str):
    """The dossier this resume token opens, or None. Expired drafts are not reopened."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    return (
        Dossier.objects.select_related("service")
        .exclude(state=S.EXPIRED)
        .filter(resume_token_hash=hash_token(raw))
        .first()
    )


# --- Tokens held by this browser --------------------------------------------------------------


def held_tokens(request) -> dict:
    """Public id → raw token, for the applications this browser holds a link for."""
    return request.session.get(SESSION_TOKENS, {})


def hold(request, dossier, raw: str) -> None:
    tokens = {
        key: value for key, value in held_tokens(request).items() if key != str(dossier.public_id)
    }
    tokens[str(dossier.public_id)] = raw
    request.session[SESSION_TOKENS] = dict(list(tokens.items())[-MAX_HELD_TOKENS:])


def resume_link(request, dossier) -> str:
    raw = held_tokens(request).get(str(dossier.public_id))
    return request.build_absolute_uri(reverse("citizen_resume", args=[raw])) if raw else ""


# --- Who acts, and on which dossiers ----------------------------------------------------------


def actor_for(dossier, user, tokens: Mapping[str, str]) -> Actor | None:
    """Who acts on this dossier for this visitor, or None when they may not see it.

    The signed-in citizen whose account owns it acts as themselves; anyone else needs the
    dossier's token among ``tokens`` (public id → raw token, kept in their session).
    """
    account = Actor.for_user(user)
    owns = account is not None and account.kind == ActorKind.CITIZEN
    if owns and dossier.applicant_account_id == account.user_id:
        return account
    if token_opens(tokens.get(str(dossier.public_id), ""), dossier):
        return Actor.resume_link(dossier.pk, dossier.applicant_name)
    return None


def held_or_owned(user, tokens: Mapping[str, str]):
    """The dossiers this visitor may list: their account's, and those whose link they hold."""
    hashes = [hash_token(raw) for raw in list(tokens.values())[:MAX_HELD_TOKENS] if raw]
    mine = Q(resume_token_hash__in=hashes) if hashes else Q(pk__in=[])
    account = Actor.for_user(user)
    if account is not None and account.kind == ActorKind.CITIZEN:
        mine |= Q(applicant_account_id=account.user_id)
    return Dossier.objects.filter(mine).exclude(state=S.EXPIRED)


def offered_by_phone(user):
    """The filed dossiers, of no account yet, that name the confirmed phone of ``user``.

    Nothing for an account whose phone is not confirmed: a number typed at sign-up proves
    nothing. The account links those it recognises (``linked_to_account`` with ``by_phone``).
    """
    if user is None or not user.is_authenticated or user.role != Role.CITIZEN:
        return Dossier.objects.none()
    if not user.has_verified_phone:
        return Dossier.objects.none()
    return Dossier.objects.filter(
        applicant_phone=user.phone,
        applicant_account__isnull=True,
        tracking_number__isnull=False,
    ).exclude(state__in=[S.DRAFT, S.EXPIRED])


# --- /track/: a look-up, then the code sent to the dossier's phone ------------------------------


def _grants(request, key: str) -> dict:
    """The live entries of one of the session's timed grants (expired ones are dropped)."""
    now = timezone.now().timestamp()
    return {
        public_id: until
        for public_id, until in request.session.get(key, {}).items()
        if isinstance(until, int | float) and until > now
    }


def _grant(request, key: str, dossier, lasting: datetime.timedelta) -> None:
    grants = {k: v for k, v in _grants(request, key).items() if k != str(dossier.public_id)}
    grants[str(dossier.public_id)] = (timezone.now() + lasting).timestamp()
    request.session[key] = dict(list(grants.items())[-MAX_GRANTS:])


def remember_tracked(request, dossier) -> None:
    """This browser found the dossier on /track/ (tracking number and phone digits): it may
    ask for the code that opens its documents."""
    _grant(request, SESSION_TRACKED, dossier, TRACKED_FOR)


def was_tracked(request, public_id) -> bool:
    return str(public_id) in _grants(request, SESSION_TRACKED)


def send_documents_code(dossier) -> None:
    """Send the code that opens the dossier's documents to its phone, in its language.

    Raises ``one_time_codes.CodeRefused`` when asked too soon or too often.
    """
    one_time_codes.issue(*_documents_code(dossier), dossier.language)


def check_documents_code(request, dossier, typed: str) -> None:
    """Open the dossier's documents to this browser when ``typed`` is the code sent to its
    phone; ``one_time_codes.CodeRefused`` otherwise."""
    one_time_codes.check(*_documents_code(dossier), typed)
    grant_documents(request, dossier)


def documents_code_wait(dossier) -> int:
    """Seconds before a new code may be sent for this dossier's documents."""
    return one_time_codes.seconds_before_resend(*_documents_code(dossier))


def documents_code_waiting(dossier) -> bool:
    """A code for the dossier's documents was sent and may still be typed."""
    return one_time_codes.is_waiting(*_documents_code(dossier))


def _documents_code(dossier) -> tuple[str, str, str]:
    """The phone, purpose and scope of the code that opens the dossier's documents."""
    return dossier.applicant_phone, CodePurpose.TRACK_DOCUMENTS, f"dossier:{dossier.pk}"


def grant_documents(request, dossier) -> None:
    """This browser typed the code sent to the dossier's phone: its documents, for a while."""
    _grant(request, SESSION_DOCUMENTS, dossier, DOCUMENTS_FOR)


def documents_granted(request, public_id) -> bool:
    return str(public_id) in _grants(request, SESSION_DOCUMENTS)


# --- Signing in -------------------------------------------------------------------------------


def link_held_dossiers(sender, request, user, **kwargs):
    """A citizen signs in or up: the dossiers this browser holds a link for become theirs."""
    from workflows import actions
    from workflows.exceptions import ActionError

    if request is None or user.role != Role.CITIZEN:
        return
    tokens = held_tokens(request)
    held = Dossier.objects.filter(
        public_id__in=list(tokens)[:MAX_HELD_TOKENS], applicant_account__isnull=True
    ).exclude(state=S.EXPIRED)
    for dossier in held:
        try:
            actions.perform(
                dossier.pk, "linked_to_account", user, token=tokens[str(dossier.public_id)]
            )
        except ActionError:
            continue  # a stale or foreign link: that dossier simply stays unlinked


def connect_sign_in() -> None:
    user_logged_in.connect(link_held_dossiers, dispatch_uid="gup.link_held_dossiers")
