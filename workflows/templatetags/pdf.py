"""``{% load pdf %}``: how the document templates (``templates/pdf/``) print two languages."""

from django import template
from django.utils.html import format_html

from workflows.documents.bilingual import Both

register = template.Library()


@register.filter
def both(value):
    """A ``Both`` as the citizen's text with its French text beside it, both escaped.

    The French span has no ``lang`` attribute: WeasyPrint turns each one into a declaration of
    that element alone, so every French span had a style of its own, computed property by
    property (a tenth of a bilingual page's render). The attribute changed nothing printed (no
    automatic hyphenation, Latin script) and the PDF is not tagged, so no reader ever saw it.
    """
    if not isinstance(value, Both):
        return value
    if not value.french:
        return format_html("{}", value.text)
    return format_html('{}<span class="fr">{}</span>', value.text, value.french)


@register.filter
def both_inline(value):
    """A ``Both`` on one line, "text / texte", for labels, headings and list items.

    One run of text rather than two elements: WeasyPrint lays out every inline box apart, and
    on a bilingual page the French spans were a quarter of the render time.
    """
    if not isinstance(value, Both) or not value.french:
        return value
    return f"{value.text} / {value.french}"
