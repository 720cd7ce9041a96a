from django.urls import path

from workflows import converters  # noqa: F401  (registers <document_number:...>)
from workflows.views import (
    audit,
    counter,
    documents,
    dossiers,
    home,
    intake,
    objections,
    payments,
    review,
    supervision,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("counter/", counter.queue, name="counter_queue"),
    path("counter/new/", counter.choose_service, name="counter_choose_service"),
    path("counter/new/<slug:service_code>/", counter.file_dossier, name="counter_file"),
    path("review/", review.queue, name="review_queue"),
    path("audit/", audit.dossiers, name="audit_dossiers"),
    path("supervision/", supervision.overview, name="supervision"),
    path("dossiers/<str:tracking_number>/", dossiers.detail, name="dossier_detail"),
    path(
        "dossiers/<str:tracking_number>/steps/<slug:step>/",
        dossiers.take_step,
        name="dossier_step",
    ),
    path(
        "dossiers/<str:tracking_number>/steps/<slug:step>/preview/",
        documents.preview,
        name="dossier_step_preview",
    ),
    path("dossiers/<str:tracking_number>/checklist/", intake.checklist, name="dossier_checklist"),
    path("dossiers/<str:tracking_number>/assign/", supervision.assign_one, name="dossier_assign"),
    path("dossiers/<str:tracking_number>/notes/", dossiers.add_note, name="dossier_add_note"),
    path(
        "dossiers/<str:tracking_number>/objections/<int:objection_id>/document/",
        objections.objection_document,
        name="dossier_objection_document",
    ),
    path(
        "dossiers/<str:tracking_number>/documents/<document_number:number>.pdf",
        documents.staff_document,
        name="dossier_document",
    ),
    path(
        "dossiers/<str:tracking_number>/documents/<document_number:number>/revoke/",
        documents.revoke,
        name="dossier_document_revoke",
    ),
    path(
        "dossiers/<str:tracking_number>/payments/<int:payment_id>/reverse/",
        payments.reverse,
        name="dossier_payment_reverse",
    ),
    path(
        "dossiers/<str:tracking_number>/files/<slug:stored_name>/",
        dossiers.attachment,
        name="dossier_attachment",
    ),
    path(
        "dossiers/<str:tracking_number>/files/<slug:stored_name>/view/",
        dossiers.attachment_inline,
        name="dossier_attachment_inline",
    ),
    path(
        "dossiers/<str:tracking_number>/documents/<int:number>/view/",
        dossiers.view_attachment,
        name="dossier_attachment_view",
    ),
]
