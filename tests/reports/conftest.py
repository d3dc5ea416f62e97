"""A known year (2025) of occurrences, registrations, attendance and time entries, whose
report figures are computed by hand in test_figures.py."""

import datetime
from decimal import Decimal

from wagtail.models import Page

import pytest

from members.models import OrganisationKind, Region
from registrations.models import AttendanceStatus, OccurrenceStatus, RegistrationStatus
from tests.factories import (
    EditorFactory,
    MemberFactory,
    OrganisationFactory,
    StandardPageFactory,
    SupplierFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from tests.factories.attendance import (
    AttendanceFactory,
    OccurrenceFactory,
    RegistrationFactory,
    TimeEntryFactory,
    paris,
)
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.factories.library import (
    GuidePageFactory,
    QuestionFactory,
    ResourceIndexPageFactory,
    TenderTemplatePageFactory,
)
from timesheets.models import Activity

P, L, A, E = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED


def attend(registration, statuses):
    for part, status in zip(registration.occurrence.parts.order_by("start"), statuses, strict=True):
        if status:
            AttendanceFactory(registration=registration, part=part, status=status)


@pytest.fixture
def known_year(home_page):
    page = StandardPageFactory(parent=home_page, title="Rencontres")
    groups = WorkingGroupIndexPageFactory(parent=home_page)
    textiles = WorkingGroupPageFactory(parent=groups, title="Textiles", years=[(2021, None)])
    papier = WorkingGroupPageFactory(parent=groups, title="Papier", years=[(2011, 2013)])

    nantes = OrganisationFactory(name="Ville de Nantes", region=Region.PAYS_DE_LA_LOIRE, kind=OrganisationKind.COMMUNE)
    rennes = OrganisationFactory(
        name="Rennes Métropole",
        region=Region.BRETAGNE,
        kind=OrganisationKind.INTERCOMMUNALITE,
        member_since=datetime.date(2010, 1, 1),
    )
    blois = OrganisationFactory(
        name="Ville de Blois",
        region=Region.CENTRE_VAL_DE_LOIRE,
        kind=OrganisationKind.COMMUNE,
        member_since=datetime.date(2024, 6, 1),
        member_until=datetime.date(2025, 2, 28),
    )
    cholet = OrganisationFactory(
        name="Ville de Cholet",
        region=Region.PAYS_DE_LA_LOIRE,
        kind=OrganisationKind.COMMUNE,
        member_since=datetime.date(2009, 1, 1),
        member_until=datetime.date(2019, 12, 31),
    )

    o1 = OccurrenceFactory(page=page, kind="thematic", start=paris(2025, 3, 11, 9, 30), end=paris(2025, 3, 11, 12, 30))
    o2 = OccurrenceFactory(page=page, kind="training", start=paris(2025, 5, 20, 9), end=paris(2025, 5, 21, 17))
    o3 = OccurrenceFactory(
        page=page,
        kind="webinar",
        start=paris(2025, 4, 1, 11),
        end=paris(2025, 4, 1, 12),
        status=OccurrenceStatus.CANCELLED,
    )
    o4 = OccurrenceFactory(page=page, kind="thematic", start=paris(2024, 6, 4, 14), end=paris(2024, 6, 4, 16))
    o5 = OccurrenceFactory(
        page=page, kind="market_engagement", start=paris(2025, 9, 10, 10), end=paris(2025, 9, 10, 12)
    )
    o6 = OccurrenceFactory(page=page, kind="thematic", start=paris(2026, 1, 5, 14), end=paris(2026, 1, 5, 16))

    r1 = RegistrationFactory(occurrence=o1, email="alice@exemple.fr", organisation=nantes)
    attend(r1, [P])
    r2 = RegistrationFactory(occurrence=o1, email="bob@exemple.fr", organisation=rennes)
    attend(r2, [A])
    RegistrationFactory(occurrence=o1, email="carol@exemple.fr")  # no attendance taken: a no-show
    RegistrationFactory(occurrence=o1, email="zoe@exemple.fr", organisation=nantes, status=RegistrationStatus.CANCELLED)

    r6 = RegistrationFactory(occurrence=o2, email="ALICE@exemple.fr", organisation=nantes)
    attend(r6, [P, L, A, E])  # 3.5 h + 3.5 h attended
    r7 = RegistrationFactory(occurrence=o2, email="dave@exemple.fr", organisation=blois)
    attend(r7, [P, P, P, P])  # 14 h
    r8 = RegistrationFactory(occurrence=o2, email="eve@exemple.fr", organisation=cholet)
    attend(r8, [P, None, None, None])  # 3.5 h; Cholet was no longer a member
    RegistrationFactory(
        occurrence=o2, email="fred@exemple.fr", organisation=rennes, status=RegistrationStatus.WAITLISTED
    )

    r10 = RegistrationFactory(occurrence=o3, email="gina@exemple.fr", organisation=rennes)
    attend(r10, [P])  # cancelled occurrence: never counted

    r11 = RegistrationFactory(occurrence=o4, email="alice@exemple.fr", organisation=nantes)
    attend(r11, [P])
    RegistrationFactory(occurrence=o6, email="henri@exemple.fr", organisation=rennes)

    for status in (RegistrationStatus.APPLIED, RegistrationStatus.SELECTED, RegistrationStatus.DECLINED):
        supplier = SupplierFactory()
        RegistrationFactory(occurrence=o5, email=f"{status}@fournisseur.fr", supplier=supplier, status=status)

    # Working group meetings: event pages linked to a group (their own dates are far away).
    agenda = EventIndexPageFactory(parent=home_page)
    textiles_meetings = EventPageFactory(parent=agenda, kind="working_group_meeting", working_group=textiles)
    OccurrenceFactory(page=textiles_meetings, kind="working_group_meeting", start=paris(2025, 4, 8, 14))
    OccurrenceFactory(page=textiles_meetings, kind="working_group_meeting", start=paris(2025, 10, 14, 14))
    papier_meeting = EventPageFactory(parent=agenda, kind="working_group_meeting", working_group=papier)
    OccurrenceFactory(page=papier_meeting, kind="working_group_meeting", start=paris(2025, 6, 3, 14))

    # Resources: two guides and a tender template published in 2025, one guide in 2024.
    library = ResourceIndexPageFactory(parent=home_page)
    for factory_class, published in (
        (GuidePageFactory, paris(2025, 2, 1)),
        (GuidePageFactory, paris(2025, 11, 20)),
        (TenderTemplatePageFactory, paris(2025, 7, 1)),
        (GuidePageFactory, paris(2024, 12, 31, 23)),
    ):
        page_ = factory_class(parent=library)
        Page.objects.filter(pk=page_.pk).update(first_published_at=published)

    # Helpdesk: two questions answered in 2025, one in 2024, one waiting.
    asker = MemberFactory(organisation=nantes)
    for answered in (paris(2025, 3, 1), paris(2025, 12, 31, 23), paris(2024, 5, 5), None):
        QuestionFactory(author=asker, answered_at=answered)

    editor = EditorFactory(email="equipe@reseco.fr")
    TimeEntryFactory(person=editor, date=datetime.date(2025, 6, 2), hours=Decimal("3.5"), activity=Activity.HELPDESK)
    TimeEntryFactory(person=editor, date=datetime.date(2025, 6, 3), hours=Decimal("4"), activity=Activity.COORDINATION)
    TimeEntryFactory(
        person=editor, date=datetime.date(2025, 12, 31), hours=Decimal("2.5"), activity=Activity.COMMUNICATION
    )
    TimeEntryFactory(person=editor, date=datetime.date(2024, 12, 31), hours=Decimal("6"), activity=Activity.HELPDESK)
    TimeEntryFactory(person=editor, date=datetime.date(2026, 1, 2), hours=Decimal("8"), activity=Activity.HELPDESK)
    return {"page": page, "editor": editor, "occurrences": [o1, o2, o3, o4, o5, o6], "nantes": nantes}
