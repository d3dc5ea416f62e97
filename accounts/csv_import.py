"""Reading a CSV of people to invite: every problem becomes a French message, per line when it
concerns a line, for the whole file otherwise; nothing is created until the editor confirms."""

import csv
import dataclasses
import io
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from members.models import Organisation, User

MAX_BYTES = 2 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Accepted headers (accents, case and spaces ignored) for each column.
COLUMNS = {
    "email": ("email", "e-mail", "mail", "courriel", "adresse electronique", "adresse e-mail"),
    "first_name": ("prenom",),
    "last_name": ("nom", "nom de famille"),
    "organisation": ("organisation", "collectivite", "siren"),
}
REQUIRED = ("email", "first_name", "last_name")
LABELS = {"email": "email", "first_name": "prenom", "last_name": "nom"}


def max_lines():
    return getattr(settings, "ACCOUNTS_CSV_MAX_LINES", 2000)


class CsvError(Exception):
    pass


@dataclasses.dataclass
class Row:
    line: int
    email: str
    first_name: str
    last_name: str
    organisation: Organisation | None = None
    organisation_text: str = ""
    errors: list = dataclasses.field(default_factory=list)

    def as_payload(self):
        return {
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "organisation": self.organisation.pk if self.organisation else None,
        }


def _plain(text):
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("_", " ")


def decode(raw):
    if len(raw) > MAX_BYTES:
        raise CsvError(_("Le fichier dépasse 2 Mo : découpez-le."))
    if b"\x00" in raw:
        raise CsvError(_("Ce fichier n'est pas un fichier CSV (texte) : enregistrez-le au format CSV."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError(_("Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8."))


def _columns(header):
    found = {}
    for index, name in enumerate(header):
        for key, aliases in COLUMNS.items():
            if _plain(name) in aliases and key not in found:
                found[key] = index
    missing = [LABELS[key] for key in REQUIRED if key not in found]
    if missing:
        raise CsvError(
            _(
                "Colonnes manquantes : %(missing)s. La première ligne doit nommer les colonnes email, prenom, nom "
                "(et facultativement organisation)."
            )
            % {"missing": ", ".join(missing)}
        )
    return found


def _records(text):
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise CsvError(_("Le fichier CSV est mal formé : %(error)s") % {"error": error}) from error
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        raise CsvError(_("Le fichier est vide."))
    if len(lines) - 1 > max_lines():
        raise CsvError(
            _("Le fichier compte %(count)s lignes : %(max)s au plus par import, découpez-le.")
            % {"count": len(lines) - 1, "max": max_lines()}
        )
    return lines[0], lines[1:]


def _row(number, cells, columns):
    def cell(key):
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    row = Row(
        number, cell("email").lower(), cell("first_name"), cell("last_name"), organisation_text=cell("organisation")
    )
    if any(value.startswith(FORMULA_STARTS) for value in cells if value):
        row.errors.append(_("Une cellule commence par = + - ou @ (formule) : ligne refusée."))
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append(_("Adresse électronique invalide."))
    if not row.first_name or not row.last_name:
        row.errors.append(_("Prénom et nom sont obligatoires."))
    if len(row.first_name) > 150 or len(row.last_name) > 150:
        row.errors.append(_("Prénom ou nom trop long (150 caractères au plus)."))
    return row


def _organisations(texts):
    """{text: Organisation} for SIRENs or names of current members (one query)."""
    texts = {t for t in texts if t}
    if not texts:
        return {}
    sirens = {t.replace(" ", "") for t in texts}
    query = Q(siren__in=sirens)
    for text in texts:
        query |= Q(name__iexact=text)
    found = {}
    for organisation in Organisation.objects.current_members().filter(query):
        found[organisation.siren] = organisation
        found[organisation.name.lower()] = organisation
    return {t: found.get(t.replace(" ", "")) or found.get(t.lower()) for t in texts}


def parse(raw):
    """The rows of an uploaded file, each with its errors. Raises CsvError for the whole file."""
    header, records = _records(decode(raw))
    columns = _columns(header)
    rows = [_row(number, cells, columns) for number, cells in enumerate(records, start=2)]
    emails = [r.email for r in rows if r.email]
    existing = set(User.objects.annotate(lower=Lower("email")).filter(lower__in=emails).values_list("lower", flat=True))
    organisations = _organisations(r.organisation_text for r in rows)
    seen = set()
    for row in rows:
        if row.email in existing:
            row.errors.append(_("Un compte existe déjà pour cette adresse."))
        elif row.email and row.email in seen:
            row.errors.append(_("Adresse déjà présente plus haut dans le fichier."))
        seen.add(row.email)
        if row.organisation_text:
            row.organisation = organisations.get(row.organisation_text)
            if row.organisation is None:
                row.errors.append(_("Organisation inconnue (ni SIREN ni nom d'une collectivité membre)."))
    return rows
