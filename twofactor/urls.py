from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("activer/", views.enrol, name="enrol"),
    path("", views.verify, name="verify"),
]
