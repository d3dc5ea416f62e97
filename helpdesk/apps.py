from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_editor_permissions(sender, using="default", **kwargs):
    """The network's editors manage the FAQ and read the questions (after every migrate, idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # This app's receiver may run before auth's: make sure its permissions exist.
    create_permissions(sender, verbosity=0, using=using)
    from members.models import EDITORS_GROUP

    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    codenames = [
        "add_faqentry",
        "change_faqentry",
        "delete_faqentry",
        "view_faqentry",
        "view_question",
        "change_question",
    ]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="helpdesk", codename__in=codenames))


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Assistance")

    def ready(self):
        post_migrate.connect(grant_editor_permissions, sender=self, dispatch_uid="helpdesk_editor_permissions")
