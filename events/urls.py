from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("agenda.ics", views.public_feed, name="public_feed"),
    path("secteur/<slug:slug>.ics", views.sector_feed, name="sector_feed"),
    path("type/<str:kind>.ics", views.kind_feed, name="kind_feed"),
    path("groupe/<slug:slug>.ics", views.working_group_feed, name="working_group_feed"),
    path("evenement/<int:page_id>.ics", views.event_feed, name="event_feed"),
    path("personnel/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("personnel/nouveau-lien/", views.regenerate_token, name="regenerate_token"),
    path("personnel/revoquer/", views.revoke_token, name="revoke_token"),
]
