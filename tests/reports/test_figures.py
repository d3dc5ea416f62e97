"""Every figure of the 2025 report, computed by hand from the fixture in conftest.py."""

import datetime
from decimal import Decimal

import pytest

from base.periods import Period, PeriodError, parse_period, year_period
from reports.figures import compute
from workinggroups.models import WorkingGroupPage

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


@pytest.fixture
def report(known_year):
    return compute(year_period(2025), now=NOW)


def values(report):
    return {key: figure.value for key, figure in report.figures.items()}


def rows(breakdown, column):
    return {row.key: row.values[column] for row in breakdown.rows}


def test_activity_figures(report):
    v = values(report)
    # Held: O1 (thematic), O2 (training), O5 (market engagement), three working group meetings.
    # O3 cancelled, O4 in 2024, O6 in 2026.
    assert v["held_total"] == 6
    assert rows(report.breakdowns["held_by_kind"], "count") == {
        "thematic": 1,
        "training": 1,
        "market_engagement": 1,
        "working_group_meeting": 3,
    }
    assert v["training_runs"] == 1
    # Alice 3.5 + 3.5 (present, late), Dave 4 × 3.5, Eve 3.5.
    assert v["training_person_hours"] == Decimal("24.50")
    # "Textiles" (2021–) is active in 2025; "Papier" (2011–2013) too, as it met in June.
    assert v["working_groups_active"] == 2
    assert v["working_group_meetings"] == 3
    assert rows(report.breakdowns["working_group_meetings"], "meetings") == {
        str(p.pk): n
        for p, n in (
            (WorkingGroupPage.objects.get(title="Textiles"), 2),
            (WorkingGroupPage.objects.get(title="Papier"), 1),
        )
    }


def test_participation_figures(report):
    v = values(report)
    assert v["registrations"] == 6  # r1, r2, r3 on O1; r6, r7, r8 on O2
    assert v["present"] == 4  # r1, r6, r7, r8
    assert v["attendance_rate"] == Decimal("66.7")
    assert v["no_shows"] == 2  # Bob (absent), Carol (nothing recorded)
    assert v["unique_participants"] == 3  # alice (twice, any case), dave, eve
    assert v["member_organisations"] == 3  # Nantes, Rennes, Blois (until February); not Cholet
    assert v["member_organisations_reached"] == 2  # Nantes, Blois
    assert v["member_share"] == Decimal("66.7")


def test_participation_by_region_and_body(report):
    region = {row.key: row.values for row in report.breakdowns["by_region"].rows}
    assert region["pdl"] == {
        "registrations": 3,
        "participants": 2,
        "organisations": 1,
        "members": 1,
        "share": Decimal("100.0"),
    }
    assert region["bre"] == {
        "registrations": 1,
        "participants": 0,
        "organisations": 0,
        "members": 1,
        "share": Decimal("0.0"),
    }
    assert region["cvl"] == {
        "registrations": 1,
        "participants": 1,
        "organisations": 1,
        "members": 1,
        "share": Decimal("100.0"),
    }
    assert region["none"]["registrations"] == 1 and region["none"]["participants"] == 0
    body = {row.key: row.values for row in report.breakdowns["by_body"].rows}
    assert body["commune"]["registrations"] == 4  # Nantes ×2, Blois, Cholet
    assert body["commune"]["organisations"] == 2 and body["commune"]["members"] == 2
    assert body["intercommunalite"]["participants"] == 0


def test_supplier_library_and_time_figures(report):
    v = values(report)
    assert v["market_meetings"] == 1
    assert v["resources_published"] == 3
    assert rows(report.breakdowns["resources_by_type"], "count") == {"guide": 2, "modele": 1}
    assert v["questions_answered"] == 2
    assert v["suppliers_applied"] == 3
    assert v["suppliers_met"] == 1
    assert v["staff_hours"] == Decimal("10.00")
    time = {row.key: row.values for row in report.breakdowns["time_by_activity"].rows}
    assert time["helpdesk"] == {"hours": Decimal("3.50"), "percent": Decimal("35.0")}
    assert time["coordination"] == {"hours": Decimal("4.00"), "percent": Decimal("40.0")}
    assert time["communication"] == {"hours": Decimal("2.50"), "percent": Decimal("25.0")}


def test_year_over_year(report):
    previous = {key: figure.previous for key, figure in report.figures.items()}
    assert report.previous.period == year_period(2024)
    assert previous["held_total"] == 1
    assert previous["resources_published"] == 1
    assert previous["questions_answered"] == 1
    assert previous["registrations"] == 1
    assert previous["attendance_rate"] == Decimal("100.0")
    assert previous["member_organisations"] == 3  # Blois joined in June 2024
    assert previous["member_share"] == Decimal("33.3")
    assert previous["staff_hours"] == Decimal("6.00")


def test_empty_period_has_no_division_by_zero(known_year):
    report = compute(year_period(2030), now=NOW)
    assert report.figures["attendance_rate"].value is None
    assert report.figures["registrations"].value == 0


def test_previous_period_of_a_range_has_the_same_length():
    period = Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    assert period.previous() == Period(datetime.date(2025, 1, 29), datetime.date(2025, 2, 28))


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("2025-12-31", "2025-01-01", "reversed"),
        ("", "2025-01-01", "unbounded"),
        ("2025-01-01", None, "unbounded"),
        ("2025-13-01", "2025-12-31", "invalid"),
        ("hier", "2025-12-31", "invalid"),
        ("2000-01-01", "2025-12-31", "too_long"),
        ("0001-01-01", "2025-12-31", "out_of_range"),
    ],
)
def test_bad_ranges_are_refused_in_french(start, end, code):
    with pytest.raises(PeriodError) as error:
        parse_period(start, end)
    assert error.value.code == code
    assert error.value.message


def test_query_count_does_not_grow_with_data(known_year, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        compute(year_period(2025), now=NOW)
    _add_rows(known_year, 200)
    with CaptureQueriesContext(connection) as large:
        compute(year_period(2025), now=NOW)
    assert len(large) == len(small)
    # A fixed budget per section, for the period and the one compared with it: the engine's
    # figures, then two queries each for the exchange, the evaluations and the grouped purchases,
    # one for the newsletter.
    assert len(small) <= 50


def _add_rows(known_year, count):
    from registrations.models import Attendance, AttendanceStatus, Registration, RegistrationStatus

    occurrence = known_year["occurrences"][1]
    parts = list(occurrence.parts.all())
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                occurrence=occurrence,
                first_name="X",
                last_name=str(i),
                email=f"bulk{i}@exemple.fr",
                status=RegistrationStatus.CONFIRMED,
                organisation=known_year["nantes"],
                token=f"bulk-{i}",
            )
            for i in range(count)
        ]
    )
    Attendance.objects.bulk_create(
        [Attendance(registration=r, part=p, status=AttendanceStatus.PRESENT) for r in registrations for p in parts]
    )


def test_dates_still_to_come_are_planned_not_held(known_year):
    """DESIGN « Report definitions »: held = not cancelled, starts in the range and has ended;
    the registrants of dates still to come stay out of the attendance rate."""
    report = compute(year_period(2025), now=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC), compare=False)
    v = values(report)
    assert v["held_total"] == 2  # O1 (March) and the April working group meeting
    assert v["planned_total"] == 4  # O2 (May), O5 (September), the June and October meetings
    assert v["training_runs"] == 0 and v["training_person_hours"] == Decimal("0")
    assert v["registrations"] == 3  # r1, r2, r3 on O1; not O2's three
    assert v["present"] == 1
    assert v["attendance_rate"] == Decimal("33.3")
    assert v["working_group_meetings"] == 1
    assert v["market_meetings"] == 0 and v["suppliers_applied"] == 0
    assert compute(year_period(2025), now=NOW, compare=False).figures["planned_total"].value == 0
