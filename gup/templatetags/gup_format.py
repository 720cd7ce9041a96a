"""Template filters for money, dates and phone numbers: ``{% load gup_format %}``.

Each filter is the function of gup.formatting that does the same job, so a page and a message
written in Python show the same figure the same way: ``{{ service.fee_bif|bif }}``,
``{{ dossier.due_date|day }}``, ``{{ entry.at|moment }}``, ``{{ birth_date|short_day }}``,
``{{ dossier.applicant_phone|phone }}``.
"""

from django import template

from gup import formatting, personal_data

register = template.Library()


def _blank_stays_blank(function):
    """An empty value (None, or "" for a variable the template does not have) shows nothing."""

    def apply(value):
        if value is None or value == "":
            return ""
        return function(value)

    apply.__doc__ = function.__doc__
    return apply


# expects_localtime: like Django's own ``date`` filter, the filter receives an aware datetime
# already in the current time zone.
register.filter("bif", _blank_stays_blank(formatting.money))
register.filter("day", _blank_stays_blank(formatting.day), expects_localtime=True)
register.filter("moment", _blank_stays_blank(formatting.moment), expects_localtime=True)
register.filter("short_day", _blank_stays_blank(formatting.short_day), expects_localtime=True)
register.filter("phone", _blank_stays_blank(formatting.phone))
# For lists that must tell two applicants apart: "0412/***.678", "+257 79 ** ** 56".
register.filter("masked_national_id", _blank_stays_blank(personal_data.mask_national_id))
register.filter("masked_phone", _blank_stays_blank(personal_data.mask_phone))
