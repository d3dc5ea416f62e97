from django.urls import path

from . import views

app_name = "personaldata"

urlpatterns = [
    path("export/", views.export_mine, name="export"),
    path("export/<int:user_id>/", views.export_person, name="export_person"),
    path("effacement/", views.erase_mine, name="erase"),
]
