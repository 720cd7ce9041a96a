"""Stored values as the POST data a form would receive.

The domain validates what reaches it (from the counter, the portal, an institution's system)
with the very forms the screens use, so every channel gets the same message per field.
"""

import datetime

from django.db import models


def as_form_data(prefix: str, values: dict) -> dict:
    """``values`` (dates, model instances, plain values) keyed as ``<prefix>-<name>``."""
    data = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, models.Model):
            value = value.pk
        data[f"{prefix}-{name}"] = value
    return data
