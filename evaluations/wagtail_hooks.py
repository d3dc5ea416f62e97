from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from base.staff import StaffMenuItem, StaffPermissionPolicy, is_staff

from . import admin_urls
from .models import EvaluationSettings, Questionnaire, Survey

register_permission_policy(Questionnaire, StaffPermissionPolicy(Questionnaire))
register_permission_policy(EvaluationSettings, StaffPermissionPolicy(EvaluationSettings))


class QuestionnaireViewSet(ModelViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = gettext_lazy("Questionnaires d'évaluation")
    add_to_admin_menu = False
    url_prefix = "evaluations/questionnaires"
    list_display = ["name", "default_for_kind", "stage", "updated_at"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = True


class EvaluationSettingsViewSet(ModelViewSet):
    model = EvaluationSettings
    icon = "cog"
    menu_label = gettext_lazy("Réglages d'évaluation")
    add_to_admin_menu = False
    url_prefix = "evaluations/reglages"
    list_display = ["page", "enabled", "questionnaire", "trainer_email", "anonymous_comments"]
    search_fields = ["page__title", "trainer_email"]
    search_backend_name = None


questionnaires = QuestionnaireViewSet("evaluation_questionnaires")
evaluation_settings = EvaluationSettingsViewSet("evaluation_settings")


@hooks.register("register_admin_viewset")
def register_questionnaires():
    return questionnaires


@hooks.register("register_admin_viewset")
def register_evaluation_settings():
    return evaluation_settings


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    return [path("evaluations/", include(admin_urls, namespace="evaluations_admin"))]


@hooks.register("register_admin_menu_item")
def register_evaluations_menu_item():
    return StaffMenuItem(gettext_lazy("Évaluations"), reverse("evaluations_admin:index"), icon_name="pick", order=315)


@hooks.register("register_page_header_buttons")
def evaluations_page_button(page, user, view_name, next_url=None):
    """« Évaluations » in the menu of any page whose dates were evaluated."""
    if is_staff(user) and Survey.objects.filter(occurrence__page_id=page.pk).exists():
        yield Button(
            _("Évaluations"),
            reverse("evaluations_admin:page", kwargs={"page_id": page.pk}),
            icon_name="pick",
            priority=86,
        )


@hooks.register("attendance_checkin_extra")
def offer_survey_on_the_spot(registration, part):
    """On the QR check-in of an evaluated date's last day: the survey's link as a QR code the
    participant scans with their own phone, to answer on the spot."""
    from .checkin import survey_offer  # loaded on use: the check-in view calls it rarely

    return survey_offer(registration, part)
