from django.urls import path

from . import company_views, views

app_name = "members"

urlpatterns = [
    path("", views.account, name="account"),
    path("profil/", views.profile, name="profile"),
    path("entreprise/revendiquer/", company_views.claim, name="claim"),
    path("entreprise/verifier/<str:token>/", company_views.claim_verify, name="claim_verify"),
    path("entreprise/<int:pk>/", company_views.company, name="company"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("mot-de-passe/termine/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
