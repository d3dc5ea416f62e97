from decimal import Decimal

import pytest
import time_machine

from attendance import services
from attendance.services import AttendanceError
from registrations.errors import RegistrationError
from registrations.models import Attendance, RegistrationChange, RegistrationSource, RegistrationStatus
from tests.factories.attendance import paris

pytestmark = pytest.mark.django_db


def test_parts_of_a_two_day_training_are_half_days(training):
    assert [(p.date.day, p.kind, p.hours) for p in training["parts"]] == [
        (20, "morning", 3.5),
        (20, "afternoon", 3.5),
        (21, "morning", 3.5),
        (21, "afternoon", 3.5),
    ]


def test_record_then_correct_keeps_one_row(training, editor):
    part = training["parts"][0]
    services.record_attendance(training["sophie"], part, status="absent", actor=editor)
    services.record_attendance(training["sophie"], part, status="late", note="arrivée 9 h 40", actor=editor)
    rows = Attendance.objects.filter(registration=training["sophie"], part=part)
    assert rows.count() == 1
    assert rows.get().status == "late" and rows.get().note == "arrivée 9 h 40" and rows.get().recorded_by == editor


def test_attendance_for_someone_not_registered_is_refused(training, editor):
    with pytest.raises(AttendanceError) as error:
        services.record_attendance(training["waiting"], training["parts"][0], status="present", actor=editor)
    assert error.value.code == "not_registered"
    assert not Attendance.objects.exists()


def test_attendance_for_a_part_of_another_occurrence_is_refused(training, editor):
    with pytest.raises(AttendanceError) as error:
        services.record_attendance(training["sophie"], training["other_parts"][0], status="present", actor=editor)
    assert error.value.code == "wrong_part" and error.value.field == "part"
    assert not Attendance.objects.exists()


def test_unknown_status_is_refused(training, editor):
    with pytest.raises(AttendanceError) as error:
        services.record_attendance(training["sophie"], training["parts"][0], status="here", actor=editor)
    assert error.value.code == "invalid_status"


def test_all_present_keeps_what_was_recorded(training, editor):
    part = training["parts"][1]
    services.record_attendance(training["yann"], part, status="excused", actor=editor)
    assert services.mark_all_present(part, actor=editor) == 1
    assert dict(Attendance.objects.filter(part=part).values_list("registration__email", "status")) == {
        "sophie@nantes.fr": "present",
        "yann@rennes.fr": "excused",
    }
    assert services.mark_all_present(part, actor=editor) == 0  # nobody left: still two rows


@time_machine.travel(paris(2025, 5, 20, 14, 5), tick=False)
def test_qr_check_in_is_idempotent(training, editor):
    token = services.checkin_token(training["sophie"])
    first = services.check_in(token, actor=editor)
    assert first.already is False
    assert first.part == training["parts"][1]  # the afternoon of the first day
    assert first.attendance.status == "present" and first.attendance.checked_in_by_qr
    second = services.check_in(token, actor=editor)
    assert second.already is True
    assert Attendance.objects.filter(registration=training["sophie"]).count() == 1


@time_machine.travel(paris(2025, 5, 21, 8, 45), tick=False)
def test_check_in_before_the_morning_marks_the_morning(training, editor):
    result = services.check_in(services.checkin_token(training["yann"]), actor=editor)
    assert result.part == training["parts"][2]


@time_machine.travel(paris(2025, 5, 20, 9, 5), tick=False)
def test_check_in_after_an_absence_turns_it_into_presence(training, editor):
    services.record_attendance(training["yann"], training["parts"][0], status="absent", actor=editor)
    result = services.check_in(services.checkin_token(training["yann"]), actor=editor)
    assert result.already is False and result.attendance.status == "present"


@pytest.mark.parametrize(
    "token",
    ["", "nimportequoi", "eyJyIjoxfQ:1u2v3w:forgedsignature", services.signing.dumps({"r": 1}, salt="autre.sel")],
    ids=["empty", "garbage", "bad-signature", "other-salt"],  # the signed one differs each second
)
def test_forged_tokens_are_rejected(training, editor, token):
    with pytest.raises(AttendanceError) as error:
        services.check_in(token, actor=editor)
    assert error.value.code == "forged"
    assert not Attendance.objects.exists()


def test_token_of_a_deleted_registration_is_unknown(training, editor):
    token = services.signing.dumps({"r": 999999}, salt=services.CHECKIN_SALT)
    with pytest.raises(AttendanceError) as error:
        services.check_in(token, actor=editor)
    assert error.value.code == "unknown"


@time_machine.travel(paris(2025, 6, 1, 10), tick=False)
def test_check_in_on_another_day_is_refused(training, editor):
    with pytest.raises(AttendanceError) as error:
        services.check_in(services.checkin_token(training["sophie"]), actor=editor)
    assert error.value.code == "not_today"


@time_machine.travel(paris(2025, 5, 20, 10), tick=False)
def test_waitlisted_person_cannot_check_in(training, editor):
    with pytest.raises(AttendanceError) as error:
        services.check_in(services.checkin_token(training["waiting"]), actor=editor)
    assert error.value.code == "not_registered"


@time_machine.travel(paris(2025, 5, 20, 10), tick=False)
def test_walk_in_is_a_confirmed_registration_marked_as_such(training, editor):
    registration = services.add_walk_in(
        training["occurrence"],
        first_name="Nina",
        last_name="Surplace",
        email="nina@exemple.fr",
        organisation_name="Ville de Laval",
        actor=editor,
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.source == RegistrationSource.WALK_IN
    assert RegistrationChange.objects.filter(registration=registration, to_status="confirmed").count() == 1


def test_attended_hours_sum_attended_parts(training, editor):
    statuses = ["present", "late", "absent", "excused"]
    for part, status in zip(training["parts"], statuses, strict=True):
        services.record_attendance(training["sophie"], part, status=status, actor=editor)
    assert services.attended_hours(training["sophie"]) == Decimal("7.00")
    listed = list(services.certificate_registrations(training["member"]))
    assert listed == [training["sophie"]]
    assert listed[0].attended.total_seconds() == 7 * 3600


def test_qr_png_encodes_the_admin_check_in_url(training):
    png = services.qr_png(training["sophie"])
    assert png.startswith(b"\x89PNG")
    url = services.checkin_url(training["sophie"])
    assert url.startswith("http://testserver/admin/presences/pointage/")


@time_machine.travel(paris(2025, 9, 1, 10), tick=False)
def test_walk_ins_may_be_added_to_an_ended_date_but_not_self_registrations(training, editor):
    from registrations.services import register

    registration = services.add_walk_in(
        training["occurrence"], first_name="Nina", last_name="Surplace", email="nina@exemple.fr", actor=editor
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    with pytest.raises(RegistrationError) as error:
        register(training["occurrence"], user=training["member"])
    assert error.value.code in ("past", "already_registered")
    with pytest.raises(RegistrationError) as error:
        register(training["occurrence"], guest={"first_name": "A", "last_name": "B", "email": "ab@exemple.fr"})
    assert error.value.code == "past"
