from django.urls import path

from . import admin_views

app_name = "personaldata_admin"

urlpatterns = [
    path("", admin_views.erase_by_email, name="email"),
    path("personne/<int:user_id>/", admin_views.person, name="person"),
    path("personne/<int:user_id>/export/", admin_views.export, name="export"),
    path("personne/<int:user_id>/effacer/", admin_views.erase, name="erase"),
]
