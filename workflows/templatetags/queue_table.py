"""The rows of a staff queue's table, written in Python.

Fifty rows of eight cells were some 1,000 template nodes, the largest part of a queue page's time
once its queries were fast. As Django's admin writes its change list's cells
(``admin_list.items_for_result``), each row here is one ``format_html``: the words are
``workflows.queue_rows``', every value is escaped, and the markup is what the templates wrote
(``includes/dossier_table.html`` and ``supervision/includes/assign_list.html`` keep the table
around them).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def queue_table_rows(rows, show_office=False):
    """``<tr>`` for each row of a queue (``includes/dossier_table.html``)."""
    words = {
        "filed_on": gettext("Filed on"),
        "handled_by": gettext("Handled by"),
        "overdue": gettext("Overdue"),
        "answered": gettext("The citizen has answered"),
        "new": gettext("New from the province"),
    }
    return format_html_join("\n", "{}", ((_queue_row(row, words, show_office),) for row in rows))


def _queue_row(row, words, show_office):
    dossier = row.dossier
    markers = [
        format_html(' <strong class="marker">{}</strong>', words["answered"])
        if row.citizen_answered
        else "",
        format_html(' <strong class="marker">{}</strong>', words["new"])
        if row.new_from_province
        else "",
        format_html(' <strong class="marker no-answer">{}</strong>', row.no_answer_text)
        if row.no_answer_text
        else "",
    ]
    filed = (
        format_html('{} <span class="age">{}</span>', row.filed_text, row.age_text)
        if row.filed_text
        else ""
    )
    officer = (
        format_html(' <span class="meta">{}</span>', row.officer_text) if row.officer_text else ""
    )
    return format_html(
        "<tr{}>"
        '<td><a href="{}">{}</a></td>'
        "<td>{}</td><td>{}</td><td>{}{}</td>"
        '<td data-label="{}">{}</td>'
        "<td>{}{}</td>{}"
        '<td data-label="{}">{}{}</td>'
        "</tr>",
        mark_safe(' class="overdue"') if row.is_overdue else "",
        row.url,
        dossier.tracking_number,
        row.service_name,
        dossier.applicant_name,
        row.state_label,
        mark_safe("".join(markers)),
        words["filed_on"],
        filed,
        row.due_text,
        _overdue_badge(row, words["overdue"]),
        format_html("<td>{}</td>", row.office_name) if show_office else "",
        words["handled_by"],
        row.holder or "—",
        officer,
    )


def _overdue_badge(row, label):
    if not row.is_overdue:
        return ""
    if row.overdue_text:
        return format_html(' <strong class="badge">{} {}</strong>', label, row.overdue_text)
    return format_html(' <strong class="badge">{}</strong>', label)


@register.simple_tag
def assign_list_rows(rows, selected, has_errors=False):
    """``<tr>`` for each row of a supervisor's list, a box to tick in front
    (``supervision/includes/assign_list.html``)."""
    overdue, handled_by = gettext("Overdue"), gettext("Handled by")
    described = mark_safe(' aria-describedby="id_dossier_error"') if has_errors else ""
    return format_html_join(
        "\n",
        "{}",
        ((_assign_row(row, selected, described, overdue, handled_by),) for row in rows),
    )


def _assign_row(row, selected, described, overdue, handled_by):
    number = row.dossier.tracking_number
    return format_html(
        "<tr{}>"
        '<td><label class="pick"><input type="checkbox" name="dossier" value="{}"{}{}>'
        '<span class="visually-hidden">{}</span></label></td>'
        '<td><a href="{}">{}</a></td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}{}</td>"
        '<td data-label="{}">{}</td>'
        "</tr>",
        mark_safe(' class="overdue"') if row.is_overdue else "",
        number,
        mark_safe(" checked") if number in selected else "",
        described,
        gettext("Select %(number)s") % {"number": number},
        row.url,
        number,
        row.service_name,
        row.dossier.applicant_name,
        row.state_label,
        row.due_text,
        _overdue_badge(row, overdue),
        handled_by,
        row.holder or "—",
    )
