"""How a citizen reaches their dossiers: their account, or the secret resume link of each one.

The resume link carries a random token; only its SHA-256 is stored, so a database leak opens
nobody's dossier. A browser keeps the tokens of the applications it started or reopened in its
session. From there, ``actor_for`` says who acts on a dossier for this visitor, and
``held_or_owned`` which dossiers they may list: both go through the same token check.
"""

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from django.contrib.auth.signals import user_logged_in
from django.db.models import Q
from django.urls import reverse

from gup.roles import Role
from workflows.actors import Actor, ActorKind
from workflows.models import Dossier
from workflows.states import DossierState as S

SESSION_TOKENS = "gup_resume_tokens"
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
