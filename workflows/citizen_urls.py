"""The citizen portal's URLs. Dossiers are named by their public id, never by database id."""

from django.urls import path

from workflows import converters  # noqa: F401  (registers <document_number:...>)
from workflows.views import citizen, citizen_dossiers, documents, track_documents

urlpatterns = [
    path("services/<slug:service_code>/apply/", citizen.start, name="citizen_start"),
    path("apply/<uuid:public_id>/submit/", citizen.submit, name="citizen_submit"),
    path("apply/<uuid:public_id>/done/", citizen.done, name="citizen_done"),
    path("apply/<uuid:public_id>/<slug:step>/", citizen.step, name="citizen_step"),
    path("resume/<str:token>/", citizen.resume, name="citizen_resume"),
    path("track/", citizen_dossiers.track, name="track"),
    path("track/<uuid:public_id>/code/", track_documents.enter_code, name="track_code"),
    path("track/<uuid:public_id>/code/send/", track_documents.send_code, name="track_send_code"),
    path("track/<uuid:public_id>/documents/", track_documents.documents, name="track_documents"),
    path("my-dossiers/", citizen_dossiers.my_dossiers, name="my_dossiers"),
    path("my-dossiers/<uuid:public_id>/", citizen_dossiers.follow, name="citizen_follow"),
    path("my-dossiers/<uuid:public_id>/answer/", citizen_dossiers.answer, name="citizen_answer"),
    path(
        "my-dossiers/<uuid:public_id>/documents/<document_number:number>.pdf",
        documents.citizen_document,
        name="citizen_document",
    ),
    path(
        "my-dossiers/<uuid:public_id>/files/<slug:stored_name>/",
        documents.citizen_file,
        name="citizen_file",
    ),
    path(
        "my-dossiers/<uuid:public_id>/withdraw/",
        citizen_dossiers.withdraw,
        name="citizen_withdraw",
    ),
]
