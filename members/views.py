from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from base.sites import find_site

from .account import account_sections
from .forms import LoginForm, NewPasswordForm, ProfileForm, ResetForm


class LoginView(auth_views.LoginView):
    template_name = "members/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # A rejected login is a client error, not a 200 that looks like success.
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LogoutView(auth_views.LogoutView):
    pass


class AdminLogoutView(WagtailLogoutView):
    """The admin's logout, POST only (it ends the server session). Wagtail's own view answers a
    GET with 405 but still deletes the session cookie: a link on any site would log staff out of
    their browser while their server session stayed alive."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "members/password_reset.html"
    form_class = ResetForm
    email_template_name = "members/email/password_reset.txt"
    subject_template_name = "members/email/password_reset_subject.txt"
    success_url = reverse_lazy("members:password_reset_done")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "members/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("members:password_reset_complete")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "members/password_reset_complete.html"


@never_cache
@login_required
def account(request):
    """« Mon compte »: who I am, my organisation, then the sections other apps register."""
    find_site(request)  # shared from the cache; the sections' page links then ask no query
    return render(
        request,
        "members/account.html",
        {"person": request.user, "organisation": request.user.organisation, "sections": account_sections(request)},
    )


@never_cache
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Vos coordonnées ont été enregistrées."))
            return redirect("members:account")
        return render(request, "members/profile.html", {"form": form}, status=400)
    return render(request, "members/profile.html", {"form": form})


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes: too many failed logins. 429 with a French explanation, on site and admin."""
    return render(request, "members/locked_out.html", status=429)
