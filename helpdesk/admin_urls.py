from django.urls import path

from . import admin_views

app_name = "helpdesk_admin"

urlpatterns = [
    path("", admin_views.questions, name="questions"),
    path("<int:pk>/", admin_views.thread, name="thread"),
    path("<int:pk>/clore/", admin_views.close_question, name="close"),
    path("<int:pk>/faq/", admin_views.faq_draft, name="faq_draft"),
]
