from django.urls import path, re_path

from . import admin_views

app_name = "exchange_admin"

urlpatterns = [
    path("", admin_views.reports, name="reports"),
    path("questions/", admin_views.questions, name="questions"),
    path("questions/<int:pk>/", admin_views.thread, name="thread"),
    path("questions/<int:pk>/publier/", admin_views.publish, name="publish"),
    re_path(r"^moderer/(?P<kind>question|reponse)/(?P<pk>\d{1,9})/$", admin_views.moderate, name="moderate"),
]
