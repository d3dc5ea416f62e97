from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("attestation/<int:registration_id>/", views.certificate, name="certificate"),
]
