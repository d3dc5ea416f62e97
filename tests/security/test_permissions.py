"""Permission matrix: every kind of URL the site exposes, for every kind of person.

Roles: anonymous, member (membre@nantes.fr, owner of the personal objects below), member of
another organisation (membre@rennes.fr), supplier, editor, administrator. Expected answers:
200 allowed; 302 sent to log in; 403 refused with an explanation; 404 not found (someone else's
object is never confirmed to exist); 400 for the webhook without a signature.
"""

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.models import AccountRequest, Referent
from events.models import CalendarToken
from helpdesk.models import Question
from members.models import Supplier, SupplierClaim, User
from payments.models import Invoice
from registrations.applications import apply_as_supplier
from registrations.models import Occurrence, Registration

ROLES = ["anonymous", "member", "other_member", "supplier", "editor", "admin"]
EMAILS = {
    "member": "membre@nantes.fr",
    "other_member": "membre@rennes.fr",
    "supplier": "fournisseur@textiles-ouest.fr",
    "editor": "editeur@reseco.fr",
    "admin": "admin@reseco.fr",
}
LOGIN = "login"  # a 302 to the site's or the admin's login page, which comes back to the URL


def answer(client, url):
    """The status of a GET, or LOGIN when it is a redirect to a login page with ``next=url``
    (any other redirect is reported with its target)."""
    response = client.get(url)
    if response.status_code != 302:
        return response.status_code
    query = QueryDict(mutable=True)
    query["next"] = url
    logins = {f"{login_path}?{query.urlencode(safe='/')}" for login_path in ("/compte/connexion/", "/admin/login/")}
    return LOGIN if response["Location"] in logins else f"302 → {response['Location']}"


# The Wagtail admin sends people without admin access to its login page.
ADMIN_ONLY = {
    "anonymous": LOGIN,
    "member": LOGIN,
    "other_member": LOGIN,
    "supplier": LOGIN,
    "editor": 200,
    "admin": 200,
}
PUBLIC = dict.fromkeys(ROLES, 200)
MEMBERS_ONLY = {"anonymous": LOGIN, "member": 200, "other_member": 200, "supplier": 403, "editor": 200, "admin": 200}
MINE = {"anonymous": LOGIN, "member": 200, "other_member": 404, "supplier": 404, "editor": 200, "admin": 200}
# Someone else's certificate is refused; someone else's helpdesk thread is not confirmed to exist
# (staff answer threads from the admin).
CERTIFICATE = {**MINE, "other_member": 403, "supplier": 403}
THREAD = {**MINE, "editor": 404, "admin": 404}
LOGGED_IN = {"anonymous": LOGIN, "member": 200, "other_member": 200, "supplier": 200, "editor": 200, "admin": 200}
LOGGED_IN_400 = {**dict.fromkeys(ROLES, 400), "anonymous": LOGIN}
# Who may claim a company: anyone logged in but agents of member bodies and staff.
CLAIMANTS = {"anonymous": LOGIN, "member": 403, "other_member": 403, "supplier": 200, "editor": 403, "admin": 403}
MY_COMPANY = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "supplier": 200}
NOBODY = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}


@pytest.fixture
def objects(demo_module):
    member = User.objects.get(email=EMAILS["member"])
    registration = Registration.objects.filter(user=member, status="confirmed", attendances__isnull=False).first()
    invoice = Invoice.objects.select_related("payment__registration__user").first()
    question = Question.objects.filter(author=member).first()
    token, _ = CalendarToken.objects.get_or_create(user=member)
    occurrence = Occurrence.objects.first()
    assert registration and invoice and question and occurrence
    account_request = AccountRequest.objects.create(
        first_name="Paul", last_name="R", email="paul@rennes.fr", job_title="Acheteur", organisation=rennes_of()
    )
    supplier_contact = User.objects.get(email=EMAILS["supplier"])
    claim = SupplierClaim.objects.create(
        user=supplier_contact, supplier=supplier_contact.supplier, email=supplier_contact.email, status="approved"
    )
    meeting = Occurrence.objects.upcoming().scheduled().filter(kind="market_engagement").first()
    application = apply_as_supplier(
        meeting,
        company={"siret": claim.supplier.siret, "name": "Candidature anonyme"},
        contact={"first_name": "A", "last_name": "B", "email": "anonyme@exemple.fr"},
    )
    return {
        "account_request": account_request,
        "claim": claim,
        "upcoming": Registration.objects.filter(user=member, status="confirmed", occurrence__start__gt=timezone.now())
        .order_by("pk")
        .first(),
        "other_supplier": Supplier.objects.exclude(pk=claim.supplier_id).first(),
        "application": application,
        "member": member,
        "registration": registration,
        "invoice": invoice,
        "question": question,
        "token": token,
        "occurrence": occurrence,
    }


def matrix(o):
    """(label, url, expected answers per role)."""
    invoice_owner = o["invoice"].payment.registration.user.email
    invoice_expect = {
        role: (200 if EMAILS.get(role) == invoice_owner or role in ("editor", "admin") else 404) for role in ROLES
    }
    invoice_expect["anonymous"] = LOGIN
    cancel_mine = reverse("registrations:cancel_mine", kwargs={"pk": o["upcoming"].pk})
    return [
        ("home", "/", PUBLIC),
        ("agenda", "/agenda/", PUBLIC),
        ("trainings", "/formations/", PUBLIC),
        ("library", "/ressources/", PUBLIC),
        ("search", "/recherche/?q=achat", PUBLIC),
        ("members-only page", "/espace-membres/", MEMBERS_ONLY),
        ("public feed", reverse("events:public_feed"), PUBLIC),
        ("personal feed (secret link)", reverse("events:personal_feed", kwargs={"token": o["token"].token}), PUBLIC),
        (
            "revoked or forged feed",
            reverse("events:personal_feed", kwargs={"token": "forged-token"}),
            dict.fromkeys(ROLES, 404),
        ),
        ("my account", "/compte/", LOGGED_IN),
        (
            "attendance certificate",
            reverse("attendance:certificate", kwargs={"registration_id": o["registration"].pk}),
            CERTIFICATE,
        ),
        ("invoice PDF", reverse("payments:invoice_pdf", kwargs={"number": o["invoice"].number}), invoice_expect),
        ("helpdesk thread", reverse("helpdesk:thread", kwargs={"pk": o["question"].pk}), THREAD),
        ("admin dashboard", "/admin/", ADMIN_ONLY),
        ("admin registrations", f"/admin/inscriptions/{o['occurrence'].pk}/", ADMIN_ONLY),
        ("admin registrations export", f"/admin/inscriptions/{o['occurrence'].pk}/?export=csv", ADMIN_ONLY),
        ("admin attendance", "/admin/presences/", ADMIN_ONLY),
        ("activity report", "/admin/rapport/?from=2025-01-01&to=2025-12-31", ADMIN_ONLY),
        ("report export", "/admin/rapport/export/csv/?from=2025-01-01&to=2025-12-31", ADMIN_ONLY),
        ("organisations", "/admin/reseau/organisations/", ADMIN_ONLY),
        ("ask for an account", "/compte/demande/", PUBLIC),
        ("create a public account", "/compte/creer/", PUBLIC),
        ("forged request verification", "/compte/demande/verifier/forged/", dict.fromkeys(ROLES, 400)),
        ("forged sign-up link", "/compte/creer/forged/", dict.fromkeys(ROLES, 400)),
        ("forged set-password link", "/compte/bienvenue/MQ/forged-token/", dict.fromkeys(ROLES, 400)),
        ("admin account requests", "/admin/reseau/demandes-de-compte/", ADMIN_ONLY),
        ("admin account request", f"/admin/reseau/demandes-de-compte/{o['account_request'].pk}/", ADMIN_ONLY),
        ("admin invite", "/admin/reseau/demandes-de-compte/inviter/", ADMIN_ONLY),
        ("admin CSV invitations", "/admin/reseau/demandes-de-compte/importer/", ADMIN_ONLY),
        ("admin référents", "/admin/reseau/referents/", ADMIN_ONLY),
        ("admin add a référent", "/admin/reseau/referents/new/", ADMIN_ONLY),
        ("cancel my registration (asks first)", cancel_mine, {**MINE, "editor": 404, "admin": 404}),
        ("claim a company", reverse("members:claim"), CLAIMANTS),
        ("forged claim link", reverse("members:claim_verify", args=["forge"]), LOGGED_IN_400),
        ("my company's profile", reverse("members:company", args=[o["claim"].supplier_id]), MY_COMPANY),
        ("another company's profile", reverse("members:company", args=[o["other_supplier"].pk]), NOBODY),
        ("claims to review", "/admin/reseau/revendications/", ADMIN_ONLY),
        ("decide a claim", reverse("members_claim_decide", args=[o["claim"].pk]), ADMIN_ONLY),
        (
            "compare an application with the stored company",
            reverse("registrations_admin:review_company", args=[o["application"].pk]),
            ADMIN_ONLY,
        ),
    ]


def rennes_of():
    return User.objects.get(email=EMAILS["other_member"]).organisation


# « Mon organisation »: membre@nantes.fr is made référent of Nantes; nobody else is a référent.
REFERENT_ONLY = {"anonymous": LOGIN, "member": 200, "other_member": 404, "supplier": 404, "editor": 404, "admin": 404}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_referent_pages_matrix(objects, client, role):
    Referent.objects.get_or_create(organisation=objects["member"].organisation, user=objects["member"])
    login(client, role)
    failures = []
    for url in ("/compte/organisation/", "/compte/organisation/facturation/"):
        if (status := answer(client, url)) != REFERENT_ONLY[role]:
            failures.append(f"{url}: {status} (expected {REFERENT_ONLY[role]})")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["accepter", "refuser"])
def test_nobody_decides_another_organisations_account_request(objects, client, role, action):
    """Even Nantes's référent: a Rennes request is not theirs (404), and staff decide in the admin."""
    Referent.objects.get_or_create(organisation=objects["member"].organisation, user=objects["member"])
    login(client, role)
    url = f"/compte/organisation/demandes/{objects['account_request'].pk}/{action}/"
    response = client.post(url, {"message": "Non."})
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"] == f"/compte/connexion/?next={url}"
    else:
        assert response.status_code == 404
    objects["account_request"].refresh_from_db()
    assert objects["account_request"].status == "pending"


def login(client, role):
    if role != "anonymous":
        client.force_login(User.objects.get(email=EMAILS[role]))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(objects, client, role):
    login(client, role)
    failures = []
    for label, url, expected in matrix(objects):
        status = answer(client, url)
        if status != expected[role]:
            failures.append(f"{label} {url}: {status} (expected {expected[role]})")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_webhook_without_signature_is_refused_for_everyone(objects, client, role):
    login(client, role)
    response = client.post(reverse("payments:stripe_webhook"), data="{}", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "other_member", "supplier"])
def test_nobody_cancels_someone_elses_registration(objects, client, role):
    login(client, role)
    registration = Registration.objects.filter(user=objects["member"], status="confirmed").first()
    url = reverse("registrations:cancel_mine", kwargs={"pk": registration.pk})
    response = client.post(url)
    if role == "anonymous":  # asked to log in first
        assert response.status_code == 302 and response["Location"] == f"/compte/connexion/?next={url}"
    else:  # someone else's registration does not exist for them
        assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


@pytest.mark.django_db
def test_restricted_pages_never_leak_through_listings_feeds_search_or_sitemap(objects, client):
    from wagtail.models import Page

    restricted = [p for p in Page.objects.live().specific() if p.get_view_restrictions().exists()]
    assert restricted
    for url in ("/sitemap.xml", "/recherche/?q=compte+rendu", "/ressources/", "/calendrier/agenda.ics", "/agenda/"):
        body = client.get(url).content.decode()
        for page in restricted:
            assert page.url not in body, (url, page.url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_qr_check_in_needs_an_editor_session(objects, client, role):
    from attendance.services import checkin_token

    login(client, role)
    url = f"/admin/presences/pointage/{checkin_token(objects['registration'])}/"
    status = answer(client, url)
    if role in ("editor", "admin"):
        assert status == 400, status  # refused with its reason: this date is not today
        assert client.get("/admin/presences/pointage/forged-token/").status_code == 400
    else:
        assert status == LOGIN
