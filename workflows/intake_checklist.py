"""The completeness checklist a clerk fills in while checking a dossier (state intake).

For every document the service requires: received, missing or not legible. It is recorded by
the event ``record_checklist`` (``workflows.events.intake``): the history row keeps it in its
details, so every check made stays on record. "Return for correction" is then prefilled with
what the checklist found, written in the citizen's language, and records the checklist it was
based on.

A checklist is *current* while the dossier has not changed state since it was recorded: once
the dossier was returned and came back, the old checklist no longer describes what is attached.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.translated import localized
from workflows import permissions as may
from workflows.states import DossierState

#: The event that records a checklist.
KIND = "record_checklist"


class Mark(models.TextChoices):
    RECEIVED = "received", gettext_lazy("Received")
    MISSING = "missing", gettext_lazy("Missing")
    ILLEGIBLE = "illegible", gettext_lazy("Not legible")


#: What the citizen must fix, per mark; the rest was received.
TO_CORRECT = (Mark.MISSING, Mark.ILLEGIBLE)


@dataclass(frozen=True)
class Checklist:
    """A recorded checklist: document code → mark, in the service's order, and its history row."""

    marks: dict
    remark: str
    entry: object
    current: bool

    def counts(self) -> dict:
        return {mark: sum(1 for m in self.marks.values() if m == mark) for mark in Mark.values}

    @property
    def to_correct(self) -> bool:
        return any(mark in TO_CORRECT for mark in self.marks.values())


def problems_by_document(dossier, marks: dict) -> dict[str, str]:
    """What is wrong with ``marks`` (document code → mark) for this dossier, by document code
    (``""`` for documents the service does not ask for). Empty when the checklist will do.

    Every document the service requires must be marked; one marked received must be attached.
    """
    documents = {document.code: document for document in dossier.service.documents.all()}
    attached = set(dossier.attachments.values_list("document_id", flat=True))
    problems = {}
    for code, document in documents.items():
        mark = marks.get(code)
        if mark not in Mark.values:
            problems[code] = _("Mark “%(document)s” received, missing or not legible.") % {
                "document": document.name
            }
        elif mark == Mark.RECEIVED and document.pk not in attached:
            problems[code] = _(
                "“%(document)s” is marked received, but no file is attached to the dossier: "
                "mark it missing."
            ) % {"document": document.name}
    unknown = sorted(set(marks) - set(documents))
    if unknown:
        problems[""] = _("This service does not ask for: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    return problems


def as_details(dossier, marks: dict, remark: str) -> dict:
    """What the history row keeps: the marks in the service's order, and the clerk's remark."""
    codes = [document.code for document in dossier.service.documents.all()]
    return {
        "checklist": [{"document": code, "mark": marks[code]} for code in codes if code in marks],
        "remark": remark,
    }


def from_entry(entry, *, current: bool = True) -> Checklist:
    details = entry.details
    return Checklist(
        marks={item["document"]: item["mark"] for item in details.get("checklist", [])},
        remark=details.get("remark", ""),
        entry=entry,
        current=current,
    )


def latest(dossier, history=None) -> Checklist | None:
    """The dossier's latest checklist, and whether it is current (no state change since).
    ``history``: all the dossier's entries, when the caller has read them already."""
    if history is not None:
        return _latest_in(history)
    entry = dossier.history.filter(kind=KIND).order_by("-position").first()
    if entry is None:
        return None
    moved_since = (
        dossier.history.filter(position__gt=entry.position)
        .exclude(from_state=F("to_state"))
        .exists()
    )
    return from_entry(entry, current=not moved_since)


def _latest_in(history) -> Checklist | None:
    checklists = [entry for entry in history if entry.kind == KIND]
    entry = max(checklists, key=lambda entry: entry.position, default=None)
    if entry is None:
        return None
    moved_since = any(
        later.position > entry.position and later.from_state != later.to_state for later in history
    )
    return from_entry(entry, current=not moved_since)


def current(dossier) -> Checklist | None:
    """The latest checklist if it still describes the dossier; None otherwise."""
    checklist = latest(dossier)
    return checklist if checklist is not None and checklist.current else None


def reasons(dossier, checklist: Checklist) -> str:
    """What the citizen must correct according to ``checklist``, in the citizen's language:
    one line per missing or illegible document, named as the citizen reads it, then the
    clerk's remark."""
    documents = {document.code: document for document in dossier.service.documents.all()}
    lines = []
    with translation.override(dossier.language):
        for code, mark in checklist.marks.items():
            document = documents.get(code)
            if document is None or mark not in TO_CORRECT:
                continue
            name = localized(document, "name", dossier.language)
            if mark == Mark.MISSING:
                lines.append(_("Missing: %(document)s.") % {"document": name})
            else:
                lines.append(
                    _("Not legible: %(document)s. Please bring a clear copy.") % {"document": name}
                )
    if checklist.remark:
        lines.append(checklist.remark)
    return "\n".join(lines)


def for_page(dossier, actor, history=None) -> dict:
    """What the dossier page shows: the latest checklist, line by line, and whether this actor
    may record one now. ``history``: all the dossier's entries, when the caller has them."""
    checklist = latest(dossier, history)
    lines = []
    if checklist is not None:
        documents = {document.code: document for document in dossier.service.documents.all()}
        lines = [
            {
                "document": documents[code].name if code in documents else code,
                "mark": mark,
                "label": Mark(mark).label if mark in Mark.values else mark,
            }
            for code, mark in checklist.marks.items()
        ]
    return {
        "checklist": checklist,
        "lines": lines,
        "may_record": dossier.state == DossierState.INTAKE and may.office_staff(dossier, actor),
    }
