from django.contrib.auth import views as auth_views
from django.urls import path

from fanfold.works.views import reading

app_name = "accounts"
urlpatterns = [
    path("login", auth_views.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("signup", auth_views.LoginView.as_view(), name="signup"),
    path("preferences", auth_views.LoginView.as_view(), name="preferences"),
    path("users/<str:username>", reading.user_works, name="user"),
    path("users/<str:username>/pseuds/<str:pseud>", reading.pseud_works, name="pseud"),
]
# temporary until the accounts helper writes the real ones
