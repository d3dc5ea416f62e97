from django.urls import path

from . import admin_views

app_name = "evaluations_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:survey_id>/", admin_views.survey_results, name="survey"),
    path("<int:survey_id>/inviter/", admin_views.confirm_invitations, name="invite"),
    path("<int:survey_id>/export.xlsx", admin_views.survey_export, name="survey_export"),
    path("page/<int:page_id>/", admin_views.page_results, name="page"),
    path("page/<int:page_id>/export.xlsx", admin_views.page_export, name="page_export"),
]
