from django.urls import path

from . import admin_views

urlpatterns = [
    path("", admin_views.sendings, name="sendings"),
    path("<int:page_id>/", admin_views.sending, name="sending"),
    path("<int:page_id>/essai/", admin_views.send_test, name="send_test"),
    path("<int:page_id>/envoyer/", admin_views.send, name="send"),
    path("<int:page_id>/annuler/", admin_views.cancel, name="cancel"),
]
