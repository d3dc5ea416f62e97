from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.ask_view, name="ask"),
    path("questions/<int:pk>/", views.thread_view, name="thread"),
    path("pieces-jointes/<int:pk>/", views.attachment_view, name="attachment"),
]
