"""How forms render: through the project's template engine, except the select, written in Python.

A select renders each of its options through two templates (the option and its attributes); a
queue's search form has some forty options, which cost more than the fifty rows of the queue
below it. ``render_select`` writes what Django's templates write, byte for byte
(``tests/test_form_renderer.py`` compares them on every kind of select), in a fraction of the
time. A select with a template of its own, or options with one, still goes through the templates.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT_TEMPLATE and has_plain_options(widget):
            return render_select(widget)
        return super().render(template_name, context, request)


def has_plain_options(widget) -> bool:
    return all(
        option["template_name"] == OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def render_select(widget) -> str:
    parts = [f"<select name={quoted(widget['name'])}{attributes(widget['attrs'])}>"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <optgroup label={quoted(group_name)}>")
        for option in options:
            parts.append(
                f"\n  <option value={quoted(option['value'], localized=False)}"
                f"{attributes(option['attrs'])}>{text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def attributes(attrs) -> str:
    """`` name="value"`` for each attribute, as ``attrs.html`` writes them: a False value is
    left out, a True one is written bare."""
    return "".join(
        f" {text(name)}" if value is True else f" {text(name)}={quoted(value, localized=False)}"
        for name, value in attrs.items()
        if value is not False
    )


def text(value) -> str:
    """A value as ``{{ value }}`` prints it: localized, then escaped unless already safe."""
    return conditional_escape(localize(value))


def quoted(value, localized=True) -> str:
    """A double-quoted attribute value; ``|stringformat:'s'`` (``localized=False``) skips the
    localization."""
    return f'"{text(value) if localized else conditional_escape(str(value))}"'
