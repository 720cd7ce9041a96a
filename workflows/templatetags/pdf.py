"""``{% load pdf %}``: how the document templates (``templates/pdf/``) print two languages."""

from django import template
from django.utils.html import format_html

from workflows.documents.bilingual import Both

register = template.Library()


@register.filter
def both(value):
    """A ``Both`` as the citizen's text with its French text beside it, both escaped."""
    if not isinstance(value, Both):
        return value
    if not value.french:
        return format_html("{}", value.text)
    return format_html('{}<span class="fr" lang="fr">{}</span>', value.text, value.french)
