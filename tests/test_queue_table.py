# ruff: noqa: E501 (the templates below are kept as they were written, one row per line)
"""A queue's rows are written in Python (workflows/templatetags/queue_table.py): they must say
what the templates said, cell for cell, escaped."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from workflows.queue_rows import QueueDossier, QueueRow

#: The rows as ``includes/dossier_table.html`` and ``assign_list.html`` wrote them before.
TEMPLATE_ROW = """{% load i18n %}{% translate "Filed on" as filed_on_label %}{% translate "Handled by" as handled_by_label %}{% translate "Overdue" as overdue_label %}
  {% for row in rows %}
    <tr{% if row.is_overdue %} class="overdue"{% endif %}>
      <td><a href="{{ row.url }}">{{ row.dossier.tracking_number }}</a></td>
      <td>{{ row.service_name }}</td>
      <td>{{ row.dossier.applicant_name }}</td>
      <td>{{ row.state_label }}{% if row.citizen_answered %} <strong class="marker">{% translate "The citizen has answered" %}</strong>{% endif %}{% if row.new_from_province %} <strong class="marker">{% translate "New from the province" %}</strong>{% endif %}{% if row.no_answer_text %} <strong class="marker no-answer">{{ row.no_answer_text }}</strong>{% endif %}</td>
      <td data-label="{{ filed_on_label }}">{% if row.filed_text %}{{ row.filed_text }} <span class="age">{{ row.age_text }}</span>{% endif %}</td>
      <td>{{ row.due_text }}{% if row.is_overdue %} <strong class="badge">{{ overdue_label }}{% if row.overdue_text %} {{ row.overdue_text }}{% endif %}</strong>{% endif %}</td>
      {% if show_office %}<td>{{ row.office_name }}</td>{% endif %}
      <td data-label="{{ handled_by_label }}">{{ row.holder|default:"—" }}{% if row.officer_text %} <span class="meta">{{ row.officer_text }}</span>{% endif %}</td>
    </tr>
  {% endfor %}"""

TEMPLATE_ASSIGN_ROW = """{% load i18n %}
  {% for row in rows %}{% with dossier=row.dossier %}
    <tr{% if row.is_overdue %} class="overdue"{% endif %}>
      <td><label class="pick"><input type="checkbox" name="dossier" value="{{ dossier.tracking_number }}"{% if dossier.tracking_number in selected %} checked{% endif %}{% if has_errors %} aria-describedby="id_dossier_error"{% endif %}><span class="visually-hidden">{% blocktranslate with number=dossier.tracking_number %}Select {{ number }}{% endblocktranslate %}</span></label></td>
      <td><a href="{{ row.url }}">{{ dossier.tracking_number }}</a></td>
      <td>{{ row.service_name }}</td>
      <td>{{ dossier.applicant_name }}</td>
      <td>{{ row.state_label }}</td>
      <td>{{ row.due_text }}{% if row.is_overdue %} <strong class="badge">{% translate "Overdue" %}{% if row.overdue_text %} {{ row.overdue_text }}{% endif %}</strong>{% endif %}</td>
      <td data-label="{% translate "Handled by" %}">{{ row.holder|default:"—" }}</td>
    </tr>
  {% endwith %}{% endfor %}"""


def row(number, name, **facts):
    dossier = QueueDossier(
        pk=number,
        tracking_number=f"GIT-2026-{number:06d}-A",
        state="intake",
        submitted_at=None,
        due_date=datetime.date(2026, 12, 1),
        answer_by=None,
        clock_paused_at=None,
        applicant_name=name,
    )
    plain = {
        "filed_on": None,
        "age": None,
        "is_overdue": False,
        "overdue_by": 0,
        "citizen_answered": False,
        "new_from_province": False,
        "holder": "",
        "url": f"/dossiers/{dossier.tracking_number}/",
        "service_name": "Permis de bâtir",
        "state_label": "En vérification",
        "office_name": "GUP Gitega",
        "due_text": "01/12/2026",
    }
    return QueueRow(dossier=dossier, **{**plain, **facts})


ROWS = [
    row(1, "Aline Ndayishimiye"),
    row(
        2,
        'Éric "<script>alert(1)</script>" & Cie',
        is_overdue=True,
        overdue_by=3,
        overdue_text="(3 jours ouvrables)",
        citizen_answered=True,
        new_from_province=True,
        holder="Claudine <Niyonzima>",
        filed_text="02/11/2026",
        age_text="(12 jours ouvrables)",
        no_answer_text="Pas de réponse depuis le 02/11/2026 (attendue le 16/11/2026)",
        officer_text="(institution : Jean <b>)",
        service_name="<b>Passeport</b>",
    ),
    row(3, "Jean-Bosco", is_overdue=True, holder="x"),
]


def same(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["fr", "rn", "en"])
@pytest.mark.parametrize("show_office", [False, True])
def test_queue_rows_say_what_the_template_said(language, show_office):
    with translation.override(language):
        context = Context({"rows": ROWS, "show_office": show_office})
        before = Template(TEMPLATE_ROW).render(context)
        now = Template("{% load queue_table %}{% queue_table_rows rows show_office %}").render(
            context
        )
    assert same(now) == same(before)
    assert "&lt;script&gt;" in now and "<script>" not in now


@pytest.mark.parametrize("language", ["fr", "rn"])
@pytest.mark.parametrize("has_errors", [False, True])
def test_a_supervisors_rows_say_what_the_template_said(language, has_errors):
    selected = {ROWS[1].dossier.tracking_number}
    with translation.override(language):
        context = Context({"rows": ROWS, "selected": selected, "has_errors": has_errors})
        before = Template(TEMPLATE_ASSIGN_ROW).render(context)
        now = Template(
            "{% load queue_table %}{% assign_list_rows rows selected has_errors %}"
        ).render(context)
    assert same(now) == same(before)
    assert now.count(" checked") == 1
