from django.urls import path

from fanfold.subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("subscriptions", views.subscription_list, name="list"),
    path("subscriptions/new", views.subscribe, name="create"),
    path("subscriptions/<id:subscription_id>/delete", views.unsubscribe, name="delete"),
    path("subscriptions/unsubscribe/<str:token>", views.unsubscribe_link, name="unsubscribe"),
]
