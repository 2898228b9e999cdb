from django.urls import path

from fanfold.accounts.views import login, passwords, people, preferences, signup

app_name = "accounts"
urlpatterns = [
    path("signup", signup.signup, name="signup"),
    path("login", login.login_view, name="login"),
    path("logout", login.LogoutView.as_view(), name="logout"),
    path("verify-email", signup.verify_email_resend, name="verify_email_resend"),
    path("verify-email/<str:token>", signup.verify_email, name="verify_email"),
    path("password-reset", passwords.password_reset, name="password_reset"),
    path("password-reset/sent", passwords.password_reset_sent, name="password_reset_done"),
    path("password-reset/done", passwords.password_reset_complete, name="password_reset_complete"),
    path(
        "password-reset/<uidb64>/<token>",
        passwords.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("preferences", preferences.preferences, name="preferences"),
    path("preferences/password", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("authors", people.authors, name="authors"),
    path("people/search", people.people_search, name="people_search"),
    path("users/<str:username>", people.profile, name="user"),
    path("users/<str:username>/pseuds", people.pseud_list, name="pseuds"),
    path("users/<str:username>/pseuds/<str:pseud>", people.pseud_detail, name="pseud"),
    path("users/<str:username>/pseuds/<str:pseud>/edit", people.pseud_edit, name="pseud_edit"),
    path(
        "users/<str:username>/pseuds/<str:pseud>/default",
        people.pseud_default,
        name="pseud_default",
    ),
    path(
        "users/<str:username>/pseuds/<str:pseud>/delete",
        people.pseud_delete,
        name="pseud_delete",
    ),
]
