"""The SMS gateway's callbacks (``workflows.views.sms``)."""

from django.urls import path

from workflows.views import sms

urlpatterns = [
    path("sms/delivery-report", sms.delivery_report, name="sms_delivery_report"),
    path("sms/inbound", sms.inbound, name="sms_inbound"),
]
