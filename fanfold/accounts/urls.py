from django.urls import path

from fanfold.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("login", views.login_view, name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("verify-email", views.verify_email_resend, name="verify_email_resend"),
    path("verify-email/<str:token>", views.verify_email, name="verify_email"),
    path("password-reset", views.password_reset, name="password_reset"),
    path("password-reset/sent", views.password_reset_sent, name="password_reset_done"),
    path("password-reset/done", views.password_reset_complete, name="password_reset_complete"),
    path(
        "password-reset/<uidb64>/<token>",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("preferences", views.preferences, name="preferences"),
    path("preferences/password", views.PasswordChangeView.as_view(), name="password_change"),
    path("authors", views.authors, name="authors"),
    path("people/search", views.people_search, name="people_search"),
    path("users/<str:username>", views.profile, name="user"),
    path("users/<str:username>/pseuds", views.pseud_list, name="pseuds"),
    path("users/<str:username>/pseuds/<str:pseud>", views.pseud_detail, name="pseud"),
    path("users/<str:username>/pseuds/<str:pseud>/edit", views.pseud_edit, name="pseud_edit"),
    path(
        "users/<str:username>/pseuds/<str:pseud>/default",
        views.pseud_default,
        name="pseud_default",
    ),
    path(
        "users/<str:username>/pseuds/<str:pseud>/delete",
        views.pseud_delete,
        name="pseud_delete",
    ),
]
