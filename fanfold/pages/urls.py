from django.urls import path

from fanfold.pages import views

app_name = "pages"
urlpatterns = [
    path("pages", views.page_index, name="index"),
    path("pages/new", views.page_new, name="new"),
    path("pages/<slug:slug>", views.page_detail, name="detail"),
    path("pages/<slug:slug>/edit", views.page_edit, name="edit"),
    path("pages/<slug:slug>/delete", views.page_delete, name="delete"),
]
