from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("abonnement/", views.subscribe, name="subscribe"),
    path("abonnement/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/", views.preferences, name="preferences"),
]
