from django.urls import path

from . import views

app_name = "attendance_admin"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:occurrence_id>/", views.occurrence_attendance, name="occurrence"),
    path("<int:occurrence_id>/emargement/<str:day>/", views.signin_sheet, name="signin_sheet"),
    path("pointage/<str:token>/", views.checkin, name="checkin"),
]
