"""Who acts on a dossier, as a value.

Five kinds of actor write dossiers: a staff member, a citizen signed in to their account, a citizen
holding a dossier's secret resume link, the system (scheduled work) and an institution's own
information system (the exchange). Permissions (``workflows.permissions``), the one door to
dossiers (``Dossier.objects.visible_to``) and the history all take an ``Actor``; nothing pretends
to be a user.

An actor is immutable and cheap: build it where the request (or the job) starts and pass it down.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from gup.roles import INSTITUTION_ROLES, OFFICE_ROLES, STAFF_ROLES, Role


class ActorKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")
    RESUME_LINK = "resume_link", _("Citizen (resume link)")
    SYSTEM = "system", _("GUP (scheduled work)")
    INSTITUTION_SYSTEM = "institution_system", _("Institution's system")


#: The role recorded in the history for actors that have no user (and so no user role).
SYSTEM_ROLE = "system"
INSTITUTION_SYSTEM_ROLE = "institution_system"


@dataclass(frozen=True)
class Actor:
    """Someone, or something, taking an action. Build it with the class methods below."""

    kind: str
    user: object = field(default=None, compare=False, repr=False)
    user_id: int | None = None
    #: The dossier a resume-link holder proved to hold; the institution of an institution system.
    dossier_id: int | None = None
    institution_id: int | None = None
    name: str = field(default="", compare=False)

    # --- Building one -----------------------------------------------------------------------

    @classmethod
    def for_user(cls, user) -> "Actor | None":
        """A signed-in, active person as an actor; None for anonymous or inactive visitors."""
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        kind = ActorKind.CITIZEN if user.role == Role.CITIZEN else ActorKind.STAFF
        return cls(kind=kind, user=user, user_id=user.pk, name=str(user))

    @classmethod
    def resume_link(cls, dossier_id: int, name: str = "") -> "Actor":
        """A citizen without an account who holds the secret link of this one dossier."""
        return cls(kind=ActorKind.RESUME_LINK, dossier_id=dossier_id, name=name)

    @classmethod
    def system(cls) -> "Actor":
        """Scheduled work: expiring abandoned drafts, escalating deadlines."""
        return cls(kind=ActorKind.SYSTEM, name="GUP")

    @classmethod
    def institution_system(cls, institution) -> "Actor":
        """An institution's own information system, speaking through the exchange."""
        return cls(
            kind=ActorKind.INSTITUTION_SYSTEM,
            institution_id=institution.pk,
            name=str(institution),
        )

    # --- What it is -------------------------------------------------------------------------

    @property
    def role(self) -> str:
        """The role recorded in the history: the user's role, or the kind of machine."""
        if self.user is not None:
            return self.user.role
        if self.kind == ActorKind.RESUME_LINK:
            return Role.CITIZEN
        if self.kind == ActorKind.INSTITUTION_SYSTEM:
            return INSTITUTION_SYSTEM_ROLE
        return SYSTEM_ROLE

    @property
    def reference(self) -> str:
        """A stable id for the history: user id, dossier id for a link, institution id."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        if self.kind == ActorKind.RESUME_LINK:
            return f"dossier:{self.dossier_id}"
        if self.kind == ActorKind.INSTITUTION_SYSTEM:
            return f"institution:{self.institution_id}"
        return "system"

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        return str(ActorKind(self.kind).label)

    @property
    def is_person(self) -> bool:
        return self.kind in (ActorKind.STAFF, ActorKind.CITIZEN, ActorKind.RESUME_LINK)

    @property
    def is_staff(self) -> bool:
        return self.kind == ActorKind.STAFF and self.role in STAFF_ROLES

    @property
    def is_citizen(self) -> bool:
        return self.kind in (ActorKind.CITIZEN, ActorKind.RESUME_LINK)

    @property
    def is_system(self) -> bool:
        return self.kind == ActorKind.SYSTEM

    @property
    def office_id(self):
        if self.kind == ActorKind.STAFF and self.role in OFFICE_ROLES:
            return self.user.office_id
        return None

    @property
    def staff_institution_id(self):
        if self.kind == ActorKind.STAFF and self.role in INSTITUTION_ROLES:
            return self.user.institution_id
        return None

    def __str__(self):
        return self.display_name


def as_actor(who) -> Actor | None:
    """``who`` as an actor: an Actor stays one, a request's user becomes one (None if anonymous)."""
    if who is None or isinstance(who, Actor):
        return who
    return Actor.for_user(who)
