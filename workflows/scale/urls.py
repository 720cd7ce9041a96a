"""The site's URLs plus the benchmark's floor: a tiny view that reads one row.

Used only by ``manage.py bench`` (through ``override_settings(ROOT_URLCONF=...)``), so the floor
is measured through the same middleware as every page, and never served in production.
"""

from django.http import HttpResponse
from django.urls import include, path

from services.models import Office


def floor(request):
    office = Office.objects.only("code").first()
    return HttpResponse(office.code if office else "-", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("gup.urls")),
]
