"""What a supplier's application submitted about its company, next to the record stored under
the same SIRET: an editor takes over the fields that are right (or none), field by field."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Supplier
from members.suppliers import PROFILE_FIELDS, apply_details, profile_values

from .errors import RegistrationError
from .models import CompanyReview, Registration, SubmittedCompany


def record_submitted_company(registration, siret, company):
    """Keep the company's details as submitted with ``registration`` (no stored company changes)."""
    submitted = SubmittedCompany.objects.create(
        registration=registration,
        siret=siret,
        name=company["name"],
        **{name: company.get(name) or "" for name in ("size", "city", "website", "description")},
    )
    if company.get("sectors"):
        submitted.sectors.set(company["sectors"])
    if company.get("labels"):
        submitted.labels.set(company["labels"])
    return submitted


def _shown(values, name):
    value = values.get(name)
    if name in ("sectors", "labels"):
        return ", ".join(sorted(str(item) for item in value or [])) or ""
    if name == "size" and value:
        return str(dict(Supplier._meta.get_field("size").choices).get(value, value))
    return value or ""


def comparison(submitted, stored):
    """Rows (field, label, submitted, stored, differs) for the review screen."""
    mine, theirs = profile_values(submitted), profile_values(stored)
    rows = []
    for name in PROFILE_FIELDS:
        label = Supplier._meta.get_field(name).verbose_name
        new, old = _shown(mine, name), _shown(theirs, name)
        rows.append({"name": name, "label": label, "submitted": new, "stored": old, "differs": new != old})
    return rows


def review(registration, *, fields, actor):
    """Take ``fields`` of what ``registration`` submitted over to the company stored under its
    SIRET (created from the submission when there is none and ``fields`` is not empty), and
    link the application to it. Empty ``fields``: the stored record stays as it is."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise RegistrationError(_("Champ inconnu : %(names)s.") % {"names": ", ".join(sorted(unknown))}, "invalid")
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        submitted = SubmittedCompany.objects.filter(registration=registration).first()
        if submitted is None:
            raise RegistrationError(_("Cette candidature n'a pas d'informations d'entreprise."), "no_details")
        stored = Supplier.objects.select_for_update().filter(siret=submitted.siret).first()
        if stored is not None or fields:
            try:
                stored = apply_details(stored, profile_values(submitted), fields, siret=submitted.siret)
            except ValidationError as error:
                raise RegistrationError(" ".join(error.messages), "invalid") from error
        registration.supplier = stored
        registration.save(update_fields=["supplier", "updated_at"])
        submitted.review = CompanyReview.MERGED if fields else CompanyReview.KEPT
        submitted.accepted_fields = list(fields)
        submitted.reviewed_by, submitted.reviewed_at = actor, timezone.now()
        submitted.save(update_fields=["review", "accepted_fields", "reviewed_by", "reviewed_at"])
    return submitted
