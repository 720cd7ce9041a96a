"""The select is written in Python (gup/form_renderer.py): the page must not change by a byte."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gup.form_renderer import FormRenderer

GROUPED = [
    ("", _("Any")),
    (_("Open"), [("submitted", _("Submitted")), ("review", "Review & <b>bold</b>")]),
    ("Finished", [(3, "Three"), (4, mark_safe("<em>safe</em>"))]),
]


class EveryKindOfSelect(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", 'Quote " and <tag>'), ("b", "B")])
    typed = forms.TypedChoiceField(choices=[(1, "One"), (1200, 1200)], coerce=int)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    with_attrs = forms.ChoiceField(
        choices=[("1", "One")],
        widget=forms.Select(attrs={"class": "big", "data-x": 'a"b', "disabled": True, "no": False}),
    )
    nothing = forms.ChoiceField(choices=[], required=False)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a", "typed": "1200", "grouped": "review", "many": ["x", "z"]},
        {"plain": "<script>", "grouped": "3", "many": ["nope"]},
    ],
)
@pytest.mark.parametrize("language", ["fr", "rn", "en"])
def test_every_select_renders_exactly_as_django_templates_render_it(data, language):
    with translation.override(language):
        ours = EveryKindOfSelect(data or None, renderer=FormRenderer())
        djangos = EveryKindOfSelect(data or None, renderer=DjangoTemplates())
        for name in EveryKindOfSelect.base_fields:
            assert str(ours[name]) == str(djangos[name]), name


def test_a_select_whose_options_have_a_template_of_their_own_still_uses_it(settings, tmp_path):
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class WithFancySelect(forms.Form):
        pick = forms.ChoiceField(choices=[("1", "One")], widget=Fancy)

    ours = str(WithFancySelect(renderer=FormRenderer())["pick"])
    assert ours == str(WithFancySelect(renderer=DjangoTemplates())["pick"])
    assert "<option" not in ours and 'type="select"' in ours


def test_the_project_renders_its_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
    finally:
        get_default_renderer.cache_clear()
