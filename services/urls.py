from django.urls import path

from services import views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:code>/", views.service_detail, name="service_detail"),
]
