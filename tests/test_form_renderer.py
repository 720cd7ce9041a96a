"""Selects and inputs are written in Python (gup/form_renderer.py): no page may change by a byte."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gup.form_renderer import FormRenderer

GROUPED = [
    ("", _("Any")),
    (_("Open"), [("submitted", _("Submitted")), ("review", "Review & <b>bold</b>")]),
    ("Finished", [(3, "Three"), (4, mark_safe("<em>safe</em>"))]),
]


class EveryKindOfWidget(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", 'Quote " and <tag>'), ("b", "B")])
    typed = forms.TypedChoiceField(choices=[(1, "One"), (1200, 1200)], coerce=int)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    select_attrs = forms.ChoiceField(
        choices=[("1", "One")],
        widget=forms.Select(attrs={"class": "big", "data-x": 'a"b', "disabled": True, "no": False}),
    )
    nothing = forms.ChoiceField(choices=[], required=False)
    name = forms.CharField(max_length=20, help_text="Help", initial='Ndayishimiye "É" <b>')
    optional = forms.CharField(required=False)
    count = forms.IntegerField(min_value=0, initial=1500, localize=True)
    amount = forms.DecimalField(initial=12.5)
    email = forms.EmailField(required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="x<y")
    hidden = forms.CharField(widget=forms.HiddenInput, initial=7)
    born = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), initial=datetime.date(1990, 4, 12)
    )
    localized_day = forms.DateField(initial=datetime.date(1990, 4, 12), localize=True)
    moment = forms.DateTimeField(required=False)
    hour = forms.TimeField(required=False)
    agreed = forms.BooleanField(required=False, initial=True)
    refused = forms.BooleanField(required=False)
    phone = forms.CharField(
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    note = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "plain": "a",
            "typed": "1200",
            "grouped": "review",
            "many": ["x", "z"],
            "name": "Aline",
            "count": "2000",
            "agreed": "on",
            "born": "1990-04-12",
            "email": "a@b.bi",
        },
        {
            "plain": "<script>",
            "grouped": "3",
            "many": ["nope"],
            "name": "x" * 30,
            "count": "-4",
            "amount": "douze",
            "email": "pas un courriel",
            "born": "hier",
            "hidden": '"><script>',
            "refused": "yes",
            "phone": "<b>79</b>",
        },
    ],
)
@pytest.mark.parametrize("language", ["fr", "rn", "en"])
def test_every_widget_renders_exactly_as_django_templates_render_it(data, language):
    with translation.override(language):
        ours = EveryKindOfWidget(data, renderer=FormRenderer())
        djangos = EveryKindOfWidget(data, renderer=DjangoTemplates())
        for name in EveryKindOfWidget.base_fields:
            assert str(ours[name]) == str(djangos[name]), name
        assert str(ours) == str(djangos)


def test_a_select_whose_options_have_a_template_of_their_own_still_uses_it():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class WithFancySelect(forms.Form):
        pick = forms.ChoiceField(choices=[("1", "One")], widget=Fancy)

    ours = str(WithFancySelect(renderer=FormRenderer())["pick"])
    assert ours == str(WithFancySelect(renderer=DjangoTemplates())["pick"])
    assert "<option" not in ours and 'type="select"' in ours


def test_a_widget_of_our_own_on_an_input_template_renders_as_the_template_does():
    class Bare(forms.Widget):
        template_name = "django/forms/widgets/text.html"

    class WithBare(forms.Form):
        note = forms.CharField(widget=Bare, required=False)

    ours = str(WithBare(renderer=FormRenderer())["note"])
    assert ours == str(WithBare(renderer=DjangoTemplates())["note"])
    assert ours.startswith('<input type="" name="note"')


def test_a_widget_template_the_project_replaces_is_the_one_used(settings, tmp_path):
    replaced = tmp_path / "django" / "forms" / "widgets"
    replaced.mkdir(parents=True)
    (replaced / "input.html").write_text('<input class="ours" name="{{ widget.name }}">')
    (replaced / "select_option.html").write_text("<option>{{ widget.label }}!</option>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    class Small(forms.Form):
        name = forms.CharField()
        pick = forms.ChoiceField(choices=[("1", "One")])

    form = Small(renderer=FormRenderer())
    assert str(form["name"]) == '<input class="ours" name="name">'
    assert "<option>One!</option>" in str(form["pick"])


def test_the_project_renders_its_forms_with_it():
    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
    finally:
        get_default_renderer.cache_clear()
