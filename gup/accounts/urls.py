from django.contrib.auth import views as auth_views
from django.urls import path

from gup.accounts import sessions, views

urlpatterns = [
    path("staff/login/", auth_views.LoginView.as_view(), name="login"),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/account/", sessions.account, name="staff_account"),
    path("staff/account/password/", sessions.change_password, name="staff_change_password"),
    path(
        "staff/account/sign-out-everywhere/",
        sessions.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("account/sign-in/", views.sign_in, name="citizen_sign_in"),
    path("account/sign-up/", views.sign_up, name="citizen_sign_up"),
    path("account/confirm-phone/", views.confirm_phone, name="confirm_phone"),
    path("account/confirm-phone/new-code/", views.resend_code, name="confirm_phone_resend"),
    path("account/link-dossiers/", views.link_dossiers, name="link_dossiers"),
]
