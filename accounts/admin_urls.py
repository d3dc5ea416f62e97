from django.urls import path

from . import admin_views

app_name = "accounts_admin"

urlpatterns = [
    path("", admin_views.requests, name="requests"),
    path("<int:pk>/", admin_views.request_detail, name="request"),
    path("<int:pk>/accepter/", admin_views.decide, {"decision": "approve"}, name="approve"),
    path("<int:pk>/refuser/", admin_views.decide, {"decision": "decline"}, name="decline"),
    path("inviter/", admin_views.invite, name="invite"),
    path("importer/", admin_views.import_csv, name="import"),
]
