import datetime
from zoneinfo import ZoneInfo

from registrations.models import PartKind
from registrations.schedule import default_parts

PARIS = ZoneInfo("Europe/Paris")


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), PARIS)


def test_short_occurrence_is_one_session():
    day = datetime.date(2026, 3, 3)
    parts = default_parts(at(day, 9, 30), at(day, 12))
    assert parts == [(day, PartKind.WHOLE, at(day, 9, 30), at(day, 12))]


def test_full_day_is_split_in_half_days():
    day = datetime.date(2026, 3, 3)
    parts = default_parts(at(day, 9), at(day, 17))
    assert [(p[1], p[2].time(), p[3].time()) for p in parts] == [
        (PartKind.MORNING, datetime.time(9), datetime.time(12, 30)),
        (PartKind.AFTERNOON, datetime.time(13, 30), datetime.time(17)),
    ]


def test_three_day_training_across_dst_change_has_six_half_days_at_wall_clock_times():
    first = datetime.date(2026, 3, 27)  # Friday; summer time starts on Sunday 29 March
    parts = default_parts(at(first, 9), at(first + datetime.timedelta(days=3), 16, 30))
    days = sorted({p[0] for p in parts})
    assert len(days) == 4 and len(parts) == 8
    for _, _, start, end in parts:
        assert start.astimezone(PARIS).time() in (datetime.time(9), datetime.time(13, 30))
        assert end.astimezone(PARIS).time() in (datetime.time(12, 30), datetime.time(17), datetime.time(16, 30))


def test_all_day_occurrence_with_exclusive_end():
    day = datetime.date(2026, 6, 5)
    parts = default_parts(at(day, 0), at(day + datetime.timedelta(days=1), 0), all_day=True)
    assert [p[1] for p in parts] == [PartKind.MORNING, PartKind.AFTERNOON]
