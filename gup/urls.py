from django.contrib import admin
from django.urls import include, path

from gup import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The RQ dashboard (queues, workers, failed jobs), for administrators (is_staff) only.
    path("admin/rq/", include("django_rq.urls")),
    path("admin/", admin.site.urls),
    path("", include("gup.accounts.urls")),
    path("services/", include("services.urls")),
    path("", include("workflows.verify_urls")),
    path("", include("workflows.sms_urls")),
    path("", include("workflows.citizen_urls")),
    path("", include("workflows.urls")),
]

# 400 and 500 in the visitor's language without touching the request's state (gup/errors.py).
handler400 = "gup.errors.bad_request"
handler500 = "gup.errors.server_error"
