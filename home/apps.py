from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Accueil")

    def ready(self):
        neutralise_formulas_in_wagtail_exports()
        from django.db.models.signals import post_delete, post_save

        from .models import SiteSettings

        for signal in (post_save, post_delete):
            signal.connect(site_settings_changed, sender=SiteSettings, dispatch_uid=f"home.site_settings.{id(signal)}")


def site_settings_changed(**kwargs):
    """The footer (shared from the cache) shows the site's settings: renew it."""
    from base.caching import SITE, invalidate

    invalidate(tags=[SITE])


def neutralise_formulas_in_wagtail_exports():
    """Wagtail's list exports (every ModelViewSet's CSV, its reports) write cells as given: a
    cell starting with =, +, -, @, a tab or a carriage return would run as a formula in a
    spreadsheet. Its XLSX export already stores such cells as text."""
    # Wagtail's admin views import models: loaded once the app registry is ready.
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from registrations.exports import safe_cell

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: safe_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    SpreadsheetExportMixin.write_csv_row = write_csv_row
