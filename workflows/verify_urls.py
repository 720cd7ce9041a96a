"""Verifying a document: public pages, no sign-in (``workflows.views.verification``)."""

from django.urls import path

from workflows.views import verification

urlpatterns = [
    path("verify/", verification.start, name="verify"),
    path("verify/keys.json", verification.public_keys, name="verify_keys"),
    path("verify/revoked.json", verification.revoked, name="verify_revoked"),
    path("verify/offline/", verification.offline, name="verify_offline"),
    path("verify/<str:code>", verification.check, name="verify_code"),
    # What the QR code holds: the same page, its address in upper case (QR alphanumeric mode).
    path("V/<str:code>", verification.check, name="verify_code_qr"),
]
