"""How forms render: through the project's template engine, the commonest widgets written in Python.

A widget renders through two or three templates (its own, the input's, the attributes'), and a
select through two more per option: a queue's search form (five fields, some forty options)
cost more than the fifty rows of the queue below it. Here the select and the ``<input>`` widgets
write what Django's templates write, byte for byte (``tests/test_form_renderer.py`` compares
them on every kind), in a fraction of the time. A widget whose template the project replaces
(``templates/django/forms/...``), or a select whose options have a template of their own, still
goes through the templates.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
SELECT_TEMPLATE = f"{WIDGETS}select.html"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
ATTRS_TEMPLATE = f"{WIDGETS}attrs.html"
INPUT_TEMPLATE = f"{WIDGETS}input.html"
#: Django's templates that are ``input.html`` and nothing else.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "search",
        "tel",
        "color",
    )
)
DJANGOS_TEMPLATES = Path(django.forms.__file__).parent / "templates"


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name in self.written_in_python:
            widget = context["widget"]
            if template_name != SELECT_TEMPLATE:
                return render_input(widget)
            if has_plain_options(widget):
                return render_select(widget)
        return super().render(template_name, context, request)

    @cached_property
    def written_in_python(self) -> frozenset:
        """The templates written here, unless the project replaced them or one they include
        (the attributes', the input's, the option's) with its own."""
        djangos = {
            name
            for name in {SELECT_TEMPLATE, OPTION_TEMPLATE, ATTRS_TEMPLATE, *INPUT_TEMPLATES}
            if Path(self.get_template(name).origin.name).is_relative_to(DJANGOS_TEMPLATES)
        }
        if ATTRS_TEMPLATE not in djangos:
            return frozenset()
        if INPUT_TEMPLATE not in djangos:
            djangos -= INPUT_TEMPLATES
        if OPTION_TEMPLATE not in djangos:
            djangos.discard(SELECT_TEMPLATE)
        return frozenset(djangos - {OPTION_TEMPLATE, ATTRS_TEMPLATE})


def has_plain_options(widget) -> bool:
    return all(
        option["template_name"] == OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def render_input(widget) -> str:
    # ``.get``: a widget of our own may use these templates without a type or a value, which
    # the template prints as nothing.
    value = widget.get("value")
    shown = "" if value is None else f" value={quoted(value, localized=False)}"
    return mark_safe(
        f"<input type={quoted(widget.get('type', ''))} name={quoted(widget['name'])}{shown}"
        f"{attributes(widget['attrs'])}>"
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
