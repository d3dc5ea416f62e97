from django.urls import path

from . import referent_views, views

app_name = "accounts"

urlpatterns = [
    path("demande/", views.request_account, name="request"),
    path("demande/verifier/<str:token>/", views.verify_request, name="verify_request"),
    path("creer/", views.sign_up, name="signup"),
    path("creer/<str:token>/", views.complete_signup, name="complete_signup"),
    path("bienvenue/<uidb64>/<token>/", views.set_password, name="set_password"),
    path("organisation/", referent_views.organisation, name="organisation"),
    path("organisation/facturation/", referent_views.billing, name="billing"),
    path("organisation/demandes/<int:pk>/accepter/", referent_views.approve_request, name="approve_request"),
    path("organisation/demandes/<int:pk>/refuser/", referent_views.decline_request, name="decline_request"),
]
