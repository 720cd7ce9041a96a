"""Handing the result over: who collected it, checked against the dossier.

The applicant shows their national ID card: the clerk types its number and GUP checks it is the
applicant's. Anyone else collects as a proxy: their full name, their national ID number and the
applicant's written authorisation, scanned at the counter, are all required. The hand-over is
recorded as a ``Collection`` and in the history row's details.

The public history (``/track/``, the citizen's page) says only "by the applicant" or "by a
proxy"; the staff's history names the proxy and their ID.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.applicant import NATIONAL_ID_PATTERN
from workflows.events.base import TransitionEvent
from workflows.models import Collection, Collector

PROXY_NAME_MAX_LENGTH = 201


def national_id(raw) -> str:
    """A national ID number as typed, in the form the dossier keeps it."""
    return (raw or "").strip().upper().replace(" ", "")


def same_national_id(typed: str, on_file: str) -> bool:
    """The same card: the digits and letters match, whatever separators were typed."""

    def bare(value):
        return re.sub(r"[^0-9A-Z]", "", national_id(value))

    return bool(bare(typed)) and bare(typed) == bare(on_file)


class HandOver(TransitionEvent):
    name = "hand_over"
    label = gettext_lazy("Hand over to the citizen")
    form = "workflows.forms.HandOverForm"

    def field_problems(self, dossier, ctx) -> dict[str, list[str]]:
        inputs = ctx.inputs
        collector = inputs.get("collector")
        if collector == Collector.APPLICANT:
            typed = national_id(inputs.get("national_id"))
            if not typed:
                return {"national_id": [_("Type the number on the applicant's national ID card.")]}
            if not same_national_id(typed, dossier.applicant_national_id):
                return {
                    "national_id": [
                        _(
                            "This is not the applicant's national ID number: the document "
                            "was not handed over. Check the card, or record a proxy."
                        )
                    ]
                }
            return {}
        if collector != Collector.PROXY:
            return {"collector": [_("Say who collects: the applicant or a proxy.")]}
        problems = {"proxy_name": [], "proxy_national_id": [], "authorisation": []}
        name = " ".join((inputs.get("proxy_name") or "").split())
        if not name:
            problems["proxy_name"].append(_("Type the proxy's full name."))
        elif len(name) > PROXY_NAME_MAX_LENGTH:
            problems["proxy_name"].append(
                _("Please write at most %(count)s characters.") % {"count": PROXY_NAME_MAX_LENGTH}
            )
        proxy_id = national_id(inputs.get("proxy_national_id"))
        if not proxy_id:
            problems["proxy_national_id"].append(_("Type the number on the proxy's national ID."))
        elif not NATIONAL_ID_PATTERN.match(proxy_id):
            problems["proxy_national_id"].append(
                _("Enter the number as printed on the national ID card (digits, / . or -).")
            )
        elif same_national_id(proxy_id, dossier.applicant_national_id):
            problems["proxy_national_id"].append(
                _("This is the applicant's own ID number: choose “The applicant”.")
            )
        if not inputs.get("authorisation"):
            problems["authorisation"].append(
                _("Scan the applicant's signed authorisation: a proxy cannot collect without it.")
            )
        inputs["proxy_name"], inputs["proxy_national_id"] = name, proxy_id
        return problems

    def record(self, dossier, ctx) -> None:
        inputs = ctx.inputs
        if inputs["collector"] == Collector.APPLICANT:
            name, number, authorisation = (
                dossier.applicant_name,
                dossier.applicant_national_id,
                None,
            )
        else:
            name, number = inputs["proxy_name"], inputs["proxy_national_id"]
            authorisation = ctx.files.attach(dossier, inputs["authorisation"], None, ctx.actor)
        Collection.objects.create(
            dossier=dossier,
            collector=inputs["collector"],
            collector_name=name,
            collector_national_id=number,
            authorisation=authorisation,
            handed_over_by=ctx.actor.user,
            handed_over_at=ctx.now,
        )
        ctx.details.update(collector=inputs["collector"])
        if authorisation is not None:
            ctx.details.update(
                collector_name=name,
                collector_national_id=number,
                authorisation=authorisation.original_name,
            )

    def describe(self, entry) -> str:
        collector = entry.details.get("collector")
        if collector == Collector.APPLICANT:
            return _("Collected by the applicant")
        if collector == Collector.PROXY:
            return _("Collected by a proxy on behalf of the applicant")
        return super().describe(entry)

    def describe_for_staff(self, entry) -> str:
        details = entry.details
        if details.get("collector") == Collector.PROXY and "collector_name" in details:
            return _("Collected by %(name)s (ID %(number)s) on behalf of the applicant") % {
                "name": details["collector_name"],
                "number": details["collector_national_id"],
            }
        return self.describe(entry)


EVENTS = (HandOver(),)
