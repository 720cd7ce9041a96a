from django.contrib.auth import views as auth_views
from django.urls import path

from gup.accounts import views

urlpatterns = [
    path("staff/login/", auth_views.LoginView.as_view(), name="login"),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/sign-in/", views.sign_in, name="citizen_sign_in"),
    path("account/sign-up/", views.sign_up, name="citizen_sign_up"),
]
