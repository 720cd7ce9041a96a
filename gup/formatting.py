"""How money, dates and phone numbers are written, the same way on every page and in every message.

One job: turn a value into the text a person reads, in the active language. Templates use the
filters of the same names (``{% load gup_format %}``: ``bif``, ``day``, ``moment``,
``short_day``, ``phone``); Python code (status texts, action messages) calls these functions.

The rules, in every language (fr, rn, en):

- money: Burundian francs have no minor unit, so whole numbers grouped by three with the
  language's separator (a no-break space in French and Kirundi, as written in Burundi; a comma
  in English), then a no-break space and "BIF": ``235 000 BIF``, ``235,000 BIF``. The no-break
  spaces keep an amount on one line on a narrow phone screen.
- dates: day first, month in words (``25 novembre 2026``, ``25 Munyonyo 2026``,
  ``25 November 2026``), never the US order; ``short_day`` is ``25/11/2026`` everywhere, for
  table columns and dates of birth.
- moments: the date as above, then the 24-hour time in Burundi's time zone:
  ``25 November 2026, 14:30``.
- phone numbers: stored in E.164 (``+25779123456``), shown in pairs (``+257 79 12 34 56``);
  foreign numbers as their country writes them internationally.

The date patterns are the named formats of gup/formats/<language>/formats.py (and Django's
own for French), so ``{{ value|date }}`` and these functions always agree.
"""

import datetime

import phonenumbers
from django.utils import formats, timezone

#: Between an amount and its currency, and between groups of digits in French and Kirundi.
NO_BREAK_SPACE = "\u00a0"
CURRENCY = "BIF"
PHONE_REGION = "BI"


def money(amount_bif: int | None) -> str:
    """``235000`` → ``"235 000 BIF"`` (fr, rn) or ``"235,000 BIF"`` (en); ``None`` → ``""``.

    An empty string for no amount: whether that means "free" or "not published" is for the
    caller to say.
    """
    if amount_bif is None:
        return ""
    grouped = formats.number_format(int(amount_bif), decimal_pos=0, force_grouping=True)
    return f"{grouped}{NO_BREAK_SPACE}{CURRENCY}"


def _local(value):
    """Aware datetimes in the current time zone (Burundi's); dates and naive values unchanged."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value: datetime.date | datetime.datetime | None) -> str:
    """The date, day first with the month in words: ``"25 November 2026"``; ``None`` → ``""``.

    A datetime is first put in the current time zone, so that 23:30 UTC is the next day in
    Bujumbura.
    """
    if value is None:
        return ""
    return formats.date_format(_local(value), "DATE_FORMAT")


def moment(value: datetime.datetime | None) -> str:
    """Date and 24-hour time in the current time zone: ``"25 November 2026, 14:30"``."""
    if value is None:
        return ""
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def short_day(value: datetime.date | datetime.datetime | None) -> str:
    """The date in figures, day first, in every language: ``"25/11/2026"``; ``None`` → ``""``."""
    if value is None:
        return ""
    return formats.date_format(_local(value), "SHORT_DATE_FORMAT")


def phone(e164: str | None) -> str:
    """``"+25779123456"`` → ``"+257 79 12 34 56"``; a foreign number in its international form.

    What cannot be read as a valid number (an old record typed by hand, say) comes back
    unchanged, so nothing the office wrote is ever hidden.
    """
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if not phonenumbers.is_valid_number(number):
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
