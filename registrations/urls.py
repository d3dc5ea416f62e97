from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("<int:occurrence_id>/", views.register, name="register"),
    path("<int:occurrence_id>/verifiez-vos-e-mails/", views.check_email, name="check_email"),
    path("<int:occurrence_id>/candidature/", views.apply, name="apply"),
    path("<int:occurrence_id>/candidature-recue/", views.applied, name="applied"),
    path("resultat/<str:token>/", views.outcome, name="outcome"),
    path("annuler/<str:token>/", views.cancel, name="cancel"),
    path("confirmer/<str:token>/", views.confirm_guest, name="confirm_guest"),
    path("mes-inscriptions/<int:pk>/annuler/", views.cancel_mine, name="cancel_mine"),
]
